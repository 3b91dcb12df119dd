//! What really happened on a service day, as managers and integrations record it: per prep item
//! what was prepped, used and wasted; per role and hour block the staff actually on; per menu
//! item when it ran out (86'd). The accuracy module scores the plans against them, and
//! the forecast reads the sold-out times as censored demand (a dish that ran out at 20:00 sold
//! less than was wanted).
mod load;
mod record;

pub use load::{Recorded, for_day, in_range, locations_with};
pub use record::record;

use chrono::{NaiveDate, NaiveTime};

/// One prep item's day, in its unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PrepActual {
    pub prep_item_id: i64,
    pub prepped: f64,
    pub used: f64,
    pub wasted: f64,
}

/// Staff of one role actually on in one hour block.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StaffOn {
    /// The block's start, as the staffing plan writes it.
    pub block: NaiveTime,
    pub role_id: i64,
    pub headcount: u32,
}

/// A menu item that ran out, and when (local time).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SoldOut {
    pub menu_item_id: i64,
    pub at: NaiveTime,
}

/// Lines of one service day to record; each replaces what was recorded for its line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DayActuals {
    pub date: NaiveDate,
    pub prep: Vec<PrepActual>,
    pub staff: Vec<StaffOn>,
    pub sold_out: Vec<SoldOut>,
}
