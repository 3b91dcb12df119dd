//! Request field types whose published schema states their whole rule, so the document and the
//! server cannot disagree: strings that are JSON strings (poem-openapi's `String` would take
//! `false` or `12` and store "false"), names with a visible character, e-mail addresses, times
//! of day, and calendar days written as the standard `format: date`.
//!
//! Each type checks its rule when it is parsed too, with the same pattern the document shows.
use std::{borrow::Cow, fmt, ops::Deref, str::FromStr, sync::LazyLock};

use chrono::NaiveDate;
use poem_openapi::{
    registry::{MetaSchema, MetaSchemaRef},
    types::{ParseError, ParseFromJSON, ParseFromParameter, ParseResult, ToJSON, Type},
};
use regex::Regex;
use serde_json::Value;

use crate::{
    domain::{ExternalId, external_id},
    validation::{VISIBLE_TEXT, VISIBLE_TEXT_RULE, is_visible_text},
};

/// An e-mail address as HTML forms accept it (WHATWG's `valid e-mail address`).
pub const EMAIL: &str = r"^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$";
pub const EMAIL_RULE: &str = "must be an e-mail address";

/// An `Idempotency-Key`: 1 to 255 visible ASCII characters.
pub const IDEMPOTENCY_KEY: &str = r"^[\u0021-\u007E]{1,255}$";
pub const IDEMPOTENCY_KEY_RULE: &str = "must be 1 to 255 visible ASCII characters";

/// A time of day on the 24-hour clock, `HH:MM`.
pub const CLOCK: &str = r"^([01][0-9]|2[0-3]):[0-5][0-9]$";
pub const CLOCK_RULE: &str = "must be a time of day written HH:MM, 00:00 to 23:59";

static EMAIL_RE: LazyLock<Regex> = LazyLock::new(|| compile(EMAIL));
static CLOCK_RE: LazyLock<Regex> = LazyLock::new(|| compile(CLOCK));
static IDEMPOTENCY_KEY_RE: LazyLock<Regex> = LazyLock::new(|| compile(IDEMPOTENCY_KEY));

fn compile(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| panic!("field pattern {pattern:?}: {e}"))
}

/// The published rule behind a pattern of the document, in words (never the value).
pub fn pattern_rule(pattern: &str) -> Option<&'static str> {
    if pattern == VISIBLE_TEXT.as_str() {
        Some(VISIBLE_TEXT_RULE)
    } else if pattern == EMAIL {
        Some(EMAIL_RULE)
    } else if pattern == CLOCK {
        Some(CLOCK_RULE)
    } else if pattern == IDEMPOTENCY_KEY {
        Some(IDEMPOTENCY_KEY_RULE)
    } else if pattern == external_id::PATTERN {
        Some(ExternalId::RULE)
    } else {
        None
    }
}

/// Free text of at most `MAX` characters (a guest's note, a booking system's id).
#[derive(Clone, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct Text<const MAX: usize>(String);

/// A name or label of 1 to `MAX` characters with a visible one (`validation::VISIBLE_TEXT`).
#[derive(Clone, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct Name<const MAX: usize>(String);

/// An e-mail address ([`EMAIL`]), at most 254 characters.
#[derive(Clone, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct Email(String);

/// A point of sale's or booking system's id, as [`ExternalId`] takes it.
#[derive(Clone, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct PosId(String);

/// A client's key for retrying a write safely ([`IDEMPOTENCY_KEY`]).
#[derive(Clone, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct IdempotencyKey(String);

/// A time of day, `HH:MM` ([`CLOCK`]).
#[derive(Clone, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct Clock(String);

/// A calendar day, `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day(pub NaiveDate);

impl<const MAX: usize> Text<MAX> {
    pub fn parse(text: String) -> Result<Self, String> {
        within(&text, 0, MAX)?;
        Ok(Self(text))
    }
}

impl<const MAX: usize> Name<MAX> {
    pub fn parse(text: String) -> Result<Self, String> {
        within(&text, 1, MAX)?;
        if !is_visible_text(&text) {
            return Err(VISIBLE_TEXT_RULE.to_owned());
        }
        Ok(Self(text))
    }
}

impl Email {
    const MAX: usize = 254;

    pub fn parse(text: String) -> Result<Self, String> {
        within(&text, 1, Self::MAX)?;
        if !EMAIL_RE.is_match(&text) {
            return Err(EMAIL_RULE.to_owned());
        }
        Ok(Self(text))
    }
}

impl PosId {
    pub fn parse(text: String) -> Result<Self, String> {
        ExternalId::parse(&text)?;
        Ok(Self(text))
    }
}

impl IdempotencyKey {
    pub fn parse(text: String) -> Result<Self, String> {
        if !IDEMPOTENCY_KEY_RE.is_match(&text) {
            return Err(IDEMPOTENCY_KEY_RULE.to_owned());
        }
        Ok(Self(text))
    }
}

impl Clock {
    pub fn parse(text: String) -> Result<Self, String> {
        if !CLOCK_RE.is_match(&text) {
            return Err(CLOCK_RULE.to_owned());
        }
        Ok(Self(text))
    }

    pub fn of(time: chrono::NaiveTime) -> Self {
        Self(crate::domain::opening_hours::format_hhmm(time))
    }
}

fn within(text: &str, min: usize, max: usize) -> Result<(), String> {
    let length = text.chars().count();
    if length < min || length > max {
        return Err(format!("length must be between {min} and {max}"));
    }
    Ok(())
}

/// The schema of a string field with its rule.
fn string_schema(min: Option<usize>, max: usize, pattern: Option<&str>) -> MetaSchemaRef {
    MetaSchemaRef::Inline(Box::new(MetaSchema {
        min_length: min,
        max_length: Some(max),
        pattern: pattern.map(str::to_owned),
        ..MetaSchema::new("string")
    }))
}

/// A JSON string and nothing else; what is wrong is said without the value (it may be a
/// guest's note).
fn json_string(value: Option<Value>) -> Result<String, String> {
    match value {
        Some(Value::String(text)) => Ok(text),
        _ => Err("must be a string".to_owned()),
    }
}

macro_rules! string_field {
    ($ty:ident $(<const $max:ident: usize>)?, $name:expr, $schema:expr) => {
        impl$(<const $max: usize>)? Type for $ty$(<$max>)? {
            const IS_REQUIRED: bool = true;
            type RawValueType = Self;
            type RawElementValueType = Self;

            fn name() -> Cow<'static, str> {
                $name
            }

            fn schema_ref() -> MetaSchemaRef {
                $schema
            }

            fn as_raw_value(&self) -> Option<&Self::RawValueType> {
                Some(self)
            }

            fn raw_element_iter<'a>(&'a self) -> Box<dyn Iterator<Item = &'a Self::RawElementValueType> + 'a> {
                Box::new(self.as_raw_value().into_iter())
            }
        }

        impl$(<const $max: usize>)? ParseFromJSON for $ty$(<$max>)? {
            fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
                json_string(value).and_then(Self::parse).map_err(ParseError::custom)
            }
        }

        impl$(<const $max: usize>)? ParseFromParameter for $ty$(<$max>)? {
            fn parse_from_parameter(value: &str) -> ParseResult<Self> {
                Self::parse(value.to_owned()).map_err(ParseError::custom)
            }
        }

        impl$(<const $max: usize>)? ToJSON for $ty$(<$max>)? {
            fn to_json(&self) -> Option<Value> {
                Some(Value::String(self.0.clone()))
            }
        }

        impl$(<const $max: usize>)? Deref for $ty$(<$max>)? {
            type Target = str;

            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl$(<const $max: usize>)? From<$ty$(<$max>)?> for String {
            fn from(value: $ty$(<$max>)?) -> String {
                value.0
            }
        }

        impl$(<const $max: usize>)? fmt::Debug for $ty$(<$max>)? {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&self.0, f)
            }
        }
    };
}

string_field!(Text<const MAX: usize>, format!("string_max_{MAX}").into(), string_schema(None, MAX, None));
string_field!(
    Name<const MAX: usize>,
    format!("name_max_{MAX}").into(),
    string_schema(Some(1), MAX, Some(&VISIBLE_TEXT))
);
string_field!(Email, "email".into(), string_schema(Some(1), Email::MAX, Some(EMAIL)));
string_field!(PosId, "external_id".into(), string_schema(Some(1), ExternalId::MAX_LEN, Some(external_id::PATTERN)));
string_field!(IdempotencyKey, "idempotency_key".into(), string_schema(Some(1), 255, Some(IDEMPOTENCY_KEY)));
string_field!(Clock, "clock".into(), string_schema(Some(5), 5, Some(CLOCK)));

impl Type for Day {
    const IS_REQUIRED: bool = true;
    type RawValueType = Self;
    type RawElementValueType = Self;

    fn name() -> Cow<'static, str> {
        "string_date".into()
    }

    fn schema_ref() -> MetaSchemaRef {
        MetaSchemaRef::Inline(Box::new(MetaSchema::new_with_format("string", "date")))
    }

    fn as_raw_value(&self) -> Option<&Self::RawValueType> {
        Some(self)
    }

    fn raw_element_iter<'a>(&'a self) -> Box<dyn Iterator<Item = &'a Self::RawElementValueType> + 'a> {
        Box::new(self.as_raw_value().into_iter())
    }
}

impl ParseFromJSON for Day {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        json_string(value).map_err(ParseError::custom).and_then(|text| Self::parse_from_parameter(&text))
    }
}

impl ToJSON for Day {
    fn to_json(&self) -> Option<Value> {
        Some(Value::String(self.0.to_string()))
    }
}

impl ParseFromParameter for Day {
    fn parse_from_parameter(value: &str) -> ParseResult<Self> {
        // Exactly `YYYY-MM-DD`, as RFC 3339's full-date: chrono alone would take `+2026-1-2`.
        let well_formed = value.len() == 10
            && value.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
        well_formed
            .then(|| NaiveDate::from_str(value).ok())
            .flatten()
            .map(Day)
            .ok_or_else(|| ParseError::custom("must be a calendar day written YYYY-MM-DD"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_visible_text_within_its_length() {
        // The visible-text rule itself is tested where it lives (`validation`).
        assert!(Name::<200>::parse("Café Brûlée".to_owned()).is_ok());
        for bad in ["", "\u{200B}\u{200B}", "a\0b", "abc\u{202E}cba"] {
            assert!(Name::<200>::parse(bad.to_owned()).is_err(), "{bad:?}");
        }
        assert!(Name::<3>::parse("four".to_owned()).is_err());
    }

    #[test]
    fn lengths_count_characters_not_bytes() {
        assert!(Text::<3>::parse("ééé".to_owned()).is_ok());
        assert!(Text::<3>::parse("éééé".to_owned()).is_err());
        assert!(Text::<3>::parse(String::new()).is_ok());
    }

    #[test]
    fn only_json_strings_are_strings() {
        for value in [Value::Bool(false), Value::from(12), Value::Null, serde_json::json!(["x"])] {
            assert!(Name::<10>::parse_from_json(Some(value.clone())).is_err(), "{value}");
            assert!(Text::<10>::parse_from_json(Some(value.clone())).is_err(), "{value}");
        }
        assert!(Text::<10>::parse_from_json(None).is_err());
    }

    #[test]
    fn emails_follow_the_html_rule() {
        for good in ["a@b", "maria.lopez+sous@example.co.uk"] {
            assert!(Email::parse(good.to_owned()).is_ok(), "{good:?}");
        }
        for bad in ["", "maria", "a@", "@b", "a@b..c", "a b@c", "a@-b"] {
            assert!(Email::parse(bad.to_owned()).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn times_of_day_are_written_hh_mm() {
        for good in ["00:00", "09:30", "23:59"] {
            assert!(Clock::parse(good.to_owned()).is_ok(), "{good:?}");
        }
        for bad in ["", "9:30", "24:00", "12:60", "12:00:00", " 12:00", "12h00"] {
            assert!(Clock::parse(bad.to_owned()).is_err(), "{bad:?}");
        }
        let time = chrono::NaiveTime::from_hms_opt(7, 5, 0).expect("a time");
        assert_eq!(&*Clock::of(time), "07:05");
    }

    #[test]
    fn idempotency_keys_are_visible_ascii() {
        assert!(IdempotencyKey::parse("order-batch-7f3a~!".to_owned()).is_ok());
        assert!(IdempotencyKey::parse("x".repeat(255)).is_ok());
        for bad in [String::new(), "x".repeat(256), "with space".into(), "café".into(), "tab\t".into()] {
            assert!(IdempotencyKey::parse(bad.clone()).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn days_are_written_in_full() {
        assert_eq!(Day::parse_from_parameter("2026-12-02").ok(), NaiveDate::from_ymd_opt(2026, 12, 2).map(Day));
        for bad in ["", "2026-1-2", "+2026-12-02", "2026-13-01", "2026-02-30", "02/12/2026", "2026-12-02T00:00"] {
            assert!(Day::parse_from_parameter(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn every_pattern_compiles_and_says_its_rule() {
        assert_eq!(pattern_rule(&VISIBLE_TEXT), Some(VISIBLE_TEXT_RULE));
        assert_eq!(pattern_rule(EMAIL), Some(EMAIL_RULE));
        assert_eq!(pattern_rule(CLOCK), Some(CLOCK_RULE));
        assert_eq!(pattern_rule(IDEMPOTENCY_KEY), Some(IDEMPOTENCY_KEY_RULE));
        assert_eq!(pattern_rule(external_id::PATTERN), Some(ExternalId::RULE));
        assert_eq!(pattern_rule("^x$"), None);
    }
}
