//! Accuracy (issue 14) on a hand-made day: a model's plans for the day, a manager's overrides,
//! the orders and actuals of the day; every figure is worked out here from the plans as served
//! and the numbers recorded, and the three forecasters are never blended. Only what was known
//! before the doors opened counts.
use chrono::{DateTime, Duration, Utc};
use entity::{plan, plan_override};
use reqwest::{Method, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use serde_json::{Value, json};
use sous::domain::Role;

use crate::{
    fake_llm::Reply,
    helpers::{assert_error, json_body, order},
    llm::{DAY, LlmKitchen, Served, day},
};

/// `Σ|f − a| / Σa` and `Σ(f − a) / Σa` of `(forecast, actual)` pairs.
fn wape_bias(pairs: &[(f64, f64)]) -> (f64, f64) {
    let actual: f64 = pairs.iter().map(|p| p.1).sum();
    let absolute: f64 = pairs.iter().map(|p| (p.0 - p.1).abs()).sum();
    let signed: f64 = pairs.iter().map(|p| p.0 - p.1).sum();
    (absolute / actual, signed / actual)
}

fn assert_score(score: &Value, expected: (f64, f64), points: u64, what: &str) {
    let (wape, bias) = expected;
    let close = |v: &Value, e: f64| v.as_f64().is_some_and(|v| (v - e).abs() < 0.0015);
    assert!(close(&score["wape"], wape) && close(&score["bias"], bias), "{what}: expected {expected:?}, got {score}");
    assert_eq!(score["points"], points, "{what}: {score}");
}

async fn put(served: &Served, path: &str, body: Value) -> Value {
    let app = &served.app;
    let answer = app.send_as(Some(&app.token(Role::Manager)), Method::PUT, path, Some(&body)).await;
    let status = answer.status();
    let text = answer.text().await.unwrap_or_default();
    assert!(status.is_success(), "{path}: {status} {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

#[tokio::test]
async fn a_hand_made_day_scores_the_baseline_the_model_and_the_manager_apart() {
    let kitchen = LlmKitchen::new().await;
    let mut staffing = kitchen.staffing_answer();
    let server = kitchen.staffing_baseline.blocks[0].staff.iter().position(|s| s.role == "Server").unwrap();
    let more = kitchen.staffing_baseline.blocks[0].staff[server].headcount + 1;
    staffing["blocks"][0]["staff"][server]["headcount"] = json!(more);
    let prep_answer = kitchen.prep_answer();
    let served = kitchen.serve(vec![Reply::json(&prep_answer), Reply::json(&staffing)]).await;
    let (app, k) = (&served.app, &served.kitchen);
    let prep = served.prep_list().await;
    let plan_staffing = served.staffing().await;
    assert_eq!((prep["source"].as_str(), plan_staffing["source"].as_str()), (Some("llm"), Some("llm")));
    let first_block = plan_staffing["blocks"][0]["start"].as_str().unwrap().to_owned();

    // The manager's numbers.
    let base = format!("/api/v1/locations/{}", k.location_id);
    put(
        &served,
        &format!("{base}/prep-list/overrides"),
        json!({
            "date": DAY, "prep_item_id": k.patties, "quantity": 20.0, "reason": "A party of twelve booked by phone",
        }),
    )
    .await;
    put(&served, &format!("{base}/staffing/overrides"), json!({
        "date": DAY, "block": first_block, "role_id": k.server_role, "headcount": 4, "reason": "Training a new server",
    }))
    .await;
    // The plans and overrides were made now, for a day in March: as if made the evening before.
    let eve: DateTime<Utc> = format!("{}T22:00:00+01:00", day() - Duration::days(1)).parse().unwrap();
    set_times(&served, eve, eve).await;

    // What happened: 18 orders of two covers (a burger and a salad each); the soup ran out at
    // 12:30; the sauce was meant to last three days.
    let orders: Vec<Value> = (0..18)
        .map(|i| {
            order(&format!("day-{i}"), &format!("{DAY}T12:{:02}:00+01:00", i * 3), 2, &[(k.burger, 1), (k.salad, 1)])
        })
        .collect();
    app.ingest_orders(k.location_id, Value::Array(orders)).await;
    let used = [(k.patties, 18.0), (k.lettuce, 2.2)];
    let sauce_used = [0.9, 0.6, 0.3];
    put(
        &served,
        &format!("{base}/actuals"),
        json!({
            "date": DAY,
            "prep": [
                { "prep_item_id": k.patties, "prepped": 30.0, "used": 18.0, "wasted": 2.0 },
                { "prep_item_id": k.lettuce, "prepped": 3.0, "used": 2.2, "wasted": 0.8 },
                { "prep_item_id": k.sauce, "prepped": 4.0, "used": sauce_used[0], "wasted": 0.0 },
            ],
            "staff": [
                { "block": first_block, "role_id": k.server_role, "headcount": 3 },
                { "block": "19:00", "role_id": k.cook_role, "headcount": 2 },
            ],
            "sold_out": [{ "menu_item_id": k.soup, "at": "12:30" }],
        }),
    )
    .await;
    for (offset, used) in [(1, sauce_used[1]), (2, sauce_used[2])] {
        let date = (day() + Duration::days(offset)).to_string();
        let body =
            json!({ "date": date, "prep": [{ "prep_item_id": k.sauce, "prepped": 0.0, "used": used, "wasted": 0.0 }] });
        put(&served, &format!("{base}/actuals"), body).await;
    }

    let to = (day() + Duration::days(1)).to_string();
    let accuracy = app.get_ok(&format!("{base}/accuracy?from={DAY}&to={to}")).await;
    assert_eq!(accuracy["days"], 1, "{accuracy}");
    let by_day = &accuracy["by_day"][0];
    assert_eq!(by_day["prep_plan_id"], prep["provenance"]["plan_id"]);
    assert_eq!(by_day["overridden_lines"], 2);

    // Covers: four Wednesdays of 30 covers forecast 30; 36 came.
    assert_score(&accuracy["covers"]["baseline"], wape_bias(&[(30.0, 36.0)]), 1, "covers");
    assert!(accuracy["covers"].get("model").is_none() && accuracy["covers"].get("manager").is_none());
    // Dishes: 15 burgers and 15 salads forecast, 18 of each sold; the soup sold out: left out.
    assert_score(&accuracy["dishes"]["baseline"], wape_bias(&[(15.0, 18.0), (15.0, 18.0)]), 2, "dishes");

    // Prep, in batches: what each line should have said is what its days used beyond stock (the
    // soup, made with the sauce, sold out before any was ordered that day: no demand it hid).
    let (mut baseline, mut model, mut manager) = (Vec::new(), Vec::new(), Vec::new());
    for line in prep["stations"].as_array().unwrap().iter().flat_map(|s| s["items"].as_array().unwrap().clone()) {
        let item = line["prep_item_id"].as_i64().unwrap();
        let batch = [(k.patties, 10.0), (k.lettuce, 0.5), (k.sauce, 2.0)].iter().find(|b| b.0 == item).unwrap().1;
        let used: f64 =
            if item == k.sauce { sauce_used.iter().sum() } else { used.iter().find(|u| u.0 == item).unwrap().1 };
        let needed = (used - line["on_hand"].as_f64().unwrap()).max(0.0) / batch;
        let (b, m) = (line["baseline_suggested"].as_f64().unwrap(), line["suggested"].as_f64().unwrap());
        assert_ne!(b, m, "the model changed every line");
        baseline.push((b / batch, needed));
        model.push((m / batch, needed));
        manager.push((if item == k.patties { 20.0 } else { m } / batch, needed));
    }
    assert_score(&accuracy["prep"]["baseline"], wape_bias(&baseline), 3, "prep, baseline");
    assert_score(&accuracy["prep"]["model"], wape_bias(&model), 3, "prep, model: no override in it");
    assert_score(&accuracy["prep"]["manager"], wape_bias(&manager), 3, "prep, as the manager left it");

    // Headcounts where staff on were recorded.
    let line = |block: &str, role: i64| -> (f64, f64) {
        let b = plan_staffing["blocks"].as_array().unwrap().iter().find(|b| b["start"] == block).unwrap();
        let s = b["staff"].as_array().unwrap().iter().find(|s| s["role_id"] == role).unwrap();
        (s["baseline_headcount"].as_f64().unwrap(), s["headcount"].as_f64().unwrap())
    };
    let (server_base, server_model) = line(&first_block, k.server_role);
    let (cook_base, cook_model) = line("19:00", k.cook_role);
    assert_eq!(server_model, server_base + 1.0);
    assert_score(
        &accuracy["headcount"]["baseline"],
        wape_bias(&[(server_base, 3.0), (cook_base, 2.0)]),
        2,
        "staff, baseline",
    );
    assert_score(
        &accuracy["headcount"]["model"],
        wape_bias(&[(server_model, 3.0), (cook_model, 2.0)]),
        2,
        "staff, model",
    );
    assert_score(&accuracy["headcount"]["manager"], wape_bias(&[(4.0, 3.0), (cook_model, 2.0)]), 2, "staff, manager");

    // Waste: 2 of 30 patties (3 batches), 0.8 of 3 kg lettuce (6 batches), none of the sauce.
    let share = (2.0 / 10.0 + 0.8 / 0.5) / (30.0 / 10.0 + 3.0 / 0.5 + 4.0 / 2.0);
    assert!((accuracy["waste"]["share"].as_f64().unwrap() - share).abs() < 0.0015, "{}", accuracy["waste"]);
    let notes = accuracy["notes"].to_string();
    assert!(notes.contains("1 dish-day(s) left out"), "{notes}");

    // The AI quality report over the day shows the same figures.
    let report = app.get_ok(&format!("/api/v1/reports/ai-quality?from={DAY}&to={to}&location={}", k.location_id)).await;
    assert_eq!(report["accuracy"][0]["prep"], accuracy["prep"], "{report}");

    // An override set during service is a reaction, not a forecast; a plan made after the doors
    // opened is not the one the kitchen had: the baseline is replayed instead.
    let lunch: DateTime<Utc> = format!("{DAY}T12:30:00+01:00").parse().unwrap();
    set_times(&served, lunch, eve).await;
    let later = app.get_ok(&format!("{base}/accuracy?from={DAY}&to={to}")).await;
    assert_eq!(later["by_day"][0]["overridden_lines"], 0, "{later}");
    assert_eq!(later["prep"]["manager"], later["prep"]["model"], "without overrides the manager's is the model's plan");
    set_times(&served, eve, lunch).await;
    let replayed = app.get_ok(&format!("{base}/accuracy?from={DAY}&to={to}")).await;
    assert!(replayed["by_day"][0].get("prep_plan_id").is_none(), "{replayed}");
    assert!(replayed["prep"].get("model").is_none(), "no plan of the model before opening: {replayed}");
}

/// Moves every override's `set_at` and every plan's `generated_at` of the kitchen.
async fn set_times(served: &Served, overrides_at: DateTime<Utc>, plans_at: DateTime<Utc>) {
    let (db, location) = (served.app.db(), served.kitchen.location_id);
    plan_override::Entity::update_many()
        .col_expr(plan_override::Column::SetAt, Expr::value(overrides_at))
        .filter(plan_override::Column::LocationId.eq(location))
        .exec(db)
        .await
        .expect("move the overrides");
    plan::Entity::update_many()
        .col_expr(plan::Column::GeneratedAt, Expr::value(plans_at))
        .filter(plan::Column::LocationId.eq(location))
        .exec(db)
        .await
        .expect("move the plans");
}

#[tokio::test]
async fn a_range_that_is_not_one_is_a_clear_4xx() {
    let kitchen = LlmKitchen::new().await;
    let (app, k) = (&kitchen.app, &kitchen.kitchen);
    let base = format!("/api/v1/locations/{}/accuracy", k.location_id);
    let tomorrow = (chrono::Utc::now().date_naive() + Duration::days(2)).to_string();
    for (query, field) in [
        (format!("from={DAY}&to={DAY}"), "from"),
        (format!("from=2025-01-01&to={DAY}"), "to"),
        (format!("to={tomorrow}"), "to"),
    ] {
        let answer = app.get(&format!("{base}?{query}")).await;
        assert_error(answer, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", Some(field)).await;
    }
    let answer = app.get(&format!("{base}?from=March")).await;
    assert!(answer.status().is_client_error(), "{}", answer.status());
    // A day with neither sales nor actuals scores nothing, and says so by its counts.
    let empty = json_body(app.get(&format!("{base}?from=2026-01-01&to=2026-01-08")).await, StatusCode::OK).await;
    assert_eq!((empty["days"].as_u64(), empty["prep"].clone()), (Some(0), json!({})), "{empty}");
}
