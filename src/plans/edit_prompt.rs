//! What the model is told with prompt v2: the baseline plan, line by line with the range a
//! change must stay in, and the same aggregated context as v1 (forecast, covers and bookings
//! by hour, the counts of the day's notes). It is asked for changes only, so the lines are
//! written compactly, one JSON object each.
use entity::{prep_item, staff_role};
use serde_json::{Map, Value, json};

use super::{
    baseline::Baseline,
    prompting::{common, hours_and_bookings, pretty, roles_json, round2},
    signals::NoteSignals,
    types::{PrepList, StaffingPlan},
};
use crate::{
    catalog::Location,
    config::LlmSettings,
    prompt::{self, Template},
    validate::grounding::{PrepFacts, StaffingFacts},
};

/// One JSON value a line: short enough to scan, still valid JSON as a whole.
fn lines(values: &[Value]) -> String {
    let rows: Vec<String> = values.iter().map(Value::to_string).collect();
    format!("[\n  {}\n]", rows.join(",\n  "))
}

pub fn prep_messages(
    template: &Template,
    baseline: &Baseline<PrepList, prep_item::Model>,
    location: &Location,
    settings: &LlmSettings,
    schema: &Value,
    notes: &NoteSignals,
    facts: &PrepFacts,
) -> (String, String) {
    let mut values = common(baseline, location, settings, schema, notes);
    values.extend(hours_and_bookings(&baseline.forecast));
    let items: Vec<Value> = baseline
        .plan
        .stations
        .iter()
        .flat_map(|s| s.items.iter().map(move |line| (s, line)))
        .filter_map(|(station, line)| {
            let (low, high) = facts.accepted(facts.item(&line.name)?);
            let item = baseline.catalog.iter().find(|i| i.id == line.prep_item_id)?;
            Some(json!({
                "prep_item": line.name,
                "station": station.station,
                "unit": line.unit,
                "baseline": line.suggested,
                "accepted": [round2(low), round2(high)],
                "batch": item.batch_size,
                "on_hand": line.on_hand,
                "need": line.need,
            }))
        })
        .collect();
    values.push(("items", lines(&items)));
    (prompt::render(template.system, &values), prompt::render(template.user, &values))
}

pub fn staffing_messages(
    template: &Template,
    baseline: &Baseline<StaffingPlan, staff_role::Model>,
    location: &Location,
    settings: &LlmSettings,
    schema: &Value,
    notes: &NoteSignals,
    facts: &StaffingFacts,
) -> (String, String) {
    let mut values = common(baseline, location, settings, schema, notes);
    let roles = roles_json(&baseline.catalog);
    let blocks: Vec<Value> = facts
        .blocks
        .iter()
        .zip(&baseline.plan.blocks)
        .map(|(fact, block)| {
            let staff: Map<String, Value> = facts
                .roles
                .iter()
                .filter_map(|role| {
                    let (low, high) = facts.accepted_headcount(fact, role)?;
                    let base = fact.baseline.get(&role.name)?;
                    Some((role.name.clone(), json!({"baseline": base, "accepted": [low, high]})))
                })
                .collect();
            json!({"block": fact.start, "end": fact.end, "covers": block.expected_covers,
                   "orders": block.expected_orders, "staff": staff})
        })
        .collect();
    values.push(("roles", pretty(&roles)));
    values.push(("blocks", lines(&blocks)));
    (prompt::render(template.system, &values), prompt::render(template.user, &values))
}
