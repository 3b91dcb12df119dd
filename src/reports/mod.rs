//! The AI quality report: over a period, what the model got wrong, what Sous caught, what it
//! cost and what was used, read from the stored plans and their audit trail (every model call).
//! A reviewer reads it as JSON (`GET /api/v1/reports/ai-quality`) or pastes its markdown form
//! (`sous postmortem`) into a postmortem.
//!
//! Figures are counts over plans generated in `[from, to)` (UTC days): nothing is sampled.
//! Problem examples come from the audit, which holds only redacted answers, and are redacted
//! again and cut short here.

mod markdown;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDate, NaiveTime};
use entity::{llm_call, location, plan};
use poem_openapi::Object;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use serde_json::Value;

pub use markdown::render_markdown;

use crate::{
    accuracy::{self, Accuracy},
    actuals, catalog,
    config::PriceTable,
    domain::PlanSource,
    error::ApiError,
    history::DateRange,
};

/// Example messages are cut to this many characters.
const MAX_EXAMPLE_CHARS: usize = 160;
/// The most frequent problems listed.
const MAX_PROBLEMS: usize = 10;

/// Whose plans a report covers.
#[derive(Debug, Clone)]
pub enum Scope {
    /// Every tenant (the operator at the command line).
    All,
    /// These locations (a tenant's, or those its caller may see).
    Locations(Vec<i64>),
}

#[derive(Debug, Clone, Serialize, PartialEq, Object)]
pub struct AiQuality {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub plans: usize,
    /// Plans per kind and source (`baseline`, `llm`, `llm_repaired`, `llm_reasked`,
    /// `llm_unchanged`, `llm_partial`, `fallback`).
    pub by_source: BTreeMap<String, BTreeMap<String, usize>>,
    pub rates: Rates,
    /// Fallback reasons, most frequent first.
    pub fallback_reasons: Vec<Counted>,
    /// Problems found in answers, by stage and field path (indices folded), most frequent first.
    pub problems: Vec<Problem>,
    pub latency_ms: Latency,
    pub tokens: Tokens,
    pub cost: Cost,
    /// Prompt versions and models in use, with the first and last day each was seen: a change
    /// of either is a break in the figures.
    pub versions: Vec<InUse>,
    /// Accuracy against the recorded actuals, per location that has any for service days of the
    /// period (its last 92 at most, up to today): baseline, model and manager apart. Empty when
    /// nothing was recorded: said, not guessed.
    pub accuracy: Vec<Accuracy>,
}

/// Shares over the plans where a model was asked; absent when there were none.
#[derive(Debug, Clone, Serialize, PartialEq, Default, Object)]
#[oai(rename = "AiQualityRates")]
pub struct Rates {
    pub model_plans: usize,
    /// First answers accepted as they were or after Sous's repairs.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub first_attempt_valid: Option<f64>,
    /// Of the plans whose accepted answer needed a repair, the share of all model plans.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub repaired: Option<f64>,
    /// Of the plans where a re-ask was made, the share that got an answer accepted whole.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub reask_success: Option<f64>,
    /// Plans whose accepted answer changed nothing: the model judged the baseline right.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub unchanged: Option<f64>,
    /// Plans served with only the changes that passed, the others having failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub partial: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub fallback: Option<f64>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Object)]
#[oai(rename = "AiQualityCounted")]
pub struct Counted {
    pub what: String,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq, Object)]
#[oai(rename = "AiQualityProblem")]
pub struct Problem {
    pub stage: String,
    pub path: String,
    pub count: usize,
    /// One message as the audit holds it, redacted and cut short.
    pub example: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Default, Object)]
#[oai(rename = "AiQualityLatency")]
pub struct Latency {
    pub calls: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub per_call_p50: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub per_call_p95: Option<i64>,
    /// All the calls of one plan together.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub per_plan_p50: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub per_plan_p95: Option<i64>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Default, Object)]
#[oai(rename = "AiQualityTokens")]
pub struct Tokens {
    pub prompt: i64,
    pub completion: i64,
    /// Mean tokens (prompt and answer) per model plan.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub per_model_plan: Option<f64>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Default, Object)]
#[oai(rename = "AiQualityCost")]
pub struct Cost {
    /// US dollars over the priced models' calls.
    pub priced_usd: f64,
    /// Mean dollars per plan made with a priced model.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub per_priced_plan_usd: Option<f64>,
    /// Dollars per tenant, priced models only.
    pub per_tenant_usd: BTreeMap<i64, f64>,
    /// Models with calls but no price (`SOUS_MODEL_PRICES`): their cost is unknown, not zero.
    pub unpriced_models: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Object)]
#[oai(rename = "AiQualityInUse")]
pub struct InUse {
    pub prompt_version: String,
    pub model: String,
    pub plans: usize,
    pub first_seen: NaiveDate,
    pub last_seen: NaiveDate,
}

/// The report for plans generated in `[from, to)`.
pub async fn ai_quality(
    db: &DatabaseConnection,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
    prices: &PriceTable,
) -> Result<AiQuality, ApiError> {
    let start = from.and_time(NaiveTime::MIN).and_utc();
    let end = to.and_time(NaiveTime::MIN).and_utc();
    let mut query = plan::Entity::find()
        .filter(plan::Column::GeneratedAt.gte(start))
        .filter(plan::Column::GeneratedAt.lt(end))
        .order_by_asc(plan::Column::Id);
    if let Scope::Locations(ids) = scope {
        query = query.filter(plan::Column::LocationId.is_in(ids.clone()));
    }
    let plans = query.all(db).await?;
    let ids: Vec<i64> = plans.iter().map(|p| p.id).collect();
    let mut calls: Vec<llm_call::Model> = Vec::new();
    // A bounded IN list per query, whatever the period.
    for chunk in ids.chunks(500) {
        let found = llm_call::Entity::find()
            .filter(llm_call::Column::PlanId.is_in(chunk.to_vec()))
            .order_by_asc(llm_call::Column::Id)
            .all(db)
            .await?;
        calls.extend(found);
    }
    let locations: BTreeSet<i64> = plans.iter().map(|p| p.location_id).collect();
    let tenants: BTreeMap<i64, i64> = location::Entity::find()
        .filter(location::Column::Id.is_in(locations))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l.tenant_id))
        .collect();
    let mut report = compute(from, to, &plans, &calls, &tenants, prices);
    report.accuracy = accuracy_of(db, scope, from, to).await?;
    Ok(report)
}

/// Accuracy of the locations in `scope` with actuals for service days in `[from, to)`.
async fn accuracy_of(
    db: &DatabaseConnection,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Accuracy>, ApiError> {
    let with = actuals::locations_with(db, DateRange { from, to }).await?;
    let mut out = Vec::new();
    for location in catalog::list_locations(db, None).await? {
        let in_scope = match scope {
            Scope::All => true,
            Scope::Locations(ids) => ids.contains(&location.id),
        };
        if !in_scope || !with.contains(&location.id) {
            continue;
        }
        let today = location.today();
        let end = to.min(today);
        let start = from.max(end - chrono::Duration::days(accuracy::MAX_RANGE_DAYS));
        if let Ok(range) = accuracy::range(Some(start), Some(end), today) {
            out.push(accuracy::measure(db, &location, range).await?);
        }
    }
    Ok(out)
}

/// The figures, from rows already read (pure, so that it can be checked on hand-made rows).
fn compute(
    from: NaiveDate,
    to: NaiveDate,
    plans: &[plan::Model],
    calls: &[llm_call::Model],
    tenants: &BTreeMap<i64, i64>,
    prices: &PriceTable,
) -> AiQuality {
    let mut calls_of: BTreeMap<i64, Vec<&llm_call::Model>> = BTreeMap::new();
    for call in calls {
        calls_of.entry(call.plan_id).or_default().push(call);
    }
    let mut by_source: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for plan in plans {
        *by_source.entry(plan.kind.clone()).or_default().entry(plan.source.clone()).or_default() += 1;
    }
    let model_plans: Vec<&plan::Model> = plans.iter().filter(|p| calls_of.contains_key(&p.id)).collect();
    AiQuality {
        from,
        to,
        plans: plans.len(),
        by_source,
        rates: rates(&model_plans, &calls_of),
        fallback_reasons: fallback_reasons(plans),
        problems: problems(calls),
        latency_ms: latency(calls, &calls_of),
        tokens: tokens(calls, model_plans.len()),
        cost: cost(plans, &calls_of, tenants, prices),
        versions: versions(plans),
        accuracy: Vec::new(),
    }
}

fn share(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| round(part as f64 / whole as f64, 4))
}

fn round(value: f64, places: i32) -> f64 {
    let scale = 10f64.powi(places);
    (value * scale).round() / scale
}

fn is_source(plan: &plan::Model, source: PlanSource) -> bool {
    plan.source == source.as_str()
}

fn rates(model_plans: &[&plan::Model], calls_of: &BTreeMap<i64, Vec<&llm_call::Model>>) -> Rates {
    let n = model_plans.len();
    let first_valid = model_plans
        .iter()
        .filter(|p| calls_of[&p.id].iter().any(|c| c.attempt == 1 && c.outcome == "accepted"))
        .count();
    let accepted_whole = |p: &plan::Model| !is_source(p, PlanSource::Fallback) && !is_source(p, PlanSource::LlmPartial);
    let repaired = model_plans
        .iter()
        .filter(|p| !is_source(p, PlanSource::Fallback) && p.repairs.as_array().is_some_and(|r| !r.is_empty()))
        .count();
    let reasked: Vec<&&plan::Model> =
        model_plans.iter().filter(|p| calls_of[&p.id].iter().any(|c| c.attempt > 1)).collect();
    let reask_won = reasked.iter().filter(|p| accepted_whole(p)).count();
    let count = |source: PlanSource| model_plans.iter().filter(|p| is_source(p, source)).count();
    Rates {
        model_plans: n,
        first_attempt_valid: share(first_valid, n),
        repaired: share(repaired, n),
        reask_success: share(reask_won, reasked.len()),
        unchanged: share(count(PlanSource::LlmUnchanged), n),
        partial: share(count(PlanSource::LlmPartial), n),
        fallback: share(count(PlanSource::Fallback), n),
    }
}

fn ranked(counts: BTreeMap<String, usize>) -> Vec<Counted> {
    let mut list: Vec<Counted> = counts.into_iter().map(|(what, count)| Counted { what, count }).collect();
    list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.what.cmp(&b.what)));
    list
}

fn fallback_reasons(plans: &[plan::Model]) -> Vec<Counted> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for plan in plans.iter().filter(|p| is_source(p, PlanSource::Fallback)) {
        for reason in plan.fallback_reasons.as_array().into_iter().flatten().filter_map(Value::as_str) {
            *counts.entry(reason.to_owned()).or_default() += 1;
        }
    }
    ranked(counts)
}

/// `items[3].quantity` -> `items[].quantity`: one problem, whichever line it was on.
fn folded_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => {
                in_index = true;
                out.push('[');
            }
            ']' => {
                in_index = false;
                out.push(']');
            }
            _ if in_index => {}
            c => out.push(c),
        }
    }
    out
}

fn problems(calls: &[llm_call::Model]) -> Vec<Problem> {
    let mut found: BTreeMap<(String, String), (usize, String)> = BTreeMap::new();
    for call in calls {
        for issue in call.issues.as_array().into_iter().flatten() {
            let text = |k: &str| issue.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
            let entry = found.entry((text("stage"), folded_path(&text("path")))).or_insert((0, String::new()));
            entry.0 += 1;
            if entry.1.is_empty() {
                entry.1 = example(&text("message"));
            }
        }
    }
    let mut list: Vec<Problem> =
        found.into_iter().map(|((stage, path), (count, example))| Problem { stage, path, count, example }).collect();
    list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| (&a.stage, &a.path).cmp(&(&b.stage, &b.path))));
    list.truncate(MAX_PROBLEMS);
    list
}

/// A message from the audit as a reviewer may paste it: redacted again, on one line, short.
fn example(message: &str) -> String {
    let redacted = crate::redact::redact(message, &[]);
    let line: String = redacted.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= MAX_EXAMPLE_CHARS {
        line
    } else {
        format!("{}…", line.chars().take(MAX_EXAMPLE_CHARS).collect::<String>())
    }
}

/// The nearest-rank percentile of sorted `values`.
fn percentile(sorted: &[i64], p: f64) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    Some(sorted[rank - 1])
}

fn latency(calls: &[llm_call::Model], calls_of: &BTreeMap<i64, Vec<&llm_call::Model>>) -> Latency {
    let mut per_call: Vec<i64> = calls.iter().map(|c| i64::from(c.latency_ms)).collect();
    per_call.sort_unstable();
    let mut per_plan: Vec<i64> = calls_of.values().map(|cs| cs.iter().map(|c| i64::from(c.latency_ms)).sum()).collect();
    per_plan.sort_unstable();
    Latency {
        calls: calls.len(),
        per_call_p50: percentile(&per_call, 0.5),
        per_call_p95: percentile(&per_call, 0.95),
        per_plan_p50: percentile(&per_plan, 0.5),
        per_plan_p95: percentile(&per_plan, 0.95),
    }
}

fn tokens(calls: &[llm_call::Model], model_plans: usize) -> Tokens {
    let prompt: i64 = calls.iter().map(|c| i64::from(c.prompt_tokens)).sum();
    let completion: i64 = calls.iter().map(|c| i64::from(c.completion_tokens)).sum();
    let per_model_plan = (model_plans > 0).then(|| round((prompt + completion) as f64 / model_plans as f64, 1));
    Tokens { prompt, completion, per_model_plan }
}

fn cost(
    plans: &[plan::Model],
    calls_of: &BTreeMap<i64, Vec<&llm_call::Model>>,
    tenants: &BTreeMap<i64, i64>,
    prices: &PriceTable,
) -> Cost {
    let mut total = 0.0;
    let mut priced_plans = 0;
    let mut per_tenant: BTreeMap<i64, f64> = BTreeMap::new();
    let mut unpriced: BTreeSet<String> = BTreeSet::new();
    for plan in plans {
        let Some(calls) = calls_of.get(&plan.id) else { continue };
        let mut plan_cost = 0.0;
        let mut priced = false;
        for call in calls {
            match prices.get(&call.model) {
                Some(price) => {
                    priced = true;
                    plan_cost += f64::from(call.prompt_tokens) * price.input_per_million / 1e6
                        + f64::from(call.completion_tokens) * price.output_per_million / 1e6;
                }
                None => {
                    unpriced.insert(call.model.clone());
                }
            }
        }
        if priced {
            priced_plans += 1;
            total += plan_cost;
            if let Some(tenant) = tenants.get(&plan.location_id) {
                *per_tenant.entry(*tenant).or_default() += plan_cost;
            }
        }
    }
    Cost {
        priced_usd: round(total, 6),
        per_priced_plan_usd: (priced_plans > 0).then(|| round(total / f64::from(priced_plans), 6)),
        per_tenant_usd: per_tenant.into_iter().map(|(t, c)| (t, round(c, 6))).collect(),
        unpriced_models: unpriced.into_iter().collect(),
    }
}

fn versions(plans: &[plan::Model]) -> Vec<InUse> {
    let mut seen: BTreeMap<(String, String), InUse> = BTreeMap::new();
    for plan in plans {
        let (Some(version), Some(model)) = (&plan.prompt_version, &plan.model) else { continue };
        let day = plan.generated_at.date_naive();
        seen.entry((version.clone(), model.clone()))
            .and_modify(|u| {
                u.plans += 1;
                u.first_seen = u.first_seen.min(day);
                u.last_seen = u.last_seen.max(day);
            })
            .or_insert(InUse {
                prompt_version: version.clone(),
                model: model.clone(),
                plans: 1,
                first_seen: day,
                last_seen: day,
            });
    }
    seen.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::{folded_path, percentile};

    #[test]
    fn paths_fold_their_indices() {
        assert_eq!(folded_path("items[3].quantity"), "items[].quantity");
        assert_eq!(folded_path("blocks[10].staff[2].headcount"), "blocks[].staff[].headcount");
        assert_eq!(folded_path(""), "");
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let values = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
        assert_eq!(percentile(&values, 0.5), Some(50));
        assert_eq!(percentile(&values, 0.95), Some(100));
        assert_eq!(percentile(&[], 0.5), None);
    }
}
