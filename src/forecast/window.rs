//! The aggregates a forecast reads, held in memory: sales per day, per day and hour, per day
//! and menu item, and the bookings of each service day. The live path loads a window for one
//! day, the backtest one window for a whole range; both forecast from it with the same code.
//!
//! What was known when: the forecast of a service day is made at its **cutoff**, midnight
//! (local) at the start of the day, after the previous service closed. Orders of earlier days
//! count; a booking counts if it was made before the cutoff. Its status counts only if it was
//! recorded before then (`updated_at`), otherwise it was still on the books.
use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::domain::ReservationStatus;

/// Covers and orders of one day, or of one hour of a day.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Sales {
    pub covers: f64,
    pub orders: f64,
}

/// Bookings of one service day sharing an hour, status, channel and booking instant (usually
/// one booking).
#[derive(Debug, Clone, PartialEq)]
pub struct Booking {
    pub service_date: NaiveDate,
    pub hour: i32,
    pub status: ReservationStatus,
    pub channel: String,
    pub booked_at: DateTime<Utc>,
    /// When Sous last recorded a change: from then on the status is known.
    pub updated_at: DateTime<Utc>,
    pub count: i64,
    pub covers: f64,
}

impl Booking {
    /// Whole local days between the day it was booked and the service day.
    pub fn lead_days(&self, tz: Tz) -> i64 {
        (self.service_date - self.booked_at.with_timezone(&tz).date_naive()).num_days().max(0)
    }

    /// Where the booking stood at `instant`, or `None` if it was not made yet. With
    /// `status_known`, its stored status is taken as the truth at that instant.
    pub fn standing(&self, instant: DateTime<Utc>, status_known: bool) -> Option<Standing> {
        if self.booked_at >= instant {
            return None;
        }
        if !status_known && self.updated_at > instant {
            return Some(Standing::Pending);
        }
        Some(self.outcome())
    }

    /// Where the booking stands by its stored status.
    pub fn outcome(&self) -> Standing {
        match self.status {
            ReservationStatus::Booked | ReservationStatus::Confirmed => Standing::Pending,
            ReservationStatus::Seated | ReservationStatus::Completed => Standing::Shown,
            ReservationStatus::Cancelled | ReservationStatus::NoShow => Standing::Gone,
        }
    }

    /// On the books at its day's cutoff, reconstructed from `booked_at` and `updated_at`.
    pub fn on_books_at_cutoff(&self, tz: Tz) -> bool {
        let at = cutoff(self.service_date, tz);
        matches!(self.standing(at, false), Some(Standing::Pending | Standing::Shown))
    }

    /// The guests came (seated or completed), as finally recorded.
    pub fn showed(&self) -> bool {
        self.outcome() == Standing::Shown
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Expected, not yet seated: it may still be cancelled or not show.
    Pending,
    /// The guests came.
    Shown,
    /// Cancelled or did not show.
    Gone,
}

/// What a forecast may know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AsOf {
    /// Live: everything stored, bookings as they stand now.
    Now(DateTime<Utc>),
    /// The backtest: what was known at the service day's cutoff, reconstructed from the
    /// booking and update instants.
    Cutoff,
    /// A replayed plan made days ahead (a prep list's later shelf-life days): what was known at
    /// this instant (an earlier day's cutoff), reconstructed the same way. The window must hold
    /// no sales from that day on ([`Window::before`]).
    Before(DateTime<Utc>),
}

/// The forecast cutoff of a service day: local midnight at its start, after the previous
/// service closed.
pub fn cutoff(date: NaiveDate, tz: Tz) -> DateTime<Utc> {
    let midnight = date.and_time(NaiveTime::MIN);
    tz.from_local_datetime(&midnight)
        .earliest()
        // A time zone whose clocks jump at midnight: the first instant of the day.
        .or_else(|| tz.from_local_datetime(&(midnight + Duration::hours(1))).earliest())
        .map_or_else(|| midnight.and_utc(), |t| t.with_timezone(&Utc))
}

/// A location's aggregates over a range of days.
#[derive(Debug, Clone)]
pub struct Window {
    pub tz: Tz,
    pub days: BTreeMap<NaiveDate, Sales>,
    pub hours: BTreeMap<NaiveDate, BTreeMap<i32, Sales>>,
    pub items: BTreeMap<NaiveDate, BTreeMap<i64, f64>>,
    pub bookings: BTreeMap<NaiveDate, Vec<Booking>>,
    /// `day -> menu item -> local time it ran out` (86'd): its sales that day are censored.
    pub sold_out: BTreeMap<NaiveDate, BTreeMap<i64, NaiveTime>>,
}

/// A dish that ran out is taken to have been wanted by at most this many times what it sold
/// (it ran out before a quarter of the day's guests had come).
const MAX_UNCENSORING: f64 = 4.0;

impl Window {
    pub fn new(tz: Tz) -> Self {
        Self {
            tz,
            days: BTreeMap::new(),
            hours: BTreeMap::new(),
            items: BTreeMap::new(),
            bookings: BTreeMap::new(),
            sold_out: BTreeMap::new(),
        }
    }

    /// The window as it stood before `day`: no sales (nor sold-out times) of that day or later;
    /// bookings kept, each counting from its booking and update instants.
    pub fn before(&self, day: NaiveDate) -> Window {
        Window {
            tz: self.tz,
            days: self.days.range(..day).map(|(d, s)| (*d, *s)).collect(),
            hours: self.hours.range(..day).map(|(d, h)| (*d, h.clone())).collect(),
            items: self.items.range(..day).map(|(d, i)| (*d, i.clone())).collect(),
            bookings: self.bookings.clone(),
            sold_out: self.sold_out.range(..day).map(|(d, s)| (*d, s.clone())).collect(),
        }
    }

    /// When `item` ran out on `date`, if it did.
    pub fn sold_out_at(&self, date: NaiveDate, item: i64) -> Option<NaiveTime> {
        self.sold_out.get(&date).and_then(|items| items.get(&item)).copied()
    }

    /// Portions of `item` wanted on `date`, given `sold`: what sold, or, when the dish ran out,
    /// what sold scaled up by the share of the day's guests (covers, or orders for a kitchen
    /// with no seated guests) who had come before it ran out, at most [`MAX_UNCENSORING`]×.
    pub fn demand(&self, date: NaiveDate, item: i64, sold: f64, by_orders: bool) -> f64 {
        let (Some(at), Some(hours)) = (self.sold_out_at(date, item), self.hours.get(&date)) else { return sold };
        let of = |s: &Sales| if by_orders { s.orders } else { s.covers };
        let whole: f64 = hours.values().map(of).sum();
        let hour = chrono::Timelike::hour(&at) as i32;
        let minute = f64::from(chrono::Timelike::minute(&at));
        let before: f64 = hours
            .iter()
            .map(|(h, s)| match h.cmp(&hour) {
                std::cmp::Ordering::Less => of(s),
                std::cmp::Ordering::Equal => of(s) * minute / 60.0,
                std::cmp::Ordering::Greater => 0.0,
            })
            .sum();
        if whole <= 0.0 || before >= whole {
            return sold;
        }
        sold / (before / whole).max(1.0 / MAX_UNCENSORING)
    }

    /// Days with sales in `[from, to)`.
    pub fn days_with_sales(&self, from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = (NaiveDate, Sales)> + '_ {
        self.days.range(from..to.max(from)).filter(|(_, s)| s.covers + s.orders > 0.0).map(|(d, s)| (*d, *s))
    }

    pub fn sales(&self, date: NaiveDate) -> Sales {
        self.days.get(&date).copied().unwrap_or_default()
    }

    pub fn bookings_of(&self, date: NaiveDate) -> &[Booking] {
        self.bookings.get(&date).map_or(&[], Vec::as_slice)
    }

    /// Covers of the bookings that were on the books at the day's cutoff and showed: the part
    /// of the day a forecast could have seen coming, per hour.
    pub fn known_shown_by_hour(&self, date: NaiveDate) -> BTreeMap<i32, f64> {
        let mut out = BTreeMap::new();
        for b in self.bookings_of(date).iter().filter(|b| b.showed() && b.on_books_at_cutoff(self.tz)) {
            *out.entry(b.hour).or_insert(0.0) += b.covers;
        }
        out
    }

    /// Covers of a past day that were not on the books at its cutoff: walk-ins and late
    /// bookings.
    pub fn unbooked_covers(&self, date: NaiveDate) -> f64 {
        let known: f64 = self.known_shown_by_hour(date).values().sum();
        (self.sales(date).covers - known).max(0.0)
    }

    /// Covers on the books at the day's cutoff (before no-shows), as the backtest sees them.
    pub fn booked_at_cutoff(&self, date: NaiveDate) -> f64 {
        self.bookings_of(date).iter().filter(|b| b.on_books_at_cutoff(self.tz)).map(|b| b.covers).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn booking(status: ReservationStatus, booked_at: &str, updated_at: &str) -> Booking {
        Booking {
            service_date: "2026-03-18".parse().unwrap(),
            hour: 19,
            status,
            channel: "web".into(),
            booked_at: booked_at.parse().unwrap(),
            updated_at: updated_at.parse().unwrap(),
            count: 1,
            covers: 4.0,
        }
    }

    #[test]
    fn the_cutoff_is_local_midnight_at_the_start_of_the_day() {
        let at = cutoff("2026-03-18".parse().unwrap(), chrono_tz::Europe::Paris);
        assert_eq!(at, "2026-03-17T23:00:00Z".parse::<DateTime<Utc>>().unwrap());
    }

    #[test]
    fn a_booking_made_after_the_cutoff_was_not_on_the_books() {
        let tz = chrono_tz::Europe::Paris;
        let late = booking(ReservationStatus::Completed, "2026-03-18T08:00:00Z", "2026-03-18T21:00:00Z");
        let early = booking(ReservationStatus::Completed, "2026-03-10T08:00:00Z", "2026-03-18T21:00:00Z");
        assert!(!late.on_books_at_cutoff(tz));
        assert!(early.on_books_at_cutoff(tz));
    }

    #[test]
    fn a_cancellation_counts_only_from_when_it_was_recorded() {
        let tz = chrono_tz::Europe::Paris;
        let known = booking(ReservationStatus::Cancelled, "2026-03-10T08:00:00Z", "2026-03-12T08:00:00Z");
        let late = booking(ReservationStatus::Cancelled, "2026-03-10T08:00:00Z", "2026-03-18T10:00:00Z");
        assert!(!known.on_books_at_cutoff(tz), "cancelled before the cutoff");
        assert!(late.on_books_at_cutoff(tz), "still on the books at the cutoff");
        assert_eq!(late.lead_days(tz), 8);
    }
}
