//! The demo restaurant's calendar (it is in New York): the days it closes and the days that
//! are not like the others, with how much busier they are, how much of it is booked and how
//! early people book.
use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// How a special day differs from an ordinary one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Special {
    /// Multiplier on the usual demand.
    pub demand: f64,
    /// Share of the demand that books ahead, instead of the weekday's usual share.
    pub booked_share: Option<f64>,
    /// Multiplier on how far ahead people book.
    pub lead: f64,
}

const ORDINARY: Special = Special { demand: 1.0, booked_share: None, lead: 1.0 };

fn nth(year: i32, month: u32, weekday: Weekday, n: u8) -> Option<NaiveDate> {
    NaiveDate::from_weekday_of_month_opt(year, month, weekday, n)
}

fn last(year: i32, month: u32, weekday: Weekday) -> Option<NaiveDate> {
    (1..=5).rev().find_map(|n| nth(year, month, weekday, n))
}

/// Easter Sunday (anonymous Gregorian computus).
fn easter(year: i32) -> Option<NaiveDate> {
    let (a, b, c) = (year % 19, year / 100, year % 100);
    let (d, e) = (b / 4, b % 4);
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32)
}

/// `None` when the restaurant is closed; otherwise how the day differs.
pub fn special(date: NaiveDate) -> Option<Special> {
    let (y, m, d) = (date.year(), date.month(), date.day());
    let is = |day: Option<NaiveDate>| day == Some(date);
    let thanksgiving = nth(y, 11, Weekday::Thu, 4);
    if (m, d) == (12, 25) || (m, d) == (1, 1) || is(thanksgiving) {
        return None;
    }
    let day = |demand, booked_share, lead| Special { demand, booked_share, lead };
    Some(match (m, d) {
        (2, 14) => day(1.7, Some(0.85), 2.0),
        (12, 31) => day(1.4, Some(0.8), 2.5),
        (12, 24) => day(0.6, Some(0.6), 1.5),
        (7, 4) => day(0.6, Some(0.2), 1.0),
        (10, 31) => day(0.85, None, 1.0),
        (3, 17) => day(1.15, Some(0.2), 1.0),
        _ if is(nth(y, 5, Weekday::Sun, 2)) => day(1.5, Some(0.75), 2.0), // Mother's Day
        _ if is(nth(y, 6, Weekday::Sun, 3)) => day(1.25, Some(0.6), 1.5), // Father's Day
        _ if is(easter(y)) => day(1.3, Some(0.6), 1.5),
        _ if is(nth(y, 2, Weekday::Sun, 2)) => day(0.7, Some(0.25), 1.0), // the big game
        _ if is(last(y, 5, Weekday::Mon)) || is(nth(y, 9, Weekday::Mon, 1)) => day(0.8, None, 1.0),
        _ if is(thanksgiving.map(|t| t - Duration::days(1))) => day(1.2, None, 1.0),
        _ if is(thanksgiving.map(|t| t + Duration::days(1))) => day(1.1, None, 1.0),
        _ => ORDINARY,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_on_christmas_and_busy_on_valentines_day() {
        assert_eq!(special("2025-12-25".parse().unwrap()), None);
        assert_eq!(special("2026-11-26".parse().unwrap()), None, "Thanksgiving 2026");
        assert_eq!(special("2026-02-14".parse().unwrap()).unwrap().demand, 1.7);
        assert_eq!(special("2026-03-03".parse().unwrap()), Some(ORDINARY));
    }

    #[test]
    fn easter_moves() {
        assert_eq!(easter(2026), "2026-04-05".parse().ok());
        assert_eq!(easter(2025), "2025-04-20".parse().ok());
    }
}
