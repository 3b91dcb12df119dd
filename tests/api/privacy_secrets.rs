//! The model's API key: sent as the `Authorization` header and shown nowhere else, whatever the
//! endpoint answers (refused credentials, a good answer, a server error).
use reqwest::{Method, StatusCode};
use secrecy::SecretString;
use serde_json::json;
use sous::llm::LlmClient;

use crate::{
    fake_llm::Reply,
    llm::{DAY, LlmKitchen, reasons, test_settings},
    privacy_guests::Seen,
};

const KEY: &str = "sk-test-PLANTED-KEY-123";

#[tokio::test]
async fn the_llm_api_key_is_only_ever_in_the_authorization_header() {
    let kitchen = LlmKitchen::new().await;
    let script = vec![
        Reply::status(401, &format!("Incorrect API key provided: {KEY}")),
        Reply::json(&kitchen.prep_answer()),
        Reply::status(500, "overloaded"),
    ];
    let served = kitchen.serve_with(script, |s| s.api_key = Some(SecretString::from(KEY))).await;
    let (app, location) = (&served.app, served.kitchen.location_id);
    let path = |what: &str| format!("/api/v1/locations/{location}/{what}?date={DAY}");
    let mut seen = Seen::default();

    let refused = seen.ok("prep list after a 401", app.get(&path("prep-list")).await).await;
    let accepted = seen.ok("prep list again", app.request(Method::POST, &path("prep-list/generate")).await).await;
    let failed = seen.ok("staffing plan after 500s", app.get(&path("staffing")).await).await;

    assert_eq!(refused["source"], "fallback", "{refused}");
    assert!(reasons(&refused).contains("HTTP 401"), "{refused}");
    assert_eq!(accepted["source"], "llm", "{accepted}");
    assert_eq!(failed["source"], "fallback", "{failed}");
    assert!(reasons(&failed).contains("HTTP 500"), "{failed}");
    for plan in [&refused, &accepted, &failed] {
        seen.audit(app, plan).await;
    }
    let (status, _) =
        seen.read("a bad date", app.get(&format!("/api/v1/locations/{location}/prep-list?date=soon")).await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let bearer = Some(format!("Bearer {KEY}"));
    assert_eq!(served.fake.authorizations(), vec![bearer; 5], "the 401, the good answer, the 500 and its 2 retries");
    seen.model_requests(&served.fake);
    seen.stored_rows(app).await;
    let mut settings = test_settings(&served.fake.base_url);
    settings.api_key = Some(SecretString::from(KEY));
    seen.add("Debug of the settings", format!("{settings:?}"));
    seen.add("Debug of the client", format!("{:?}", LlmClient::new(settings).expect("a client")));
    seen.logs();
    seen.assert_none_of(&[KEY, "PLANTED-KEY-123"]);
}

#[tokio::test]
async fn an_llm_error_page_that_repeats_the_api_key_is_not_logged() {
    let key = "sk-test-PLANTED-KEY-ECHOED-456";
    let kitchen = LlmKitchen::new().await;
    // Gateways and proxies in front of a model sometimes print the request's credentials back,
    // in OpenAI's error envelope or in one of their own.
    let server_error = Reply::status(500, &format!("upstream failed for Authorization: Bearer {key}"));
    let own_envelope =
        Reply::Http { status: 400, headers: vec![], body: json!({ "detail": format!("bad key {key}") }) };
    let script = vec![server_error.clone(), server_error.clone(), server_error, own_envelope];
    let served = kitchen.serve_with(script, |s| s.api_key = Some(SecretString::from(key))).await;
    let location = served.kitchen.location_id;
    let (path, generate) = (
        format!("/api/v1/locations/{location}/prep-list?date={DAY}"),
        format!("/api/v1/locations/{location}/prep-list/generate?date={DAY}"),
    );
    let mut seen = Seen::default();

    let plan = seen.ok("prep list after 500s", served.app.get(&path).await).await;
    let again = seen.ok("prep list after a 400", served.app.request(Method::POST, &generate).await).await;

    assert_eq!(plan["source"], "fallback", "{plan}");
    assert!(reasons(&plan).contains("HTTP 500"), "{plan}");
    assert_eq!(again["source"], "fallback", "{again}");
    assert_eq!(served.fake.calls(), 4, "the 500, its 2 retries and the 400");
    for plan in [&plan, &again] {
        seen.audit(&served.app, plan).await;
    }
    seen.stored_rows(&served.app).await;
    seen.logs();
    seen.assert_none_of(&[key, "PLANTED-KEY-ECHOED-456"]);
}
