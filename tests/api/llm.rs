//! Plans written by a model: the shared set-up of the `llm_*` tests (a kitchen with history,
//! answers that echo its baseline, a scripted fake model), and the happy paths.
//!
//! A test builds an [`LlmKitchen`] (a kitchen on a server with no model, and its baseline
//! plans), writes the fake model's answers from that baseline, then [`LlmKitchen::serve`]s it
//! with those answers and asks for a plan.
use std::time::Duration;

use chrono::{DateTime, NaiveDate};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sous::{
    config::{LlmSettings, PromptVersion},
    plans::{PrepLine, PrepList, StaffingPlan},
};

use crate::{
    fake_llm::{FakeLlm, Reply},
    fixtures::{DayPattern, Soup, generated_orders},
    helpers::{Kitchen, TestApp, json_body},
};

/// The service day every plan here is for: Wednesday 18 March 2026.
pub const DAY: &str = "2026-03-18";

pub fn day() -> NaiveDate {
    DAY.parse().expect("a date")
}

/// Settings for the fake model: the defaults (3 attempts, 2 HTTP retries, band 0.5×–2×, floor
/// 2) with short timeouts, so a test that goes wrong fails in seconds, and prompt v1, whose
/// whole-plan answers most tests script. The v2 tests (`llm_edits.rs`) use
/// [`LlmKitchen::serve_v2`].
pub fn test_settings(base_url: &str) -> LlmSettings {
    let mut settings = LlmSettings::new(base_url, "fake-model");
    settings.request_timeout = Duration::from_secs(3);
    settings.deadline = Duration::from_secs(4);
    settings.prompt_version = PromptVersion::V1;
    settings
}

/// The standard kitchen with the four Wednesdays before [`DAY`] of history: 15 orders of two
/// covers a day at 12:00, 13:00 and 19:00, each a burger and a salad, every other one a soup.
pub async fn kitchen_with_history(app: &TestApp) -> Kitchen {
    const WEDNESDAY: DayPattern = DayPattern { hours: &[12, 13, 19], per_hour: 5, step: 10, soup: Soup::EveryOther };
    let k = app.standard_kitchen().await;
    let dates = (1..=4).map(|weeks_back| day() - chrono::Duration::weeks(weeks_back));
    app.ingest_orders(k.location_id, Value::Array(generated_orders(&k, "hist", dates, &WEDNESDAY))).await;
    k
}

/// Every line of a prep list, station after station.
pub fn lines(plan: &PrepList) -> impl Iterator<Item = &PrepLine> {
    plan.stations.iter().flat_map(|s| &s.items)
}

/// A kitchen with history on a server with no model, and its baseline plans for [`DAY`].
pub struct LlmKitchen {
    pub app: TestApp,
    pub kitchen: Kitchen,
    pub baseline: PrepList,
    pub staffing_baseline: StaffingPlan,
}

impl LlmKitchen {
    pub async fn new() -> Self {
        let app = TestApp::spawn().await;
        let kitchen = kitchen_with_history(&app).await;
        let baseline = app.baseline_prep_list(kitchen.location_id, day()).await;
        let staffing_baseline = app.baseline_staffing(kitchen.location_id, day()).await;
        let quantities: Vec<f64> = lines(&baseline).map(|l| l.suggested).collect();
        assert!(quantities.len() == 3 && quantities.iter().all(|q| *q > 0.0), "every item needs prep: {baseline:?}");
        Self { app, kitchen, baseline, staffing_baseline }
    }

    /// Records `reservations` and computes the baselines again, as they now count them.
    pub async fn book(&mut self, reservations: Value) {
        self.app.ingest_reservations(self.kitchen.location_id, reservations).await;
        self.baseline = self.app.baseline_prep_list(self.kitchen.location_id, day()).await;
        self.staffing_baseline = self.app.baseline_staffing(self.kitchen.location_id, day()).await;
    }

    /// A prep answer the grounding accepts: every item of the baseline, in its unit, starting
    /// when the baseline starts, with the baseline's quantity times `factor`.
    pub fn prep_answer_scaled(&self, factor: f64) -> Value {
        let items: Vec<Value> = lines(&self.baseline)
            .map(|line| {
                json!({
                    "prep_item": line.name,
                    "quantity": (line.suggested * factor * 1000.0).round() / 1000.0,
                    "unit": line.unit.as_str(),
                    "start_by": line.start_by.format("%H:%M").to_string(),
                    "reason": "in line with the forecast",
                })
            })
            .collect();
        json!({ "items": items, "summary": "A steady Wednesday." })
    }

    /// A prep answer that changes every quantity by a quarter of the baseline's (well within
    /// the band: the kitchen's four weeks of history give no forecast range), so that the
    /// model's plan differs from the baseline on every line.
    pub fn prep_answer(&self) -> Value {
        self.prep_answer_scaled(1.25)
    }

    /// The index in [`LlmKitchen::prep_answer`] of the prep item called `name`.
    pub fn item_index(&self, name: &str) -> usize {
        lines(&self.baseline).position(|l| l.name == name).expect("a baseline item")
    }

    /// The baseline quantity of the prep item called `name`.
    pub fn baseline_quantity(&self, name: &str) -> f64 {
        lines(&self.baseline).find(|l| l.name == name).expect("a baseline item").suggested
    }

    /// A staffing answer that repeats the baseline: its blocks in order, every role in each.
    pub fn staffing_answer(&self) -> Value {
        let blocks: Vec<Value> = self
            .staffing_baseline
            .blocks
            .iter()
            .map(|b| {
                let staff: Vec<Value> =
                    b.staff.iter().map(|s| json!({ "role": s.role, "headcount": s.headcount })).collect();
                json!({ "start": b.start, "end": b.end, "staff": staff })
            })
            .collect();
        json!({ "blocks": blocks, "summary": "Quiet lunch, busier dinner." })
    }

    /// Serves the kitchen with a fake model playing `script`, with [`test_settings`].
    pub async fn serve(self, script: Vec<Reply>) -> Served {
        self.serve_with(script, |_| {}).await
    }

    /// Serves the kitchen with a fake model playing `script`, with [`test_settings`] and the
    /// default prompt (v2) as `tune` changes them.
    pub async fn serve_v2(self, script: Vec<Reply>, tune: impl FnOnce(&mut LlmSettings)) -> Served {
        self.serve_with(script, |settings| {
            settings.prompt_version = LlmSettings::new(&settings.base_url, "fake-model").prompt_version;
            assert_eq!(settings.prompt_version, PromptVersion::V2, "v2 is the default");
            tune(settings);
        })
        .await
    }

    /// Serves the kitchen with a fake model playing `script`, with [`test_settings`] as
    /// `tune` changes them.
    pub async fn serve_with(self, script: Vec<Reply>, tune: impl FnOnce(&mut LlmSettings)) -> Served {
        let fake = FakeLlm::start(script).await;
        let mut settings = test_settings(&fake.base_url);
        tune(&mut settings);
        let app = self.app.with_llm(settings).await;
        Served { app, fake, kitchen: self.kitchen, baseline: self.baseline }
    }
}

/// The kitchen served with a fake model.
pub struct Served {
    pub app: TestApp,
    pub fake: FakeLlm,
    pub kitchen: Kitchen,
    pub baseline: PrepList,
}

impl Served {
    pub async fn prep_list(&self) -> Value {
        self.app.get_ok(&format!("/api/v1/locations/{}/prep-list?date={DAY}", self.kitchen.location_id)).await
    }

    pub async fn staffing(&self) -> Value {
        self.app.get_ok(&format!("/api/v1/locations/{}/staffing?date={DAY}", self.kitchen.location_id)).await
    }

    /// The audit trail of a plan the model was asked for.
    pub async fn audit(&self, plan: &Value) -> Value {
        audit(&self.app, plan).await
    }

    /// The baseline quantity of every prep item, by name.
    pub fn baseline_quantities(&self) -> Vec<(String, f64)> {
        lines(&self.baseline).map(|l| (l.name.clone(), l.suggested)).collect()
    }
}

/// The audit trail of `plan` (which must have a plan id).
pub async fn audit(app: &TestApp, plan: &Value) -> Value {
    let id = plan["provenance"]["plan_id"].as_i64().unwrap_or_else(|| panic!("no plan id: {plan}"));
    let audit = app.get_ok(&format!("/api/v1/plans/{id}/audit")).await;
    assert_eq!(audit["plan_id"], id);
    assert_eq!(audit["source"], plan["source"], "{audit}");
    assert_eq!(audit["attempts"], plan["provenance"]["attempts"], "{audit}");
    assert_eq!(audit["tokens_used"], plan["provenance"]["tokens_used"], "{audit}");
    audit
}

/// Each call's outcome, in attempt order.
pub fn outcomes(audit: &Value) -> Vec<String> {
    calls(audit).iter().map(|c| c["outcome"].as_str().unwrap_or_default().to_owned()).collect()
}

pub fn calls(audit: &Value) -> &Vec<Value> {
    audit["calls"].as_array().unwrap_or_else(|| panic!("no calls: {audit}"))
}

/// `(stage, path)` of every issue found in call `index`.
pub fn issues(audit: &Value, index: usize) -> Vec<(String, String)> {
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    calls(audit)[index]["issues"]
        .as_array()
        .unwrap_or_else(|| panic!("no issues list: {audit}"))
        .iter()
        .map(|i| (text(&i["stage"]), text(&i["path"])))
        .collect()
}

/// `provenance.fallback_reasons`, joined, for `contains` checks.
pub fn reasons(plan: &Value) -> String {
    let reasons = plan["provenance"]["fallback_reasons"].as_array().unwrap_or_else(|| panic!("{plan}"));
    reasons.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" | ")
}

/// The served quantity (`suggested`) and `baseline_suggested` of every prep line, by name.
pub fn served_quantities(plan: &Value) -> Vec<(String, f64, f64)> {
    plan["stations"]
        .as_array()
        .unwrap_or_else(|| panic!("no stations: {plan}"))
        .iter()
        .flat_map(|s| s["items"].as_array().expect("items").iter())
        .map(|l| {
            let number = |k: &str| l[k].as_f64().unwrap_or_else(|| panic!("no {k}: {l}"));
            (l["name"].as_str().expect("a name").to_owned(), number("suggested"), number("baseline_suggested"))
        })
        .collect()
}

/// The served prep line (JSON) of the prep item called `name`.
pub fn served_line<'a>(plan: &'a Value, name: &str) -> &'a Value {
    let stations = plan["stations"].as_array().unwrap_or_else(|| panic!("no stations: {plan}"));
    let mut lines = stations.iter().flat_map(|s| s["items"].as_array().into_iter().flatten());
    lines.find(|l| l["name"] == name).unwrap_or_else(|| panic!("no {name:?} line: {plan}"))
}

/// Asserts a fallback plan: the baseline's quantities, served with reasons and no repairs.
pub fn assert_fallback(served: &Served, plan: &Value) {
    assert_eq!(plan["source"], "fallback", "{plan}");
    assert!(!reasons(plan).is_empty(), "a fallback says why: {plan}");
    assert_eq!(plan["provenance"]["repairs"], json!([]), "{plan}");
    assert_eq!(plan["provenance"]["summary"], Value::Null, "{plan}");
    let mut expected = served.baseline_quantities();
    let mut got: Vec<(String, f64)> = served_quantities(plan).into_iter().map(|(n, q, _)| (n, q)).collect();
    expected.sort_by(|a, b| a.0.cmp(&b.0));
    got.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(got, expected, "a fallback serves the baseline");
}

#[tokio::test]
async fn with_no_model_configured_the_plan_is_the_baseline_and_is_not_stored() {
    let app = TestApp::spawn().await;
    let k = kitchen_with_history(&app).await;

    let plan = app.get_ok(&format!("/api/v1/locations/{}/prep-list?date={DAY}", k.location_id)).await;

    assert_eq!(plan["source"], "baseline");
    assert_eq!(plan["provenance"]["plan_id"], Value::Null, "{plan}");
    assert_eq!(plan["provenance"]["attempts"], 0, "{plan}");
    assert_eq!(plan["provenance"]["model"], Value::Null, "{plan}");
    let staffing = app.get_ok(&format!("/api/v1/locations/{}/staffing?date={DAY}", k.location_id)).await;
    assert_eq!(staffing["source"], "baseline");
    assert_eq!(staffing["provenance"]["plan_id"], Value::Null, "{staffing}");
}

#[tokio::test]
async fn a_good_llm_answer_is_served_as_written_after_one_call() {
    let kitchen = LlmKitchen::new().await;
    let answer = kitchen.prep_answer_scaled(1.5);
    let served = kitchen.serve(vec![Reply::json(&answer)]).await;

    let plan = served.prep_list().await;

    assert_eq!(plan["source"], "llm", "{plan}");
    let p = &plan["provenance"];
    assert_eq!(p["attempts"], 1);
    assert_eq!(p["tokens_used"], 200, "120 prompt + 80 completion tokens, as the fake reports");
    assert_eq!(p["model"], "fake-model");
    assert_eq!(p["prompt_version"], "prep_list/v1");
    assert_eq!(p["fallback_reasons"], json!([]));
    assert_eq!(p["repairs"], json!([]));
    assert_eq!(p["summary"], "A steady Wednesday.");
    let served_lines = plan["stations"].as_array().unwrap().iter().flat_map(|s| s["items"].as_array().unwrap());
    assert_eq!(served_lines.clone().count(), 3, "{plan}");
    for line in served_lines {
        let name = line["name"].as_str().unwrap();
        let written = answer["items"].as_array().unwrap().iter().find(|i| i["prep_item"] == name).unwrap();
        let base = lines(&served.baseline).find(|l| l.name == name).unwrap();
        assert_eq!(line["suggested"], written["quantity"], "{name} is served as the model wrote it");
        assert_eq!(line["baseline_suggested"], base.suggested, "{name} keeps the baseline beside it");
        let start = DateTime::parse_from_rfc3339(line["start_by"].as_str().unwrap()).expect("an RFC 3339 time");
        assert_eq!(start, base.start_by, "{name} starts at the model's local time, in Paris");
        assert!(line["rationale"].as_str().unwrap().contains("batch"), "the baseline's numbers: {line}");
        assert_eq!(line["origin"], "model", "{line}");
        assert_eq!(line["model_reason"], "in line with the forecast", "{line}");
    }
    assert_eq!(p["changed_lines"], 3);
    let audit = served.audit(&plan).await;
    assert_eq!(outcomes(&audit), ["accepted"]);
    assert_eq!(issues(&audit, 0), []);
    assert_eq!(calls(&audit)[0]["raw_answer"], answer.to_string());
    assert_eq!(calls(&audit)[0]["finish_reason"], "stop");
    assert_eq!(audit["kind"], "prep_list");
    assert_eq!(served.fake.calls(), 1);
}

#[tokio::test]
async fn generating_the_llm_prep_list_again_asks_the_model_again_and_stores_a_new_plan() {
    let kitchen = LlmKitchen::new().await;
    let answer = kitchen.prep_answer();
    let served = kitchen.serve(vec![Reply::json(&answer)]).await;
    let first = served.prep_list().await;
    assert_eq!(served.fake.calls(), 1);

    let path = format!("/api/v1/locations/{}/prep-list/generate?date={DAY}", served.kitchen.location_id);
    let again = json_body(served.app.request(Method::POST, &path).await, StatusCode::OK).await;

    assert_eq!(again["source"], "llm", "{again}");
    assert_eq!(served.fake.calls(), 2);
    let (a, b) = (&first["provenance"]["plan_id"], &again["provenance"]["plan_id"]);
    assert!(a.is_i64() && b.is_i64() && a != b, "a new plan id: {a} then {b}");
    assert_eq!(outcomes(&served.audit(&again).await), ["accepted"]);
}
