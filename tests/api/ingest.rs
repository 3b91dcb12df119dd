//! Batch ingest of orders and reservations (idempotent on external ids, all or nothing)
//! and stock counts.
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Kitchen, TestApp, assert_error, fields, order, reservation};

/// Three orders on Monday 2 March 2026, Paris time: 2 + 4 + 3 covers.
fn monday_orders(k: &Kitchen) -> Value {
    json!([
        order("pos-1001", "2026-03-02T12:15:00+01:00", 2, &[(k.burger, 2)]),
        order("pos-1002", "2026-03-02T12:45:00+01:00", 4, &[(k.burger, 1), (k.salad, 3)]),
        order("pos-1003", "2026-03-02T20:05:00+01:00", 3, &[(k.soup, 3)]),
    ])
}

async fn daily(app: &TestApp, location_id: i64, from: &str, to: &str) -> Value {
    app.get_ok(&format!("/api/v1/locations/{location_id}/history/daily?from={from}&to={to}")).await
}

async fn summary(app: &TestApp, location_id: i64, date: &str) -> Value {
    app.get_ok(&format!("/api/v1/locations/{location_id}/reservations/summary?date={date}")).await
}

// Orders

#[tokio::test]
async fn a_batch_of_orders_is_created_and_shows_in_history() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;

    let result = app.ingest_orders(k.location_id, monday_orders(&k)).await;

    assert_eq!(result, json!({ "created": 3, "updated": 0, "unchanged": 0 }));
    let days = daily(&app, k.location_id, "2026-03-01", "2026-03-08").await;
    assert_eq!(days, json!([{ "date": "2026-03-02", "weekday": "mon", "covers": 9, "orders": 3 }]));
}

#[tokio::test]
async fn resending_an_identical_batch_changes_nothing() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;
    app.ingest_orders(k.location_id, monday_orders(&k)).await;
    let before = daily(&app, k.location_id, "2026-03-01", "2026-03-08").await;

    let result = app.ingest_orders(k.location_id, monday_orders(&k)).await;

    assert_eq!(result, json!({ "created": 0, "updated": 0, "unchanged": 3 }));
    assert_eq!(daily(&app, k.location_id, "2026-03-01", "2026-03-08").await, before, "no duplicates");
}

#[tokio::test]
async fn resending_an_order_with_its_lines_reordered_and_another_offset_is_unchanged() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;
    app.ingest_orders(k.location_id, monday_orders(&k)).await;

    // The same instant written in UTC, and the same lines in another order.
    let same = json!([order("pos-1002", "2026-03-02T11:45:00Z", 4, &[(k.salad, 3), (k.burger, 1)])]);
    let result = app.ingest_orders(k.location_id, same).await;

    assert_eq!(result, json!({ "created": 0, "updated": 0, "unchanged": 1 }));
}

#[tokio::test]
async fn a_known_external_id_with_other_content_is_a_conflict_and_nothing_of_the_batch_is_written() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;
    app.ingest_orders(k.location_id, monday_orders(&k)).await;

    let batch = json!([
        order("pos-2001", "2026-03-03T12:30:00+01:00", 2, &[(k.burger, 2)]),
        order("pos-1002", "2026-03-02T12:45:00+01:00", 5, &[(k.burger, 1), (k.salad, 3)]),
    ]);
    let response = app.post_orders(k.location_id, batch).await;

    assert_error(response, StatusCode::CONFLICT, "conflict", Some("orders[1].external_id")).await;
    let days = daily(&app, k.location_id, "2026-03-01", "2026-03-08").await;
    assert_eq!(
        days,
        json!([{ "date": "2026-03-02", "weekday": "mon", "covers": 9, "orders": 3 }]),
        "neither the new order of 3 March nor the changed covers were stored"
    );
}

#[tokio::test]
async fn a_known_external_id_with_other_lines_is_a_conflict() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;
    app.ingest_orders(k.location_id, monday_orders(&k)).await;

    let changed = json!([order("pos-1001", "2026-03-02T12:15:00+01:00", 2, &[(k.burger, 3)])]);
    let response = app.post_orders(k.location_id, changed).await;

    assert_error(response, StatusCode::CONFLICT, "conflict", Some("orders[0].external_id")).await;
}

#[tokio::test]
async fn the_same_external_id_twice_in_one_batch_is_refused() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;

    let batch = json!([
        order("pos-1", "2026-03-02T12:15:00+01:00", 2, &[(k.burger, 1)]),
        order("pos-1", "2026-03-02T12:16:00+01:00", 2, &[(k.burger, 1)]),
    ]);
    let response = app.post_orders(k.location_id, batch).await;

    assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", Some("orders[1].external_id")).await;
    assert_eq!(daily(&app, k.location_id, "2026-03-01", "2026-03-08").await, json!([]));
}

#[tokio::test]
async fn an_external_id_with_odd_characters_is_refused_naming_it() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;

    for bad in ["pos 1", "pos;1", "", "é1"] {
        let batch = json!([order(bad, "2026-03-02T12:15:00+01:00", 2, &[(k.burger, 1)])]);
        let response = app.post_orders(k.location_id, batch).await;
        assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", Some("orders[0].external_id"))
            .await;
    }
}

#[tokio::test]
async fn an_order_line_with_an_unknown_menu_item_is_refused_naming_it() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;
    let other = app.standard_kitchen().await;

    let batch = json!([
        order("pos-1", "2026-03-02T12:15:00+01:00", 2, &[(424_242, 1)]),
        order("pos-2", "2026-03-02T12:15:00+01:00", 2, &[(k.burger, 1), (other.burger, 1)]),
    ]);
    let response = app.post_orders(k.location_id, batch).await;

    let body = assert_error(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
        Some("orders[0].lines[0].menu_item_id"),
    )
    .await;
    assert!(fields(&body).contains(&"orders[1].lines[1].menu_item_id".to_owned()), "another location's item: {body}");
}

#[tokio::test]
async fn a_line_quantity_of_zero_is_refused_naming_the_line() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;

    let batch = json!([order("pos-1", "2026-03-02T12:15:00+01:00", 2, &[(k.burger, 0)])]);
    let response = app.post_orders(k.location_id, batch).await;

    let body = assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", None).await;
    assert!(fields(&body).iter().any(|f| f.contains("lines[0].quantity")), "{body}");
}

#[tokio::test]
async fn an_order_without_lines_is_refused() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;

    let batch = json!([order("pos-1", "2026-03-02T12:15:00+01:00", 2, &[])]);
    let response = app.post_orders(k.location_id, batch).await;

    assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", Some("orders[0].lines")).await;
}

#[tokio::test]
async fn an_empty_batch_of_orders_is_refused() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;

    let response = app.post_orders(k.location_id, json!([])).await;

    assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", Some("orders")).await;
}

#[tokio::test]
async fn a_batch_of_more_than_1000_orders_is_refused() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;

    let orders: Vec<Value> =
        (0..1001).map(|i| order(&format!("pos-{i}"), "2026-03-02T12:15:00+01:00", 2, &[(k.burger, 1)])).collect();
    let response = app.post_orders(k.location_id, Value::Array(orders)).await;

    assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", Some("orders")).await;
    assert_eq!(daily(&app, k.location_id, "2026-03-01", "2026-03-08").await, json!([]));
}

#[tokio::test]
async fn a_batch_of_exactly_1000_orders_is_accepted() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;

    let orders: Vec<Value> = (0..1000)
        .map(|i| order(&format!("pos-{i}"), "2026-03-02T12:15:00+01:00", 1, &[(k.burger, 1), (k.soup, 1)]))
        .collect();
    let result = app.ingest_orders(k.location_id, Value::Array(orders)).await;

    assert_eq!(result["created"], 1000);
    let days = daily(&app, k.location_id, "2026-03-01", "2026-03-08").await;
    assert_eq!(days, json!([{ "date": "2026-03-02", "weekday": "mon", "covers": 1000, "orders": 1000 }]));
}

#[tokio::test]
async fn an_unknown_channel_is_a_bad_request() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;

    let mut bad = order("pos-1", "2026-03-02T12:15:00+01:00", 2, &[(k.burger, 1)]);
    bad["channel"] = json!("drone");
    let response = app.post_orders(k.location_id, json!([bad])).await;

    assert_error(response, StatusCode::BAD_REQUEST, "bad_request", None).await;
}

#[tokio::test]
async fn orders_for_an_unknown_location_are_not_found() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;

    let response = app.post_orders(424_242, monday_orders(&k)).await;

    assert_error(response, StatusCode::NOT_FOUND, "not_found", None).await;
}

// Reservations

#[tokio::test]
async fn reservations_are_created_then_unchanged_when_resent_as_they_were() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;
    let mut with_guest = reservation("res-2", "2026-03-20T20:00:00+01:00", 2, "confirmed");
    with_guest["guest"] = json!({ "name": " Ada Lovelace ", "email": "ada@example.com", "notes": "window table" });
    let batch = json!([reservation("res-1", "2026-03-20T19:30:00+01:00", 4, "booked"), with_guest]);

    let first = app.ingest_reservations(k.location_id, batch.clone()).await;
    let second = app.ingest_reservations(k.location_id, batch).await;

    assert_eq!(first, json!({ "created": 2, "updated": 0, "unchanged": 0 }));
    assert_eq!(second, json!({ "created": 0, "updated": 0, "unchanged": 2 }));
    let summary = summary(&app, k.location_id, "2026-03-20").await;
    assert_eq!(summary["total"], json!({ "count": 2, "covers": 6 }));
}

#[tokio::test]
async fn a_resent_reservation_with_a_new_status_is_updated_and_the_summary_follows() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;
    app.ingest_reservations(k.location_id, json!([reservation("res-1", "2026-03-20T19:30:00+01:00", 4, "booked")]))
        .await;

    let result = app
        .ingest_reservations(k.location_id, json!([reservation("res-1", "2026-03-20T19:30:00+01:00", 4, "cancelled")]))
        .await;

    assert_eq!(result, json!({ "created": 0, "updated": 1, "unchanged": 0 }));
    let summary = summary(&app, k.location_id, "2026-03-20").await;
    assert_eq!(summary["total"], json!({ "count": 1, "covers": 4 }));
    assert_eq!(summary["by_status"], json!([{ "status": "cancelled", "count": 1, "covers": 4 }]));
    assert_eq!(summary["by_hour"], json!([]), "a cancelled booking is not expected");
}

#[tokio::test]
async fn a_reservation_moved_to_another_day_leaves_the_old_day() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;
    app.ingest_reservations(k.location_id, json!([reservation("res-1", "2026-03-20T19:30:00+01:00", 4, "booked")]))
        .await;

    let result = app
        .ingest_reservations(k.location_id, json!([reservation("res-1", "2026-03-21T12:30:00+01:00", 5, "booked")]))
        .await;

    assert_eq!(result["updated"], 1);
    assert_eq!(summary(&app, k.location_id, "2026-03-20").await["total"], json!({ "count": 0, "covers": 0 }));
    let moved = summary(&app, k.location_id, "2026-03-21").await;
    assert_eq!(moved["by_hour"], json!([{ "hour": 12, "count": 1, "covers": 5 }]));
}

#[tokio::test]
async fn a_reservation_booked_after_the_time_it_is_for_is_refused() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;

    let mut late = reservation("res-1", "2026-03-20T19:30:00+01:00", 4, "booked");
    late["booked_at"] = json!("2026-03-20T19:31:00+01:00");
    let response = app.post_reservations(k.location_id, json!([late])).await;

    assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", Some("reservations[0].booked_at"))
        .await;
}

#[tokio::test]
async fn a_reservation_with_an_invalid_guest_email_is_refused() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;

    let mut bad = reservation("res-1", "2026-03-20T19:30:00+01:00", 4, "booked");
    bad["guest"] = json!({ "name": "Ada", "email": "not-an-email" });
    let response = app.post_reservations(k.location_id, json!([bad])).await;

    let body = assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", None).await;
    assert!(fields(&body).iter().any(|f| f.starts_with("reservations[0]") && f.contains("email")), "{body}");
    assert_eq!(summary(&app, k.location_id, "2026-03-20").await["total"]["count"], 0);
}

#[tokio::test]
async fn a_reservation_party_of_zero_is_refused() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;

    let response = app
        .post_reservations(k.location_id, json!([reservation("res-1", "2026-03-20T19:30:00+01:00", 0, "booked")]))
        .await;

    assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", Some("reservations[0].party_size"))
        .await;
}

#[tokio::test]
async fn the_same_reservation_twice_in_one_batch_is_refused() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;

    let batch = json!([
        reservation("res-1", "2026-03-20T19:30:00+01:00", 4, "booked"),
        reservation("res-1", "2026-03-20T20:30:00+01:00", 2, "booked"),
    ]);
    let response = app.post_reservations(k.location_id, batch).await;

    assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", Some("reservations[1].external_id"))
        .await;
}

#[tokio::test]
async fn an_unknown_reservation_status_is_a_bad_request() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;

    let response = app
        .post_reservations(k.location_id, json!([reservation("res-1", "2026-03-20T19:30:00+01:00", 4, "maybe")]))
        .await;

    assert_error(response, StatusCode::BAD_REQUEST, "bad_request", None).await;
}

// Stock counts

#[tokio::test]
async fn stock_counts_of_known_prep_items_are_recorded() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;

    let last_night = (chrono::Utc::now() - chrono::Duration::hours(10)).to_rfc3339();
    let counts = json!([
        { "prep_item_id": k.patties, "quantity": 40.0 },
        { "prep_item_id": k.sauce, "quantity": 3.5, "counted_at": last_night },
    ]);
    let response = app.post_on_hand(k.location_id, counts).await;

    let body = crate::helpers::json_body(response, StatusCode::OK).await;
    assert_eq!(body, json!({ "created": 2, "updated": 0, "unchanged": 0 }));
}

#[tokio::test]
async fn timestamps_outside_what_they_mean_are_refused_stating_the_rule() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;
    let far_future = "9999-12-31T00:00:00Z";

    for ordered_at in ["1900-01-01T12:00:00Z", far_future] {
        let response = app.post_orders(k.location_id, json!([order("t-1", ordered_at, 2, &[(k.burger, 1)])])).await;
        let field = Some("orders[0].ordered_at");
        let body = assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", field).await;
        assert!(body["message"].as_str().is_some_and(|m| m.contains("within the last 10 years")), "{body}");
    }
    // A year before 1 AD is not even read as a time.
    let response =
        app.post_orders(k.location_id, json!([order("t-1", "-0001-01-01T00:00:00Z", 2, &[(k.burger, 1)])])).await;
    assert!(response.status().is_client_error(), "{}", response.status());
    let counts = json!([{ "prep_item_id": k.patties, "quantity": 1.0, "counted_at": far_future }]);
    let body = assert_error(
        app.post_on_hand(k.location_id, counts).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
        Some("counts[0].counted_at"),
    )
    .await;
    assert!(body["message"].as_str().is_some_and(|m| m.contains("within the last year")), "{body}");
    let booking = reservation("t-2", "2031-03-20T19:30:00+01:00", 2, "booked");
    assert_error(
        app.post_reservations(k.location_id, json!([booking])).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
        Some("reservations[0].reserved_for"),
    )
    .await;
}

#[tokio::test]
async fn a_stock_count_of_an_unknown_prep_item_is_refused_naming_it() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;
    let other = app.standard_kitchen().await;

    let counts = json!([
        { "prep_item_id": 424_242, "quantity": 1.0 },
        { "prep_item_id": k.patties, "quantity": 1.0 },
        { "prep_item_id": other.patties, "quantity": 1.0 },
    ]);
    let response = app.post_on_hand(k.location_id, counts).await;

    let body =
        assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", Some("counts[0].prep_item_id"))
            .await;
    assert_eq!(fields(&body), ["counts[0].prep_item_id", "counts[2].prep_item_id"], "another location's item too");
}

#[tokio::test]
async fn a_negative_stock_count_is_refused() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;

    let response = app.post_on_hand(k.location_id, json!([{ "prep_item_id": k.patties, "quantity": -1.0 }])).await;

    assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", Some("counts[0].quantity")).await;
}
