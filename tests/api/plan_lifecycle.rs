//! A published plan is stable (issue 14): new orders and bookings do not replace it; the
//! answer says what moved since; a material change makes one new plan, within the day's cap;
//! a manager can always regenerate by hand.
use reqwest::{Method, StatusCode};
use sea_orm::EntityTrait;
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

/// `PUT` of a manager's override as `role`.
async fn put_override(served: &Served, role: Role, kind: &str, body: Value) -> reqwest::Response {
    let path = format!("/api/v1/locations/{}/{kind}/overrides", served.kitchen.location_id);
    served.app.send_as(Some(&served.app.token(role)), Method::PUT, &path, Some(&body)).await
}

/// Whether two overrides as JSON are the same (their times compared as times: the plan writes
/// `Z`, the override's own answer `+00:00`).
fn same_override(a: &Value, b: &Value) -> bool {
    let at = |v: &Value| v["set_at"].as_str().and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok());
    let rest = |v: &Value| {
        let mut v = v.clone();
        v.as_object_mut().map(|o| o.remove("set_at"));
        v
    };
    at(a).is_some() && at(a) == at(b) && rest(a) == rest(b)
}

/// The served prep line of `prep_item_id`.
fn prep_line(plan: &Value, prep_item_id: i64) -> Value {
    let stations = plan["stations"].as_array().unwrap_or_else(|| panic!("no stations: {plan}"));
    let mut lines = stations.iter().flat_map(|s| s["items"].as_array().into_iter().flatten());
    lines.find(|l| l["prep_item_id"] == prep_item_id).cloned().unwrap_or_else(|| panic!("no line: {plan}"))
}

#[tokio::test]
async fn a_managers_override_is_shown_beside_the_suggestion_and_survives_a_regeneration() {
    let served = served().await;
    let k = &served.kitchen;
    let first = served.prep_list().await;
    let suggested = prep_line(&first, k.patties)["suggested"].clone();
    let body =
        json!({ "date": DAY, "prep_item_id": k.patties, "quantity": 40, "reason": "Catering order for 20 at noon" });

    let set = json_body(put_override(&served, Role::Manager, "prep-list", body).await, StatusCode::OK).await;
    let read = served.prep_list().await;

    assert_eq!((set["value"].clone(), set["reason"].clone()), (json!(40.0), json!("Catering order for 20 at noon")));
    assert!(set["set_by"].as_str().is_some_and(|s| !s.is_empty()) && set["set_at"].is_string(), "{set}");
    let line = prep_line(&read, k.patties);
    assert_eq!(line["suggested"], suggested, "Sous's suggestion is kept: {line}");
    assert!(same_override(&line["manager_override"], &set), "{line} {set}");
    assert_eq!(read["provenance"]["plan_id"], first["provenance"]["plan_id"], "an override is no new plan");
    assert_eq!(served.fake.calls(), 1, "nor a model call");
    for request in served.fake.requests() {
        assert!(!request.to_string().contains("Catering"), "never sent to the model");
    }

    let regenerate = format!("/api/v1/locations/{}/prep-list/generate?date={DAY}", k.location_id);
    let again = json_body(served.app.request(Method::POST, &regenerate).await, StatusCode::OK).await;
    assert_ne!(again["provenance"]["plan_id"], first["provenance"]["plan_id"]);
    assert!(same_override(&prep_line(&again, k.patties)["manager_override"], &set), "kept across the regeneration");
    let stored = served.audit(&again).await;
    assert!(!stored.to_string().contains("Catering"), "the stored plan holds no manager's number: {stored}");

    let cleared =
        put_override(&served, Role::Manager, "prep-list", json!({ "date": DAY, "prep_item_id": k.patties })).await;
    assert_eq!(cleared.status(), StatusCode::NO_CONTENT);
    assert_eq!(prep_line(&served.prep_list().await, k.patties).get("manager_override"), None);
}

#[tokio::test]
async fn an_override_whose_line_is_gone_is_listed_as_dropped_with_why() {
    let served = served().await;
    let k = &served.kitchen;
    let staffing = served.staffing().await;
    let block = staffing["blocks"][0]["start"].as_str().unwrap().to_owned();
    let host = served.app.create_role(k.location_id, &crate::helpers::role("Host", "covers", 40.0, 1, 1)).await;
    let body =
        json!({ "date": DAY, "block": block, "role_id": host, "headcount": 1, "reason": "Private party at the door" });
    json_body(put_override(&served, Role::Owner, "staffing", body).await, StatusCode::OK).await;
    let with_host = served.staffing().await;
    let hosts = with_host["blocks"][0]["staff"].as_array().unwrap().iter().find(|s| s["role_id"] == host).cloned();
    assert_eq!(hosts.expect("the new role is planned")["manager_override"]["value"], 1.0, "{with_host}");

    // No route removes a role yet: the row goes as an operator would remove it, with its data
    // version bumped as every writer does.
    let db = served.app.db();
    entity::staff_role::Entity::delete_by_id(host).exec(db).await.expect("the role goes");
    sous::db::versions::record(db, k.location_id, &[sous::db::versions::CATALOG.to_owned()]).await.expect("a version");
    let without = served.staffing().await;

    let dropped = without["dropped_overrides"].as_array().unwrap_or_else(|| panic!("{without}"));
    assert_eq!(dropped.len(), 1, "{without}");
    assert_eq!(dropped[0]["line"], format!("{block}/{host}"));
    assert_eq!(dropped[0]["why"], "this plan has no such role in that block");
    assert_eq!(dropped[0]["reason"], "Private party at the door");
}

#[tokio::test]
async fn bad_overrides_get_clear_errors() {
    let served = served().await;
    let k = &served.kitchen;
    let other = served.app.standard_kitchen().await;
    for (kind, body, status, field) in [
        (
            "prep-list",
            json!({ "date": DAY, "prep_item_id": 987654, "quantity": 1, "reason": "x" }),
            422,
            "prep_item_id",
        ),
        (
            "prep-list",
            json!({ "date": DAY, "prep_item_id": other.patties, "quantity": 1, "reason": "x" }),
            422,
            "prep_item_id",
        ),
        (
            "prep-list",
            json!({ "date": DAY, "prep_item_id": k.patties, "quantity": -1, "reason": "x" }),
            422,
            "quantity",
        ),
        ("prep-list", json!({ "date": DAY, "prep_item_id": k.patties, "quantity": 1 }), 422, "reason"),
        (
            "prep-list",
            json!({ "date": "18/03/2026", "prep_item_id": k.patties, "quantity": 1, "reason": "x" }),
            400,
            "",
        ),
        (
            "staffing",
            json!({ "date": DAY, "block": "03:00", "role_id": k.server_role, "headcount": 1, "reason": "x" }),
            422,
            "block",
        ),
        (
            "staffing",
            json!({ "date": DAY, "block": "12:00", "role_id": other.server_role, "headcount": 1, "reason": "x" }),
            422,
            "role_id",
        ),
        (
            "staffing",
            json!({ "date": DAY, "block": "12:00", "role_id": k.server_role, "headcount": 501, "reason": "x" }),
            422,
            "headcount",
        ),
    ] {
        let answer = put_override(&served, Role::Manager, kind, body.clone()).await;
        let code = answer.status().as_u16();
        let error = json_body(answer, StatusCode::from_u16(status).unwrap()).await;
        assert_eq!(code, status, "{body}: {error}");
        if field.is_empty() {
            assert!(error["message"].as_str().unwrap().contains("YYYY-MM-DD"), "{error}");
        } else {
            assert_eq!(error["details"][0]["field"], field, "{body}: {error}");
        }
    }
    let staff =
        put_override(&served, Role::Staff, "prep-list", json!({ "date": DAY, "prep_item_id": k.patties })).await;
    assert_eq!(staff.status(), StatusCode::FORBIDDEN);
    let elsewhere = served.app.create_tenant("Another group").await;
    let theirs =
        served.app.create_location(elsewhere, "Europe/Paris", crate::helpers::every_day("11:00", "23:00")).await;
    let path = format!("/api/v1/locations/{theirs}/prep-list/overrides");
    let body = json!({ "date": DAY, "prep_item_id": k.patties, "quantity": 1, "reason": "x" });
    let theirs = served.app.send_as(Some(&served.app.token(Role::Owner)), Method::PUT, &path, Some(&body)).await;
    assert_eq!(theirs.status(), StatusCode::NOT_FOUND, "another tenant's location");
}
