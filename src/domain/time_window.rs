//! How far from now a timestamp may lie, by what it means: sales history may be years old but
//! not in the future (beyond clock skew), a booking may be months ahead, a stock count is
//! recent. A timestamp outside its window is refused with the rule, never stored (a count dated
//! 9999-12-31 would hide every later count for good).
use chrono::{DateTime, Duration, FixedOffset, Utc};

/// Seconds in a day, for the windows below.
const DAY: i64 = 86_400;
/// Clocks of point-of-sale systems and servers disagree by a little.
const SKEW: i64 = 5 * 60;

#[derive(Debug, Clone, Copy)]
pub struct TimeWindow {
    past_secs: i64,
    future_secs: i64,
    /// The rule, as an error message says it.
    pub rule: &'static str,
}

/// When an order was placed or a booking made.
pub const HISTORY: TimeWindow = TimeWindow {
    past_secs: 3653 * DAY,
    future_secs: SKEW,
    rule: "must be within the last 10 years and no more than 5 minutes ahead of now",
};

/// When a party is expected.
pub const BOOKING: TimeWindow = TimeWindow {
    past_secs: 3653 * DAY,
    future_secs: 731 * DAY,
    rule: "must be within the last 10 years and the next 2 years",
};

/// When stock was counted.
pub const COUNT: TimeWindow = TimeWindow {
    past_secs: 366 * DAY,
    future_secs: SKEW,
    rule: "must be within the last year and no more than 5 minutes ahead of now",
};

impl TimeWindow {
    /// `Err(rule)` when `at` lies outside the window around `now`.
    pub fn check(&self, at: DateTime<FixedOffset>, now: DateTime<Utc>) -> Result<(), &'static str> {
        let offset = at.with_timezone(&Utc) - now;
        let inside = offset >= -Duration::seconds(self.past_secs) && offset <= Duration::seconds(self.future_secs);
        if inside { Ok(()) } else { Err(self.rule) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(text).expect("a timestamp")
    }

    #[test]
    fn each_window_takes_what_its_meaning_allows() {
        let now = at("2026-12-01T12:00:00Z").with_timezone(&Utc);
        assert!(HISTORY.check(at("2019-06-01T12:00:00+02:00"), now).is_ok());
        assert!(HISTORY.check(at("2026-12-01T12:04:00Z"), now).is_ok(), "clock skew");
        for bad in ["2026-12-01T12:06:00Z", "9999-12-31T00:00:00Z", "1900-01-01T00:00:00Z", "2016-01-01T00:00:00Z"] {
            assert!(HISTORY.check(at(bad), now).is_err(), "{bad}");
        }
        assert!(BOOKING.check(at("2027-06-01T19:30:00+02:00"), now).is_ok());
        assert!(BOOKING.check(at("2029-01-01T19:30:00Z"), now).is_err());
        assert!(COUNT.check(at("2026-11-30T08:00:00Z"), now).is_ok());
        assert!(COUNT.check(at("9999-12-31T00:00:00Z"), now).is_err());
        assert!(COUNT.check(at("2025-01-01T00:00:00Z"), now).is_err());
    }
}
