//! Typed settings. Every environment variable Sous reads is listed here, and the CLI's
//! flags (which override them) are declared next to them:
//!
//! | variable | flag | default | meaning |
//! |---|---|---|---|
//! | `DATABASE_URL` | `--database-url` | `sqlite://sous.db?mode=rwc` | SQLite file, `sqlite::memory:`, or `postgres://user:pass@host/db`; a secret (it may hold a password) |
//! | `SOUS_ADDR` | `--addr` | `127.0.0.1:8080` | address to listen on; port 0 picks a free port |
//! | `SOUS_DB_MAX_CONNECTIONS` | `--db-max-connections` | `10` | database pool size (1 for `sqlite::memory:`) |
//! | `SOUS_LOG` | | `info` | log filter (`tracing` env-filter syntax) |
//! | `SOUS_LOG_FORMAT` | `--log-format` | `text` | `text` or `json` |
//! | `SOUS_LLM_BASE_URL` | `--llm-base-url` | none (no model: plans come from the baseline) | OpenAI-compatible endpoint, e.g. `https://api.openai.com/v1`, `http://localhost:8000/v1` |
//! | `SOUS_LLM_MODEL` | `--llm-model` | none | model name; the model is used only when both URL and model are set |
//! | `SOUS_LLM_API_KEY` | `--llm-api-key` | none | bearer key; a secret |
//! | `SOUS_LLM_OUTPUT_MODE` | `--llm-output-mode` | `json_schema` | `json_schema` (strict structured outputs), `json_object` (JSON mode, schema passed along as llama.cpp takes it) or `prompt` (schema in the prompt only) |
//! | `SOUS_LLM_TIMEOUT_SECS` | `--llm-timeout-secs` | `30` | timeout of one HTTP request to the model |
//! | `SOUS_LLM_DEADLINE_SECS` | `--llm-deadline-secs` | `60` | overall deadline for one plan, retries and re-asks included |
//! | `SOUS_LLM_TEMPERATURE` | `--llm-temperature` | `0.2` | sampling temperature (0–2), or `omit` to send none (models that only take their default, such as OpenAI's reasoning models) |
//! | `SOUS_LLM_MAX_TOKENS` | `--llm-max-tokens` | `2000` | answer tokens asked for per call |
//! | `SOUS_LLM_TOKEN_LIMIT_FIELD` | `--llm-token-limit-field` | `max_tokens` | what the answer-token limit is called in requests: `max_tokens` (vLLM, llama.cpp, Ollama) or `max_completion_tokens` (OpenAI's current name, required by its reasoning models) |
//! | `SOUS_LLM_MAX_ATTEMPTS` | `--llm-max-attempts` | `3` | answers asked for per plan (first ask plus re-asks) |
//! | `SOUS_LLM_TOKEN_BUDGET` | `--llm-token-budget` | `20000` | hard cap on tokens (prompt + answer, as the endpoint reports) per plan |
//! | `SOUS_LLM_HTTP_RETRIES` | `--llm-http-retries` | `2` | retries of one call on 429 / 5xx / connection errors, honouring Retry-After |
//! | `SOUS_LLM_BAND_LOW` / `SOUS_LLM_BAND_HIGH` | `--llm-band-low` / `--llm-band-high` | `0.5` / `2.0` | accepted band around the baseline, as ratios |
//! | `SOUS_LLM_BAND_FLOOR` | `--llm-band-floor` | `2.0` | absolute slack for small numbers (units or people) |
//! | `SOUS_CACHE_MAX_BYTES` | `--cache-max-bytes` | `67108864` | size bound of the plan cache (serialized plans) |
//! | `SOUS_CACHE_TTL_SECS` | `--cache-ttl-secs` | `21600` | time-to-live of a cached plan |
//! | `SOUS_CACHE_TTI_SECS` | `--cache-tti-secs` | `3600` | time-to-idle of a cached plan |
//! | `SOUS_CACHE_FALLBACK_TTL_SECS` | `--cache-fallback-ttl-secs` | `120` | time-to-live of a cached fallback plan |
//! | `SOUS_CACHE_FRESHNESS_MS` | `--cache-freshness-ms` | `1000` | how long a plan's input versions (and the plan found under them) are trusted before being read again: changes made through another replica, and a plan evicted or expired from the cache, show within this window |
//! | `SOUS_NIGHTLY_AT` | `--nightly-at` | `22:00` | local time (each location's zone) after which tomorrow's plans are made ahead; `off` disables |
//! | `SOUS_NIGHTLY_CHECK_SECS` | `--nightly-check-secs` | `60` | how often the scheduler looks at the clock |
use std::{fmt, time::Duration};

use clap::Args;
use secrecy::{ExposeSecret, SecretString};

pub const DEFAULT_DATABASE_URL: &str = "sqlite://sous.db?mode=rwc";
pub const DEMO_DATABASE_URL: &str = "sqlite://sous-demo.db?mode=rwc";
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";

/// Database settings shared by every command.
#[derive(Args, Clone)]
pub struct DatabaseArgs {
    /// Database URL [default: sqlite://sous.db?mode=rwc; with --demo, sqlite://sous-demo.db?mode=rwc]
    #[arg(long, env = "DATABASE_URL", hide_env_values = true, global = true)]
    pub database_url: Option<String>,
    /// Maximum database connections in the pool.
    #[arg(long, env = "SOUS_DB_MAX_CONNECTIONS", default_value_t = 10, global = true)]
    pub db_max_connections: u32,
}

/// Where the data lives. The URL may carry a password, so it is a secret from here on.
#[derive(Clone)]
pub struct DatabaseSettings {
    pub url: SecretString,
    pub max_connections: u32,
}

impl DatabaseSettings {
    pub fn from_args(args: &DatabaseArgs, demo: bool) -> Self {
        let fallback = if demo { DEMO_DATABASE_URL } else { DEFAULT_DATABASE_URL };
        let url = args.database_url.clone().unwrap_or_else(|| fallback.to_owned());
        Self { url: SecretString::from(url), max_connections: args.db_max_connections.max(1) }
    }

    pub fn is_sqlite(&self) -> bool {
        self.url.expose_secret().starts_with("sqlite:")
    }

    /// The URL with any password replaced by `***`, fit for logs.
    pub fn masked_url(&self) -> String {
        mask_password(self.url.expose_secret())
    }
}

impl fmt::Debug for DatabaseSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DatabaseSettings")
            .field("url", &self.masked_url())
            .field("max_connections", &self.max_connections)
            .finish()
    }
}

/// How structured answers are asked for; endpoints differ in what they accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum OutputMode {
    /// `response_format: {type: json_schema, strict: true}` (OpenAI, vLLM, Ollama).
    JsonSchema,
    /// `response_format: {type: json_object, schema: ...}` (llama.cpp's server, JSON mode elsewhere).
    JsonObject,
    /// No `response_format`: the schema is in the prompt only.
    Prompt,
}

/// What the limit on answer tokens is called in requests; servers differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum TokenLimitField {
    /// `max_tokens`: vLLM, llama.cpp, Ollama, and OpenAI's older chat models.
    MaxTokens,
    /// `max_completion_tokens`: OpenAI's current name, the only one its reasoning models take.
    MaxCompletionTokens,
}

impl TokenLimitField {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MaxTokens => "max_tokens",
            Self::MaxCompletionTokens => "max_completion_tokens",
        }
    }
}

/// A sampling temperature from 0 to 2, or `omit` for models that only take their default.
fn parse_temperature(text: &str) -> Result<Option<f32>, String> {
    if text.trim().eq_ignore_ascii_case("omit") {
        return Ok(None);
    }
    match text.trim().parse::<f32>() {
        Ok(t) if (0.0..=2.0).contains(&t) => Ok(Some(t)),
        _ => Err(format!("{text:?} is neither a temperature from 0 to 2 nor `omit`")),
    }
}

/// The model endpoint, from flags or `SOUS_LLM_*`.
#[derive(Args, Clone)]
pub struct LlmArgs {
    #[arg(long, env = "SOUS_LLM_BASE_URL", global = true)]
    pub llm_base_url: Option<String>,
    #[arg(long, env = "SOUS_LLM_MODEL", global = true)]
    pub llm_model: Option<String>,
    #[arg(long, env = "SOUS_LLM_API_KEY", hide_env_values = true, global = true)]
    pub llm_api_key: Option<String>,
    #[arg(long, env = "SOUS_LLM_OUTPUT_MODE", value_enum, default_value = "json_schema", global = true)]
    pub llm_output_mode: OutputMode,
    #[arg(long, env = "SOUS_LLM_TIMEOUT_SECS", default_value_t = 30.0, global = true)]
    pub llm_timeout_secs: f64,
    #[arg(long, env = "SOUS_LLM_DEADLINE_SECS", default_value_t = 60.0, global = true)]
    pub llm_deadline_secs: f64,
    #[arg(long, env = "SOUS_LLM_TEMPERATURE", default_value = "0.2", value_parser = parse_temperature, global = true)]
    pub llm_temperature: Option<f32>,
    #[arg(long, env = "SOUS_LLM_MAX_TOKENS", default_value_t = 2000, global = true)]
    pub llm_max_tokens: u32,
    #[arg(long, env = "SOUS_LLM_TOKEN_LIMIT_FIELD", value_enum, default_value = "max_tokens", global = true)]
    pub llm_token_limit_field: TokenLimitField,
    #[arg(long, env = "SOUS_LLM_MAX_ATTEMPTS", default_value_t = 3, global = true)]
    pub llm_max_attempts: u32,
    #[arg(long, env = "SOUS_LLM_TOKEN_BUDGET", default_value_t = 20_000, global = true)]
    pub llm_token_budget: u32,
    #[arg(long, env = "SOUS_LLM_HTTP_RETRIES", default_value_t = 2, global = true)]
    pub llm_http_retries: u32,
    #[arg(long, env = "SOUS_LLM_BAND_LOW", default_value_t = 0.5, global = true)]
    pub llm_band_low: f64,
    #[arg(long, env = "SOUS_LLM_BAND_HIGH", default_value_t = 2.0, global = true)]
    pub llm_band_high: f64,
    #[arg(long, env = "SOUS_LLM_BAND_FLOOR", default_value_t = 2.0, global = true)]
    pub llm_band_floor: f64,
}

/// How far a model's number may stray from the baseline's: within `[low×, high×]`, or within
/// `floor` units of it, whichever is wider (small numbers need absolute slack).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    pub low: f64,
    pub high: f64,
    pub floor: f64,
}

impl Band {
    pub fn bounds(&self, baseline: f64) -> (f64, f64) {
        ((baseline * self.low).min(baseline - self.floor).max(0.0), (baseline * self.high).max(baseline + self.floor))
    }

    pub fn contains(&self, baseline: f64, value: f64) -> bool {
        let (low, high) = self.bounds(baseline);
        value >= low - 1e-9 && value <= high + 1e-9
    }
}

impl Default for Band {
    fn default() -> Self {
        Self { low: 0.5, high: 2.0, floor: 2.0 }
    }
}

/// A configured model. Absent when no URL or model is set: plans then come from the baseline.
#[derive(Clone)]
pub struct LlmSettings {
    pub base_url: String,
    pub model: String,
    pub api_key: Option<SecretString>,
    pub output_mode: OutputMode,
    pub request_timeout: Duration,
    pub deadline: Duration,
    /// `None`: not sent (the model's own default).
    pub temperature: Option<f32>,
    pub max_tokens: u32,
    pub token_limit_field: TokenLimitField,
    pub max_attempts: u32,
    pub token_budget: u32,
    pub http_retries: u32,
    pub band: Band,
}

impl LlmSettings {
    /// Settings for `base_url` and `model` with every other knob at its default.
    pub fn new(base_url: impl Into<String>, model: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            model: model.into(),
            api_key: None,
            output_mode: OutputMode::JsonSchema,
            request_timeout: Duration::from_secs(30),
            deadline: Duration::from_secs(60),
            temperature: Some(0.2),
            max_tokens: 2000,
            token_limit_field: TokenLimitField::MaxTokens,
            max_attempts: 3,
            token_budget: 20_000,
            http_retries: 2,
            band: Band::default(),
        }
    }

    pub fn from_args(args: &LlmArgs) -> Option<Self> {
        let base_url = args.llm_base_url.clone().filter(|u| !u.trim().is_empty())?;
        let model = args.llm_model.clone().filter(|m| !m.trim().is_empty())?;
        let secs = |s: f64| Duration::from_secs_f64(s.clamp(0.1, 3600.0));
        Some(Self {
            base_url,
            model,
            api_key: args.llm_api_key.clone().filter(|k| !k.is_empty()).map(SecretString::from),
            output_mode: args.llm_output_mode,
            request_timeout: secs(args.llm_timeout_secs),
            deadline: secs(args.llm_deadline_secs),
            temperature: args.llm_temperature,
            max_tokens: args.llm_max_tokens.max(1),
            token_limit_field: args.llm_token_limit_field,
            max_attempts: args.llm_max_attempts.max(1),
            token_budget: args.llm_token_budget,
            http_retries: args.llm_http_retries,
            band: Band { low: args.llm_band_low, high: args.llm_band_high, floor: args.llm_band_floor },
        })
    }
}

impl fmt::Debug for LlmSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LlmSettings")
            .field("base_url", &mask_password(&self.base_url))
            .field("model", &self.model)
            .field("api_key", &self.api_key.as_ref().map(|_| "***"))
            .field("output_mode", &self.output_mode)
            .field("request_timeout", &self.request_timeout)
            .field("deadline", &self.deadline)
            .field("max_attempts", &self.max_attempts)
            .field("token_budget", &self.token_budget)
            .finish_non_exhaustive()
    }
}

/// The plan cache, from flags or `SOUS_CACHE_*`.
#[derive(Args, Clone)]
pub struct CacheArgs {
    #[arg(long, env = "SOUS_CACHE_MAX_BYTES", default_value_t = 64 * 1024 * 1024, global = true)]
    pub cache_max_bytes: u64,
    #[arg(long, env = "SOUS_CACHE_TTL_SECS", default_value_t = 6 * 3600, global = true)]
    pub cache_ttl_secs: u64,
    #[arg(long, env = "SOUS_CACHE_TTI_SECS", default_value_t = 3600, global = true)]
    pub cache_tti_secs: u64,
    #[arg(long, env = "SOUS_CACHE_FALLBACK_TTL_SECS", default_value_t = 120, global = true)]
    pub cache_fallback_ttl_secs: u64,
    #[arg(long, env = "SOUS_CACHE_FRESHNESS_MS", default_value_t = 1000, global = true)]
    pub cache_freshness_ms: u64,
}

impl crate::cache::CacheSettings {
    pub fn from_args(args: &CacheArgs) -> Self {
        Self {
            max_bytes: args.cache_max_bytes.max(1024),
            ttl: Duration::from_secs(args.cache_ttl_secs.max(1)),
            tti: Duration::from_secs(args.cache_tti_secs.max(1)),
            fallback_ttl: Duration::from_secs(args.cache_fallback_ttl_secs.max(1)),
            freshness: Duration::from_millis(args.cache_freshness_ms),
        }
    }
}

/// The nightly job, from flags or `SOUS_NIGHTLY_*`.
#[derive(Args, Clone)]
pub struct NightlyArgs {
    /// Local time (HH:MM) after which tomorrow's plans are made ahead, or `off`.
    #[arg(long, env = "SOUS_NIGHTLY_AT", default_value = "22:00")]
    pub nightly_at: String,
    #[arg(long, env = "SOUS_NIGHTLY_CHECK_SECS", default_value_t = 60)]
    pub nightly_check_secs: u64,
}

impl crate::jobs::NightlySettings {
    /// `None` when the job is `off`.
    pub fn from_args(args: &NightlyArgs) -> Result<Option<Self>, String> {
        if args.nightly_at.eq_ignore_ascii_case("off") {
            return Ok(None);
        }
        let at =
            crate::domain::opening_hours::parse_hhmm(&args.nightly_at).map_err(|e| format!("SOUS_NIGHTLY_AT: {e}"))?;
        Ok(Some(Self { at, check_every: Duration::from_secs(args.nightly_check_secs.max(1)) }))
    }
}

/// Everything `sous serve` needs.
#[derive(Debug, Clone)]
pub struct Settings {
    pub database: DatabaseSettings,
    pub addr: String,
    pub llm: Option<LlmSettings>,
}

/// `scheme://user:password@host/...` -> `scheme://user:***@host/...`; other URLs unchanged.
pub fn mask_password(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else { return url.to_owned() };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let Some(at) = authority.rfind('@') else { return url.to_owned() };
    let userinfo = &authority[..at];
    match userinfo.find(':') {
        Some(colon) => format!("{}://{}:***@{}", &url[..scheme_end], &userinfo[..colon], &rest[at + 1..]),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_the_password_and_keeps_the_rest() {
        assert_eq!(mask_password("postgres://sous:s3cr3t@db:5432/sous"), "postgres://sous:***@db:5432/sous");
        assert_eq!(mask_password("postgres://sous@db/sous"), "postgres://sous@db/sous");
        assert_eq!(mask_password("sqlite://sous.db?mode=rwc"), "sqlite://sous.db?mode=rwc");
        assert_eq!(mask_password("postgres://u:p@ss@h/db"), "postgres://u:***@h/db");
    }

    #[test]
    fn band_is_relative_with_an_absolute_floor() {
        let band = Band::default();
        assert_eq!(band.bounds(10.0), (5.0, 20.0));
        assert_eq!(band.bounds(1.0), (0.0, 3.0), "small numbers get the floor");
        assert!(band.contains(10.0, 19.9) && !band.contains(10.0, 20.5) && !band.contains(10.0, 4.0));
    }

    #[test]
    fn temperature_is_a_number_from_0_to_2_or_omitted() {
        assert_eq!(parse_temperature("0.2"), Ok(Some(0.2)));
        assert_eq!(parse_temperature(" 0 "), Ok(Some(0.0)));
        assert_eq!(parse_temperature("OMIT"), Ok(None));
        for bad in ["2.5", "-1", "warm", ""] {
            assert!(parse_temperature(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn llm_debug_hides_the_key() {
        let mut llm = LlmSettings::new("http://127.0.0.1:1/v1", "m");
        llm.api_key = Some(SecretString::from("sk-very-secret"));
        assert!(!format!("{llm:?}").contains("sk-very-secret"));
    }

    #[test]
    fn debug_never_shows_the_password() {
        let settings = DatabaseSettings { url: SecretString::from("postgres://u:hunter2@h/db"), max_connections: 1 };
        assert!(!format!("{settings:?}").contains("hunter2"));
    }
}
