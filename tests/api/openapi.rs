//! The API contract, locked: the whole OpenAPI document the server publishes is a snapshot
//! (`tests/api/snapshots/`), so any change to a route, a field, a status or a description is a
//! diff in review. Accept a deliberate change with `cargo insta review` (or `INSTA_UPDATE=always`).
use crate::helpers::TestApp;

#[tokio::test]
async fn the_openapi_document_matches_its_snapshot() {
    let app = TestApp::spawn().await;
    let response = reqwest::get(app.url("/openapi.json")).await.expect("GET /openapi.json");
    assert_eq!(response.status(), 200);
    let text = response.text().await.expect("the document");
    // The only part that differs between runs: the server's own address.
    let text = text.replace(&format!("127.0.0.1:{}", app.port), "127.0.0.1:PORT");
    let document: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let pretty = serde_json::to_string_pretty(&document).expect("pretty JSON");
    insta::assert_snapshot!("openapi", pretty);
}

/// Every `/api/v1` operation declares the bearer scheme and the answers authentication and
/// isolation give (401, 403, 404); 429 is declared exactly where the model may be called (the
/// plan reads and regenerations), and the open routes declare no security.
#[tokio::test]
async fn every_protected_operation_declares_the_bearer_scheme_and_its_refusals() {
    let app = TestApp::spawn().await;
    let document = app.get_ok("/openapi.json").await;
    assert_eq!(document["components"]["securitySchemes"]["Bearer"]["scheme"], "bearer");
    let mut protected = 0;
    for (path, item) in document["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("a path item") {
            let codes: Vec<&str> =
                operation["responses"].as_object().expect("responses").keys().map(String::as_str).collect();
            let secured = operation["security"].as_array().is_some_and(|s| s.iter().any(|r| r.get("Bearer").is_some()));
            if !path.starts_with("/api/v1/") {
                assert!(!secured, "{method} {path} is open");
                continue;
            }
            protected += 1;
            assert!(secured, "{method} {path} does not declare the bearer scheme");
            for code in ["401", "403", "404"] {
                assert!(codes.contains(&code), "{method} {path} does not declare {code}: {codes:?}");
            }
            let spends = path.ends_with("/prep-list") || path.ends_with("/staffing") || path.ends_with("/generate");
            assert_eq!(codes.contains(&"429"), spends, "{method} {path}: 429 where the model may be called");
            if method == "post" {
                for code in ["408", "413", "415"] {
                    assert!(codes.contains(&code), "{method} {path} takes a body but does not declare {code}");
                }
            }
            let unauthorized = &operation["responses"]["401"]["headers"];
            assert!(
                unauthorized.as_object().is_some_and(|h| h.keys().any(|k| k.eq_ignore_ascii_case("www-authenticate")))
            );
        }
    }
    assert_eq!(protected, 35);
}

/// The document declares no nullable field: an answer leaves out what it has not, rather than
/// sending `null` (baseline plans have no model, prompt, plan id or summary; a prep item may have
/// no maximum batch; a young location has no forecast range).
#[tokio::test]
async fn answers_leave_out_what_they_have_not_instead_of_sending_null() {
    fn nulls(value: &serde_json::Value, at: &str, found: &mut Vec<String>) {
        match value {
            serde_json::Value::Null => found.push(at.to_owned()),
            serde_json::Value::Array(items) => {
                items.iter().enumerate().for_each(|(i, v)| nulls(v, &format!("{at}[{i}]"), found))
            }
            serde_json::Value::Object(fields) => fields.iter().for_each(|(k, v)| nulls(v, &format!("{at}.{k}"), found)),
            _ => {}
        }
    }
    let app = TestApp::spawn().await;
    let k = crate::cache::kitchen_with_recent_history(&app).await;
    let date = crate::cache::day(2);
    let mut found = Vec::new();
    for path in [
        format!("/api/v1/locations/{}/prep-list?date={date}", k.location_id),
        format!("/api/v1/locations/{}/staffing?date={date}", k.location_id),
        format!("/api/v1/locations/{}/prep-items", k.location_id),
        format!("/api/v1/locations/{}/backtest", k.location_id),
        format!("/api/v1/locations/{}", k.location_id),
    ] {
        let answer = app.get_ok(&path).await;
        nulls(&answer, &path, &mut found);
    }
    assert!(found.is_empty(), "null where the document allows none: {found:?}");
}
