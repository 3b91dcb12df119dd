//! One error type for the whole API, mapped to an HTTP status and a JSON envelope in one
//! place. Internal errors are logged here once and never sent to the client.
use poem::{IntoResponse, Response, http::StatusCode};
use poem_openapi::{ApiResponse, Object, payload::Json};
use sea_orm::DbErr;

use crate::domain::{Action, Role};

/// One offending field of a request and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Object, serde::Serialize)]
pub struct FieldError {
    /// Path of the field in the request, e.g. `orders[2].lines[0].quantity`.
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}

/// The body of every error answer.
#[derive(Debug, Clone, Object, serde::Serialize)]
pub struct ErrorBody {
    /// Stable machine-readable code, e.g. `validation_failed`, `not_found`.
    pub code: String,
    /// A sentence for humans.
    pub message: String,
    /// The offending fields, when the error is about the request's content.
    pub details: Vec<FieldError>,
}

/// Everything that can go wrong while serving a request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Values that break a rule (a range, a length, a form, a reference): 422.
    #[error("the request is invalid")]
    Validation(Vec<FieldError>),
    /// A body of the wrong shape (a field missing or of the wrong type, a value outside its
    /// enumeration): 400, like a body that is not JSON at all.
    #[error("the request body does not have the documented shape")]
    Malformed(Vec<FieldError>),
    /// No valid bearer token: missing, malformed, expired, not yet valid, or not ours.
    #[error("{0}")]
    Unauthenticated(&'static str),
    /// The caller's role may not do this.
    #[error("the role {role} may not {}", action.describe())]
    Forbidden { role: Role, action: Action },
    /// The tenant asked for more model work than its rate allows: retry after this many seconds.
    #[error("too many requests that may call the model for this tenant; retry in {0} s")]
    RateLimited(u32),
    /// An `Idempotency-Key` reused with another request.
    #[error("this Idempotency-Key was used with a different request")]
    IdempotencyKeyReused,
    #[error("{what} {id} does not exist")]
    NotFound { what: &'static str, id: i64 },
    #[error("{message}")]
    Conflict { message: String, details: Vec<FieldError> },
    #[error("{0}")]
    InsufficientHistory(String),
    #[error("{0}")]
    LocationClosed(String),
    /// The database is busy or out of reach for now: the client may retry.
    #[error("the database is unavailable")]
    Unavailable(#[source] DbErr),
    #[error("database error")]
    Database(#[source] DbErr),
    /// Too much heavy work (forecasts, backtests) is under way: the client may retry.
    #[error("too busy to start {0} now")]
    Overloaded(&'static str),
    #[error("{0}")]
    Internal(String),
}

/// How long a client is asked to wait before retrying a request the database was too busy for.
pub const RETRY_AFTER_SECS: u32 = 1;

impl From<DbErr> for ApiError {
    /// Busy or unreachable databases are a 503 the client may retry; anything else is ours.
    fn from(err: DbErr) -> Self {
        if is_busy(&err) { Self::Unavailable(err) } else { Self::Database(err) }
    }
}

/// SQLite's busy and locked codes (with their extended forms), PostgreSQL's lock, serialization
/// and start-up refusals, and a pool that had no connection to give in time.
fn is_busy(err: &DbErr) -> bool {
    use sea_orm::{RuntimeErr, sqlx};
    const BUSY: &[&str] = &["5", "6", "261", "262", "517", "773", "40001", "40P01", "55P03", "57P03", "53300"];
    match err {
        DbErr::ConnectionAcquire(_) => true,
        DbErr::Conn(RuntimeErr::SqlxError(e))
        | DbErr::Exec(RuntimeErr::SqlxError(e))
        | DbErr::Query(RuntimeErr::SqlxError(e)) => match e.as_ref() {
            sqlx::Error::Database(db) => db.code().is_some_and(|code| BUSY.contains(&code.as_ref())),
            sqlx::Error::PoolTimedOut => true,
            _ => false,
        },
        _ => false,
    }
}

impl ApiError {
    /// A validation error about one field.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError::new(field, message)])
    }

    /// A copy of an error shared between the callers of one coalesced generation. Database
    /// errors keep only their text (logged where they occurred).
    pub fn shared(err: &ApiError) -> Self {
        match err {
            Self::Validation(details) => Self::Validation(details.clone()),
            Self::Malformed(details) => Self::Malformed(details.clone()),
            Self::NotFound { what, id } => Self::NotFound { what, id: *id },
            Self::Unauthenticated(why) => Self::Unauthenticated(why),
            Self::Forbidden { role, action } => Self::Forbidden { role: *role, action: *action },
            Self::RateLimited(secs) => Self::RateLimited(*secs),
            Self::IdempotencyKeyReused => Self::IdempotencyKeyReused,
            Self::Conflict { message, details } => {
                Self::Conflict { message: message.clone(), details: details.clone() }
            }
            Self::InsufficientHistory(m) => Self::InsufficientHistory(m.clone()),
            Self::LocationClosed(m) => Self::LocationClosed(m.clone()),
            Self::Unavailable(e) | Self::Database(e) => Self::Internal(e.to_string()),
            Self::Overloaded(what) => Self::Overloaded(what),
            Self::Internal(m) => Self::Internal(m.clone()),
        }
    }

    pub fn conflict(field: impl Into<String>, message: impl Into<String>) -> Self {
        let message = message.into();
        Self::Conflict { details: vec![FieldError::new(field, message.clone())], message }
    }
}

/// The HTTP form of [`ApiError`]; every operation lists these outcomes in the OpenAPI document.
#[derive(Debug, ApiResponse)]
pub enum ErrorResponse {
    /// The request could not be parsed (malformed JSON, wrong type, bad parameter).
    #[oai(status = 400)]
    BadRequest(Json<ErrorBody>),
    /// No valid bearer token (missing, malformed, expired, not yet valid, wrong issuer, audience
    /// or signature); `WWW-Authenticate` says so.
    #[oai(status = 401)]
    Unauthorized(Json<ErrorBody>, #[oai(header = "WWW-Authenticate")] String),
    /// The caller's role may not use this operation.
    #[oai(status = 403)]
    Forbidden(Json<ErrorBody>),
    /// The resource does not exist, or is not the caller's to see (the two are answered alike).
    #[oai(status = 404)]
    NotFound(Json<ErrorBody>),
    /// The request body did not arrive whole in time (`SOUS_HTTP_BODY_TIMEOUT_SECS`).
    #[oai(status = 408)]
    RequestTimeout(Json<ErrorBody>),
    /// The request conflicts with data already stored.
    #[oai(status = 409)]
    Conflict(Json<ErrorBody>),
    /// The request body is larger than 16 MiB.
    #[oai(status = 413)]
    PayloadTooLarge(Json<ErrorBody>),
    /// A body that is not JSON (`Content-Type: application/json`).
    #[oai(status = 415)]
    UnsupportedMediaType(Json<ErrorBody>),
    /// The request is well-formed but its content is invalid, or the data cannot support it.
    #[oai(status = 422)]
    Unprocessable(Json<ErrorBody>),
    /// Something failed on our side; the details are in the server's logs.
    #[oai(status = 500)]
    Internal(Json<ErrorBody>),
    /// The service is busy (the database, or heavy work such as backtests) or the database is
    /// unreachable, for now; retry after the number of seconds in `Retry-After`.
    #[oai(status = 503)]
    Unavailable(Json<ErrorBody>, #[oai(header = "Retry-After")] u32),
}

/// The answers of the operations that may call the model (plan reads and regenerations): those
/// of [`ErrorResponse`], and 429 past the tenant's rate.
#[derive(Debug, ApiResponse)]
pub enum PlanErrorResponse {
    /// The request could not be parsed (bad parameter).
    #[oai(status = 400)]
    BadRequest(Json<ErrorBody>),
    /// No valid bearer token; `WWW-Authenticate` says so.
    #[oai(status = 401)]
    Unauthorized(Json<ErrorBody>, #[oai(header = "WWW-Authenticate")] String),
    /// The caller's role may not use this operation.
    #[oai(status = 403)]
    Forbidden(Json<ErrorBody>),
    /// The location does not exist, or is not the caller's to see (the two are answered alike).
    #[oai(status = 404)]
    NotFound(Json<ErrorBody>),
    /// The request body did not arrive whole in time (`SOUS_HTTP_BODY_TIMEOUT_SECS`).
    #[oai(status = 408)]
    RequestTimeout(Json<ErrorBody>),
    /// The request conflicts with data already stored.
    #[oai(status = 409)]
    Conflict(Json<ErrorBody>),
    /// The request body is larger than 16 MiB.
    #[oai(status = 413)]
    PayloadTooLarge(Json<ErrorBody>),
    /// A body that is not JSON (`Content-Type: application/json`).
    #[oai(status = 415)]
    UnsupportedMediaType(Json<ErrorBody>),
    /// The data cannot support a plan (too little history, the location is closed that day).
    #[oai(status = 422)]
    Unprocessable(Json<ErrorBody>),
    /// The tenant's rate of requests that may call the model is exceeded; retry after the number
    /// of seconds in `Retry-After`.
    #[oai(status = 429)]
    TooManyRequests(Json<ErrorBody>, #[oai(header = "Retry-After")] u32),
    /// Something failed on our side; the details are in the server's logs.
    #[oai(status = 500)]
    Internal(Json<ErrorBody>),
    /// The service is busy or the database unreachable; retry after `Retry-After` seconds.
    #[oai(status = 503)]
    Unavailable(Json<ErrorBody>, #[oai(header = "Retry-After")] u32),
}

impl From<ApiError> for PlanErrorResponse {
    fn from(err: ApiError) -> Self {
        if let ApiError::RateLimited(secs) = err {
            return Self::TooManyRequests(body("rate_limited", err.to_string(), vec![]), secs);
        }
        match ErrorResponse::from(err) {
            ErrorResponse::BadRequest(b) => Self::BadRequest(b),
            ErrorResponse::Unauthorized(b, challenge) => Self::Unauthorized(b, challenge),
            ErrorResponse::Forbidden(b) => Self::Forbidden(b),
            ErrorResponse::NotFound(b) => Self::NotFound(b),
            ErrorResponse::Conflict(b) => Self::Conflict(b),
            ErrorResponse::RequestTimeout(b) => Self::RequestTimeout(b),
            ErrorResponse::PayloadTooLarge(b) => Self::PayloadTooLarge(b),
            ErrorResponse::UnsupportedMediaType(b) => Self::UnsupportedMediaType(b),
            ErrorResponse::Unprocessable(b) => Self::Unprocessable(b),
            ErrorResponse::Internal(b) => Self::Internal(b),
            ErrorResponse::Unavailable(b, secs) => Self::Unavailable(b, secs),
        }
    }
}

/// The `WWW-Authenticate` value of a 401 (RFC 6750): `invalid_token` when a token was sent.
fn challenge(why: &str) -> String {
    if why == MISSING_TOKEN {
        r#"Bearer realm="sous""#.to_owned()
    } else {
        format!(r#"Bearer realm="sous", error="invalid_token", error_description="{why}""#)
    }
}

/// The 401 message when no bearer token was sent at all.
pub const MISSING_TOKEN: &str = "an Authorization: Bearer token is required";

/// One problem in full, or how many there are.
fn summary(details: &[FieldError]) -> String {
    match details {
        [one] => format!("{}: {}", one.field, one.message),
        many => format!("{} fields are invalid", many.len()),
    }
}

fn body(code: &str, message: impl Into<String>, details: Vec<FieldError>) -> Json<ErrorBody> {
    Json(ErrorBody { code: code.to_owned(), message: message.into(), details })
}

impl From<ApiError> for ErrorResponse {
    fn from(err: ApiError) -> Self {
        match err {
            ApiError::Validation(details) => Self::Unprocessable(body("validation_failed", summary(&details), details)),
            ApiError::Malformed(details) => Self::BadRequest(body("bad_request", summary(&details), details)),
            err @ ApiError::NotFound { .. } => Self::NotFound(body("not_found", err.to_string(), vec![])),
            ApiError::Unauthenticated(why) => Self::Unauthorized(body("unauthorized", why, vec![]), challenge(why)),
            err @ ApiError::Forbidden { .. } => Self::Forbidden(body("forbidden", err.to_string(), vec![])),
            // Only the plan operations spend (`PlanErrorResponse`); anywhere else, retry later.
            err @ ApiError::RateLimited(secs) => Self::Unavailable(body("rate_limited", err.to_string(), vec![]), secs),
            err @ ApiError::IdempotencyKeyReused => {
                Self::Unprocessable(body("idempotency_key_reused", err.to_string(), vec![]))
            }
            ApiError::Conflict { message, details } => Self::Conflict(body("conflict", message, details)),
            ApiError::InsufficientHistory(message) => {
                Self::Unprocessable(body("insufficient_history", message, vec![]))
            }
            ApiError::LocationClosed(message) => Self::Unprocessable(body("location_closed", message, vec![])),
            ApiError::Unavailable(source) => {
                tracing::warn!(error = %source, "database busy or unavailable");
                Self::Unavailable(
                    body("unavailable", "the database is busy or unavailable; retry shortly", vec![]),
                    RETRY_AFTER_SECS,
                )
            }
            err @ ApiError::Overloaded(_) => {
                tracing::warn!(error = %err, "heavy work turned away");
                Self::Unavailable(body("overloaded", format!("{err}; retry shortly"), vec![]), RETRY_AFTER_SECS)
            }
            ApiError::Database(source) => {
                tracing::error!(error = %source, "database error");
                Self::Internal(body("internal", "internal error", vec![]))
            }
            ApiError::Internal(message) => {
                tracing::error!(error = %message, "internal error");
                Self::Internal(body("internal", "internal error", vec![]))
            }
        }
    }
}

/// Errors that did not come from a handler (unparsable bodies and parameters, unknown
/// routes, wrong methods) get the same envelope as the ones that did.
pub async fn render_poem_error(err: poem::Error) -> Response {
    if err.is_from_response() {
        return err.into_response();
    }
    let status = err.status();
    let (code, message) = match status {
        StatusCode::NOT_FOUND => ("not_found", "no such route".to_owned()),
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "method not allowed on this route".to_owned()),
        StatusCode::PAYLOAD_TOO_LARGE => ("payload_too_large", "the request body is too large".to_owned()),
        StatusCode::REQUEST_TIMEOUT => ("request_timeout", "the request body did not arrive in time".to_owned()),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            ("unsupported_media_type", "the body must be JSON (Content-Type: application/json)".to_owned())
        }
        s if s.is_client_error() => ("bad_request", truncate(&without_values(&err.to_string()), 300)),
        _ => {
            tracing::error!(error = %err, "unhandled error");
            ("internal", "internal error".to_owned())
        }
    };
    let status =
        if status.is_client_error() || status.is_server_error() { status } else { StatusCode::INTERNAL_SERVER_ERROR };
    (status, poem::web::Json(ErrorBody { code: code.to_owned(), message, details: vec![] })).into_response()
}

/// poem-openapi's parse errors quote the value they received (`found …`, `got …`), which may be
/// a guest's name, phone or note, in any JSON shape (a string, an array, an object). Everything
/// from the first such marker to the parser's own closing `(occurred while parsing "Type")` (the
/// last one, as a value may imitate it) or to the end is dropped: only the types and the parser's
/// words are kept, never a fragment of the value. What is left goes through the redactor too.
fn without_values(message: &str) -> String {
    const MARKERS: [&str; 3] = ["found ", "got ", "value: "];
    const SUFFIX: &str = "(occurred while parsing";
    let cut = MARKERS.iter().filter_map(|marker| message.find(marker).map(|at| at + marker.len())).min();
    let message = match cut {
        Some(start) => {
            let rest = message[start..].rfind(SUFFIX).map_or("", |at| &message[start + at..]);
            let gap = if rest.is_empty() { "" } else { ". " };
            format!("{}another value{gap}{rest}", &message[..start])
        }
        None => message.to_owned(),
    };
    crate::redact::redact(&message, &[])
}

fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::{ConnAcquireErr, DbErr};

    use super::{ApiError, ErrorResponse, RETRY_AFTER_SECS, without_values};

    #[test]
    fn a_busy_database_is_a_503_to_retry_and_other_database_errors_a_500() {
        let busy = ApiError::from(DbErr::ConnectionAcquire(ConnAcquireErr::Timeout));
        assert!(matches!(ErrorResponse::from(busy), ErrorResponse::Unavailable(_, RETRY_AFTER_SECS)));
        let broken = ApiError::from(DbErr::Custom("no such table".to_owned()));
        assert!(matches!(ErrorResponse::from(broken), ErrorResponse::Internal(_)));
        let overloaded = ErrorResponse::from(ApiError::Overloaded("a backtest"));
        assert!(matches!(&overloaded, ErrorResponse::Unavailable(body, RETRY_AFTER_SECS) if body.code == "overloaded"));
    }

    #[test]
    fn parse_errors_keep_types_and_lose_values() {
        let message = r#"parse request payload error: Expected input type "GuestBody", found "Philippa Grimsditch, +44 20 7946 0874". (occurred while parsing "Optional_GuestBody")"#;
        let clean = without_values(message);
        assert!(!clean.contains("Philippa") && !clean.contains("7946"), "{clean}");
        assert!(clean.contains("GuestBody") && clean.contains("occurred while parsing"), "{clean}");
        let enum_error = r#"failed to parse "Unit": Expect a valid enumeration value, got "kgs""#;
        assert_eq!(
            without_values(enum_error),
            r#"failed to parse "Unit": Expect a valid enumeration value, got another value"#
        );
    }

    #[test]
    fn values_of_any_shape_are_dropped_whole() {
        let array = r#"parse request payload error: Expected input type "string", found ["x","Allergic to peanuts, call Philippa Grimsditch on +44 20 7946 0874"]. (occurred while parsing "GuestBody")"#;
        let clean = without_values(array);
        for fragment in ["peanuts", "Philippa", "Grimsditch", "7946", "0874"] {
            assert!(!clean.contains(fragment), "{fragment} in {clean}");
        }
        assert!(clean.ends_with(r#"another value. (occurred while parsing "GuestBody")"#), "{clean}");
        let imitation =
            r#"found "Philippa (occurred while parsing \"x\") Grimsditch". (occurred while parsing "GuestBody")"#;
        assert!(!without_values(imitation).contains("Grimsditch"));
    }
}
