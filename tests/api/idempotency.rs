//! `Idempotency-Key` on writes: a retried request with the same key and body gets the first
//! answer without the work being done again (also when both arrive at once); the same key with
//! another body is 422; keys are per tenant and expire; answers a retry could change are not kept.
use entity::{idempotency_key, on_hand_count};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, sea_query::Expr};
use serde_json::{Value, json};
use sous::{config::LimitSettings, domain::Role};

use crate::{
    cache::{day, fake_model, kitchen_with_recent_history, model_settings},
    helpers::{TestApp, TestDatabase, assert_error, client_with},
};

/// POSTs `body` to `path` as `token` with `key`; the status, the replay header and the body.
async fn post(app: &TestApp, token: &str, path: &str, key: &str, body: &Value) -> (StatusCode, String, Value) {
    let response = client_with(Some(token))
        .post(app.url(path))
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .expect("a POST");
    let status = response.status();
    let replayed = response
        .headers()
        .get("idempotent-replayed")
        .map(|v| v.to_str().unwrap_or_default().to_owned())
        .unwrap_or_default();
    (status, replayed, response.json().await.expect("JSON"))
}

async fn counts(app: &TestApp) -> u64 {
    on_hand_count::Entity::find().count(app.db()).await.expect("count the stock counts")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_batch_sent_twice_at_once_with_one_key_is_stored_once_and_answered_alike() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;
    let path = format!("/api/v1/locations/{}/on-hand", k.location_id);
    let body = json!({ "counts": [{ "prep_item_id": k.lettuce, "quantity": 2.5 }, { "prep_item_id": k.sauce, "quantity": 4.0 }] });
    let manager = app.token(Role::Manager);

    for round in 0..5 {
        let key = format!("count-{round}");
        let before = counts(&app).await;
        let (first, second) =
            tokio::join!(post(&app, &manager, &path, &key, &body), post(&app, &manager, &path, &key, &body));
        assert_eq!(counts(&app).await, before + 2, "round {round}: the counts were stored once");
        assert_eq!((first.0, &first.2), (StatusCode::OK, &second.2), "round {round}: the same answer");
        assert_eq!(first.2["created"], 2);
        let mut replays = [first.1, second.1];
        replays.sort();
        assert_eq!(replays, ["false", "true"], "round {round}: one did the work, one was replayed");
    }
    // Later, a retry still gets the first answer and stores nothing.
    let before = counts(&app).await;
    let (status, replayed, answer) = post(&app, &manager, &path, "count-0", &body).await;
    assert_eq!((status, replayed.as_str(), answer["created"].clone()), (StatusCode::OK, "true", json!(2)));
    assert_eq!(counts(&app).await, before);
}

#[tokio::test]
async fn the_same_key_with_another_body_is_refused_and_keys_are_per_tenant() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;
    let path = format!("/api/v1/locations/{}/on-hand", k.location_id);
    let body = |quantity: f64| json!({ "counts": [{ "prep_item_id": k.lettuce, "quantity": quantity }] });
    let manager = app.token(Role::Manager);
    assert_eq!(post(&app, &manager, &path, "k-1", &body(1.0)).await.0, StatusCode::OK);

    let response = client_with(Some(&manager))
        .post(app.url(&path))
        .header("Idempotency-Key", "k-1")
        .json(&body(9.0))
        .send()
        .await
        .expect("a POST");
    assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused", None).await;

    // Another tenant's "k-1" is another key: its request is its own (here, not its location).
    let other = app.create_tenant("Other group").await;
    let stranger = crate::helpers::token(other, Role::Manager, None);
    assert_eq!(post(&app, &stranger, &path, "k-1", &body(1.0)).await.0, StatusCode::NOT_FOUND);

    for bad in ["", &"x".repeat(256), "has space", "clé"] {
        let response = client_with(Some(&manager))
            .post(app.url(&path))
            .header("Idempotency-Key", bad)
            .json(&body(1.0))
            .send()
            .await;
        // A header reqwest refuses to send is no test of the server.
        let Ok(response) = response else { continue };
        assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", Some("Idempotency-Key")).await;
    }
}

#[tokio::test]
async fn an_expired_key_is_a_new_request() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;
    let path = format!("/api/v1/locations/{}/on-hand", k.location_id);
    let body = json!({ "counts": [{ "prep_item_id": k.lettuce, "quantity": 1.0 }] });
    let manager = app.token(Role::Manager);
    post(&app, &manager, &path, "old", &body).await;
    let before = counts(&app).await;

    idempotency_key::Entity::update_many()
        .col_expr(idempotency_key::Column::ExpiresAt, Expr::value(chrono::Utc::now() - chrono::Duration::hours(1)))
        .filter(idempotency_key::Column::Key.eq("old"))
        .exec(app.db())
        .await
        .expect("age the key");
    let (status, replayed, _) = post(&app, &manager, &path, "old", &body).await;

    assert_eq!((status, replayed.as_str()), (StatusCode::OK, "false"));
    assert_eq!(counts(&app).await, before + 1);
}

#[tokio::test]
async fn a_regeneration_retried_with_its_key_calls_the_model_once_and_a_429_is_not_kept() {
    let database = TestDatabase::create().await;
    let model = fake_model().await;
    let limits = LimitSettings { model_requests_per_minute: 1, ..LimitSettings::default() };
    let server = database.serve_limited(Some(model_settings(&model.base_url)), Default::default(), limits).await;
    let app = &server.app;
    let k = kitchen_with_recent_history(app).await;
    let path = format!("/api/v1/locations/{}/prep-list/generate?date={}", k.location_id, day(2));
    let manager = app.token(Role::Manager);

    let first = post(app, &manager, &path, "regen-1", &json!({})).await;
    let retry = post(app, &manager, &path, "regen-1", &json!({})).await;
    assert_eq!(first.0, StatusCode::OK, "{}", first.2);
    assert_eq!(retry.2, first.2, "the same plan, not a second generation");
    assert_eq!((retry.1.as_str(), model.calls()), ("true", 1));

    // Past the rate: 429, which a retry after the wait may change, so the key is not kept.
    let limited = post(app, &manager, &path, "regen-2", &json!({})).await;
    assert_eq!(limited.0, StatusCode::TOO_MANY_REQUESTS);
    let row = idempotency_key::Entity::find().filter(idempotency_key::Column::Key.eq("regen-2")).one(app.db()).await;
    assert!(row.expect("read").is_none(), "a 429 is not kept under its key");
}

#[tokio::test]
async fn a_retry_after_the_client_gave_up_gets_the_answer_of_the_work_still_under_way() {
    // The model hangs until the plan's deadline (3 s in tests); the client gives up long before.
    let model = crate::fake_llm::FakeLlm::start(vec![crate::fake_llm::Reply::Hang]).await;
    let database = TestDatabase::create().await;
    let server = database.serve(Some(model_settings(&model.base_url)), Default::default()).await;
    let app = &server.app;
    let k = kitchen_with_recent_history(app).await;
    let path = format!("/api/v1/locations/{}/prep-list/generate?date={}", k.location_id, day(2));
    let manager = app.token(Role::Manager);

    let impatient = reqwest::Client::builder()
        .no_proxy()
        .timeout(std::time::Duration::from_millis(500))
        .build()
        .expect("a client")
        .post(app.url(&path))
        .bearer_auth(&manager)
        .header("Idempotency-Key", "left")
        .json(&json!({}))
        .send()
        .await;
    assert!(impatient.is_err(), "the client gave up");

    // The work goes on without its client; the retry waits for it instead of starting again.
    let (status, replayed, plan) = post(app, &manager, &path, "left", &json!({})).await;
    assert_eq!((status, replayed.as_str()), (StatusCode::OK, "true"), "{plan}");
    assert_eq!(plan["source"], "fallback", "the model never answered: {plan}");
    assert_eq!(model.calls(), 1, "one generation for one key");
}
