//! The two forecasts Sous is measured against, from the same window and with the same
//! knowledge (orders of earlier days only; neither reads bookings):
//! - the **same-weekday mean of the last 4 weeks**, the industry's rule of thumb: the mean of
//!   the same weekdays with sales among the 4 before the day;
//! - **seasonal naive**: the latest same weekday with sales within those 4 weeks (usually the
//!   same day last week).
//!
//! Days with no sales (closed for a holiday) are skipped rather than averaged in as zeros, so
//! the references are not penalised for closures any kitchen would skip too.
use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};

use crate::forecast::Window;

/// Weeks the references look back.
pub const WEEKS: i64 = 4;

/// A reference forecast of one day: covers, covers per hour, portions per dish.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reference {
    pub covers: f64,
    pub by_hour: BTreeMap<i32, f64>,
    pub items: BTreeMap<i64, f64>,
}

/// Same weekdays with sales among the last [`WEEKS`], latest first.
fn same_weekdays(window: &Window, date: NaiveDate) -> Vec<NaiveDate> {
    (1..=WEEKS)
        .map(|weeks| date - Duration::weeks(weeks))
        .filter(|d| {
            let s = window.sales(*d);
            s.covers + s.orders > 0.0
        })
        .collect()
}

fn mean_of(window: &Window, days: &[NaiveDate]) -> Option<Reference> {
    if days.is_empty() {
        return None;
    }
    let n = days.len() as f64;
    let mut reference = Reference::default();
    for d in days {
        reference.covers += window.sales(*d).covers / n;
        for (hour, s) in window.hours.get(d).into_iter().flatten() {
            *reference.by_hour.entry(*hour).or_insert(0.0) += s.covers / n;
        }
        for (item, q) in window.items.get(d).into_iter().flatten() {
            *reference.items.entry(*item).or_insert(0.0) += q / n;
        }
    }
    Some(reference)
}

/// The mean of the same weekdays with sales among the last 4 weeks.
pub fn same_weekday_mean(window: &Window, date: NaiveDate) -> Option<Reference> {
    mean_of(window, &same_weekdays(window, date))
}

/// The latest same weekday with sales within the last 4 weeks.
pub fn seasonal_naive(window: &Window, date: NaiveDate) -> Option<Reference> {
    let days = same_weekdays(window, date);
    mean_of(window, days.get(..1).unwrap_or(&[]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forecast::Sales;

    /// Fridays before 2026-11-27 with the given covers, latest first (0 = closed); each sold
    /// one dish 7 per 2 covers, at 19h.
    fn fridays(covers: &[f64]) -> Window {
        let mut w = Window::new(chrono_tz::UTC);
        for (i, c) in covers.iter().enumerate() {
            let d = "2026-11-27".parse::<NaiveDate>().unwrap() - Duration::weeks(i as i64 + 1);
            if *c > 0.0 {
                w.days.insert(d, Sales { covers: *c, orders: c / 2.0 });
                w.hours.insert(d, BTreeMap::from([(19, Sales { covers: *c, orders: c / 2.0 })]));
                w.items.insert(d, BTreeMap::from([(7, c / 2.0)]));
            }
        }
        w
    }

    fn friday() -> NaiveDate {
        "2026-11-27".parse().unwrap()
    }

    #[test]
    fn the_four_week_mean_averages_the_last_four_same_weekdays() {
        let w = fridays(&[100.0, 80.0, 120.0, 60.0, 1000.0]);
        let r = same_weekday_mean(&w, friday()).unwrap();
        assert!((r.covers - 90.0).abs() < 1e-12, "the fifth week back is not looked at");
        assert!((r.by_hour[&19] - 90.0).abs() < 1e-12);
        assert!((r.items[&7] - 45.0).abs() < 1e-12);
    }

    #[test]
    fn seasonal_naive_is_last_week() {
        let r = seasonal_naive(&fridays(&[100.0, 80.0]), friday()).unwrap();
        assert_eq!(r.covers, 100.0);
    }

    #[test]
    fn a_closed_day_is_skipped_not_averaged_as_zero() {
        let w = fridays(&[0.0, 80.0, 120.0, 0.0]);
        assert_eq!(same_weekday_mean(&w, friday()).unwrap().covers, 100.0);
        assert_eq!(seasonal_naive(&w, friday()).unwrap().covers, 80.0, "two weeks back: last week was closed");
        assert_eq!(same_weekday_mean(&fridays(&[0.0; 4]), friday()), None);
    }
}
