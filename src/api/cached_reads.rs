//! The dashboards' hot path: a `GET` of a prep list or staffing plan that this process holds in
//! memory is answered here, before the middleware and the OpenAPI router, with the response the
//! documented operation gives (same status, headers and bytes; a test holds the two together).
//! Everything else — another route, a query or path it does not recognise, a plan not in
//! memory — goes on to the router, which validates, answers errors and generates as usual.
//!
//! Routing, extraction and the request span cost more than the cached read itself; skipping
//! them is what lets a cached plan be served at close to the speed of a bare handler.
//!
//! A cache hit is not a permission: the bearer token is verified and the caller's right to read
//! plans of that location checked before anything is answered from memory. A request without a
//! valid token, or whose caller may not read the plan, goes on to the router, which answers
//! 401, 403 or 404 as the documented operation does.
use std::{sync::Arc, time::Instant};

use chrono::NaiveDate;
use poem::{
    Body, Endpoint, Request, Response, ResponseParts, Result,
    http::{
        Extensions, HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Version,
        header::{CACHE_CONTROL, CONTENT_LENGTH, CONTENT_TYPE, ETAG, IF_NONE_MATCH, TRANSFER_ENCODING},
    },
};

use super::{auth, cached_json, plans};
use crate::{
    auth::Verifier,
    cache::CachedPlan,
    domain::{Action, PlanKind},
    plans::Planner,
    telemetry,
};

// The documented operation's headers (`plans::PlanAnswer`), as ready values.
static X_SOUS_CACHE: HeaderName = HeaderName::from_static("x-sous-cache");
static X_SOUS_GENERATED_AT: HeaderName = HeaderName::from_static("x-sous-generated-at");
static JSON: HeaderValue = HeaderValue::from_static(cached_json::CONTENT_TYPE);
static REVALIDATE: HeaderValue = HeaderValue::from_static(plans::CACHE_CONTROL);
static HIT: HeaderValue = HeaderValue::from_static("hit");

/// Answers cached plan reads from memory, and passes every other request to `inner`.
pub struct CachedReads<E> {
    inner: E,
    planner: Arc<Planner>,
    verifier: Arc<Verifier>,
}

impl<E> CachedReads<E> {
    /// `inner` is the whole service (middleware and router) that answers everything else.
    pub fn new(inner: E, planner: Arc<Planner>, verifier: Arc<Verifier>) -> Self {
        Self { inner, planner, verifier }
    }
}

impl<E: Endpoint<Output = Response>> Endpoint for CachedReads<E> {
    type Output = Response;

    async fn call(&self, mut req: Request) -> Result<Response> {
        let started = Instant::now();
        let mut verified = None;
        if let Some(read) = PlanRead::parse(&req) {
            let caller = auth::caller(&self.verifier, &req);
            if let Ok(caller) = &caller
                && caller.may(Action::ReadPlans)
                && let Some(plan) = self.planner.in_memory(caller, read.location_id, read.kind, read.date).await
            {
                let response = respond(&plan, read.if_none_match);
                return Ok(telemetry::log_answered(&req, response, started));
            }
            verified = Some(caller);
        }
        // The router's authentication takes this outcome rather than verifying the token again.
        if let Some(outcome) = verified {
            req.extensions_mut().insert(auth::Verified(outcome));
        }
        // Boxed: the whole service's future is large, and inlined here every cached read
        // would build and move it.
        Box::pin(self.inner.call(req)).await
    }
}

/// What `GET …/prep-list` and `GET …/staffing` answer for a cache hit (see `plans::answer`).
fn respond(plan: &CachedPlan, if_none_match: Option<&str>) -> Response {
    // Room for these headers and the three added on the way out (id, length, date).
    let mut headers = HeaderMap::with_capacity(8);
    headers.insert(ETAG, plan.etag.clone());
    headers.insert(CACHE_CONTROL, REVALIDATE.clone());
    let (status, body) = if plan.matches(if_none_match) {
        (StatusCode::NOT_MODIFIED, Body::empty())
    } else {
        headers.insert(CONTENT_TYPE, JSON.clone());
        headers.insert(X_SOUS_CACHE.clone(), HIT.clone());
        headers.insert(X_SOUS_GENERATED_AT.clone(), plan.generated_at_header.clone());
        (StatusCode::OK, Body::from_bytes(plan.body.clone()))
    };
    let parts = ResponseParts { status, version: Version::default(), headers, extensions: Extensions::default() };
    Response::from_parts(parts, body)
}

/// A plan read in the only shape the fast path takes: `GET /api/v1/locations/{id}/{kind}`
/// without a body, with no query or only `date=YYYY-MM-DD`, and an `If-None-Match` that is
/// text if present.
#[derive(Debug, PartialEq)]
struct PlanRead<'a> {
    location_id: i64,
    kind: PlanKind,
    date: Option<NaiveDate>,
    if_none_match: Option<&'a str>,
}

impl<'a> PlanRead<'a> {
    fn parse(req: &'a Request) -> Option<Self> {
        let headers = req.headers();
        // A body is the router's to limit (413) or ignore.
        let has_body = headers.contains_key(TRANSFER_ENCODING)
            || headers.get(CONTENT_LENGTH).is_some_and(|length| length.as_bytes() != b"0");
        if req.method() != Method::GET || has_body {
            return None;
        }
        let if_none_match = match headers.get(IF_NONE_MATCH) {
            Some(value) => Some(value.to_str().ok()?),
            None => None,
        };
        let read = Self::from_parts(req.uri().path(), req.uri().query())?;
        Some(Self { if_none_match, ..read })
    }

    fn from_parts(path: &str, query: Option<&str>) -> Option<Self> {
        let rest = path.strip_prefix("/api/v1/locations/")?;
        let (id, kind) = rest.split_once('/')?;
        let kind = match kind {
            "prep-list" => PlanKind::PrepList,
            "staffing" => PlanKind::Staffing,
            _ => return None,
        };
        // Plain digits only: signs, leading zeros and the like are the router's to judge.
        if id.is_empty() || id.len() > 18 || !id.bytes().all(|b| b.is_ascii_digit()) || id.starts_with('0') {
            return None;
        }
        let location_id = id.parse().ok()?;
        let date = match query {
            None | Some("") => None,
            Some(query) => Some(plain_date(query.strip_prefix("date=")?)?),
        };
        Some(Self { location_id, kind, date, if_none_match: None })
    }
}

/// `YYYY-MM-DD` exactly, digits where digits go (chrono alone would also take `+2026-1-05`).
fn plain_date(text: &str) -> Option<NaiveDate> {
    let shaped = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
    if !shaped {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(path: &str, query: Option<&'static str>) -> Option<PlanRead<'static>> {
        PlanRead::from_parts(path, query)
    }

    #[test]
    fn takes_plain_plan_reads() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 24);
        assert_eq!(
            read("/api/v1/locations/12/staffing", None),
            Some(PlanRead { location_id: 12, kind: PlanKind::Staffing, date: None, if_none_match: None })
        );
        assert_eq!(
            read("/api/v1/locations/3/prep-list", Some("date=2026-11-24")),
            Some(PlanRead { location_id: 3, kind: PlanKind::PrepList, date, if_none_match: None })
        );
        assert_eq!(read("/api/v1/locations/3/prep-list", Some("")).map(|r| r.date), Some(None));
    }

    #[test]
    fn leaves_everything_else_to_the_router() {
        for (path, query) in [
            ("/api/v1/locations/1/prep-list/generate", None),
            ("/api/v1/locations/1/history", None),
            ("/api/v1/locations//staffing", None),
            ("/api/v1/locations/01/staffing", None),
            ("/api/v1/locations/-1/staffing", None),
            ("/api/v1/locations/+1/staffing", None),
            ("/api/v1/locations/99999999999999999999/staffing", None),
            ("/api/v1/locations/1/staffing/", None),
            ("/api/v2/locations/1/staffing", None),
            ("/api/v1/locations/1/staffing", Some("date=tomorrow")),
            ("/api/v1/locations/1/staffing", Some("date=2026-02-30")),
            ("/api/v1/locations/1/staffing", Some("date=2026-1-5")),
            ("/api/v1/locations/1/staffing", Some("date=2026-11-24&date=2026-11-25")),
            ("/api/v1/locations/1/staffing", Some("force=true")),
            ("/api/v1/locations/1/staffing", Some("date=%32026-11-24")),
            ("/api/v1/locations/1/staffing", Some("date=+2026-1-05")),
            ("/api/v1/locations/1/staffing", Some("date=+20260-1-5")),
            ("/api/v1/locations/1/staffing", Some("date=-0001-1-01")),
            ("/api/v1/locations/1/staffing", Some("date=2026-11-24&force=true")),
        ] {
            assert_eq!(read(path, query), None, "{path}?{query:?}");
        }
    }
}
