//! Refuses request bodies over a size limit with 413, on every protocol and whatever the
//! headers say: a declared `Content-Length` over the limit is refused before anything is read,
//! and every body is then read through the limit (HTTP/2 needs neither `Content-Length` nor
//! `Transfer-Encoding`, and a declared length is only a claim). A request with no body, every
//! GET, reads nothing.
use std::time::Duration;

use poem::{
    Endpoint, Error, Request, Result,
    error::ReadBodyError,
    http::{StatusCode, header::CONTENT_LENGTH},
};

pub async fn limit_body<E: Endpoint>(next: E, mut req: Request, max: usize, within: Duration) -> Result<E::Output> {
    let declared =
        req.headers().get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|length| length > max) {
        return Err(too_large());
    }
    // A client trickling its body holds a task and a buffer: it gets `within`, whole.
    let read = tokio::time::timeout(within, req.take_body().into_bytes_limit(max))
        .await
        .map_err(|_| Error::from_status(StatusCode::REQUEST_TIMEOUT))?;
    let body = read.map_err(|err| match err {
        ReadBodyError::PayloadTooLarge => too_large(),
        // The client stopped sending, or sent something that is not a body.
        _ => Error::from_status(StatusCode::BAD_REQUEST),
    })?;
    if !body.is_empty() && super::json_keys::has_duplicate_keys(&body) {
        return Err(Error::from_string(DUPLICATE_KEYS, StatusCode::BAD_REQUEST));
    }
    req.set_body(body);
    next.call(req).await
}

/// Says what is wrong without quoting the body (nor the key: it came from the client).
const DUPLICATE_KEYS: &str = "the JSON body has the same key twice in one object";

fn too_large() -> Error {
    Error::from_status(StatusCode::PAYLOAD_TOO_LARGE)
}
