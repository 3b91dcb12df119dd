//! What the model is told: the baseline plan and the data behind it, rendered into the
//! versioned templates, and the facts its answer is then checked against. The prompt's size
//! depends on the catalog and the opening hours, never on the number of orders.
use std::collections::HashMap;

use entity::{prep_item, staff_role};
use serde_json::{Value, json};

use super::{
    baseline::Baseline,
    headcounts, prep_quantities,
    signals::NoteSignals,
    types::{PrepLine, PrepList, StaffingBlock, StaffingPlan},
};
use crate::{
    catalog::Location,
    config::{LlmSettings, NoteText, OutputMode},
    domain::opening_hours::{format_hhmm, parse_hhmm},
    forecast::Forecast,
    prompt::{self, Template},
    validate::grounding::{BlockFact, PrepFacts, PrepItemFact, RoleFact, StaffingFacts},
};

pub(super) fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

pub(super) fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// What the model gets of the day's reservation notes: the counts per hour, and the redacted
/// text only where the operator opted in to it.
fn note_block(notes: &NoteSignals, text: NoteText) -> String {
    match text {
        NoteText::None => pretty(&json!({"by_hour": notes.by_hour})),
        NoteText::Redacted => pretty(&json!({"by_hour": notes.by_hour, "notes": notes.notes})),
    }
}

/// Values every template shares.
pub(super) fn common<P, C>(
    baseline: &Baseline<P, C>,
    location: &Location,
    settings: &LlmSettings,
    schema: &Value,
    notes: &NoteSignals,
) -> Vec<(&'static str, String)> {
    let schema_block = match settings.output_mode {
        OutputMode::JsonSchema => String::new(),
        OutputMode::JsonObject | OutputMode::Prompt => {
            format!("\nThe JSON object must match this JSON schema:\n```json\n{}\n```", pretty(schema))
        }
    };
    let f = &baseline.forecast;
    vec![
        ("notes", note_block(notes, settings.note_text)),
        ("schema_block", schema_block),
        ("location", location.name.clone()),
        ("date", f.date.to_string()),
        ("weekday", f.date.format("%A").to_string()),
        ("opens", format_hhmm(baseline.hours.opens)),
        ("closes", format_hhmm(baseline.hours.closes)),
        ("timezone", location.timezone.name().to_owned()),
        (
            "forecast",
            pretty(&json!({
                "expected_covers": round2(f.expected_covers),
                "expected_orders": round2(f.expected_orders),
                "walk_in_covers": round2(f.walk_in_covers),
                "reserved_covers_expected": round2(f.reserved_covers),
                "covers_booked": round2(f.booked_covers),
                "no_show_rate": round2(f.no_show_rate),
                "same_weekdays_in_history": f.history_days,
            })),
        ),
    ]
}

/// The day's expected covers and orders by hour, and the covers booked by hour.
pub(super) fn hours_and_bookings(f: &Forecast) -> [(&'static str, String); 2] {
    let hours: Vec<Value> = f
        .by_hour
        .iter()
        .map(|h| json!({"hour": h.hour, "covers": round2(h.covers), "orders": round2(h.orders)}))
        .collect();
    let bookings: Vec<Value> = f.booked_by_hour.iter().map(|(h, c)| json!({"hour": h, "covers": c})).collect();
    [("hours", pretty(&Value::Array(hours))), ("bookings", pretty(&Value::Array(bookings)))]
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
    let by_id: HashMap<i64, &prep_item::Model> = baseline.catalog.iter().map(|p| (p.id, p)).collect();
    let items: Vec<Value> = baseline
        .plan
        .stations
        .iter()
        .flat_map(|s| s.items.iter().map(move |line| (s, line)))
        .filter_map(|(station, line)| {
            let item = by_id.get(&line.prep_item_id)?;
            Some(json!({
                "prep_item": line.name,
                "station": station.station,
                "unit": line.unit,
                "batch_size": item.batch_size,
                "min_batch": item.min_batch,
                "max_batch": item.max_batch,
                "shelf_life_hours": item.shelf_life_hours,
                "prep_minutes": item.prep_minutes,
                "par": item.par,
                "on_hand": line.on_hand,
                "forecast_need": line.need,
                "baseline_quantity": line.suggested,
                "baseline_start_by": line.start_by.format("%H:%M").to_string(),
                "accepted_range": facts.item(&line.name).map(|fact| {
                    let (low, high) = facts.accepted(fact);
                    json!([round2(low), round2(high)])
                }),
            }))
        })
        .collect();
    values.push(("items", pretty(&Value::Array(items))));
    (prompt::render(template.system, &values), prompt::render(template.user, &values))
}

pub fn prep_facts(baseline: &Baseline<PrepList, prep_item::Model>, settings: &LlmSettings) -> PrepFacts {
    let ratios = baseline.forecast.range.as_ref().map(|r| r.ratios(baseline.forecast.expected_covers));
    let by_id: HashMap<i64, &prep_item::Model> = baseline.catalog.iter().map(|p| (p.id, p)).collect();
    let items = baseline
        .plan
        .stations
        .iter()
        .flat_map(|s| &s.items)
        .map(|line| PrepItemFact {
            name: line.name.clone(),
            unit: line.unit,
            baseline: line.suggested,
            range: ratios
                .zip(by_id.get(&line.prep_item_id))
                .map(|((low, high), item)| prep_range(line, item, low, high)),
        })
        .collect();
    PrepFacts { items, opens: baseline.hours.opens, band: settings.band }
}

/// What to make if the day brings its P10 or its P90 of covers: the need scaled (at least
/// par), less what is on hand; the high end in whole batches, as the baseline would make it.
fn prep_range(line: &PrepLine, item: &prep_item::Model, low: f64, high: f64) -> (f64, f64) {
    let need = |ratio: f64| (line.need * ratio).max(item.par);
    let least = (need(low) - line.on_hand).max(0.0);
    let most = prep_quantities::batch(need(high), line.on_hand, item).0;
    (least.min(line.suggested), most.max(line.suggested))
}

/// The roles and their labor rules, as both prompt versions show them.
pub(super) fn roles_json(roles: &[staff_role::Model]) -> Value {
    let rows = roles.iter().map(|r| {
        json!({"role": r.name, "driver": r.driver, "per_person_per_hour": r.ratio, "min": r.min_staff, "max": r.max_staff})
    });
    Value::Array(rows.collect())
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
    let blocks: Vec<Value> = baseline
        .plan
        .blocks
        .iter()
        .zip(&facts.blocks)
        .map(|(b, fact)| {
            let staff: serde_json::Map<String, Value> =
                b.staff.iter().map(|s| (s.role.clone(), json!(s.headcount))).collect();
            let accepted_headcount: serde_json::Map<String, Value> = facts
                .roles
                .iter()
                .filter_map(|role| Some((role.name.clone(), json!(facts.accepted_headcount(fact, role)?))))
                .collect();
            json!({"start": b.start, "end": b.end, "expected_covers": b.expected_covers,
                   "expected_orders": b.expected_orders, "baseline_headcount": staff,
                   "accepted_headcount": accepted_headcount})
        })
        .collect();
    values.push(("roles", pretty(&roles)));
    values.push(("blocks", pretty(&Value::Array(blocks))));
    (prompt::render(template.system, &values), prompt::render(template.user, &values))
}

pub fn staffing_facts(baseline: &Baseline<StaffingPlan, staff_role::Model>, settings: &LlmSettings) -> StaffingFacts {
    let ratios = baseline.forecast.range.as_ref().map(|r| r.ratios(baseline.forecast.expected_covers));
    let roles: HashMap<i64, &staff_role::Model> = baseline.catalog.iter().map(|r| (r.id, r)).collect();
    StaffingFacts {
        blocks: baseline
            .plan
            .blocks
            .iter()
            .map(|b| BlockFact {
                start: b.start.clone(),
                end: b.end.clone(),
                baseline: b.staff.iter().map(|s| (s.role.clone(), s.headcount)).collect(),
                ranges: match ratios {
                    Some((low, high)) => b
                        .staff
                        .iter()
                        .filter_map(|s| {
                            let role = roles.get(&s.role_id)?;
                            let per_hour = s.driver_value / block_hours(b)?;
                            let count = |ratio: f64| headcounts::headcount(per_hour * ratio, role);
                            Some((s.role.clone(), (count(low).min(s.headcount), count(high).max(s.headcount))))
                        })
                        .collect(),
                    None => HashMap::new(),
                },
            })
            .collect(),
        roles: baseline
            .catalog
            .iter()
            .map(|r| RoleFact { name: r.name.clone(), min: r.min_staff.max(0) as u32, max: r.max_staff.max(0) as u32 })
            .collect(),
        opens: baseline.hours.opens,
        closes: baseline.hours.closes,
        band: settings.band,
    }
}

/// Length of a block in hours (`None` if its times do not parse or it is empty).
fn block_hours(block: &StaffingBlock) -> Option<f64> {
    let (start, end) = (parse_hhmm(&block.start).ok()?, parse_hhmm(&block.end).ok()?);
    let hours = (end - start).num_minutes() as f64 / 60.0;
    (hours > 0.0).then_some(hours)
}
