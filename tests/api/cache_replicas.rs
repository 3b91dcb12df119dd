//! Stored plans as the cache's second level: a restarted server, or another replica on the same
//! database, serves the plan already made instead of asking the model again.
use std::time::Duration;

use reqwest::{Method, StatusCode};
use sous::config::CacheSettings;

use crate::{
    cache::{day, fake_model, kitchen_with_recent_history, metric, model_settings, prep_path, read, read_concurrently},
    helpers::{TestDatabase, json_body},
};

#[tokio::test]
async fn a_restarted_server_serves_the_stored_plan_without_calling_the_model() {
    let database = TestDatabase::create().await;
    let first_model = fake_model().await;
    let first = database.serve(Some(model_settings(&first_model.base_url)), CacheSettings::default()).await;
    let k = kitchen_with_recent_history(&first.app).await;
    let path = prep_path(k.location_id, day(2));
    let before = read(&first.app, &path, None).await;
    assert_eq!(before.status, StatusCode::OK, "{}", before.body);
    assert_eq!(before.json()["source"], "llm", "{}", before.body);
    assert_eq!(first_model.calls(), 1);
    first.stop().await;

    let second_model = fake_model().await;
    let second = database.serve(Some(model_settings(&second_model.base_url)), CacheSettings::default()).await;
    let after = read(&second.app, &path, None).await;

    assert_eq!(after.status, StatusCode::OK, "{}", after.body);
    assert_eq!(second_model.calls(), 0, "the stored plan is served");
    assert_eq!(after.lookup, "miss", "not in the new server's cache yet");
    assert_eq!(after.plan_id(), before.plan_id());
    assert_eq!(after.json(), before.json(), "the same plan, as first served");
    assert_eq!(metric(&second.app, "sous_stored_plans_reused_total").await, 1);
    let polled = read(&second.app, &path, Some(&before.etag)).await;
    assert_eq!(polled.status, StatusCode::NOT_MODIFIED, "a dashboard polling across the restart keeps its ETag");
    assert_eq!(second_model.calls(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_on_one_postgres_database_make_one_model_call_for_a_hundred_requests() {
    let database = TestDatabase::create().await;
    if !database.is_postgres() {
        eprintln!("skipped: replicas coordinate through PostgreSQL; set SOUS_TEST_DATABASE_URL (as .ci/run does)");
        return;
    }
    let model = fake_model().await;
    let a = database.serve(Some(model_settings(&model.base_url)), CacheSettings::default()).await;
    let b = database.serve(Some(model_settings(&model.base_url)), CacheSettings::default()).await;
    let k = kitchen_with_recent_history(&a.app).await;
    let path = prep_path(k.location_id, day(2));
    let urls: Vec<String> = (0..100).map(|i| if i % 2 == 0 { a.app.url(&path) } else { b.app.url(&path) }).collect();

    let reads = read_concurrently(&a.app, urls).await;

    assert_eq!(model.calls(), 1, "one model call across both replicas");
    for read in &reads {
        assert_eq!(read.status, StatusCode::OK, "{}", read.body);
        assert_eq!(read.plan_id(), reads[0].plan_id(), "one stored plan");
    }
    assert_eq!(reads[0].json()["source"], "llm", "{}", reads[0].body);
    let reused =
        metric(&a.app, "sous_stored_plans_reused_total").await + metric(&b.app, "sous_stored_plans_reused_total").await;
    assert_eq!(reused, 1, "the replica that did not generate read the stored plan");
    let etags: Vec<&str> = reads.iter().map(|r| r.etag.as_str()).collect();
    assert!(etags.iter().all(|e| *e == etags[0]), "both replicas answer with one ETag: {etags:?}");
}

#[tokio::test]
async fn a_plan_generated_again_on_one_replica_is_served_by_the_others_after_the_freshness_window() {
    let database = TestDatabase::create().await;
    let model = fake_model().await;
    let cache = CacheSettings { freshness: Duration::from_millis(50), ..CacheSettings::default() };
    let a = database.serve(Some(model_settings(&model.base_url)), cache.clone()).await;
    let b = database.serve(Some(model_settings(&model.base_url)), cache).await;
    let k = kitchen_with_recent_history(&a.app).await;
    let path = prep_path(k.location_id, day(2));
    let first = read(&a.app, &path, None).await;
    assert_eq!(read(&b.app, &path, None).await.plan_id(), first.plan_id(), "b serves the stored plan");
    assert_eq!(model.calls(), 1);

    let generate = format!("/api/v1/locations/{}/prep-list/generate?date={}", k.location_id, day(2));
    let regenerated = json_body(a.app.request(Method::POST, &generate).await, StatusCode::OK).await;
    assert_eq!(model.calls(), 2);
    tokio::time::sleep(Duration::from_millis(100)).await;

    let on_b = read(&b.app, &path, None).await;
    assert_eq!(on_b.status, StatusCode::OK, "{}", on_b.body);
    assert_eq!(on_b.plan_id(), regenerated["provenance"]["plan_id"], "b still serves the plan a replaced");
    assert_eq!(model.calls(), 2, "b reads the stored plan");
}
