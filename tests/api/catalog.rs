//! Tenants, locations, stations, menu items, prep items, recipe lines and roles: creation,
//! listing, and every way a request can be refused.
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_envelope, assert_error, every_day, json_body, prep_item, role};

/// A location of the caller's own tenant (the token says which).
fn location_body(timezone: &str, opening_hours: Value) -> Value {
    json!({ "name": "Rive gauche", "timezone": timezone, "seats": 40, "opening_hours": opening_hours })
}

fn names(list: &Value) -> Vec<&str> {
    list.as_array().expect("a list").iter().map(|x| x["name"].as_str().expect("a name")).collect()
}

// Tenants

#[tokio::test]
async fn a_caller_sees_its_own_tenant_only_and_cannot_create_tenants() {
    let app = TestApp::spawn().await;
    app.create_tenant("Chez Marcel").await;

    let list = app.get_ok("/api/v1/tenants").await;
    assert_eq!(names(&list), ["Test group"]);
    assert_eq!(list[0]["id"], app.tenant_id);

    let response = app.post_json("/api/v1/tenants", &json!({ "name": "Maison Dupont" })).await;
    assert_error(response, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", None).await;
}

#[tokio::test]
async fn a_name_that_is_not_text_is_refused_and_a_name_in_any_script_is_kept() {
    let app = TestApp::spawn().await;
    let location = |name: &str| json!({ "name": name, "timezone": "Europe/Paris", "seats": 40, "opening_hours": every_day("11:00", "23:00") });

    let not_text = [
        "\u{0}",
        "Bistro\u{0}",
        "\u{1b}[31mRed\u{1b}[0m",
        "Bistro \u{202E}oinotna",
        "\u{200B}\u{200B}",
        "\u{FEFF}",
        "a\tb",
        "",
        "   ",
    ];
    for name in not_text {
        let response = app.post_json("/api/v1/locations", &location(name)).await;
        let body = assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", Some("name")).await;
        assert!(!body.to_string().contains("oinotna"), "the name is not quoted back: {body}");
    }
    assert_eq!(app.get_ok("/api/v1/locations").await, json!([]));
    for name in ["Café Brûlée", "张伟的餐厅", "Ресторан «Иван»"] {
        let response = app.post_json("/api/v1/locations", &location(name)).await;
        let created = json_body(response, StatusCode::CREATED).await;
        assert_eq!(created["name"], name);
    }
}

// Locations

#[tokio::test]
async fn locations_can_be_created_fetched_and_listed_by_tenant() {
    let app = TestApp::spawn().await;
    let tenant = app.tenant_id;
    let other_tenant = app.create_tenant("Chez Marcel").await;
    let hours = json!([
        { "weekday": "sat", "opens": "18:00", "closes": "23:30" },
        { "weekday": "tue", "opens": "11:30", "closes": "22:00" },
    ]);

    let created =
        json_body(app.post_json("/api/v1/locations", &location_body("Europe/Paris", hours)).await, StatusCode::CREATED)
            .await;
    app.create_location(other_tenant, "America/New_York", every_day("17:00", "22:00")).await;

    let id = created["id"].as_i64().unwrap();
    let fetched = app.get_ok(&format!("/api/v1/locations/{id}")).await;
    assert_eq!(fetched["tenant_id"], tenant);
    assert_eq!(fetched["name"], "Rive gauche");
    assert_eq!(fetched["timezone"], "Europe/Paris");
    assert_eq!(fetched["seats"], 40);
    assert_eq!(
        fetched["opening_hours"],
        json!([
            { "weekday": "tue", "opens": "11:30", "closes": "22:00" },
            { "weekday": "sat", "opens": "18:00", "closes": "23:30" },
        ]),
        "opening hours come back sorted by weekday"
    );
    let of_tenant = app.get_ok("/api/v1/locations").await;
    assert_eq!(names(&of_tenant), ["Rive gauche"], "another tenant's location is not listed");
}

#[tokio::test]
async fn a_second_location_with_the_same_name_for_one_tenant_is_a_conflict_on_name() {
    let app = TestApp::spawn().await;
    let body = location_body("Europe/Paris", every_day("11:00", "23:00"));
    json_body(app.post_json("/api/v1/locations", &body).await, StatusCode::CREATED).await;

    let response = app.post_json("/api/v1/locations", &body).await;

    assert_error(response, StatusCode::CONFLICT, "conflict", Some("name")).await;
}

#[tokio::test]
async fn a_location_with_an_unknown_time_zone_is_refused_naming_timezone() {
    let app = TestApp::spawn().await;
    let body = location_body("Europe/Atlantis", every_day("11:00", "23:00"));
    let response = app.post_json("/api/v1/locations", &body).await;

    assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", Some("timezone")).await;
}

#[tokio::test]
async fn opening_hours_that_close_before_they_open_are_refused_naming_the_entry() {
    let app = TestApp::spawn().await;
    let hours = json!([{ "weekday": "mon", "opens": "18:00", "closes": "11:00" }]);
    let response = app.post_json("/api/v1/locations", &location_body("Europe/Paris", hours)).await;

    assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", Some("opening_hours[0].closes"))
        .await;
}

#[tokio::test]
async fn an_opening_time_of_25_00_is_refused_naming_the_entry() {
    let app = TestApp::spawn().await;
    let hours = json!([
        { "weekday": "mon", "opens": "11:00", "closes": "22:00" },
        { "weekday": "tue", "opens": "25:00", "closes": "22:00" },
        { "weekday": "wed", "opens": "11:00", "closes": "noon" },
    ]);
    let response = app.post_json("/api/v1/locations", &location_body("Europe/Paris", hours)).await;

    let body =
        assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", Some("opening_hours[1].opens"))
            .await;
    assert!(crate::helpers::fields(&body).contains(&"opening_hours[2].closes".to_owned()), "{body}");
}

#[tokio::test]
async fn a_weekday_listed_twice_is_refused_naming_the_second_entry() {
    let app = TestApp::spawn().await;
    let hours = json!([
        { "weekday": "fri", "opens": "11:00", "closes": "14:00" },
        { "weekday": "fri", "opens": "18:00", "closes": "22:00" },
    ]);
    let response = app.post_json("/api/v1/locations", &location_body("Europe/Paris", hours)).await;

    assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", Some("opening_hours[1].weekday"))
        .await;
}

#[tokio::test]
async fn a_token_of_a_tenant_that_does_not_exist_creates_nothing() {
    let app = TestApp::spawn().await;
    let stray = crate::helpers::token(424_242, sous::domain::Role::Owner, None);

    let body = location_body("Europe/Paris", every_day("11:00", "23:00"));
    let response = app.send_as(Some(&stray), reqwest::Method::POST, "/api/v1/locations", Some(&body)).await;

    assert_error(response, StatusCode::NOT_FOUND, "not_found", None).await;
}

#[tokio::test]
async fn an_unknown_location_is_not_found_on_every_location_route() {
    let app = TestApp::spawn().await;

    assert_error(app.get("/api/v1/locations/424242").await, StatusCode::NOT_FOUND, "not_found", None).await;
    // Well-formed bodies, so that only the location can be at fault.
    let bodies = [
        ("stations", json!({ "name": "Grill" })),
        ("menu-items", json!({ "name": "Burger", "category": "mains", "price_cents": 1500 })),
        ("prep-items", prep_item(1, "Burger patties", "each", 10.0)),
        ("recipe-lines", json!({ "menu_item_id": 1, "prep_item_id": 1, "quantity": 1.0 })),
        ("roles", role("Server", "covers", 12.0, 1, 6)),
    ];
    for (resource, body) in bodies {
        let path = format!("/api/v1/locations/424242/{resource}");
        assert_error(app.get(&path).await, StatusCode::NOT_FOUND, "not_found", None).await;
        assert_error(app.post_json(&path, &body).await, StatusCode::NOT_FOUND, "not_found", None).await;
    }
}

// Stations

#[tokio::test]
async fn stations_can_be_created_and_listed_per_location() {
    let app = TestApp::spawn().await;
    let kitchen = app.standard_kitchen().await;
    let other = app.create_location(kitchen.tenant_id, "Europe/Paris", every_day("11:00", "23:00")).await;
    app.create_station(other, "Pastry").await;

    let stations = app.get_ok(&format!("/api/v1/locations/{}/stations", kitchen.location_id)).await;

    assert_eq!(names(&stations), ["Grill", "Garde manger"]);
    assert_eq!(stations[0]["id"], kitchen.grill_station);
    assert_eq!(stations[1]["id"], kitchen.cold_station);
    assert_eq!(stations[0]["location_id"], kitchen.location_id);
}

#[tokio::test]
async fn a_second_station_with_the_same_name_is_a_conflict_on_name() {
    let app = TestApp::spawn().await;
    let kitchen = app.standard_kitchen().await;

    let response = app
        .post_json(&format!("/api/v1/locations/{}/stations", kitchen.location_id), &json!({ "name": "Grill" }))
        .await;

    assert_error(response, StatusCode::CONFLICT, "conflict", Some("name")).await;
}

#[tokio::test]
async fn the_same_station_name_is_fine_at_another_location() {
    let app = TestApp::spawn().await;
    let kitchen = app.standard_kitchen().await;
    let other = app.create_location(kitchen.tenant_id, "Europe/Paris", every_day("11:00", "23:00")).await;

    let response = app.post_json(&format!("/api/v1/locations/{other}/stations"), &json!({ "name": "Grill" })).await;

    assert_eq!(response.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_blank_station_name_is_refused_naming_name() {
    let app = TestApp::spawn().await;
    let kitchen = app.standard_kitchen().await;

    let response =
        app.post_json(&format!("/api/v1/locations/{}/stations", kitchen.location_id), &json!({ "name": " \t " })).await;

    assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", Some("name")).await;
}

// Menu items

#[tokio::test]
async fn menu_items_can_be_created_and_listed_and_are_active_by_default() {
    let app = TestApp::spawn().await;
    let kitchen = app.standard_kitchen().await;
    let path = format!("/api/v1/locations/{}/menu-items", kitchen.location_id);

    let created = json_body(
        app.post_json(&path, &json!({ "name": "Crème brûlée", "category": "desserts", "price_cents": 900 })).await,
        StatusCode::CREATED,
    )
    .await;

    assert_eq!(created["active"], true);
    assert_eq!(created["price_cents"], 900);
    let menu = app.get_ok(&path).await;
    assert_eq!(names(&menu), ["Burger", "Caesar salad", "Tomato soup", "Crème brûlée"]);
    assert_eq!(menu[0]["id"], kitchen.burger);
}

#[tokio::test]
async fn a_second_menu_item_with_the_same_name_is_a_conflict_on_name() {
    let app = TestApp::spawn().await;
    let kitchen = app.standard_kitchen().await;

    let response = app
        .post_json(
            &format!("/api/v1/locations/{}/menu-items", kitchen.location_id),
            &json!({ "name": "Burger", "category": "mains", "price_cents": 1500 }),
        )
        .await;

    assert_error(response, StatusCode::CONFLICT, "conflict", Some("name")).await;
}

#[tokio::test]
async fn a_negative_price_is_refused_naming_price_cents() {
    let app = TestApp::spawn().await;
    let kitchen = app.standard_kitchen().await;

    let response = app
        .post_json(
            &format!("/api/v1/locations/{}/menu-items", kitchen.location_id),
            &json!({ "name": "Free lunch", "category": "mains", "price_cents": -1 }),
        )
        .await;

    assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", Some("price_cents")).await;
}

// Prep items

#[tokio::test]
async fn prep_items_can_be_created_and_listed() {
    let app = TestApp::spawn().await;
    let kitchen = app.standard_kitchen().await;
    let path = format!("/api/v1/locations/{}/prep-items", kitchen.location_id);

    let mut body = prep_item(kitchen.cold_station, "Vinaigrette", "ml", 500.0);
    body["min_batch"] = json!(1000.0);
    body["max_batch"] = json!(4000.0);
    let created = json_body(app.post_json(&path, &body).await, StatusCode::CREATED).await;

    assert_eq!(created["unit"], "ml");
    assert_eq!(created["station_id"], kitchen.cold_station);
    assert_eq!(created["min_batch"], 1000.0);
    assert_eq!(created["max_batch"], 4000.0);
    assert_eq!(created["par"], 0.0);
    let items = app.get_ok(&path).await;
    assert_eq!(names(&items), ["Burger patties", "Chopped lettuce", "Tomato sauce", "Vinaigrette"]);
}

#[tokio::test]
async fn a_second_prep_item_with_the_same_name_is_a_conflict_on_name() {
    let app = TestApp::spawn().await;
    let kitchen = app.standard_kitchen().await;

    let body = prep_item(kitchen.grill_station, "Burger patties", "each", 12.0);
    let response = app.post_json(&format!("/api/v1/locations/{}/prep-items", kitchen.location_id), &body).await;

    assert_error(response, StatusCode::CONFLICT, "conflict", Some("name")).await;
}

#[tokio::test]
async fn a_prep_item_on_a_station_of_another_location_is_refused_naming_station_id() {
    let app = TestApp::spawn().await;
    let kitchen = app.standard_kitchen().await;
    let other = app.create_location(kitchen.tenant_id, "Europe/Paris", every_day("11:00", "23:00")).await;
    let foreign_station = app.create_station(other, "Pastry").await;

    let body = prep_item(foreign_station, "Choux pastry", "kg", 1.0);
    let response = app.post_json(&format!("/api/v1/locations/{}/prep-items", kitchen.location_id), &body).await;

    assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", Some("station_id")).await;
}

#[tokio::test]
async fn a_max_batch_below_the_min_batch_is_refused_naming_max_batch() {
    let app = TestApp::spawn().await;
    let kitchen = app.standard_kitchen().await;

    let mut body = prep_item(kitchen.cold_station, "Vinaigrette", "l", 1.0);
    body["min_batch"] = json!(5.0);
    body["max_batch"] = json!(2.0);
    let response = app.post_json(&format!("/api/v1/locations/{}/prep-items", kitchen.location_id), &body).await;

    assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", Some("max_batch")).await;
}

#[tokio::test]
async fn a_zero_batch_size_is_refused_naming_batch_size() {
    let app = TestApp::spawn().await;
    let kitchen = app.standard_kitchen().await;

    let body = prep_item(kitchen.cold_station, "Vinaigrette", "l", 0.0);
    let response = app.post_json(&format!("/api/v1/locations/{}/prep-items", kitchen.location_id), &body).await;

    assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", Some("batch_size")).await;
}

#[tokio::test]
async fn an_unknown_unit_is_a_bad_request() {
    let app = TestApp::spawn().await;
    let kitchen = app.standard_kitchen().await;

    let body = prep_item(kitchen.cold_station, "Vinaigrette", "kgs", 1.0);
    let response = app.post_json(&format!("/api/v1/locations/{}/prep-items", kitchen.location_id), &body).await;

    assert_error(response, StatusCode::BAD_REQUEST, "bad_request", None).await;
    let items = app.get_ok(&format!("/api/v1/locations/{}/prep-items", kitchen.location_id)).await;
    assert_eq!(items.as_array().unwrap().len(), 3, "nothing was stored");
}

// Recipe lines

#[tokio::test]
async fn recipe_lines_can_be_created_and_listed() {
    let app = TestApp::spawn().await;
    let kitchen = app.standard_kitchen().await;
    let path = format!("/api/v1/locations/{}/recipe-lines", kitchen.location_id);

    let body = json!({ "menu_item_id": kitchen.salad, "prep_item_id": kitchen.sauce, "quantity": 0.02 });
    let created = json_body(app.post_json(&path, &body).await, StatusCode::CREATED).await;

    assert_eq!(created["menu_item_id"], kitchen.salad);
    assert_eq!(created["prep_item_id"], kitchen.sauce);
    assert_eq!(created["quantity"], 0.02);
    let lines = app.get_ok(&path).await;
    let lines = lines.as_array().unwrap();
    assert_eq!(lines.len(), 5, "the kitchen's four lines and the new one");
    assert_eq!(lines[4]["id"], created["id"]);
}

#[tokio::test]
async fn a_recipe_line_with_an_unknown_menu_item_is_refused_naming_menu_item_id() {
    let app = TestApp::spawn().await;
    let kitchen = app.standard_kitchen().await;

    let body = json!({ "menu_item_id": 424_242, "prep_item_id": kitchen.sauce, "quantity": 0.1 });
    let response = app.post_json(&format!("/api/v1/locations/{}/recipe-lines", kitchen.location_id), &body).await;

    assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", Some("menu_item_id")).await;
}

#[tokio::test]
async fn a_recipe_line_with_a_prep_item_of_another_location_is_refused_naming_prep_item_id() {
    let app = TestApp::spawn().await;
    let kitchen = app.standard_kitchen().await;
    let other = app.standard_kitchen().await;

    let body = json!({ "menu_item_id": kitchen.burger, "prep_item_id": other.lettuce, "quantity": 0.1 });
    let response = app.post_json(&format!("/api/v1/locations/{}/recipe-lines", kitchen.location_id), &body).await;

    assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", Some("prep_item_id")).await;
}

#[tokio::test]
async fn a_second_line_for_the_same_menu_item_and_prep_item_is_a_conflict() {
    let app = TestApp::spawn().await;
    let kitchen = app.standard_kitchen().await;

    let body = json!({ "menu_item_id": kitchen.burger, "prep_item_id": kitchen.patties, "quantity": 2.0 });
    let response = app.post_json(&format!("/api/v1/locations/{}/recipe-lines", kitchen.location_id), &body).await;

    assert_error(response, StatusCode::CONFLICT, "conflict", Some("prep_item_id")).await;
}

// Roles

#[tokio::test]
async fn roles_can_be_created_and_listed() {
    let app = TestApp::spawn().await;
    let kitchen = app.standard_kitchen().await;
    let path = format!("/api/v1/locations/{}/roles", kitchen.location_id);

    let created =
        json_body(app.post_json(&path, &role("Dishwasher", "orders", 30.0, 0, 2)).await, StatusCode::CREATED).await;

    assert_eq!(created["driver"], "orders");
    assert_eq!(created["ratio"], 30.0);
    assert_eq!((created["min_staff"].as_i64(), created["max_staff"].as_i64()), (Some(0), Some(2)));
    let roles = app.get_ok(&path).await;
    assert_eq!(names(&roles), ["Server", "Line cook", "Dishwasher"]);
    assert_eq!(roles[0]["id"], kitchen.server_role);
    assert_eq!(roles[1]["id"], kitchen.cook_role);
}

#[tokio::test]
async fn a_role_whose_max_staff_is_below_its_min_staff_is_refused_naming_max_staff() {
    let app = TestApp::spawn().await;
    let kitchen = app.standard_kitchen().await;

    let response = app
        .post_json(&format!("/api/v1/locations/{}/roles", kitchen.location_id), &role("Runner", "covers", 20.0, 3, 1))
        .await;

    assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", Some("max_staff")).await;
}

#[tokio::test]
async fn a_second_role_with_the_same_name_is_a_conflict_on_name() {
    let app = TestApp::spawn().await;
    let kitchen = app.standard_kitchen().await;

    let response = app
        .post_json(&format!("/api/v1/locations/{}/roles", kitchen.location_id), &role("Server", "covers", 10.0, 1, 3))
        .await;

    assert_error(response, StatusCode::CONFLICT, "conflict", Some("name")).await;
}

#[tokio::test]
async fn an_unknown_labor_driver_is_a_bad_request() {
    let app = TestApp::spawn().await;
    let kitchen = app.standard_kitchen().await;

    let response = app
        .post_json(&format!("/api/v1/locations/{}/roles", kitchen.location_id), &role("Host", "vibes", 10.0, 1, 3))
        .await;

    assert_error(response, StatusCode::BAD_REQUEST, "bad_request", None).await;
}

// Bodies that cannot be parsed

#[tokio::test]
async fn malformed_json_is_a_bad_request() {
    let app = TestApp::spawn().await;

    let response = app.post_raw("/api/v1/locations", r#"{"name": "Maison"#, Some("application/json")).await;

    assert_error(response, StatusCode::BAD_REQUEST, "bad_request", None).await;
}

#[tokio::test]
async fn a_field_of_the_wrong_type_is_a_bad_request() {
    let app = TestApp::spawn().await;

    let response = app.post_json("/api/v1/locations", &json!({ "name": ["Maison", "Dupont"] })).await;

    assert_error(response, StatusCode::BAD_REQUEST, "bad_request", None).await;
}

#[tokio::test]
async fn a_missing_required_field_is_a_bad_request() {
    let app = TestApp::spawn().await;
    let response = app.post_json("/api/v1/locations", &json!({ "name": "No hours" })).await;

    assert_error(response, StatusCode::BAD_REQUEST, "bad_request", None).await;
}

#[tokio::test]
async fn a_body_without_a_content_type_is_refused_with_the_envelope() {
    let app = TestApp::spawn().await;

    let body = location_body("Europe/Paris", every_day("11:00", "23:00")).to_string();
    let response = app.post_raw("/api/v1/locations", &body, None).await;

    let status = response.status();
    assert!(status.is_client_error(), "status {status}");
    let body = json_body(response, status).await;
    assert_envelope(&body);
    assert!(["unsupported_media_type", "bad_request"].contains(&body["code"].as_str().unwrap()), "{body}");
    assert_eq!(app.get_ok("/api/v1/locations").await, json!([]), "nothing was stored");
}

#[tokio::test]
async fn a_body_that_is_not_json_is_an_unsupported_media_type() {
    let app = TestApp::spawn().await;

    let response = app.post_raw("/api/v1/locations", "name=Maison", Some("application/x-www-form-urlencoded")).await;

    assert_error(response, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", None).await;
}

#[tokio::test]
async fn a_batch_size_too_small_to_be_a_batch_is_refused_stating_the_range() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;
    let path = format!("/api/v1/locations/{}/prep-items", k.location_id);

    for batch_size in [5e-324, 0.0, -1.0] {
        let body = prep_item(k.grill_station, "Tiny batch", "kg", batch_size);
        let response = app.post_json(&path, &body).await;
        let error =
            assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", Some("batch_size")).await;
        assert!(error["message"].as_str().is_some_and(|m| m.contains("at least 0.001")), "{batch_size}: {error}");
    }
}
