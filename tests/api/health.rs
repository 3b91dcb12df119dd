//! Liveness, readiness, the OpenAPI document, Swagger UI and the envelope of routing errors.
use reqwest::{Method, StatusCode};

use crate::helpers::{TestApp, assert_error, json_body};

#[tokio::test]
async fn healthz_answers_ok() {
    let app = TestApp::spawn().await;

    let body = json_body(app.get("/healthz").await, StatusCode::OK).await;

    assert_eq!(body["status"], "ok");
}

#[tokio::test]
async fn readyz_answers_ready_when_the_database_answers() {
    let app = TestApp::spawn().await;

    let body = json_body(app.get("/readyz").await, StatusCode::OK).await;

    assert_eq!(body["status"], "ready");
}

#[tokio::test]
async fn the_openapi_document_lists_the_plan_paths() {
    let app = TestApp::spawn().await;

    let spec = app.get_ok("/openapi.json").await;

    let paths = spec["paths"].as_object().expect("paths object");
    for path in [
        "/api/v1/locations/{id}/prep-list",
        "/api/v1/locations/{id}/staffing",
        "/api/v1/locations/{id}/orders/batch",
        "/api/v1/locations/{id}/history/daily",
        "/api/v1/tenants",
    ] {
        assert!(paths.contains_key(path), "{path} missing from {:?}", paths.keys().collect::<Vec<_>>());
    }
    assert!(paths["/api/v1/locations/{id}/prep-list"]["get"].is_object());
}

#[tokio::test]
async fn the_docs_page_serves_html() {
    let app = TestApp::spawn().await;

    let response = app.get("/docs").await;

    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(content_type.starts_with("text/html"), "content-type {content_type}");
    assert!(response.text().await.unwrap().to_lowercase().contains("<html"));
}

#[tokio::test]
async fn an_unknown_route_answers_the_not_found_envelope() {
    let app = TestApp::spawn().await;

    assert_error(app.get("/api/v1/no-such-thing").await, StatusCode::NOT_FOUND, "not_found", None).await;
}

#[tokio::test]
async fn a_wrong_method_answers_the_method_not_allowed_envelope() {
    let app = TestApp::spawn().await;

    let response = app.request(Method::DELETE, "/api/v1/tenants").await;
    assert_eq!(response.headers().get("allow").map(|v| v.to_str().unwrap_or_default()), Some("GET"));
    assert_error(response, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", None).await;

    // An open route and a route with a parameter say so too, whatever the method.
    for (method, path, allowed) in [
        (Method::TRACE, "/healthz", "GET"),
        (Method::PUT, "/api/v1/locations", "GET, POST"),
        (Method::DELETE, "/api/v1/locations/7/staffing", "GET"),
    ] {
        let response = app.request(method.clone(), path).await;
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
        assert_eq!(
            response.headers().get("allow").map(|v| v.to_str().unwrap_or_default()),
            Some(allowed),
            "{method} {path}"
        );
    }
}

#[tokio::test]
async fn every_answer_carries_a_request_id_the_callers_own_when_it_looks_like_one() {
    let app = TestApp::spawn().await;
    let with_id = |id: &str| reqwest::Client::new().get(app.url("/healthz")).header("X-Request-Id", id.to_owned());
    let id_of = |response: &reqwest::Response| response.headers()["x-request-id"].to_str().expect("ASCII").to_owned();

    let kept = with_id("trace-7_A").send().await.expect("GET");
    assert_eq!(id_of(&kept), "trace-7_A");
    for unfit in ["has space", "semi;colon", &"x".repeat(65)] {
        let replaced = with_id(unfit).send().await.expect("GET");
        assert_ne!(id_of(&replaced), unfit);
        assert!(!id_of(&replaced).is_empty());
    }
    let mut made = std::collections::HashSet::new();
    for path in ["/healthz", "/readyz", "/no-such-route"] {
        let response = app.get(path).await;
        let id = id_of(&response);
        assert!(id.len() > 17 && id.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-'), "{id}");
        made.insert(id);
    }
    assert_eq!(made.len(), 3, "ids are unique: {made:?}");
}
