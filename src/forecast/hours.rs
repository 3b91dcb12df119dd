//! Covers and orders per hour: covers not on the books come in the hours they usually came in
//! (same weekday, recent weeks), bookings at their booked hour, bookings still to come like all
//! covers; orders follow the usual profile of orders.
use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::{HourForecast, Params, Sales, bookings::Book, window::Window};

/// The day's forecast so far.
pub struct Parts<'a> {
    pub walk_in: f64,
    pub pickup: f64,
    pub orders: f64,
    pub book: &'a Book,
}

/// Covers and orders per hour of `date`, from the same weekdays `same` before it.
pub fn by_hour(
    window: &Window,
    date: NaiveDate,
    same: &[(NaiveDate, Sales)],
    params: &Params,
    parts: Parts<'_>,
) -> Vec<HourForecast> {
    let Parts { walk_in, pickup, orders: expected_orders, book } = parts;
    let mut unbooked: BTreeMap<i32, f64> = BTreeMap::new();
    let mut covers: BTreeMap<i32, f64> = BTreeMap::new();
    let mut orders: BTreeMap<i32, f64> = BTreeMap::new();
    for (d, _) in same {
        let weeks_back = (date - *d).num_days().div_euclid(7);
        let w = (1.0 - params.alpha).powi((weeks_back - 1).max(0) as i32);
        let known = window.known_shown_by_hour(*d);
        for (hour, s) in window.hours.get(d).into_iter().flatten() {
            let k = known.get(hour).copied().unwrap_or(0.0);
            *unbooked.entry(*hour).or_insert(0.0) += w * (s.covers - k).max(0.0);
            *covers.entry(*hour).or_insert(0.0) += w * s.covers;
            *orders.entry(*hour).or_insert(0.0) += w * s.orders;
        }
    }
    let share = |map: &BTreeMap<i32, f64>, hour: i32| {
        let total: f64 = map.values().sum();
        if total > 0.0 { map.get(&hour).copied().unwrap_or(0.0) / total } else { 0.0 }
    };
    // Without a profile of unbooked covers (every past cover was booked), the usual one.
    let walk_ins = if unbooked.values().sum::<f64>() > 0.0 { &unbooked } else { &covers };
    let mut all: Vec<i32> = covers.keys().chain(book.expected_by_hour.keys()).copied().collect();
    all.sort_unstable();
    all.dedup();
    all.into_iter()
        .map(|hour| HourForecast {
            hour,
            covers: walk_in * share(walk_ins, hour)
                + pickup * share(&covers, hour)
                + book.expected_by_hour.get(&hour).copied().unwrap_or(0.0),
            orders: expected_orders * share(&orders, hour),
        })
        .collect()
}
