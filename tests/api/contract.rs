//! The document is the rule: every constraint a schema can state about a request is published,
//! and the server holds each body to what its operation publishes (a wrong shape is 400, a
//! broken rule 422, both naming the field and never quoting the value). Strings are strings,
//! dates in queries are written in full, and a replayed answer keeps the headers it documents.
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sous::domain::Role;

use crate::{
    cache::{day, kitchen_with_recent_history},
    helpers::{TestApp, assert_error, client_with, order, prep_item, reservation},
};

/// Follows `$ref`s into the document's components.
fn resolve<'a>(document: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(reference) => {
            let name = reference.trim_start_matches("#/components/schemas/");
            resolve(document, &document["components"]["schemas"][name])
        }
        None => match schema["allOf"].as_array() {
            Some(parts) if parts.len() == 1 => resolve(document, &parts[0]),
            _ => schema,
        },
    }
}

/// Every field of a request schema that has no bound: strings without `maxLength` (unless an
/// enumeration, a date or a date-time), numbers without `minimum` and `maximum` (ids excepted: any
/// integer names a thing or none), arrays without `minItems` and `maxItems`.
fn unbounded(document: &Value, schema: &Value, path: &str, out: &mut Vec<String>) {
    let schema = resolve(document, schema);
    match schema["type"].as_str() {
        Some("object") => {
            for (name, property) in schema["properties"].as_object().into_iter().flatten() {
                let field = if path.is_empty() { name.clone() } else { format!("{path}.{name}") };
                unbounded(document, property, &field, out);
            }
        }
        Some("array") => {
            if schema.get("minItems").is_none() || schema.get("maxItems").is_none() {
                out.push(format!("{path}: items"));
            }
            unbounded(document, &schema["items"], &format!("{path}[]"), out);
        }
        Some("string") => {
            let closed = schema.get("enum").is_some() || schema["format"] == "date-time" || schema["format"] == "date";
            if !closed && schema.get("maxLength").is_none() {
                out.push(format!("{path}: maxLength"));
            }
        }
        Some("integer" | "number")
            if !path.ends_with("_id") && (schema.get("minimum").is_none() || schema.get("maximum").is_none()) =>
        {
            out.push(format!("{path}: range"));
        }
        _ => {}
    }
}

#[tokio::test]
async fn every_bound_of_every_request_field_is_in_the_document() {
    let app = TestApp::spawn().await;
    let document = app.get_ok("/openapi.json").await;
    let mut bodies = 0;
    let mut missing = Vec::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("a path item") {
            for (media, content) in operation["requestBody"]["content"].as_object().into_iter().flatten() {
                assert!(media.starts_with("application/json"), "{method} {path} takes {media}");
                bodies += 1;
                let mut found = Vec::new();
                unbounded(&document, &content["schema"], "", &mut found);
                missing.extend(found.into_iter().map(|f| format!("{method} {path} {f}")));
            }
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                let schema = resolve(&document, &parameter["schema"]);
                // `If-None-Match` is HTTP's own (RFC 9110): a value that is no ETag of ours
                // simply matches nothing.
                let http_own = parameter["name"] == "If-None-Match";
                if schema["type"] == "string" && parameter["in"] != "path" && !http_own {
                    let stated =
                        schema.get("maxLength").is_some() || schema.get("enum").is_some() || schema["format"] == "date";
                    assert!(stated, "{method} {path} parameter {} has no rule: {schema}", parameter["name"]);
                    assert_ne!(schema["format"], "naive-date", "a format nobody knows");
                }
            }
        }
    }
    assert_eq!(bodies, 13, "the operations that take a body");
    assert!(missing.is_empty(), "fields the document leaves unbounded:\n{}", missing.join("\n"));
}

#[tokio::test]
async fn strings_are_strings() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;
    let stations = format!("/api/v1/locations/{}/stations", k.location_id);

    for name in [json!(false), json!(12), json!(["Grill"]), json!({"text": "Grill"}), Value::Null] {
        let response = app.post_json(&stations, &json!({ "name": name })).await;
        let error = assert_error(response, StatusCode::BAD_REQUEST, "bad_request", Some("name")).await;
        assert_eq!(error["details"][0]["message"], "must be a string", "{name}: {error}");
    }
    let listed = app.get_ok(&stations).await;
    let names: Vec<&str> = listed.as_array().expect("a list").iter().filter_map(|s| s["name"].as_str()).collect();
    assert!(!names.iter().any(|n| ["false", "12"].contains(n)), "{names:?}");

    let mut booking = reservation("typed-1", &format!("{}T19:00:00+01:00", day(3)), 2, "confirmed");
    booking["channel"] = json!(true);
    booking["external_id"] = json!(4711);
    let response = app.post_reservations(k.location_id, json!([booking])).await;
    let error = assert_error(response, StatusCode::BAD_REQUEST, "bad_request", Some("reservations[0].channel")).await;
    assert!(crate::helpers::fields(&error).contains(&"reservations[0].external_id".to_owned()), "{error}");
}

#[tokio::test]
async fn each_body_is_held_to_the_rules_its_operation_publishes() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;
    let at = |path: &str| format!("/api/v1/locations/{}/{path}", k.location_id);
    let ordered_at = format!("{}T12:00:00+01:00", day(-2));
    let mut long_line = order("rule-1", &ordered_at, 2, &[(k.burger, 1001)]);
    long_line["external_id"] = json!("with space");
    let mut guest = reservation("rule-2", &format!("{}T19:00:00+01:00", day(3)), 2, "confirmed");
    guest["guest"] = json!({"email": "maria dot lopez at example", "notes": "x".repeat(2001)});
    guest["channel"] = json!("\u{200B}\u{200B}");
    let cases = [
        (at("stations"), json!({"name": "n".repeat(101)}), "name", "length must be at most 100"),
        (at("prep-items"), prep_item(k.grill_station, "Tiny", "kg", 0.0), "batch_size", "must be at least 0.001"),
        (at("orders/batch"), json!({"orders": [long_line]}), "orders[0].lines[0].quantity", "must be at most 1000"),
        (at("orders/batch"), json!({"orders": [long_line]}), "orders[0].external_id", "must be 1 to 64 letters"),
        (at("orders/batch"), json!({"orders": []}), "orders", "must have at least 1 items"),
        (at("reservations/batch"), json!({"reservations": [guest]}), "reservations[0].guest.email", "e-mail"),
        (at("reservations/batch"), json!({"reservations": [guest]}), "reservations[0].guest.notes", "at most 2000"),
        (at("reservations/batch"), json!({"reservations": [guest]}), "reservations[0].channel", "visible character"),
        (
            "/api/v1/locations".to_owned(),
            json!({"name": "Late", "timezone": "Europe/Paris", "seats": 40,
                   "opening_hours": [{"weekday": "mon", "opens": "18:00", "closes": "24:00"}]}),
            "opening_hours[0].closes",
            "HH:MM",
        ),
    ];
    for (path, body, field, rule) in cases {
        let response = app.post_json(&path, &body).await;
        let error = assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", Some(field)).await;
        let said = error["details"]
            .as_array()
            .expect("details")
            .iter()
            .find(|d| d["field"] == field)
            .and_then(|d| d["message"].as_str())
            .unwrap_or_default();
        assert!(said.contains(rule), "{field}: {said:?} should state {rule:?}");
        for quoted in ["maria", "lopez", "xxxxxxxx", "with space", "nnnnnnnn"] {
            assert!(!error.to_string().contains(quoted), "{field}: the answer quotes the value: {error}");
        }
    }
}

#[tokio::test]
async fn a_day_in_a_query_is_written_in_full() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;
    let staff = app.token(Role::Staff);
    for date in ["2026-1-2", "+2026-01-02", "2026-02-30", "02/01/2026", ""] {
        let path = format!("/api/v1/locations/{}/prep-list?date={date}", k.location_id);
        let response = app.send_as(Some(&staff), Method::GET, &path, None).await;
        assert_error(response, StatusCode::BAD_REQUEST, "bad_request", None).await;
    }
}

#[tokio::test]
async fn a_replayed_regeneration_keeps_the_headers_of_its_plan() {
    let app = TestApp::spawn().await;
    let k = kitchen_with_recent_history(&app).await;
    let path = format!("/api/v1/locations/{}/staffing/generate?date={}", k.location_id, day(2));
    let manager = app.token(Role::Manager);
    let send = || client_with(Some(&manager)).post(app.url(&path)).header("Idempotency-Key", "regen-headers").send();

    let first = send().await.expect("a POST");
    let retry = send().await.expect("a retry");
    assert_eq!((first.status(), retry.status()), (StatusCode::OK, StatusCode::OK));
    assert_eq!(retry.headers()["idempotent-replayed"], "true");
    for header in ["etag", "cache-control", "x-sous-cache", "x-sous-generated-at"] {
        assert_eq!(retry.headers().get(header), first.headers().get(header), "{header}");
        assert!(retry.headers().get(header).is_some(), "{header} is documented on every 200");
    }
}
