//! Authentication at the edge: every `/api/v1` request must carry a valid bearer token before
//! anything else is done with it (its body is not even read); the verified [`Caller`] travels in
//! the request's extensions to the handlers, which receive it through [`Bearer`] (the OpenAPI
//! document's security scheme). Refusals are 401 with the error envelope and a
//! `WWW-Authenticate: Bearer` challenge.
use std::sync::Arc;

use poem::{Endpoint, IntoResponse, Request, Response, Result};
use poem_openapi::SecurityScheme;

use crate::{
    auth::{self, Verifier},
    domain::Caller,
    error::{ApiError, ErrorResponse, MISSING_TOKEN},
};

/// The prefix under which every route needs a token.
pub const PROTECTED: &str = "/api/v1/";

/// A JWT in `Authorization: Bearer <token>`: tenant, role, and optionally locations.
#[derive(SecurityScheme)]
#[oai(ty = "bearer", bearer_format = "JWT", checker = "verified")]
pub struct Bearer(pub Caller);

/// The caller the middleware verified (every protected request has one by the time a handler
/// runs; the token itself is not looked at again).
async fn verified(req: &Request, _: poem_openapi::auth::Bearer) -> Result<Caller> {
    req.extensions().get::<Caller>().cloned().ok_or_else(|| poem::Error::from_response(unauthorized(MISSING_TOKEN)))
}

/// The caller of a request, or why it has none.
pub fn caller(verifier: &Verifier, req: &Request) -> Result<Caller, auth::Refusal> {
    let token =
        req.headers().get(poem::http::header::AUTHORIZATION).ok_or(MISSING_TOKEN).and_then(|header| {
            auth::bearer(header.as_bytes()).ok_or("the Authorization header must be `Bearer <token>`")
        });
    match token {
        Ok(token) => verifier.verify(token),
        Err(why) => {
            verifier.count_refusal();
            Err(why)
        }
    }
}

/// The outcome of a verification already made for this request (by the cached-read path, which
/// then passed the request on): the middleware takes it instead of verifying the token again.
/// Only the server sets request extensions; a client cannot.
#[derive(Clone)]
pub struct Verified(pub Result<Caller, auth::Refusal>);

/// Verifies the token of every protected request; others pass untouched.
pub async fn authenticate<E: Endpoint>(next: E, mut req: Request, verifier: Arc<Verifier>) -> Result<Response> {
    if !req.uri().path().starts_with(PROTECTED) {
        return next.call(req).await.map(IntoResponse::into_response);
    }
    let outcome = match req.extensions_mut().remove::<Verified>() {
        Some(Verified(outcome)) => outcome,
        None => caller(&verifier, &req),
    };
    match outcome {
        Ok(caller) => {
            req.extensions_mut().insert(caller);
            next.call(req).await.map(IntoResponse::into_response)
        }
        Err(why) => Ok(unauthorized(why)),
    }
}

/// 401 with the envelope and the challenge, as the documented answer gives it.
fn unauthorized(why: &'static str) -> Response {
    ErrorResponse::from(ApiError::Unauthenticated(why)).into_response()
}
