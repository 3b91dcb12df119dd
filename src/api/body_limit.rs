//! Refuses request bodies over a size limit with 413. Unlike poem's `SizeLimit`, a request
//! without `Content-Length` (every GET, chunked uploads) is allowed: its body, if any, is read
//! up to the limit.
use poem::{Endpoint, Error, Request, Result, http::StatusCode, http::header::CONTENT_LENGTH};

pub async fn limit_body<E: Endpoint>(next: E, mut req: Request, max: usize) -> Result<E::Output> {
    let declared =
        req.headers().get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    match declared {
        Some(length) if length > max => return Err(too_large()),
        Some(_) => {}
        None if req.headers().contains_key("transfer-encoding") => {
            let body = req.take_body().into_bytes_limit(max).await.map_err(|_| too_large())?;
            req.set_body(body);
        }
        None => {}
    }
    next.call(req).await
}

fn too_large() -> Error {
    Error::from_status(StatusCode::PAYLOAD_TOO_LARGE)
}
