//! When the model endpoint, rather than the answer, is the problem: refusals, empty or cut-off
//! answers, HTTP errors and retries, hangs, resets, the token budget and the plan's deadline.
use std::time::Duration;

use serde_json::{Value, json};

use crate::{
    fake_llm::Reply,
    llm::{DAY, LlmKitchen, Served, assert_fallback, audit, calls, outcomes, reasons, test_settings},
};

/// A chat completion with no choices at all.
fn no_choices() -> Reply {
    Reply::Http {
        status: 200,
        headers: vec![],
        body: json!({
            "id": "chatcmpl-test", "object": "chat.completion", "created": 1_760_000_000, "model": "fake-model",
            "choices": [],
            "usage": {"prompt_tokens": 120, "completion_tokens": 0, "total_tokens": 120}
        }),
    }
}

/// Asserts a fallback after exactly one call that ended with `outcome`; returns the audit.
async fn falls_back_after_one_call(served: &Served, plan: &Value, outcome: &str) -> Value {
    assert_fallback(served, plan);
    assert_eq!(plan["provenance"]["attempts"], 1, "{plan}");
    let audit = served.audit(plan).await;
    assert_eq!(outcomes(&audit), [outcome], "{audit}");
    audit
}

#[tokio::test]
async fn an_llm_refusal_falls_back_without_asking_again() {
    let kitchen = LlmKitchen::new().await;
    let refusal = json!({"role": "assistant", "content": null, "refusal": "I can't help with that"});
    let served = kitchen.serve(vec![Reply::completion(refusal, "stop", 120, 8)]).await;

    let plan = served.prep_list().await;

    let audit = falls_back_after_one_call(&served, &plan, "refused").await;
    // Users read Sous's words; the refusal itself is for reviewers, in the audit.
    assert_eq!(reasons(&plan), "the model refused to answer; see this plan's audit", "{plan}");
    assert!(!plan.to_string().contains("I can't help"), "{plan}");
    assert!(audit.to_string().contains("the model refused: I can't help with that"), "{audit}");
    assert_eq!(plan["provenance"]["tokens_used"], 128);
    assert_eq!(calls(&audit)[0]["raw_answer"], Value::Null);
    assert_eq!(served.fake.calls(), 1);
}

#[tokio::test]
async fn an_llm_completion_with_no_choices_falls_back_as_empty() {
    let kitchen = LlmKitchen::new().await;
    let served = kitchen.serve(vec![no_choices()]).await;

    let plan = served.prep_list().await;

    falls_back_after_one_call(&served, &plan, "empty").await;
    assert!(reasons(&plan).contains("no choices"), "{plan}");
    assert_eq!(served.fake.calls(), 1);
}

#[tokio::test]
async fn an_llm_answer_cut_off_at_the_token_limit_falls_back_as_truncated() {
    let kitchen = LlmKitchen::new().await;
    let whole = kitchen.prep_answer().to_string();
    let message = json!({"role": "assistant", "content": &whole[..whole.len() / 2]});
    let served = kitchen.serve(vec![Reply::completion(message, "length", 120, 2000)]).await;

    let plan = served.prep_list().await;

    let audit = falls_back_after_one_call(&served, &plan, "truncated").await;
    assert!(reasons(&plan).contains("cut off at the limit of 2000 tokens"), "{plan}");
    assert_eq!(calls(&audit)[0]["finish_reason"], "length");
    assert_eq!(served.fake.calls(), 1);
}

#[tokio::test]
async fn an_empty_llm_answer_falls_back_without_asking_again() {
    let kitchen = LlmKitchen::new().await;
    let served = kitchen.serve(vec![Reply::content("  ")]).await;

    let plan = served.prep_list().await;

    falls_back_after_one_call(&served, &plan, "empty").await;
    assert!(reasons(&plan).contains("empty answer"), "{plan}");
    assert_eq!(served.fake.calls(), 1);
}

#[tokio::test]
async fn an_llm_server_error_is_retried_within_the_same_call() {
    let kitchen = LlmKitchen::new().await;
    let answer = kitchen.prep_answer();
    let served = kitchen.serve(vec![Reply::status(500, "overloaded"), Reply::json(&answer)]).await;

    let plan = served.prep_list().await;

    assert_eq!(plan["source"], "llm", "{plan}");
    assert_eq!(plan["provenance"]["attempts"], 1);
    assert_eq!(outcomes(&served.audit(&plan).await), ["accepted"], "HTTP retries are inside one call");
    assert_eq!(served.fake.calls(), 2);
}

#[tokio::test]
async fn an_llm_rate_limit_is_retried_after_the_time_it_asks_for() {
    let kitchen = LlmKitchen::new().await;
    let answer = kitchen.prep_answer();
    let limited = Reply::status(429, "slow down").with_header("retry-after", "1");
    let served = kitchen.serve(vec![limited, Reply::json(&answer)]).await;

    let plan = served.prep_list().await;

    assert_eq!(plan["source"], "llm", "{plan}");
    assert_eq!(outcomes(&served.audit(&plan).await), ["accepted"]);
    assert_eq!(served.fake.calls(), 2);
}

#[tokio::test]
async fn an_llm_server_failing_past_the_retries_falls_back_after_one_call() {
    let kitchen = LlmKitchen::new().await;
    let served = kitchen.serve(vec![Reply::status(503, "overloaded")]).await;

    let plan = served.prep_list().await;

    falls_back_after_one_call(&served, &plan, "error").await;
    assert!(reasons(&plan).contains("HTTP 503"), "{plan}");
    assert_eq!(served.fake.calls(), 3, "the request and its two retries");
}

#[tokio::test]
async fn an_llm_rate_limit_longer_than_the_deadline_falls_back_at_the_deadline() {
    let kitchen = LlmKitchen::new().await;
    let limited = Reply::status(429, "slow down").with_header("retry-after", "30");
    let served = kitchen.serve_with(vec![limited], |s| s.deadline = Duration::from_secs(1)).await;

    let plan = served.prep_list().await;

    falls_back_after_one_call(&served, &plan, "deadline").await;
    assert_eq!(served.fake.calls(), 1, "the retry was still waiting when the deadline passed");
}

#[tokio::test]
async fn an_unreachable_llm_endpoint_falls_back() {
    let kitchen = LlmKitchen::new().await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = closed.local_addr().expect("an address").port();
    drop(closed);
    let location_id = kitchen.kitchen.location_id;
    let app = kitchen.app.with_llm(test_settings(&format!("http://127.0.0.1:{port}/v1"))).await;

    let plan = app.get_ok(&format!("/api/v1/locations/{location_id}/prep-list?date={DAY}")).await;

    assert_eq!(plan["source"], "fallback", "{plan}");
    assert_eq!(plan["provenance"]["attempts"], 1, "connection retries are inside one call: {plan}");
    assert!(reasons(&plan).contains("could not reach the model endpoint"), "{plan}");
    assert_eq!(outcomes(&audit(&app, &plan).await), ["error"]);
}

#[tokio::test]
async fn refused_llm_credentials_fall_back_without_a_retry() {
    let kitchen = LlmKitchen::new().await;
    let served = kitchen.serve(vec![Reply::status(401, "invalid key sk-upstream-detail")]).await;

    let plan = served.prep_list().await;

    let audit = falls_back_after_one_call(&served, &plan, "error").await;
    assert!(reasons(&plan).contains("HTTP 401"), "{plan}");
    assert!(!reasons(&plan).contains("sk-upstream-detail"), "the endpoint's own text is not passed on: {plan}");
    let issue = &calls(&audit)[0]["issues"][0];
    assert_eq!((&issue["path"], &issue["message"]), (&json!(""), &json!(reasons(&plan))), "{audit}");
    assert_eq!(served.fake.calls(), 1);
}

#[tokio::test]
async fn a_rejected_llm_request_falls_back_without_a_retry() {
    let kitchen = LlmKitchen::new().await;
    let served = kitchen.serve(vec![Reply::status(400, "response_format is not supported")]).await;

    let plan = served.prep_list().await;

    falls_back_after_one_call(&served, &plan, "error").await;
    assert!(reasons(&plan).contains("HTTP 400"), "{plan}");
    assert_eq!(served.fake.calls(), 1);
}

#[tokio::test]
async fn an_llm_that_hangs_past_the_request_timeout_falls_back() {
    let kitchen = LlmKitchen::new().await;
    let served = kitchen.serve_with(vec![Reply::Hang], |s| s.request_timeout = Duration::from_millis(300)).await;

    let plan = served.prep_list().await;

    falls_back_after_one_call(&served, &plan, "error").await;
    assert!(reasons(&plan).contains("did not answer within 300ms"), "{plan}");
    assert_eq!(served.fake.calls(), 1);
}

#[tokio::test]
async fn an_llm_connection_reset_falls_back() {
    let kitchen = LlmKitchen::new().await;
    let served = kitchen.serve(vec![Reply::Reset]).await;

    let plan = served.prep_list().await;

    falls_back_after_one_call(&served, &plan, "error").await;
    assert_eq!(served.fake.calls(), 1, "a reset after the request was sent is not retried");
}

#[tokio::test]
async fn an_llm_call_that_would_exceed_the_token_budget_is_not_made() {
    let kitchen = LlmKitchen::new().await;
    let mut answer = kitchen.prep_answer();
    answer["items"][0]["prep_item"] = json!("Truffle foam");
    let message = json!({"role": "assistant", "content": answer.to_string()});
    // The first call reports 9 800 tokens: any re-ask (at least max_tokens) would pass 10 000.
    let served = kitchen
        .serve_with(vec![Reply::completion(message, "stop", 9_000, 800)], |s| {
            s.token_budget = 10_000;
            s.max_tokens = 500;
        })
        .await;

    let plan = served.prep_list().await;

    let audit = falls_back_after_one_call(&served, &plan, "invalid").await;
    assert!(reasons(&plan).contains("token budget of 10000"), "{plan}");
    assert_eq!(plan["provenance"]["tokens_used"], 9_800);
    assert_eq!(calls(&audit)[0]["total_tokens"], 9_800);
    assert_eq!(served.fake.calls(), 1);
}

#[tokio::test]
async fn an_llm_token_budget_too_small_for_one_call_falls_back_without_calling() {
    let kitchen = LlmKitchen::new().await;
    let answer = kitchen.prep_answer();
    let served = kitchen.serve_with(vec![Reply::json(&answer)], |s| s.token_budget = 100).await;

    let plan = served.prep_list().await;

    assert_fallback(&served, &plan);
    assert!(reasons(&plan).contains("token budget of 100"), "{plan}");
    assert_eq!(plan["provenance"]["attempts"], 0);
    assert_eq!(calls(&served.audit(&plan).await).len(), 0);
    assert_eq!(served.fake.calls(), 0);
}

#[tokio::test]
async fn an_llm_plan_past_its_deadline_falls_back() {
    let kitchen = LlmKitchen::new().await;
    let served = kitchen
        .serve_with(vec![Reply::Hang], |s| {
            s.deadline = Duration::from_secs(1);
            s.request_timeout = Duration::from_secs(5);
        })
        .await;

    let plan = served.prep_list().await;

    falls_back_after_one_call(&served, &plan, "deadline").await;
    assert!(reasons(&plan).contains("deadline of 1s"), "{plan}");
    assert_eq!(served.fake.calls(), 1);
}
