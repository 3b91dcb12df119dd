//! Item mix: portions of each menu item per cover over recent days (the same weekday weighing
//! more), applied to the day's expected covers. A dish new to the menu is measured from its
//! first sale; a dish that stopped selling when it used to sell several a week is taken as
//! off the menu; a dish that sells far more (or less) on the target's weekday than chance
//! allows (a weekly special) is measured on that weekday alone.
use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};

use super::{Params, window::Window};

/// What the mix is per.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    Covers,
    /// A kitchen with no seated guests (takeout only): portions per order.
    Orders,
}

#[derive(Debug, Clone, Default)]
pub struct Mix {
    /// Portions per cover (or per order) of each menu item.
    pub rates: BTreeMap<i64, f64>,
    pub base: Option<Base>,
    /// Days the mix was measured on.
    pub days: usize,
    /// Items first sold within the window, measured since.
    pub new_items: Vec<i64>,
    /// Items that stopped selling.
    pub off_menu: Vec<i64>,
    /// Items that sell differently on the target's weekday, measured on that weekday only.
    pub weekday_items: Vec<i64>,
    /// How much more a day's portions scatter than pure chance (Poisson) would have them.
    pub overdispersion: f64,
    /// Dish-days of the window when the dish ran out: their demand is estimated from the
    /// guests who came before it did ([`Window::demand`]), not taken from what sold.
    pub censored: usize,
}

/// Sold nothing for this many days while expected to sell this many portions: off the menu.
const OFF_MENU_DAYS: i64 = 7;
const OFF_MENU_PORTIONS: f64 = 3.0;
/// First sold this many days after the window starts: a new dish.
const NEW_ITEM_DAYS: i64 = 7;
/// Portions of a dish scatter about twice as much as independent orders would (parties order
/// together).
const WEEKDAY_SCATTER: f64 = 2.0;

pub fn mix(window: &Window, date: NaiveDate, params: &Params) -> Mix {
    let start = date - Duration::days(params.mix_days);
    let days: Vec<(NaiveDate, f64, f64)> =
        window.days_with_sales(start, date).map(|(d, s)| (d, s.covers, s.orders)).collect();
    let covers: f64 = days.iter().map(|d| d.1).sum();
    let base = if covers > 0.0 {
        Base::Covers
    } else if days.iter().any(|d| d.2 > 0.0) {
        Base::Orders
    } else {
        return Mix::default();
    };
    let base_of = |covers: f64, orders: f64| if base == Base::Covers { covers } else { orders };
    let weight = |d: NaiveDate| {
        let same = if d.weekday() == date.weekday() { params.mix_same_weekday } else { 1.0 };
        same * (1.0 - params.mix_decay).powi(((date - d).num_days() - 1).max(0) as i32)
    };

    let mut first_last: BTreeMap<i64, (NaiveDate, NaiveDate)> = BTreeMap::new();
    for (d, _, _) in &days {
        for (item, q) in window.items.get(d).into_iter().flatten() {
            if *q > 0.0 {
                let e = first_last.entry(*item).or_insert((*d, *d));
                e.0 = e.0.min(*d);
                e.1 = e.1.max(*d);
            }
        }
    }
    let mut out = Mix { base: Some(base), days: days.len(), ..Mix::default() };
    for (item, (first, last)) in first_last {
        let since = if first > start + Duration::days(NEW_ITEM_DAYS) {
            out.new_items.push(item);
            first
        } else {
            start
        };
        let (mut sold, mut served, mut censored) = (0.0, 0.0, 0);
        // Unweighted, all days and the target's weekday: does the dish sell differently then?
        let (mut all, mut on_weekday) = ((0.0, 0.0), (0.0, 0.0));
        for (d, c, o) in days.iter().filter(|(d, _, _)| *d >= since) {
            let w = weight(*d);
            let sold_that_day = window.items.get(d).and_then(|m| m.get(&item)).copied().unwrap_or(0.0);
            if window.sold_out_at(*d, item).is_some() {
                censored += 1;
            }
            let q = window.demand(*d, item, sold_that_day, base == Base::Orders);
            sold += w * q;
            served += w * base_of(*c, *o);
            all = (all.0 + q, all.1 + base_of(*c, *o));
            if d.weekday() == date.weekday() {
                on_weekday = (on_weekday.0 + q, on_weekday.1 + base_of(*c, *o));
            }
        }
        let mut rate = if served > 0.0 { sold / served } else { 0.0 };
        if all.1 > 0.0 && on_weekday.1 > 0.0 {
            let (usual, own) = (all.0 / all.1, on_weekday.0 / on_weekday.1);
            // A weekly special (or a dish nobody orders on that day): the difference is far
            // beyond chance, counting dishes ordered together as the pooled scatter says.
            let z = (own - usual) / (usual.max(1e-9) * WEEKDAY_SCATTER / on_weekday.1).sqrt();
            if z.abs() > params.weekday_z {
                out.weekday_items.push(item);
                rate = own;
            }
        }
        let quiet: f64 = days.iter().filter(|(d, _, _)| *d > last).map(|(_, c, o)| base_of(*c, *o)).sum();
        if (date - last).num_days() > OFF_MENU_DAYS && rate * quiet >= OFF_MENU_PORTIONS {
            out.off_menu.push(item);
            continue;
        }
        out.censored += censored;
        out.rates.insert(item, rate);
    }
    out.overdispersion = overdispersion(window, &days, &out.rates, base);
    out
}

/// Pooled `Σ (sold − expected)² / Σ expected` over the mix's days and items, at least 1.
fn overdispersion(window: &Window, days: &[(NaiveDate, f64, f64)], rates: &BTreeMap<i64, f64>, base: Base) -> f64 {
    let (mut squares, mut expected) = (0.0, 0.0);
    for (d, c, o) in days {
        let served = if base == Base::Covers { *c } else { *o };
        let sold = window.items.get(d);
        for (item, rate) in rates {
            let e = rate * served;
            let q = sold.and_then(|m| m.get(item)).copied().unwrap_or(0.0);
            let q = window.demand(*d, *item, q, base == Base::Orders);
            squares += (q - e).powi(2);
            expected += e;
        }
    }
    if expected > 0.0 { (squares / expected).clamp(1.0, 50.0) } else { 1.0 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forecast::window::Sales;

    fn window(days: i64, item_of_day: impl Fn(i64) -> Vec<(i64, f64)>) -> Window {
        let mut w = Window::new(chrono_tz::UTC);
        let target: NaiveDate = "2026-03-29".parse().unwrap();
        for back in 1..=days {
            let d = target - Duration::days(back);
            w.days.insert(d, Sales { covers: 100.0, orders: 40.0 });
            w.items.insert(d, item_of_day(back).into_iter().collect());
        }
        w
    }

    #[test]
    fn portions_per_cover_apply_to_every_item() {
        let w = window(28, |_| vec![(1, 30.0), (2, 10.0)]);
        let m = mix(&w, "2026-03-29".parse().unwrap(), &Params::default());
        assert!((m.rates[&1] - 0.3).abs() < 1e-9 && (m.rates[&2] - 0.1).abs() < 1e-9);
        assert!(m.new_items.is_empty() && m.off_menu.is_empty());
    }

    #[test]
    fn a_new_dish_is_measured_from_its_first_sale_and_a_dropped_one_goes() {
        // Item 3 launched 10 days ago; item 4 stopped 12 days ago after 10 a day.
        let w = window(28, |back| {
            let mut v = vec![(1, 30.0)];
            if back <= 10 {
                v.push((3, 20.0));
            }
            if back > 12 {
                v.push((4, 10.0));
            }
            v
        });
        let m = mix(&w, "2026-03-29".parse().unwrap(), &Params::default());
        assert!((m.rates[&3] - 0.2).abs() < 1e-9, "{:?}", m.rates);
        assert_eq!(m.new_items, [3]);
        assert_eq!(m.off_menu, [4]);
        assert!(!m.rates.contains_key(&4));
    }

    #[test]
    fn a_dish_that_sold_out_counts_the_demand_it_hid() {
        // Item 6 sells 10 a day; on one day it ran out at 15:00, when half the guests had come,
        // and sold 5.
        let mut w = window(28, |back| vec![(1, 30.0), (6, if back == 3 { 5.0 } else { 10.0 })]);
        for back in 1..=28 {
            let d = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap() - Duration::days(back);
            let hours = [(12, 50.0), (19, 50.0)].map(|(h, c)| (h, Sales { covers: c, orders: c / 2.5 }));
            w.hours.insert(d, hours.into_iter().collect());
        }
        let plain = mix(&w, "2026-03-29".parse().unwrap(), &Params::default());
        let day = NaiveDate::from_ymd_opt(2026, 3, 26).unwrap();
        w.sold_out.entry(day).or_default().insert(6, chrono::NaiveTime::from_hms_opt(15, 0, 0).unwrap());
        assert!((w.demand(day, 6, 5.0, false) - 10.0).abs() < 1e-9, "half the guests came before: 5 sold, 10 wanted");
        let censored = mix(&w, "2026-03-29".parse().unwrap(), &Params::default());
        assert_eq!((plain.censored, censored.censored), (0, 1));
        assert!((censored.rates[&6] - 0.1).abs() < 1e-9, "{:?}", censored.rates);
        assert!(plain.rates[&6] < 0.099, "what sold alone undercounts: {:?}", plain.rates);
    }

    #[test]
    fn a_weekly_special_is_measured_on_its_weekday() {
        // 2026-03-29 is a Sunday: item 5 sells three times as much on Sundays.
        let w = window(28, |back| vec![(1, 30.0), (5, if back % 7 == 0 { 30.0 } else { 10.0 })]);
        let m = mix(&w, "2026-03-29".parse().unwrap(), &Params::default());
        assert_eq!(m.weekday_items, [5]);
        assert!((m.rates[&5] - 0.3).abs() < 1e-9, "{:?}", m.rates);
        assert!((m.rates[&1] - 0.3).abs() < 1e-9);
    }
}
