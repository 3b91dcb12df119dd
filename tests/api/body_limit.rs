//! The request body limit holds on every protocol, with or without a declared length.
use bytes::Bytes;
use reqwest::StatusCode;
use sous::api::MAX_BODY_BYTES;

use crate::helpers::TestApp;

/// A client speaking HTTP/2 over plain TCP (prior knowledge), as `curl --http2-prior-knowledge`.
fn http2() -> reqwest::Client {
    reqwest::Client::builder().http2_prior_knowledge().no_proxy().build().expect("an HTTP/2 client")
}

/// `total` bytes of JSON-looking text, streamed in chunks: no `Content-Length` is sent.
fn streamed(total: usize) -> reqwest::Body {
    let chunk = Bytes::from(vec![b' '; 64 * 1024]);
    let chunks = (0..total.div_ceil(chunk.len())).map(move |_| Ok::<_, std::io::Error>(chunk.clone()));
    reqwest::Body::wrap_stream(futures_util::stream::iter(chunks))
}

/// Streams one byte more than the limit to an ingest route (as an owner, with an idempotency key)
/// with a client from `client` (made once the server has installed the TLS provider), and checks
/// the 413.
async fn refuses_an_oversized_stream(client: fn() -> reqwest::Client, version: reqwest::Version) {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;
    // An ingest route with an `Idempotency-Key`, whose handling reads the body too.
    let response = client()
        .post(app.url(&format!("/api/v1/locations/{}/on-hand", k.location_id)))
        .bearer_auth(&app.owner_token)
        .header("Idempotency-Key", "big-1")
        .header("content-type", "application/json")
        .body(streamed(MAX_BODY_BYTES + 1))
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.version(), version);
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: serde_json::Value = response.json().await.expect("the error envelope");
    assert_eq!(body["code"], "payload_too_large");
}

#[tokio::test]
async fn an_oversized_http2_body_without_a_length_is_refused() {
    refuses_an_oversized_stream(http2, reqwest::Version::HTTP_2).await;
}

#[tokio::test]
async fn an_oversized_http1_body_without_a_length_is_refused() {
    refuses_an_oversized_stream(reqwest::Client::new, reqwest::Version::HTTP_11).await;
}

#[tokio::test]
async fn a_small_http2_body_is_served_as_usual() {
    let app = TestApp::spawn().await;
    let body = serde_json::json!({
        "name": "Over HTTP/2",
        "timezone": "Europe/Paris",
        "seats": 40,
        "opening_hours": crate::helpers::every_day("11:00", "23:00"),
    });
    let response = http2()
        .post(app.url("/api/v1/locations"))
        .bearer_auth(&app.owner_token)
        .json(&body)
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.version(), reqwest::Version::HTTP_2);
    assert_eq!(response.status(), StatusCode::CREATED, "{}", response.text().await.unwrap_or_default());
}

/// A key twice in one object is refused before anything reads the body, on both protocols
/// (parsers disagree on which value wins), and nothing is stored.
#[tokio::test]
async fn a_json_body_with_a_key_twice_is_a_bad_request_on_every_protocol() {
    let app = TestApp::spawn().await;
    let body = r#"{"name":"First","timezone":"Europe/Paris","seats":40,"name":"Second",
                   "opening_hours":[{"weekday":"mon","opens":"11:00","closes":"22:00"}]}"#;
    for client in [http2(), reqwest::Client::new()] {
        let response = client
            .post(app.url("/api/v1/locations"))
            .bearer_auth(&app.owner_token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("an answer");
        let version = response.version();
        let error = crate::helpers::assert_error(response, StatusCode::BAD_REQUEST, "bad_request", None).await;
        assert!(error["message"].as_str().is_some_and(|m| m.contains("same key twice")), "{version:?}: {error}");
        assert!(!error.to_string().contains("Second"), "the body is not quoted: {error}");
    }
    assert_eq!(app.get_ok("/api/v1/locations").await, serde_json::json!([]), "nothing was stored");
}
