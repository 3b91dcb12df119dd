//! A chat-completions client on `async-openai`, for any OpenAI-compatible endpoint. One
//! call = one HTTP request (bounded retries on 429 / 5xx / connection errors, honouring
//! Retry-After, inside async-openai's retry layer) with its own timeout.
use std::time::{Duration, Instant};

use async_openai::{
    Client,
    config::OpenAIConfig,
    error::OpenAIError,
    middleware::{ReqwestService, retry::OpenAIRetryLayer},
};
use secrecy::ExposeSecret;
use serde_json::{Value, json};

use crate::config::{LlmSettings, OutputMode};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ChatMessage {
    pub role: &'static str,
    pub content: String,
}

impl ChatMessage {
    pub fn system(content: impl Into<String>) -> Self {
        Self { role: "system", content: content.into() }
    }
    pub fn user(content: impl Into<String>) -> Self {
        Self { role: "user", content: content.into() }
    }
    pub fn assistant(content: impl Into<String>) -> Self {
        Self { role: "assistant", content: content.into() }
    }
}

/// Token usage as the endpoint reports it (zeros when it reports none).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub prompt_tokens: u32,
    pub completion_tokens: u32,
    pub total_tokens: u32,
}

/// What came back from one call.
#[derive(Debug, Clone)]
pub struct Completion {
    /// The first choice's text; `None` when there was no choice or no content.
    pub content: Option<String>,
    pub refusal: Option<String>,
    pub finish_reason: Option<String>,
    pub choices: usize,
    pub usage: Usage,
    pub latency: Duration,
}

/// Why a call produced no answer. Messages are ours, never the endpoint's raw body.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LlmError {
    #[error("the model did not answer within {0:?}")]
    Timeout(Duration),
    #[error("could not reach the model endpoint")]
    Connection,
    #[error("the model endpoint refused the credentials (HTTP {0})")]
    Unauthorized(u16),
    #[error("the model endpoint rejected the request (HTTP {0})")]
    Rejected(u16),
    #[error("the model endpoint is rate limiting (HTTP 429) past the retries")]
    RateLimited,
    #[error("the model endpoint failed (HTTP {0}) past the retries")]
    Server(u16),
    #[error("the model endpoint's answer was not a chat completion")]
    Malformed,
    #[error("transport error while talking to the model")]
    Transport,
}

pub struct LlmClient {
    client: Client<OpenAIConfig>,
    settings: LlmSettings,
}

impl std::fmt::Debug for LlmClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LlmClient").field("settings", &self.settings).finish_non_exhaustive()
    }
}

/// One TLS stack for the process (ring, shared with sqlx), installed before any HTTP client
/// is built (reqwest panics without one). Installing twice is harmless.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

impl LlmClient {
    pub fn new(settings: LlmSettings) -> Result<Self, String> {
        install_crypto_provider();
        let http = reqwest::Client::builder()
            .timeout(settings.request_timeout)
            .build()
            .map_err(|e| format!("cannot build the HTTP client for the model: {e}"))?;
        let service = tower::ServiceBuilder::new()
            .layer(OpenAIRetryLayer::new(settings.http_retries as usize))
            .service(ReqwestService::new(http.clone()));
        // The key is set explicitly (empty when none), so OPENAI_API_KEY from the environment
        // is never picked up behind the operator's back.
        let key = settings.api_key.as_ref().map(|k| k.expose_secret().to_owned()).unwrap_or_default();
        let config = OpenAIConfig::new().with_api_base(settings.base_url.trim_end_matches('/')).with_api_key(key);
        let client = Client::build(http, config).with_http_service(service);
        Ok(Self { client, settings })
    }

    pub fn settings(&self) -> &LlmSettings {
        &self.settings
    }

    /// The request body for these messages, in the configured output mode.
    pub fn request_body(&self, messages: &[ChatMessage], schema_name: &str, schema: &Value) -> Value {
        let mut body = json!({
            "model": self.settings.model,
            "messages": messages,
            "stream": false,
        });
        body[self.settings.token_limit_field.as_str()] = json!(self.settings.max_tokens);
        if let Some(temperature) = self.settings.temperature {
            body["temperature"] = json!(temperature);
        }
        match self.settings.output_mode {
            OutputMode::JsonSchema => {
                body["response_format"] = json!({"type": "json_schema", "json_schema": {"name": schema_name, "strict": true, "schema": schema}});
            }
            OutputMode::JsonObject => body["response_format"] = json!({"type": "json_object", "schema": schema}),
            OutputMode::Prompt => {}
        }
        body
    }

    pub async fn complete(
        &self,
        messages: &[ChatMessage],
        schema_name: &str,
        schema: &Value,
    ) -> Result<Completion, LlmError> {
        let started = Instant::now();
        let body = self.request_body(messages, schema_name, schema);
        let answer: Value = self.client.chat().create_byot(body).await.map_err(|e| self.classify(e))?;
        let latency = started.elapsed();
        let choices = answer.get("choices").and_then(Value::as_array).ok_or(LlmError::Malformed)?;
        let first = choices.first();
        let message = first.and_then(|c| c.get("message"));
        let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
        let usage = answer.get("usage");
        let count = |name: &str| usage.and_then(|u| u.get(name)).and_then(Value::as_u64).unwrap_or(0) as u32;
        let (prompt_tokens, completion_tokens) = (count("prompt_tokens"), count("completion_tokens"));
        let total = count("total_tokens").max(prompt_tokens + completion_tokens);
        Ok(Completion {
            content: text(message.and_then(|m| m.get("content"))),
            refusal: text(message.and_then(|m| m.get("refusal"))),
            finish_reason: text(first.and_then(|c| c.get("finish_reason"))),
            choices: choices.len(),
            usage: Usage { prompt_tokens, completion_tokens, total_tokens: total },
            latency,
        })
    }

    fn classify(&self, err: OpenAIError) -> LlmError {
        match err {
            OpenAIError::Reqwest(e) if e.is_timeout() => LlmError::Timeout(self.settings.request_timeout),
            OpenAIError::Reqwest(e) if e.is_connect() => LlmError::Connection,
            OpenAIError::Reqwest(_) | OpenAIError::StreamError(_) | OpenAIError::Boxed(_) => LlmError::Transport,
            OpenAIError::ApiError(api) => match api.status_code.as_u16() {
                code @ (401 | 403) => LlmError::Unauthorized(code),
                429 => LlmError::RateLimited,
                code if code >= 500 => LlmError::Server(code),
                code => LlmError::Rejected(code),
            },
            OpenAIError::JSONDeserialize(..) => LlmError::Malformed,
            _ => LlmError::Transport,
        }
    }
}
