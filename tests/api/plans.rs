//! Prep lists and staffing plans from six weeks of generated history. Every date is fixed
//! (the forecast only reads data dated before the service day), so the answers are too.
use std::collections::HashMap;

use chrono::{Duration, NaiveDate, TimeZone};
use chrono_tz::Europe::Paris;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    fixtures::{DayPattern, Soup, generated_orders},
    helpers::{Kitchen, TestApp, assert_error, every_day, order, reservation},
};

/// The service day the plans are for: Wednesday 18 March 2026.
const TARGET: &str = "2026-03-18";
/// Covers the generated history serves every day.
const DAILY_COVERS: f64 = 40.0;

fn target() -> NaiveDate {
    TARGET.parse().unwrap()
}

/// `days` days of orders ending the day before [`TARGET`]: each day 20 orders of 2 covers,
/// five at each of 12:00, 13:00, 19:00 and 20:00 Paris time; every order has a burger and
/// a salad, every other one a soup too.
const GENERATED_DAY: DayPattern =
    DayPattern { hours: &[12, 13, 19, 20], per_hour: 5, step: 10, soup: Soup::EveryOther };

fn generated_history(k: &Kitchen, days: i64) -> Value {
    let dates = (1..=days).map(|back| target() - Duration::days(back));
    Value::Array(generated_orders(k, "gen", dates, &GENERATED_DAY))
}

/// The standard kitchen with `days` days of generated orders.
async fn kitchen_with_history(app: &TestApp, days: i64) -> Kitchen {
    let k = app.standard_kitchen().await;
    let result = app.ingest_orders(k.location_id, generated_history(&k, days)).await;
    assert_eq!(result["created"], days * 20);
    k
}

/// Twelve covers booked for the target day.
async fn book_a_few_tables(app: &TestApp, k: &Kitchen) {
    let batch = json!([
        reservation("web-1", "2026-03-18T12:30:00+01:00", 4, "booked"),
        reservation("web-2", "2026-03-18T19:30:00+01:00", 4, "confirmed"),
        reservation("web-3", "2026-03-18T20:00:00+01:00", 4, "booked"),
    ]);
    app.ingest_reservations(k.location_id, batch).await;
}

async fn prep_list(app: &TestApp, location_id: i64, date: &str) -> Value {
    app.get_ok(&format!("/api/v1/locations/{location_id}/prep-list?date={date}")).await
}

async fn staffing(app: &TestApp, location_id: i64, date: &str) -> Value {
    app.get_ok(&format!("/api/v1/locations/{location_id}/staffing?date={date}")).await
}

/// Every prep line of a prep list, keyed by prep item id.
fn lines_by_item(plan: &Value) -> HashMap<i64, Value> {
    plan["stations"]
        .as_array()
        .expect("stations")
        .iter()
        .flat_map(|s| s["items"].as_array().expect("items").iter())
        .map(|line| (line["prep_item_id"].as_i64().unwrap(), line.clone()))
        .collect()
}

fn expected_covers(plan: &Value) -> f64 {
    plan["forecast"]["expected_covers"].as_f64().expect("expected_covers")
}

#[tokio::test]
async fn the_prep_list_for_an_open_day_follows_the_batch_rules() {
    let app = TestApp::spawn().await;
    let k = kitchen_with_history(&app, 42).await;
    book_a_few_tables(&app, &k).await;
    app.post_on_hand(k.location_id, json!([{ "prep_item_id": k.patties, "quantity": 5.0 }])).await;

    let plan = prep_list(&app, k.location_id, TARGET).await;

    assert_eq!(plan["location_id"], k.location_id);
    assert_eq!(plan["date"], TARGET);
    assert_eq!(plan["source"], "baseline");
    let covers = expected_covers(&plan);
    assert!((30.0..60.0).contains(&covers), "expected covers {covers} far from the usual {DAILY_COVERS}");
    assert!(plan["forecast"]["method"].as_str().is_some_and(|m| !m.is_empty()));
    let stations = plan["stations"].as_array().unwrap();
    assert!(!stations.is_empty());
    let station_ids: Vec<i64> = stations.iter().map(|s| s["station_id"].as_i64().unwrap()).collect();
    assert!(station_ids.iter().all(|id| [k.grill_station, k.cold_station].contains(id)), "{station_ids:?}");

    let batch_sizes: HashMap<i64, f64> = app
        .get_ok(&format!("/api/v1/locations/{}/prep-items", k.location_id))
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_i64().unwrap(), p["batch_size"].as_f64().unwrap()))
        .collect();
    let lines = lines_by_item(&plan);
    assert_eq!(lines.len(), 3, "one line per prep item");
    for (id, line) in &lines {
        let suggested = line["suggested"].as_f64().unwrap();
        let batches = suggested / batch_sizes[id];
        assert!(suggested >= 0.0, "{line}");
        assert!(
            (batches - batches.round()).abs() < 1e-6,
            "{suggested} is not whole batches of {}: {line}",
            batch_sizes[id]
        );
        assert_eq!(line["batches"].as_f64().unwrap(), batches.round(), "{line}");
        assert!(line["rationale"].as_str().is_some_and(|r| !r.trim().is_empty()), "{line}");
        assert!(line["need"].as_f64().unwrap() > 0.0, "every item is used by the menu: {line}");
        assert!(line["start_by"].is_string(), "{line}");
    }
    assert_eq!(lines[&k.patties]["on_hand"], 5.0);
}

#[tokio::test]
async fn an_item_with_enough_on_hand_needs_no_prep() {
    let app = TestApp::spawn().await;
    let k = kitchen_with_history(&app, 42).await;
    let counts = json!([{ "prep_item_id": k.lettuce, "quantity": 1000.0 }]);
    let recorded = crate::helpers::json_body(app.post_on_hand(k.location_id, counts).await, StatusCode::OK).await;
    assert_eq!(recorded["created"], 1);

    let plan = prep_list(&app, k.location_id, TARGET).await;

    let lines = lines_by_item(&plan);
    let lettuce = &lines[&k.lettuce];
    assert_eq!(lettuce["suggested"], 0.0, "{lettuce}");
    assert_eq!(lettuce["batches"], 0, "{lettuce}");
    assert_eq!(lettuce["on_hand"], 1000.0);
    assert!(lines[&k.patties]["suggested"].as_f64().unwrap() > 0.0, "patties were never counted");
}

#[tokio::test]
async fn the_latest_stock_count_is_the_one_that_counts() {
    let app = TestApp::spawn().await;
    let k = kitchen_with_history(&app, 42).await;
    let now = chrono::Utc::now();
    let counts = json!([
        { "prep_item_id": k.lettuce, "quantity": 1000.0, "counted_at": (now - Duration::hours(3)).to_rfc3339() },
        { "prep_item_id": k.lettuce, "quantity": 0.0, "counted_at": (now - Duration::hours(1)).to_rfc3339() },
    ]);
    app.post_on_hand(k.location_id, counts).await;

    let plan = prep_list(&app, k.location_id, TARGET).await;

    let lettuce = &lines_by_item(&plan)[&k.lettuce];
    assert_eq!(lettuce["on_hand"], 0.0, "{lettuce}");
    assert!(lettuce["suggested"].as_f64().unwrap() > 0.0, "{lettuce}");
}

#[tokio::test]
async fn the_staffing_plan_covers_opening_hours_within_each_roles_limits() {
    let app = TestApp::spawn().await;
    let k = kitchen_with_history(&app, 42).await;
    book_a_few_tables(&app, &k).await;

    let plan = staffing(&app, k.location_id, TARGET).await;

    assert_eq!(plan["date"], TARGET);
    assert_eq!(plan["source"], "baseline");
    let covers = expected_covers(&plan);
    assert!((30.0..60.0).contains(&covers), "expected covers {covers}");
    let blocks = plan["blocks"].as_array().unwrap();
    assert_eq!(blocks.first().unwrap()["start"], "11:00", "the first block starts at opening");
    assert_eq!(blocks.last().unwrap()["end"], "23:00", "the last block ends at closing");
    for pair in blocks.windows(2) {
        assert_eq!(pair[0]["end"], pair[1]["start"], "blocks are contiguous");
    }
    let limits: HashMap<i64, (u64, u64)> = app
        .get_ok(&format!("/api/v1/locations/{}/roles", k.location_id))
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].as_i64().unwrap(), (r["min_staff"].as_u64().unwrap(), r["max_staff"].as_u64().unwrap())))
        .collect();
    for block in blocks {
        let staff = block["staff"].as_array().unwrap();
        assert_eq!(staff.len(), 2, "every role in every block: {block}");
        for s in staff {
            let (min, max) = limits[&s["role_id"].as_i64().unwrap()];
            let headcount = s["headcount"].as_u64().unwrap();
            assert!((min..=max).contains(&headcount), "{headcount} outside {min}..={max}: {block}");
        }
    }
    let roles: Vec<i64> = plan["roles"].as_array().unwrap().iter().map(|r| r["role_id"].as_i64().unwrap()).collect();
    assert_eq!(roles, [k.server_role, k.cook_role]);
    let busiest = blocks.iter().find(|b| b["start"] == "19:00").expect("a 19:00 block");
    assert!(busiest["expected_covers"].as_f64().unwrap() > 0.0, "dinner is busy: {busiest}");
}

#[tokio::test]
async fn many_bookings_for_the_day_raise_the_forecast() {
    let app = TestApp::spawn().await;
    let k = kitchen_with_history(&app, 42).await;
    let before = prep_list(&app, k.location_id, TARGET).await;
    let staffing_before = staffing(&app, k.location_id, TARGET).await;

    let party: Vec<Value> = (0..20)
        .map(|i| {
            reservation(
                &format!("party-{i}"),
                "2026-03-18T19:00:00+01:00",
                6,
                if i % 2 == 0 { "booked" } else { "confirmed" },
            )
        })
        .collect();
    app.ingest_reservations(k.location_id, Value::Array(party)).await;
    let after = prep_list(&app, k.location_id, TARGET).await;
    let staffing_after = staffing(&app, k.location_id, TARGET).await;

    assert!(
        expected_covers(&after) > expected_covers(&before) + 50.0,
        "{} -> {}",
        expected_covers(&before),
        expected_covers(&after)
    );
    assert_eq!(after["forecast"]["booked_covers"], 120.0);
    assert!(expected_covers(&staffing_after) > expected_covers(&staffing_before));
    let patties = |plan: &Value| lines_by_item(plan)[&k.patties]["need"].as_f64().unwrap();
    assert!(patties(&after) > patties(&before), "more guests eat more burgers");
}

#[tokio::test]
async fn cancelled_bookings_do_not_raise_the_forecast() {
    let app = TestApp::spawn().await;
    let k = kitchen_with_history(&app, 42).await;
    let before = prep_list(&app, k.location_id, TARGET).await;

    let party: Vec<Value> =
        (0..20).map(|i| reservation(&format!("party-{i}"), "2026-03-18T19:00:00+01:00", 6, "cancelled")).collect();
    app.ingest_reservations(k.location_id, Value::Array(party)).await;
    let after = prep_list(&app, k.location_id, TARGET).await;

    assert_eq!(expected_covers(&after), expected_covers(&before));
}

#[tokio::test]
async fn one_week_of_history_is_not_enough_for_a_plan() {
    let app = TestApp::spawn().await;
    let k = kitchen_with_history(&app, 7).await;

    for plan in ["prep-list", "staffing"] {
        let response = app.get(&format!("/api/v1/locations/{}/{plan}?date={TARGET}", k.location_id)).await;
        assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "insufficient_history", None).await;
    }
}

#[tokio::test]
async fn a_day_the_location_is_closed_has_no_plan() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;
    let weekdays_only = json!([
        { "weekday": "mon", "opens": "11:00", "closes": "23:00" },
        { "weekday": "tue", "opens": "11:00", "closes": "23:00" },
    ]);
    let closed_wednesdays = app.create_location(k.tenant_id, "Europe/Paris", weekdays_only).await;

    for plan in ["prep-list", "staffing"] {
        let response = app.get(&format!("/api/v1/locations/{closed_wednesdays}/{plan}?date={TARGET}")).await;
        assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "location_closed", None).await;
    }
}

#[tokio::test]
async fn the_staffing_plan_follows_shorter_opening_hours() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;
    let evenings = app.create_location(k.tenant_id, "Europe/Paris", every_day("18:30", "22:00")).await;
    let menu_item = app.create_menu_item(evenings, "Burger", "mains").await;
    let mut history = Vec::new();
    for back in 1..=21 {
        let date = target() - Duration::days(back);
        let at = Paris.from_local_datetime(&date.and_hms_opt(19, 0, 0).unwrap()).single().unwrap().to_rfc3339();
        history.push(order(&format!("eve-{date}"), &at, 2, &[(menu_item, 1)]));
    }
    app.ingest_orders(evenings, Value::Array(history)).await;

    let plan = staffing(&app, evenings, TARGET).await;

    let spans: Vec<(&str, &str)> = plan["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["start"].as_str().unwrap(), b["end"].as_str().unwrap()))
        .collect();
    assert_eq!(spans, [("18:30", "19:00"), ("19:00", "20:00"), ("20:00", "21:00"), ("21:00", "22:00")]);
}

#[tokio::test]
async fn an_unparsable_plan_date_is_a_bad_request() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;

    for plan in ["prep-list", "staffing"] {
        let response = app.get(&format!("/api/v1/locations/{}/{plan}?date=2026-13-01", k.location_id)).await;
        assert_error(response, StatusCode::BAD_REQUEST, "bad_request", None).await;
    }
}

#[tokio::test]
async fn plans_for_an_unknown_location_are_not_found() {
    let app = TestApp::spawn().await;

    for plan in ["prep-list", "staffing"] {
        let response = app.get(&format!("/api/v1/locations/424242/{plan}?date={TARGET}")).await;
        assert_error(response, StatusCode::NOT_FOUND, "not_found", None).await;
    }
}
