//! Synthetic sales and bookings: weekday and seasonal patterns, holidays, noise, parties
//! that book ahead (some cancel, some never show), walk-ins, takeout and delivery.
use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone, Weekday};
use chrono_tz::Tz;

use super::{people, rng::Rng};
use crate::{
    domain::{ExternalId, OrderChannel, ReservationStatus},
    ingest::{NewOrder, NewOrderLine, NewReservation},
};

/// Menu items as the generator needs them: id, category and popularity.
pub struct Dish {
    pub id: i64,
    pub category: &'static str,
    pub popularity: f64,
}

/// Usual covers by weekday, Monday first.
const BASE_COVERS: [f64; 7] = [85.0, 105.0, 115.0, 135.0, 195.0, 215.0, 160.0];
/// Share of a day's covers seated in each hour.
const HOUR_WEIGHTS: &[(u32, f64)] =
    &[(11, 0.05), (12, 0.16), (13, 0.12), (14, 0.03), (17, 0.07), (18, 0.16), (19, 0.2), (20, 0.14), (21, 0.07)];

fn nth_weekday(year: i32, month: u32, weekday: Weekday, n: u8) -> Option<NaiveDate> {
    NaiveDate::from_weekday_of_month_opt(year, month, weekday, n)
}

/// `None` when closed; otherwise a multiplier on the usual covers.
pub fn holiday_factor(date: NaiveDate) -> Option<f64> {
    let (m, d, y) = (date.month(), date.day(), date.year());
    if (m, d) == (12, 25) || (m, d) == (1, 1) || Some(date) == nth_weekday(y, 11, Weekday::Thu, 4) {
        return None;
    }
    if (m, d) == (2, 14) {
        return Some(1.8);
    }
    if Some(date) == nth_weekday(y, 5, Weekday::Sun, 2) || (m, d) == (12, 31) {
        return Some(1.5);
    }
    if (m, d) == (12, 24) {
        return Some(0.6);
    }
    Some(1.0)
}

fn expected_covers(date: NaiveDate, rng: &mut Rng) -> f64 {
    let base = BASE_COVERS[date.weekday().num_days_from_monday() as usize];
    let Some(holiday) = holiday_factor(date) else { return 0.0 };
    let season = 1.0 + 0.12 * (2.0 * std::f64::consts::PI * (f64::from(date.ordinal()) - 100.0) / 365.0).sin();
    (base * season * holiday * (1.0 + 0.08 * rng.normal())).max(0.0)
}

fn party_size(rng: &mut Rng) -> i32 {
    [1, 2, 2, 2, 2, 3, 4, 4, 5, 6, 8][rng.below(11) as usize]
}

fn local(tz: Tz, date: NaiveDate, hour: u32, minute: u32) -> DateTime<FixedOffset> {
    let naive = date.and_time(NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or_default());
    tz.from_local_datetime(&naive).earliest().unwrap_or_else(|| tz.from_utc_datetime(&naive)).fixed_offset()
}

fn id(text: String) -> ExternalId {
    // The generator only makes ids from digits, letters and dashes.
    ExternalId::parse(&text).unwrap_or_else(|_| unreachable!("demo ids are well formed"))
}

/// Items ordered by one party: per guest a main, often a starter, a dessert, a drink.
fn lines(party: i32, dishes: &[Dish], rng: &mut Rng) -> Vec<NewOrderLine> {
    let mut counts: std::collections::BTreeMap<i64, i32> = Default::default();
    let mut take = |category: &str, rng: &mut Rng| {
        let pool: Vec<&Dish> = dishes.iter().filter(|d| d.category == category).collect();
        let weights: Vec<f64> = pool.iter().map(|d| d.popularity).collect();
        *counts.entry(pool[rng.weighted(&weights)].id).or_insert(0) += 1;
    };
    for _ in 0..party.max(1) {
        if rng.chance(0.95) {
            take("main", rng);
        }
        for (category, p) in [("starter", 0.45), ("side", 0.3), ("dessert", 0.3), ("drink", 0.7)] {
            if rng.chance(p) {
                take(category, rng);
            }
        }
    }
    counts.into_iter().map(|(menu_item_id, quantity)| NewOrderLine { menu_item_id, quantity }).collect()
}

/// One day of activity: the orders it had (if it is past) and the bookings made for it.
pub fn day(
    date: NaiveDate,
    tz: Tz,
    now: DateTime<FixedOffset>,
    dishes: &[Dish],
    rng: &mut Rng,
) -> (Vec<NewOrder>, Vec<NewReservation>) {
    let mut orders = Vec::new();
    let mut reservations = Vec::new();
    let covers = expected_covers(date, rng);
    if covers <= 0.0 {
        return (orders, reservations);
    }
    let weekend = matches!(date.weekday(), Weekday::Fri | Weekday::Sat);
    let reserved_share = if weekend { 0.5 } else { 0.35 };
    let hour_weights: Vec<f64> = HOUR_WEIGHTS.iter().map(|(_, w)| *w).collect();
    let stamp = date.format("%Y%m%d");
    let mut seated = 0.0;
    let mut n = 0;
    while seated < covers {
        n += 1;
        let party = party_size(rng);
        seated += f64::from(party);
        let hour = HOUR_WEIGHTS[rng.weighted(&hour_weights)].0;
        let at = local(tz, date, hour, rng.below(60) as u32);
        let mut shows = true;
        if rng.chance(reserved_share) {
            let booked_at = at - Duration::minutes(30 + rng.below(60 * 24 * 21) as i64);
            if booked_at >= now {
                continue; // not booked yet
            }
            let status = if at < now {
                match rng.below(100) {
                    0..8 => ReservationStatus::NoShow,
                    8..14 => ReservationStatus::Cancelled,
                    _ => ReservationStatus::Completed,
                }
            } else if rng.chance(0.05) {
                ReservationStatus::Cancelled
            } else if at - now < Duration::days(2) {
                ReservationStatus::Confirmed
            } else {
                ReservationStatus::Booked
            };
            shows = matches!(status, ReservationStatus::Completed);
            let guest = rng.chance(0.9).then(|| people::guest(rng, party));
            let channel = ["phone", "web", "app", "walk_in_list"][rng.below(4) as usize].to_owned();
            reservations.push(NewReservation {
                external_id: id(format!("demo-r-{stamp}-{n}")),
                reserved_for: at,
                party_size: party,
                status,
                channel,
                booked_at,
                guest,
            });
        }
        if shows && at < now {
            orders.push(NewOrder {
                external_id: id(format!("demo-o-{stamp}-{n}")),
                ordered_at: at + Duration::minutes(10),
                covers: party,
                channel: OrderChannel::DineIn,
                lines: lines(party, dishes, rng),
            });
        }
    }
    // Takeout and delivery: about one order for every five dine-in parties.
    let to_go = (f64::from(n) * 0.2 * (1.0 + 0.2 * rng.normal())).round().max(0.0) as u32;
    for k in 0..to_go {
        let hour = HOUR_WEIGHTS[rng.weighted(&hour_weights)].0;
        let at = local(tz, date, hour, rng.below(60) as u32);
        if at >= now {
            continue;
        }
        let channel = if rng.chance(0.6) { OrderChannel::Takeout } else { OrderChannel::Delivery };
        orders.push(NewOrder {
            external_id: id(format!("demo-t-{stamp}-{k}")),
            ordered_at: at,
            covers: 0,
            channel,
            lines: lines(1 + rng.below(3) as i32, dishes, rng),
        });
    }
    (orders, reservations)
}
