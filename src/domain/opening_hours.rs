//! A location's weekly opening hours: at most one service window a weekday, closing the
//! same day it opens. A weekday that is not listed is a closed day.
use chrono::{NaiveTime, Timelike};
use serde::{Deserialize, Serialize};

use super::DayOfWeek;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayHours {
    pub weekday: DayOfWeek,
    pub opens: NaiveTime,
    pub closes: NaiveTime,
}

impl DayHours {
    /// The service day's blocks, `(start, end)`: one per clock hour the location is open, the
    /// first and last cut to the opening hours.
    pub fn blocks(&self) -> Vec<(NaiveTime, NaiveTime)> {
        let first = self.opens.hour();
        let last = if self.closes.minute() == 0 { self.closes.hour() } else { self.closes.hour() + 1 };
        (first..last)
            .map(|hour| {
                let start = self.opens.max(NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or(self.opens));
                let end = NaiveTime::from_hms_opt(hour + 1, 0, 0).map_or(self.closes, |t| t.min(self.closes));
                (start, end)
            })
            .filter(|(start, end)| end > start)
            .collect()
    }

    /// The blocks' starts, `HH:MM`, as plans and actuals write them.
    pub fn block_starts(&self) -> Vec<String> {
        self.blocks().iter().map(|(start, _)| format_hhmm(*start)).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OpeningHours(Vec<DayHours>);

/// The stored (JSON) form of one day.
#[derive(Serialize, Deserialize)]
struct StoredDay {
    weekday: String,
    opens: String,
    closes: String,
}

/// Parses `HH:MM` (24-hour clock).
pub fn parse_hhmm(text: &str) -> Result<NaiveTime, String> {
    NaiveTime::parse_from_str(text, "%H:%M").map_err(|_| format!("{text:?} is not a time of day as HH:MM"))
}

pub fn format_hhmm(time: NaiveTime) -> String {
    format!("{:02}:{:02}", time.hour(), time.minute())
}

impl OpeningHours {
    /// Builds the week from `(weekday, opens, closes)` triples; errors name the offending entry.
    pub fn parse(days: &[(DayOfWeek, &str, &str)]) -> Result<Self, Vec<(String, String)>> {
        let mut errors = Vec::new();
        let mut parsed: Vec<DayHours> = Vec::new();
        for (i, (weekday, opens, closes)) in days.iter().enumerate() {
            let opens = parse_hhmm(opens).map_err(|e| errors.push((format!("opening_hours[{i}].opens"), e)));
            let closes = parse_hhmm(closes).map_err(|e| errors.push((format!("opening_hours[{i}].closes"), e)));
            let (Ok(opens), Ok(closes)) = (opens, closes) else { continue };
            if closes <= opens {
                errors.push((format!("opening_hours[{i}].closes"), "must be after opens (same day)".to_owned()));
            } else if parsed.iter().any(|d| d.weekday == *weekday) {
                errors.push((format!("opening_hours[{i}].weekday"), format!("{weekday} is listed twice")));
            } else {
                parsed.push(DayHours { weekday: *weekday, opens, closes });
            }
        }
        if errors.is_empty() {
            parsed.sort_by_key(|d| d.weekday.index());
            Ok(Self(parsed))
        } else {
            Err(errors)
        }
    }

    pub fn days(&self) -> &[DayHours] {
        &self.0
    }

    pub fn for_weekday(&self, weekday: DayOfWeek) -> Option<DayHours> {
        self.0.iter().copied().find(|d| d.weekday == weekday)
    }

    pub fn to_json(&self) -> serde_json::Value {
        let days: Vec<StoredDay> = self
            .0
            .iter()
            .map(|d| StoredDay {
                weekday: d.weekday.to_string(),
                opens: format_hhmm(d.opens),
                closes: format_hhmm(d.closes),
            })
            .collect();
        serde_json::to_value(days).unwrap_or_default()
    }

    /// Reads the stored form; the database only ever holds what [`Self::parse`] accepted.
    pub fn from_json(value: &serde_json::Value) -> Result<Self, String> {
        let stored: Vec<StoredDay> = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
        let mut days = Vec::with_capacity(stored.len());
        for day in &stored {
            let weekday = DayOfWeek::parse(&day.weekday).ok_or_else(|| format!("bad weekday {:?}", day.weekday))?;
            days.push((weekday, day.opens.as_str(), day.closes.as_str()));
        }
        Self::parse(&days).map_err(|errors| format!("{errors:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_round_trips_through_json() {
        let hours =
            OpeningHours::parse(&[(DayOfWeek::Sat, "11:30", "23:00"), (DayOfWeek::Tue, "17:00", "22:00")]).unwrap();
        assert_eq!(hours.days()[0].weekday, DayOfWeek::Tue, "sorted by weekday");
        assert_eq!(OpeningHours::from_json(&hours.to_json()).unwrap(), hours);
        assert!(hours.for_weekday(DayOfWeek::Mon).is_none());
    }

    #[test]
    fn names_the_entry_at_fault() {
        let errors =
            OpeningHours::parse(&[(DayOfWeek::Mon, "11:00", "10:00"), (DayOfWeek::Tue, "25:00", "22:00")]).unwrap_err();
        assert_eq!(errors[0].0, "opening_hours[0].closes");
        assert_eq!(errors[1].0, "opening_hours[1].opens");
    }

    #[test]
    fn refuses_a_weekday_twice() {
        let errors =
            OpeningHours::parse(&[(DayOfWeek::Mon, "11:00", "14:00"), (DayOfWeek::Mon, "18:00", "22:00")]).unwrap_err();
        assert_eq!(errors[0].0, "opening_hours[1].weekday");
    }
}
