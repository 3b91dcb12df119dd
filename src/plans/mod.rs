//! The plan service: for one location and service day, the baseline plan, then (when a model
//! is configured) the model's plan checked against it, falling back to it when the model
//! fails; plans that involved the model are stored with their audit trail.
mod apply;
pub mod audit;
pub mod baseline;
mod headcounts;
mod inputs;
mod pipeline;
mod planner;
mod prep_quantities;
pub mod prompting;
mod signals;
pub mod spending;
mod types;

pub use inputs::load_forecast;
pub use planner::{Planner, Served};
pub use types::{
    ForecastSummary, PrepLine, PrepList, Provenance, RoleHeadcount, StaffingBlock, StaffingPlan, StaffingRoleTotal,
    StationPrep,
};

use chrono::{NaiveDate, Utc};
use entity::{prep_item, staff_role};
use sea_orm::DatabaseConnection;

use self::baseline::Baseline;
use crate::{
    catalog::Location,
    config::LlmSettings,
    domain::PlanSource,
    error::ApiError,
    history,
    llm::{
        LlmClient, PrepAnswer, StaffingAnswer,
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
        Some((_, attempt)) if *attempt > 1 => PlanSource::LlmReasked,
        Some((checked, _)) if checked.repairs.is_empty() => PlanSource::Llm,
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

/// One kind of plan, for the one generation path ([`with_model`]): its template and schema,
/// what the model is told, how its answer is checked, and how an accepted answer edits the
/// baseline.
trait Kind {
    type Plan: serde::Serialize;
    /// The catalog rows the plan is made of (prep items, roles).
    type Item;
    type Answer;
    type Facts;
    const TEMPLATE: &'static Template;
    fn schema() -> &'static serde_json::Value;
    fn facts(baseline: &Baseline<Self::Plan, Self::Item>, settings: &LlmSettings) -> Self::Facts;
    fn messages(
        baseline: &Baseline<Self::Plan, Self::Item>,
        location: &Location,
        settings: &LlmSettings,
        notes: &signals::NoteSignals,
        facts: &Self::Facts,
    ) -> (String, String);
    fn check(raw: &str, facts: &Self::Facts) -> Result<validate::Checked<Self::Answer>, Vec<validate::Issue>>;
    fn item_name(item: &Self::Item) -> &str;
    fn apply(baseline: Baseline<Self::Plan, Self::Item>, answer: &Self::Answer, location: &Location) -> Self::Plan;
    fn summary(answer: &Self::Answer) -> String;
    fn header(plan: &mut Self::Plan) -> Header<'_>;
}

/// The fields every plan has that its making sets.
struct Header<'a> {
    source: &'a mut PlanSource,
    provenance: &'a mut Provenance,
    generated_at: &'a mut chrono::DateTime<Utc>,
}

struct PrepKind;

impl Kind for PrepKind {
    type Plan = PrepList;
    type Item = prep_item::Model;
    type Answer = PrepAnswer;
    type Facts = validate::grounding::PrepFacts;
    const TEMPLATE: &'static Template = &prompt::PREP_LIST;
    fn schema() -> &'static serde_json::Value {
        &PREP_SCHEMA
    }
    fn facts(baseline: &Baseline<PrepList, prep_item::Model>, settings: &LlmSettings) -> Self::Facts {
        prompting::prep_facts(baseline, settings)
    }
    fn messages(
        baseline: &Baseline<PrepList, prep_item::Model>,
        location: &Location,
        settings: &LlmSettings,
        notes: &signals::NoteSignals,
        facts: &Self::Facts,
    ) -> (String, String) {
        prompting::prep_messages(Self::TEMPLATE, baseline, location, settings, Self::schema(), notes, facts)
    }
    fn check(raw: &str, facts: &Self::Facts) -> Result<validate::Checked<PrepAnswer>, Vec<validate::Issue>> {
        validate::check_prep(raw, facts)
    }
    fn item_name(item: &prep_item::Model) -> &str {
        &item.name
    }
    fn apply(baseline: Baseline<PrepList, prep_item::Model>, answer: &PrepAnswer, location: &Location) -> PrepList {
        apply::prep(baseline.plan, answer, &baseline.catalog, location)
    }
    fn summary(answer: &PrepAnswer) -> String {
        answer.summary.clone()
    }
    fn header(plan: &mut PrepList) -> Header<'_> {
        Header { source: &mut plan.source, provenance: &mut plan.provenance, generated_at: &mut plan.generated_at }
    }
}

struct StaffingKind;

impl Kind for StaffingKind {
    type Plan = StaffingPlan;
    type Item = staff_role::Model;
    type Answer = StaffingAnswer;
    type Facts = validate::grounding::StaffingFacts;
    const TEMPLATE: &'static Template = &prompt::STAFFING;
    fn schema() -> &'static serde_json::Value {
        &STAFFING_SCHEMA
    }
    fn facts(baseline: &Baseline<StaffingPlan, staff_role::Model>, settings: &LlmSettings) -> Self::Facts {
        prompting::staffing_facts(baseline, settings)
    }
    fn messages(
        baseline: &Baseline<StaffingPlan, staff_role::Model>,
        location: &Location,
        settings: &LlmSettings,
        notes: &signals::NoteSignals,
        facts: &Self::Facts,
    ) -> (String, String) {
        prompting::staffing_messages(Self::TEMPLATE, baseline, location, settings, Self::schema(), notes, facts)
    }
    fn check(raw: &str, facts: &Self::Facts) -> Result<validate::Checked<StaffingAnswer>, Vec<validate::Issue>> {
        validate::check_staffing(raw, facts)
    }
    fn item_name(item: &staff_role::Model) -> &str {
        &item.name
    }
    fn apply(
        baseline: Baseline<StaffingPlan, staff_role::Model>,
        answer: &StaffingAnswer,
        _location: &Location,
    ) -> StaffingPlan {
        apply::staffing(baseline.plan, answer, &baseline.catalog)
    }
    fn summary(answer: &StaffingAnswer) -> String {
        answer.summary.clone()
    }
    fn header(plan: &mut StaffingPlan) -> Header<'_> {
        Header { source: &mut plan.source, provenance: &mut plan.provenance, generated_at: &mut plan.generated_at }
    }
}

/// The model a plan is asked of, and the tenant's token budget its calls draw on.
#[derive(Clone, Copy)]
pub struct Model<'a> {
    pub client: &'a LlmClient,
    pub budget: &'a spending::Budget,
}

/// Where a model's plan is being made: enough to ask, stamp and store it.
struct Making<'a> {
    db: &'a DatabaseConnection,
    client: &'a LlmClient,
    budget: &'a spending::Budget,
    location: &'a Location,
    date: NaiveDate,
    input_key: &'a str,
}

/// The model's edit of `baseline`, checked (or the baseline, with the reasons), stamped with its
/// provenance and stored with every attempt behind it.
async fn with_model<K: Kind>(making: Making<'_>, baseline: Baseline<K::Plan, K::Item>) -> Result<K::Plan, ApiError> {
    let Making { db, client, budget, location, date, input_key } = making;
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
    let (source, provenance) = provenance(&run, client, template, K::summary);
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
    let Some(Model { client, budget }) = model else { return Ok(baseline.plan) };
    with_model::<PrepKind>(Making { db, client, budget, location, date, input_key }, baseline).await
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
    let Some(Model { client, budget }) = model else { return Ok(baseline.plan) };
    with_model::<StaffingKind>(Making { db, client, budget, location, date, input_key }, baseline).await
}
