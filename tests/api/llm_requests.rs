//! What Sous sends the model: the prompt and, in each output mode, the `response_format` and
//! where the schema goes.
use serde_json::{Value, json};
use sous::config::{LlmSettings, OutputMode, TokenLimitField};

use crate::{
    fake_llm::{FakeLlm, Reply},
    helpers::TestApp,
    llm::{DAY, kitchen_with_history, test_settings},
};

/// A refusal: one call per plan, whatever the prompt.
pub fn refusal() -> Reply {
    Reply::completion(json!({"role": "assistant", "content": null, "refusal": "no"}), "stop", 10, 1)
}

/// A server with the model at `settings`, a kitchen with history, and one prep list asked for.
async fn one_prep_list(fake: &FakeLlm, tune: impl FnOnce(&mut LlmSettings)) {
    let mut settings = test_settings(&fake.base_url);
    tune(&mut settings);
    let app = TestApp::spawn_with_llm(settings).await;
    let k = kitchen_with_history(&app).await;
    let plan = app.get_ok(&format!("/api/v1/locations/{}/prep-list?date={DAY}", k.location_id)).await;
    assert_eq!(plan["source"], "fallback", "the model refused: {plan}");
    assert_eq!(fake.calls(), 1);
}

fn system_prompt(request: &Value) -> &str {
    let system = &request["messages"][0];
    assert_eq!(system["role"], "system", "{request}");
    system["content"].as_str().expect("a system prompt")
}

#[tokio::test]
async fn the_llm_request_asks_for_strict_json_schema_output_by_default() {
    let fake = FakeLlm::start(vec![refusal()]).await;
    one_prep_list(&fake, |_| {}).await;

    let request = &fake.requests()[0];

    assert_eq!(request["model"], "fake-model");
    assert_eq!(request["max_tokens"], 2000);
    assert!((request["temperature"].as_f64().expect("a temperature") - 0.2).abs() < 1e-6, "{request}");
    assert_eq!(request["stream"], false);
    let format = &request["response_format"];
    assert_eq!(format["type"], "json_schema", "{request}");
    assert_eq!(format["json_schema"]["name"], "prep_list");
    assert_eq!(format["json_schema"]["strict"], true);
    let schema = &format["json_schema"]["schema"];
    assert_eq!(schema["additionalProperties"], false, "{schema}");
    assert_eq!(schema["properties"]["items"]["items"]["additionalProperties"], false, "{schema}");
    assert_eq!(schema["required"], json!(["items", "summary"]));
    assert!(!system_prompt(request).contains("additionalProperties"), "the schema travels in response_format only");
    let user = request["messages"][1]["content"].as_str().expect("a user prompt");
    assert!(user.contains("Burger patties") && user.contains("baseline_quantity"), "{user}");
}

#[tokio::test]
async fn the_llm_request_can_name_the_limit_max_completion_tokens_and_leave_the_temperature_out() {
    let fake = FakeLlm::start(vec![refusal()]).await;
    one_prep_list(&fake, |s| {
        s.token_limit_field = TokenLimitField::MaxCompletionTokens;
        s.temperature = None;
    })
    .await;

    let request = &fake.requests()[0];

    assert_eq!(request["max_completion_tokens"], 2000, "{request}");
    assert!(request.get("max_tokens").is_none(), "{request}");
    assert!(request.get("temperature").is_none(), "{request}");
}

#[tokio::test]
async fn in_json_object_mode_the_llm_request_carries_the_schema_beside_json_mode() {
    let fake = FakeLlm::start(vec![refusal()]).await;
    one_prep_list(&fake, |s| s.output_mode = OutputMode::JsonObject).await;

    let request = &fake.requests()[0];

    let format = request["response_format"].as_object().expect("a response_format");
    assert_eq!(format.len(), 2, "type and schema: {format:?}");
    assert_eq!(format["type"], "json_object");
    assert_eq!(format["schema"]["additionalProperties"], false);
    assert!(format["schema"]["properties"]["items"].is_object(), "{format:?}");
    assert!(system_prompt(request).contains("\"additionalProperties\": false"), "and in the system prompt");
}

#[tokio::test]
async fn in_prompt_mode_the_llm_schema_is_in_the_system_prompt_only() {
    let fake = FakeLlm::start(vec![refusal()]).await;
    one_prep_list(&fake, |s| s.output_mode = OutputMode::Prompt).await;

    let request = &fake.requests()[0];

    assert!(request.get("response_format").is_none(), "{request}");
    let system = system_prompt(request);
    assert!(system.contains("must match this JSON schema"), "{system}");
    assert!(system.contains("\"prep_item\"") && system.contains("\"additionalProperties\": false"), "{system}");
}
