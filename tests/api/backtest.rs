//! The backtest on a hand-made history with known answers: six weeks of identical days, then
//! one busier day with a booked party, replayed against the two references.
use chrono::{Duration, NaiveDate, TimeZone};
use chrono_tz::Europe::Paris;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    fixtures::{DayPattern, Soup, generated_orders},
    helpers::{Kitchen, TestApp, assert_error, order, reservation},
};

/// The day replayed: Wednesday 18 March 2026 (Paris is UTC+1 then).
const DAY: &str = "2026-03-18";

fn day() -> NaiveDate {
    DAY.parse().unwrap()
}

fn paris(date: NaiveDate, hour: u32, minute: u32) -> String {
    Paris.from_local_datetime(&date.and_hms_opt(hour, minute, 0).unwrap()).single().unwrap().to_rfc3339()
}

/// Ten orders of 2 covers at 12:00 and ten at 19:00, each a burger and a salad: 40 covers.
const USUAL_DAY: DayPattern = DayPattern { hours: &[12, 19], per_hour: 10, step: 5, soup: Soup::Never };

fn usual_day(k: &Kitchen, date: NaiveDate) -> Vec<Value> {
    generated_orders(k, "o", [date], &USUAL_DAY)
}

/// Six weeks of usual days before [`DAY`]; on the day itself a usual day plus a party of 10
/// seated at 19:00 who ate 10 burgers: 50 covers, 30 of them at 19:00.
async fn kitchen_with_history(app: &TestApp) -> Kitchen {
    let k = app.standard_kitchen().await;
    let mut orders = Vec::new();
    for back in 0..=42 {
        orders.extend(usual_day(&k, day() - Duration::days(back)));
    }
    orders.push(order("party", &paris(day(), 19, 5), 10, &[(k.burger, 10)]));
    app.ingest_orders(k.location_id, Value::Array(orders)).await;
    k
}

/// The party's booking, made at `booked_at`.
fn party_booking(booked_at: &str) -> Value {
    let mut booking = reservation("party", &paris(day(), 19, 0), 10, "completed");
    booking["booked_at"] = json!(booked_at);
    booking
}

async fn backtest(app: &TestApp, location_id: i64) -> Value {
    let next = day() + Duration::days(1);
    app.get_ok(&format!("/api/v1/locations/{location_id}/backtest?from={DAY}&to={next}")).await
}

fn method<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["methods"].as_array().unwrap().iter().find(|m| m["method"] == name).unwrap_or_else(|| panic!("{report}"))
}

fn close(value: &Value, expected: f64) -> bool {
    value.as_f64().is_some_and(|v| (v - expected).abs() < 1e-6)
}

#[tokio::test]
async fn the_backtest_scores_the_baseline_and_both_references_with_known_answers() {
    let app = TestApp::spawn().await;
    let k = kitchen_with_history(&app).await;
    // Booked two weeks ahead: on the books at the cutoff. No booking was ever seen before, so
    // 10% are assumed not to come.
    app.ingest_reservations(k.location_id, json!([party_booking("2026-03-04T10:00:00+01:00")])).await;

    let report = backtest(&app, k.location_id).await;

    assert_eq!(report["days_scored"], 1, "{report}");
    let days = report["days"].as_array().unwrap();
    assert_eq!(days.len(), 1);
    let d = &days[0];
    assert_eq!((d["date"].as_str(), d["actual_covers"].as_f64()), (Some(DAY), Some(50.0)));
    assert_eq!(d["booked_at_cutoff"], 10.0);
    assert!(close(&d["sous_baseline"], 49.0), "40 walk-ins + 10 booked × 0.9: {d}");
    assert_eq!((d["same_weekday_mean_4w"].as_f64(), d["seasonal_naive"].as_f64()), (Some(40.0), Some(40.0)));

    let sous = method(&report, "sous_baseline");
    assert!(close(&sous["covers"]["wape"], 0.02) && close(&sous["covers"]["mae"], 1.0), "{sous}");
    // Hours: 20 + 0 at noon, 20 + 9 at 19:00 against 20 and 30.
    assert!(close(&sous["hourly"]["wape"], 0.02) && close(&sous["hourly"]["mae"], 0.5), "{sous}");
    // Dishes: 0.5 burger and 0.5 salad a cover, 24.5 each, against 30 burgers and 20 salads.
    assert!(close(&sous["items"]["wape"], 0.2) && close(&sous["items"]["mae"], 5.0), "{sous}");
    assert_eq!(sous["items"]["points"], 2, "the soup never sold and was never forecast");
    for name in ["same_weekday_mean_4w", "seasonal_naive"] {
        let m = method(&report, name);
        assert!(close(&m["covers"]["wape"], 0.2) && close(&m["covers"]["mae"], 10.0), "{m}");
        assert!(close(&m["hourly"]["wape"], 0.2) && close(&m["hourly"]["mae"], 5.0), "{m}");
        assert!(close(&m["items"]["wape"], 0.2) && close(&m["items"]["mae"], 5.0), "{m}");
    }
    assert_eq!(report["busy_booking_days"], 1, "the only day, with 10 covers on the books");
    assert!(close(&method(&report, "sous_baseline")["busy_booking_days"]["wape"], 0.02));
    assert_eq!(report["range_coverage"]["days"], 1, "six earlier Wednesdays are enough for a range");
    let items = report["items"].as_array().unwrap();
    assert_eq!(items[0]["menu_item_id"], k.burger, "the most sold dish first");
    assert_eq!(items[0]["name"], "Burger");
}

#[tokio::test]
async fn a_booking_made_after_the_cutoff_does_not_change_the_backtest() {
    let app = TestApp::spawn().await;
    let k = kitchen_with_history(&app).await;
    let without = backtest(&app, k.location_id).await;

    // Booked at 00:30 on the day itself: after the cutoff (midnight before it).
    app.ingest_reservations(k.location_id, json!([party_booking("2026-03-18T00:30:00+01:00")])).await;
    let after_cutoff = backtest(&app, k.location_id).await;

    assert_eq!(after_cutoff["methods"], without["methods"]);
    assert_eq!(after_cutoff["days"], without["days"]);
    assert_eq!(after_cutoff["days"][0]["sous_baseline"], 40.0, "{after_cutoff}");
    assert_eq!(after_cutoff["days"][0]["booked_at_cutoff"], 0.0);

    // The same booking made at 23:30 the evening before is on the books.
    app.ingest_reservations(k.location_id, json!([party_booking("2026-03-17T23:30:00+01:00")])).await;
    let before_cutoff = backtest(&app, k.location_id).await;
    assert!(close(&before_cutoff["days"][0]["sous_baseline"], 49.0), "{before_cutoff}");
}

#[tokio::test]
async fn a_backtest_needs_a_range_of_past_days() {
    let app = TestApp::spawn().await;
    let k = kitchen_with_history(&app).await;
    let path = |from: &str, to: &str| format!("/api/v1/locations/{}/backtest?from={from}&to={to}", k.location_id);
    let tomorrow = chrono::Utc::now().date_naive() + Duration::days(2);

    let reversed = app.get(&path("2026-03-18", "2026-03-01")).await;
    assert_error(reversed, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", Some("from")).await;
    let empty = app.get(&path(DAY, DAY)).await;
    assert_error(empty, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", Some("from")).await;
    let future = app.get(&path(DAY, &tomorrow.to_string())).await;
    assert_error(future, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", Some("to")).await;
    let too_long = app.get(&path("2023-01-01", "2026-03-18")).await;
    assert_error(too_long, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", Some("to")).await;
    let unparsable = app.get(&path("2026-02-30", DAY)).await;
    assert_error(unparsable, StatusCode::BAD_REQUEST, "bad_request", None).await;
}

#[tokio::test]
async fn a_range_with_too_little_history_has_nothing_to_score() {
    let app = TestApp::spawn().await;
    let k = kitchen_with_history(&app).await;

    // The first days of the history: fewer than 3 earlier same weekdays.
    let response =
        app.get(&format!("/api/v1/locations/{}/backtest?from=2026-02-04&to=2026-02-10", k.location_id)).await;
    assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "insufficient_history", None).await;
}

#[tokio::test]
async fn a_backtest_of_an_unknown_location_is_not_found() {
    let app = TestApp::spawn().await;

    let response = app.get("/api/v1/locations/424242/backtest?from=2026-03-01&to=2026-03-18").await;
    assert_error(response, StatusCode::NOT_FOUND, "not_found", None).await;
}

#[tokio::test]
async fn a_plan_says_where_its_forecast_came_from_and_how_sure_it_is() {
    let app = TestApp::spawn().await;
    let k = kitchen_with_history(&app).await;

    let next = day() + Duration::days(1);
    let plan = app.get_ok(&format!("/api/v1/locations/{}/staffing?date={next}", k.location_id)).await;

    let forecast = &plan["forecast"];
    let (low, expected, high) = (
        forecast["covers_low"].as_f64().unwrap(),
        forecast["expected_covers"].as_f64().unwrap(),
        forecast["covers_high"].as_f64().unwrap(),
    );
    assert!(low < expected && expected < high, "{forecast}");
    let rationale = forecast["rationale"].as_array().unwrap();
    assert!(rationale.iter().any(|r| r.as_str().unwrap().contains("not on the books")), "{forecast}");
    assert!(forecast["method"].as_str().unwrap().contains("no-show"), "{forecast}");
}
