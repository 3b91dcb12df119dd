//! The forecast of one day on small hand-made windows.
use chrono::{DateTime, Utc};

use super::*;
use crate::domain::ReservationStatus;

const TARGET: &str = "2026-11-27";

fn target() -> NaiveDate {
    TARGET.parse().unwrap()
}

/// `weeks` same weekdays before the target with `covers` each (60% at 18h, 40% at 19h), every
/// day between them with half as many; each day sells 0.2 of item 7 per cover.
fn window(weeks: i64, covers: impl Fn(i64) -> f64) -> Window {
    let mut w = Window::new(chrono_tz::UTC);
    for back in 1..=weeks * 7 {
        let date = target() - Duration::days(back);
        let c = if back % 7 == 0 { covers(back / 7) } else { covers(back / 7 + 1) / 2.0 };
        w.days.insert(date, Sales { covers: c, orders: c / 2.0 });
        w.hours.insert(
            date,
            BTreeMap::from([
                (18, Sales { covers: c * 0.6, orders: c * 0.3 }),
                (19, Sales { covers: c * 0.4, orders: c * 0.2 }),
            ]),
        );
        w.items.insert(date, BTreeMap::from([(7, c * 0.2)]));
    }
    w
}

/// A booking whose status was recorded on the evening of its day.
fn book(w: &mut Window, date: NaiveDate, status: ReservationStatus, booked_at: &str, covers: f64) {
    let booked_at: DateTime<Utc> = booked_at.parse().unwrap();
    let updated_at = date.and_hms_opt(22, 0, 0).unwrap().and_utc().max(booked_at);
    w.bookings.entry(date).or_default().push(Booking {
        service_date: date,
        hour: 19,
        status,
        channel: "web".into(),
        booked_at,
        updated_at,
        count: (covers / 4.0).ceil() as i64,
        covers,
    });
}

fn run(w: &Window) -> Forecast {
    forecast(target(), w, AsOf::Cutoff, &Params::default()).unwrap()
}

#[test]
fn a_flat_history_forecasts_its_level() {
    let f = run(&window(6, |_| 100.0));
    assert!((f.expected_covers - 100.0).abs() < 1e-9, "{}", f.expected_covers);
    assert!((f.by_hour[0].covers - 60.0).abs() < 1e-9, "60% of covers at 18h");
    assert!((f.items[&7] - 20.0).abs() < 1e-9, "0.2 portions a cover");
    assert_eq!(f.history_days, 6);
}

#[test]
fn recent_weeks_weigh_more() {
    let f = run(&window(6, |weeks_back| if weeks_back == 1 { 130.0 } else { 100.0 }));
    assert!(f.expected_covers > 102.0 && f.expected_covers < 130.0, "{}", f.expected_covers);
}

#[test]
fn bookings_on_the_books_add_to_the_walk_ins_after_no_shows() {
    let mut w = window(6, |_| 100.0);
    // Past Fridays: 40 of the 100 covers were booked a week ahead; 1 booking in 10 never came.
    for weeks_back in 1..=6 {
        let d = target() - Duration::weeks(weeks_back);
        let booked = format!("{}T12:00:00Z", d - Duration::days(7));
        book(&mut w, d, ReservationStatus::Completed, &booked, 40.0);
        book(&mut w, d, ReservationStatus::NoShow, &booked, 4.0);
    }
    let before = run(&w);
    assert!((before.walk_in_covers - 60.0).abs() < 1e-9, "{}", before.walk_in_covers);
    assert!((before.expected_covers - 60.0).abs() < 1e-9, "nothing booked yet: {}", before.expected_covers);

    book(&mut w, target(), ReservationStatus::Confirmed, "2026-11-20T12:00:00Z", 80.0);
    let after = run(&w);
    let rate = after.no_show_rate;
    assert!(rate > 0.05 && rate < 0.15, "{rate}");
    assert!((after.expected_covers - (60.0 + 80.0 * (1.0 - rate))).abs() < 1e-9, "{}", after.expected_covers);
    assert_eq!(after.booked_covers, 80.0);
    assert!(after.rationale.iter().any(|r| r.contains("covers on the books")), "{:?}", after.rationale);
}

#[test]
fn a_booking_made_after_the_cutoff_does_not_change_the_forecast() {
    let mut w = window(6, |_| 100.0);
    let before = run(&w);
    book(&mut w, target(), ReservationStatus::Completed, "2026-11-27T09:00:00Z", 40.0);
    let after = run(&w);
    assert_eq!(before, after);
}

#[test]
fn a_live_forecast_days_ahead_expects_the_bookings_still_to_come() {
    let mut w = window(6, |_| 100.0);
    for weeks_back in 1..=6 {
        let d = target() - Duration::weeks(weeks_back);
        // Booked two days ahead: not yet on the books three days before.
        book(&mut w, d, ReservationStatus::Completed, &format!("{}T12:00:00Z", d - Duration::days(2)), 40.0);
    }
    let three_days_before: DateTime<Utc> = "2026-11-24T12:00:00Z".parse().unwrap();
    let f = forecast(target(), &w, AsOf::Now(three_days_before), &Params::default()).unwrap();
    assert!((f.expected_covers - 100.0).abs() < 1e-9, "{}", f.expected_covers);
    assert!((f.reserved_covers - 40.0).abs() < 1e-9, "{}", f.reserved_covers);
}

#[test]
fn too_little_history_is_an_error_not_a_zero() {
    let err = forecast(target(), &window(1, |_| 100.0), AsOf::Cutoff, &Params::default()).unwrap_err();
    assert_eq!((err.found, err.needed), (1, 3));
    assert_eq!(err.weekday, "Friday");
}

#[test]
fn a_range_needs_enough_weeks_and_brackets_the_forecast() {
    assert!(run(&window(4, |_| 100.0)).range.is_none());
    let f = run(&window(8, |weeks_back| if weeks_back % 2 == 0 { 90.0 } else { 110.0 }));
    let r = f.range.expect("a range");
    assert!(r.covers_low < f.expected_covers && f.expected_covers < r.covers_high, "{r:?}");
    let (low, high) = r.items[&7];
    assert!(low < f.items[&7] && f.items[&7] < high);
}
