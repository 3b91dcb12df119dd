//! History aggregated in the database (GROUP BY weekday, hour, day, item): a result's size
//! depends on the menu and the calendar, never on how many orders are stored.
mod notes;
mod reservations;
mod sales;
mod window;

pub use notes::{GuestNote, guest_notes};
pub use reservations::{ReservationSummary, StatusCount, reservation_summary};
pub use sales::{DayTotals, HourTotals, ItemTotals, daily_totals, hourly_totals, item_totals};
pub use window::{Spans, load_window};

use chrono::NaiveDate;

/// `[from, to)`: the first day included, the first day excluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub from: NaiveDate,
    pub to: NaiveDate,
}
