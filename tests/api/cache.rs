//! The plan cache seen over HTTP: one model call per plan however many ask at once, ETags that
//! let dashboards poll for a 304, and the metrics that count it all. The set-up shared by the
//! `cache_*` tests lives here: a kitchen with recent history and a fake model whose single
//! scripted answer is accepted for every service day, so counting its calls counts generations.
use std::collections::HashMap;

use chrono::{Duration as Days, NaiveDate, Utc};
use chrono_tz::Europe::Paris;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sous::config::{Band, LlmSettings};
use tokio::task::JoinSet;

use crate::{
    fake_llm::{FakeLlm, Reply},
    fixtures::{DayPattern, Soup, generated_orders},
    helpers::{Kitchen, TestApp, json_body},
};

/// Today in Paris, where the standard kitchen is. The tests plan days to come: a booking for a
/// day gone by also changes the no-show history every plan reads.
pub fn today() -> NaiveDate {
    Utc::now().with_timezone(&Paris).date_naive()
}

/// The service day `ahead` days after today.
pub fn day(ahead: i64) -> NaiveDate {
    today() + Days::days(ahead)
}

/// The standard kitchen with the four weeks of orders before today (three orders of two covers
/// a day, each a burger, a salad and a soup), so each of the next eight weeks can be forecast.
pub async fn kitchen_with_recent_history(app: &TestApp) -> Kitchen {
    const RECENT_DAY: DayPattern = DayPattern { hours: &[12, 13, 19], per_hour: 1, step: 0, soup: Soup::Always };
    let k = app.standard_kitchen().await;
    let dates = (1..=28).map(|back| today() - Days::days(back));
    app.ingest_orders(k.location_id, Value::Array(generated_orders(&k, "recent", dates, &RECENT_DAY))).await;
    k
}

/// The model's prep list for any day of the standard kitchen: every prep item in its unit,
/// started before opening.
pub fn prep_answer() -> Value {
    let item = |name: &str, quantity: f64, unit: &str| json!({ "prep_item": name, "quantity": quantity, "unit": unit, "start_by": "08:00", "reason": "as usual" });
    json!({
        "items": [item("Burger patties", 20.0, "each"), item("Chopped lettuce", 1.5, "kg"), item("Tomato sauce", 4.0, "l")],
        "summary": "An ordinary day.",
    })
}

/// The fake model's settings. The band is wide enough that [`prep_answer`] is accepted for every
/// day (the `llm_*` tests judge answers; these count generations), and one attempt with no
/// retries makes a generation exactly one call whatever the answer (a staffing plan asked of a
/// model that writes prep lists falls back after its one call).
pub fn model_settings(base_url: &str) -> LlmSettings {
    let mut settings = crate::llm::test_settings(base_url);
    settings.max_attempts = 1;
    settings.http_retries = 0;
    settings.band = Band { low: 0.0, high: 1000.0, floor: 1_000_000.0 };
    settings
}

/// The fake model answering [`prep_answer`], every time.
pub async fn fake_model() -> FakeLlm {
    FakeLlm::start(vec![Reply::json(&prep_answer())]).await
}

pub fn prep_path(location_id: i64, date: NaiveDate) -> String {
    format!("/api/v1/locations/{location_id}/prep-list?date={date}")
}

pub fn staffing_path(location_id: i64, date: NaiveDate) -> String {
    format!("/api/v1/locations/{location_id}/staffing?date={date}")
}

/// A plan as a dashboard receives it.
#[derive(Debug, Clone)]
pub struct Read {
    pub status: StatusCode,
    pub etag: String,
    /// `X-Sous-Cache`: how the plan was found (absent on a 304).
    pub lookup: String,
    pub cache_control: String,
    pub body: String,
}

impl Read {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn plan_id(&self) -> i64 {
        let plan = self.json();
        plan["provenance"]["plan_id"].as_i64().unwrap_or_else(|| panic!("no plan id: {plan}"))
    }
}

/// A client of its own, as each dashboard has, with a staff token of the app's tenant.
fn dashboard(app: &TestApp) -> reqwest::Client {
    crate::helpers::client_with(Some(&app.token(sous::domain::Role::Staff)))
}

async fn send(client: &reqwest::Client, url: &str, if_none_match: Option<&str>) -> Read {
    let mut request = client.get(url);
    if let Some(etag) = if_none_match {
        request = request.header("If-None-Match", etag);
    }
    let response = request.send().await.expect("GET a plan");
    let header = |name: &str| {
        response.headers().get(name).map(|v| v.to_str().expect("an ASCII header").to_owned()).unwrap_or_default()
    };
    let (status, etag, lookup, cache_control) =
        (response.status(), header("etag"), header("x-sous-cache"), header("cache-control"));
    let body = response.text().await.expect("read the body");
    Read { status, etag, lookup, cache_control, body }
}

/// GET `path`, as a dashboard that last saw `if_none_match` (if any).
pub async fn read(app: &TestApp, path: &str, if_none_match: Option<&str>) -> Read {
    send(&dashboard(app), &app.url(path), if_none_match).await
}

/// GET `path`, which must answer 200.
pub async fn read_ok(app: &TestApp, path: &str) -> Read {
    let read = read(app, path, None).await;
    assert_eq!(read.status, StatusCode::OK, "GET {path}: {}", read.body);
    read
}

/// GETs every URL at once, each on a task of its own; the answers come back in order.
pub async fn read_concurrently(app: &TestApp, urls: Vec<String>) -> Vec<Read> {
    let client = dashboard(app);
    let mut tasks = JoinSet::new();
    for (index, url) in urls.into_iter().enumerate() {
        let client = client.clone();
        tasks.spawn(async move { (index, send(&client, &url, None).await) });
    }
    let mut reads: Vec<(usize, Read)> = tasks.join_all().await;
    reads.sort_by_key(|(index, _)| *index);
    reads.into_iter().map(|(_, read)| read).collect()
}

/// The value of a counter or gauge at `/metrics` (on its own listener).
pub async fn metric(app: &TestApp, name: &str) -> u64 {
    let url = format!("http://127.0.0.1:{}/metrics", app.metrics_port);
    let response = crate::helpers::client_with(None).get(url).send().await.expect("GET /metrics");
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.expect("read the metrics");
    let line = text.lines().find(|l| l.split_whitespace().next() == Some(name));
    let value = line.and_then(|l| l.split_whitespace().nth(1)).unwrap_or_else(|| panic!("no {name} in:\n{text}"));
    value.parse().unwrap_or_else(|e| panic!("{name} {value}: {e}"))
}

/// A kitchen with recent history served with [`fake_model`].
pub struct ModelKitchen {
    pub app: TestApp,
    pub fake: FakeLlm,
    pub kitchen: Kitchen,
}

impl ModelKitchen {
    pub async fn new() -> Self {
        let fake = fake_model().await;
        let app = TestApp::spawn_with_llm(model_settings(&fake.base_url)).await;
        let kitchen = kitchen_with_recent_history(&app).await;
        Self { app, fake, kitchen }
    }

    pub fn prep_path(&self, date: NaiveDate) -> String {
        prep_path(self.kitchen.location_id, date)
    }

    /// Caps this location's automatic regenerations at 0: after a change of its data, a read
    /// answers the published plan with what moved, and never asks the model.
    pub async fn keep_published_plans(&self) {
        let owner = self.app.token(sous::domain::Role::Owner);
        let path = format!("/api/v1/locations/{}/replanning", self.kitchen.location_id);
        let body = serde_json::json!({ "daily_cap": 0 });
        let set = self.app.send_as(Some(&owner), reqwest::Method::PUT, &path, Some(&body)).await;
        assert_eq!(set.status(), StatusCode::OK);
    }

    /// The prep list of `date`, which must answer 200.
    pub async fn prep_list(&self, date: NaiveDate) -> Read {
        read_ok(&self.app, &self.prep_path(date)).await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_reads_of_a_cold_plan_make_one_model_call() {
    let k = ModelKitchen::new().await;
    let url = k.app.url(&k.prep_path(day(2)));

    let reads = read_concurrently(&k.app, vec![url; 200]).await;

    assert_eq!(k.fake.calls(), 1, "one generation for one key");
    assert!(
        reads.iter().all(|r| r.status == StatusCode::OK),
        "{:?}",
        reads.iter().find(|r| r.status != StatusCode::OK)
    );
    assert_eq!(reads[0].json()["source"], "llm", "{}", reads[0].body);
    assert!(reads.iter().all(|r| r.etag == reads[0].etag && r.body == reads[0].body), "one plan for everyone");
    let mut lookups: HashMap<&str, usize> = HashMap::new();
    for read in &reads {
        *lookups.entry(read.lookup.as_str()).or_default() += 1;
    }
    assert_eq!(lookups.get("miss"), Some(&1), "{lookups:?}");
    assert_eq!(lookups.get("hit").unwrap_or(&0) + lookups.get("coalesced").unwrap_or(&0), 199, "{lookups:?}");
    assert_eq!(metric(&k.app, "sous_plan_generations_started_total").await, 1);
    assert_eq!(metric(&k.app, "sous_plan_cache_misses_total").await, 1);
    let coalesced = metric(&k.app, "sous_plan_generations_coalesced_total").await;
    assert_eq!(coalesced, *lookups.get("coalesced").unwrap_or(&0) as u64, "{lookups:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_reads_of_twenty_cold_plans_make_twenty_model_calls() {
    let k = ModelKitchen::new().await;
    let dates: Vec<NaiveDate> = (1..=20).map(day).collect();
    let urls: Vec<String> = (0..5).flat_map(|_| dates.iter().map(|d| k.app.url(&k.prep_path(*d)))).collect();

    let reads = read_concurrently(&k.app, urls).await;

    assert_eq!(k.fake.calls(), 20, "one generation a key");
    let mut by_date: HashMap<String, Vec<&Read>> = HashMap::new();
    for read in &reads {
        assert_eq!(read.status, StatusCode::OK, "{}", read.body);
        let plan = read.json();
        assert_eq!(plan["source"], "llm", "{plan}");
        by_date.entry(plan["date"].as_str().expect("a date").to_owned()).or_default().push(read);
    }
    assert_eq!(by_date.len(), 20);
    for (date, reads) in &by_date {
        assert_eq!(reads.len(), 5, "{date}");
        assert!(reads.iter().all(|r| r.etag == reads[0].etag), "one ETag for {date}");
        assert_eq!(reads.iter().filter(|r| r.lookup == "miss").count(), 1, "one miss for {date}");
    }
    let mut etags: Vec<&str> = reads.iter().map(|r| r.etag.as_str()).collect();
    etags.sort_unstable();
    etags.dedup();
    assert_eq!(etags.len(), 20, "an ETag a plan");
}

#[tokio::test]
async fn a_dashboard_polling_with_the_etag_gets_304_until_the_plan_is_generated_again() {
    let k = ModelKitchen::new().await;
    let path = k.prep_path(day(3));
    let first = k.prep_list(day(3)).await;
    assert!(!first.etag.is_empty(), "an ETag");
    assert!(first.cache_control.contains("no-cache"), "dashboards revalidate: {:?}", first.cache_control);

    let unchanged = read(&k.app, &path, Some(&first.etag)).await;
    assert_eq!(unchanged.status, StatusCode::NOT_MODIFIED);
    assert_eq!(unchanged.body, "", "a 304 has no body");
    assert_eq!(unchanged.etag, first.etag);
    assert!(!unchanged.cache_control.is_empty(), "a 304 says how to cache too");

    let generate = format!("/api/v1/locations/{}/prep-list/generate?date={}", k.kitchen.location_id, day(3));
    let response = k.app.request(Method::POST, &generate).await;
    assert_eq!(response.headers()["x-sous-cache"], "regenerated");
    let new_etag = response.headers()["etag"].to_str().expect("an ETag").to_owned();
    let regenerated = json_body(response, StatusCode::OK).await;
    assert_ne!(new_etag, first.etag, "a regenerated plan has a new ETag");
    assert_eq!(k.fake.calls(), 2);

    let changed = read(&k.app, &path, Some(&first.etag)).await;
    assert_eq!(changed.status, StatusCode::OK, "the old ETag no longer matches");
    assert_eq!((changed.etag.as_str(), changed.lookup.as_str()), (new_etag.as_str(), "hit"));
    assert_eq!(changed.json(), regenerated, "the regenerated plan replaced the cached one");
    assert_ne!(changed.plan_id(), first.plan_id());
    assert_eq!(read(&k.app, &path, Some(&new_etag)).await.status, StatusCode::NOT_MODIFIED);
    assert_eq!(k.fake.calls(), 2, "polling costs no model call");
    let old = k.app.get(&format!("/api/v1/plans/{}/audit", first.plan_id())).await;
    assert_eq!(old.status(), StatusCode::OK, "the previous plan stays in the history");
}

#[tokio::test]
async fn metrics_count_cache_hits_and_misses() {
    let k = ModelKitchen::new().await;
    assert_eq!(metric(&k.app, "sous_plan_cache_hits_total").await, 0);

    assert_eq!(k.prep_list(day(1)).await.lookup, "miss");
    assert_eq!(k.prep_list(day(1)).await.lookup, "hit");
    assert_eq!(k.prep_list(day(1)).await.lookup, "hit");
    assert_eq!(k.prep_list(day(2)).await.lookup, "miss");

    assert_eq!(metric(&k.app, "sous_plan_cache_hits_total").await, 2);
    assert_eq!(metric(&k.app, "sous_plan_cache_misses_total").await, 2);
    assert_eq!(metric(&k.app, "sous_plan_generations_started_total").await, 2);
    assert_eq!(metric(&k.app, "sous_plan_cache_entries").await, 2);
    assert_eq!(k.fake.calls(), 2);
}
