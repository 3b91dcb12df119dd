//! The AI quality report on a hand-made set of plans and model calls with known figures: the
//! JSON answer, the markdown a reviewer pastes (snapshot), the scope of a caller, bad periods.
use std::collections::BTreeMap;

use chrono::{NaiveDate, TimeZone, Utc};
use entity::{llm_call, plan};
use reqwest::{Method, StatusCode};
use sea_orm::{ActiveModelTrait, ActiveValue::NotSet, IntoActiveModel};
use serde_json::{Value, json};
use sous::{config::PriceTable, domain::Role, reports};

use crate::helpers::{TestApp, assert_error, every_day, json_body};

const FROM: &str = "2026-11-23";
const TO: &str = "2026-11-30";

fn day(text: &str) -> NaiveDate {
    text.parse().expect("a date")
}

fn plan_row(location_id: i64, kind: &str, source: &str, day: u32, reasons: Value) -> plan::Model {
    let model = (source != "baseline").then(|| "small-model".to_owned());
    plan::Model {
        id: 0,
        location_id,
        kind: kind.to_owned(),
        service_date: NaiveDate::from_ymd_opt(2026, 11, day).and_then(|d| d.succ_opt()).expect("a day"),
        source: source.to_owned(),
        input_fingerprint: "0000000000000000".to_owned(),
        prompt_version: model.as_ref().map(|_| format!("{kind}/v1")),
        model,
        attempts: 0,
        tokens_used: 0,
        fallback_reasons: reasons,
        repairs: json!([]),
        body: json!({}),
        generated_at: Utc.with_ymd_and_hms(2026, 11, day, 21, 0, 0).single().expect("a time"),
        trigger: "first".to_owned(),
        rules_fingerprint: None,
    }
}

fn call_row(plan_id: i64, attempt: i32, outcome: &str, latency_ms: i32, issues: Value) -> llm_call::Model {
    llm_call::Model {
        id: 0,
        plan_id,
        attempt,
        prompt_version: "prep_list/v1".to_owned(),
        model: "small-model".to_owned(),
        started_at: Utc.with_ymd_and_hms(2026, 11, 24, 21, 0, 0).single().expect("a time"),
        latency_ms,
        prompt_tokens: 1000,
        completion_tokens: 200,
        total_tokens: 1200,
        outcome: outcome.to_owned(),
        finish_reason: Some("stop".to_owned()),
        issues,
        raw_answer: None,
    }
}

async fn insert_plan(app: &TestApp, row: plan::Model) -> i64 {
    let mut active = row.into_active_model();
    active.id = NotSet;
    active.insert(app.db()).await.expect("insert a plan").id
}

async fn insert_call(app: &TestApp, row: llm_call::Model) {
    let mut active = row.into_active_model();
    active.id = NotSet;
    active.insert(app.db()).await.expect("insert a call");
}

/// Six plans in the week: two baselines, a first-time answer, a repaired one, one accepted after
/// a re-ask and one fallback after two invalid answers; and one plan the week after, left out.
async fn hand_made_week(app: &TestApp, location: i64) {
    let unknown = |path: &str, message: &str| json!({"stage": "grounding", "path": path, "message": message});
    insert_plan(app, plan_row(location, "prep_list", "baseline", 23, json!([]))).await;
    insert_plan(app, plan_row(location, "staffing", "baseline", 23, json!([]))).await;
    let first = insert_plan(app, plan_row(location, "prep_list", "llm", 24, json!([]))).await;
    insert_call(app, call_row(first, 1, "accepted", 1000, json!([]))).await;
    let mut repaired = plan_row(location, "prep_list", "llm_repaired", 25, json!([]));
    repaired.repairs = json!(["removed the code fence around the JSON"]);
    let repaired = insert_plan(app, repaired).await;
    insert_call(app, call_row(repaired, 1, "accepted", 2000, json!([]))).await;
    let reasked = insert_plan(app, plan_row(location, "staffing", "llm_reasked", 26, json!([]))).await;
    insert_call(app, call_row(reasked, 1, "invalid", 3000, json!([unknown("items[2].prep_item", "x")]))).await;
    insert_call(app, call_row(reasked, 2, "accepted", 4000, json!([]))).await;
    let reasons = json!(["2 answers failed validation; see this plan's audit"]);
    let fallback = insert_plan(app, plan_row(location, "prep_list", "fallback", 27, reasons)).await;
    insert_call(app, call_row(fallback, 1, "invalid", 5000, json!([unknown("items[0].prep_item", "y")]))).await;
    // The audit holds answers redacted with the day's guests; a stranger's name and number in a
    // message are redacted again before a reviewer copies the example.
    let leak = "the answer names Philippa Grimsditch, call +44 20 7946 0874";
    let problems = json!([
        unknown("items[7].prep_item", "again"),
        {"stage": "schema", "path": "", "message": leak}
    ]);
    insert_call(app, call_row(fallback, 2, "invalid", 6000, problems)).await;
    insert_plan(app, plan_row(location, "prep_list", "baseline", 30, json!([]))).await;
}

#[tokio::test]
async fn the_report_counts_what_the_model_got_wrong_and_what_sous_caught() {
    let app = TestApp::spawn().await;
    let location = app.create_location(app.tenant_id, "Europe/Paris", every_day("11:00", "23:00")).await;
    hand_made_week(&app, location).await;
    let reviewer = app.token(Role::Reviewer);

    let path = format!("/api/v1/reports/ai-quality?from={FROM}&to={TO}");
    let report = json_body(app.send_as(Some(&reviewer), Method::GET, &path, None).await, StatusCode::OK).await;

    assert_eq!(report["plans"], 6, "{report}");
    assert_eq!(report["by_source"]["prep_list"], json!({"baseline": 1, "fallback": 1, "llm": 1, "llm_repaired": 1}));
    assert_eq!(report["by_source"]["staffing"], json!({"baseline": 1, "llm_reasked": 1}));
    let rates = &report["rates"];
    assert_eq!(rates["model_plans"], 4);
    assert_eq!(rates["first_attempt_valid"], 0.5, "two of four first answers were accepted");
    assert_eq!((&rates["repaired"], &rates["fallback"]), (&json!(0.25), &json!(0.25)));
    assert_eq!(rates["reask_success"], 0.5, "one of the two re-asked plans was saved");
    assert_eq!(report["fallback_reasons"][0]["count"], 1);
    let problems = report["problems"].as_array().expect("problems");
    assert_eq!(problems[0], json!({"stage": "grounding", "path": "items[].prep_item", "count": 3, "example": "x"}));
    assert_eq!(problems.len(), 2);
    assert_eq!(report["latency_ms"]["calls"], 6);
    assert_eq!(
        (&report["latency_ms"]["per_call_p50"], &report["latency_ms"]["per_call_p95"]),
        (&json!(3000), &json!(6000))
    );
    assert_eq!(report["latency_ms"]["per_plan_p50"], 2000, "plans of 1, 2, 7 and 11 seconds");
    assert_eq!((&report["tokens"]["prompt"], &report["tokens"]["completion"]), (&json!(6000), &json!(1200)));
    assert_eq!(report["tokens"]["per_model_plan"], 1800.0);
    assert_eq!(report["cost"]["unpriced_models"], json!(["small-model"]), "no price is not free");
    assert_eq!(report["cost"]["priced_usd"], 0.0);
    assert_eq!(report["versions"].as_array().map(Vec::len), Some(2), "{}", report["versions"]);
    assert_eq!(report["accuracy"], json!([]), "no actuals recorded: not measured, not guessed");
}

#[tokio::test]
async fn the_markdown_report_is_a_postmortem_section_with_prices_and_no_personal_data() {
    let app = TestApp::spawn().await;
    let location = app.create_location(app.tenant_id, "Europe/Paris", every_day("11:00", "23:00")).await;
    hand_made_week(&app, location).await;
    let prices = PriceTable::parse("small-model=0.5/2").expect("prices");
    let scope = reports::Scope::Locations(vec![location]);
    let report = reports::ai_quality(app.db(), &scope, day(FROM), day(TO), &prices).await.expect("the report");

    // 6 calls of 1000 prompt and 200 answer tokens: 6 × (0.0005 + 0.0004) dollars.
    assert!((report.cost.priced_usd - 0.0054).abs() < 1e-9, "{:?}", report.cost);
    assert_eq!(report.cost.per_tenant_usd, BTreeMap::from([(app.tenant_id, 0.0054)]));
    assert!(report.cost.unpriced_models.is_empty());
    let markdown = reports::render_markdown(&report);
    for secret in ["Philippa", "Grimsditch", "7946"] {
        assert!(!markdown.contains(secret), "{secret} in {markdown}");
    }
    assert!(!markdown.contains('{'), "no JSON in the markdown: {markdown}");
    let markdown = markdown.replace(&format!("tenant {}", app.tenant_id), "tenant T");
    insta::assert_snapshot!("ai_quality_markdown", markdown);
}

#[tokio::test]
async fn a_caller_sees_the_report_of_its_own_locations_only_and_bad_periods_are_refused() {
    let app = TestApp::spawn().await;
    let location = app.create_location(app.tenant_id, "Europe/Paris", every_day("11:00", "23:00")).await;
    hand_made_week(&app, location).await;
    let other_tenant = app.create_tenant("Another group").await;
    let theirs = app.create_location(other_tenant, "Europe/Paris", every_day("11:00", "23:00")).await;
    let owner_elsewhere = crate::helpers::token(other_tenant, Role::Owner, None);
    let period = format!("from={FROM}&to={TO}");

    let path = format!("/api/v1/reports/ai-quality?{period}");
    let theirs_report =
        json_body(app.send_as(Some(&owner_elsewhere), Method::GET, &path, None).await, StatusCode::OK).await;
    assert_eq!(theirs_report["plans"], 0, "another tenant's plans are not counted: {theirs_report}");
    let mine = format!("/api/v1/reports/ai-quality?{period}&location={location}");
    let response = app.send_as(Some(&owner_elsewhere), Method::GET, &mine, None).await;
    assert_error(response, StatusCode::NOT_FOUND, "not_found", None).await;
    let own = format!("/api/v1/reports/ai-quality?{period}&location={theirs}");
    let empty = json_body(app.send_as(Some(&owner_elsewhere), Method::GET, &own, None).await, StatusCode::OK).await;
    assert_eq!(empty["plans"], 0);

    let reviewer = app.token(Role::Reviewer);
    for (query, status, field) in [
        ("from=2026-11-30&to=2026-11-23", StatusCode::UNPROCESSABLE_ENTITY, Some("from")),
        ("from=2024-01-01&to=2026-11-23", StatusCode::UNPROCESSABLE_ENTITY, Some("to")),
        ("from=2026-11-31", StatusCode::BAD_REQUEST, None),
        ("location=abc", StatusCode::BAD_REQUEST, None),
    ] {
        let response =
            app.send_as(Some(&reviewer), Method::GET, &format!("/api/v1/reports/ai-quality?{query}"), None).await;
        let code = if status == StatusCode::BAD_REQUEST { "bad_request" } else { "validation_failed" };
        assert_error(response, status, code, field).await;
    }
}
