//! Logging: one subscriber for the process, and a middleware that logs each request's outcome
//! inside the request-id span. Only method, route, status and timing are logged, never bodies.
use std::{
    hash::{Hash, Hasher},
    io::Write,
    sync::{
        LazyLock,
        atomic::{AtomicU64, Ordering},
    },
    time::Instant,
};

use poem::{Endpoint, IntoResponse, Request, Response, http::HeaderValue};
use tracing::Instrument;
use tracing_subscriber::{EnvFilter, fmt};

/// Directives appended to every filter, whatever `SOUS_LOG` says: sqlx's per-statement logs
/// are kept quiet, and async-openai's own logs are off because they print the model
/// endpoint's raw error bodies (which may echo credentials or answers not yet redacted);
/// Sous logs its own classification of every model error instead.
pub const FIXED_DIRECTIVES: &str = "sqlx=warn,sea_orm=warn,async_openai=off";

/// The filter for `base` (e.g. `SOUS_LOG`) with [`FIXED_DIRECTIVES`] after it, so they win.
pub fn filter(base: &str) -> EnvFilter {
    EnvFilter::try_new(format!("{base},{FIXED_DIRECTIVES}"))
        .unwrap_or_else(|_| EnvFilter::new(format!("info,{FIXED_DIRECTIVES}")))
}

/// Logs to stderr through `filter` (`SOUS_LOG`, checked by the CLI), as text or JSON lines.
pub fn init(filter_text: &str, json: bool) {
    let filter = filter(filter_text);
    // Colours only for a person at a terminal, not in files or log collectors.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(ansi);
    // A second init (tests start many apps in one process) keeps the first subscriber.
    let _ = if json { builder.json().try_init() } else { builder.try_init() };
}

/// The header carrying a request's id, in and out.
pub const REQUEST_ID: &str = "x-request-id";

/// A caller's own request id is kept when it looks like one (so traces join up across
/// services); otherwise one is made: this process's random prefix and a counter, which is
/// unique without a random draw per request. Made as the header value it is sent as.
fn request_id(req: &Request) -> HeaderValue {
    static PREFIX: LazyLock<String> = LazyLock::new(|| {
        let mut hasher = std::hash::DefaultHasher::new();
        (std::process::id(), std::time::SystemTime::now()).hash(&mut hasher);
        format!("{:016x}-", hasher.finish())
    });
    static NEXT: AtomicU64 = AtomicU64::new(1);
    if let Some(id) = req.headers().get(REQUEST_ID)
        && (1..=64).contains(&id.len())
        && id.as_bytes().iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')
    {
        return id.clone();
    }
    // On the stack, then one copy into the header (this runs for every request).
    let mut buffer = [0u8; 48];
    let mut out = &mut buffer[..];
    let _ = write!(out, "{}{:x}", *PREFIX, NEXT.fetch_add(1, Ordering::Relaxed));
    let written = 48 - out.len();
    HeaderValue::from_bytes(&buffer[..written]).unwrap_or(HeaderValue::from_static("-"))
}

/// Gives each request an id, wraps it in a span carrying that id, its method and path (so
/// every log line of the request names it), answers with the id, and logs the outcome once.
pub async fn log_request<E: Endpoint>(next: E, req: Request) -> poem::Result<Response> {
    let id = request_id(&req);
    let span = request_span(&id, &req);
    async move {
        let started = Instant::now();
        let response = match next.call(req).await {
            Ok(response) => response.into_response(),
            Err(err) => crate::error::render_poem_error(err).await,
        };
        Ok(finish(response, id, started))
    }
    .instrument(span)
    .await
}

/// The same id and log line for a request answered without any step that could log (a cached
/// plan): its span is only made when the line is written.
pub fn log_answered(req: &Request, mut response: Response, started: Instant) -> Response {
    let id = request_id(req);
    // The most verbose level any directive allows (a filter such as `warn,[request]=info`
    // enables the line only inside the span, so the span's own filter cannot be asked first).
    if tracing::level_enabled!(tracing::Level::INFO) {
        return request_span(&id, req).in_scope(|| finish(response, id, started));
    }
    response.headers_mut().insert(REQUEST_ID, id);
    response
}

/// An error-level span: warnings and errors inside the request carry its id whatever the filter.
fn request_span(id: &HeaderValue, req: &Request) -> tracing::Span {
    let id = id.to_str().unwrap_or_default();
    tracing::error_span!("request", request_id = %id, method = %req.method(), path = %req.uri().path())
}

/// Logs the outcome and answers with the request id.
fn finish(mut response: Response, id: HeaderValue, started: Instant) -> Response {
    let status = response.status().as_u16();
    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    if status == 503 {
        // Turned away on purpose (busy database, heavy work): the client is told to retry.
        tracing::warn!(status, elapsed_ms, "request turned away");
    } else if status >= 500 {
        tracing::error!(status, elapsed_ms, "request failed");
    } else {
        tracing::info!(status, elapsed_ms, "request served");
    }
    response.headers_mut().insert(REQUEST_ID, id);
    response
}
