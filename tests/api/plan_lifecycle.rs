//! A published plan is stable (issue 14): new orders and bookings do not replace it; the
//! answer says what moved since; a material change makes one new plan, within the day's cap;
//! a manager can always regenerate by hand.
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sous::domain::Role;

use crate::{
    fake_llm::Reply,
    helpers::{json_body, order, reservation},
    llm::{DAY, LlmKitchen, Served},
};

/// The model's answer every time: the baseline stands.
fn no_changes() -> Reply {
    Reply::json(&json!({ "changes": [], "summary": "The baseline stands." }))
}

async fn served() -> Served {
    LlmKitchen::new().await.serve_v2(vec![no_changes()], |_| {}).await
}

/// One order of `covers` covers on the service day itself, as a till posts it during service.
async fn one_order(served: &Served, n: usize) {
    let k = &served.kitchen;
    let at = format!("{DAY}T12:{:02}:00+01:00", n % 60);
    served.app.ingest_orders(k.location_id, json!([order(&format!("live-{n}"), &at, 2, &[(k.burger, 2)])])).await;
}

/// `parties` confirmed bookings of 4 for 19:30 on the service day.
async fn burst_of_bookings(served: &Served, prefix: &str, parties: usize) {
    let at = format!("{DAY}T19:30:00+01:00");
    let batch: Vec<Value> = (0..parties).map(|i| reservation(&format!("{prefix}-{i}"), &at, 4, "confirmed")).collect();
    served.app.ingest_reservations(served.kitchen.location_id, Value::Array(batch)).await;
}

#[tokio::test]
async fn twenty_single_orders_between_reads_make_no_model_call_after_the_first_plan() {
    let served = served().await;
    let first = served.prep_list().await;
    assert_eq!(served.fake.calls(), 1);
    assert_eq!(first["provenance"]["trigger"], "first", "{first}");
    assert_eq!(first.get("since_published"), None, "{first}");

    for n in 0..20 {
        one_order(&served, n).await;
        let plan = served.prep_list().await;
        assert_eq!(plan["provenance"]["plan_id"], first["provenance"]["plan_id"], "the same plan: {plan}");
        assert_eq!(plan["stations"], first["stations"], "served as it was published");
        let since = &plan["since_published"];
        assert_eq!(since["material"], json!([]), "{since}");
        assert_eq!(since["moved"], json!([]), "{since}");
        assert_eq!(since["expected_covers_now"], since["expected_covers_then"], "{since}");
        assert_eq!(since["regeneration_due"], false);
    }
    assert_eq!(served.fake.calls(), 1, "no model call after the first generation");
}

#[tokio::test]
async fn a_burst_of_bookings_past_the_threshold_makes_exactly_one_regeneration() {
    let served = served().await;
    let first = served.prep_list().await;
    assert_eq!(served.fake.calls(), 1);

    burst_of_bookings(&served, "party", 6).await;
    let replanned = served.prep_list().await;
    let again = served.prep_list().await;

    assert_eq!(served.fake.calls(), 2, "one regeneration");
    assert_eq!(replanned["provenance"]["trigger"], "material_change", "{replanned}");
    assert_ne!(replanned["provenance"]["plan_id"], first["provenance"]["plan_id"]);
    assert!(replanned["forecast"]["booked_covers"].as_f64().unwrap() >= 24.0, "{replanned}");
    assert_eq!(again["provenance"]["plan_id"], replanned["provenance"]["plan_id"]);
    // A small change after it is news, not a new plan.
    one_order(&served, 1).await;
    let kept = served.prep_list().await;
    assert_eq!(kept["provenance"]["plan_id"], replanned["provenance"]["plan_id"], "{kept}");
    assert_eq!(served.fake.calls(), 2);
}

#[tokio::test]
async fn past_the_days_cap_the_plan_is_kept_and_says_so_and_a_manager_can_still_regenerate() {
    let served = served().await;
    let (app, location) = (&served.app, served.kitchen.location_id);
    let path = format!("/api/v1/locations/{location}/replanning");
    let owner = app.token(Role::Owner);
    let set = app.send_as(Some(&owner), Method::PUT, &path, Some(&json!({ "daily_cap": 1 }))).await;
    let thresholds = json_body(set, StatusCode::OK).await;
    assert_eq!((thresholds["daily_cap"].clone(), thresholds["own"].clone()), (json!(1), json!(["daily_cap"])));
    served.prep_list().await;
    burst_of_bookings(&served, "first-burst", 6).await;
    let replanned = served.prep_list().await;
    assert_eq!(served.fake.calls(), 2);

    burst_of_bookings(&served, "second-burst", 6).await;
    let kept = served.prep_list().await;

    assert_eq!(served.fake.calls(), 2, "the cap holds");
    assert_eq!(kept["provenance"]["plan_id"], replanned["provenance"]["plan_id"], "{kept}");
    let since = &kept["since_published"];
    assert_eq!(since["regeneration_due"], true, "{since}");
    let material = since["material"].as_array().expect("reasons");
    assert!(material.iter().any(|r| r.as_str().unwrap().starts_with("expected covers moved from")), "{since}");
    assert!(since["booked_covers_now"].as_f64() > since["booked_covers_then"].as_f64(), "{since}");
    assert!(!since["moved"].as_array().unwrap().is_empty(), "{since}");

    let regenerate = format!("/api/v1/locations/{location}/prep-list/generate?date={DAY}");
    let manual = json_body(app.request(Method::POST, &regenerate).await, StatusCode::OK).await;
    assert_eq!(served.fake.calls(), 3, "a manager's regeneration is not capped");
    assert_eq!(manual["provenance"]["trigger"], "manual");
    assert_eq!(manual.get("since_published"), None, "{manual}");
}

#[tokio::test]
async fn a_changed_labor_rule_is_material_for_the_staffing_plan() {
    let served = served().await;
    let first = served.staffing().await;
    let k = &served.kitchen;
    let role = crate::helpers::role("Host", "covers", 40.0, 1, 1);
    served.app.create_role(k.location_id, &role).await;

    let replanned = served.staffing().await;

    assert_eq!(served.fake.calls(), 2, "{replanned}");
    assert_eq!(replanned["provenance"]["trigger"], "material_change");
    assert_ne!(replanned["provenance"]["plan_id"], first["provenance"]["plan_id"]);
}

#[tokio::test]
async fn replanning_thresholds_are_validated_and_the_defaults_shown() {
    let served = served().await;
    let (app, location) = (&served.app, served.kitchen.location_id);
    let path = format!("/api/v1/locations/{location}/replanning");
    let owner = app.token(Role::Owner);

    let defaults = app.get_ok(&path).await;
    assert_eq!(
        defaults,
        json!({"location_id": location, "covers_share": 0.1, "covers_min": 5.0, "daily_cap": 3, "own": []})
    );
    for (body, field) in [
        (json!({ "covers_share": 11 }), "covers_share"),
        (json!({ "covers_min": -1 }), "covers_min"),
        (json!({ "daily_cap": 101 }), "daily_cap"),
    ] {
        let refused = app.send_as(Some(&owner), Method::PUT, &path, Some(&body)).await;
        let error = json_body(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(error["code"], "validation_failed", "{error}");
        assert_eq!(error["details"][0]["field"], field, "{error}");
    }
    let wrong = app.send_as(Some(&owner), Method::PUT, &path, Some(&json!({ "daily_cap": "two" }))).await;
    assert_eq!(json_body(wrong, StatusCode::BAD_REQUEST).await["code"], "bad_request");
    let manager = app.token(Role::Manager);
    let forbidden = app.send_as(Some(&manager), Method::PUT, &path, Some(&json!({ "daily_cap": 1 }))).await;
    assert_eq!(forbidden.status(), StatusCode::FORBIDDEN);
    let cleared = app.send_as(Some(&owner), Method::PUT, &path, Some(&json!({}))).await;
    assert_eq!(json_body(cleared, StatusCode::OK).await, defaults);
}

/// A service day as a point-of-sale system and a booking site see it: an order every 5 minutes
/// from 11:00 to 23:00 (144 batches), a booking for next week's evening every half hour, and after
/// each batch a read of the day's prep list and staffing plan (the kitchen's screens) and of next
/// week's prep list. Before plans were stable, every read after a batch was a new generation.
#[tokio::test]
async fn a_simulated_service_day_asks_the_model_for_the_first_plans_and_the_capped_regenerations_only() {
    let served = served().await;
    let k = &served.kitchen;
    let next_week = (crate::llm::day() + chrono::Duration::days(7)).to_string();
    let path = |kind: &str, date: &str| format!("/api/v1/locations/{}/{kind}?date={date}", k.location_id);
    let mut reads = 0;
    for n in 0..144 {
        let minutes = 11 * 60 + 5 * n;
        let at = format!("{DAY}T{:02}:{:02}:00+01:00", minutes / 60, minutes % 60);
        let lines = [(k.burger, 1 + n % 3), (k.salad, 1)];
        served.app.ingest_orders(k.location_id, json!([order(&format!("till-{n}"), &at, 2, &lines)])).await;
        if n % 6 == 0 {
            let evening = format!("{next_week}T19:30:00+01:00");
            let booking = reservation(&format!("site-{n}"), &evening, 2, "confirmed");
            served.app.ingest_reservations(k.location_id, json!([booking])).await;
        }
        for read in [path("prep-list", DAY), path("staffing", DAY), path("prep-list", &next_week)] {
            served.app.get_ok(&read).await;
            reads += 1;
        }
    }
    let calls = served.fake.calls();
    eprintln!("simulated service day: {reads} reads after 144 order batches and 24 bookings, {calls} model calls");
    // The three first plans; the day's own data never moves (orders of a day are not its history);
    // next week's moves with every order and booking, and is made again at most 3 times.
    assert!((3..=6).contains(&calls), "{calls} model calls");
}
