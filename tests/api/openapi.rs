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
