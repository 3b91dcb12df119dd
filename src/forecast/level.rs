//! The usual level of a day's covers: a recency-weighted mean that damps outliers (holidays,
//! events, a closed kitchen at lunch). Every recent day counts, divided by its weekday's share
//! of the week, with weight `1 - beta` per day back; the result is scaled back by the target
//! weekday's share. With seven times as many days as a same-weekday mean it is less noisy,
//! and it follows the season and the weather's spells sooner. A same-weekday mean (weight
//! `1 - alpha` per week back) serves the hour profile and orders per cover.
use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use super::Params;

/// A value observed on a past day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub date: NaiveDate,
    pub value: f64,
}

/// Below this scale (as a share of the median), deviations are never damped: a steady history
/// has no outliers.
const MIN_SCALE_SHARE: f64 = 0.05;

fn weighted_median(mut pairs: Vec<(f64, f64)>) -> f64 {
    pairs.retain(|(_, w)| *w > 0.0);
    if pairs.is_empty() {
        return 0.0;
    }
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: f64 = pairs.iter().map(|(_, w)| w).sum();
    let mut seen = 0.0;
    for (v, w) in &pairs {
        seen += w;
        if seen >= total / 2.0 {
            return *v;
        }
    }
    pairs[pairs.len() - 1].0
}

/// Weighted mean of `(value, weight)` after damping values far from the weighted median
/// (Huber weights: beyond `huber` robust standard deviations, the weight shrinks with the
/// distance).
pub fn robust_mean(pairs: &[(f64, f64)], huber: f64) -> f64 {
    let median = weighted_median(pairs.to_vec());
    let mad = weighted_median(pairs.iter().map(|(v, w)| ((v - median).abs(), *w)).collect());
    let scale = (1.4826 * mad).max(MIN_SCALE_SHARE * median.abs());
    let weights: Vec<f64> = pairs
        .iter()
        .map(|(v, w)| {
            let distance = (v - median).abs();
            if scale > 0.0 && distance > huber * scale { w * huber * scale / distance } else { *w }
        })
        .collect();
    let total: f64 = weights.iter().sum();
    if total > 0.0 { pairs.iter().zip(&weights).map(|((v, _), w)| v * w).sum::<f64>() / total } else { 0.0 }
}

/// Same-weekday level of `points` (all on the target's weekday, before `date`).
pub fn same_weekday(points: &[Point], date: NaiveDate, alpha: f64, huber: f64) -> f64 {
    let pairs: Vec<(f64, f64)> = points
        .iter()
        .map(|p| {
            let weeks_back = (date - p.date).num_days().div_euclid(7);
            (p.value, (1.0 - alpha).powi((weeks_back - 1).max(0) as i32))
        })
        .collect();
    robust_mean(&pairs, huber)
}

/// Each weekday's share of an average day, from `points` on every weekday (robust means,
/// equally weighted). Weekdays with fewer than two points have none.
pub fn weekday_index(points: &[Point], huber: f64) -> BTreeMap<u32, f64> {
    let mut by_weekday: BTreeMap<u32, Vec<(f64, f64)>> = BTreeMap::new();
    for p in points {
        by_weekday.entry(p.date.weekday().num_days_from_monday()).or_default().push((p.value, 1.0));
    }
    let means: BTreeMap<u32, f64> = by_weekday
        .into_iter()
        .filter(|(_, pairs)| pairs.len() >= 2)
        .map(|(weekday, pairs)| (weekday, robust_mean(&pairs, huber)))
        .collect();
    let overall = means.values().sum::<f64>() / means.len().max(1) as f64;
    if overall <= 0.0 {
        return BTreeMap::new();
    }
    means.into_iter().map(|(weekday, mean)| (weekday, mean / overall)).collect()
}

/// The level of `date`'s weekday from every recent day, each divided by its weekday's index.
/// `None` when the target's weekday has no index.
pub fn all_days(points: &[Point], date: NaiveDate, index: &BTreeMap<u32, f64>, beta: f64, huber: f64) -> Option<f64> {
    let target = *index.get(&date.weekday().num_days_from_monday())?;
    let pairs: Vec<(f64, f64)> = points
        .iter()
        .filter_map(|p| {
            let share = *index.get(&p.date.weekday().num_days_from_monday())?;
            let days_back = (date - p.date).num_days();
            (share > 0.0).then(|| (p.value / share, (1.0 - beta).powi((days_back - 1).max(0) as i32)))
        })
        .collect();
    if pairs.is_empty() {
        return None;
    }
    Some(robust_mean(&pairs, huber) * target)
}

/// Days the level needs before a day to be measured on it.
const MIN_DAYS_BEFORE: usize = 14;

/// Relative errors `(actual − level) / level` of the all-days level on each of the last
/// `spread_days` days before `date`, each day's level taken from the days before it: the
/// errors this method made lately.
pub fn recent_errors(points: &[Point], date: NaiveDate, index: &BTreeMap<u32, f64>, params: &Params) -> Vec<f64> {
    let start = date - chrono::Duration::days(params.spread_days);
    points
        .iter()
        .enumerate()
        .filter(|(i, p)| p.date >= start && *i >= MIN_DAYS_BEFORE)
        .filter_map(|(i, p)| {
            let level = all_days(&points[..i], p.date, index, params.beta, params.huber)?;
            (level > 0.0).then(|| (p.value - level) / level)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn points(start: &str, values: &[f64], step: i64) -> Vec<Point> {
        let start: NaiveDate = start.parse().unwrap();
        values
            .iter()
            .enumerate()
            .map(|(i, v)| Point { date: start - chrono::Duration::days(step * i as i64), value: *v })
            .collect()
    }

    #[test]
    fn a_flat_history_is_its_own_level() {
        let level = same_weekday(&points("2026-11-20", &[100.0; 6], 7), "2026-11-27".parse().unwrap(), 0.3, 2.0);
        assert!((level - 100.0).abs() < 1e-9);
    }

    #[test]
    fn recent_weeks_weigh_more() {
        let level =
            same_weekday(&points("2026-11-20", &[130.0, 100.0, 100.0], 7), "2026-11-27".parse().unwrap(), 0.3, 10.0);
        assert!(level > 110.0 && level < 130.0, "{level}");
    }

    #[test]
    fn one_holiday_barely_moves_the_level() {
        let values = [100.0, 104.0, 96.0, 250.0, 101.0, 99.0];
        let level = same_weekday(&points("2026-11-20", &values, 7), "2026-11-27".parse().unwrap(), 0.0, 2.0);
        assert!(level < 110.0, "{level}");
    }

    #[test]
    fn weekday_shares_and_the_all_days_level() {
        // Fridays twice an ordinary day, for two weeks.
        let mut history = Vec::new();
        for back in 1..=14 {
            let date = "2026-11-27".parse::<NaiveDate>().unwrap() - chrono::Duration::days(back);
            let value = if date.weekday() == chrono::Weekday::Fri { 200.0 } else { 100.0 };
            history.push(Point { date, value });
        }
        let index = weekday_index(&history, 2.0);
        assert!((index[&4] / index[&0] - 2.0).abs() < 1e-9);
        let friday = all_days(&history, "2026-11-27".parse().unwrap(), &index, 0.05, 2.0).unwrap();
        assert!((friday - 200.0).abs() < 1e-6, "{friday}");
    }
}
