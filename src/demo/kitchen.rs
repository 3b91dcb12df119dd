//! The demo kitchen at work over its last weeks: every open day it takes Sous's baseline for the
//! day (replayed as of the night before, as accuracy will score it), its manager overrides a few
//! lines from what the last services taught, the kitchen preps what the plan as left says, and
//! the day's orders then draw on that stock in the order they came. A dish whose prep ran out is
//! 86'd: its later orders lose that dish (the guest did without), so sales, sold-out times, use,
//! waste and the stock counted at close all come from the same events. Staff on follow the
//! plan, less the odd call-out, plus one called in when a block is far busier than planned.
//!
//! Everything is recorded through the same paths as the API: overrides, actuals, stock counts;
//! the orders are ingested afterwards, as they were served.
use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime, Timelike};
use entity::{on_hand_count, prep_item};
use sea_orm::DatabaseConnection;

use super::rng::Rng;
use crate::{
    actuals::{self, DayActuals, PrepActual, SoldOut, StaffOn},
    catalog::Location,
    domain::{Caller, LaborDriver, Role, opening_hours::parse_hhmm},
    error::ApiError,
    forecast::{Params, Window},
    history::{self, Spans},
    ingest::{self, NewCount, NewOrder},
    plans::{
        StaffingBlock,
        overrides::{self, Line},
        replay::{CatalogRows, Replay, Replayed},
        window_days,
    },
};

/// The last weeks the demo kitchen records (fewer when the history is too short to forecast).
pub const KITCHEN_DAYS: i64 = 56;
/// Its manager takes a line down one batch after throwing away more than this share of it.
const WASTE_TOO_MUCH: f64 = 0.5;
/// A block this much busier than planned gets one more person of a role driven by covers.
const BUSIER: f64 = 1.3;
/// The chance one person of a role does not come in a block.
const CALL_OUT: f64 = 0.03;

/// Prep of one item made on one day, usable until `last_day` (its shelf life).
#[derive(Debug, Clone, Copy)]
struct Lot {
    quantity: f64,
    last_day: NaiveDate,
}

/// What the manager remembers of an item's last service.
#[derive(Debug, Clone, Copy, Default)]
struct Memory {
    ran_out: bool,
    waste_share: f64,
}

/// What the kitchen's weeks came to.
#[derive(Debug, Default)]
pub struct Summary {
    pub days: usize,
    pub sold_outs: usize,
    pub overrides: usize,
}

/// The orders (as served) and what was recorded, for the days `[from, to)`.
pub struct Worked {
    pub orders: Vec<NewOrder>,
    pub summary: Summary,
}

fn local(at: DateTime<FixedOffset>, location: &Location) -> chrono::DateTime<chrono_tz::Tz> {
    at.with_timezone(&location.timezone)
}

/// Adds a served day's orders to the window, as the database would aggregate them.
fn add_to_window(window: &mut Window, location: &Location, date: NaiveDate, orders: &[NewOrder]) {
    for order in orders {
        let at = local(order.ordered_at, location);
        let covers = f64::from(order.covers);
        let day = window.days.entry(date).or_default();
        day.covers += covers;
        day.orders += 1.0;
        let hour = window.hours.entry(date).or_default().entry(at.hour() as i32).or_default();
        hour.covers += covers;
        hour.orders += 1.0;
        for line in &order.lines {
            *window.items.entry(date).or_default().entry(line.menu_item_id).or_insert(0.0) += f64::from(line.quantity);
        }
    }
}

/// Runs the kitchen over `[from, to)`: `orders` are the generated orders of those days (and of
/// later ones, passed through), the database already holds the earlier orders and every booking.
pub async fn work(
    db: &DatabaseConnection,
    location: &Location,
    (from, to): (NaiveDate, NaiveDate),
    orders: Vec<NewOrder>,
    rng: &mut Rng,
) -> Result<Worked, ApiError> {
    let catalog = CatalogRows::load(db, location.id).await?;
    let mut window =
        history::load_window(db, location.id, location.timezone, Spans::for_days(from, to, &Params::default())).await?;
    let mut by_day: BTreeMap<NaiveDate, Vec<NewOrder>> = BTreeMap::new();
    for order in orders {
        by_day.entry(local(order.ordered_at, location).date_naive()).or_default().push(order);
    }
    let manager = Caller::new("demo-manager", location.tenant_id, Role::Manager, None);
    let recorder = Caller::new("demo-kitchen", location.tenant_id, Role::Manager, None);
    let mut kitchen = Kitchen::new(&catalog);
    let (mut served, mut summary) = (Vec::new(), Summary::default());
    let mut counts: Vec<on_hand_count::Model> = Vec::new();

    let mut date = from;
    while date < to {
        let orders = by_day.remove(&date).unwrap_or_default();
        let replayed = Replay::new(location, &window, &catalog).day(date, &counts);
        let (Ok(hours), Some(plan)) = (location.hours_on(date), replayed) else {
            // Closed, or too little history to plan: the day passes as it came.
            add_to_window(&mut window, location, date, &orders);
            served.extend(orders);
            date += Duration::days(1);
            continue;
        };

        // The manager's overrides, then the prep and the schedule the plan as left asks for.
        let prep = kitchen.manager_prep(&plan);
        let scheduled = schedule(&plan.staffing, &catalog, date);
        let overridden = prep.iter().filter_map(|p| Some((Line::PrepItem(p.prep_item_id), p.value, p.reason?))).chain(
            scheduled.iter().filter_map(|s| {
                Some((Line::Headcount { block: s.start, role_id: s.role_id }, f64::from(s.headcount), s.reason?))
            }),
        );
        // Set the evening before, when the nightly plan came out.
        let eve = super::history::local(location.timezone, date - Duration::days(1), 22, 0).to_utc();
        for (line, value, reason) in overridden {
            overrides::set(db, (&manager, eve), location, date, line, (value, reason)).await?;
            summary.overrides += 1;
        }
        let prepped: HashMap<i64, f64> = prep.iter().map(|p| (p.prep_item_id, p.value)).collect();

        // Service.
        let day = kitchen.serve(date, &prepped, orders, location, hours.closes);
        let staff = staff_on(&scheduled, &day.orders, &catalog, location, rng);
        let actuals = DayActuals { date, prep: day.prep, staff, sold_out: day.sold_out.clone() };
        actuals::record(db, &recorder, location, &actuals, to).await?;
        // Counted after close, before the next day's cutoff.
        let counted_at = super::history::local(location.timezone, date, 23, 30);
        let count: Vec<NewCount> = kitchen
            .stock()
            .into_iter()
            .map(|(prep_item_id, quantity)| NewCount { prep_item_id, quantity, counted_at })
            .collect();
        for c in &count {
            counts.push(on_hand_count::Model {
                id: 0,
                location_id: location.id,
                prep_item_id: c.prep_item_id,
                quantity: c.quantity,
                counted_at: c.counted_at.to_utc(),
            });
        }
        ingest::record_counts(db, location, count).await?;

        add_to_window(&mut window, location, date, &day.orders);
        for s in &day.sold_out {
            window.sold_out.entry(date).or_default().insert(s.menu_item_id, s.at);
        }
        summary.days += 1;
        summary.sold_outs += day.sold_out.len();
        served.extend(day.orders);
        date += Duration::days(1);
    }
    served.extend(by_day.into_values().flatten());
    Ok(Worked { orders: served, summary })
}

/// A line of the prep list as the manager leaves it.
struct Prep {
    prep_item_id: i64,
    value: f64,
    /// Why the manager changed Sous's number, if it did.
    reason: Option<&'static str>,
}

/// A role's headcount in a block as scheduled.
struct Scheduled {
    start: NaiveTime,
    role_id: i64,
    headcount: u32,
    /// The covers the plan expected in the block.
    expected: f64,
    reason: Option<&'static str>,
}

/// The plan's headcounts, with one more server on Friday and Saturday evenings.
fn schedule(blocks: &[StaffingBlock], catalog: &CatalogRows, date: NaiveDate) -> Vec<Scheduled> {
    let weekend = matches!(chrono::Datelike::weekday(&date), chrono::Weekday::Fri | chrono::Weekday::Sat);
    let mut out = Vec::new();
    for block in blocks {
        let Ok(start) = parse_hhmm(&block.start) else { continue };
        let evening = block.start == "19:00" || block.start == "20:00";
        for staff in &block.staff {
            let Some(role) = catalog.roles.iter().find(|r| r.id == staff.role_id) else { continue };
            let rush = weekend && evening && role.name == "Server" && (staff.headcount as i32) < role.max_staff;
            out.push(Scheduled {
                start,
                role_id: role.id,
                headcount: staff.headcount + u32::from(rush),
                expected: block.expected_covers,
                reason: rush.then_some("Weekend dinner rush: one more server on the floor"),
            });
        }
    }
    out
}

/// Who came in: the schedule, less the odd call-out, plus one called in where a block driven by
/// covers turned out far busier than planned.
fn staff_on(
    scheduled: &[Scheduled],
    orders: &[NewOrder],
    catalog: &CatalogRows,
    location: &Location,
    rng: &mut Rng,
) -> Vec<StaffOn> {
    let mut out = Vec::new();
    for s in scheduled {
        let Some(role) = catalog.roles.iter().find(|r| r.id == s.role_id) else { continue };
        let covers: f64 = orders
            .iter()
            .filter(|o| local(o.ordered_at, location).hour() == s.start.hour())
            .map(|o| f64::from(o.covers))
            .sum();
        let driven = LaborDriver::parse(&role.driver) == Some(LaborDriver::Covers);
        let headcount = if driven && covers > s.expected * BUSIER && (s.headcount as i32) < role.max_staff {
            s.headcount + 1
        } else if (s.headcount as i32) > role.min_staff && rng.chance(CALL_OUT) {
            s.headcount - 1
        } else {
            s.headcount
        };
        out.push(StaffOn { block: s.start, role_id: s.role_id, headcount });
    }
    out
}

/// One served day.
struct Day {
    orders: Vec<NewOrder>,
    prep: Vec<PrepActual>,
    sold_out: Vec<SoldOut>,
}

/// The kitchen's stock and its manager's memory, day after day.
struct Kitchen<'a> {
    items: &'a [prep_item::Model],
    /// `menu item -> [(prep item, quantity per portion)]`.
    recipes: HashMap<i64, Vec<(i64, f64)>>,
    lots: HashMap<i64, Vec<Lot>>,
    memory: HashMap<i64, Memory>,
}

const EPSILON: f64 = 1e-9;

fn round3(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0 + 0.0
}

impl<'a> Kitchen<'a> {
    fn new(catalog: &'a CatalogRows) -> Self {
        let mut recipes: HashMap<i64, Vec<(i64, f64)>> = HashMap::new();
        for line in &catalog.recipes {
            recipes.entry(line.menu_item_id).or_default().push((line.prep_item_id, line.quantity));
        }
        Self { items: &catalog.items, recipes, lots: HashMap::new(), memory: HashMap::new() }
    }

    fn item(&self, id: i64) -> Option<&'a prep_item::Model> {
        self.items.iter().find(|i| i.id == id)
    }

    fn memory(&self, id: i64) -> Memory {
        self.memory.get(&id).copied().unwrap_or_default()
    }

    /// The prep list as the manager leaves it: a batch more after running out, a batch less after
    /// throwing over half of it away.
    fn manager_prep(&self, plan: &Replayed) -> Vec<Prep> {
        let mut out = Vec::new();
        for line in plan.prep.iter().flat_map(|s| &s.items) {
            let memory = self.memory(line.prep_item_id);
            let (mut value, mut reason) = (line.suggested, None);
            if let Some(item) = self.item(line.prep_item_id) {
                if memory.ran_out {
                    (value, reason) =
                        (line.suggested + item.batch_size, Some("Ran out during the last service: one batch more"));
                } else if memory.waste_share > WASTE_TOO_MUCH && line.suggested >= 2.0 * item.batch_size {
                    (value, reason) = (
                        line.suggested - item.batch_size,
                        Some("Threw away over half of it last time: one batch less"),
                    );
                }
            }
            out.push(Prep { prep_item_id: line.prep_item_id, value, reason });
        }
        out
    }

    fn available(&self, id: i64) -> f64 {
        self.lots.get(&id).map_or(0.0, |lots| lots.iter().map(|l| l.quantity).sum())
    }

    /// Takes `quantity` of an item, oldest lots first (the caller checked there is enough).
    fn take(&mut self, id: i64, mut quantity: f64) {
        for lot in self.lots.entry(id).or_default().iter_mut() {
            let taken = lot.quantity.min(quantity);
            lot.quantity -= taken;
            quantity -= taken;
        }
    }

    /// What is left of each item, as counted at close.
    fn stock(&self) -> Vec<(i64, f64)> {
        self.items.iter().map(|i| (i.id, round3(self.available(i.id)))).collect()
    }

    /// Preps, serves the orders in the order they came, throws away what expires tonight.
    fn serve(
        &mut self,
        date: NaiveDate,
        prepped: &HashMap<i64, f64>,
        mut orders: Vec<NewOrder>,
        location: &Location,
        closes: NaiveTime,
    ) -> Day {
        for item in self.items {
            let made = prepped.get(&item.id).copied().unwrap_or(0.0);
            let lots = self.lots.entry(item.id).or_default();
            lots.retain(|l| l.last_day >= date && l.quantity > EPSILON);
            if made > 0.0 {
                lots.push(Lot {
                    quantity: made,
                    last_day: date + Duration::days(window_days(item.shelf_life_hours) - 1),
                });
            }
        }
        orders.sort_by_key(|o| o.ordered_at);
        let mut used: HashMap<i64, f64> = HashMap::new();
        let mut ran_out: HashMap<i64, bool> = HashMap::new();
        let mut sold_out: BTreeMap<i64, NaiveTime> = BTreeMap::new();
        for order in &mut orders {
            let at = local(order.ordered_at, location).time().min(closes);
            let at = NaiveTime::from_hms_opt(at.hour(), at.minute(), 0).unwrap_or(at);
            let mut kept = Vec::new();
            for line in std::mem::take(&mut order.lines) {
                if sold_out.contains_key(&line.menu_item_id) {
                    continue;
                }
                let needs: Vec<(i64, f64)> = self
                    .recipes
                    .get(&line.menu_item_id)
                    .into_iter()
                    .flatten()
                    .map(|(item, per)| (*item, per * f64::from(line.quantity)))
                    .collect();
                let short: Vec<i64> = needs
                    .iter()
                    .filter(|(item, q)| self.available(*item) + EPSILON < *q)
                    .map(|(item, _)| *item)
                    .collect();
                if short.is_empty() {
                    for (item, q) in needs {
                        self.take(item, q);
                        *used.entry(item).or_insert(0.0) += q;
                    }
                    kept.push(line);
                } else {
                    for item in short {
                        ran_out.insert(item, true);
                    }
                    sold_out.insert(line.menu_item_id, at);
                }
            }
            order.lines = kept;
        }
        // A party left with nothing it wanted is no order at all.
        orders.retain(|o| !o.lines.is_empty());

        let mut prep = Vec::new();
        for item in self.items {
            let lots = self.lots.entry(item.id).or_default();
            let wasted: f64 = lots.iter().filter(|l| l.last_day <= date).map(|l| l.quantity).sum();
            lots.retain(|l| l.last_day > date);
            let made = prepped.get(&item.id).copied().unwrap_or(0.0);
            let used = used.get(&item.id).copied().unwrap_or(0.0);
            let short = ran_out.get(&item.id).copied().unwrap_or(false);
            if made > 0.0 || short {
                let waste_share = if made > 0.0 { wasted / made } else { 0.0 };
                self.memory.insert(item.id, Memory { ran_out: short, waste_share });
            }
            prep.push(PrepActual {
                prep_item_id: item.id,
                prepped: round3(made),
                used: round3(used),
                wasted: round3(wasted),
            });
        }
        let sold_out = sold_out.into_iter().map(|(menu_item_id, at)| SoldOut { menu_item_id, at }).collect();
        Day { orders, prep, sold_out }
    }
}
