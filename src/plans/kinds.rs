//! The kinds of plan the model is asked for, each in each prompt version: its template and
//! schema, what the model is told, how its answer is checked, and how an accepted answer edits
//! the baseline. The one generation path (`super::with_model`) is generic over [`Kind`].
use chrono::Utc;
use entity::{prep_item, staff_role};

use super::{
    apply,
    baseline::Baseline,
    edit_prompt, prompting,
    signals::NoteSignals,
    types::{PrepList, Provenance, StaffingPlan},
};
use crate::{
    catalog::Location,
    config::LlmSettings,
    domain::PlanSource,
    llm::{
        PrepAnswer, PrepEdit, StaffingAnswer, StaffingEdit,
        answer::{PREP_SCHEMA, STAFFING_SCHEMA},
        edit::{PREP_EDIT_SCHEMA, STAFFING_EDIT_SCHEMA},
    },
    prompt::{self, Template},
    validate::{
        self, Checked, Rejected,
        grounding::{PrepFacts, StaffingFacts},
    },
};

pub(super) trait Kind {
    type Plan: serde::Serialize;
    /// The catalog rows the plan is made of (prep items, roles).
    type Item: super::lifecycle::Rules;
    type Answer;
    type Facts;
    const TEMPLATE: &'static Template;
    fn schema() -> &'static serde_json::Value;
    fn facts(baseline: &Baseline<Self::Plan, Self::Item>, settings: &LlmSettings) -> Self::Facts;
    fn messages(
        baseline: &Baseline<Self::Plan, Self::Item>,
        location: &Location,
        settings: &LlmSettings,
        notes: &NoteSignals,
        facts: &Self::Facts,
    ) -> (String, String);
    fn check(raw: &str, facts: &Self::Facts) -> Result<Checked<Self::Answer>, Rejected<Self::Answer>>;
    fn item_name(item: &Self::Item) -> &str;
    fn apply(baseline: Baseline<Self::Plan, Self::Item>, answer: &Self::Answer, location: &Location) -> Self::Plan;
    fn summary(answer: &Self::Answer) -> &str;
    /// Lines of the plan the model changed from the baseline.
    fn changed_lines(plan: &Self::Plan) -> u32;
    fn header(plan: &mut Self::Plan) -> Header<'_>;
}

/// The fields every plan has that its making sets.
pub(super) struct Header<'a> {
    pub source: &'a mut PlanSource,
    pub provenance: &'a mut Provenance,
    pub generated_at: &'a mut chrono::DateTime<Utc>,
}

/// What a kind's model is told as instructions (its templates before any data goes in, and its
/// schema's descriptions), lowercase: a reason found in it was copied, not given.
fn instructions<K: Kind>() -> String {
    let t = K::TEMPLATE;
    format!("{}\n{}\n{}\n{}", t.system, t.user, t.reask, K::schema()).to_lowercase()
}

fn prep_header(plan: &mut PrepList) -> Header<'_> {
    Header { source: &mut plan.source, provenance: &mut plan.provenance, generated_at: &mut plan.generated_at }
}

fn staffing_header(plan: &mut StaffingPlan) -> Header<'_> {
    Header { source: &mut plan.source, provenance: &mut plan.provenance, generated_at: &mut plan.generated_at }
}

/// The prep list, written whole by the model (prompt v1).
pub(super) struct PrepV1;

impl Kind for PrepV1 {
    type Plan = PrepList;
    type Item = prep_item::Model;
    type Answer = PrepAnswer;
    type Facts = PrepFacts;
    const TEMPLATE: &'static Template = &prompt::PREP_LIST_V1;
    fn schema() -> &'static serde_json::Value {
        &PREP_SCHEMA
    }
    fn facts(baseline: &Baseline<PrepList, prep_item::Model>, settings: &LlmSettings) -> PrepFacts {
        prompting::prep_facts(baseline, settings)
    }
    fn messages(
        baseline: &Baseline<PrepList, prep_item::Model>,
        location: &Location,
        settings: &LlmSettings,
        notes: &NoteSignals,
        facts: &PrepFacts,
    ) -> (String, String) {
        prompting::prep_messages(Self::TEMPLATE, baseline, location, settings, Self::schema(), notes, facts)
    }
    fn check(raw: &str, facts: &PrepFacts) -> Result<Checked<PrepAnswer>, Rejected<PrepAnswer>> {
        validate::check_prep(raw, facts)
    }
    fn item_name(item: &prep_item::Model) -> &str {
        &item.name
    }
    fn apply(baseline: Baseline<PrepList, prep_item::Model>, answer: &PrepAnswer, location: &Location) -> PrepList {
        apply::prep(baseline.plan, answer, &baseline.catalog, location)
    }
    fn summary(answer: &PrepAnswer) -> &str {
        &answer.summary
    }
    fn changed_lines(plan: &PrepList) -> u32 {
        apply::changed_prep_lines(plan)
    }
    fn header(plan: &mut PrepList) -> Header<'_> {
        prep_header(plan)
    }
}

/// The prep list as the model's changes to the baseline (prompt v2).
pub(super) struct PrepV2;

impl Kind for PrepV2 {
    type Plan = PrepList;
    type Item = prep_item::Model;
    type Answer = PrepEdit;
    type Facts = PrepFacts;
    const TEMPLATE: &'static Template = &prompt::PREP_LIST_V2;
    fn schema() -> &'static serde_json::Value {
        &PREP_EDIT_SCHEMA
    }
    fn facts(baseline: &Baseline<PrepList, prep_item::Model>, settings: &LlmSettings) -> PrepFacts {
        prompting::prep_facts(baseline, settings)
    }
    fn messages(
        baseline: &Baseline<PrepList, prep_item::Model>,
        location: &Location,
        settings: &LlmSettings,
        notes: &NoteSignals,
        facts: &PrepFacts,
    ) -> (String, String) {
        edit_prompt::prep_messages(Self::TEMPLATE, baseline, location, settings, Self::schema(), notes, facts)
    }
    fn check(raw: &str, facts: &PrepFacts) -> Result<Checked<PrepEdit>, Rejected<PrepEdit>> {
        validate::check_prep_edit(raw, facts, &instructions::<Self>())
    }
    fn item_name(item: &prep_item::Model) -> &str {
        &item.name
    }
    fn apply(baseline: Baseline<PrepList, prep_item::Model>, answer: &PrepEdit, _location: &Location) -> PrepList {
        apply::prep_edit(baseline.plan, answer, &baseline.catalog)
    }
    fn summary(answer: &PrepEdit) -> &str {
        &answer.summary
    }
    fn changed_lines(plan: &PrepList) -> u32 {
        apply::changed_prep_lines(plan)
    }
    fn header(plan: &mut PrepList) -> Header<'_> {
        prep_header(plan)
    }
}

/// The staffing plan, written whole by the model (prompt v1).
pub(super) struct StaffingV1;

impl Kind for StaffingV1 {
    type Plan = StaffingPlan;
    type Item = staff_role::Model;
    type Answer = StaffingAnswer;
    type Facts = StaffingFacts;
    const TEMPLATE: &'static Template = &prompt::STAFFING_V1;
    fn schema() -> &'static serde_json::Value {
        &STAFFING_SCHEMA
    }
    fn facts(baseline: &Baseline<StaffingPlan, staff_role::Model>, settings: &LlmSettings) -> StaffingFacts {
        prompting::staffing_facts(baseline, settings)
    }
    fn messages(
        baseline: &Baseline<StaffingPlan, staff_role::Model>,
        location: &Location,
        settings: &LlmSettings,
        notes: &NoteSignals,
        facts: &StaffingFacts,
    ) -> (String, String) {
        prompting::staffing_messages(Self::TEMPLATE, baseline, location, settings, Self::schema(), notes, facts)
    }
    fn check(raw: &str, facts: &StaffingFacts) -> Result<Checked<StaffingAnswer>, Rejected<StaffingAnswer>> {
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
    fn summary(answer: &StaffingAnswer) -> &str {
        &answer.summary
    }
    fn changed_lines(plan: &StaffingPlan) -> u32 {
        apply::changed_headcounts(plan)
    }
    fn header(plan: &mut StaffingPlan) -> Header<'_> {
        staffing_header(plan)
    }
}

/// The staffing plan as the model's changes to the baseline (prompt v2).
pub(super) struct StaffingV2;

impl Kind for StaffingV2 {
    type Plan = StaffingPlan;
    type Item = staff_role::Model;
    type Answer = StaffingEdit;
    type Facts = StaffingFacts;
    const TEMPLATE: &'static Template = &prompt::STAFFING_V2;
    fn schema() -> &'static serde_json::Value {
        &STAFFING_EDIT_SCHEMA
    }
    fn facts(baseline: &Baseline<StaffingPlan, staff_role::Model>, settings: &LlmSettings) -> StaffingFacts {
        prompting::staffing_facts(baseline, settings)
    }
    fn messages(
        baseline: &Baseline<StaffingPlan, staff_role::Model>,
        location: &Location,
        settings: &LlmSettings,
        notes: &NoteSignals,
        facts: &StaffingFacts,
    ) -> (String, String) {
        edit_prompt::staffing_messages(Self::TEMPLATE, baseline, location, settings, Self::schema(), notes, facts)
    }
    fn check(raw: &str, facts: &StaffingFacts) -> Result<Checked<StaffingEdit>, Rejected<StaffingEdit>> {
        validate::check_staffing_edit(raw, facts, &instructions::<Self>())
    }
    fn item_name(item: &staff_role::Model) -> &str {
        &item.name
    }
    fn apply(
        baseline: Baseline<StaffingPlan, staff_role::Model>,
        answer: &StaffingEdit,
        _location: &Location,
    ) -> StaffingPlan {
        apply::staffing_edit(baseline.plan, answer, &baseline.catalog)
    }
    fn summary(answer: &StaffingEdit) -> &str {
        &answer.summary
    }
    fn changed_lines(plan: &StaffingPlan) -> u32 {
        apply::changed_headcounts(plan)
    }
    fn header(plan: &mut StaffingPlan) -> Header<'_> {
        staffing_header(plan)
    }
}
