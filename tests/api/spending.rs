//! Limits on what a tenant spends on the model: requests that may call it are rate-limited per
//! tenant (429 with `Retry-After`), and a daily token budget kept in the database stops model
//! calls when spent (plans then come from the baseline, saying why). One tenant's limits change
//! nothing for another, and the budget is shared by every replica.
use entity::tenant;
use reqwest::{Method, StatusCode};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use sous::{config::LimitSettings, domain::Role, plans::spending::spent_today};

use crate::{
    cache::{day, fake_model, kitchen_with_recent_history, model_settings, prep_path},
    helpers::{TestApp, TestDatabase, assert_error, json_body},
};

fn limits(per_minute: u32, daily_tokens: u64) -> LimitSettings {
    LimitSettings { model_requests_per_minute: per_minute, daily_tokens, ..LimitSettings::default() }
}

/// A second tenant with a kitchen with history of its own, on the same server: the server as
/// that tenant sees it, and the kitchen's location.
async fn second_tenant(app: &TestApp) -> (TestApp, i64) {
    let tenant = app.create_tenant("Second group").await;
    let other = app.acting_for(tenant);
    let location = kitchen_with_recent_history(&other).await.location_id;
    (other, location)
}

async fn set_own_limits(app: &TestApp, tenant_id: i64, per_minute: Option<i32>, daily_tokens: Option<i64>) {
    let row = tenant::Entity::find_by_id(tenant_id).one(app.db()).await.expect("read").expect("the tenant");
    let mut row: tenant::ActiveModel = row.into();
    row.model_requests_per_minute = Set(per_minute);
    row.daily_tokens = Set(daily_tokens);
    row.update(app.db()).await.expect("set the tenant's limits");
}

#[tokio::test]
async fn past_its_rate_a_tenant_gets_429_with_retry_after_and_another_tenant_does_not() {
    let database = TestDatabase::create().await;
    let model = fake_model().await;
    let server =
        database.serve_limited(Some(model_settings(&model.base_url)), Default::default(), limits(2, 1_000_000)).await;
    let app = &server.app;
    let k = kitchen_with_recent_history(app).await;
    let generate = format!("/api/v1/locations/{}/prep-list/generate?date={}", k.location_id, day(2));
    let manager = app.token(Role::Manager);

    let mut statuses = Vec::new();
    for _ in 0..3 {
        statuses.push(app.send_as(Some(&manager), Method::POST, &generate, None).await);
    }
    let limited = statuses.pop().expect("three answers");
    assert!(statuses.iter().all(|r| r.status() == StatusCode::OK), "the first two are within the rate");
    let retry_after: u64 = limited.headers()["retry-after"].to_str().expect("ASCII").parse().expect("seconds");
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    assert_error(limited, StatusCode::TOO_MANY_REQUESTS, "rate_limited", None).await;
    assert_eq!(model.calls(), 2, "the refused request called nothing");
    // A cached read costs nothing and is never limited.
    let read = app.send_as(Some(&app.token(Role::Staff)), Method::GET, &prep_path(k.location_id, day(2)), None).await;
    assert_eq!(read.status(), StatusCode::OK);

    let (other, other_location) = second_tenant(app).await;
    let other_manager = other.token(Role::Manager);
    let other_generate = format!("/api/v1/locations/{other_location}/prep-list/generate?date={}", day(2));
    let response = other.send_as(Some(&other_manager), Method::POST, &other_generate, None).await;
    assert_eq!(response.status(), StatusCode::OK, "the second tenant has a rate of its own");

    // A tenant's own rate overrides the default: one a minute for the second tenant (its
    // limiter starts afresh at the new rate).
    set_own_limits(app, other.tenant_id, Some(1), None).await;
    let within = other.send_as(Some(&other_manager), Method::POST, &other_generate, None).await;
    assert_eq!(within.status(), StatusCode::OK);
    let past = other.send_as(Some(&other_manager), Method::POST, &other_generate, None).await;
    assert_eq!(past.status(), StatusCode::TOO_MANY_REQUESTS);
    // The first tenant was limited at 2 a minute all along, and still is.
    let still = app.send_as(Some(&manager), Method::POST, &generate, None).await;
    assert_eq!(still.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn without_a_model_nothing_is_spent_and_nothing_is_limited() {
    let database = TestDatabase::create().await;
    let server = database.serve_limited(None, Default::default(), limits(1, 1)).await;
    let k = kitchen_with_recent_history(&server.app).await;
    let generate = format!("/api/v1/locations/{}/staffing/generate?date={}", k.location_id, day(2));
    for _ in 0..4 {
        json_body(server.app.post_json(&generate, &serde_json::json!({})).await, StatusCode::OK).await;
    }
}

#[tokio::test]
async fn a_spent_budget_stops_the_model_on_every_replica_and_the_plan_says_why() {
    let database = TestDatabase::create().await;
    let model = fake_model().await;
    let a = database.serve(Some(model_settings(&model.base_url)), Default::default()).await;
    let b = database.serve(Some(model_settings(&model.base_url)), Default::default()).await;
    let k = kitchen_with_recent_history(&a.app).await;
    let tenant = a.app.tenant_id;

    let first = json_body(a.app.get(&prep_path(k.location_id, day(2))).await, StatusCode::OK).await;
    assert_eq!(first["source"], "llm", "{first}");
    let spent = spent_today(a.app.db(), tenant).await.expect("the usage");
    assert_eq!(spent, 200, "the fake model reports 120 + 80 tokens");
    // The budget is exactly what was spent: no further call fits, on either replica.
    set_own_limits(&a.app, tenant, None, Some(spent)).await;

    let on_b = json_body(b.app.get(&prep_path(k.location_id, day(3))).await, StatusCode::OK).await;
    assert_eq!(on_b["source"], "fallback", "{on_b}");
    let reasons = on_b["provenance"]["fallback_reasons"].to_string();
    assert!(reasons.contains("daily model token budget is spent"), "{reasons}");
    let on_a = json_body(
        a.app
            .post_json(
                &format!("/api/v1/locations/{}/prep-list/generate?date={}", k.location_id, day(4)),
                &serde_json::json!({}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(on_a["source"], "fallback", "{on_a}");
    assert_eq!(model.calls(), 1, "no call after the budget was spent");
    assert_eq!(spent_today(a.app.db(), tenant).await.expect("the usage"), spent, "refused reservations cost nothing");

    // Another tenant's budget is its own: its plan is still the model's.
    let (other, other_location) = second_tenant(&b.app).await;
    let theirs = json_body(other.get(&prep_path(other_location, day(2))).await, StatusCode::OK).await;
    assert_eq!(theirs["source"], "llm", "{theirs}");
    assert_eq!(model.calls(), 2);
}

#[tokio::test]
async fn failed_model_calls_count_against_the_budget() {
    let model = crate::fake_llm::FakeLlm::start(vec![crate::fake_llm::Reply::status(500, "upstream broke")]).await;
    let database = TestDatabase::create().await;
    let server = database.serve(Some(model_settings(&model.base_url)), Default::default()).await;
    let k = kitchen_with_recent_history(&server.app).await;

    let plan = json_body(server.app.get(&prep_path(k.location_id, day(2))).await, StatusCode::OK).await;

    assert_eq!(plan["source"], "fallback", "{plan}");
    assert_eq!(model.calls(), 1);
    let spent = spent_today(server.app.db(), server.app.tenant_id).await.expect("the usage");
    assert!(spent > 0, "a failed call is counted at its prompt's estimate");
}
