//! Turns an accepted answer into the plan the API serves: the baseline plan's structure and
//! numbers, with the model's quantities, times, headcounts and reasons in place.
use chrono::TimeZone;
use entity::{prep_item, staff_role};

use super::{
    headcounts,
    types::{PrepList, StaffingPlan},
};
use crate::{
    catalog::Location,
    domain::opening_hours::parse_hhmm,
    llm::{PrepAnswer, StaffingAnswer},
};

pub fn prep(mut plan: PrepList, answer: &PrepAnswer, items: &[prep_item::Model], location: &Location) -> PrepList {
    for line in plan.stations.iter_mut().flat_map(|s| s.items.iter_mut()) {
        let Some(given) = answer.items.iter().find(|a| a.prep_item == line.name) else { continue };
        let batch_size = items.iter().find(|i| i.id == line.prep_item_id).map_or(0.0, |i| i.batch_size);
        line.suggested = given.quantity;
        line.batches = if given.quantity <= 0.0 || batch_size <= 0.0 {
            0
        } else {
            (given.quantity / batch_size - 1e-9).ceil() as u32
        };
        if let Ok(time) = parse_hhmm(&given.start_by)
            && let Some(start) = location.timezone.from_local_datetime(&plan.date.and_time(time)).earliest()
        {
            line.start_by = start.fixed_offset();
        }
        line.rationale = format!("{} (baseline: {} {})", given.reason.trim(), line.baseline_suggested, line.unit);
    }
    for station in &mut plan.stations {
        station.items.sort_by(|a, b| a.start_by.cmp(&b.start_by).then_with(|| a.name.cmp(&b.name)));
    }
    plan
}

pub fn staffing(mut plan: StaffingPlan, answer: &StaffingAnswer, roles: &[staff_role::Model]) -> StaffingPlan {
    for (block, given) in plan.blocks.iter_mut().zip(&answer.blocks) {
        for staff in &mut block.staff {
            if let Some(g) = given.staff.iter().find(|g| g.role == staff.role) {
                staff.headcount = g.headcount;
            }
        }
    }
    plan.roles = headcounts::role_totals(&plan.blocks, roles);
    plan
}
