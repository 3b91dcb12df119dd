//! The baseline forecast, in pure Rust: expected covers, orders and item demand for one
//! service day, from an exponentially weighted same-weekday history, adjusted by the covers
//! already booked (discounted by the observed no-show rate). It grounds the model's answer,
//! replaces it when it fails, and is the plan itself when no model is configured.
use std::collections::BTreeMap;

use chrono::NaiveDate;

/// Tuning of the baseline.
#[derive(Debug, Clone, Copy)]
pub struct Params {
    /// Weight kept per week back: the week before counts `1 - alpha` of the latest.
    pub alpha: f64,
    /// Same-weekday weeks looked at.
    pub weeks: u32,
    /// Fewer same-weekday days with sales than this, and there is no forecast.
    pub min_days: usize,
}

impl Default for Params {
    fn default() -> Self {
        Self { alpha: 0.3, weeks: 12, min_days: 3 }
    }
}

/// One past service day on the same weekday.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DayPoint {
    pub date: NaiveDate,
    pub covers: f64,
    pub orders: f64,
    /// Covers of that day that came through reservations.
    pub reserved_covers: f64,
}

/// Everything the forecast of one day is computed from.
#[derive(Debug, Clone, Default)]
pub struct Input {
    pub history: Vec<DayPoint>,
    /// Same-weekday totals per hour: `hour -> (covers, orders)`.
    pub hour_profile: BTreeMap<i32, (f64, f64)>,
    /// Same-weekday quantity sold per menu item, over the same days as `history`.
    pub item_quantities: BTreeMap<i64, f64>,
    /// Covers booked for the day (booked or confirmed), per hour.
    pub booked_by_hour: BTreeMap<i32, f64>,
    /// Covers already seated or completed for the day (they need no discount).
    pub seated_covers: f64,
    pub no_shows: i64,
    pub honoured: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HourForecast {
    pub hour: i32,
    pub covers: f64,
    pub orders: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    pub date: NaiveDate,
    pub expected_covers: f64,
    pub expected_orders: f64,
    /// Same-weekday weighted level of all covers.
    pub history_covers: f64,
    /// The part of that level that walked in.
    pub walk_in_covers: f64,
    /// Reserved covers expected: the larger of the historical level and the bookings.
    pub reserved_covers: f64,
    /// Covers booked for the day, before discount.
    pub booked_covers: f64,
    pub no_show_rate: f64,
    pub history_days: usize,
    pub by_hour: Vec<HourForecast>,
    /// Covers booked (booked or confirmed) per hour, before discount.
    pub booked_by_hour: BTreeMap<i32, f64>,
    /// `menu item -> expected portions`.
    pub items: BTreeMap<i64, f64>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("only {found} earlier {weekday}s with sales; at least {needed} are needed")]
pub struct InsufficientHistory {
    pub found: usize,
    pub needed: usize,
    pub weekday: String,
}

/// When too few bookings have been observed, this no-show rate is assumed.
pub const DEFAULT_NO_SHOW_RATE: f64 = 0.1;
/// Below this many observed bookings the observed rate is blended with the default.
const NO_SHOW_PRIOR_WEIGHT: f64 = 20.0;

/// The no-show rate with a light prior, so three bookings do not make a 0% or 100% rate.
pub fn no_show_rate(no_shows: i64, honoured: i64) -> f64 {
    let seen = (no_shows + honoured) as f64;
    (no_shows as f64 + DEFAULT_NO_SHOW_RATE * NO_SHOW_PRIOR_WEIGHT) / (seen + NO_SHOW_PRIOR_WEIGHT)
}

/// Exponentially weighted mean of `(weeks back, value)`; weeks with no sales are simply absent.
fn weighted_level(points: &[(i64, f64)], alpha: f64) -> f64 {
    let (sum, weights) = points.iter().fold((0.0, 0.0), |(s, w), (weeks_back, value)| {
        let weight = (1.0 - alpha).powi((*weeks_back - 1).max(0) as i32);
        (s + weight * value, w + weight)
    });
    if weights > 0.0 { sum / weights } else { 0.0 }
}

pub fn forecast(date: NaiveDate, input: &Input, params: &Params) -> Result<Forecast, InsufficientHistory> {
    let days: Vec<&DayPoint> = input.history.iter().filter(|d| d.date < date && d.covers + d.orders > 0.0).collect();
    if days.len() < params.min_days {
        return Err(InsufficientHistory {
            found: days.len(),
            needed: params.min_days,
            weekday: format!("{}", date.format("%A")),
        });
    }
    let weeks_back = |d: &DayPoint| (date - d.date).num_days().div_euclid(7);
    let level = |f: fn(&DayPoint) -> f64| -> f64 {
        let points: Vec<(i64, f64)> = days.iter().map(|d| (weeks_back(d), f(d))).collect();
        weighted_level(&points, params.alpha)
    };
    let history_covers = level(|d| d.covers);
    let history_orders = level(|d| d.orders);
    let history_reserved = level(|d| d.reserved_covers.min(d.covers));
    let walk_in_covers = (history_covers - history_reserved).max(0.0);

    let rate = no_show_rate(input.no_shows, input.honoured);
    let booked_covers: f64 = input.booked_by_hour.values().sum();
    let booked_expected = booked_covers * (1.0 - rate) + input.seated_covers;
    let reserved_covers = history_reserved.max(booked_expected);
    let expected_covers = walk_in_covers + reserved_covers;
    let scale = if history_covers > 0.0 { expected_covers / history_covers } else { 1.0 };
    let expected_orders = history_orders * scale;

    let (profile_covers, profile_orders) =
        input.hour_profile.values().fold((0.0, 0.0), |(c, o), (hc, ho)| (c + hc, o + ho));
    let mut hours: Vec<i32> = input.hour_profile.keys().chain(input.booked_by_hour.keys()).copied().collect();
    hours.sort_unstable();
    hours.dedup();
    let by_hour = hours
        .into_iter()
        .map(|hour| {
            let (hc, ho) = input.hour_profile.get(&hour).copied().unwrap_or((0.0, 0.0));
            let share_c = if profile_covers > 0.0 { hc / profile_covers } else { 0.0 };
            let share_o = if profile_orders > 0.0 { ho / profile_orders } else { 0.0 };
            let booked = input.booked_by_hour.get(&hour).copied().unwrap_or(0.0) * (1.0 - rate);
            HourForecast { hour, covers: (expected_covers * share_c).max(booked), orders: expected_orders * share_o }
        })
        .collect();

    // Item mix: portions per cover over the same days, applied to the expected covers.
    let mix_covers: f64 = days.iter().map(|d| d.covers).sum();
    let mix_orders: f64 = days.iter().map(|d| d.orders).sum();
    let items = input
        .item_quantities
        .iter()
        .map(|(item, quantity)| {
            let expected = if mix_covers > 0.0 {
                quantity / mix_covers * expected_covers
            } else if mix_orders > 0.0 {
                quantity / mix_orders * expected_orders
            } else {
                0.0
            };
            (*item, expected)
        })
        .collect();

    Ok(Forecast {
        date,
        expected_covers,
        expected_orders,
        history_covers,
        walk_in_covers,
        reserved_covers,
        booked_covers,
        no_show_rate: rate,
        history_days: days.len(),
        by_hour,
        booked_by_hour: input.booked_by_hour.clone(),
        items,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(date: &str, covers: f64, reserved: f64) -> DayPoint {
        DayPoint { date: date.parse().unwrap(), covers, orders: covers / 2.0, reserved_covers: reserved }
    }

    fn input(history: Vec<DayPoint>) -> Input {
        Input { history, hour_profile: BTreeMap::from([(18, (60.0, 30.0)), (19, (40.0, 20.0))]), ..Input::default() }
    }

    #[test]
    fn a_flat_history_forecasts_its_level() {
        let f = forecast(
            "2026-11-27".parse().unwrap(),
            &input(vec![day("2026-11-20", 100.0, 0.0), day("2026-11-13", 100.0, 0.0), day("2026-11-06", 100.0, 0.0)]),
            &Params::default(),
        )
        .unwrap();
        assert!((f.expected_covers - 100.0).abs() < 1e-9);
        assert!((f.by_hour[0].covers - 60.0).abs() < 1e-9, "60% of covers at 18h");
    }

    #[test]
    fn recent_weeks_weigh_more() {
        let f = forecast(
            "2026-11-27".parse().unwrap(),
            &input(vec![day("2026-11-20", 130.0, 0.0), day("2026-11-13", 100.0, 0.0), day("2026-11-06", 100.0, 0.0)]),
            &Params::default(),
        )
        .unwrap();
        assert!(f.expected_covers > 110.0 && f.expected_covers < 130.0, "{}", f.expected_covers);
    }

    #[test]
    fn bookings_above_the_usual_raise_the_forecast_after_no_shows() {
        let mut inp =
            input(vec![day("2026-11-20", 100.0, 40.0), day("2026-11-13", 100.0, 40.0), day("2026-11-06", 100.0, 40.0)]);
        inp.booked_by_hour = BTreeMap::from([(19, 80.0)]);
        inp.no_shows = 1000;
        inp.honoured = 9000;
        let f = forecast("2026-11-27".parse().unwrap(), &inp, &Params::default()).unwrap();
        let rate = f.no_show_rate;
        assert!((rate - 0.1).abs() < 0.001);
        assert!((f.expected_covers - (60.0 + 80.0 * (1.0 - rate))).abs() < 1e-9);
    }

    #[test]
    fn too_little_history_is_an_error_not_a_zero() {
        let err =
            forecast("2026-11-27".parse().unwrap(), &input(vec![day("2026-11-20", 100.0, 0.0)]), &Params::default())
                .unwrap_err();
        assert_eq!((err.found, err.needed), (1, 3));
        assert_eq!(err.weekday, "Friday");
    }

    #[test]
    fn items_follow_the_mix_per_cover() {
        let mut inp =
            input(vec![day("2026-11-20", 100.0, 0.0), day("2026-11-13", 100.0, 0.0), day("2026-11-06", 100.0, 0.0)]);
        inp.item_quantities = BTreeMap::from([(7, 60.0)]);
        let f = forecast("2026-11-27".parse().unwrap(), &inp, &Params::default()).unwrap();
        assert!((f.items[&7] - 20.0).abs() < 1e-9, "60 portions over 300 covers = 0.2 a cover");
    }

    #[test]
    fn no_show_rate_leans_on_the_default_with_few_bookings() {
        assert!((no_show_rate(0, 0) - DEFAULT_NO_SHOW_RATE).abs() < 1e-12);
        assert!(no_show_rate(1, 1) < 0.2);
    }
}
