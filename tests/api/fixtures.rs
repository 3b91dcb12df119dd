//! Generated order history for the standard kitchen: the one generator behind every "kitchen
//! with history" of the suite. Each test file declares its own [`DayPattern`] (its expected
//! numbers follow from it) and the days it covers.
use chrono::{NaiveDate, TimeZone};
use chrono_tz::Europe::Paris;
use serde_json::Value;

use crate::helpers::{Kitchen, order};

/// Which orders of a day also have a soup.
#[derive(Debug, Clone, Copy)]
pub enum Soup {
    Never,
    EveryOther,
    Always,
}

/// One generated day: at each of `hours` (Paris time), `per_hour` orders of two covers,
/// `step` minutes apart from the hour, each with a burger and a salad, and a soup as [`Soup`] says.
#[derive(Debug, Clone, Copy)]
pub struct DayPattern {
    pub hours: &'static [u32],
    pub per_hour: u32,
    pub step: u32,
    pub soup: Soup,
}

/// The orders of `pattern` on every day of `dates`, with external ids `{prefix}-{date}-{hour}-{i}`.
pub fn generated_orders(
    k: &Kitchen,
    prefix: &str,
    dates: impl IntoIterator<Item = NaiveDate>,
    pattern: &DayPattern,
) -> Vec<Value> {
    let mut orders = Vec::new();
    for date in dates {
        for hour in pattern.hours {
            for i in 0..pattern.per_hour {
                let local = date.and_hms_opt(*hour, i * pattern.step, 0).expect("a time of day");
                let at = Paris.from_local_datetime(&local).earliest().expect("a Paris time").to_rfc3339();
                let mut lines = vec![(k.burger, 1), (k.salad, 1)];
                let soup = match pattern.soup {
                    Soup::Never => false,
                    Soup::EveryOther => i % 2 == 0,
                    Soup::Always => true,
                };
                if soup {
                    lines.push((k.soup, 1));
                }
                orders.push(order(&format!("{prefix}-{date}-{hour}-{i}"), &at, 2, &lines));
            }
        }
    }
    orders
}
