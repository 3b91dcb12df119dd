//! Staffing arithmetic: per role and hourly block over opening hours,
//! headcount = expected driver / ratio, rounded up and clamped to the role's min..max.
use chrono::Timelike;
use entity::staff_role;

use super::types::{RoleHeadcount, StaffingBlock, StaffingRoleTotal, round1};
use crate::{
    domain::{
        DayHours, LaborDriver, LineOrigin,
        opening_hours::{format_hhmm, parse_hhmm},
    },
    forecast::Forecast,
};

pub fn headcount(driver_value: f64, role: &staff_role::Model) -> u32 {
    let needed = if role.ratio > 0.0 { (driver_value / role.ratio - 1e-9).ceil() } else { 0.0 };
    needed.clamp(f64::from(role.min_staff), f64::from(role.max_staff)) as u32
}

/// Peak headcount and staff hours per role over the blocks.
pub fn role_totals(blocks: &[StaffingBlock], roles: &[staff_role::Model]) -> Vec<StaffingRoleTotal> {
    let mut totals: Vec<StaffingRoleTotal> = roles
        .iter()
        .map(|r| StaffingRoleTotal { role_id: r.id, role: r.name.clone(), peak_headcount: 0, staff_hours: 0.0 })
        .collect();
    for block in blocks {
        let hours = match (parse_hhmm(&block.start), parse_hhmm(&block.end)) {
            (Ok(start), Ok(end)) => (end - start).num_minutes() as f64 / 60.0,
            _ => 0.0,
        };
        for staff in &block.staff {
            if let Some(total) = totals.iter_mut().find(|t| t.role_id == staff.role_id) {
                total.peak_headcount = total.peak_headcount.max(staff.headcount);
                total.staff_hours += f64::from(staff.headcount) * hours;
            }
        }
    }
    for total in &mut totals {
        total.staff_hours = round1(total.staff_hours);
    }
    totals
}

pub fn build(hours: &DayHours, roles: &[staff_role::Model], forecast: &Forecast) -> Vec<StaffingBlock> {
    let mut blocks = Vec::new();
    for (start, end) in hours.blocks() {
        let hour = start.hour();
        let share = (end - start).num_minutes() as f64 / 60.0;
        let (covers, orders) = forecast
            .by_hour
            .iter()
            .find(|h| h.hour == hour as i32)
            .map_or((0.0, 0.0), |h| (h.covers * share, h.orders * share));
        let staff: Vec<RoleHeadcount> = roles
            .iter()
            .map(|role| {
                let driver = LaborDriver::parse(&role.driver).unwrap_or(LaborDriver::Covers);
                let per_hour = match driver {
                    LaborDriver::Covers => covers,
                    LaborDriver::Orders => orders,
                } / share;
                let count = headcount(per_hour, role);
                RoleHeadcount {
                    role_id: role.id,
                    role: role.name.clone(),
                    headcount: count,
                    baseline_headcount: count,
                    origin: LineOrigin::Baseline,
                    model_reason: None,
                    manager_override: None,
                    driver,
                    driver_value: round1(per_hour * share),
                }
            })
            .collect();
        blocks.push(StaffingBlock {
            start: format_hhmm(start),
            end: format_hhmm(end),
            expected_covers: round1(covers),
            expected_orders: round1(orders),
            staff,
        });
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(ratio: f64, min: i32, max: i32) -> staff_role::Model {
        staff_role::Model {
            id: 1,
            location_id: 1,
            name: "Line cook".into(),
            driver: "covers".into(),
            ratio,
            min_staff: min,
            max_staff: max,
        }
    }

    #[test]
    fn headcount_is_driver_over_ratio_rounded_up_and_clamped() {
        assert_eq!(headcount(41.0, &role(20.0, 1, 10)), 3);
        assert_eq!(headcount(40.0, &role(20.0, 1, 10)), 2);
        assert_eq!(headcount(0.0, &role(20.0, 1, 10)), 1, "min applies on a quiet hour");
        assert_eq!(headcount(500.0, &role(20.0, 1, 6)), 6, "max applies on a rush");
    }
}
