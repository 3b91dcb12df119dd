//! The P10–P90 range of a forecast, from two sources of error a kitchen can reason about:
//! - covers not on the books: the errors the level made on recent days, each day forecast
//!   from the days before it (a backtest in miniature, at plan time); their P10 and P90, as
//!   shares of the level, lean on a prior (±1.28 × `spread_prior`) when there are few days;
//! - covers on the books: each booking comes or not with its own measured chance; bookings
//!   still to be made scatter like a count of parties.
//!
//! The two are combined as independent errors. Portions per dish add the scatter of the dish's
//! share of a day (pooled over dishes, at least what pure chance gives) to the covers' own.
//! The backtest reports how often the actual day fell inside; `Params::range_scale` is
//! calibrated on that.
use std::collections::BTreeMap;

/// P10 and P90 of a standard normal variable: ±1.2816 standard deviations.
const Z_90: f64 = 1.281_551_565_545;
/// Weight, in days, of the prior against the observed errors.
const PRIOR_DAYS: f64 = 5.0;
/// Covers a party still to be booked brings on average, for the scatter of their count.
const COVERS_PER_PARTY: f64 = 3.0;

#[derive(Debug, Clone, PartialEq)]
pub struct Range {
    pub covers_low: f64,
    pub covers_high: f64,
    /// `menu item -> (P10, P90)` portions.
    pub items: BTreeMap<i64, (f64, f64)>,
}

impl Range {
    /// `(low, high)` as shares of the expected covers, for scaling other quantities (hours,
    /// prep, staff) that follow covers.
    pub fn ratios(&self, expected_covers: f64) -> (f64, f64) {
        if expected_covers > 0.0 {
            (self.covers_low / expected_covers, self.covers_high / expected_covers)
        } else {
            (1.0, 1.0)
        }
    }

    pub fn new(spread: Spread<'_>) -> Self {
        let Spread {
            expected_covers,
            walk_in_covers,
            errors,
            prior,
            book_variance,
            pickup,
            certain,
            scale,
            items,
            overdispersion,
        } = spread;
        let n = errors.len() as f64;
        let lean = |observed: f64, assumed: f64| (n * observed + PRIOR_DAYS * assumed) / (n + PRIOR_DAYS);
        let low_share = lean(quantile(errors, 0.1), -Z_90 * prior).min(0.0);
        let high_share = lean(quantile(errors, 0.9), Z_90 * prior).max(0.0);
        let walk_in = walk_in_covers.max(0.0);
        let booked = Z_90 * (book_variance + pickup.max(0.0) * COVERS_PER_PARTY).sqrt();
        let below = scale * (walk_in * low_share).hypot(booked);
        let above = scale * (walk_in * high_share).hypot(booked);
        let covers_low = (expected_covers - below).max(certain).max(0.0);
        let covers_high = expected_covers + above;
        let relative = if expected_covers > 0.0 { (below + above) / 2.0 / Z_90 / expected_covers } else { 0.0 };
        let items = items
            .iter()
            .map(|(item, mean)| {
                let sd = ((mean * relative).powi(2) + overdispersion * mean).sqrt();
                (*item, ((mean - Z_90 * sd).max(0.0), mean + Z_90 * sd))
            })
            .collect();
        Self { covers_low, covers_high, items }
    }
}

/// The `p` quantile of `values` (linear between order statistics); 0 when there are none.
fn quantile(values: &[f64], p: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => 0.0,
        n => {
            let at = p * (n - 1) as f64;
            let (below, above) = (at.floor() as usize, at.ceil() as usize);
            sorted[below] + (sorted[above] - sorted[below]) * (at - below as f64)
        }
    }
}

/// What a range is computed from.
pub struct Spread<'a> {
    pub expected_covers: f64,
    /// The level of covers not on the books.
    pub walk_in_covers: f64,
    /// Relative errors of that level on recent days.
    pub errors: &'a [f64],
    /// Prior standard error of the level, as a share of it.
    pub prior: f64,
    pub book_variance: f64,
    /// Covers still expected to be booked before the cutoff.
    pub pickup: f64,
    /// Covers already seated: the low end never goes below them.
    pub certain: f64,
    pub scale: f64,
    pub items: &'a BTreeMap<i64, f64>,
    pub overdispersion: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spread<'a>(errors: &'a [f64], book_variance: f64, items: &'a BTreeMap<i64, f64>) -> Spread<'a> {
        Spread {
            expected_covers: 100.0,
            walk_in_covers: 100.0,
            errors,
            prior: 0.1,
            book_variance,
            pickup: 0.0,
            certain: 0.0,
            scale: 1.0,
            items,
            overdispersion: 1.0,
        }
    }

    #[test]
    fn the_range_follows_the_recent_errors_of_the_level() {
        let items = BTreeMap::from([(1, 30.0)]);
        let calm: Vec<f64> = (0..50).map(|i| f64::from(i % 5 - 2) * 0.02).collect();
        let wild: Vec<f64> = calm.iter().map(|e| e * 10.0).collect();
        let calm = Range::new(spread(&calm, 0.0, &items));
        let wild = Range::new(spread(&wild, 0.0, &items));
        assert!(calm.covers_low < 100.0 && calm.covers_high > 100.0);
        assert!(wild.covers_high - wild.covers_low > 3.0 * (calm.covers_high - calm.covers_low), "{wild:?} {calm:?}");
        let (low, high) = calm.items[&1];
        assert!(low < 30.0 && high > 30.0 && high - low >= 2.0 * Z_90 * 30f64.sqrt() - 1e-9, "{low}..{high}");
    }

    #[test]
    fn bookings_that_may_not_come_widen_the_range() {
        let items = BTreeMap::new();
        let none = Range::new(spread(&[], 0.0, &items));
        let some = Range::new(spread(&[], 100.0, &items));
        assert!((none.covers_high - 100.0 - Z_90 * 10.0).abs() < 1e-9, "the prior alone: ±1.28 × 10%");
        assert!(some.covers_high > none.covers_high);
    }

    #[test]
    fn quantiles_interpolate() {
        assert_eq!(quantile(&[3.0, 1.0, 2.0], 0.5), 2.0);
        assert!((quantile(&[0.0, 10.0], 0.1) - 1.0).abs() < 1e-12);
        assert_eq!(quantile(&[], 0.9), 0.0);
    }
}
