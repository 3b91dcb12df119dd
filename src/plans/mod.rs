//! The plan service: for one location and service day, the baseline plan, then (when a model
//! is configured) the model's plan checked against it, falling back to it when the model
//! fails; plans that involved the model are stored with their audit trail.
mod apply;
pub mod audit;
pub mod baseline;
mod edit_prompt;
mod headcounts;
mod inputs;
mod kinds;
mod lifecycle;
pub mod overrides;
mod pipeline;
mod planner;
mod prep_quantities;
pub mod prompting;
pub mod replay;
mod signals;
pub mod spending;
mod types;

pub use inputs::load_forecast;
pub use planner::{Planner, Served};
pub use prep_quantities::{MAX_WINDOW_DAYS, window_days};
pub use types::{
    DroppedOverride, ForecastSummary, LineOverride, MovedLine, PrepLine, PrepList, Provenance, RoleHeadcount,
    SincePublished, StaffingBlock, StaffingPlan, StaffingRoleTotal, StationPrep,
};

use chrono::{NaiveDate, Utc};
use sea_orm::DatabaseConnection;

use self::{
    baseline::Baseline,
    kinds::{Kind, PrepV1, PrepV2, StaffingV1, StaffingV2},
};
use crate::{
    catalog::Location,
    config::PromptVersion,
    domain::{PlanSource, PlanTrigger},
    error::ApiError,
    history,
    llm::LlmClient,
    prompt::Template,
};

/// Source and provenance of a run's outcome, the plan holding `changed_lines` of the model's.
fn provenance<T>(
    run: &pipeline::Run<T>,
    client: &LlmClient,
    template: &Template,
    summary: impl Fn(&T) -> &str,
    changed_lines: u32,
) -> (PlanSource, Provenance) {
    let source = match &run.accepted {
        None => PlanSource::Fallback,
        Some(_) if run.partial => PlanSource::LlmPartial,
        Some(_) if changed_lines == 0 => PlanSource::LlmUnchanged,
        Some((_, attempt)) if *attempt > 1 => PlanSource::LlmReasked,
        Some((checked, _)) if checked.repairs.is_empty() => PlanSource::Llm,
        Some(_) => PlanSource::LlmRepaired,
    };
    let summary = run.accepted.as_ref().map(|(c, _)| summary(&c.answer).trim()).filter(|s| !s.is_empty());
    let provenance = Provenance {
        plan_id: None,
        model: Some(client.settings().model.clone()),
        prompt_version: Some(template.version.to_owned()),
        attempts: run.attempts.len() as u32,
        tokens_used: run.tokens_used,
        fallback_reasons: run.fallback_reasons.clone(),
        changed_lines,
        rejected_changes: run.rejected_changes,
        repairs: run.accepted.as_ref().map(|(c, _)| c.repairs.clone()).unwrap_or_default(),
        summary: summary.map(str::to_owned),
        trigger: None,
    };
    match source {
        PlanSource::Fallback => {
            tracing::warn!(reasons = ?run.fallback_reasons, attempts = run.attempts.len(), "model plan rejected, serving the baseline")
        }
        PlanSource::LlmPartial => tracing::warn!(
            rejected = run.rejected_changes,
            applied = changed_lines,
            "some of the model's changes failed their checks; the rest are applied"
        ),
        _ => {}
    }
    (source, provenance)
}

/// The model a plan is asked of, the tenant's token budget its calls draw on, and why the plan
/// is being made (stored with it).
#[derive(Clone, Copy)]
pub struct Model<'a> {
    pub client: &'a LlmClient,
    pub budget: &'a spending::Budget,
    pub trigger: PlanTrigger,
}

/// Where a model's plan is being made: enough to ask, stamp and store it.
struct Making<'a> {
    db: &'a DatabaseConnection,
    client: &'a LlmClient,
    budget: &'a spending::Budget,
    trigger: PlanTrigger,
    location: &'a Location,
    date: NaiveDate,
    input_key: &'a str,
}

/// The model's edit of `baseline`, checked (or the baseline, with the reasons), stamped with its
/// provenance and stored with every attempt behind it.
async fn with_model<K: Kind>(making: Making<'_>, baseline: Baseline<K::Plan, K::Item>) -> Result<K::Plan, ApiError> {
    let Making { db, client, budget, trigger, location, date, input_key } = making;
    let rules = lifecycle::rules_fingerprint(&baseline);
    let template = K::TEMPLATE;
    let notes = signals::extract(history::guest_notes(db, location.id, date).await?);
    let facts = K::facts(&baseline, client.settings());
    let messages = K::messages(&baseline, location, client.settings(), &notes, &facts);
    // The kitchen's own words survive the redaction of the answer: its items or roles, and the
    // location's name ("Sous Demo Bistro" is no person).
    let catalog: Vec<String> = baseline
        .catalog
        .iter()
        .map(|item| K::item_name(item).to_owned())
        .chain(std::iter::once(location.name.clone()))
        .collect();
    let redaction = pipeline::AnswerRedaction { guests: &notes.known_names, catalog: &catalog };
    let check = |raw: &str| K::check(raw, &facts);
    let run = pipeline::run(client, budget, template, messages, redaction, K::schema(), check).await;
    let mut plan = match &run.accepted {
        Some((checked, _)) => K::apply(baseline, &checked.answer, location),
        None => baseline.plan,
    };
    let (source, mut provenance) = provenance(&run, client, template, K::summary, K::changed_lines(&plan));
    provenance.trigger = Some(trigger);
    let repairs = provenance.repairs.clone();
    let header = K::header(&mut plan);
    (*header.source, *header.provenance, *header.generated_at) = (source, provenance, Utc::now());
    let id = audit::store(
        db,
        audit::PlanRecord {
            location_id: location.id,
            kind: template.kind,
            date,
            source,
            fingerprint: audit::fingerprint(input_key),
            model: &client.settings().model,
            prompt_version: template.version,
            tokens_used: run.tokens_used,
            fallback_reasons: &run.fallback_reasons,
            repairs: &repairs,
            body: &plan,
            attempts: &run.attempts,
            trigger,
            rules_fingerprint: rules,
        },
    )
    .await?;
    K::header(&mut plan).provenance.plan_id = Some(id);
    Ok(plan)
}

/// Tomorrow's (or `date`'s) prep list: the model's edit of the baseline when a model is given
/// (stored with its audit trail under `input_key`, the cache key of its inputs), else the
/// baseline.
#[tracing::instrument(skip_all, fields(location_id = location.id, %date))]
pub async fn generate_prep_list(
    db: &DatabaseConnection,
    model: Option<Model<'_>>,
    location: &Location,
    date: NaiveDate,
    input_key: &str,
) -> Result<PrepList, ApiError> {
    let baseline = baseline::prep_baseline(db, location, date).await?;
    let Some(Model { client, budget, trigger }) = model else { return Ok(baseline.plan) };
    let making = Making { db, client, budget, trigger, location, date, input_key };
    match client.settings().prompt_version {
        PromptVersion::V1 => with_model::<PrepV1>(making, baseline).await,
        PromptVersion::V2 => with_model::<PrepV2>(making, baseline).await,
    }
}

/// The staffing plan, like [`generate_prep_list`].
#[tracing::instrument(skip_all, fields(location_id = location.id, %date))]
pub async fn generate_staffing(
    db: &DatabaseConnection,
    model: Option<Model<'_>>,
    location: &Location,
    date: NaiveDate,
    input_key: &str,
) -> Result<StaffingPlan, ApiError> {
    let baseline = baseline::staffing_baseline(db, location, date).await?;
    let Some(Model { client, budget, trigger }) = model else { return Ok(baseline.plan) };
    let making = Making { db, client, budget, trigger, location, date, input_key };
    match client.settings().prompt_version {
        PromptVersion::V1 => with_model::<StaffingV1>(making, baseline).await,
        PromptVersion::V2 => with_model::<StaffingV2>(making, baseline).await,
    }
}
