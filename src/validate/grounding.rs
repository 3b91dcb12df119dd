//! Grounding: an answer that parses and fits the schema must still agree with the data.
//! Every item and role exists in the location's catalog, units match, nothing is listed
//! twice or left out, numbers stay within the band around the baseline, times lie inside the
//! service day, headcounts within each role's min..max.
//!
//! The band is the forecast's P10–P90 range carried to the quantity (prep to make, people per
//! block) when the forecast has one, and the configured ratio band otherwise; either way the
//! band's absolute floor keeps small numbers from being pinned to the baseline.
use std::collections::{HashMap, HashSet};

use chrono::NaiveTime;

use super::{Issue, Stage};
use crate::{
    config::Band,
    domain::{Unit, opening_hours::parse_hhmm},
    llm::{PrepAnswer, StaffingAnswer},
};

fn issue(kind: &'static str, path: impl Into<String>, message: impl Into<String>) -> Issue {
    Issue::new(Stage::Grounding, kind, path, message)
}

/// What an answer may say instead of `baseline`: the forecast's `range` widened to at least
/// the band's floor around the baseline, or the band itself when there is no range.
pub fn accepted(band: &Band, baseline: f64, range: Option<(f64, f64)>) -> (f64, f64) {
    match range {
        Some((low, high)) => (low.min(baseline - band.floor).max(0.0), high.max(baseline + band.floor)),
        None => band.bounds(baseline),
    }
}

pub(super) fn within((low, high): (f64, f64), value: f64) -> bool {
    value >= low - 1e-9 && value <= high + 1e-9
}

/// What a prep item's answer is checked against.
#[derive(Debug, Clone)]
pub struct PrepItemFact {
    pub name: String,
    pub unit: Unit,
    /// The baseline's quantity to prepare.
    pub baseline: f64,
    /// What to prepare at the forecast's P10 and P90, when it has a range.
    pub range: Option<(f64, f64)>,
}

#[derive(Debug, Clone)]
pub struct PrepFacts {
    pub items: Vec<PrepItemFact>,
    /// Opening time of the service day: prep must start before it.
    pub opens: NaiveTime,
    pub band: Band,
}

impl PrepFacts {
    pub fn item(&self, name: &str) -> Option<&PrepItemFact> {
        self.items.iter().find(|i| i.name == name)
    }

    /// What the model may prepare of `item` instead of the baseline's quantity.
    pub fn accepted(&self, item: &PrepItemFact) -> (f64, f64) {
        accepted(&self.band, item.baseline, item.range)
    }

    pub fn check(&self, answer: &PrepAnswer) -> Vec<Issue> {
        let mut issues = Vec::new();
        let mut seen = HashSet::new();
        for (i, item) in answer.items.iter().enumerate() {
            let path = format!("items[{i}]");
            let Some(fact) = self.item(&item.prep_item) else {
                issues.push(issue(
                    "unknown prep item",
                    format!("{path}.prep_item"),
                    format!("{:?} is not a prep item of this kitchen", item.prep_item),
                ));
                continue;
            };
            if !seen.insert(fact.name.as_str()) {
                issues.push(issue(
                    "prep item listed twice",
                    format!("{path}.prep_item"),
                    format!("{:?} is listed more than once", fact.name),
                ));
            }
            if Unit::parse(&item.unit) != Some(fact.unit) {
                issues.push(issue(
                    "wrong unit",
                    format!("{path}.unit"),
                    format!("{:?} is not the catalog's unit for {:?} ({})", item.unit, fact.name, fact.unit),
                ));
            }
            let bounds = accepted(&self.band, fact.baseline, fact.range);
            if !within(bounds, item.quantity) {
                let (low, high) = bounds;
                issues.push(issue(
                    "quantity out of range",
                    format!("{path}.quantity"),
                    format!(
                        "{} {} of {:?} is outside the accepted range {low:.2}–{high:.2} around the forecast's {:.2}",
                        item.quantity, item.unit, fact.name, fact.baseline
                    ),
                ));
            }
            match parse_hhmm(&item.start_by) {
                Ok(start) if start > self.opens => issues.push(issue(
                    "start after opening",
                    format!("{path}.start_by"),
                    format!(
                        "{} is after opening time ({}); prep must be ready by then",
                        item.start_by,
                        self.opens.format("%H:%M")
                    ),
                )),
                Ok(_) => {}
                Err(e) => issues.push(issue("unreadable time", format!("{path}.start_by"), e)),
            }
        }
        let missing: Vec<&str> = self.items.iter().map(|i| i.name.as_str()).filter(|n| !seen.contains(n)).collect();
        if !missing.is_empty() {
            issues.push(issue(
                "missing prep items",
                "items",
                format!("missing prep items (list every one, 0 if none needed): {}", missing.join(", ")),
            ));
        }
        issues
    }
}

#[derive(Debug, Clone)]
pub struct RoleFact {
    pub name: String,
    pub min: u32,
    pub max: u32,
}

/// One time block and the baseline's headcount per role in it.
#[derive(Debug, Clone)]
pub struct BlockFact {
    pub start: String,
    pub end: String,
    pub baseline: HashMap<String, u32>,
    /// Headcount per role at the forecast's P10 and P90, when it has a range.
    pub ranges: HashMap<String, (u32, u32)>,
}

#[derive(Debug, Clone)]
pub struct StaffingFacts {
    pub blocks: Vec<BlockFact>,
    pub roles: Vec<RoleFact>,
    pub opens: NaiveTime,
    pub closes: NaiveTime,
    pub band: Band,
}

impl StaffingFacts {
    /// The headcounts of `role` the model may give in `block` instead of the baseline's: its
    /// accepted range in whole people, within the role's limits. `None` when the baseline has
    /// no headcount for the role there.
    pub fn accepted_headcount(&self, block: &BlockFact, role: &RoleFact) -> Option<(u32, u32)> {
        let base = f64::from(*block.baseline.get(&role.name)?);
        let range = block.ranges.get(&role.name).map(|(l, h)| (f64::from(*l), f64::from(*h)));
        let (low, high) = accepted(&self.band, base, range);
        let low = low.ceil().max(f64::from(role.min));
        let high = high.floor().min(f64::from(role.max));
        Some((low as u32, high as u32))
    }

    pub fn check(&self, answer: &StaffingAnswer) -> Vec<Issue> {
        let mut issues = Vec::new();
        let hours = format!("{}–{}", self.opens.format("%H:%M"), self.closes.format("%H:%M"));
        if answer.blocks.len() != self.blocks.len() {
            issues.push(issue(
                "wrong number of blocks",
                "blocks",
                format!(
                    "expected {} blocks (one per hour block of {hours}), got {}",
                    self.blocks.len(),
                    answer.blocks.len()
                ),
            ));
        }
        for (b, block) in answer.blocks.iter().enumerate() {
            let path = format!("blocks[{b}]");
            for (field, text) in [("start", &block.start), ("end", &block.end)] {
                match parse_hhmm(text) {
                    Ok(t) if t < self.opens || t > self.closes => issues.push(issue(
                        "time outside opening hours",
                        format!("{path}.{field}"),
                        format!("{text} is outside opening hours {hours}"),
                    )),
                    Ok(_) => {}
                    Err(e) => issues.push(issue("unreadable time", format!("{path}.{field}"), e)),
                }
            }
            let Some(fact) = self.blocks.get(b) else { continue };
            if block.start != fact.start || block.end != fact.end {
                issues.push(issue(
                    "wrong block times",
                    path.clone(),
                    format!("block {}–{} should be {}–{}", block.start, block.end, fact.start, fact.end),
                ));
            }
            let mut seen = HashSet::new();
            for (s, staff) in block.staff.iter().enumerate() {
                let spath = format!("{path}.staff[{s}]");
                let Some(role) = self.roles.iter().find(|r| r.name == staff.role) else {
                    issues.push(issue(
                        "unknown role",
                        format!("{spath}.role"),
                        format!("{:?} is not a role of this location", staff.role),
                    ));
                    continue;
                };
                if !seen.insert(role.name.as_str()) {
                    issues.push(issue(
                        "role listed twice",
                        format!("{spath}.role"),
                        format!("{:?} is listed twice in this block", role.name),
                    ));
                }
                if staff.headcount < role.min || staff.headcount > role.max {
                    issues.push(issue(
                        "headcount outside the role's limits",
                        format!("{spath}.headcount"),
                        format!(
                            "{} {} is outside the role's limits {}–{}",
                            staff.headcount, role.name, role.min, role.max
                        ),
                    ));
                } else if let Some(base) = fact.baseline.get(&role.name) {
                    let range = fact.ranges.get(&role.name).map(|(l, h)| (f64::from(*l), f64::from(*h)));
                    let (low, high) = accepted(&self.band, f64::from(*base), range);
                    if !within((low, high), f64::from(staff.headcount)) {
                        issues.push(issue(
                            "headcount out of range",
                            format!("{spath}.headcount"),
                            format!(
                                "{} {} is too far from the forecast's {base} for {}–{} (accepted: {}–{})",
                                staff.headcount,
                                role.name,
                                fact.start,
                                fact.end,
                                low.ceil(),
                                high.floor()
                            ),
                        ));
                    }
                }
            }
            let missing: Vec<&str> = self.roles.iter().map(|r| r.name.as_str()).filter(|n| !seen.contains(n)).collect();
            if !missing.is_empty() {
                issues.push(issue(
                    "missing roles",
                    format!("{path}.staff"),
                    format!("missing roles: {}", missing.join(", ")),
                ));
            }
        }
        issues
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forecast_range_replaces_the_ratio_band_but_keeps_its_floor() {
        let band = Band::default();
        assert_eq!(accepted(&band, 20.0, None), (10.0, 40.0), "0.5× to 2×");
        assert_eq!(accepted(&band, 20.0, Some((16.0, 26.0))), (16.0, 26.0));
        assert_eq!(accepted(&band, 20.0, Some((19.5, 20.5))), (18.0, 22.0), "never tighter than the floor");
        assert_eq!(accepted(&band, 1.0, Some((0.8, 1.2))), (0.0, 3.0));
    }
}
