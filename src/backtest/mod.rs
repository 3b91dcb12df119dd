//! The backtest: replays a range of past days, forecasting each one with only what was known
//! at its cutoff (orders of earlier days, bookings made before midnight at the start of the
//! day), and compares Sous's baseline and two references with what really happened: covers
//! per day and per hour block, portions per dish and day.
//!
//! The aggregates of the whole range are loaded once (four GROUP BY queries, see
//! [`crate::history::load_window`]); each day is then forecast in memory by the same
//! [`crate::forecast::forecast`] the live plans use.
mod metrics;
mod references;
mod report;

pub use metrics::Errors;
pub use references::{Reference, same_weekday_mean, seasonal_naive};
pub use report::{DayResult, ItemResult, Method, MethodScore, RangeCoverage, Report, Score, SkippedDay, WeekdayWape};

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Duration, NaiveDate};
use sea_orm::ConnectionTrait;

use crate::{
    catalog::{self, Location},
    domain::{DayOfWeek, OpeningHours},
    error::ApiError,
    forecast::{self, AsOf, Params, Window},
    history::{self, DateRange, Spans},
};

/// The longest range one backtest may replay.
pub const MAX_RANGE_DAYS: i64 = 2 * 366;
/// The share of scored days, those with the most covers on the books, reported apart.
const BUSY_BOOKING_SHARE: f64 = 0.25;

/// `[from, to)` must be a non-empty range of past days (today has not finished yet).
pub fn check_range(from: NaiveDate, to: NaiveDate, today: NaiveDate) -> Result<DateRange, ApiError> {
    if from >= to {
        return Err(ApiError::field("from", "must be before to"));
    }
    if to > today {
        return Err(ApiError::field(
            "to",
            format!("must be today ({today}) at the latest: later days have no sales yet"),
        ));
    }
    if (to - from).num_days() > MAX_RANGE_DAYS {
        return Err(ApiError::field("to", format!("the range may span at most {MAX_RANGE_DAYS} days")));
    }
    Ok(DateRange { from, to })
}

/// Replays `[from, to)` for `location` from the database.
#[tracing::instrument(skip(db, location), fields(location_id = location.id, %from, %to))]
pub async fn run(
    db: &impl ConnectionTrait,
    location: &Location,
    from: NaiveDate,
    to: NaiveDate,
    params: &Params,
) -> Result<Report, ApiError> {
    let today = location.today();
    check_range(from, to, today)?;
    // The slot before the load: a backtest turned away has cost nothing.
    let slot = crate::work::Slot::take("a backtest").await?;
    let mut spans = Spans::for_days(from, to, params);
    spans.items.from = spans.items.from.min(from - Duration::weeks(references::WEEKS));
    let window = history::load_window(db, location.id, location.timezone, spans).await?;
    let names: HashMap<i64, String> =
        catalog::list_menu_items(db, location.id).await?.into_iter().map(|m| (m.id, m.name)).collect();
    let started = std::time::Instant::now();
    let (location_id, hours, params) = (location.id, location.hours.clone(), *params);
    let report = slot
        .run(move || replay(&window, Replay { location_id, hours: &hours, from, to, params: &params, names: &names }))
        .await?;
    tracing::info!(days = report.days_scored, millis = started.elapsed().as_millis() as u64, "backtest replayed");
    if report.days_scored == 0 {
        return Err(ApiError::InsufficientHistory(format!(
            "no day in {from}..{to} could be scored for location {}: {}",
            location.id,
            report.skipped.first().map_or("no days", |s| s.reason.as_str())
        )));
    }
    Ok(report)
}

/// What a replay needs besides the window.
pub struct Replay<'a> {
    pub location_id: i64,
    pub hours: &'a OpeningHours,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub params: &'a Params,
    pub names: &'a HashMap<i64, String>,
}

/// One method's forecast of one day.
struct Prediction<'a> {
    covers: f64,
    by_hour: BTreeMap<i32, f64>,
    items: &'a BTreeMap<i64, f64>,
}

#[derive(Default)]
struct Tally {
    covers: Errors,
    hourly: Errors,
    items: Errors,
    busy: Errors,
    by_weekday: [Errors; 7],
    by_item: BTreeMap<i64, Errors>,
}

impl Tally {
    fn add(&mut self, window: &Window, date: NaiveDate, busy: bool, p: &Prediction<'_>) {
        let actual = window.sales(date);
        self.covers.add(p.covers, actual.covers);
        self.by_weekday[date.weekday().num_days_from_monday() as usize].add(p.covers, actual.covers);
        if busy {
            self.busy.add(p.covers, actual.covers);
        }
        let actual_hours = window.hours.get(&date);
        let mut hours: Vec<i32> =
            p.by_hour.keys().chain(actual_hours.into_iter().flat_map(|h| h.keys())).copied().collect();
        hours.sort_unstable();
        hours.dedup();
        for hour in hours {
            let a = actual_hours.and_then(|h| h.get(&hour)).map_or(0.0, |s| s.covers);
            self.hourly.add(p.by_hour.get(&hour).copied().unwrap_or(0.0), a);
        }
        let actual_items = window.items.get(&date);
        let mut items: Vec<i64> =
            p.items.keys().chain(actual_items.into_iter().flat_map(|i| i.keys())).copied().collect();
        items.sort_unstable();
        items.dedup();
        // A dish that sold out that day sold less than was wanted: its demand is unknown.
        for item in items.into_iter().filter(|item| window.sold_out_at(date, *item).is_none()) {
            let a = actual_items.and_then(|i| i.get(&item)).copied().unwrap_or(0.0);
            let f = p.items.get(&item).copied().unwrap_or(0.0);
            self.items.add(f, a);
            self.by_item.entry(item).or_default().add(f, a);
        }
    }

    fn score(&self, method: Method) -> MethodScore {
        MethodScore {
            method,
            description: method.describe().to_owned(),
            covers: self.covers.into(),
            hourly: self.hourly.into(),
            items: self.items.into(),
            busy_booking_days: self.busy.into(),
            covers_wape_by_weekday: DayOfWeek::ALL
                .iter()
                .zip(&self.by_weekday)
                .filter(|(_, e)| e.points > 0)
                .map(|(weekday, e)| WeekdayWape {
                    weekday: *weekday,
                    days: e.points as u32,
                    wape: e.wape().map(|w| (w * 10_000.0).round() / 10_000.0),
                })
                .collect(),
        }
    }
}

fn one_decimal(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// Forecasts every day of the range from `window` and scores the methods on the days all of
/// them could forecast.
pub fn replay(window: &Window, replay: Replay<'_>) -> Report {
    let Replay { location_id, hours, from, to, params, names } = replay;
    let mut skipped = Vec::new();
    let mut scored = Vec::new();
    let mut date = from;
    while date < to {
        let day = date;
        date += Duration::days(1);
        let weekday = DayOfWeek::from_chrono(day.weekday());
        if hours.for_weekday(weekday).is_none() {
            skipped.push(SkippedDay { date: day, reason: format!("closed on {}s", day.format("%A")) });
            continue;
        }
        let actual = window.sales(day);
        if actual.covers + actual.orders <= 0.0 {
            skipped.push(SkippedDay { date: day, reason: "no sales (closed that day)".to_owned() });
            continue;
        }
        let baseline = match forecast::forecast(day, window, AsOf::Cutoff, params) {
            Ok(f) => f,
            Err(e) => {
                skipped.push(SkippedDay { date: day, reason: e.to_string() });
                continue;
            }
        };
        let (Some(mean), Some(naive)) = (same_weekday_mean(window, day), seasonal_naive(window, day)) else {
            skipped
                .push(SkippedDay { date: day, reason: "no same weekday with sales in the 4 weeks before".to_owned() });
            continue;
        };
        scored.push((day, window.booked_at_cutoff(day), baseline, mean, naive));
    }

    let mut booked: Vec<f64> = scored.iter().map(|s| s.1).collect();
    booked.sort_by(f64::total_cmp);
    let threshold =
        booked.get(((booked.len() as f64) * (1.0 - BUSY_BOOKING_SHARE)).floor() as usize).copied().unwrap_or(0.0);

    let mut tallies: [Tally; 3] = Default::default();
    let (mut in_range, mut with_range, mut items_in, mut items_with) = (0usize, 0usize, 0usize, 0usize);
    let mut days = Vec::new();
    for (day, booked, baseline, mean, naive) in &scored {
        let busy = *booked >= threshold && *booked > 0.0;
        let by_hour = baseline.by_hour.iter().map(|h| (h.hour, h.covers)).collect();
        let predictions = [
            Prediction { covers: baseline.expected_covers, by_hour, items: &baseline.items },
            Prediction { covers: mean.covers, by_hour: mean.by_hour.clone(), items: &mean.items },
            Prediction { covers: naive.covers, by_hour: naive.by_hour.clone(), items: &naive.items },
        ];
        for (tally, prediction) in tallies.iter_mut().zip(&predictions) {
            tally.add(window, *day, busy, prediction);
        }
        let actual = window.sales(*day);
        if let Some(range) = &baseline.range {
            with_range += 1;
            if (range.covers_low..=range.covers_high).contains(&actual.covers) {
                in_range += 1;
            }
            for (item, (low, high)) in range.items.iter().filter(|(item, _)| window.sold_out_at(*day, **item).is_none())
            {
                let sold = window.items.get(day).and_then(|i| i.get(item)).copied().unwrap_or(0.0);
                items_with += 1;
                if (*low..=*high).contains(&sold) {
                    items_in += 1;
                }
            }
        }
        days.push(DayResult {
            date: *day,
            weekday: DayOfWeek::from_chrono(day.weekday()),
            actual_covers: actual.covers,
            booked_at_cutoff: *booked,
            sous_baseline: one_decimal(baseline.expected_covers),
            sous_low: baseline.range.as_ref().map(|r| one_decimal(r.covers_low)),
            sous_high: baseline.range.as_ref().map(|r| one_decimal(r.covers_high)),
            same_weekday_mean_4w: one_decimal(mean.covers),
            seasonal_naive: one_decimal(naive.covers),
        });
    }

    let share = |hits: usize, of: usize| (of > 0).then(|| (hits as f64 / of as f64 * 1000.0).round() / 1000.0);
    let mut items: Vec<ItemResult> = tallies[0]
        .by_item
        .iter()
        .map(|(item, errors)| ItemResult {
            menu_item_id: *item,
            name: names.get(item).cloned(),
            actual: errors.actual,
            sous_baseline_wape: errors.wape().map(|w| (w * 10_000.0).round() / 10_000.0),
            same_weekday_mean_4w_wape: tallies[1]
                .by_item
                .get(item)
                .and_then(Errors::wape)
                .map(|w| (w * 10_000.0).round() / 10_000.0),
        })
        .collect();
    items.sort_by(|a, b| b.actual.total_cmp(&a.actual).then(a.menu_item_id.cmp(&b.menu_item_id)));

    Report {
        location_id,
        from,
        to,
        cutoff: "midnight (local) at the start of each day: orders of earlier days, bookings made before then"
            .to_owned(),
        days_scored: scored.len() as u32,
        skipped,
        methods: Method::ALL.iter().zip(&tallies).map(|(m, t)| t.score(*m)).collect(),
        busy_booking_days: tallies[0].busy.points as u32,
        busy_booking_threshold: threshold,
        range_coverage: RangeCoverage {
            days: with_range as u32,
            covers: share(in_range, with_range),
            items: share(items_in, items_with),
        },
        days,
        items,
    }
}
