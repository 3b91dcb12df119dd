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
    domain::PlanSource,
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

/// What both plans expose to be stamped with their provenance.
trait ModelPlan: serde::Serialize {
    fn stamp(&mut self, source: PlanSource, provenance: Provenance);
    fn provenance_mut(&mut self) -> &mut Provenance;
}

impl ModelPlan for PrepList {
    fn stamp(&mut self, source: PlanSource, provenance: Provenance) {
        (self.source, self.provenance, self.generated_at) = (source, provenance, Utc::now());
    }
    fn provenance_mut(&mut self) -> &mut Provenance {
        &mut self.provenance
    }
}

impl ModelPlan for StaffingPlan {
    fn stamp(&mut self, source: PlanSource, provenance: Provenance) {
        (self.source, self.provenance, self.generated_at) = (source, provenance, Utc::now());
    }
    fn provenance_mut(&mut self) -> &mut Provenance {
        &mut self.provenance
    }
}

/// Where a model's plan is being made: enough to stamp and store it.
struct Making<'a> {
    db: &'a DatabaseConnection,
    client: &'a LlmClient,
    template: &'static Template,
    location_id: i64,
    date: NaiveDate,
    input_key: &'a str,
}

impl Making<'_> {
    /// Stamps the plan with the run's outcome and stores it with every attempt behind it.
    async fn finish<P: ModelPlan, T>(
        &self,
        run: &pipeline::Run<T>,
        mut plan: P,
        summary: impl Fn(&T) -> String,
    ) -> Result<P, ApiError> {
        let (source, provenance) = provenance(run, self.client, self.template, summary);
        let repairs = provenance.repairs.clone();
        plan.stamp(source, provenance);
        let id = audit::store(
            self.db,
            audit::PlanRecord {
                location_id: self.location_id,
                kind: self.template.kind,
                date: self.date,
                source,
                fingerprint: audit::fingerprint(self.input_key),
                model: &self.client.settings().model,
                prompt_version: self.template.version,
                tokens_used: run.tokens_used,
                fallback_reasons: &run.fallback_reasons,
                repairs: &repairs,
                body: &plan,
                attempts: &run.attempts,
            },
        )
        .await?;
        plan.provenance_mut().plan_id = Some(id);
        Ok(plan)
    }
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
    let check = |raw: &str| validate::check_prep(raw, &facts);
    let catalog: Vec<String> = baseline.catalog.iter().map(|p| p.name.clone()).collect();
    let redaction = pipeline::AnswerRedaction { guests: &notes.known_names, catalog: &catalog };
    let run = pipeline::run(client, template, messages, redaction, &PREP_SCHEMA, check).await;
    let plan = match &run.accepted {
        Some((checked, _)) => apply::prep(baseline.plan, &checked.answer, &baseline.catalog, location),
        None => baseline.plan,
    };
    let making = Making { db, client, template, location_id: location.id, date, input_key };
    making.finish(&run, plan, |a| a.summary.clone()).await
}

/// The staffing plan, like [`prep_list`].
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
    let settings = client.settings();
    let messages =
        prompting::staffing_messages(template, &baseline, location, settings, &STAFFING_SCHEMA, &notes, &facts);
    let check = |raw: &str| validate::check_staffing(raw, &facts);
    let catalog: Vec<String> = baseline.catalog.iter().map(|r| r.name.clone()).collect();
    let redaction = pipeline::AnswerRedaction { guests: &notes.known_names, catalog: &catalog };
    let run = pipeline::run(client, template, messages, redaction, &STAFFING_SCHEMA, check).await;
    let plan = match &run.accepted {
        Some((checked, _)) => apply::staffing(baseline.plan, &checked.answer, &baseline.catalog),
        None => baseline.plan,
    };
    let making = Making { db, client, template, location_id: location.id, date, input_key };
    making.finish(&run, plan, |a| a.summary.clone()).await
}
