//! The values settings take, each parsed into its type with a message that says what it
//! accepts (never repeating a secret). clap calls these for flags and environment variables alike.
use std::fmt;

use chrono::NaiveTime;

/// A sampling temperature from 0 to 2, or none sent (`omit`) for models that only take their
/// default. Not an `Option`: clap reads an `Option` field as "the argument may be absent".
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Temperature {
    Value(f32),
    Omit,
}

impl Temperature {
    pub fn parse(text: &str) -> Result<Self, String> {
        if text.trim().eq_ignore_ascii_case("omit") {
            return Ok(Self::Omit);
        }
        match text.trim().parse::<f32>() {
            Ok(t) if (0.0..=2.0).contains(&t) => Ok(Self::Value(t)),
            _ => Err("accepts a number from 0 to 2, or `omit`".to_owned()),
        }
    }

    /// What is sent: `None` leaves the model at its own default.
    pub fn value(self) -> Option<f32> {
        match self {
            Self::Value(t) => Some(t),
            Self::Omit => None,
        }
    }
}

impl fmt::Display for Temperature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Value(t) => write!(f, "{t}"),
            Self::Omit => f.write_str("omit"),
        }
    }
}

/// A whole number from `MIN` to `MAX`, as the type the setting is kept in.
pub(super) fn whole<T: TryFrom<u64>, const MIN: u64, const MAX: u64>(text: &str) -> Result<T, String> {
    text.trim()
        .parse::<u64>()
        .ok()
        .filter(|n| (MIN..=MAX).contains(n))
        .and_then(|n| T::try_from(n).ok())
        .ok_or_else(|| format!("accepts a whole number from {MIN} to {MAX}"))
}

/// A number of seconds above 0 and at most an hour.
pub(super) fn seconds(text: &str) -> Result<f64, String> {
    number_in(text, 0.0, 3600.0, false).ok_or_else(|| "accepts a number of seconds above 0, at most 3600".to_owned())
}

/// A finite number within `[min, max]` (or `(min, max]` when the low end is open).
fn number_in(text: &str, min: f64, max: f64, min_included: bool) -> Option<f64> {
    let n = text.trim().parse::<f64>().ok().filter(|n| n.is_finite())?;
    let above = if min_included { n >= min } else { n > min };
    (above && n <= max).then_some(n)
}

pub(super) fn band_low(text: &str) -> Result<f64, String> {
    number_in(text, 0.0, 1.0, true)
        .ok_or_else(|| "accepts a ratio from 0 to 1 (the lowest share of the baseline accepted)".to_owned())
}

pub(super) fn band_high(text: &str) -> Result<f64, String> {
    number_in(text, 1.0, 100.0, true)
        .ok_or_else(|| "accepts a ratio from 1 to 100 (the highest multiple of the baseline accepted)".to_owned())
}

/// A share of expected covers that makes a change material (also a location's own).
pub fn covers_share(text: &str) -> Result<f64, String> {
    number_in(text, 0.0, 10.0, true).ok_or_else(|| "accepts a share from 0 to 10 (0.1 is 10 %)".to_owned())
}

/// A number of covers that makes a change material (also a location's own).
pub fn covers_min(text: &str) -> Result<f64, String> {
    number_in(text, 0.0, 100_000.0, true).ok_or_else(|| "accepts a number of covers from 0 to 100000".to_owned())
}

pub(super) fn band_floor(text: &str) -> Result<f64, String> {
    number_in(text, 0.0, 1000.0, true).ok_or_else(|| "accepts a number from 0 to 1000 (units or people)".to_owned())
}

/// `sqlite:` or `postgres:` URLs; the URL is a secret, so the message never repeats it.
pub(super) fn database_url(text: &str) -> Result<String, String> {
    let text = text.trim();
    let known = ["sqlite:", "postgres://", "postgresql://"].iter().any(|scheme| text.starts_with(scheme));
    if known && !text.chars().any(char::is_whitespace) {
        Ok(text.to_owned())
    } else {
        Err("accepts sqlite://FILE?mode=rwc, sqlite::memory: or postgres://USER:PASSWORD@HOST/DB".to_owned())
    }
}

/// An on/off setting given by value (`SOUS_DEMO=true`).
pub fn switch(text: &str) -> Result<bool, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "on" | "1" => Ok(true),
        "false" | "no" | "off" | "0" | "" => Ok(false),
        _ => Err("accepts true or false (also yes/no, on/off, 1/0)".to_owned()),
    }
}

/// `host:port` (an IP address or a name), port 0 for any free port.
pub fn listen_addr(text: &str) -> Result<String, String> {
    let text = text.trim();
    let ok = text.rsplit_once(':').is_some_and(|(host, port)| {
        !host.is_empty() && !host.chars().any(char::is_whitespace) && port.parse::<u16>().is_ok()
    });
    if ok {
        Ok(text.to_owned())
    } else {
        Err("accepts HOST:PORT, e.g. 127.0.0.1:8080 (port 0 picks a free port)".to_owned())
    }
}

/// A `tracing` filter such as `info` or `info,sous::plans=debug`.
pub(super) fn log_filter(text: &str) -> Result<String, String> {
    tracing_subscriber::EnvFilter::try_new(text)
        .map(|_| text.to_owned())
        .map_err(|_| "accepts a tracing filter such as `info` or `warn,sous::plans=debug`".to_owned())
}

/// An `http(s)://` URL; empty means no model.
pub(super) fn base_url(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(String::new());
    }
    match reqwest::Url::parse(text) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => Ok(text.to_owned()),
        _ => Err("accepts an http:// or https:// URL, e.g. https://api.openai.com/v1".to_owned()),
    }
}

/// A model name: no spaces or control characters (`gpt-4o-mini`, `llama3.1:8b`).
pub(super) fn model_name(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.len() <= 200 && !text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Ok(text.to_owned())
    } else {
        Err("accepts a model name of up to 200 characters without spaces, e.g. gpt-4o-mini".to_owned())
    }
}

/// A bearer key must fit in an HTTP header: visible ASCII only. The message never repeats it.
pub(super) fn api_key(text: &str) -> Result<String, String> {
    if text.len() <= 4096 && text.bytes().all(|b| b.is_ascii_graphic()) {
        Ok(text.to_owned())
    } else {
        Err("accepts a key of visible ASCII characters (no spaces), as the endpoint issued it".to_owned())
    }
}

/// A shared token-signing secret: at least 32 bytes, as HS256 needs (RFC 7518 §3.2). The message
/// never repeats it.
pub(super) fn auth_secret(text: &str) -> Result<String, String> {
    if text.len() >= 32 && text.len() <= 4096 && !text.chars().any(char::is_control) {
        Ok(text.to_owned())
    } else {
        Err("accepts a secret of 32 to 4096 bytes (e.g. `openssl rand -base64 48`)".to_owned())
    }
}

/// A token issuer or audience: a short name or URL, no spaces.
pub(super) fn claim_text(text: &str) -> Result<String, String> {
    let text = text.trim();
    if !text.is_empty() && text.len() <= 200 && !text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Ok(text.to_owned())
    } else {
        Err("accepts a name or URL of 1 to 200 characters without spaces, e.g. sous or https://id.example.com/"
            .to_owned())
    }
}

/// A file that exists (its content is checked when the keys are loaded).
pub(super) fn existing_file(text: &str) -> Result<std::path::PathBuf, String> {
    let path = std::path::PathBuf::from(text.trim());
    if path.is_file() { Ok(path) } else { Err("accepts the path of a readable file".to_owned()) }
}

/// When the nightly job runs: a local time, or never (`off`). A newtype, not an `Option`, for
/// the same reason as [`Temperature`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NightlyAt(pub Option<NaiveTime>);

impl NightlyAt {
    pub fn parse(text: &str) -> Result<Self, String> {
        if text.trim().eq_ignore_ascii_case("off") {
            return Ok(Self(None));
        }
        crate::domain::opening_hours::parse_hhmm(text.trim())
            .map(|at| Self(Some(at)))
            .map_err(|_| "accepts a local time as HH:MM (e.g. 22:00), or `off`".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temperature_is_a_number_from_0_to_2_or_omitted() {
        assert_eq!(Temperature::parse("0.2").map(Temperature::value), Ok(Some(0.2)));
        assert_eq!(Temperature::parse(" 0 ").map(Temperature::value), Ok(Some(0.0)));
        assert_eq!(Temperature::parse("OMIT").map(Temperature::value), Ok(None));
        for bad in ["2.5", "-1", "warm", "", "NaN"] {
            assert!(Temperature::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn whole_numbers_stay_in_their_range_and_type() {
        assert_eq!(whole::<u32, 1, 10>("3"), Ok(3));
        for bad in ["0", "11", "-1", "2.5", "many", ""] {
            assert!(whole::<u32, 1, 10>(bad).is_err(), "{bad:?}");
        }
        assert!(whole::<u32, 0, { u64::MAX }>("4294967296").is_err(), "past u32 is not accepted");
    }

    #[test]
    fn urls_and_addresses_are_checked_without_quoting_secrets() {
        assert!(database_url("postgres://u:hunter2@h/db").is_ok() && database_url("sqlite::memory:").is_ok());
        let err = database_url("mysql://u:hunter2@h/db").unwrap_err();
        assert!(!err.contains("hunter2"), "{err}");
        assert!(listen_addr("0.0.0.0:0").is_ok() && listen_addr("[::1]:8080").is_ok());
        assert!(listen_addr("8080").is_err() && listen_addr("host:http").is_err());
        assert!(base_url("http://127.0.0.1:8000/v1").is_ok() && base_url("ftp://x").is_err());
        assert!(api_key("sk-abc").is_ok() && api_key("two words").is_err());
        assert!(NightlyAt::parse("off") == Ok(NightlyAt(None)) && NightlyAt::parse("25:00").is_err());
    }
}
