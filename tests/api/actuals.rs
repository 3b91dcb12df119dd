//! What really happened (issue 14): actuals recorded for a service day and read back, each
//! line replacing the last; every bad input a clear 4xx naming its field; sold-out times read by
//! the forecast as demand it did not see, and said so in the rationale.
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sous::domain::Role;

use crate::{
    cache::{day, kitchen_with_recent_history},
    helpers::{Kitchen, TestApp, assert_error, every_day, fields, json_body, token},
};

fn path(k: &Kitchen) -> String {
    format!("/api/v1/locations/{}/actuals", k.location_id)
}

async fn put(app: &TestApp, k: &Kitchen, body: &Value) -> reqwest::Response {
    app.send_as(Some(&app.token(Role::Manager)), Method::PUT, &path(k), Some(body)).await
}

fn a_day(k: &Kitchen, date: chrono::NaiveDate) -> Value {
    json!({
        "date": date.to_string(),
        "prep": [
            { "prep_item_id": k.patties, "prepped": 30.0, "used": 24.0, "wasted": 2.0 },
            { "prep_item_id": k.lettuce, "prepped": 2.0, "used": 1.5, "wasted": 0.5 },
        ],
        "staff": [
            { "block": "12:00", "role_id": k.server_role, "headcount": 3 },
            { "block": "19:00", "role_id": k.cook_role, "headcount": 2 },
        ],
        "sold_out": [{ "menu_item_id": k.soup, "at": "20:15" }],
    })
}

#[tokio::test]
async fn a_day_is_recorded_read_back_and_each_line_replaced_by_the_next() {
    let app = TestApp::spawn().await;
    let k = kitchen_with_recent_history(&app).await;
    let yesterday = day(-1);
    let recorded = json_body(put(&app, &k, &a_day(&k, yesterday)).await, StatusCode::OK).await;
    assert_eq!(recorded["date"], yesterday.to_string());
    assert_eq!(recorded["prep"].as_array().map(Vec::len), Some(2), "{recorded}");
    assert_eq!(recorded["staff"].as_array().map(Vec::len), Some(2), "{recorded}");
    assert_eq!(recorded["sold_out"][0]["at"], "20:15");
    assert!(recorded["prep"][0]["recorded_by"].is_string() && recorded["prep"][0]["recorded_at"].is_string());

    // An integration sends a corrected count later: that line changes, the others stay.
    let fix = json!({
        "date": yesterday.to_string(),
        "prep": [{ "prep_item_id": k.lettuce, "prepped": 2.0, "used": 1.0, "wasted": 1.0 }],
    });
    let integration = app.token(Role::Integration);
    let answer = app.send_as(Some(&integration), Method::PUT, &path(&k), Some(&fix)).await;
    json_body(answer, StatusCode::OK).await;
    let read = app.get_ok(&format!("{}?date={yesterday}", path(&k))).await;
    let lettuce = read["prep"].as_array().unwrap().iter().find(|p| p["prep_item_id"] == k.lettuce).unwrap().clone();
    assert_eq!((lettuce["used"].as_f64(), lettuce["wasted"].as_f64()), (Some(1.0), Some(1.0)), "{read}");
    assert_eq!(read["prep"].as_array().map(Vec::len), Some(2), "the patties line is kept: {read}");
    assert_eq!(read["staff"].as_array().map(Vec::len), Some(2));
    assert_eq!(read["sold_out"].as_array().map(Vec::len), Some(1));

    // Another day is empty.
    let other = app.get_ok(&format!("{}?date={}", path(&k), day(-2))).await;
    assert_eq!((other["prep"].clone(), other["staff"].clone()), (json!([]), json!([])));
}

#[tokio::test]
async fn every_bad_input_is_a_clear_4xx_naming_its_field() {
    let app = TestApp::spawn().await;
    let k = kitchen_with_recent_history(&app).await;
    let yesterday = day(-1).to_string();
    let with = |change: &dyn Fn(&mut Value)| {
        let mut body = a_day(&k, day(-1));
        change(&mut body);
        body
    };
    let cases: Vec<(&str, Value, &str)> = vec![
        ("an unknown prep item", with(&|b| b["prep"][0]["prep_item_id"] = json!(999_999)), "prep[0].prep_item_id"),
        ("an unknown role", with(&|b| b["staff"][1]["role_id"] = json!(999_999)), "staff[1].role_id"),
        ("an unknown dish", with(&|b| b["sold_out"][0]["menu_item_id"] = json!(999_999)), "sold_out[0].menu_item_id"),
        ("a day in the future", with(&|b| b["date"] = json!(day(1).to_string())), "date"),
        ("a day eleven years ago", with(&|b| b["date"] = json!("2015-01-01")), "date"),
        ("a block the day does not have", with(&|b| b["staff"][0]["block"] = json!("08:00")), "staff[0].block"),
        ("a block that is not a time", with(&|b| b["staff"][0]["block"] = json!("25:00")), "staff[0].block"),
        ("a sold-out time after closing", with(&|b| b["sold_out"][0]["at"] = json!("23:30")), "sold_out[0].at"),
        (
            "a prep item twice",
            with(&|b| b["prep"][1]["prep_item_id"] = b["prep"][0]["prep_item_id"].clone()),
            "prep[1].prep_item_id",
        ),
        ("nothing to record", json!({ "date": yesterday }), "prep"),
    ];
    for (what, body, field) in cases {
        let answer = put(&app, &k, &body).await;
        let error = assert_error(answer, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", Some(field)).await;
        assert!(fields(&error).len() == 1, "{what}: one problem, one field: {error}");
    }
    // Negative quantities and a headcount beyond reason are refused by the schema.
    for (what, body) in [
        ("a negative use", with(&|b| b["prep"][0]["used"] = json!(-1.0))),
        ("a negative waste", with(&|b| b["prep"][1]["wasted"] = json!(-0.5))),
        ("a negative headcount", with(&|b| b["staff"][0]["headcount"] = json!(-2))),
        ("a date that is no date", with(&|b| b["date"] = json!("yesterday"))),
    ] {
        let answer = put(&app, &k, &body).await;
        let status = answer.status();
        let text = answer.text().await.unwrap_or_default();
        assert!(
            status == StatusCode::BAD_REQUEST || status == StatusCode::UNPROCESSABLE_ENTITY,
            "{what}: {status} {text}"
        );
        assert!(!text.contains("Burger"), "{what}: no catalog text echoed: {text}");
    }
    // Nothing of the refused bodies was stored.
    let read = app.get_ok(&format!("{}?date={yesterday}", path(&k))).await;
    assert_eq!(
        (read["prep"].clone(), read["staff"].clone(), read["sold_out"].clone()),
        (json!([]), json!([]), json!([]))
    );
}

#[tokio::test]
async fn a_closed_day_another_tenants_location_and_the_wrong_role_are_refused() {
    let app = TestApp::spawn().await;
    let k = kitchen_with_recent_history(&app).await;
    // A location closed on Mondays: staff and sold-out lines have no day to lie in.
    let weekdays: Vec<Value> =
        every_day("11:00", "23:00").as_array().unwrap().iter().filter(|d| d["weekday"] != "mon").cloned().collect();
    let closed = app.create_location(app.tenant_id, "Europe/Paris", Value::Array(weekdays)).await;
    let monday = (1..=7).map(|back| day(-back)).find(|d| chrono::Datelike::weekday(d) == chrono::Weekday::Mon).unwrap();
    let role = app.create_role(closed, &crate::helpers::role("Server", "covers", 10.0, 1, 3)).await;
    let body = json!({ "date": monday.to_string(), "staff": [{ "block": "12:00", "role_id": role, "headcount": 2 }] });
    let answer = app
        .send_as(
            Some(&app.token(Role::Manager)),
            Method::PUT,
            &format!("/api/v1/locations/{closed}/actuals"),
            Some(&body),
        )
        .await;
    let error =
        assert_error(answer, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", Some("staff[0].block")).await;
    assert!(error.to_string().contains("closed"), "{error}");

    // Another tenant's manager: the location does not exist for it.
    let other = app.create_tenant("Other group").await;
    let stranger = token(other, Role::Manager, None);
    let answer = app.send_as(Some(&stranger), Method::PUT, &path(&k), Some(&a_day(&k, day(-1)))).await;
    assert_error(answer, StatusCode::NOT_FOUND, "not_found", None).await;
    // Staff read plans; they do not record what happened.
    let answer = app.send_as(Some(&app.token(Role::Staff)), Method::PUT, &path(&k), Some(&a_day(&k, day(-1)))).await;
    assert_error(answer, StatusCode::FORBIDDEN, "forbidden", None).await;
    // A reviewer reads them but does not write them.
    let answer = app.send_as(Some(&app.token(Role::Reviewer)), Method::PUT, &path(&k), Some(&a_day(&k, day(-1)))).await;
    assert_error(answer, StatusCode::FORBIDDEN, "forbidden", None).await;
}

/// Portions of soup the baseline forecasts for a day, read through the sauce it needs.
async fn sauce_need(app: &TestApp, k: &Kitchen) -> (f64, Vec<String>) {
    let plan = app.get_ok(&format!("/api/v1/locations/{}/prep-list?date={}", k.location_id, day(1))).await;
    let sauce = plan["stations"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["items"].as_array().unwrap().clone())
        .find(|l| l["prep_item_id"] == k.sauce)
        .expect("the sauce line");
    let rationale = plan["forecast"]["rationale"].as_array().unwrap().iter().map(|r| r.to_string()).collect();
    (sauce["need"].as_f64().unwrap(), rationale)
}

#[tokio::test]
async fn a_dish_that_sold_out_counts_as_more_demand_than_it_sold_and_the_rationale_says_so() {
    let app = TestApp::spawn().await;
    let k = kitchen_with_recent_history(&app).await;
    let (before, rationale) = sauce_need(&app, &k).await;
    assert!(!rationale.iter().any(|r| r.contains("sold out")), "{rationale:?}");

    // The soup ran out at 12:30 on each of the last three days: before most of the day's guests
    // came (orders at 12:00, 13:00 and 19:00).
    for back in 1..=3 {
        let body = json!({ "date": day(-back).to_string(), "sold_out": [{ "menu_item_id": k.soup, "at": "12:30" }] });
        json_body(put(&app, &k, &body).await, StatusCode::OK).await;
    }
    let (after, rationale) = sauce_need(&app, &k).await;
    assert!(after > before, "the sauce the soup needs grows: {before} -> {after}");
    let said = rationale.iter().find(|r| r.contains("sold out")).unwrap_or_else(|| panic!("{rationale:?}"));
    assert!(said.contains("3 dish-day"), "{said}");
}
