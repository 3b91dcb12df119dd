//! What each forecaster said about each day of a range, from the data as stored: the day's plan
//! (the one the kitchen had when it opened) or the baseline replayed as of the night before, the
//! overrides set before opening, and what was recorded.
use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use entity::{on_hand_count, plan, plan_override};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use serde_json::Value;

use super::{
    score::{Day, Dish, HeadcountLine, PrepLine, Truth, Values, score_days},
    types::Accuracy,
};
use crate::{
    actuals,
    catalog::Location,
    domain::{PlanKind, PlanSource},
    error::ApiError,
    forecast::{Params, Window, cutoff},
    history::{self, DateRange, Spans},
    plans::{
        MAX_WINDOW_DAYS,
        replay::{CatalogRows, Replay, Replayed},
        window_days,
    },
};

/// Everything the scoring of a range reads, loaded once.
pub struct Loaded {
    window: Window,
    catalog: CatalogRows,
    counts: Vec<on_hand_count::Model>,
    /// The plan of each kind and day the kitchen had when it opened.
    plans: HashMap<(PlanKind, NaiveDate), plan::Model>,
    /// Overrides set before their day opened.
    overrides: HashMap<(PlanKind, NaiveDate, String), f64>,
    recorded: actuals::Recorded,
}

/// When `date`'s doors opened; `None` on a closed day.
fn opening(location: &Location, date: NaiveDate) -> Option<DateTime<Utc>> {
    let hours = location.hours_on(date).ok()?;
    location.timezone.from_local_datetime(&date.and_time(hours.opens)).earliest().map(|t| t.to_utc())
}

/// The plan was served as the model's (not a fallback to the baseline).
fn from_model(plan: &plan::Model) -> bool {
    PlanSource::parse(&plan.source).is_some_and(|s| PlanSource::FROM_MODEL.contains(&s))
}

pub async fn load(db: &DatabaseConnection, location: &Location, range: DateRange) -> Result<Loaded, ApiError> {
    // Prep lines of the range's last days last into the days after it.
    let ahead = DateRange { from: range.from, to: range.to + Duration::days(MAX_WINDOW_DAYS) };
    let spans = Spans::for_days(ahead.from, ahead.to, &Params::default());
    let window = history::load_window(db, location.id, location.timezone, spans).await?;
    let catalog = CatalogRows::load(db, location.id).await?;
    let tz = location.timezone;
    let counts = on_hand_count::Entity::find()
        .filter(on_hand_count::Column::LocationId.eq(location.id))
        .filter(on_hand_count::Column::CountedAt.gte(cutoff(range.from, tz) - Duration::days(30)))
        .filter(on_hand_count::Column::CountedAt.lt(cutoff(range.to, tz)))
        .order_by_asc(on_hand_count::Column::CountedAt)
        .order_by_asc(on_hand_count::Column::Id)
        .all(db)
        .await?;
    let stored = plan::Entity::find()
        .filter(plan::Column::LocationId.eq(location.id))
        .filter(plan::Column::ServiceDate.gte(range.from))
        .filter(plan::Column::ServiceDate.lt(range.to))
        .order_by_asc(plan::Column::Id)
        .all(db)
        .await?;
    // The plan the kitchen had at opening: the latest of the model's made before then (a fallback
    // made after it is served while it stands, but the model's was published), else the latest
    // made before then.
    let mut plans = HashMap::new();
    for row in stored {
        let Some(kind) = PlanKind::parse(&row.kind) else { continue };
        if opening(location, row.service_date).is_none_or(|opens| row.generated_at >= opens) {
            continue;
        }
        let key = (kind, row.service_date);
        if plans.get(&key).is_none_or(|kept| from_model(&row) || !from_model(kept)) {
            plans.insert(key, row);
        }
    }
    let overrides = plan_override::Entity::find()
        .filter(plan_override::Column::LocationId.eq(location.id))
        .filter(plan_override::Column::ServiceDate.gte(range.from))
        .filter(plan_override::Column::ServiceDate.lt(range.to))
        .all(db)
        .await?
        .into_iter()
        .filter(|o| opening(location, o.service_date).is_some_and(|opens| o.set_at < opens))
        .filter_map(|o| Some(((PlanKind::parse(&o.kind)?, o.service_date, o.line), o.value)))
        .collect();
    let recorded = actuals::in_range(db, location.id, ahead).await?;
    Ok(Loaded { window, catalog, counts, plans, overrides, recorded })
}

pub fn compute(location: &Location, range: DateRange, loaded: &Loaded) -> Accuracy {
    let mut truth = Truth::default();
    for p in &loaded.recorded.prep {
        truth.prep.insert((p.service_date, p.prep_item_id), (p.prepped, p.used, p.wasted));
    }
    for s in &loaded.recorded.staff {
        truth.staff.insert((s.service_date, s.block.clone(), s.role_id), f64::from(s.headcount));
    }
    let recorded_days: BTreeSet<NaiveDate> =
        truth.prep.keys().map(|(d, _)| *d).chain(truth.staff.keys().map(|k| k.0)).collect();
    let lines = Lines::new(location, loaded);
    let mut replay = Replay::new(location, &loaded.window, &loaded.catalog);
    let mut days = Vec::new();
    let mut date = range.from;
    while date < range.to {
        let sales = loaded.window.sales(date);
        let sold = sales.covers + sales.orders > 0.0;
        if location.hours_on(date).is_ok() && (sold || recorded_days.contains(&date)) {
            let replayed = replay.day(date, &loaded.counts);
            days.push(lines.day(date, replayed.as_ref(), sold));
        }
        date += Duration::days(1);
    }
    let batches: HashMap<i64, f64> = loaded.catalog.items.iter().map(|i| (i.id, i.batch_size)).collect();
    score_days(location.id, (range.from, range.to), &days, &truth, &batches)
}

/// A line of a plan before the manager: the baseline's number, the model's where it had the
/// day, and the stock a prep line counted on.
struct Planned {
    baseline: f64,
    model: Option<f64>,
    on_hand: f64,
}

/// Builds each day's lines.
struct Lines<'a> {
    location: &'a Location,
    loaded: &'a Loaded,
    /// Days one prep of each item lasts.
    shelf: HashMap<i64, i64>,
    batch: HashMap<i64, f64>,
    /// The dishes each prep item goes into, with the quantity a portion takes.
    dishes_of: HashMap<i64, Vec<(i64, f64)>>,
}

impl<'a> Lines<'a> {
    fn new(location: &'a Location, loaded: &'a Loaded) -> Self {
        let items = &loaded.catalog.items;
        let mut dishes_of: HashMap<i64, Vec<(i64, f64)>> = HashMap::new();
        for line in &loaded.catalog.recipes {
            dishes_of.entry(line.prep_item_id).or_default().push((line.menu_item_id, line.quantity));
        }
        Self {
            location,
            loaded,
            shelf: items.iter().map(|i| (i.id, window_days(i.shelf_life_hours))).collect(),
            batch: items.iter().map(|i| (i.id, i.batch_size)).collect(),
            dishes_of,
        }
    }

    fn overridden(&self, kind: PlanKind, date: NaiveDate, line: String) -> Option<f64> {
        self.loaded.overrides.get(&(kind, date, line)).copied()
    }

    /// The three forecasters' numbers for one line.
    fn values(&self, planned: &Planned, manager: Option<f64>) -> Values {
        let served = planned.model.unwrap_or(planned.baseline);
        Values {
            baseline: planned.baseline,
            model: planned.model,
            manager: manager.unwrap_or(served),
            overridden: manager.is_some(),
        }
    }

    fn day(&self, date: NaiveDate, replayed: Option<&Replayed>, sold: bool) -> Day {
        let mut day = Day { date, ..Day::default() };
        if let (Some(r), true) = (replayed, sold) {
            day.covers = Some((r.forecast.expected_covers, self.loaded.window.sales(date).covers));
            day.dishes = self.dishes(date, r);
        }
        let prep = self.loaded.plans.get(&(PlanKind::PrepList, date));
        let prep_lines = prep.map(stored_prep).filter(|l| !l.is_empty());
        day.prep_plan_id = prep_lines.as_ref().and(prep.map(|p| p.id));
        day.prep = prep_lines
            .or_else(|| replayed.map(replayed_prep))
            .unwrap_or_default()
            .into_iter()
            .map(|(item, planned)| {
                let lasts = self.lasts(date, item);
                PrepLine {
                    prep_item_id: item,
                    on_hand: planned.on_hand,
                    batch: self.batch.get(&item).copied().unwrap_or(1.0),
                    unmet: self.unmet(&lasts, item),
                    lasts,
                    values: self.values(&planned, self.overridden(PlanKind::PrepList, date, item.to_string())),
                }
            })
            .collect();
        let staffing = self.loaded.plans.get(&(PlanKind::Staffing, date));
        let staff_lines = staffing.map(stored_headcounts).filter(|l| !l.is_empty());
        day.staffing_plan_id = staff_lines.as_ref().and(staffing.map(|p| p.id));
        day.headcounts = staff_lines
            .or_else(|| replayed.map(replayed_headcounts))
            .unwrap_or_default()
            .into_iter()
            .map(|((block, role_id), planned)| {
                let manager = self.overridden(PlanKind::Staffing, date, format!("{block}/{role_id}"));
                HeadcountLine { values: self.values(&planned, manager), block, role_id }
            })
            .collect();
        day
    }

    /// Each dish's forecast portions and what sold.
    fn dishes(&self, date: NaiveDate, replayed: &Replayed) -> Vec<Dish> {
        let window = &self.loaded.window;
        let mut dishes: BTreeMap<i64, (f64, f64)> =
            replayed.forecast.items.iter().map(|(item, f)| (*item, (*f, 0.0))).collect();
        for (item, q) in window.items.get(&date).into_iter().flatten() {
            dishes.entry(*item).or_insert((0.0, 0.0)).1 = *q;
        }
        dishes
            .into_iter()
            .map(|(item, (forecast, sold))| Dish { forecast, sold, sold_out: window.sold_out_at(date, item).is_some() })
            .collect()
    }

    /// The open days one prep of `item` made on `date` was meant to last.
    fn lasts(&self, date: NaiveDate, item: i64) -> Vec<NaiveDate> {
        (0..self.shelf.get(&item).copied().unwrap_or(1))
            .map(|offset| date + Duration::days(offset))
            .filter(|d| *d == date || self.location.hours_on(*d).is_ok())
            .collect()
    }

    /// What the days a prep of `item` was meant to last would have used beyond what they did:
    /// the portions its dishes' sell-outs hid (estimated as the forecast estimates them), times
    /// the recipe.
    fn unmet(&self, lasts: &[NaiveDate], item: i64) -> f64 {
        let window = &self.loaded.window;
        let Some(dishes) = self.dishes_of.get(&item) else { return 0.0 };
        let mut unmet = 0.0;
        for &day in lasts {
            let takeout = window.sales(day).covers <= 0.0;
            for (dish, per_portion) in dishes {
                if window.sold_out_at(day, *dish).is_some() {
                    let sold = window.items.get(&day).and_then(|i| i.get(dish)).copied().unwrap_or(0.0);
                    unmet += (window.demand(day, *dish, sold, takeout) - sold) * per_portion;
                }
            }
        }
        unmet
    }
}

/// The lines of a stored plan's body: `body[outer][*][inner][*]`.
fn lines<'a>(body: &'a Value, outer: &str, inner: &'a str) -> impl Iterator<Item = &'a Value> + 'a {
    body[outer].as_array().into_iter().flatten().flat_map(move |group| group[inner].as_array().into_iter().flatten())
}

fn stored_prep(plan: &plan::Model) -> Vec<(i64, Planned)> {
    let model = from_model(plan);
    lines(&plan.body, "stations", "items")
        .filter_map(|l| {
            let planned = Planned {
                baseline: l["baseline_suggested"].as_f64()?,
                model: if model { Some(l["suggested"].as_f64()?) } else { None },
                on_hand: l["on_hand"].as_f64()?,
            };
            Some((l["prep_item_id"].as_i64()?, planned))
        })
        .collect()
}

fn replayed_prep(replayed: &Replayed) -> Vec<(i64, Planned)> {
    let lines = replayed.prep.iter().flat_map(|s| &s.items);
    lines.map(|l| (l.prep_item_id, Planned { baseline: l.suggested, model: None, on_hand: l.on_hand })).collect()
}

fn stored_headcounts(plan: &plan::Model) -> Vec<((String, i64), Planned)> {
    let model = from_model(plan);
    let mut out = Vec::new();
    for block in plan.body["blocks"].as_array().into_iter().flatten() {
        let Some(start) = block["start"].as_str() else { continue };
        for s in block["staff"].as_array().into_iter().flatten() {
            let (Some(role_id), Some(baseline), Some(served)) =
                (s["role_id"].as_i64(), s["baseline_headcount"].as_f64(), s["headcount"].as_f64())
            else {
                continue;
            };
            let planned = Planned { baseline, model: model.then_some(served), on_hand: 0.0 };
            out.push(((start.to_owned(), role_id), planned));
        }
    }
    out
}

fn replayed_headcounts(replayed: &Replayed) -> Vec<((String, i64), Planned)> {
    let mut out = Vec::new();
    for block in &replayed.staffing {
        for s in &block.staff {
            let planned = Planned { baseline: f64::from(s.headcount), model: None, on_hand: 0.0 };
            out.push(((block.start.clone(), s.role_id), planned));
        }
    }
    out
}
