//! `Idempotency-Key` on writes: a POST sent again with the same key and the same request (method,
//! path, query, body) gets the first answer back without the work being done twice — also when
//! the two arrive together (the second waits for the first); the same key with another request is
//! 422. Answers a retry could change (busy, rate-limited, failed on our side) are not kept, so a
//! retry does the work. Keys are per tenant and expire after `SOUS_IDEMPOTENCY_TTL_SECS`.
use std::{
    sync::atomic::{AtomicU64, Ordering},
    time::Duration,
};

use chrono::Utc;
use poem::{
    Body, Endpoint, IntoResponse, Request, Response, Result,
    http::{HeaderName, HeaderValue, Method, StatusCode, header::CONTENT_TYPE},
};
use sea_orm::DatabaseConnection;

use super::fields::{IDEMPOTENCY_KEY_RULE, IdempotencyKey};
use crate::{
    db::idempotency::{self, Answer, Claim},
    domain::{Caller, fingerprint::fingerprint64},
    error::{ApiError, ErrorResponse, render_poem_error},
};

pub const HEADER: &str = "Idempotency-Key";
static REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");

/// How long a claim may stay unanswered before it counts as abandoned (its process died) and a
/// retry takes it over. Longer than any request (the model's deadline is 60 s by default).
const ABANDONED_AFTER: Duration = Duration::from_secs(300);
/// The headers of an answer that describe it and go back with it to a retry (those of a plan, and
/// where a created thing is); the others (date, length, request id) belong to each response.
const KEPT_HEADERS: [&str; 5] = ["etag", "cache-control", "x-sous-cache", "x-sous-generated-at", "location"];
/// How often a request waiting for the first one to finish looks again.
const POLL: Duration = Duration::from_millis(50);

pub struct Keys {
    db: DatabaseConnection,
    ttl: Duration,
    claims: AtomicU64,
}

impl Keys {
    pub fn new(db: DatabaseConnection, ttl: Duration) -> Self {
        Self { db, ttl, claims: AtomicU64::new(0) }
    }
}

fn error(err: ApiError) -> Response {
    ErrorResponse::from(err).into_response()
}

pub async fn replay<E: Endpoint>(next: E, mut req: Request, keys: std::sync::Arc<Keys>) -> Result<Response> {
    let key = req.headers().get(HEADER).map(|v| v.to_str().map(str::to_owned));
    let tenant = req.extensions().get::<Caller>().and_then(Caller::tenant_id);
    let (Some(key), Some(tenant), true) = (key, tenant, req.method() == Method::POST) else {
        return next.call(req).await.map(IntoResponse::into_response);
    };
    let key = match key.map(IdempotencyKey::parse) {
        Ok(Ok(key)) => String::from(key),
        _ => return Ok(error(ApiError::field(HEADER, IDEMPOTENCY_KEY_RULE))),
    };
    // The body was read (within its limit) by the body limit before this.
    let body = req.take_body().into_bytes().await?;
    let uri = req.uri().to_string();
    let hash = format!("{:016x}", fingerprint64(&[req.method().as_str().as_bytes(), uri.as_bytes(), &body]));
    req.set_body(body);

    if keys.claims.fetch_add(1, Ordering::Relaxed).is_multiple_of(100) {
        idempotency::expire(&keys.db).await.map_err(ApiError::from).map_err(into_poem)?;
    }
    loop {
        // Again after each wait: the first request may have given the key back (it failed) or
        // been abandoned; then this one does the work.
        let now = Utc::now();
        let claim = idempotency::claim(&keys.db, tenant, &key, &hash, now + keys.ttl, now - ABANDONED_AFTER)
            .await
            .map_err(|e| into_poem(e.into()))?;
        match claim {
            Claim::Claimed(id) => {
                let guard = Unanswered { db: keys.db.clone(), id: Some(id) };
                return answer_and_keep(next, req, guard).await;
            }
            Claim::Held { request_hash, .. } if request_hash != hash => {
                return Ok(error(ApiError::IdempotencyKeyReused));
            }
            Claim::Held { answer: Some(answer), .. } => return Ok(replayed(answer)),
            Claim::Held { answer: None, .. } => tokio::time::sleep(POLL).await,
        }
    }
}

/// A claim not yet answered. If the request is dropped before its answer is kept (the client
/// went away, and the server with it stopped the work), the key is given back at once rather
/// than left to be taken over only once it counts as abandoned.
struct Unanswered {
    db: DatabaseConnection,
    id: Option<i64>,
}

impl Drop for Unanswered {
    fn drop(&mut self) {
        if let Some(id) = self.id.take() {
            let db = self.db.clone();
            tokio::spawn(async move {
                if let Err(err) = idempotency::release(&db, id).await {
                    tracing::warn!(error = %err, "could not give back an idempotency key");
                }
            });
        }
    }
}

fn into_poem(err: ApiError) -> poem::Error {
    poem::Error::from_response(error(err))
}

/// Does the work, and keeps its answer for retries unless a retry could get another one.
async fn answer_and_keep<E: Endpoint>(next: E, req: Request, mut claim: Unanswered) -> Result<Response> {
    let response = match next.call(req).await {
        Ok(response) => response.into_response(),
        Err(err) => render_poem_error(err).await,
    };
    let Some(id) = claim.id else { return Ok(response) };
    let db = &claim.db.clone();
    let status = response.status();
    let transient = status.is_server_error()
        || matches!(status, StatusCode::TOO_MANY_REQUESTS | StatusCode::REQUEST_TIMEOUT | StatusCode::UNAUTHORIZED);
    if transient {
        // Given back before the answer goes out: a retry does the work.
        idempotency::release(db, id).await.map_err(|e| into_poem(e.into()))?;
        claim.id = None;
        return Ok(response);
    }
    let (parts, body) = response.into_parts();
    let bytes = body.into_bytes().await?;
    let stored = Answer {
        status: parts.status.as_u16(),
        content_type: parts.headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned),
        headers: KEPT_HEADERS
            .iter()
            .filter_map(|name| Some(((*name).to_owned(), parts.headers.get(*name)?.to_str().ok()?.to_owned())))
            .collect(),
        body: String::from_utf8_lossy(&bytes).into_owned(),
    };
    match idempotency::answer(db, id, &stored).await {
        Ok(()) => claim.id = None,
        // The work is done and its answer goes out, but a retry will do it again. Say so.
        Err(err) => tracing::error!(error = %err, "could not keep the answer of an idempotent request"),
    }
    let mut response = Response::from_parts(parts, Body::from_bytes(bytes));
    response.headers_mut().insert(REPLAYED.clone(), HeaderValue::from_static("false"));
    Ok(response)
}

fn replayed(answer: Answer) -> Response {
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
    let mut response = Response::builder().status(status).body(answer.body);
    if let Some(content_type) = answer.content_type.and_then(|c| HeaderValue::from_str(&c).ok()) {
        response.headers_mut().insert(CONTENT_TYPE, content_type);
    }
    for (name, value) in answer.headers {
        if let (Ok(name), Ok(value)) = (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(&value)) {
            response.headers_mut().insert(name, value);
        }
    }
    response.headers_mut().insert(REPLAYED.clone(), HeaderValue::from_static("true"));
    response
}
