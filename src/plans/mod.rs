//! The plan service: for one location and service day, the baseline plan, then (when a model
//! is configured) the model's plan checked against it, falling back to it when the model
//! fails; plans that involved the model are stored with their audit trail.
mod apply;
pub mod audit;
pub mod baseline;
mod inputs;
mod pipeline;
mod planner;
mod prep_list;
pub mod prompting;
mod signals;
mod staffing;
mod types;

pub use inputs::load_forecast;
pub use planner::{Planner, Served};
pub use types::{
    ForecastSummary, PrepLine, PrepList, Provenance, RoleHeadcount, StaffingBlock, StaffingPlan, StaffingRoleTotal,
    StationPrep,
};

use chrono::{NaiveDate, Utc};
use sea_orm::DatabaseConnection;

use crate::{
    catalog::Location,
    domain::{PlanKind, PlanSource},
    error::ApiError,
    history,
    llm::{
        LlmClient,
        answer::{PREP_SCHEMA, STAFFING_SCHEMA},
    },
    prompt::{self, Template},
    validate,
};

/// Source and provenance of a run's outcome.
fn provenance<T>(
    run: &pipeline::Run<T>,
    client: &LlmClient,
    template: &Template,
    summary: impl Fn(&T) -> String,
) -> (PlanSource, Provenance) {
    let source = match &run.accepted {
        Some((checked, attempt)) if checked.repairs.is_empty() && *attempt == 1 => PlanSource::Llm,
        Some(_) => PlanSource::LlmRepaired,
        None => PlanSource::Fallback,
    };
    let provenance = Provenance {
        plan_id: None,
        model: Some(client.settings().model.clone()),
        prompt_version: Some(template.version.to_owned()),
        attempts: run.attempts.len() as u32,
        tokens_used: run.tokens_used,
        fallback_reasons: run.fallback_reasons.clone(),
        repairs: run.accepted.as_ref().map(|(c, _)| c.repairs.clone()).unwrap_or_default(),
        summary: run.accepted.as_ref().map(|(c, _)| summary(&c.answer)),
    };
    if source == PlanSource::Fallback {
        tracing::warn!(reasons = ?run.fallback_reasons, attempts = run.attempts.len(), "model plan rejected, serving the baseline");
    }
    (source, provenance)
}

/// The prep list, written by the model when one is given (stored with its audit trail under
/// `input_key`, the cache key of its inputs), else the baseline.
#[tracing::instrument(skip_all, fields(location_id = location.id, %date))]
pub async fn prep_list(
    db: &DatabaseConnection,
    llm: Option<&LlmClient>,
    location: &Location,
    date: NaiveDate,
    input_key: &str,
) -> Result<PrepList, ApiError> {
    let baseline = baseline::prep_list(db, location, date).await?;
    let Some(client) = llm else { return Ok(baseline.plan) };
    let template = &prompt::PREP_LIST;
    let notes = signals::extract(history::guest_notes(db, location.id, date).await?);
    let facts = prompting::prep_facts(&baseline, client.settings());
    let messages =
        prompting::prep_messages(template, &baseline, location, client.settings(), &PREP_SCHEMA, &notes, &facts);
    let fingerprint = audit::fingerprint(input_key);
    let check = |raw: &str| validate::check_prep(raw, &facts);
    let catalog: Vec<String> = baseline.catalog.iter().map(|p| p.name.clone()).collect();
    let redaction = pipeline::AnswerRedaction { guests: &notes.known_names, catalog: &catalog };
    let run = pipeline::run(client, template, messages, redaction, &PREP_SCHEMA, check).await;
    let (source, provenance) = provenance(&run, client, template, |a| a.summary.clone());
    let mut plan = match &run.accepted {
        Some((checked, _)) => apply::prep(baseline.plan, &checked.answer, &baseline.catalog, location),
        None => baseline.plan,
    };
    plan.source = source;
    plan.provenance = provenance;
    plan.generated_at = Utc::now();
    let id = audit::store(
        db,
        audit::PlanRecord {
            location_id: location.id,
            kind: PlanKind::PrepList,
            date,
            source,
            fingerprint,
            model: &client.settings().model,
            prompt_version: template.version,
            tokens_used: run.tokens_used,
            fallback_reasons: &run.fallback_reasons,
            repairs: &plan.provenance.repairs,
            body: &plan,
            attempts: &run.attempts,
        },
    )
    .await?;
    plan.provenance.plan_id = Some(id);
    Ok(plan)
}

#[tracing::instrument(skip_all, fields(location_id = location.id, %date))]
pub async fn staffing_plan(
    db: &DatabaseConnection,
    llm: Option<&LlmClient>,
    location: &Location,
    date: NaiveDate,
    input_key: &str,
) -> Result<StaffingPlan, ApiError> {
    let baseline = baseline::staffing_plan(db, location, date).await?;
    let Some(client) = llm else { return Ok(baseline.plan) };
    let template = &prompt::STAFFING;
    let notes = signals::extract(history::guest_notes(db, location.id, date).await?);
    let facts = prompting::staffing_facts(&baseline, client.settings());
    let messages = prompting::staffing_messages(
        template,
        &baseline,
        location,
        client.settings(),
        &STAFFING_SCHEMA,
        &notes,
        &facts,
    );
    let fingerprint = audit::fingerprint(input_key);
    let check = |raw: &str| validate::check_staffing(raw, &facts);
    let catalog: Vec<String> = baseline.catalog.iter().map(|r| r.name.clone()).collect();
    let redaction = pipeline::AnswerRedaction { guests: &notes.known_names, catalog: &catalog };
    let run = pipeline::run(client, template, messages, redaction, &STAFFING_SCHEMA, check).await;
    let (source, provenance) = provenance(&run, client, template, |a| a.summary.clone());
    let mut plan = match &run.accepted {
        Some((checked, _)) => apply::staffing(baseline.plan, &checked.answer, &baseline.catalog),
        None => baseline.plan,
    };
    plan.source = source;
    plan.provenance = provenance;
    plan.generated_at = Utc::now();
    let id = audit::store(
        db,
        audit::PlanRecord {
            location_id: location.id,
            kind: PlanKind::Staffing,
            date,
            source,
            fingerprint,
            model: &client.settings().model,
            prompt_version: template.version,
            tokens_used: run.tokens_used,
            fallback_reasons: &run.fallback_reasons,
            repairs: &plan.provenance.repairs,
            body: &plan,
            attempts: &run.attempts,
        },
    )
    .await?;
    plan.provenance.plan_id = Some(id);
    Ok(plan)
}
