//! A plan's life once published. The plan the model was asked for is stored; reads serve it as
//! it is until it is replaced, whatever new orders or bookings arrive. Each time the data has
//! moved, the baseline is worked out again (no model call) and compared with the baseline the
//! plan was made beside: the answer says what moved, and a material change (expected covers
//! past the thresholds, a baseline quantity moved by a batch, a headcount moved, the rules or
//! the opening hours changed) makes a new plan, within a cap per location and service day.
use std::collections::BTreeMap;

use chrono::NaiveDate;
use entity::{plan, prep_item, staff_role};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::Value;

use super::{
    baseline::Baseline,
    types::{ForecastSummary, MovedLine, PrepList, SincePublished, StaffingPlan},
};
use crate::{
    config::Replan,
    domain::{PlanKind, PlanSource, PlanTrigger, fingerprint::fingerprint_hex},
    error::ApiError,
};

/// The baseline's numbers a plan was made beside (or that the data gives now), and the rules
/// they were made under.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub expected_covers: f64,
    pub booked_covers: f64,
    /// Per line (prep item id, or block start and role id): its label and the baseline's number.
    pub lines: BTreeMap<String, (String, f64)>,
    /// [`rules_fingerprint`] of the plan.
    pub rules: Option<String>,
}

/// The fields of a catalog row that are rules a plan is made under, written out one by one (a
/// column added to the table later changes no stored fingerprint).
pub trait Rules {
    fn rules(&self) -> String;
}

impl Rules for prep_item::Model {
    fn rules(&self) -> String {
        format!(
            "{}|{}|{}|{}|{}|{}|{:?}|{}|{}|{}",
            self.id,
            self.station_id,
            self.name,
            self.unit,
            self.batch_size,
            self.min_batch,
            self.max_batch,
            self.shelf_life_hours,
            self.prep_minutes,
            self.par
        )
    }
}

impl Rules for staff_role::Model {
    fn rules(&self) -> String {
        format!("{}|{}|{}|{}|{}|{}", self.id, self.name, self.driver, self.ratio, self.min_staff, self.max_staff)
    }
}

/// The catalog rows a plan uses (items with their batch rules, or roles with their labor rules)
/// and the service day's hours, fingerprinted.
pub fn rules_fingerprint<P, C: Rules>(baseline: &Baseline<P, C>) -> String {
    let rows: Vec<String> = baseline.catalog.iter().map(Rules::rules).collect();
    fingerprint_hex(&format!("{}#{}–{}", rows.join(";"), baseline.hours.opens, baseline.hours.closes))
}

impl Snapshot {
    pub fn of_prep(baseline: &Baseline<PrepList, prep_item::Model>) -> Self {
        let plan = &baseline.plan;
        let lines = plan
            .stations
            .iter()
            .flat_map(|s| &s.items)
            .map(|l| (l.prep_item_id.to_string(), (l.name.clone(), l.baseline_suggested)))
            .collect();
        Self::of_baseline(&plan.forecast, lines, rules_fingerprint(baseline))
    }

    pub fn of_staffing(baseline: &Baseline<StaffingPlan, staff_role::Model>) -> Self {
        let plan = &baseline.plan;
        let lines = plan
            .blocks
            .iter()
            .flat_map(|b| b.staff.iter().map(move |s| (b, s)))
            .map(|(b, s)| {
                (
                    format!("{}/{}", b.start, s.role_id),
                    (format!("{} {}", s.role, b.start), f64::from(s.baseline_headcount)),
                )
            })
            .collect();
        Self::of_baseline(&plan.forecast, lines, rules_fingerprint(baseline))
    }

    fn of_baseline(forecast: &ForecastSummary, lines: BTreeMap<String, (String, f64)>, rules: String) -> Self {
        Self {
            expected_covers: forecast.expected_covers,
            booked_covers: forecast.booked_covers,
            lines,
            rules: Some(rules),
        }
    }

    /// The baseline's numbers as a stored plan kept them beside its own.
    pub fn of_published(kind: PlanKind, stored: &plan::Model) -> Option<Self> {
        let body = &stored.body;
        let number = |v: &Value| v.as_f64();
        let mut lines = BTreeMap::new();
        match kind {
            PlanKind::PrepList => {
                for line in
                    body["stations"].as_array()?.iter().flat_map(|s| s["items"].as_array().into_iter().flatten())
                {
                    let label = line["name"].as_str()?.to_owned();
                    lines.insert(
                        line["prep_item_id"].as_i64()?.to_string(),
                        (label, number(&line["baseline_suggested"])?),
                    );
                }
            }
            PlanKind::Staffing => {
                for block in body["blocks"].as_array()? {
                    let start = block["start"].as_str()?;
                    for staff in block["staff"].as_array()? {
                        let label = format!("{} {start}", staff["role"].as_str()?);
                        let key = format!("{start}/{}", staff["role_id"].as_i64()?);
                        lines.insert(key, (label, number(&staff["baseline_headcount"])?));
                    }
                }
            }
        }
        Some(Self {
            expected_covers: number(&body["forecast"]["expected_covers"])?,
            booked_covers: number(&body["forecast"]["booked_covers"])?,
            lines,
            rules: stored.rules_fingerprint.clone(),
        })
    }
}

/// What changed from `then` (the published plan's baseline) to `now`, and whether it is material
/// under `replan`.
pub fn compare(kind: PlanKind, then: &Snapshot, now: &Snapshot, replan: Replan) -> SincePublished {
    let mut moved = Vec::new();
    for (key, (label, value)) in &now.lines {
        match then.lines.get(key) {
            Some((_, before)) if (before - value).abs() < 1e-9 => {}
            Some((_, before)) => moved.push(MovedLine { line: label.clone(), then: *before, now: *value }),
            None => moved.push(MovedLine { line: label.clone(), then: 0.0, now: *value }),
        }
    }
    for (key, (label, before)) in &then.lines {
        if !now.lines.contains_key(key) {
            moved.push(MovedLine { line: label.clone(), then: *before, now: 0.0 });
        }
    }
    let mut material = Vec::new();
    let delta = (now.expected_covers - then.expected_covers).abs();
    if delta > replan.covers_share * then.expected_covers && delta >= replan.covers_min && delta > 0.0 {
        material.push(format!(
            "expected covers moved from {:.1} to {:.1}, past {:.0} % and {} covers",
            then.expected_covers,
            now.expected_covers,
            replan.covers_share * 100.0,
            replan.covers_min
        ));
    }
    if !moved.is_empty() {
        material.push(match kind {
            PlanKind::PrepList => format!("{} baseline prep quantities moved by a batch or more", moved.len()),
            PlanKind::Staffing => format!("{} baseline headcounts moved", moved.len()),
        });
    }
    if then.rules.is_some() && then.rules != now.rules {
        material.push("the catalog rules or the opening hours the plan uses changed".to_owned());
    }
    SincePublished {
        expected_covers_then: then.expected_covers,
        expected_covers_now: now.expected_covers,
        booked_covers_then: then.booked_covers,
        booked_covers_now: now.booked_covers,
        moved,
        material,
        regeneration_due: false,
    }
}

/// The plan published for a location, kind and service day: the latest stored that holds a
/// model's checked answer. A fallback is not published: the model is asked again once its short
/// cache time is over, as it would be with no plan. Plans stored before lines carried their
/// origin are not published plans either (they are made again).
pub async fn published(
    db: &DatabaseConnection,
    location_id: i64,
    kind: PlanKind,
    date: NaiveDate,
) -> Result<Option<plan::Model>, ApiError> {
    let found = plan::Entity::find()
        .filter(plan::Column::LocationId.eq(location_id))
        .filter(plan::Column::Kind.eq(kind.as_str()))
        .filter(plan::Column::ServiceDate.eq(date))
        .filter(plan::Column::Source.is_in(PlanSource::FROM_MODEL.map(PlanSource::as_str)))
        .order_by_desc(plan::Column::Id)
        .one(db)
        .await?;
    Ok(found.filter(|p| p.body["provenance"].get("changed_lines").is_some()))
}

/// Plans a location's data made on their own for a service day (both kinds): what the cap counts.
pub async fn automatic_regenerations(
    db: &DatabaseConnection,
    location_id: i64,
    date: NaiveDate,
) -> Result<u64, ApiError> {
    Ok(plan::Entity::find()
        .filter(plan::Column::LocationId.eq(location_id))
        .filter(plan::Column::ServiceDate.eq(date))
        .filter(plan::Column::Trigger.eq(PlanTrigger::MaterialChange.as_str()))
        .count(db)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(covers: f64, lines: &[(&str, f64)]) -> Snapshot {
        Snapshot {
            expected_covers: covers,
            booked_covers: 0.0,
            lines: lines.iter().map(|(k, v)| ((*k).to_owned(), ((*k).to_owned(), *v))).collect(),
            rules: Some("r".to_owned()),
        }
    }

    #[test]
    fn covers_are_material_past_both_thresholds() {
        let replan = Replan { covers_share: 0.1, covers_min: 5.0, daily_cap: 3 };
        let then = snapshot(100.0, &[("1", 20.0)]);
        let small = compare(PlanKind::PrepList, &then, &snapshot(109.0, &[("1", 20.0)]), replan);
        assert!(small.material.is_empty(), "9 % is no news: {small:?}");
        let big = compare(PlanKind::PrepList, &then, &snapshot(111.0, &[("1", 20.0)]), replan);
        assert_eq!(big.material.len(), 1, "{big:?}");
        let quiet = compare(PlanKind::PrepList, &snapshot(8.0, &[]), &snapshot(10.0, &[]), replan);
        assert!(quiet.material.is_empty(), "25 % of a quiet day but 2 covers: {quiet:?}");
    }

    #[test]
    fn a_moved_line_or_changed_rules_are_material_whatever_the_covers() {
        let replan = Replan::default();
        let then = snapshot(100.0, &[("1", 20.0), ("2", 5.0)]);
        let moved = compare(PlanKind::PrepList, &then, &snapshot(100.0, &[("1", 30.0), ("2", 5.0)]), replan);
        assert_eq!(moved.moved.len(), 1);
        assert_eq!((moved.moved[0].then, moved.moved[0].now), (20.0, 30.0));
        assert_eq!(moved.material, ["1 baseline prep quantities moved by a batch or more"]);
        let mut rules = then.clone();
        rules.rules = Some("other".to_owned());
        let changed = compare(PlanKind::Staffing, &then, &rules, replan);
        assert_eq!(changed.material, ["the catalog rules or the opening hours the plan uses changed"]);
        assert!(compare(PlanKind::Staffing, &then, &then, replan).material.is_empty());
    }
}
