//! A plan's cache key holds the versions of the data it was built from: new bookings, orders
//! or stock counts make the next read look again (a miss, a new answer), and data a plan does
//! not read leaves it cached. What the read then does with the published plan (keep it and say
//! what moved, or make it again on a material change) is `plan_lifecycle.rs`'s; here the
//! automatic regenerations are capped at 0, so every answer after a change is the published
//! plan with its `since_published`.
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    cache::{ModelKitchen, day, read_ok, staffing_path},
    helpers::{json_body, order, reservation},
};

/// A party of four for 19:30 (Paris time) on the day `ahead` days from now.
fn booking(external_id: &str, ahead: i64, status: &str) -> Value {
    let at = format!("{}T19:30:00+01:00", day(ahead));
    json!([reservation(external_id, &at, 4, status)])
}

/// The prep line of `prep_item_id` in a prep list.
fn line(plan: &Value, prep_item_id: i64) -> Value {
    let stations = plan["stations"].as_array().unwrap_or_else(|| panic!("no stations: {plan}"));
    let mut lines = stations.iter().flat_map(|s| s["items"].as_array().into_iter().flatten());
    lines
        .find(|l| l["prep_item_id"] == prep_item_id)
        .cloned()
        .unwrap_or_else(|| panic!("no line {prep_item_id}: {plan}"))
}

/// `since_published.booked_covers_now` of a read.
fn booked_now(read: &crate::cache::Read) -> Value {
    read.json()["since_published"]["booked_covers_now"].clone()
}

#[tokio::test]
async fn a_booking_for_the_plans_day_changes_its_key_and_other_days_stay_cached() {
    let k = ModelKitchen::new().await;
    k.keep_published_plans().await;
    let location = k.kitchen.location_id;
    // Ten days apart: neither prep list reads the other's bookings (shelf lives are under a week).
    let (d, e) = (2, 12);
    let first_d = k.prep_list(day(d)).await;
    let first_e = k.prep_list(day(e)).await;
    assert_eq!(k.prep_list(day(d)).await.lookup, "hit");
    assert_eq!(k.fake.calls(), 2);

    k.app.ingest_reservations(location, booking("web-1", d, "booked")).await;

    let booked_d = k.prep_list(day(d)).await;
    assert_eq!(booked_d.lookup, "miss", "the booking changed the key of {}", day(d));
    assert_ne!(booked_d.etag, first_d.etag);
    assert_eq!(booked_now(&booked_d), 4.0, "{}", booked_d.body);
    assert_eq!(booked_d.plan_id(), first_d.plan_id(), "the published plan, with what moved");
    let again_e = k.prep_list(day(e)).await;
    assert_eq!((again_e.lookup.as_str(), again_e.etag.as_str()), ("hit", first_e.etag.as_str()));
    assert_eq!(k.fake.calls(), 2, "{} stays cached", day(e));

    k.app.ingest_reservations(location, booking("web-1", d, "cancelled")).await;

    let cancelled_d = k.prep_list(day(d)).await;
    assert_eq!(cancelled_d.lookup, "miss", "the cancellation changed the key again");
    assert_ne!(cancelled_d.etag, booked_d.etag);
    assert_eq!(booked_now(&cancelled_d), 0.0, "{}", cancelled_d.body);
    assert_eq!(k.prep_list(day(e)).await.etag, first_e.etag);
    assert_eq!(k.fake.calls(), 2);
}

#[tokio::test]
async fn a_booking_within_an_items_shelf_life_changes_the_prep_list_but_not_the_staffing_plan() {
    let k = ModelKitchen::new().await;
    k.keep_published_plans().await;
    let location = k.kitchen.location_id;
    let staffing = staffing_path(location, day(2));
    let prep = k.prep_list(day(2)).await;
    let staff = read_ok(&k.app, &staffing).await;
    assert_eq!(k.fake.calls(), 2);

    // The tomato sauce keeps 72 hours: the prep list of day 2 covers the demand of day 4.
    k.app.ingest_reservations(location, booking("web-1", 4, "confirmed")).await;

    let prep_again = k.prep_list(day(2)).await;
    assert_eq!(prep_again.lookup, "miss");
    assert_ne!(prep_again.etag, prep.etag);
    let staff_again = read_ok(&k.app, &staffing).await;
    assert_eq!((staff_again.lookup.as_str(), staff_again.etag.as_str()), ("hit", staff.etag.as_str()));
    assert_eq!(k.fake.calls(), 2);
}

#[tokio::test]
async fn new_orders_change_the_key_of_every_plan_of_the_location() {
    let k = ModelKitchen::new().await;
    k.keep_published_plans().await;
    let (first_d, first_e) = (k.prep_list(day(2)).await, k.prep_list(day(12)).await);
    assert_eq!(k.fake.calls(), 2);

    let at = format!("{}T12:30:00+01:00", day(-1));
    let burger = order("late-sync-1", &at, 2, &[(k.kitchen.burger, 2)]);
    let result = k.app.ingest_orders(k.kitchen.location_id, json!([burger])).await;
    assert_eq!(result["created"], 1);

    let (new_d, new_e) = (k.prep_list(day(2)).await, k.prep_list(day(12)).await);
    assert_eq!((new_d.lookup.as_str(), new_e.lookup.as_str()), ("miss", "miss"), "every forecast reads the orders");
    assert_eq!(k.fake.calls(), 2);
    assert_ne!(new_d.etag, first_d.etag);
    assert_ne!(new_e.etag, first_e.etag);
}

#[tokio::test]
async fn a_new_stock_count_makes_the_next_read_generate() {
    let k = ModelKitchen::new().await;
    let first = k.prep_list(day(2)).await;
    assert_eq!(line(&first.json(), k.kitchen.patties)["on_hand"], 0.0, "{}", first.body);

    let counts = json!([{ "prep_item_id": k.kitchen.patties, "quantity": 7.0 }]);
    json_body(k.app.post_on_hand(k.kitchen.location_id, counts).await, StatusCode::OK).await;

    let counted = k.prep_list(day(2)).await;
    assert_eq!(k.fake.calls(), 2, "the count changed the key");
    assert_eq!(counted.lookup, "miss");
    assert_ne!(counted.etag, first.etag);
    assert_eq!(line(&counted.json(), k.kitchen.patties)["on_hand"], 7.0, "the new plan counts the stock");
}

#[tokio::test]
async fn data_of_another_location_leaves_the_plans_cached() {
    let k = ModelKitchen::new().await;
    let first = k.prep_list(day(2)).await;
    let other = k.app.standard_kitchen().await;

    let at = format!("{}T12:30:00+01:00", day(-1));
    k.app.ingest_orders(other.location_id, json!([order("other-1", &at, 2, &[(other.burger, 1)])])).await;
    k.app.ingest_reservations(other.location_id, booking("other-web-1", 2, "booked")).await;

    let again = k.prep_list(day(2)).await;
    assert_eq!((again.lookup.as_str(), again.etag.as_str()), ("hit", first.etag.as_str()));
    assert_eq!(k.fake.calls(), 1);
}
