//! The P10–P90 range of a forecast, from two sources of error a kitchen can reason about:
//! - covers not on the books scatter around their level as much as they did on past same
//!   weekdays (that scatter leans on a prior share of the level when there are few days), and
//!   the level itself is uncertain by `1 / n` of it;
//! - each booking on the books comes or not with its own measured chance; bookings still to
//!   be made scatter like a count of parties.
//!
//! Portions per dish add the scatter of the dish's share of a day (pooled over dishes, at least
//! what pure chance gives) to the covers' own. A normal approximation: the backtest reports how
//! often the actual day fell inside, which is what `Params::range_scale` is calibrated on.
use std::collections::BTreeMap;

use super::level::Level;

/// P10 and P90 of a standard normal variable: ±1.2816 standard deviations.
const Z_90: f64 = 1.281_551_565_545;
/// Weight, in days, of the prior scatter against the observed one.
const PRIOR_DAYS: f64 = 2.0;
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
            walk_in,
            walk_in_covers,
            prior,
            book_variance,
            pickup,
            certain,
            scale,
            items,
            overdispersion,
        } = spread;
        let prior_sd = prior * walk_in_covers.max(0.0);
        let scatter = (walk_in.n_eff * walk_in.spread.powi(2) + PRIOR_DAYS * prior_sd.powi(2))
            / (walk_in.n_eff + PRIOR_DAYS).max(1.0);
        let level_variance = if walk_in.n_eff > 0.0 { 1.0 + 1.0 / walk_in.n_eff } else { 2.0 };
        let variance = scatter * level_variance + book_variance + pickup.max(0.0) * COVERS_PER_PARTY;
        let sd = variance.sqrt() * scale;
        let covers_low = (expected_covers - Z_90 * sd).max(certain).max(0.0);
        let covers_high = expected_covers + Z_90 * sd;
        let relative = if expected_covers > 0.0 { sd / expected_covers } else { 0.0 };
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

/// What a range is computed from.
pub struct Spread<'a> {
    pub expected_covers: f64,
    /// The same-weekday level of covers not on the books, with its scatter.
    pub walk_in: Level,
    /// The blended level actually used.
    pub walk_in_covers: f64,
    /// Prior scatter as a share of the level.
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

    fn spread(walk_in: Level, book_variance: f64, items: &BTreeMap<i64, f64>) -> Spread<'_> {
        Spread {
            expected_covers: 100.0,
            walk_in,
            walk_in_covers: 100.0,
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
    fn the_range_widens_with_the_scatter_of_past_days() {
        let items = BTreeMap::from([(1, 30.0)]);
        let calm = Range::new(spread(Level { value: 100.0, spread: 5.0, n_eff: 8.0 }, 0.0, &items));
        let wild = Range::new(spread(Level { value: 100.0, spread: 25.0, n_eff: 8.0 }, 0.0, &items));
        assert!(calm.covers_low < 100.0 && calm.covers_high > 100.0);
        assert!(wild.covers_high - wild.covers_low > 3.0 * (calm.covers_high - calm.covers_low));
        let (low, high) = calm.items[&1];
        assert!(low < 30.0 && high > 30.0 && high - low >= 2.0 * Z_90 * 30f64.sqrt() - 1e-9, "{low}..{high}");
    }

    #[test]
    fn a_steady_history_still_has_a_range() {
        let items = BTreeMap::new();
        let r = Range::new(spread(Level { value: 100.0, spread: 0.0, n_eff: 8.0 }, 0.0, &items));
        assert!(r.covers_high - r.covers_low > 5.0, "{r:?}");
    }
}
