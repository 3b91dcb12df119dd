//! Typed settings. Every environment variable Sous reads is listed here, and the CLI's
//! flags (which override them) are declared next to them:
//!
//! | variable | flag | default | accepts and means |
//! |---|---|---|---|
//! | `DATABASE_URL` | `--database-url` | `sqlite://sous.db?mode=rwc` (`sqlite://sous-demo.db?mode=rwc` with `--demo`) | SQLite file, `sqlite::memory:`, or `postgres://user:pass@host/db`; a secret (it may hold a password) |
//! | `SOUS_ADDR` | `--addr` | `127.0.0.1:8080` | `HOST:PORT` to listen on (`serve`); port 0 picks a free port |
//! | `SOUS_DEMO` | `--demo` | `false` | `true`/`false` (`serve`): use the demo database and seed it with a year of synthetic history when empty |
//! | `SOUS_DB_MAX_CONNECTIONS` | `--db-max-connections` | `10` | 1–1000: database pool size (1 for `sqlite::memory:`) |
//! | `SOUS_LOG` | `--log` | `info` | log filter (`tracing` env-filter syntax, e.g. `warn,sous::plans=debug`) |
//! | `SOUS_LOG_FORMAT` | `--log-format` | `text` | `text` or `json` |
//! | `SOUS_LLM_BASE_URL` | `--llm-base-url` | none (no model: plans come from the baseline) | `http(s)://` OpenAI-compatible endpoint, e.g. `https://api.openai.com/v1`, `http://localhost:8000/v1` |
//! | `SOUS_LLM_MODEL` | `--llm-model` | none | model name (no spaces); the model is used only when both URL and model are set |
//! | `SOUS_LLM_API_KEY` | `--llm-api-key` | none | bearer key (visible ASCII); a secret |
//! | `SOUS_LLM_OUTPUT_MODE` | `--llm-output-mode` | `json_schema` | `json_schema` (strict structured outputs), `json_object` (JSON mode, schema passed along as llama.cpp takes it) or `prompt` (schema in the prompt only) |
//! | `SOUS_LLM_TIMEOUT_SECS` | `--llm-timeout-secs` | `30` | (0, 3600]: timeout of one HTTP request to the model |
//! | `SOUS_LLM_DEADLINE_SECS` | `--llm-deadline-secs` | `60` | (0, 3600]: overall deadline for one plan, retries and re-asks included |
//! | `SOUS_LLM_TEMPERATURE` | `--llm-temperature` | `0.2` | sampling temperature (0–2), or `omit` to send none (models that only take their default, such as OpenAI's reasoning models) |
//! | `SOUS_LLM_MAX_TOKENS` | `--llm-max-tokens` | `2000` | 1–1,000,000: answer tokens asked for per call |
//! | `SOUS_LLM_TOKEN_LIMIT_FIELD` | `--llm-token-limit-field` | `max_tokens` | what the answer-token limit is called in requests: `max_tokens` (vLLM, llama.cpp, Ollama) or `max_completion_tokens` (OpenAI's current name, required by its reasoning models) |
//! | `SOUS_LLM_MAX_ATTEMPTS` | `--llm-max-attempts` | `3` | 1–10: answers asked for per plan (first ask plus re-asks) |
//! | `SOUS_LLM_TOKEN_BUDGET` | `--llm-token-budget` | `20000` | 1–10,000,000: hard cap on tokens (prompt + answer, as the endpoint reports) per plan |
//! | `SOUS_LLM_HTTP_RETRIES` | `--llm-http-retries` | `2` | 0–10: retries of one call on 429 / 5xx / connection errors, honouring Retry-After |
//! | `SOUS_LLM_BAND_LOW` | `--llm-band-low` | `0.5` | 0–1: lowest accepted share of the baseline |
//! | `SOUS_LLM_BAND_HIGH` | `--llm-band-high` | `2` | 1–100: highest accepted multiple of the baseline |
//! | `SOUS_LLM_BAND_FLOOR` | `--llm-band-floor` | `2` | 0–1000: absolute slack for small numbers (units or people) |
//! | `SOUS_LLM_NOTE_TEXT` | `--llm-note-text` | `none` | what the model gets of reservation notes besides the counts Sous extracts locally (allergens, diets, occasions, accessibility, party composition per hour): `none`, or `redacted` to send the notes' text as redacted (opt-in: the redactor misses some personal data, see `docs/privacy.md`) |
//! | `SOUS_LLM_PROMPT_VERSION` | `--llm-prompt-version` | `v2` | `v2`: the model gets the baseline plan with each line's accepted range and answers only the lines it would change, each with a reason; `v1`: the model writes the whole plan (kept for comparison; `docs/llm.md`) |
//! | `SOUS_MODEL_PRICES` | `--model-prices` | none | prices of models for the AI quality report, `model=input/output` in US dollars per million tokens, comma-separated (`gpt-4o-mini=0.15/0.6,llama3.1:8b=0/0`); a model with no price is reported as unpriced, never as free |
//! | `SOUS_CACHE_MAX_BYTES` | `--cache-max-bytes` | `67108864` | at least 1024: size bound of the plan cache (serialized plans) |
//! | `SOUS_CACHE_TTL_SECS` | `--cache-ttl-secs` | `21600` | 1–2,592,000: time-to-live of a cached plan |
//! | `SOUS_CACHE_TTI_SECS` | `--cache-tti-secs` | `3600` | 1–2,592,000: time-to-idle of a cached plan |
//! | `SOUS_CACHE_FALLBACK_TTL_SECS` | `--cache-fallback-ttl-secs` | `120` | 1–2,592,000: time-to-live of a cached fallback plan |
//! | `SOUS_CACHE_FRESHNESS_MS` | `--cache-freshness-ms` | `1000` | 0–3,600,000: how long a plan's input versions (and the plan found under them) are trusted before being read again: changes made through another replica, and a plan evicted or expired from the cache, show within this window |
//! | `SOUS_HTTP_IDLE_TIMEOUT_SECS` | `--http-idle-timeout-secs` | `30` | 1–3600: a connection that sends and receives nothing for this long is closed (`serve`), e.g. one that stopped halfway through its headers |
//! | `SOUS_HTTP_HEADER_TIMEOUT_SECS` | `--http-header-timeout-secs` | `10` | 1–600: once a request's first byte has arrived, its request line and headers must be complete within this long, or the connection is closed (`serve`) |
//! | `SOUS_HTTP_BODY_TIMEOUT_SECS` | `--http-body-timeout-secs` | `30` | 1–3600: a request body must arrive whole within this long, or the answer is 408 (`serve`) |
//! | `SOUS_HTTP_MAX_CONNECTIONS` | `--http-max-connections` | `1024` | 1–100000: open connections at most; more wait to be accepted (`serve`) |
//! | `SOUS_AUTH_ALGORITHM` | `--auth-algorithm` | `HS256` | `HS256` (shared secret), `RS256` or `ES256` (public keys): the only algorithm tokens may use, whatever their header says |
//! | `SOUS_AUTH_SECRET` | `--auth-secret` | none (`serve --demo` makes one, kept beside the demo database) | HS256 signing secret, 32 to 4096 bytes; a secret |
//! | `SOUS_AUTH_PUBLIC_KEY_FILE` | `--auth-public-key-file` | none | RS256/ES256: PEM file of the identity provider's public key |
//! | `SOUS_AUTH_JWKS_FILE` | `--auth-jwks-file` | none | RS256/ES256: JWKS file of the identity provider's public keys (chosen by the token's `kid`) |
//! | `SOUS_AUTH_ISSUER` | `--auth-issuer` | `sous` | the `iss` every token must carry |
//! | `SOUS_AUTH_AUDIENCE` | `--auth-audience` | `sous` | the `aud` every token must carry |
//! | `SOUS_AUTH_LEEWAY_SECS` | `--auth-leeway-secs` | `30` | 0–300: clock skew allowed on `exp` and `nbf` |
//! | `SOUS_METRICS_ADDR` | `--metrics-addr` | none (no metrics served) | `HOST:PORT` of a separate listener for `/metrics` (`serve`); keep it off the public network |
//! | `SOUS_TENANT_MODEL_REQUESTS_PER_MINUTE` | `--tenant-model-requests-per-minute` | `30` | 1–100000: requests that may call the model (generations), per tenant and minute, bursts included; a tenant's own limit (`sous tenant limits`) overrides it (`serve`) |
//! | `SOUS_TENANT_DAILY_TOKENS` | `--tenant-daily-tokens` | `2000000` | 1–10,000,000,000: model tokens a tenant may spend per UTC day, failed attempts included; a tenant's own budget overrides it (`serve`) |
//! | `SOUS_REPLAN_COVERS_SHARE` | `--replan-covers-share` | `0.1` | 0–10: a published plan is made again on its own only when its day's expected covers moved by more than this share of what they were… (`serve`; a location's own threshold overrides it) |
//! | `SOUS_REPLAN_COVERS_MIN` | `--replan-covers-min` | `5` | 0–100000: …and by at least this many covers (a quiet day's 8 → 10 is no news); a baseline quantity that moved by a batch, a changed headcount, catalog rule or opening hours is material whatever the covers (`serve`) |
//! | `SOUS_REPLAN_DAILY_CAP` | `--replan-daily-cap` | `3` | 0–100: automatic regenerations with the model per location and service day; past it the plan is kept and says a regeneration is due (a manager's regeneration is not capped by it) (`serve`) |
//! | `SOUS_IDEMPOTENCY_TTL_SECS` | `--idempotency-ttl-secs` | `86400` | 60–2,592,000: how long an `Idempotency-Key` and its answer are kept (`serve`) |
//! | `SOUS_NIGHTLY_AT` | `--nightly-at` | `22:00` | `HH:MM` local time (each location's zone) after which tomorrow's plans are made ahead (`serve`); `off` disables |
//! | `SOUS_NIGHTLY_CHECK_SECS` | `--nightly-check-secs` | `60` | 1–86400: how often the scheduler looks at the clock (`serve`) |
//!
//! A value outside what a variable accepts stops the binary with exit status 2 and one line
//! naming the variable and what it accepts (`main.rs`); `sous serve --check` validates the
//! whole configuration and prints it, secrets masked, without opening the database or a port.
use std::{fmt, path::PathBuf, time::Duration};

use chrono::NaiveTime;
use clap::Args;

mod values;

use secrecy::{ExposeSecret, SecretString};
pub use values::{NightlyAt, Temperature, listen_addr, switch};
use values::{
    api_key, auth_secret, band_floor, band_high, band_low, base_url, claim_text, database_url, existing_file,
    log_filter, model_name, seconds, whole,
};
pub use values::{covers_min, covers_share};

// Defaults, written once: the flags below and the `Default`s of the settings use these, and the
// binary tests check the table above against the flags.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://sous.db?mode=rwc";
const DEFAULT_DB_MAX_CONNECTIONS: u32 = 10;
const DEFAULT_LLM_TIMEOUT_SECS: f64 = 30.0;
const DEFAULT_LLM_DEADLINE_SECS: f64 = 60.0;
const DEFAULT_LLM_TEMPERATURE: f32 = 0.2;
const DEFAULT_LLM_MAX_TOKENS: u32 = 2000;
const DEFAULT_LLM_MAX_ATTEMPTS: u32 = 3;
const DEFAULT_LLM_TOKEN_BUDGET: u32 = 20_000;
const DEFAULT_LLM_HTTP_RETRIES: u32 = 2;
const DEFAULT_BAND_LOW: f64 = 0.5;
const DEFAULT_BAND_HIGH: f64 = 2.0;
const DEFAULT_BAND_FLOOR: f64 = 2.0;
const DEFAULT_CACHE_MAX_BYTES: u64 = 64 * 1024 * 1024;
const DEFAULT_CACHE_TTL_SECS: u64 = 6 * 3600;
const DEFAULT_CACHE_TTI_SECS: u64 = 3600;
const DEFAULT_CACHE_FALLBACK_TTL_SECS: u64 = 120;
const DEFAULT_CACHE_FRESHNESS_MS: u64 = 1000;
const DEFAULT_NIGHTLY_CHECK_SECS: u64 = 60;
const DEFAULT_HTTP_IDLE_TIMEOUT_SECS: u64 = 30;
const DEFAULT_HTTP_BODY_TIMEOUT_SECS: u64 = 30;
const DEFAULT_HTTP_HEADER_TIMEOUT_SECS: u64 = 10;
const DEFAULT_HTTP_MAX_CONNECTIONS: usize = 1024;
const DEFAULT_AUTH_ISSUER: &str = "sous";
const DEFAULT_AUTH_AUDIENCE: &str = "sous";
const DEFAULT_AUTH_LEEWAY_SECS: u64 = 30;
pub const DEFAULT_TENANT_MODEL_REQUESTS_PER_MINUTE: u32 = 30;
pub const DEFAULT_TENANT_DAILY_TOKENS: u64 = 2_000_000;
const DEFAULT_IDEMPOTENCY_TTL_SECS: u64 = 86_400;
const DEFAULT_REPLAN_COVERS_SHARE: f64 = 0.1;
const DEFAULT_REPLAN_COVERS_MIN: f64 = 5.0;
const DEFAULT_REPLAN_DAILY_CAP: u32 = 3;
pub const DEMO_DATABASE_URL: &str = "sqlite://sous-demo.db?mode=rwc";
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";

/// Database settings shared by every command.
#[derive(Args, Clone)]
pub struct DatabaseArgs {
    /// Database URL [default: sqlite://sous.db?mode=rwc; with --demo, sqlite://sous-demo.db?mode=rwc]
    #[arg(long, env = "DATABASE_URL", value_parser = database_url, hide_env_values = true, global = true)]
    pub database_url: Option<String>,
    /// Maximum database connections in the pool.
    #[arg(long, env = "SOUS_DB_MAX_CONNECTIONS", value_parser = whole::<u32, 1, 1000>, default_value_t = DEFAULT_DB_MAX_CONNECTIONS, global = true)]
    pub db_max_connections: u32,
}

/// Logging, from flags or `SOUS_LOG*`.
#[derive(Args, Clone)]
pub struct LogArgs {
    /// Log filter, in `tracing`'s env-filter syntax.
    #[arg(long, env = "SOUS_LOG", value_parser = log_filter, default_value = "info", global = true)]
    pub log: String,
    /// Log as JSON lines instead of text.
    #[arg(long, env = "SOUS_LOG_FORMAT", value_parser = ["text", "json"], default_value = "text", global = true)]
    pub log_format: String,
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
        Self { url: SecretString::from(url), max_connections: args.db_max_connections }
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

/// What the model gets of reservation notes' text. The counts extracted locally go either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum NoteText {
    /// Nothing: the model sees only the counts per hour (the default).
    #[default]
    None,
    /// The notes as redacted, capped in number and length: an opt-in, as a redactor misses some
    /// personal data (`docs/privacy.md` says what).
    Redacted,
}

/// Which prompt templates (and answer shape) the model gets: `prompts/<kind>/<version>/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum PromptVersion {
    /// The model writes the whole plan: every prep item, every role in every block.
    V1,
    /// The model answers only the lines it would change from the baseline, each with a reason.
    #[default]
    V2,
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

/// The model endpoint, from flags or `SOUS_LLM_*`.
#[derive(Args, Clone)]
pub struct LlmArgs {
    #[arg(long, env = "SOUS_LLM_BASE_URL", value_parser = base_url, global = true)]
    pub llm_base_url: Option<String>,
    #[arg(long, env = "SOUS_LLM_MODEL", value_parser = model_name, global = true)]
    pub llm_model: Option<String>,
    #[arg(long, env = "SOUS_LLM_API_KEY", value_parser = api_key, hide_env_values = true, global = true)]
    pub llm_api_key: Option<String>,
    #[arg(long, env = "SOUS_LLM_OUTPUT_MODE", value_enum, default_value = "json_schema", global = true)]
    pub llm_output_mode: OutputMode,
    #[arg(long, env = "SOUS_LLM_TIMEOUT_SECS", value_parser = seconds, default_value_t = DEFAULT_LLM_TIMEOUT_SECS, global = true)]
    pub llm_timeout_secs: f64,
    #[arg(long, env = "SOUS_LLM_DEADLINE_SECS", value_parser = seconds, default_value_t = DEFAULT_LLM_DEADLINE_SECS, global = true)]
    pub llm_deadline_secs: f64,
    #[arg(long, env = "SOUS_LLM_TEMPERATURE", value_parser = Temperature::parse, default_value_t = Temperature::Value(DEFAULT_LLM_TEMPERATURE), global = true)]
    pub llm_temperature: Temperature,
    #[arg(long, env = "SOUS_LLM_MAX_TOKENS", value_parser = whole::<u32, 1, 1_000_000>, default_value_t = DEFAULT_LLM_MAX_TOKENS, global = true)]
    pub llm_max_tokens: u32,
    #[arg(long, env = "SOUS_LLM_TOKEN_LIMIT_FIELD", value_enum, default_value = "max_tokens", global = true)]
    pub llm_token_limit_field: TokenLimitField,
    #[arg(long, env = "SOUS_LLM_MAX_ATTEMPTS", value_parser = whole::<u32, 1, 10>, default_value_t = DEFAULT_LLM_MAX_ATTEMPTS, global = true)]
    pub llm_max_attempts: u32,
    #[arg(long, env = "SOUS_LLM_TOKEN_BUDGET", value_parser = whole::<u32, 1, 10_000_000>, default_value_t = DEFAULT_LLM_TOKEN_BUDGET, global = true)]
    pub llm_token_budget: u32,
    #[arg(long, env = "SOUS_LLM_HTTP_RETRIES", value_parser = whole::<u32, 0, 10>, default_value_t = DEFAULT_LLM_HTTP_RETRIES, global = true)]
    pub llm_http_retries: u32,
    #[arg(long, env = "SOUS_LLM_BAND_LOW", value_parser = band_low, default_value_t = DEFAULT_BAND_LOW, global = true)]
    pub llm_band_low: f64,
    #[arg(long, env = "SOUS_LLM_BAND_HIGH", value_parser = band_high, default_value_t = DEFAULT_BAND_HIGH, global = true)]
    pub llm_band_high: f64,
    #[arg(long, env = "SOUS_LLM_BAND_FLOOR", value_parser = band_floor, default_value_t = DEFAULT_BAND_FLOOR, global = true)]
    pub llm_band_floor: f64,
    #[arg(long, env = "SOUS_LLM_NOTE_TEXT", value_enum, default_value = "none", global = true)]
    pub llm_note_text: NoteText,
    #[arg(long, env = "SOUS_LLM_PROMPT_VERSION", value_enum, default_value = "v2", global = true)]
    pub llm_prompt_version: PromptVersion,
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
        Self { low: DEFAULT_BAND_LOW, high: DEFAULT_BAND_HIGH, floor: DEFAULT_BAND_FLOOR }
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
    pub note_text: NoteText,
    pub prompt_version: PromptVersion,
}

impl LlmSettings {
    /// Settings for `base_url` and `model` with every other knob at its default.
    pub fn new(base_url: impl Into<String>, model: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            model: model.into(),
            api_key: None,
            output_mode: OutputMode::JsonSchema,
            request_timeout: Duration::from_secs_f64(DEFAULT_LLM_TIMEOUT_SECS),
            deadline: Duration::from_secs_f64(DEFAULT_LLM_DEADLINE_SECS),
            temperature: Some(DEFAULT_LLM_TEMPERATURE),
            max_tokens: DEFAULT_LLM_MAX_TOKENS,
            token_limit_field: TokenLimitField::MaxTokens,
            max_attempts: DEFAULT_LLM_MAX_ATTEMPTS,
            token_budget: DEFAULT_LLM_TOKEN_BUDGET,
            http_retries: DEFAULT_LLM_HTTP_RETRIES,
            band: Band::default(),
            note_text: NoteText::None,
            prompt_version: PromptVersion::V2,
        }
    }

    pub fn from_args(args: &LlmArgs) -> Option<Self> {
        let base_url = args.llm_base_url.clone().filter(|u| !u.trim().is_empty())?;
        let model = args.llm_model.clone().filter(|m| !m.trim().is_empty())?;
        let secs = Duration::from_secs_f64;
        Some(Self {
            base_url,
            model,
            api_key: args.llm_api_key.clone().filter(|k| !k.is_empty()).map(SecretString::from),
            output_mode: args.llm_output_mode,
            request_timeout: secs(args.llm_timeout_secs),
            deadline: secs(args.llm_deadline_secs),
            temperature: args.llm_temperature.value(),
            max_tokens: args.llm_max_tokens,
            token_limit_field: args.llm_token_limit_field,
            max_attempts: args.llm_max_attempts,
            token_budget: args.llm_token_budget,
            http_retries: args.llm_http_retries,
            band: Band { low: args.llm_band_low, high: args.llm_band_high, floor: args.llm_band_floor },
            note_text: args.llm_note_text,
            prompt_version: args.llm_prompt_version,
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
            .field("note_text", &self.note_text)
            .field("prompt_version", &self.prompt_version)
            .finish_non_exhaustive()
    }
}

/// The plan cache, from flags or `SOUS_CACHE_*`.
#[derive(Args, Clone)]
pub struct CacheArgs {
    #[arg(long, env = "SOUS_CACHE_MAX_BYTES", value_parser = whole::<u64, 1024, { 1 << 40 }>, default_value_t = DEFAULT_CACHE_MAX_BYTES, global = true)]
    pub cache_max_bytes: u64,
    #[arg(long, env = "SOUS_CACHE_TTL_SECS", value_parser = whole::<u64, 1, 2_592_000>, default_value_t = DEFAULT_CACHE_TTL_SECS, global = true)]
    pub cache_ttl_secs: u64,
    #[arg(long, env = "SOUS_CACHE_TTI_SECS", value_parser = whole::<u64, 1, 2_592_000>, default_value_t = DEFAULT_CACHE_TTI_SECS, global = true)]
    pub cache_tti_secs: u64,
    #[arg(long, env = "SOUS_CACHE_FALLBACK_TTL_SECS", value_parser = whole::<u64, 1, 2_592_000>, default_value_t = DEFAULT_CACHE_FALLBACK_TTL_SECS, global = true)]
    pub cache_fallback_ttl_secs: u64,
    #[arg(long, env = "SOUS_CACHE_FRESHNESS_MS", value_parser = whole::<u64, 0, 3_600_000>, default_value_t = DEFAULT_CACHE_FRESHNESS_MS, global = true)]
    pub cache_freshness_ms: u64,
}

/// Cache tuning, from `SOUS_CACHE_*`.
#[derive(Debug, Clone)]
pub struct CacheSettings {
    pub max_bytes: u64,
    pub ttl: Duration,
    pub tti: Duration,
    pub fallback_ttl: Duration,
    pub freshness: Duration,
}

impl Default for CacheSettings {
    fn default() -> Self {
        Self {
            max_bytes: DEFAULT_CACHE_MAX_BYTES,
            ttl: Duration::from_secs(DEFAULT_CACHE_TTL_SECS),
            tti: Duration::from_secs(DEFAULT_CACHE_TTI_SECS),
            fallback_ttl: Duration::from_secs(DEFAULT_CACHE_FALLBACK_TTL_SECS),
            freshness: Duration::from_millis(DEFAULT_CACHE_FRESHNESS_MS),
        }
    }
}

impl CacheSettings {
    pub fn from_args(args: &CacheArgs) -> Self {
        Self {
            max_bytes: args.cache_max_bytes,
            ttl: Duration::from_secs(args.cache_ttl_secs),
            tti: Duration::from_secs(args.cache_tti_secs),
            fallback_ttl: Duration::from_secs(args.cache_fallback_ttl_secs),
            freshness: Duration::from_millis(args.cache_freshness_ms),
        }
    }
}

/// How the HTTP server treats slow and numerous clients, from flags or `SOUS_HTTP_*`.
#[derive(Args, Clone)]
pub struct HttpArgs {
    #[arg(long, env = "SOUS_HTTP_IDLE_TIMEOUT_SECS", value_parser = whole::<u64, 1, 3600>, default_value_t = DEFAULT_HTTP_IDLE_TIMEOUT_SECS)]
    pub http_idle_timeout_secs: u64,
    #[arg(long, env = "SOUS_HTTP_HEADER_TIMEOUT_SECS", value_parser = whole::<u64, 1, 600>, default_value_t = DEFAULT_HTTP_HEADER_TIMEOUT_SECS)]
    pub http_header_timeout_secs: u64,
    #[arg(long, env = "SOUS_HTTP_BODY_TIMEOUT_SECS", value_parser = whole::<u64, 1, 3600>, default_value_t = DEFAULT_HTTP_BODY_TIMEOUT_SECS)]
    pub http_body_timeout_secs: u64,
    #[arg(long, env = "SOUS_HTTP_MAX_CONNECTIONS", value_parser = whole::<usize, 1, 100_000>, default_value_t = DEFAULT_HTTP_MAX_CONNECTIONS)]
    pub http_max_connections: usize,
}

/// Limits on clients: idle connections closed, bodies read within a time, connections capped.
#[derive(Debug, Clone, Copy)]
pub struct HttpSettings {
    pub idle_timeout: Duration,
    pub header_timeout: Duration,
    pub body_timeout: Duration,
    pub max_connections: usize,
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            idle_timeout: Duration::from_secs(DEFAULT_HTTP_IDLE_TIMEOUT_SECS),
            header_timeout: Duration::from_secs(DEFAULT_HTTP_HEADER_TIMEOUT_SECS),
            body_timeout: Duration::from_secs(DEFAULT_HTTP_BODY_TIMEOUT_SECS),
            max_connections: DEFAULT_HTTP_MAX_CONNECTIONS,
        }
    }
}

impl HttpSettings {
    pub fn from_args(args: &HttpArgs) -> Self {
        Self {
            idle_timeout: Duration::from_secs(args.http_idle_timeout_secs),
            header_timeout: Duration::from_secs(args.http_header_timeout_secs),
            body_timeout: Duration::from_secs(args.http_body_timeout_secs),
            max_connections: args.http_max_connections,
        }
    }
}

/// The algorithm tokens are signed with, fixed by configuration (never read from a token).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AuthAlgorithm {
    #[value(name = "HS256")]
    Hs256,
    #[value(name = "RS256")]
    Rs256,
    #[value(name = "ES256")]
    Es256,
}

/// Bearer-token verification, from flags or `SOUS_AUTH_*`.
#[derive(Args, Clone)]
pub struct AuthArgs {
    #[arg(long, env = "SOUS_AUTH_ALGORITHM", value_enum, default_value = "HS256", global = true)]
    pub auth_algorithm: AuthAlgorithm,
    #[arg(long, env = "SOUS_AUTH_SECRET", value_parser = auth_secret, hide_env_values = true, global = true)]
    pub auth_secret: Option<String>,
    #[arg(long, env = "SOUS_AUTH_PUBLIC_KEY_FILE", value_parser = existing_file, global = true)]
    pub auth_public_key_file: Option<PathBuf>,
    #[arg(long, env = "SOUS_AUTH_JWKS_FILE", value_parser = existing_file, global = true)]
    pub auth_jwks_file: Option<PathBuf>,
    #[arg(long, env = "SOUS_AUTH_ISSUER", value_parser = claim_text, default_value = DEFAULT_AUTH_ISSUER, global = true)]
    pub auth_issuer: String,
    #[arg(long, env = "SOUS_AUTH_AUDIENCE", value_parser = claim_text, default_value = DEFAULT_AUTH_AUDIENCE, global = true)]
    pub auth_audience: String,
    #[arg(long, env = "SOUS_AUTH_LEEWAY_SECS", value_parser = whole::<u64, 0, 300>, default_value_t = DEFAULT_AUTH_LEEWAY_SECS, global = true)]
    pub auth_leeway_secs: u64,
}

/// Where the keys that verify tokens come from.
#[derive(Clone)]
pub enum AuthKeys {
    /// HS256: one shared secret.
    Secret(SecretString),
    /// RS256/ES256: one public key, PEM.
    PublicKeyFile(PathBuf),
    /// RS256/ES256: a JWKS document; the token's `kid` picks the key.
    JwksFile(PathBuf),
}

/// How bearer tokens are verified.
#[derive(Clone)]
pub struct AuthSettings {
    pub algorithm: AuthAlgorithm,
    pub keys: AuthKeys,
    pub issuer: String,
    pub audience: String,
    pub leeway: Duration,
}

impl AuthSettings {
    /// HS256 with `secret` and the default issuer, audience and leeway.
    pub fn hs256(secret: SecretString) -> Self {
        Self {
            algorithm: AuthAlgorithm::Hs256,
            keys: AuthKeys::Secret(secret),
            issuer: DEFAULT_AUTH_ISSUER.to_owned(),
            audience: DEFAULT_AUTH_AUDIENCE.to_owned(),
            leeway: Duration::from_secs(DEFAULT_AUTH_LEEWAY_SECS),
        }
    }

    /// The configured verification; `Ok(None)` when no key is configured at all. The algorithm
    /// and the keys must agree: a secret for HS256, exactly one key file for RS256/ES256.
    pub fn from_args(args: &AuthArgs) -> Result<Option<Self>, String> {
        let keys = match (args.auth_algorithm, &args.auth_secret, &args.auth_public_key_file, &args.auth_jwks_file) {
            (_, None, None, None) => return Ok(None),
            (AuthAlgorithm::Hs256, Some(secret), None, None) => AuthKeys::Secret(SecretString::from(secret.clone())),
            (AuthAlgorithm::Hs256, _, _, _) => {
                return Err("SOUS_AUTH_ALGORITHM is HS256: set SOUS_AUTH_SECRET, and no key file (key files are for RS256 and ES256)".to_owned());
            }
            (_, None, Some(pem), None) => AuthKeys::PublicKeyFile(pem.clone()),
            (_, None, None, Some(jwks)) => AuthKeys::JwksFile(jwks.clone()),
            (_, _, _, _) => {
                return Err("SOUS_AUTH_ALGORITHM is RS256 or ES256: set exactly one of SOUS_AUTH_PUBLIC_KEY_FILE and SOUS_AUTH_JWKS_FILE, and no SOUS_AUTH_SECRET".to_owned());
            }
        };
        Ok(Some(Self {
            algorithm: args.auth_algorithm,
            keys,
            issuer: args.auth_issuer.clone(),
            audience: args.auth_audience.clone(),
            leeway: Duration::from_secs(args.auth_leeway_secs),
        }))
    }
}

impl fmt::Debug for AuthSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keys = match &self.keys {
            AuthKeys::Secret(_) => "shared secret ***".to_owned(),
            AuthKeys::PublicKeyFile(path) => format!("public key {}", path.display()),
            AuthKeys::JwksFile(path) => format!("JWKS {}", path.display()),
        };
        f.debug_struct("AuthSettings")
            .field("algorithm", &self.algorithm)
            .field("keys", &keys)
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .field("leeway", &self.leeway)
            .finish()
    }
}

/// Per-tenant limits on model spending and the life of idempotency keys, from flags or env.
#[derive(Args, Clone)]
pub struct LimitsArgs {
    #[arg(long, env = "SOUS_TENANT_MODEL_REQUESTS_PER_MINUTE", value_parser = whole::<u32, 1, 100_000>, default_value_t = DEFAULT_TENANT_MODEL_REQUESTS_PER_MINUTE)]
    pub tenant_model_requests_per_minute: u32,
    #[arg(long, env = "SOUS_TENANT_DAILY_TOKENS", value_parser = whole::<u64, 1, 10_000_000_000>, default_value_t = DEFAULT_TENANT_DAILY_TOKENS)]
    pub tenant_daily_tokens: u64,
    #[arg(long, env = "SOUS_IDEMPOTENCY_TTL_SECS", value_parser = whole::<u64, 60, 2_592_000>, default_value_t = DEFAULT_IDEMPOTENCY_TTL_SECS)]
    pub idempotency_ttl_secs: u64,
    #[arg(long, env = "SOUS_REPLAN_COVERS_SHARE", value_parser = covers_share, default_value_t = DEFAULT_REPLAN_COVERS_SHARE)]
    pub replan_covers_share: f64,
    #[arg(long, env = "SOUS_REPLAN_COVERS_MIN", value_parser = covers_min, default_value_t = DEFAULT_REPLAN_COVERS_MIN)]
    pub replan_covers_min: f64,
    #[arg(long, env = "SOUS_REPLAN_DAILY_CAP", value_parser = whole::<u32, 0, 100>, default_value_t = DEFAULT_REPLAN_DAILY_CAP)]
    pub replan_daily_cap: u32,
}

/// What model calls cost, for the AI quality report, from flags or `SOUS_MODEL_PRICES`.
#[derive(Args, Clone, Default)]
pub struct PriceArgs {
    #[arg(long, env = "SOUS_MODEL_PRICES", value_parser = PriceTable::parse, global = true)]
    pub model_prices: Option<PriceTable>,
}

/// US dollars per million input and output tokens, per model name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PriceTable(std::collections::BTreeMap<String, ModelPrice>);

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ModelPrice {
    pub input_per_million: f64,
    pub output_per_million: f64,
}

impl PriceTable {
    /// `model=input/output,...`; prices from 0 to 10,000 dollars per million tokens.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut table = std::collections::BTreeMap::new();
        for entry in text.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let rule = "accepts `model=input/output,...` in US dollars per million tokens (0 to 10000)";
            let (model, prices) = entry.rsplit_once('=').ok_or(rule)?;
            let (input, output) = prices.split_once('/').ok_or(rule)?;
            let price = |p: &str| p.trim().parse::<f64>().ok().filter(|p| (0.0..=10_000.0).contains(p)).ok_or(rule);
            let model = model.trim();
            if model.is_empty() || model.contains(char::is_whitespace) {
                return Err(rule.to_owned());
            }
            let price = ModelPrice { input_per_million: price(input)?, output_per_million: price(output)? };
            table.insert(model.to_owned(), price);
        }
        Ok(Self(table))
    }

    pub fn get(&self, model: &str) -> Option<ModelPrice> {
        self.0.get(model).copied()
    }
}

/// Per-tenant limits (defaults; a tenant's own row may override the first two).
#[derive(Debug, Clone, Copy)]
pub struct LimitSettings {
    pub model_requests_per_minute: u32,
    pub daily_tokens: u64,
    pub idempotency_ttl: Duration,
    pub replan: Replan,
}

/// When a published plan is made again on its own: thresholds of a material change, and a cap
/// per location and service day. A location may have its own (`locations.replan_*`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Replan {
    pub covers_share: f64,
    pub covers_min: f64,
    pub daily_cap: u32,
}

impl Default for Replan {
    fn default() -> Self {
        Self {
            covers_share: DEFAULT_REPLAN_COVERS_SHARE,
            covers_min: DEFAULT_REPLAN_COVERS_MIN,
            daily_cap: DEFAULT_REPLAN_DAILY_CAP,
        }
    }
}

impl Default for LimitSettings {
    fn default() -> Self {
        Self {
            model_requests_per_minute: DEFAULT_TENANT_MODEL_REQUESTS_PER_MINUTE,
            daily_tokens: DEFAULT_TENANT_DAILY_TOKENS,
            idempotency_ttl: Duration::from_secs(DEFAULT_IDEMPOTENCY_TTL_SECS),
            replan: Replan::default(),
        }
    }
}

impl LimitSettings {
    pub fn from_args(args: &LimitsArgs) -> Self {
        Self {
            model_requests_per_minute: args.tenant_model_requests_per_minute,
            daily_tokens: args.tenant_daily_tokens,
            idempotency_ttl: Duration::from_secs(args.idempotency_ttl_secs),
            replan: Replan {
                covers_share: args.replan_covers_share,
                covers_min: args.replan_covers_min,
                daily_cap: args.replan_daily_cap,
            },
        }
    }
}

/// The nightly job, from flags or `SOUS_NIGHTLY_*`.
#[derive(Args, Clone)]
pub struct NightlyArgs {
    /// Local time (HH:MM) after which tomorrow's plans are made ahead, or `off`.
    #[arg(long, env = "SOUS_NIGHTLY_AT", value_parser = NightlyAt::parse, default_value = "22:00")]
    pub nightly_at: NightlyAt,
    #[arg(long, env = "SOUS_NIGHTLY_CHECK_SECS", value_parser = whole::<u64, 1, 86_400>, default_value_t = DEFAULT_NIGHTLY_CHECK_SECS)]
    pub nightly_check_secs: u64,
}

/// The nightly pre-generation, from `SOUS_NIGHTLY_*`.
#[derive(Debug, Clone, Copy)]
pub struct NightlySettings {
    /// Local time (in each location's time zone) after which tomorrow's plans are made.
    pub at: NaiveTime,
    /// How often the scheduler looks at the clock.
    pub check_every: Duration,
}

impl NightlySettings {
    /// `None` when the job is `off`.
    pub fn from_args(args: &NightlyArgs) -> Option<Self> {
        Some(Self { at: args.nightly_at.0?, check_every: Duration::from_secs(args.nightly_check_secs) })
    }
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
