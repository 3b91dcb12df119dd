//! History aggregates on hand-made data with known answers. Orders carry explicit offsets;
//! days, weekdays and hours must come out in the location's time (Europe/Paris).
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Kitchen, TestApp, assert_error, order, reservation};

/// Orders around Monday 2 and Tuesday 3 March 2026 (Paris is UTC+1 then).
fn orders(k: &Kitchen) -> Value {
    let mut takeout = order("tue-takeout", "2026-03-03T12:00:00+01:00", 0, &[(k.burger, 2)]);
    takeout["channel"] = json!("takeout");
    json!([
        // Sunday 1 March, 23:59 in Paris: before the range.
        order("sun-late", "2026-03-01T22:59:00Z", 2, &[(k.soup, 2)]),
        order("mon-lunch-1", "2026-03-02T12:15:00+01:00", 2, &[(k.burger, 2)]),
        order("mon-lunch-2", "2026-03-02T12:45:00+01:00", 4, &[(k.burger, 1), (k.salad, 3)]),
        // 19:05 UTC is 20:05 in Paris.
        order("mon-dinner", "2026-03-02T19:05:00Z", 3, &[(k.soup, 3)]),
        // Still Monday in UTC, but 00:30 on Tuesday in Paris.
        order("after-midnight", "2026-03-02T23:30:00Z", 1, &[(k.salad, 1)]),
        // 13:10 in New York is 19:10 in Paris.
        order("from-new-york", "2026-03-03T13:10:00-05:00", 2, &[(k.burger, 1), (k.soup, 1)]),
        takeout,
        // Wednesday 4 March: the first day after the range.
        order("wed-lunch", "2026-03-04T12:30:00+01:00", 5, &[(k.salad, 5)]),
    ])
}

async fn kitchen_with_orders(app: &TestApp) -> Kitchen {
    let k = app.standard_kitchen().await;
    let result = app.ingest_orders(k.location_id, orders(&k)).await;
    assert_eq!(result["created"], 8);
    k
}

#[tokio::test]
async fn daily_totals_count_covers_and_orders_per_local_service_day() {
    let app = TestApp::spawn().await;
    let k = kitchen_with_orders(&app).await;

    let days =
        app.get_ok(&format!("/api/v1/locations/{}/history/daily?from=2026-03-02&to=2026-03-04", k.location_id)).await;

    assert_eq!(
        days,
        json!([
            { "date": "2026-03-02", "weekday": "mon", "covers": 9, "orders": 3 },
            { "date": "2026-03-03", "weekday": "tue", "covers": 3, "orders": 3 },
        ])
    );
}

#[tokio::test]
async fn daily_totals_include_from_and_exclude_to() {
    let app = TestApp::spawn().await;
    let k = kitchen_with_orders(&app).await;

    let days =
        app.get_ok(&format!("/api/v1/locations/{}/history/daily?from=2026-03-01&to=2026-03-05", k.location_id)).await;
    let one_day =
        app.get_ok(&format!("/api/v1/locations/{}/history/daily?from=2026-03-04&to=2026-03-05", k.location_id)).await;

    let dates: Vec<&str> = days.as_array().unwrap().iter().map(|d| d["date"].as_str().unwrap()).collect();
    assert_eq!(dates, ["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04"]);
    assert_eq!(days[0], json!({ "date": "2026-03-01", "weekday": "sun", "covers": 2, "orders": 1 }));
    assert_eq!(one_day, json!([{ "date": "2026-03-04", "weekday": "wed", "covers": 5, "orders": 1 }]));
}

#[tokio::test]
async fn hourly_totals_are_per_weekday_and_local_hour() {
    let app = TestApp::spawn().await;
    let k = kitchen_with_orders(&app).await;

    let hours =
        app.get_ok(&format!("/api/v1/locations/{}/history/hourly?from=2026-03-02&to=2026-03-04", k.location_id)).await;

    assert_eq!(
        hours,
        json!([
            { "weekday": "mon", "hour": 12, "covers": 6, "orders": 2, "days": 1 },
            { "weekday": "mon", "hour": 20, "covers": 3, "orders": 1, "days": 1 },
            { "weekday": "tue", "hour": 0, "covers": 1, "orders": 1, "days": 1 },
            { "weekday": "tue", "hour": 12, "covers": 0, "orders": 1, "days": 1 },
            { "weekday": "tue", "hour": 19, "covers": 2, "orders": 1, "days": 1 },
        ])
    );
}

#[tokio::test]
async fn hourly_totals_can_be_narrowed_to_one_weekday() {
    let app = TestApp::spawn().await;
    let k = kitchen_with_orders(&app).await;

    let hours = app
        .get_ok(&format!(
            "/api/v1/locations/{}/history/hourly?from=2026-03-01&to=2026-03-08&weekday=tue",
            k.location_id
        ))
        .await;

    let keys: Vec<(&str, i64)> = hours
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["weekday"].as_str().unwrap(), h["hour"].as_i64().unwrap()))
        .collect();
    assert_eq!(keys, [("tue", 0), ("tue", 12), ("tue", 19)]);
}

#[tokio::test]
async fn hourly_totals_count_the_distinct_days_behind_each_hour() {
    let app = TestApp::spawn().await;
    let k = kitchen_with_orders(&app).await;
    let next_monday = json!([
        order("mon-9-a", "2026-03-09T12:05:00+01:00", 2, &[(k.burger, 1)]),
        order("mon-9-b", "2026-03-09T12:55:00+01:00", 2, &[(k.burger, 1)]),
    ]);
    app.ingest_orders(k.location_id, next_monday).await;

    let hours = app
        .get_ok(&format!(
            "/api/v1/locations/{}/history/hourly?from=2026-03-02&to=2026-03-16&weekday=mon",
            k.location_id
        ))
        .await;

    assert_eq!(hours[0], json!({ "weekday": "mon", "hour": 12, "covers": 10, "orders": 4, "days": 2 }));
}

#[tokio::test]
async fn local_hours_follow_daylight_saving_time() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;
    let orders = json!([
        // Paris is UTC+1 in January and UTC+2 in July.
        order("winter", "2026-01-05T11:30:00Z", 2, &[(k.burger, 1)]),
        order("summer", "2026-07-06T11:30:00Z", 2, &[(k.burger, 1)]),
    ]);
    app.ingest_orders(k.location_id, orders).await;

    let winter =
        app.get_ok(&format!("/api/v1/locations/{}/history/hourly?from=2026-01-01&to=2026-01-31", k.location_id)).await;
    let summer =
        app.get_ok(&format!("/api/v1/locations/{}/history/hourly?from=2026-07-01&to=2026-07-31", k.location_id)).await;

    assert_eq!(winter[0]["hour"], 12);
    assert_eq!(summer[0]["hour"], 13);
}

#[tokio::test]
async fn item_totals_sum_quantities_per_menu_item_and_weekday() {
    let app = TestApp::spawn().await;
    let k = kitchen_with_orders(&app).await;

    let items =
        app.get_ok(&format!("/api/v1/locations/{}/history/items?from=2026-03-02&to=2026-03-04", k.location_id)).await;

    assert_eq!(
        items,
        json!([
            { "menu_item_id": k.burger, "weekday": "mon", "quantity": 3 },
            { "menu_item_id": k.burger, "weekday": "tue", "quantity": 3 },
            { "menu_item_id": k.salad, "weekday": "mon", "quantity": 3 },
            { "menu_item_id": k.salad, "weekday": "tue", "quantity": 1 },
            { "menu_item_id": k.soup, "weekday": "mon", "quantity": 3 },
            { "menu_item_id": k.soup, "weekday": "tue", "quantity": 1 },
        ])
    );
}

#[tokio::test]
async fn history_of_one_location_never_includes_another() {
    let app = TestApp::spawn().await;
    let k = kitchen_with_orders(&app).await;
    let other = app.standard_kitchen().await;
    app.ingest_orders(
        other.location_id,
        json!([order("mon-lunch-1", "2026-03-02T12:15:00+01:00", 7, &[(other.burger, 7)])]),
    )
    .await;

    let days =
        app.get_ok(&format!("/api/v1/locations/{}/history/daily?from=2026-03-02&to=2026-03-03", k.location_id)).await;

    assert_eq!(days, json!([{ "date": "2026-03-02", "weekday": "mon", "covers": 9, "orders": 3 }]));
}

#[tokio::test]
async fn a_range_whose_from_is_not_before_to_is_refused() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;

    for resource in ["daily", "hourly", "items"] {
        for (from, to) in [("2026-03-04", "2026-03-04"), ("2026-03-05", "2026-03-04")] {
            let path = format!("/api/v1/locations/{}/history/{resource}?from={from}&to={to}", k.location_id);
            assert_error(app.get(&path).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", Some("from"))
                .await;
        }
    }
}

#[tokio::test]
async fn an_unparsable_date_or_weekday_is_a_bad_request() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;

    for query in ["from=2026-13-01&to=2026-03-04", "from=yesterday", "weekday=someday"] {
        let path = format!("/api/v1/locations/{}/history/hourly?{query}", k.location_id);
        assert_error(app.get(&path).await, StatusCode::BAD_REQUEST, "bad_request", None).await;
    }
}

#[tokio::test]
async fn history_of_an_unknown_location_is_not_found() {
    let app = TestApp::spawn().await;

    for resource in ["history/daily", "history/hourly", "history/items", "reservations/summary?date=2026-03-20"] {
        let path = format!("/api/v1/locations/424242/{resource}");
        assert_error(app.get(&path).await, StatusCode::NOT_FOUND, "not_found", None).await;
    }
}

#[tokio::test]
async fn the_reservations_summary_counts_bookings_by_local_hour_and_status() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;
    let batch = json!([
        reservation("r1", "2026-03-20T19:00:00+01:00", 2, "booked"),
        reservation("r2", "2026-03-20T19:30:00+01:00", 4, "confirmed"),
        reservation("r3", "2026-03-20T20:15:00+01:00", 6, "cancelled"),
        reservation("r4", "2026-03-20T12:00:00+01:00", 3, "no_show"),
        reservation("r5", "2026-03-20T12:30:00+01:00", 2, "seated"),
        // 00:15 on the 20th in Paris, still the 19th in UTC.
        reservation("r6", "2026-03-19T23:15:00Z", 2, "booked"),
        // 00:30 on the 21st in Paris: another service date.
        reservation("r7", "2026-03-20T23:30:00Z", 8, "booked"),
        reservation("r8", "2026-03-19T19:00:00+01:00", 5, "completed"),
    ]);
    app.ingest_reservations(k.location_id, batch).await;

    let summary =
        app.get_ok(&format!("/api/v1/locations/{}/reservations/summary?date=2026-03-20", k.location_id)).await;

    assert_eq!(summary["date"], "2026-03-20");
    assert_eq!(summary["total"], json!({ "count": 6, "covers": 19 }), "every status counts in the total");
    assert_eq!(
        summary["by_hour"],
        json!([
            { "hour": 0, "count": 1, "covers": 2 },
            { "hour": 12, "count": 1, "covers": 2 },
            { "hour": 19, "count": 2, "covers": 6 },
        ]),
        "only bookings still expected, per local hour"
    );
    let mut by_status: Vec<Value> = summary["by_status"].as_array().unwrap().clone();
    by_status.sort_by_key(|s| s["status"].as_str().unwrap().to_owned());
    assert_eq!(
        by_status,
        [
            json!({ "status": "booked", "count": 2, "covers": 4 }),
            json!({ "status": "cancelled", "count": 1, "covers": 6 }),
            json!({ "status": "confirmed", "count": 1, "covers": 4 }),
            json!({ "status": "no_show", "count": 1, "covers": 3 }),
            json!({ "status": "seated", "count": 1, "covers": 2 }),
        ]
    );
}

#[tokio::test]
async fn the_reservations_summary_of_a_day_without_bookings_is_empty() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;

    let summary =
        app.get_ok(&format!("/api/v1/locations/{}/reservations/summary?date=2026-03-20", k.location_id)).await;

    assert_eq!(
        summary,
        json!({ "date": "2026-03-20", "total": { "count": 0, "covers": 0 }, "by_hour": [], "by_status": [] })
    );
}

#[tokio::test]
async fn the_reservations_summary_needs_a_valid_date() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;

    for query in ["", "?date=2026-02-30"] {
        let path = format!("/api/v1/locations/{}/reservations/summary{query}", k.location_id);
        assert_error(app.get(&path).await, StatusCode::BAD_REQUEST, "bad_request", None).await;
    }
}
