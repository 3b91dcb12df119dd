//! Cached plans held in memory are answered before the OpenAPI router (`src/api/cached_reads.rs`).
//! A dashboard must not be able to tell: the same status, headers and bytes as the documented
//! operation, the same request id handling, the same counting, and nothing stale.
use std::{
    collections::{BTreeMap, HashSet},
    time::Duration,
};

use reqwest::StatusCode;
use serde_json::json;
use sous::config::CacheSettings;

use crate::{
    cache::{day, fake_model, kitchen_with_recent_history, metric, model_settings, prep_path, staffing_path},
    helpers::{TestApp, TestDatabase, reservation},
};

/// Keys remembered long enough that no read of a test falls out of the window.
fn remembering() -> CacheSettings {
    CacheSettings { freshness: Duration::from_secs(60), ..CacheSettings::default() }
}

async fn memory_reads(app: &TestApp) -> u64 {
    metric(app, "sous_plan_cache_memory_reads_total").await
}

/// A response as a client sees it, minus what differs on every request (date, request id).
#[derive(Debug, PartialEq)]
struct Seen {
    status: StatusCode,
    headers: BTreeMap<String, String>,
    body: String,
}

/// A client with a staff token of the app's tenant (a wall dashboard).
fn staff(app: &TestApp) -> reqwest::Client {
    crate::helpers::client_with(Some(&app.token(sous::domain::Role::Staff)))
}

async fn get(app: &TestApp, path: &str, if_none_match: Option<&str>) -> Seen {
    let mut request = staff(app).get(app.url(path));
    if let Some(etag) = if_none_match {
        request = request.header("If-None-Match", etag);
    }
    let response = request.send().await.expect("GET a plan");
    let status = response.status();
    let headers = response
        .headers()
        .iter()
        .filter(|(name, _)| !matches!(name.as_str(), "date" | "x-request-id"))
        .map(|(name, value)| (name.to_string(), value.to_str().expect("an ASCII header").to_owned()))
        .collect();
    let body = response.text().await.expect("read the body");
    Seen { status, headers, body }
}

#[tokio::test]
async fn a_cached_read_answers_exactly_as_the_documented_operation_does() {
    let database = TestDatabase::create().await;
    let model = fake_model().await;
    // `fast` remembers keys for a minute, so its hits skip the router; `routed` remembers
    // nothing, so every one of its reads goes through the router and reads the key again.
    let fast = database.serve(Some(model_settings(&model.base_url)), remembering()).await;
    let routed = CacheSettings { freshness: Duration::ZERO, ..CacheSettings::default() };
    let routed = database.serve(Some(model_settings(&model.base_url)), routed).await;
    let k = kitchen_with_recent_history(&fast.app).await;

    // The prep list: the one kind the fake model writes, so both servers serve one stored plan.
    {
        let path = prep_path(k.location_id, day(2));
        let made = get(&fast.app, &path, None).await;
        assert_eq!(made.headers["x-sous-cache"], "miss", "{path}: {}", made.body);
        let fast_hit = get(&fast.app, &path, None).await;
        assert_eq!(
            get(&routed.app, &path, None).await.headers["x-sous-cache"],
            "miss",
            "{path}: loads the stored plan"
        );
        let routed_hit = get(&routed.app, &path, None).await;

        assert_eq!(fast_hit.status, StatusCode::OK, "{path}: {}", fast_hit.body);
        assert_eq!(fast_hit.headers["x-sous-cache"], "hit");
        assert_eq!(fast_hit, routed_hit, "{path}: a hit answered before the router is the router's answer");
        let mut made_as_hit = made.headers.clone();
        made_as_hit.insert("x-sous-cache".to_owned(), "hit".to_owned());
        assert_eq!((&fast_hit.headers, &fast_hit.body), (&made_as_hit, &made.body), "{path}: as first served");

        let etag = &fast_hit.headers["etag"];
        for if_none_match in [etag.clone(), format!("\"other\", {etag}"), "*".to_owned()] {
            let fast_304 = get(&fast.app, &path, Some(&if_none_match)).await;
            let routed_304 = get(&routed.app, &path, Some(&if_none_match)).await;
            assert_eq!(fast_304.status, StatusCode::NOT_MODIFIED, "{path} with If-None-Match {if_none_match}");
            assert_eq!(fast_304, routed_304, "{path}: a 304 answered before the router is the router's 304");
        }
        let changed = get(&fast.app, &path, Some("\"an-older-plan\"")).await;
        assert_eq!(changed, routed_hit, "{path}: an old ETag gets the plan");
    }
    assert_eq!(model.calls(), 1, "one generation, shared by both servers");
    assert_eq!(metric(&fast.app, "sous_plan_cache_hits_total").await, 5, "hits are counted on either path");
    assert_eq!(metric(&routed.app, "sous_plan_cache_hits_total").await, 4);
    assert_eq!(
        metric(&fast.app, "sous_plan_cache_memory_reads_total").await,
        5,
        "every hit of `fast` skipped the router"
    );
    assert_eq!(metric(&routed.app, "sous_plan_cache_memory_reads_total").await, 0);
}

#[tokio::test]
async fn a_cached_read_keeps_the_callers_request_id_or_gives_one() {
    let app = TestApp::spawn().await;
    let k = kitchen_with_recent_history(&app).await;
    let path = staffing_path(k.location_id, day(1));
    get(&app, &path, None).await;
    let client = staff(&app);
    let id_of = |response: &reqwest::Response| response.headers()["x-request-id"].to_str().expect("ASCII").to_owned();

    let kept = client.get(app.url(&path)).header("X-Request-Id", "dash-42").send().await.expect("GET");
    let replaced = client.get(app.url(&path)).header("X-Request-Id", "not an id").send().await.expect("GET");
    let mut made = HashSet::new();
    for _ in 0..5 {
        made.insert(id_of(&client.get(app.url(&path)).send().await.expect("GET")));
    }

    assert_eq!(memory_reads(&app).await, 7, "every read after the first was answered from memory");
    assert_eq!(id_of(&kept), "dash-42");
    assert!(!id_of(&replaced).is_empty() && id_of(&replaced) != "not an id", "{}", id_of(&replaced));
    assert_eq!(made.len(), 5, "unique ids: {made:?}");
}

#[tokio::test]
async fn a_plan_read_without_a_date_is_answered_from_memory_as_tomorrows() {
    let app = TestApp::spawn().await;
    let k = kitchen_with_recent_history(&app).await;
    let path = format!("/api/v1/locations/{}/staffing", k.location_id);
    let first = get(&app, &path, None).await;
    let again = get(&app, &path, None).await;

    assert_eq!(memory_reads(&app).await, 1);
    assert_eq!(again.headers["etag"], first.headers["etag"]);
    assert_eq!(serde_json::from_str::<serde_json::Value>(&again.body).expect("JSON")["date"], day(1).to_string());
}

#[tokio::test]
async fn a_new_booking_is_seen_by_the_very_next_cached_read() {
    let database = TestDatabase::create().await;
    let app = database.serve(None, remembering()).await.app;
    let k = kitchen_with_recent_history(&app).await;
    let path = staffing_path(k.location_id, day(3));
    let before = get(&app, &path, None).await;
    assert_eq!(get(&app, &path, None).await.headers["x-sous-cache"], "hit");
    assert_eq!(memory_reads(&app).await, 1);

    let at = format!("{}T19:30:00+01:00", day(3));
    app.ingest_reservations(k.location_id, json!([reservation("fast-path-1", &at, 40, "booked")])).await;
    let after = get(&app, &path, Some(&before.headers["etag"])).await;

    assert_eq!(after.status, StatusCode::OK, "not a 304 for the old plan: {}", after.body);
    assert_eq!(after.headers["x-sous-cache"], "miss");
    assert_ne!(after.headers["etag"], before.headers["etag"]);
}

#[tokio::test]
async fn after_a_regeneration_reads_from_memory_get_the_new_plan() {
    let database = TestDatabase::create().await;
    let app = database.serve(None, remembering()).await.app;
    let k = kitchen_with_recent_history(&app).await;
    let path = staffing_path(k.location_id, day(2));
    get(&app, &path, None).await;
    let old = get(&app, &path, None).await;

    let generate = format!("/api/v1/locations/{}/staffing/generate?date={}", k.location_id, day(2));
    let response = app.request(reqwest::Method::POST, &generate).await;
    assert_eq!(response.status(), StatusCode::OK);
    let new_etag = response.headers()["etag"].to_str().expect("ASCII").to_owned();
    get(&app, &path, None).await;
    let reads_before = memory_reads(&app).await;
    let polled = get(&app, &path, Some(&new_etag)).await;

    assert_ne!(new_etag, old.headers["etag"]);
    assert_eq!(polled.status, StatusCode::NOT_MODIFIED, "the regenerated plan is the current one");
    assert_eq!(memory_reads(&app).await, reads_before + 1, "answered from memory");
}

#[tokio::test]
async fn reads_the_fast_path_does_not_take_are_answered_by_the_router() {
    let database = TestDatabase::create().await;
    let app = database.serve(None, remembering()).await.app;
    let k = kitchen_with_recent_history(&app).await;
    let (id, date) = (k.location_id, day(1));
    let path = staffing_path(id, date);
    let cached = get(&app, &path, None).await;
    assert_eq!(get(&app, &path, None).await.headers["x-sous-cache"], "hit");
    let reads = memory_reads(&app).await;

    let other_query = get(&app, &format!("{path}&include=all"), None).await;
    let leading_zero = get(&app, &format!("/api/v1/locations/0{id}/staffing?date={date}"), None).await;
    let odd_date = get(&app, &format!("/api/v1/locations/{id}/staffing?date=+2026-1-05"), None).await;
    let bad_date = get(&app, &format!("/api/v1/locations/{id}/staffing?date=2026-02-30"), None).await;
    let trailing_slash = get(&app, &format!("/api/v1/locations/{id}/staffing/?date={date}"), None).await;
    let with_body = staff(&app).get(app.url(&path)).body("{}").send().await.expect("GET with a body");
    let post = staff(&app).post(app.url(&path)).send().await.expect("POST");

    assert_eq!(memory_reads(&app).await, reads, "none of these was answered from memory");
    for (name, seen) in [("another parameter", &other_query), ("a leading zero", &leading_zero)] {
        assert_eq!((seen.status, &seen.headers["etag"]), (StatusCode::OK, &cached.headers["etag"]), "{name}");
        assert_eq!(seen.headers["x-sous-cache"], "hit", "{name}: a routed hit");
    }
    // The router reads `+` as a space and the rest as 2026-01-05: not the cached day.
    assert_ne!(odd_date.headers.get("etag"), Some(&cached.headers["etag"]), "{}", odd_date.body);
    assert_eq!(bad_date.status, StatusCode::BAD_REQUEST, "{}", bad_date.body);
    assert_eq!(trailing_slash.status, StatusCode::NOT_FOUND, "{}", trailing_slash.body);
    assert_eq!(with_body.status(), StatusCode::OK);
    assert_eq!(post.status(), StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn a_cached_staffing_plan_is_answered_as_first_served() {
    let app = TestApp::spawn().await;
    let k = kitchen_with_recent_history(&app).await;
    let path = staffing_path(k.location_id, day(2));
    let made = get(&app, &path, None).await;
    let hit = get(&app, &path, None).await;

    assert_eq!((made.status, made.headers["x-sous-cache"].as_str()), (StatusCode::OK, "miss"), "{}", made.body);
    let mut made_as_hit = made.headers.clone();
    made_as_hit.insert("x-sous-cache".to_owned(), "hit".to_owned());
    assert_eq!((hit.status, &hit.headers, &hit.body), (StatusCode::OK, &made_as_hit, &made.body));
    let not_modified = get(&app, &path, Some(&made.headers["etag"])).await;
    assert_eq!(not_modified.status, StatusCode::NOT_MODIFIED);
    assert_eq!(not_modified.body, "");
    let expected: BTreeMap<String, String> =
        ["etag", "cache-control"].map(|h| (h.to_owned(), made.headers[h].clone())).into_iter().collect();
    assert_eq!(not_modified.headers, expected, "a 304 carries the ETag and Cache-Control only");
    assert_eq!(memory_reads(&app).await, 2);
}
