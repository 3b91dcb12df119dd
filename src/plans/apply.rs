//! Turns an accepted answer into the plan the API serves: the baseline plan's structure and
//! numbers, with the model's quantities, times and headcounts in place, each changed line
//! marked as the model's with its reason. A v1 answer rewrites every line (a line it left as
//! the baseline had it stays the baseline's); a v2 answer names only the lines it changes.
use chrono::TimeZone;
use entity::{prep_item, staff_role};

use super::{
    headcounts,
    types::{PrepLine, PrepList, RoleHeadcount, StaffingPlan},
};
use crate::{
    catalog::Location,
    domain::{LineOrigin, opening_hours::parse_hhmm},
    llm::{PrepAnswer, PrepEdit, StaffingAnswer, StaffingEdit},
};

/// Sets a prep line to `quantity`, in whole batches of the item.
fn set_quantity(line: &mut PrepLine, quantity: f64, items: &[prep_item::Model]) {
    let batch_size = items.iter().find(|i| i.id == line.prep_item_id).map_or(0.0, |i| i.batch_size);
    line.suggested = quantity;
    line.batches = if quantity <= 0.0 || batch_size <= 0.0 { 0 } else { (quantity / batch_size - 1e-9).ceil() as u32 };
}

/// Marks a line the model changed, with its reason (trimmed; none when empty).
fn mark(origin: &mut LineOrigin, model_reason: &mut Option<String>, reason: &str) {
    *origin = LineOrigin::Model;
    let reason = reason.trim();
    *model_reason = (!reason.is_empty()).then(|| reason.to_owned());
}

fn sort_stations(plan: &mut PrepList) {
    for station in &mut plan.stations {
        station.items.sort_by(|a, b| a.start_by.cmp(&b.start_by).then_with(|| a.name.cmp(&b.name)));
    }
}

pub fn prep(mut plan: PrepList, answer: &PrepAnswer, items: &[prep_item::Model], location: &Location) -> PrepList {
    for line in plan.stations.iter_mut().flat_map(|s| s.items.iter_mut()) {
        let Some(given) = answer.items.iter().find(|a| a.prep_item == line.name) else { continue };
        let (quantity, start_by) = (line.suggested, line.start_by);
        set_quantity(line, given.quantity, items);
        if let Ok(time) = parse_hhmm(&given.start_by)
            && let Some(start) = location.timezone.from_local_datetime(&plan.date.and_time(time)).earliest()
        {
            line.start_by = start.fixed_offset();
        }
        if line.suggested != quantity || line.start_by != start_by {
            mark(&mut line.origin, &mut line.model_reason, &given.reason);
        }
    }
    sort_stations(&mut plan);
    plan
}

/// Prompt v2: the changed items' quantities; a change to the baseline's own number is no change.
pub fn prep_edit(mut plan: PrepList, edit: &PrepEdit, items: &[prep_item::Model]) -> PrepList {
    for line in plan.stations.iter_mut().flat_map(|s| s.items.iter_mut()) {
        let Some(change) = edit.changes.iter().find(|c| c.prep_item == line.name) else { continue };
        if (change.quantity - line.suggested).abs() > 1e-9 {
            set_quantity(line, change.quantity, items);
            mark(&mut line.origin, &mut line.model_reason, &change.reason);
        }
    }
    sort_stations(&mut plan);
    plan
}

fn set_headcount(staff: &mut RoleHeadcount, headcount: u32, reason: &str) {
    if staff.headcount != headcount {
        staff.headcount = headcount;
        mark(&mut staff.origin, &mut staff.model_reason, reason);
    }
}

pub fn staffing(mut plan: StaffingPlan, answer: &StaffingAnswer, roles: &[staff_role::Model]) -> StaffingPlan {
    for (block, given) in plan.blocks.iter_mut().zip(&answer.blocks) {
        for staff in &mut block.staff {
            if let Some(g) = given.staff.iter().find(|g| g.role == staff.role) {
                set_headcount(staff, g.headcount, "");
            }
        }
    }
    plan.roles = headcounts::role_totals(&plan.blocks, roles);
    plan
}

/// Prompt v2: the changed headcounts, by block start and role.
pub fn staffing_edit(mut plan: StaffingPlan, edit: &StaffingEdit, roles: &[staff_role::Model]) -> StaffingPlan {
    for change in &edit.changes {
        let Some(block) = plan.blocks.iter_mut().find(|b| b.start == change.block) else { continue };
        let Some(staff) = block.staff.iter_mut().find(|s| s.role == change.role) else { continue };
        set_headcount(staff, change.headcount, &change.reason);
    }
    plan.roles = headcounts::role_totals(&plan.blocks, roles);
    plan
}

/// Lines of a prep list the model changed.
pub fn changed_prep_lines(plan: &PrepList) -> u32 {
    plan.stations.iter().flat_map(|s| &s.items).filter(|l| l.origin == LineOrigin::Model).count() as u32
}

/// Headcounts of a staffing plan the model changed.
pub fn changed_headcounts(plan: &StaffingPlan) -> u32 {
    plan.blocks.iter().flat_map(|b| &b.staff).filter(|s| s.origin == LineOrigin::Model).count() as u32
}
