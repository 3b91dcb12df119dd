//! Synthetic sales and bookings, built the way a restaurant's come about: one demand (weekday
//! shape, season, slow growth, holidays, local events, day-to-day noise) reaching the kitchen
//! through two streams of parties, those who book and those who walk in.
//! - Bookings are made weeks, days or hours ahead (earlier for weekends, large parties and
//!   holidays; late for events); some are cancelled or never show, more so when made far ahead
//!   and on some channels, and in bad weather.
//! - Walk-ins follow the weather (a persistent random series no forecast sees) and the room:
//!   when an hour is full, they go elsewhere. Takeout and delivery rise in bad weather.
//! - Dishes follow the daypart (lunch or dinner), the season and a weekly special; the menu
//!   changes (dishes added, dropped, paused, promoted).
//!
//! The forecast sees only the resulting orders and bookings. Nothing here is tuned to it: the
//! numbers are plausible for a 90-seat bistro, chosen before the forecast was.
use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone, Weekday};
use chrono_tz::Tz;

use super::{calendar, people, rng::Rng};
use crate::{
    domain::{ExternalId, OrderChannel, ReservationStatus},
    ingest::{NewOrder, NewOrderLine, NewReservation},
};

/// Menu items as the generator needs them.
pub struct Dish {
    pub id: i64,
    pub name: &'static str,
    pub category: &'static str,
    pub popularity: f64,
}

/// Usual covers by weekday, Monday first.
const BASE_COVERS: [f64; 7] = [85.0, 105.0, 115.0, 135.0, 195.0, 215.0, 160.0];
/// Share of the demand that books ahead, by weekday.
const BOOKED_SHARE: [f64; 7] = [0.25, 0.28, 0.3, 0.35, 0.5, 0.55, 0.4];
/// When booked parties and walk-ins sit down.
const BOOKED_HOURS: &[(u32, f64)] =
    &[(11, 0.02), (12, 0.08), (13, 0.06), (17, 0.06), (18, 0.18), (19, 0.3), (20, 0.22), (21, 0.08)];
const WALK_IN_HOURS: &[(u32, f64)] =
    &[(11, 0.07), (12, 0.22), (13, 0.17), (14, 0.06), (17, 0.08), (18, 0.14), (19, 0.13), (20, 0.09), (21, 0.04)];
/// New guests the room can seat in one hour.
const SEATS_PER_HOUR: f64 = 70.0;
/// Growth of demand per year.
const GROWTH: f64 = 0.06;
/// Days with a local event nearby (concert, game, convention).
const EVENT_CHANCE: f64 = 0.03;

fn party_size(rng: &mut Rng, booked: bool) -> i32 {
    if booked {
        *rng.pick(&[2, 2, 2, 2, 2, 3, 4, 4, 4, 5, 6, 6, 8])
    } else {
        *rng.pick(&[1, 1, 2, 2, 2, 2, 2, 3, 3, 4, 4, 5])
    }
}

/// A Poisson count, by its normal approximation above 30.
fn poisson(rng: &mut Rng, mean: f64) -> u32 {
    if mean <= 0.0 {
        return 0;
    }
    if mean > 30.0 {
        return (mean + mean.sqrt() * rng.normal()).round().max(0.0) as u32;
    }
    let (limit, mut product, mut n) = ((-mean).exp(), rng.unit(), 0);
    while product > limit {
        product *= rng.unit();
        n += 1;
    }
    n
}

pub(super) fn local(tz: Tz, date: NaiveDate, hour: u32, minute: u32) -> DateTime<FixedOffset> {
    let naive = date.and_time(NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or_default());
    tz.from_local_datetime(&naive).earliest().unwrap_or_else(|| tz.from_utc_datetime(&naive)).fixed_offset()
}

fn id(text: String) -> ExternalId {
    // The generator only makes ids from digits, letters and dashes.
    ExternalId::parse(&text).unwrap_or_else(|_| unreachable!("demo ids are well formed"))
}

/// 1 in mid-January, 0 in mid-July.
fn winterness(date: NaiveDate) -> f64 {
    (1.0 + (2.0 * std::f64::consts::PI * (f64::from(date.ordinal()) - 15.0) / 365.25).cos()) / 2.0
}

/// Dishes and their weights for one day and daypart, per category.
struct DayMenu(HashMap<&'static str, (Vec<i64>, Vec<f64>)>);

/// What each guest orders besides a main, by daypart: `(category, chance)`.
const LUNCH_EXTRAS: &[(&str, f64)] = &[("starter", 0.3), ("side", 0.3), ("dessert", 0.15), ("drink", 0.8)];
const DINNER_EXTRAS: &[(&str, f64)] = &[("starter", 0.5), ("side", 0.3), ("dessert", 0.4), ("drink", 0.6)];

pub struct Generator<'a> {
    tz: Tz,
    now: DateTime<FixedOffset>,
    today: NaiveDate,
    dishes: &'a [Dish],
    /// Persistent weather: 0 is usual, below −1 a wet, cold day.
    weather: f64,
}

impl<'a> Generator<'a> {
    pub fn new(tz: Tz, now: DateTime<FixedOffset>, dishes: &'a [Dish]) -> Self {
        Self { tz, now, today: now.date_naive(), dishes, weather: 0.0 }
    }

    /// A dish's weight on `date` at lunch or dinner: popularity, daypart, season, the weekly
    /// special and the menu's changes (relative to today, so every demo has them).
    fn weight(&self, dish: &Dish, date: NaiveDate, lunch: bool) -> f64 {
        let days_ago = (self.today - date).num_days();
        let on_menu = match dish.name {
            "Kids pasta" => days_ago < 200,
            "Onion & gorgonzola pizza" => days_ago > 45,
            "Pappardelle mushroom" => days_ago < 24,
            "Fish of the day" => !(85..95).contains(&days_ago),
            _ => true,
        };
        if !on_menu {
            return 0.0;
        }
        let winter = winterness(date);
        let daypart = match (dish.name, lunch) {
            ("Cheeseburger" | "Caesar salad" | "Kids pasta", true) => 1.5,
            ("Margherita pizza" | "Mixed green salad" | "Chicken Milanese" | "Tomato soup", true) => 1.35,
            ("Steak frites" | "Braised short rib", false) => 1.5,
            ("Seared salmon" | "Fish of the day" | "Beef tartare" | "Burrata & heirloom tomato", false) => 1.35,
            _ => 1.0,
        };
        let season = match dish.name {
            "French onion soup"
            | "Braised short rib"
            | "Short rib ragù"
            | "Vegetable tagine"
            | "Creamed spinach"
            | "Apple tart à la mode" => 0.4 + 1.2 * winter,
            "House lemonade"
            | "Iced tea"
            | "Burrata & heirloom tomato"
            | "Side salad"
            | "Ice cream trio"
            | "Affogato" => 0.4 + 1.2 * (1.0 - winter),
            _ => 1.0,
        };
        let special = match dish.name {
            "Steak frites" if date.weekday() == Weekday::Tue => 2.5,
            "Beef tartare" if (54..75).contains(&days_ago) => 2.0,
            _ => 1.0,
        };
        dish.popularity * daypart * season * special
    }

    fn menu(&self, date: NaiveDate, lunch: bool) -> DayMenu {
        let mut out: HashMap<&'static str, (Vec<i64>, Vec<f64>)> = HashMap::new();
        for dish in self.dishes {
            let entry = out.entry(dish.category).or_default();
            entry.0.push(dish.id);
            entry.1.push(self.weight(dish, date, lunch));
        }
        DayMenu(out)
    }

    /// One day of activity: the orders it had (if it is past) and the bookings made for it
    /// (those already made, if it is to come).
    pub fn day(&mut self, date: NaiveDate, rng: &mut Rng) -> (Vec<NewOrder>, Vec<NewReservation>) {
        self.weather = 0.7 * self.weather + 0.714 * rng.normal();
        let weather = self.weather;
        let (mut orders, mut reservations) = (Vec::new(), Vec::new());
        let Some(special) = calendar::special(date) else { return (orders, reservations) };
        let weekday = date.weekday().num_days_from_monday() as usize;
        let season = 1.0 + 0.12 * (2.0 * std::f64::consts::PI * (f64::from(date.ordinal()) - 100.0) / 365.25).sin();
        let years = (date - NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or(date)).num_days() as f64 / 365.25;
        let demand =
            BASE_COVERS[weekday] * season * (1.0 + GROWTH * years) * special.demand * (0.04 * rng.normal()).exp();
        let (event_walk_ins, event_bookings) =
            if rng.chance(EVENT_CHANCE) { (1.25 + 0.45 * rng.unit(), 1.05 + 0.25 * rng.unit()) } else { (1.0, 1.0) };
        let event = event_walk_ins > 1.0;
        let share = special.booked_share.unwrap_or(BOOKED_SHARE[weekday]);
        let booked_covers = demand * share * event_bookings * (0.06 * rng.normal()).exp();
        let walk_in_covers =
            demand * (1.0 - share) * event_walk_ins * (0.12 * weather).exp() * (0.06 * rng.normal()).exp();

        let sunday = date.weekday() == Weekday::Sun;
        let hours = |table: &[(u32, f64)]| -> Vec<(u32, f64)> {
            table
                .iter()
                // Sundays close at 21:00 and start with brunch.
                .filter(|(h, _)| !(sunday && *h >= 21))
                .map(|(h, w)| (*h, if sunday && *h <= 13 { w * 1.4 } else { *w }))
                .collect()
        };
        // Open from 11:30 (Sundays 11:00); Mondays close at 21:30.
        let monday = date.weekday() == Weekday::Mon;
        let minute = |hour: u32, rng: &mut Rng| match hour {
            11 if !sunday => 30 + rng.below(30),
            21 if monday => rng.below(30),
            _ => rng.below(60),
        } as u32;
        let (lunch_menu, dinner_menu) = (self.menu(date, true), self.menu(date, false));
        let menu_at = |hour: u32| if hour < 16 { (&lunch_menu, LUNCH_EXTRAS) } else { (&dinner_menu, DINNER_EXTRAS) };
        let stamp = date.format("%Y%m%d");
        let mut seated: BTreeMap<u32, f64> = BTreeMap::new();

        let booked_hours = hours(BOOKED_HOURS);
        let booked_weights: Vec<f64> = booked_hours.iter().map(|(_, w)| *w).collect();
        for n in 0..poisson(rng, booked_covers / 3.85) {
            let party = party_size(rng, true);
            let hour = booked_hours[rng.weighted(&booked_weights)].0;
            let at = local(self.tz, date, hour, minute(hour, rng));
            let lead = lead_days(rng, special.lead, weekday >= 4, party, event);
            let booked_at = at - Duration::minutes((lead * 24.0 * 60.0) as i64 + 15);
            if booked_at >= self.now {
                continue; // not booked yet
            }
            let channel = if lead < 0.1 && rng.chance(0.4) {
                "walk_in_list"
            } else {
                ["phone", "web", "web", "app"][rng.below(4) as usize]
            };
            let days = lead.min(30.0);
            let cancel = 0.02 + 0.004 * days;
            let base_no_show = match channel {
                "phone" => 0.03,
                "web" => 0.07,
                "app" => 0.09,
                _ => 0.1,
            };
            let no_show = base_no_show + 0.003 * days + if weather < -1.0 { 0.04 } else { 0.0 }
                - if party >= 6 { 0.02 } else { 0.0 };
            let status = if at < self.now {
                let u = rng.unit();
                if u < cancel {
                    ReservationStatus::Cancelled
                } else if u < cancel + no_show {
                    ReservationStatus::NoShow
                } else {
                    ReservationStatus::Completed
                }
            } else if rng.chance(cancel / 2.0) {
                ReservationStatus::Cancelled
            } else if at - self.now < Duration::days(2) {
                ReservationStatus::Confirmed
            } else {
                ReservationStatus::Booked
            };
            let guest = rng.chance(0.9).then(|| people::guest(rng, party));
            reservations.push(NewReservation {
                external_id: id(format!("demo-r-{stamp}-{n}")),
                reserved_for: at,
                party_size: party,
                status,
                channel: channel.to_owned(),
                booked_at,
                guest,
            });
            if status == ReservationStatus::Completed {
                *seated.entry(hour).or_insert(0.0) += f64::from(party);
                let (menu, extras) = menu_at(hour);
                orders.push(dine_in(format!("demo-o-{stamp}-{n}"), at, party, menu, extras, rng));
            }
        }

        let walk_in_hours = hours(WALK_IN_HOURS);
        let walk_in_weights: Vec<f64> = walk_in_hours.iter().map(|(_, w)| *w).collect();
        for n in 0..poisson(rng, walk_in_covers / 2.6) {
            let party = party_size(rng, false);
            let hour = walk_in_hours[rng.weighted(&walk_in_weights)].0;
            let at = local(self.tz, date, hour, minute(hour, rng));
            let full = seated.get(&hour).copied().unwrap_or(0.0) + f64::from(party) > SEATS_PER_HOUR;
            if at >= self.now || full {
                continue; // still to come, or no table
            }
            *seated.entry(hour).or_insert(0.0) += f64::from(party);
            let (menu, extras) = menu_at(hour);
            orders.push(dine_in(format!("demo-w-{stamp}-{n}"), at, party, menu, extras, rng));
        }

        // Takeout and delivery: busier when the weather keeps people in.
        let to_go_hours = hours(WALK_IN_HOURS);
        let to_go = poisson(rng, demand * 0.055 * (1.0 + 0.15 * (-weather).max(0.0)));
        for k in 0..to_go {
            let hour = to_go_hours[rng.weighted(&walk_in_weights)].0;
            let at = local(self.tz, date, hour, minute(hour, rng));
            if at >= self.now {
                continue;
            }
            let channel = if rng.chance(0.55) { OrderChannel::Takeout } else { OrderChannel::Delivery };
            let (menu, extras) = menu_at(hour);
            orders.push(NewOrder {
                external_id: id(format!("demo-t-{stamp}-{k}")),
                ordered_at: at,
                covers: 0,
                channel,
                lines: lines(1 + rng.below(3) as i32, menu, extras, rng),
            });
        }
        (orders, reservations)
    }
}

/// Days between booking and sitting down: a fifth book on the day, a fifth the day before,
/// the rest days or weeks ahead (further for weekends, large parties and holidays; closer for
/// events nobody planned long in advance).
fn lead_days(rng: &mut Rng, holiday: f64, weekend: bool, party: i32, event: bool) -> f64 {
    let u = rng.unit();
    if u < 0.2 {
        return 0.4 * rng.unit();
    }
    if u < 0.4 {
        return 0.5 + 1.5 * rng.unit();
    }
    let mean = 8.0
        * holiday
        * if weekend { 1.3 } else { 1.0 }
        * if party >= 6 { 1.5 } else { 1.0 }
        * if event { 0.3 } else { 1.0 };
    (-mean * (1.0 - rng.unit()).ln()).min(60.0)
}

/// Items ordered by one party: per guest usually a main, and by daypart a starter, a side, a
/// dessert, a drink.
/// A seated party's check, a few minutes after it sat down.
fn dine_in(
    external_id: String,
    seated_at: DateTime<FixedOffset>,
    party: i32,
    menu: &DayMenu,
    extras: &[(&str, f64)],
    rng: &mut Rng,
) -> NewOrder {
    NewOrder {
        external_id: id(external_id),
        ordered_at: seated_at + Duration::minutes(5 + rng.below(10) as i64),
        covers: party,
        channel: OrderChannel::DineIn,
        lines: lines(party, menu, extras, rng),
    }
}

fn lines(party: i32, menu: &DayMenu, extras: &[(&str, f64)], rng: &mut Rng) -> Vec<NewOrderLine> {
    let mut counts: BTreeMap<i64, i32> = BTreeMap::new();
    let mut take = |category: &str, rng: &mut Rng| {
        if let Some((ids, weights)) = menu.0.get(category)
            && weights.iter().sum::<f64>() > 0.0
        {
            *counts.entry(ids[rng.weighted(weights)]).or_insert(0) += 1;
        }
    };
    for _ in 0..party.max(1) {
        if rng.chance(0.95) {
            take("main", rng);
        }
        for (category, p) in extras {
            if rng.chance(*p) {
                take(category, rng);
            }
        }
    }
    counts.into_iter().map(|(menu_item_id, quantity)| NewOrderLine { menu_item_id, quantity }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poisson_counts_have_their_mean() {
        let mut rng = Rng::new(3);
        for mean in [2.5, 60.0] {
            let total: u32 = (0..4000).map(|_| poisson(&mut rng, mean)).sum();
            let seen = f64::from(total) / 4000.0;
            assert!((seen - mean).abs() < mean * 0.05, "{seen} for {mean}");
        }
    }

    #[test]
    fn leads_reach_weeks_but_many_book_late() {
        let mut rng = Rng::new(5);
        let leads: Vec<f64> = (0..5000).map(|_| lead_days(&mut rng, 1.0, false, 2, false)).collect();
        let late = leads.iter().filter(|l| **l < 1.0).count() as f64 / 5000.0;
        assert!((0.2..0.35).contains(&late), "{late}");
        assert!(leads.iter().any(|l| *l > 21.0));
    }
}
