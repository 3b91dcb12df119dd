//! Accuracy: how close Sous's baseline, the model's plans and the plans as managers left them
//! came to what really happened, per day and over a range (WAPE and bias), and how much was
//! thrown away. The three are kept apart: the baseline is replayed as of each day's cutoff (or
//! read from the day's stored plan, which holds it line by line), the model is scored only on the
//! days its plan was served and never with an override, and the manager's score is the plan the
//! kitchen was told, each override in place of Sous's number.
mod markdown;
mod score;
mod types;

pub use markdown::{render_markdown, render_table};
pub use score::{Day, Dish, HeadcountLine, PrepLine, Truth, Values, score_days};
pub use types::{Accuracy, DayAccuracy, DayCovers, Forecasters, Score, Waste};

use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, NaiveDate};
use entity::{on_hand_count, plan, plan_override};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use serde_json::Value;

use crate::{
    actuals,
    catalog::{self, Location},
    domain::{PlanKind, PlanSource},
    error::ApiError,
    forecast::{Params, Window, cutoff},
    history::{self, DateRange, Spans},
    plans::{
        replay::{CatalogRows, Replay, Replayed},
        window_days,
    },
};

/// The longest range one request scores.
pub const MAX_RANGE_DAYS: i64 = 92;
/// The range when none is given: the four weeks before today.
pub const DEFAULT_RANGE_DAYS: i64 = 28;
/// Days after a range whose actuals its prep lines may need (the longest shelf life planned for).
const LASTS_DAYS: i64 = 7;

/// `[from, to)` from what was asked, at a location where it is `today`: days that have ended.
pub fn range(from: Option<NaiveDate>, to: Option<NaiveDate>, today: NaiveDate) -> Result<DateRange, ApiError> {
    let to = to.unwrap_or(today);
    let from = from.unwrap_or(to - Duration::days(DEFAULT_RANGE_DAYS));
    if to > today {
        return Err(ApiError::field(
            "to",
            format!("may be at most today ({today}): only days that have ended are scored"),
        ));
    }
    if from >= to {
        return Err(ApiError::field("from", "must be before to"));
    }
    if (to - from).num_days() > MAX_RANGE_DAYS {
        return Err(ApiError::field("to", format!("the range may span at most {MAX_RANGE_DAYS} days")));
    }
    Ok(DateRange { from, to })
}

/// Everything the scoring of a range reads, loaded once.
struct Loaded {
    window: Window,
    catalog: CatalogRows,
    counts: Vec<on_hand_count::Model>,
    /// The plan of each kind and day the kitchen worked from.
    plans: HashMap<(PlanKind, NaiveDate), plan::Model>,
    overrides: HashMap<(PlanKind, NaiveDate, String), f64>,
    recorded: actuals::Recorded,
}

/// Scores `location`'s plans over `range` (see [`range`]).
#[tracing::instrument(skip(db, location), fields(location_id = location.id))]
pub async fn measure(db: &DatabaseConnection, location: &Location, range: DateRange) -> Result<Accuracy, ApiError> {
    let slot = crate::work::Slot::take("an accuracy report").await?;
    let loaded = load(db, location, range).await?;
    let location = location.clone();
    slot.run(move || compute(&location, range, &loaded)).await
}

async fn load(db: &DatabaseConnection, location: &Location, range: DateRange) -> Result<Loaded, ApiError> {
    let ahead = DateRange { from: range.from, to: range.to + Duration::days(LASTS_DAYS) };
    let window = history::load_window(
        db,
        location.id,
        location.timezone,
        Spans::for_days(ahead.from, ahead.to, &Params::default()),
    )
    .await?;
    let catalog = CatalogRows {
        stations: catalog::list_stations(db, location.id).await?,
        items: catalog::list_prep_items(db, location.id).await?,
        recipes: catalog::list_recipe_lines(db, location.id).await?,
        roles: catalog::list_roles(db, location.id).await?,
    };
    let tz = location.timezone;
    let counts = on_hand_count::Entity::find()
        .filter(on_hand_count::Column::LocationId.eq(location.id))
        .filter(on_hand_count::Column::CountedAt.gte(cutoff(range.from, tz) - Duration::days(30)))
        .filter(on_hand_count::Column::CountedAt.lt(cutoff(range.to, tz)))
        .order_by_asc(on_hand_count::Column::CountedAt)
        .order_by_asc(on_hand_count::Column::Id)
        .all(db)
        .await?;
    let mut plans = HashMap::new();
    let stored = plan::Entity::find()
        .filter(plan::Column::LocationId.eq(location.id))
        .filter(plan::Column::ServiceDate.gte(range.from))
        .filter(plan::Column::ServiceDate.lt(range.to))
        .order_by_asc(plan::Column::Id)
        .all(db)
        .await?;
    // The plan the kitchen worked from: the day's latest plan of the model (a fallback is never
    // published over it), else its latest stored plan.
    for row in stored {
        let Some(kind) = PlanKind::parse(&row.kind) else { continue };
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
        .filter_map(|o| Some(((PlanKind::parse(&o.kind)?, o.service_date, o.line), o.value)))
        .collect();
    let recorded = actuals::in_range(db, location.id, ahead).await?;
    Ok(Loaded { window, catalog, counts, plans, overrides, recorded })
}

fn compute(location: &Location, range: DateRange, loaded: &Loaded) -> Accuracy {
    let mut truth = Truth::default();
    for p in &loaded.recorded.prep {
        truth.prep.insert((p.service_date, p.prep_item_id), (p.prepped, p.used, p.wasted));
    }
    for s in &loaded.recorded.staff {
        truth.staff.insert((s.service_date, s.block.clone(), s.role_id), f64::from(s.headcount));
    }
    let recorded_days: std::collections::BTreeSet<NaiveDate> = loaded
        .recorded
        .prep
        .iter()
        .map(|p| p.service_date)
        .chain(loaded.recorded.staff.iter().map(|s| s.service_date))
        .collect();
    let mut replay = Replay::new(location, &loaded.window, &loaded.catalog);
    let shelf: HashMap<i64, i64> =
        loaded.catalog.items.iter().map(|i| (i.id, window_days(i.shelf_life_hours))).collect();
    let batches: HashMap<i64, f64> = loaded.catalog.items.iter().map(|i| (i.id, i.batch_size)).collect();
    let mut days = Vec::new();
    let mut date = range.from;
    while date < range.to {
        let sales = loaded.window.sales(date);
        let had_data = sales.covers + sales.orders > 0.0 || recorded_days.contains(&date);
        if location.hours_on(date).is_ok() && had_data {
            let replayed = replay.day(date, &loaded.counts);
            days.push(day(location, date, replayed.as_ref(), loaded, &shelf));
        }
        date += Duration::days(1);
    }
    // The truth of the days after the range stays: prep lines of its last days last into them.
    score_days(location.id, (range.from, range.to), &days, &truth, &batches)
}

/// One day's lines from the three forecasters: from its stored plan when there is one (it holds
/// the baseline's number beside the model's), otherwise from the replayed baseline.
fn day(
    location: &Location,
    date: NaiveDate,
    replayed: Option<&Replayed>,
    loaded: &Loaded,
    shelf: &HashMap<i64, i64>,
) -> Day {
    let mut out = Day { date, ..Day::default() };
    let window = &loaded.window;
    if let Some(r) = replayed {
        let sales = window.sales(date);
        out.covers = Some((r.forecast.expected_covers, sales.covers));
        let sold = window.items.get(&date).cloned().unwrap_or_default();
        let mut dishes: BTreeMap<i64, (f64, f64)> = r.forecast.items.iter().map(|(i, f)| (*i, (*f, 0.0))).collect();
        for (item, q) in sold {
            dishes.entry(item).or_insert((0.0, 0.0)).1 = q;
        }
        out.dishes = dishes
            .into_iter()
            .map(|(item, (forecast, sold))| Dish { forecast, sold, sold_out: window.sold_out_at(date, item).is_some() })
            .collect();
    }
    let overridden = |kind: PlanKind, line: &str| loaded.overrides.get(&(kind, date, line.to_owned())).copied();
    let lasts = |item: i64| -> Vec<NaiveDate> {
        (0..shelf.get(&item).copied().unwrap_or(1))
            .map(|offset| date + Duration::days(offset))
            .filter(|d| *d == date || location.hours_on(*d).is_ok())
            .collect()
    };

    let stored = loaded.plans.get(&(PlanKind::PrepList, date));
    out.prep_plan_id = stored.map(|p| p.id);
    let prep_lines: Vec<(i64, f64, f64, Option<f64>)> = match (stored, replayed) {
        (Some(p), _) => {
            let model = from_model(p);
            lines(&p.body, "stations", "items")
                .filter_map(|l| {
                    let suggested = l["suggested"].as_f64()?;
                    Some((
                        l["prep_item_id"].as_i64()?,
                        l["on_hand"].as_f64()?,
                        l["baseline_suggested"].as_f64()?,
                        model.then_some(suggested),
                    ))
                })
                .collect()
        }
        (None, Some(r)) => {
            r.prep.iter().flat_map(|s| &s.items).map(|l| (l.prep_item_id, l.on_hand, l.suggested, None)).collect()
        }
        (None, None) => Vec::new(),
    };
    out.prep = prep_lines
        .into_iter()
        .map(|(item, on_hand, baseline, model)| {
            let manager = overridden(PlanKind::PrepList, &item.to_string());
            PrepLine {
                prep_item_id: item,
                on_hand,
                batch: loaded.catalog.items.iter().find(|i| i.id == item).map_or(1.0, |i| i.batch_size),
                lasts: lasts(item),
                values: Values {
                    baseline,
                    model,
                    manager: manager.unwrap_or(model.unwrap_or(baseline)),
                    overridden: manager.is_some(),
                },
            }
        })
        .collect();

    let stored = loaded.plans.get(&(PlanKind::Staffing, date));
    out.staffing_plan_id = stored.map(|p| p.id);
    let head_lines: Vec<(String, i64, f64, Option<f64>)> = match (stored, replayed) {
        (Some(p), _) => {
            let model = from_model(p);
            let blocks = p.body["blocks"].as_array().cloned().unwrap_or_default();
            blocks
                .iter()
                .flat_map(|b| {
                    let start = b["start"].as_str().unwrap_or_default().to_owned();
                    b["staff"].as_array().cloned().unwrap_or_default().into_iter().filter_map(move |s| {
                        let served = s["headcount"].as_f64()?;
                        Some((
                            start.clone(),
                            s["role_id"].as_i64()?,
                            s["baseline_headcount"].as_f64()?,
                            model.then_some(served),
                        ))
                    })
                })
                .collect()
        }
        (None, Some(r)) => r
            .staffing
            .iter()
            .flat_map(|b| b.staff.iter().map(|s| (b.start.clone(), s.role_id, f64::from(s.headcount), None)))
            .collect(),
        (None, None) => Vec::new(),
    };
    out.headcounts = head_lines
        .into_iter()
        .map(|(block, role_id, baseline, model)| {
            let manager = overridden(PlanKind::Staffing, &format!("{block}/{role_id}"));
            HeadcountLine {
                block,
                role_id,
                values: Values {
                    baseline,
                    model,
                    manager: manager.unwrap_or(model.unwrap_or(baseline)),
                    overridden: manager.is_some(),
                },
            }
        })
        .collect();
    out
}

/// The plan was served as the model's (not a fallback to the baseline).
fn from_model(plan: &plan::Model) -> bool {
    PlanSource::parse(&plan.source).is_some_and(|s| PlanSource::FROM_MODEL.contains(&s))
}

/// The lines of a stored plan's body: `body[outer][*][inner][*]`.
fn lines<'a>(body: &'a Value, outer: &str, inner: &'a str) -> impl Iterator<Item = &'a Value> + 'a {
    body[outer].as_array().into_iter().flatten().flat_map(move |group| group[inner].as_array().into_iter().flatten())
}
