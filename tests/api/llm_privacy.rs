//! Guests' personal data and the API key around the model: guest details never reach it,
//! names it writes back are redacted before anyone reads its answer, and the key is only ever
//! in the `Authorization` header.
use secrecy::SecretString;
use serde_json::{Value, json};

use crate::{
    fake_llm::{FakeLlm, Reply},
    helpers::{TestApp, reservation},
    llm::{DAY, LlmKitchen, audit, calls, kitchen_with_history, outcomes, reasons, test_settings},
    llm_requests::refusal,
};

/// A booking for 19:30 on [`DAY`] by `name`, with a phone, an email and `notes`.
pub fn booking(external_id: &str, name: &str, notes: &str) -> Value {
    let mut booking = reservation(external_id, &format!("{DAY}T19:30:00+01:00"), 4, "confirmed");
    booking["guest"] = json!({ "name": name, "phone": "+1 212 555 0199", "email": "zq@example.com", "notes": notes });
    booking
}

#[tokio::test]
async fn guest_details_of_reservations_never_reach_the_llm() {
    let fake = FakeLlm::start(vec![refusal()]).await;
    let app = TestApp::spawn_with_llm(test_settings(&fake.base_url)).await;
    let k = kitchen_with_history(&app).await;
    let batch = json!([booking("vip-1", "Zebulon Quartermaine", "allergic, call Zebulon")]);
    let ingested = app.ingest_reservations(k.location_id, batch).await;
    assert_eq!(ingested["created"], 1, "{ingested}");

    let prep = app.get_ok(&format!("/api/v1/locations/{}/prep-list?date={DAY}", k.location_id)).await;
    let staffing = app.get_ok(&format!("/api/v1/locations/{}/staffing?date={DAY}", k.location_id)).await;

    assert_eq!(prep["forecast"]["booked_covers"], 4.0, "the booking counts: {prep}");
    assert_eq!(staffing["source"], "fallback");
    let requests = fake.requests();
    assert_eq!(requests.len(), 2, "one call per plan");
    for request in &requests {
        let user = request["messages"][1]["content"].as_str().expect("a user prompt");
        assert!(user.contains("\"covers_booked\": 4"), "the booking is in the prompt, as a number: {user}");
        assert!(user.contains("\"parties_with_notes\": 1"), "the note is counted: {user}");
        let sent = request.to_string();
        for secret in
            ["Zebulon", "Quartermaine", "+1 212 555 0199", "555 0199", "zq@example.com", "allergic", "call [NAME]"]
        {
            assert!(!sent.contains(secret), "{secret:?} was sent to the model: {sent}");
        }
    }
}

#[tokio::test]
async fn a_guest_name_the_llm_writes_back_is_redacted_from_the_plan_and_the_audit() {
    let mut kitchen = LlmKitchen::new().await;
    kitchen.book(json!([booking("vip-1", "Zebulon Quartermaine", "window table")])).await;
    let mut answer = kitchen.prep_answer();
    answer["summary"] = json!("Zebulon Quartermaine's party of 4 at 19:30; call him on +1 212 555 0199.");
    answer["items"][0]["reason"] = json!("Extra for Mr Quartermaine");
    let served = kitchen.serve(vec![Reply::json(&answer)]).await;

    let plan = served.prep_list().await;

    assert_eq!(plan["source"], "llm", "the answer itself was right: {plan}");
    let summary = plan["provenance"]["summary"].as_str().expect("a summary");
    assert!(summary.contains("[NAME]") && summary.contains("party of 4 at 19:30"), "{summary}");
    let audit = served.audit(&plan).await;
    assert_eq!(outcomes(&audit), ["accepted"]);
    for shown in [plan.to_string(), audit.to_string()] {
        for secret in ["Zebulon", "Quartermaine", "555 0199"] {
            assert!(!shown.contains(secret), "{secret:?} is shown: {shown}");
        }
    }
    assert_eq!(served.fake.calls(), 1);
}

#[tokio::test]
async fn a_guest_who_shares_a_word_with_a_prep_item_does_not_spoil_the_llm_answer() {
    let mut kitchen = LlmKitchen::new().await;
    kitchen.book(json!([booking("vip-2", "Anna Burger", "birthday")])).await;
    let answer = kitchen.prep_answer();
    let served = kitchen.serve(vec![Reply::json(&answer)]).await;

    let plan = served.prep_list().await;

    let audit = served.audit(&plan).await;
    let raw = calls(&audit)[0]["raw_answer"].as_str().unwrap_or_default().to_owned();
    assert_eq!(
        plan["source"],
        "llm",
        "a valid answer naming \"Burger patties\"; reasons: {}; raw: {raw}",
        reasons(&plan)
    );
    assert_eq!(outcomes(&audit), ["accepted"]);
    assert_eq!(served.fake.calls(), 1);
}

#[tokio::test]
async fn the_llm_api_key_is_sent_as_a_bearer_token_and_never_shown() {
    let key = "sk-test-4f9a8b7c6d5e";
    let fake = FakeLlm::start(vec![Reply::status(401, "invalid api key")]).await;
    let mut settings = test_settings(&fake.base_url);
    settings.api_key = Some(SecretString::from(key));
    let app = TestApp::spawn_with_llm(settings).await;
    let k = kitchen_with_history(&app).await;

    let response = app.get(&format!("/api/v1/locations/{}/prep-list?date={DAY}", k.location_id)).await;
    let text = response.text().await.expect("a body");

    assert_eq!(fake.authorizations(), [Some(format!("Bearer {key}"))]);
    assert!(!text.contains(key), "the key is in the answer: {text}");
    let plan: Value = serde_json::from_str(&text).expect("a JSON plan");
    assert_eq!(plan["source"], "fallback");
    assert!(reasons(&plan).contains("HTTP 401"), "{plan}");
    let audit = audit(&app, &plan).await;
    assert!(!audit.to_string().contains(key), "the key is in the audit: {audit}");
}

/// Notes holding every kind of personal data the redactor knows of, and what the kitchen needs
/// from them.
const PLANTED_NOTES: [&str; 8] = [
    "Nut allergy (peanuts). Pay: Dmitri Nyberg, IBAN DE89 3704 0044 0532 0130 00",
    "Wheelchair user; write to maria dot lopez at gmail dot com or haruto.sato(at)web.de",
    "2 kids + high chair, call five five five, 867 5309 or o972 228 583",
    "Birthday cake for Mari Okafor; deliver to 26B Elm Avenue, Springfield IL 62704",
    "vegan x2, insta @amelia_eats, card 4111 1111 1111 1111",
    "Mrs Okafor's anniversary, gluten free, table 12 at 19:30, order #4471",
    "guide dog, ring 020 7946 0018, flat 3, 10 Downing Street, London SW1A 2AA",
    "halal, Zebulon joins later, bill to Ivan Petrov +7 495 123-45-67",
];

/// Both plans of [`DAY`] asked of a model that refuses, with [`PLANTED_NOTES`] booked by Maria
/// Okafor and the notes' text sent as `note_text` says; the requests the model got.
async fn plans_with_planted_notes(note_text: sous::config::NoteText) -> Vec<Value> {
    let fake = FakeLlm::start(vec![refusal(), refusal()]).await;
    let mut settings = test_settings(&fake.base_url);
    settings.note_text = note_text;
    let app = TestApp::spawn_with_llm(settings).await;
    let k = kitchen_with_history(&app).await;
    let batch: Vec<Value> = PLANTED_NOTES
        .iter()
        .enumerate()
        .map(|(i, note)| booking(&format!("planted-{i}"), "Maria Okafor", note))
        .collect();
    let ingested = app.ingest_reservations(k.location_id, json!(batch)).await;
    assert_eq!(ingested["created"], PLANTED_NOTES.len(), "{ingested}");
    app.get_ok(&format!("/api/v1/locations/{}/prep-list?date={DAY}", k.location_id)).await;
    app.get_ok(&format!("/api/v1/locations/{}/staffing?date={DAY}", k.location_id)).await;
    fake.requests()
}

#[tokio::test]
async fn by_default_the_model_gets_the_counts_of_the_notes_and_none_of_their_text() {
    let requests = plans_with_planted_notes(sous::config::NoteText::None).await;
    assert_eq!(requests.len(), 2, "one call per plan");
    for request in &requests {
        let user = request["messages"][1]["content"].as_str().expect("a user prompt");
        let after = user.split("reservation notes").nth(1).expect("the notes block");
        let block = &after[after.find('{').expect("a JSON block")..=after.rfind('}').expect("its end")];
        let notes: Value = serde_json::from_str(block).expect("the notes block is JSON");
        // Counts and nothing else: an hour, a number of parties, and named counts.
        assert_eq!(notes.as_object().map(|o| o.len()), Some(1), "only `by_hour`: {notes}");
        for hour in notes["by_hour"].as_array().expect("by_hour") {
            for (key, value) in hour.as_object().expect("an hour") {
                match value {
                    Value::Number(_) => assert!(["hour", "parties_with_notes"].contains(&key.as_str()), "{key}"),
                    Value::Object(counts) => assert!(counts.values().all(Value::is_u64), "{key}: {value}"),
                    other => panic!("{key} is neither a count nor counts: {other}"),
                }
            }
        }
        let hour = &notes["by_hour"][0];
        assert_eq!(hour["parties_with_notes"], 8, "{notes}");
        assert_eq!((&hour["allergens"]["nuts"], &hour["diets"]["vegan"]), (&json!(1), &json!(1)), "{notes}");
        assert_eq!((&hour["accessibility"]["wheelchair"], &hour["party"]["children"]), (&json!(1), &json!(1)));
        assert_eq!(hour["occasions"]["birthday"], 1, "{notes}");
        let sent = request.to_string().to_lowercase();
        for secret in
            ["nyberg", "3704", "lopez", "haruto", "5309", "okafor", "elm avenue", "amelia", "7946", "petrov", "4111"]
        {
            assert!(!sent.contains(secret), "{secret:?} was sent to the model");
        }
    }
}

#[tokio::test]
async fn with_the_opt_in_the_model_gets_the_notes_redacted_whole() {
    let requests = plans_with_planted_notes(sous::config::NoteText::Redacted).await;
    let user = requests[0]["messages"][1]["content"].as_str().expect("a user prompt");
    for placeholder in ["[NAME]", "[IBAN]", "[EMAIL]", "[PHONE]", "[ADDRESS]", "[HANDLE]", "[CARD]"] {
        assert!(user.contains(placeholder), "{placeholder} is in the prompt: {user}");
    }
    assert!(user.contains("table 12 at 19:30, order #4471"), "the kitchen's facts stay: {user}");
    let sent = requests[0].to_string().to_lowercase();
    for secret in [
        "nyberg",
        "dmitri",
        "3704",
        "lopez",
        "haruto",
        "5309",
        "o972",
        "okafor",
        "mari ",
        "elm avenue",
        "62704",
        "amelia",
        "4111",
        "7946",
        "downing",
        "sw1a",
        "zebulon",
        "petrov",
        "123-45-67",
    ] {
        assert!(!sent.contains(secret), "{secret:?} was sent to the model");
    }
}

#[tokio::test]
async fn a_note_holding_every_placeholder_reaches_the_prompt_as_text() {
    let fake = FakeLlm::start(vec![refusal(), refusal()]).await;
    // Sending the notes' text is an opt-in.
    let mut settings = test_settings(&fake.base_url);
    settings.note_text = sous::config::NoteText::Redacted;
    let app = TestApp::spawn_with_llm(settings).await;
    let k = kitchen_with_history(&app).await;
    let placeholders = [
        "notes",
        "schema_block",
        "location",
        "date",
        "weekday",
        "opens",
        "closes",
        "timezone",
        "forecast",
        "hours",
        "bookings",
        "items",
        "roles",
        "blocks",
        "issues",
    ];
    let note: String = placeholders.iter().map(|name| format!("{{{{{name}}}}}")).collect::<Vec<_>>().join(" ");
    let ingested =
        app.ingest_reservations(k.location_id, json!([booking("tpl-1", "Zebulon Quartermaine", &note)])).await;
    assert_eq!(ingested["created"], 1, "{ingested}");

    app.get_ok(&format!("/api/v1/locations/{}/prep-list?date={DAY}", k.location_id)).await;
    app.get_ok(&format!("/api/v1/locations/{}/staffing?date={DAY}", k.location_id)).await;

    let requests = fake.requests();
    assert_eq!(requests.len(), 2, "one call per plan");
    for request in &requests {
        let user = request["messages"][1]["content"].as_str().expect("a user prompt");
        assert!(user.contains(&note), "the note is not verbatim in the prompt: {user}");
        assert_eq!(user.matches(&note).count(), 1, "the note was expanded or repeated: {user}");
    }
}

#[tokio::test]
async fn no_prompt_of_any_kind_or_output_mode_has_an_unfilled_placeholder() {
    use sous::config::OutputMode;
    for mode in [OutputMode::JsonSchema, OutputMode::JsonObject, OutputMode::Prompt] {
        // Per plan: an unreadable answer, so the re-ask is rendered too, then a refusal.
        let script = vec![Reply::content("not json"), refusal(), Reply::content("not json"), refusal()];
        let fake = FakeLlm::start(script).await;
        let mut settings = test_settings(&fake.base_url);
        settings.output_mode = mode;
        let app = TestApp::spawn_with_llm(settings).await;
        let k = kitchen_with_history(&app).await;
        app.get_ok(&format!("/api/v1/locations/{}/prep-list?date={DAY}", k.location_id)).await;
        app.get_ok(&format!("/api/v1/locations/{}/staffing?date={DAY}", k.location_id)).await;

        let requests = fake.requests();
        assert_eq!(requests.len(), 4, "{mode:?}: a first ask and a re-ask per plan");
        for request in &requests {
            let messages = request["messages"].as_array().expect("messages");
            for message in messages {
                let text = message["content"].as_str().unwrap_or_default();
                assert!(sous::prompt::unfilled(text).is_empty(), "{mode:?}: unfilled placeholder in {text}");
            }
        }
        assert!(requests.iter().any(|r| r["messages"].as_array().is_some_and(|m| m.len() == 4)), "a re-ask was sent");
    }
}
