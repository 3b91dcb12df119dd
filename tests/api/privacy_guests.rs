//! Guests' personal data end to end: planted in reservations, it must never leave Sous (not
//! to the model, not in any answer, stored row or log line), while the kitchen's signal in the
//! notes (allergens, occasions, the redacted notes themselves) still reaches the model.
use reqwest::{Method, Response, StatusCode};
use sea_orm::EntityTrait;
use serde_json::{Value, json};

use crate::{
    fake_llm::{FakeLlm, Reply},
    helpers::{TestApp, captured_logs, reservation},
    llm::{DAY, LlmKitchen, kitchen_with_history, test_settings},
    llm_requests::refusal,
};

/// Everything Sous let out during a test, each text labelled with where it was seen.
#[derive(Default)]
pub struct Seen(Vec<(String, String)>);

impl Seen {
    pub fn add(&mut self, place: impl Into<String>, text: impl Into<String>) {
        self.0.push((place.into(), text.into()));
    }

    /// Records the response's body and returns its status and JSON (`null` when not JSON).
    pub async fn read(&mut self, place: &str, response: Response) -> (StatusCode, Value) {
        let status = response.status();
        let text = response.text().await.expect("read the response body");
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        self.add(format!("{place} (HTTP {status})"), text);
        (status, body)
    }

    /// Like [`Seen::read`], for a response that must be a 200.
    pub async fn ok(&mut self, place: &str, response: Response) -> Value {
        let (status, body) = self.read(place, response).await;
        assert_eq!(status, StatusCode::OK, "{place}: {body}");
        body
    }

    /// Records the audit trail of `plan`.
    pub async fn audit(&mut self, app: &TestApp, plan: &Value) -> Value {
        let id = plan["provenance"]["plan_id"].as_i64().unwrap_or_else(|| panic!("no plan id: {plan}"));
        self.ok(&format!("audit of plan {id}"), app.get(&format!("/api/v1/plans/{id}/audit")).await).await
    }

    /// Records every request body the fake model received.
    pub fn model_requests(&mut self, fake: &FakeLlm) {
        for (i, request) in fake.requests().iter().enumerate() {
            self.add(format!("request {} to the model", i + 1), request.to_string());
        }
    }

    /// Records every stored plan and model call: `plans.body`, `llm_calls.raw_answer` and
    /// `llm_calls.issues` on their own, and each whole row.
    pub async fn stored_rows(&mut self, app: &TestApp) {
        let plans = entity::plan::Entity::find().all(app.db()).await.expect("read the plans");
        let calls = entity::llm_call::Entity::find().all(app.db()).await.expect("read the model calls");
        assert!(!plans.is_empty() && !calls.is_empty(), "plans and their calls are stored");
        for plan in plans {
            self.add(format!("plans.body of plan {}", plan.id), plan.body.to_string());
            self.add(format!("plans.fallback_reasons of plan {}", plan.id), plan.fallback_reasons.to_string());
            self.add(format!("plans row {}", plan.id), format!("{plan:?}"));
        }
        for call in calls {
            let place = format!("llm_calls row {} (plan {}, attempt {})", call.id, call.plan_id, call.attempt);
            self.add(format!("raw_answer of {place}"), call.raw_answer.clone().unwrap_or_default());
            self.add(format!("issues of {place}"), call.issues.to_string());
            self.add(place, format!("{call:?}"));
        }
    }

    /// Records the logs of the whole test process so far.
    pub fn logs(&mut self) {
        self.add("captured logs", captured_logs());
    }

    /// Fails listing every planted value found (ignoring case) and where, with its context.
    pub fn assert_none_of(&self, planted: &[&str]) {
        let mut leaks = Vec::new();
        for (place, text) in &self.0 {
            let lower = text.to_lowercase();
            for value in planted {
                if let Some(at) = lower.find(&value.to_lowercase()) {
                    // Shown as written when lowercasing kept every byte offset.
                    let shown = if lower.len() == text.len() { text } else { &lower };
                    leaks.push(format!("{value:?} in {place}: …{}…", around(shown, at, value.len())));
                }
            }
        }
        assert!(leaks.is_empty(), "planted data was let out:\n{}", leaks.join("\n"));
    }
}

/// Up to 80 bytes either side of `text[at..at + len]`, cut at character boundaries.
fn around(text: &str, at: usize, len: usize) -> &str {
    let mut start = at.saturating_sub(80);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (at + len + 80).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    &text[start..end]
}

/// Four bookings at 19:30 on [`DAY`] whose guest fields and notes carry personal data of every
/// kind, around what the kitchen needs: two nut allergies, a shellfish one, gluten free and
/// vegan guests, a birthday with a cake, an anniversary and a business dinner.
fn planted_bookings() -> Value {
    let guests = [
        (
            "Máiréad O'Shaughnessy",
            "(718) 555-0173",
            "mairead.oshaughnessy@planted.example",
            "Máiréad's birthday, bring the cake at 9pm. Two guests with a nut allergy. Call Mairead on \
             (718) 555-0173 or mairead.oshaughnessy@planted.example. MS O'SHAUGHNESSY paid the deposit with \
             4539 1488 0343 6467.",
        ),
        (
            "Thaddeus Wolfenbarger",
            "+44 20 7946 0321",
            "thaddeus.w@planted-mail.test",
            "Anniversary dinner for Mr. Wolfenbarger, shellfish allergy (one guest). Mobile +44 20 7946 0321. \
             Card on file 5425-2334-3010-9903. thaddeus.w@planted-mail.test",
        ),
        (
            "Ngozi Adeyemi-Okoro",
            "+14155550127",
            "ngozi.ao@planted.example",
            "Gluten free x2, one vegan, high-chair. Ask for Ngozi at the host stand; text +14155550127. \
             Amex 371449635398431 for the wine.",
        ),
        (
            "Cressida Vantongeren",
            "07700 900461",
            "cv@planted-mail.test",
            "Business dinner, booked by her assistant; name is Percival Dunsmore. No nuts in the dessert please. \
             Mr Dunsmore's email p.dunsmore@planted.example",
        ),
    ];
    let bookings = guests.iter().enumerate().map(|(i, (name, phone, email, notes))| {
        let mut booking = reservation(&format!("planted-{i}"), &format!("{DAY}T19:30:00+01:00"), 4, "confirmed");
        booking["guest"] = json!({ "name": name, "phone": phone, "email": email, "notes": notes });
        booking
    });
    Value::Array(bookings.collect())
}

/// Every value planted by [`planted_bookings`], in the forms it could be copied in: names and
/// their parts (with and without accents), phones and cards as written and as bare digits,
/// email addresses and their domains.
const PLANTED: &[&str] = &[
    "máiréad",
    "mairead",
    "shaughnessy",
    "thaddeus",
    "wolfenbarger",
    "ngozi",
    "adeyemi",
    "okoro",
    "cressida",
    "vantongeren",
    "percival",
    "dunsmore",
    "(718) 555-0173",
    "718) 555-0173",
    "7185550173",
    "+44 20 7946 0321",
    "7946 0321",
    "442079460321",
    "+14155550127",
    "4155550127",
    "07700 900461",
    "07700900461",
    "planted.example",
    "planted-mail.test",
    "4539 1488 0343 6467",
    "4539148803436467",
    "0343 6467",
    "5425-2334-3010-9903",
    "5425233430109903",
    "3010-9903",
    "371449635398431",
];

/// `answer` with its summary and first reason written as a model that copied guest data would.
fn echoing(mut answer: Value, summary: &str, reason: Option<&str>) -> Value {
    answer["summary"] = json!(summary);
    if let Some(reason) = reason {
        answer["items"][0]["reason"] = json!(reason);
    }
    answer
}

/// The model's reasons on a served prep list's lines, joined.
fn model_reasons(plan: &Value) -> String {
    let stations = plan["stations"].as_array().unwrap_or_else(|| panic!("no stations: {plan}"));
    let lines = stations.iter().flat_map(|s| s["items"].as_array().into_iter().flatten());
    lines.filter_map(|l| l["model_reason"].as_str()).collect::<Vec<_>>().join(" | ")
}

#[tokio::test]
async fn planted_guest_data_never_leaves_sous_while_the_notes_signal_reaches_the_llm() {
    let mut kitchen = LlmKitchen::new().await;
    kitchen.book(planted_bookings()).await;
    let echo_prep = echoing(
        kitchen.prep_answer(),
        "Máiréad O'Shaughnessy's birthday cake at 9pm (call (718) 555-0173, mairead.oshaughnessy@planted.example, \
         card 4539 1488 0343 6467); Mr Wolfenbarger can be reached on +44 20 7946 0321.",
        Some("Extra for Ngozi Adeyemi-Okoro's table: text +14155550127, Amex 371449635398431"),
    );
    let echo_staffing = echoing(
        kitchen.staffing_answer(),
        "Thaddeus Wolfenbarger's anniversary (card 5425-2334-3010-9903, thaddeus.w@planted-mail.test); \
         ask for Percival Dunsmore, mobile 07700 900461.",
        None,
    );
    let script = [kitchen.prep_answer(), kitchen.staffing_answer(), echo_prep, echo_staffing];
    let served = kitchen.serve(script.iter().map(Reply::json).collect()).await;
    let (app, location) = (&served.app, served.kitchen.location_id);
    let mut seen = Seen::default();

    let resent = seen.ok("the same batch again", app.post_reservations(location, planted_bookings()).await).await;
    assert_eq!(resent["unchanged"], 4, "{resent}");
    let path = |what: &str| format!("/api/v1/locations/{location}/{what}?date={DAY}");
    let prep = seen.ok("prep list", app.get(&path("prep-list")).await).await;
    let staffing = seen.ok("staffing plan", app.get(&path("staffing")).await).await;
    let prep_echoed = seen.ok("prep list again", app.request(Method::POST, &path("prep-list/generate")).await).await;
    let staffing_echoed =
        seen.ok("staffing plan again", app.request(Method::POST, &path("staffing/generate")).await).await;
    for (plan, source) in
        [(&prep, "llm"), (&staffing, "llm_unchanged"), (&prep_echoed, "llm"), (&staffing_echoed, "llm_unchanged")]
    {
        assert_eq!(plan["source"], source, "every answer was valid: {plan}");
        seen.audit(app, plan).await;
    }
    seen.ok("reservation summary", app.get(&path("reservations/summary")).await).await;
    let mut refused = planted_bookings();
    refused[1]["guest"]["email"] = json!("thaddeus.w-at-planted-mail.test");
    refused[2]["party_size"] = json!(0);
    let (status, _) = seen.read("a refused batch", app.post_reservations(location, refused).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = seen.read("an unknown plan's audit", app.get("/api/v1/plans/987654/audit").await).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    seen.model_requests(&served.fake);
    seen.stored_rows(app).await;
    seen.logs();

    seen.assert_none_of(PLANTED);
    for plan in [&prep_echoed, &staffing_echoed] {
        let summary = plan["provenance"]["summary"].as_str().unwrap_or_else(|| panic!("a summary: {plan}"));
        for placeholder in ["[NAME]", "[PHONE]", "[EMAIL]", "[CARD]"] {
            assert!(summary.contains(placeholder), "the echoed data is replaced by {placeholder}: {summary}");
        }
    }
    assert!(model_reasons(&prep_echoed).contains("Extra for [NAME]'s table"), "{prep_echoed}");
    let requests = served.fake.requests();
    assert_eq!(requests.len(), 4, "one call per plan");
    for request in &requests {
        let prompt = request["messages"][1]["content"].as_str().expect("a user prompt");
        for signal in [
            "\"parties_with_notes\": 4",
            "\"nuts\": 2",
            "\"shellfish\": 1",
            "\"gluten\": 1",
            "\"vegan\": 1",
            "\"birthday\": 1",
            "\"anniversary\": 1",
            "\"business\": 1",
        ] {
            assert!(prompt.contains(signal), "the prompt keeps {signal:?}: {prompt}");
        }
        // The notes' text stays home by default, redacted or not.
        for text in ["bring the cake at 9pm", "Two guests with a nut allergy", "\"notes\": ["] {
            assert!(!prompt.contains(text), "the prompt holds the notes' text {text:?}: {prompt}");
        }
    }
}

#[tokio::test]
async fn a_guest_named_in_another_bookings_note_never_reaches_the_llm() {
    let fake = FakeLlm::start(vec![refusal()]).await;
    // With the notes' text opted in, so that the note is there to be checked.
    let mut settings = test_settings(&fake.base_url);
    settings.note_text = sous::config::NoteText::Redacted;
    let app = TestApp::spawn_with_llm(settings).await;
    let k = kitchen_with_history(&app).await;
    let at = format!("{DAY}T20:00:00+01:00");
    let mut host = reservation("linked-1", &at, 6, "confirmed");
    host["guest"] = json!({ "name": "Ottoline Featherstonehaugh", "notes": "birthday, two vegans" });
    let mut joining = reservation("linked-2", &at, 2, "confirmed");
    joining["guest"] = json!({ "name": "Barnaby Quist", "notes": "Joining the Featherstonehaugh party, nut allergy" });
    app.ingest_reservations(k.location_id, json!([host, joining])).await;

    app.get_ok(&format!("/api/v1/locations/{}/prep-list?date={DAY}", k.location_id)).await;

    let mut seen = Seen::default();
    seen.model_requests(&fake);
    seen.assert_none_of(&["featherstonehaugh", "ottoline", "quist"]);
    let prompt = fake.requests()[0]["messages"][1]["content"].as_str().unwrap_or_default().to_owned();
    assert!(prompt.contains("Joining the [NAME] party, nut allergy"), "{prompt}");
}

#[tokio::test]
async fn a_reservation_batch_refused_for_its_guest_data_echoes_none_of_it() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;
    let mut bad_email = reservation("refused-1", &format!("{DAY}T20:00:00+01:00"), 2, "confirmed");
    bad_email["guest"] = json!({
        "name": "Bartholomew Quickfall",
        "phone": "+44 20 7946 0587",
        "email": "not-an-email-quickfall",
        "notes": "Bartholomew Quickfall's retirement; card 4916 3385 0608 2832",
    });
    let mut bad_size = reservation("refused-2", &format!("{DAY}T20:30:00+01:00"), 0, "confirmed");
    bad_size["guest"] = json!({ "name": "Bartholomew Quickfall", "notes": "table for Bartholomew Quickfall" });
    let mut seen = Seen::default();

    let (status, body) =
        seen.read("a refused batch", app.post_reservations(k.location_id, json!([bad_email, bad_size])).await).await;

    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["code"], "validation_failed", "{body}");
    let fields = crate::helpers::fields(&body);
    assert!(fields.contains(&"reservations[0].guest.email".to_owned()), "{body}");
    assert!(fields.contains(&"reservations[1].party_size".to_owned()), "{body}");
    let summary = app.get_ok(&format!("/api/v1/locations/{}/reservations/summary?date={DAY}", k.location_id)).await;
    assert_eq!(summary["total"]["count"], 0, "nothing of the batch is stored: {summary}");
    seen.logs();
    seen.assert_none_of(&[
        "bartholomew",
        "quickfall",
        "7946 0587",
        "4916 3385 0608 2832",
        "retirement; card",
        "not-an-email",
    ]);
}

#[tokio::test]
async fn a_malformed_reservation_batch_is_refused_without_echoing_guest_data() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;
    let mut flat_guest = reservation("malformed-1", &format!("{DAY}T20:00:00+01:00"), 2, "confirmed");
    flat_guest["guest"] = json!("Philippa Grimsditch, +44 20 7946 0874, philippa.g@planted-malformed.test");
    let mut seen = Seen::default();

    let (status, body) =
        seen.read("a malformed batch", app.post_reservations(k.location_id, json!([flat_guest])).await).await;

    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["code"], "bad_request", "{body}");
    seen.logs();
    seen.assert_none_of(&["philippa", "grimsditch", "7946 0874", "planted-malformed.test"]);
}

#[tokio::test]
async fn a_guest_field_of_the_wrong_type_is_refused_without_quoting_it() {
    let app = TestApp::spawn().await;
    let k = app.standard_kitchen().await;
    let note = "Allergic to peanuts, call Philippa Grimsditch on +44 20 7946 0874, philippa@example.com";
    let wrong_types = [
        json!(["x", note]),
        json!([note]),
        json!({ "text": note }),
        json!(442_079_460_874_i64),
        json!(true),
        json!([44, 20, 7946, 874]),
        json!({ "Philippa Grimsditch": "+44 20 7946 0874" }),
    ];
    for field in ["name", "phone", "email", "notes"] {
        for value in &wrong_types {
            let mut booking = reservation("typed-1", "2026-03-20T19:30:00+01:00", 2, "booked");
            booking["guest"] = json!({ "name": "Philippa Grimsditch" });
            booking["guest"][field] = value.clone();
            let response = app.post_reservations(k.location_id, json!([booking])).await;
            let status = response.status();
            let text = response.text().await.expect("a body");
            // Numbers and booleans are still taken as text by the JSON layer (a known gap, issue
            // 13 item 8); arrays and objects must be refused.
            if value.is_number() || value.is_boolean() {
                assert!(status.is_success() || status.is_client_error(), "guest.{field} = {value}: {status} {text}");
            } else {
                assert!(status.is_client_error(), "guest.{field} = {value}: {status} {text}");
            }
            for fragment in ["Philippa", "Grimsditch", "peanuts", "7946", "0874", "874", "example.com", "2079"] {
                assert!(!text.contains(fragment), "guest.{field} = {value}: {fragment:?} quoted in {text}");
            }
        }
    }
}
