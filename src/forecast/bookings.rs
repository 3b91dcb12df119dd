//! Bookings on the books and how many of them will really come. The share that does not
//! (no-shows and cancellations after the cutoff) is measured on past days, for each lead time
//! and channel, and leans on broader rates where few bookings were seen.
use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::{
    Params, level,
    level::Point,
    window::{Standing, Window, cutoff},
};

/// When too few bookings have been observed, this share is assumed not to come.
pub const DEFAULT_NO_SHOW_RATE: f64 = 0.1;
/// Bookings' worth of weight a broader rate carries against the observed one.
const PRIOR_WEIGHT: f64 = 20.0;

/// An observed rate leaning on `prior`, so three bookings do not make a 0% or 100% rate.
fn shrink(lost: f64, seen: f64, prior: f64) -> f64 {
    (lost + prior * PRIOR_WEIGHT) / (seen + PRIOR_WEIGHT)
}

/// How long before the service day a booking was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Lead {
    /// The day before or the same day.
    Short,
    /// 2 to 6 days.
    Days,
    /// 7 to 13 days.
    Week,
    /// 14 days or more.
    Weeks,
}

impl Lead {
    pub fn of(days: i64) -> Self {
        match days {
            ..=1 => Self::Short,
            2..=6 => Self::Days,
            7..=13 => Self::Week,
            _ => Self::Weeks,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Short => "0–1 days ahead",
            Self::Days => "2–6 days ahead",
            Self::Week => "7–13 days ahead",
            Self::Weeks => "14+ days ahead",
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    lost: f64,
    seen: f64,
}

impl Tally {
    fn add(&mut self, lost: bool, count: f64) {
        self.seen += count;
        if lost {
            self.lost += count;
        }
    }
}

/// Observed share of bookings on the books at their cutoff that did not come.
#[derive(Debug, Clone, Default)]
pub struct Attrition {
    overall: Tally,
    by_lead: BTreeMap<Lead, Tally>,
    by_cell: BTreeMap<(Lead, String), Tally>,
}

impl Attrition {
    /// From the bookings of the days in `[from, to)`.
    pub fn observe(window: &Window, from: NaiveDate, to: NaiveDate) -> Self {
        let mut out = Self::default();
        for b in window.bookings.range(from..to.max(from)).flat_map(|(_, list)| list) {
            if !b.on_books_at_cutoff(window.tz) {
                continue;
            }
            // A booking never marked seated, completed, cancelled or no-show says nothing.
            let lost = match b.outcome() {
                Standing::Gone => true,
                Standing::Shown => false,
                Standing::Pending => continue,
            };
            let lead = Lead::of(b.lead_days(window.tz));
            let count = b.count as f64;
            out.overall.add(lost, count);
            out.by_lead.entry(lead).or_default().add(lost, count);
            out.by_cell.entry((lead, b.channel.clone())).or_default().add(lost, count);
        }
        out
    }

    pub fn overall_rate(&self) -> f64 {
        shrink(self.overall.lost, self.overall.seen, DEFAULT_NO_SHOW_RATE)
    }

    /// Bookings observed in all.
    pub fn observed(&self) -> f64 {
        self.overall.seen
    }

    /// The rate for a lead time and channel: the cell's own, leaning on the lead time's rate,
    /// which leans on the overall rate.
    pub fn rate(&self, lead: Lead, channel: &str) -> f64 {
        let overall = self.overall_rate();
        let by_lead = self.by_lead.get(&lead).map_or(overall, |t| shrink(t.lost, t.seen, overall));
        self.by_cell.get(&(lead, channel.to_owned())).map_or(by_lead, |t| shrink(t.lost, t.seen, by_lead))
    }
}

/// What the bookings of one service day promise, as known at the forecast.
#[derive(Debug, Clone, Default)]
pub struct Book {
    /// Covers booked and still expected (booked, confirmed), before attrition, per hour.
    pub pending_by_hour: BTreeMap<i32, f64>,
    /// Covers expected per hour: pending ones after attrition, plus those already seated.
    pub expected_by_hour: BTreeMap<i32, f64>,
    /// Covers already seated or completed (they need no discount).
    pub shown_covers: f64,
    /// Variance of the covers that will come, from each pending booking's chance to come.
    pub variance: f64,
    /// Pending covers per `(lead, channel)` with the rate applied, for the rationale.
    pub cells: BTreeMap<(Lead, String), (f64, f64)>,
}

impl Book {
    /// The bookings of `date` made before `instant`; with `status_known`, their stored statuses
    /// are the truth at that instant.
    pub fn of(
        window: &Window,
        date: NaiveDate,
        instant: DateTime<Utc>,
        status_known: bool,
        attrition: &Attrition,
    ) -> Self {
        let mut book = Self::default();
        for b in window.bookings_of(date) {
            match b.standing(instant, status_known) {
                Some(Standing::Pending) => {
                    let lead = Lead::of(b.lead_days(window.tz));
                    let rate = attrition.rate(lead, &b.channel);
                    *book.pending_by_hour.entry(b.hour).or_insert(0.0) += b.covers;
                    *book.expected_by_hour.entry(b.hour).or_insert(0.0) += b.covers * (1.0 - rate);
                    let party = if b.count > 0 { b.covers / b.count as f64 } else { b.covers };
                    book.variance += b.count as f64 * rate * (1.0 - rate) * party * party;
                    let cell = book.cells.entry((lead, b.channel.clone())).or_insert((0.0, rate));
                    cell.0 += b.covers;
                }
                Some(Standing::Shown) => {
                    book.shown_covers += b.covers;
                    *book.expected_by_hour.entry(b.hour).or_insert(0.0) += b.covers;
                }
                Some(Standing::Gone) | None => {}
            }
        }
        book
    }

    pub fn pending(&self) -> f64 {
        self.pending_by_hour.values().sum()
    }

    /// Covers expected from the book: pending ones after attrition, plus those already seated.
    pub fn expected(&self) -> f64 {
        self.expected_by_hour.values().sum::<f64>()
    }

    /// Attrition applied on average (covers-weighted), or `fallback` when nothing is pending.
    pub fn applied_rate(&self, fallback: f64) -> f64 {
        let pending = self.pending();
        if pending > 0.0 { 1.0 - (self.expected() - self.shown_covers) / pending } else { fallback }
    }
}

/// Covers that usually came from bookings made within `ahead` of the cutoff, on the past
/// days `days` (same weekdays): what a forecast made that long before the cutoff still expects.
pub fn usual_pickup(window: &Window, days: &[NaiveDate], date: NaiveDate, ahead: Duration, params: &Params) -> f64 {
    let points: Vec<Point> = days
        .iter()
        .map(|d| {
            let since = cutoff(*d, window.tz) - ahead;
            let value = window
                .bookings_of(*d)
                .iter()
                .filter(|b| b.showed() && b.on_books_at_cutoff(window.tz) && b.booked_at >= since)
                .map(|b| b.covers)
                .sum();
            Point { date: *d, value }
        })
        .collect();
    level::same_weekday(&points, date, params.alpha, params.huber)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{domain::ReservationStatus, forecast::window::Booking};

    #[test]
    fn rates_lean_on_the_default_with_few_bookings() {
        assert!((Attrition::default().overall_rate() - DEFAULT_NO_SHOW_RATE).abs() < 1e-12);
        assert!(shrink(1.0, 2.0, DEFAULT_NO_SHOW_RATE) < 0.2);
    }

    #[test]
    fn rates_are_measured_per_lead_time_and_channel() {
        let tz = chrono_tz::UTC;
        let mut window = Window::new(tz);
        let day: NaiveDate = "2026-03-10".parse().unwrap();
        let mut push = |channel: &str, booked: &str, status, count| {
            window.bookings.entry(day).or_default().push(Booking {
                service_date: day,
                hour: 19,
                status,
                channel: channel.into(),
                booked_at: booked.parse().unwrap(),
                updated_at: "2026-03-11T00:00:00Z".parse().unwrap(),
                count,
                covers: 2.0 * count as f64,
            });
        };
        // Web bookings made 3 weeks ahead: half never come. Phone bookings the day before: all come.
        push("web", "2026-02-17T10:00:00Z", ReservationStatus::NoShow, 100);
        push("web", "2026-02-17T10:00:00Z", ReservationStatus::Completed, 100);
        push("phone", "2026-03-09T10:00:00Z", ReservationStatus::Completed, 200);
        let attrition = Attrition::observe(&window, day, day + chrono::Duration::days(1));
        let web = attrition.rate(Lead::Weeks, "web");
        let phone = attrition.rate(Lead::Short, "phone");
        assert!((0.45..0.5).contains(&web), "{web}");
        assert!(phone < 0.05, "{phone}");
    }
}
