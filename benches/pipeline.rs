//! What Sous adds around one model call: baseline, prompt, checks, audit. Runs the whole
//! prep-list pipeline against an instant scripted model on loopback (the same fake the tests
//! use) over the demo restaurant, and compares its median with the median of the bare model
//! call and of the baseline alone.
//!
//! `cargo bench --bench pipeline` (release build). Prints figures; asserts nothing.
#[path = "../tests/support/fake_llm.rs"]
mod fake_llm;

use std::time::{Duration, Instant};

use chrono::{Duration as Days, Utc};
use fake_llm::{FakeLlm, Reply};
use secrecy::SecretString;
use serde_json::json;
use sous::{
    catalog,
    config::{DatabaseSettings, LlmSettings},
    db, demo,
    llm::{ChatMessage, LlmClient, answer::PREP_SCHEMA},
    plans::{self, PrepList},
};

const RUNS: usize = 200;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn echo_baseline(plan: &PrepList) -> serde_json::Value {
    let items: Vec<_> = plan
        .stations
        .iter()
        .flat_map(|s| &s.items)
        .map(|l| {
            json!({"prep_item": l.name, "quantity": l.suggested, "unit": l.unit.as_str(),
                   "start_by": l.start_by.format("%H:%M").to_string(), "reason": "as forecast"})
        })
        .collect();
    json!({"items": items, "summary": "A normal evening."})
}

#[tokio::main]
async fn main() {
    let path = std::env::temp_dir().join(format!("sous-bench-{}.db", std::process::id()));
    let settings = DatabaseSettings {
        url: SecretString::from(format!("sqlite://{}?mode=rwc", path.display())),
        max_connections: 4,
    };
    let conn = db::connect(&settings).await.expect("database");
    db::migrate(&conn).await.expect("migrations");
    demo::seed_if_empty(&conn, 120, Utc::now()).await.expect("seed");
    let location_id = demo::location_id(&conn).await.expect("demo").expect("demo location");
    let location = catalog::get_location(&conn, location_id).await.expect("location");
    let date = Utc::now().with_timezone(&location.timezone).date_naive() + Days::days(1);

    let baseline = plans::generate_prep_list(&conn, None, &location, date, "bench").await.expect("baseline");
    let fake = FakeLlm::start(vec![Reply::json(&echo_baseline(&baseline))]).await;
    // Prompt v1: the model echoes the whole plan, the heaviest answer to check and apply.
    let mut settings = LlmSettings::new(fake.base_url.clone(), "fake-model");
    settings.prompt_version = sous::config::PromptVersion::V1;
    let client = LlmClient::new(settings).expect("client");
    // A budget that never runs out: its bookkeeping (two statements a call) is part of the path.
    let limits = sous::config::LimitSettings { daily_tokens: 10_000_000_000, ..Default::default() };
    let spending = plans::spending::Spending::new(conn.clone(), limits);
    let budget = spending.budget(location.tenant_id).await.expect("budget");
    let model = plans::Model { client: &client, budget: &budget, trigger: sous::domain::PlanTrigger::Manual };

    // Warm up connections and caches.
    for _ in 0..5 {
        plans::generate_prep_list(&conn, Some(model), &location, date, "bench").await.expect("pipeline");
    }

    let mut base_times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let started = Instant::now();
        plans::generate_prep_list(&conn, None, &location, date, "bench").await.expect("baseline");
        base_times.push(started.elapsed());
    }

    let mut full_times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let started = Instant::now();
        let plan = plans::generate_prep_list(&conn, Some(model), &location, date, "bench").await.expect("pipeline");
        full_times.push(started.elapsed());
        assert_eq!(plan.source, sous::domain::PlanSource::Llm, "the echo answer must be accepted");
    }

    // The bare call: the same request size, straight to the model.
    let prompt = fake.requests().last().cloned().unwrap_or_default();
    let messages: Vec<ChatMessage> = prompt["messages"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|m| match m["role"].as_str() {
            Some("system") => ChatMessage::system(m["content"].as_str().unwrap_or_default()),
            _ => ChatMessage::user(m["content"].as_str().unwrap_or_default()),
        })
        .collect();
    let mut call_times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let started = Instant::now();
        client.complete(&messages, "prep_list", &PREP_SCHEMA).await.expect("call");
        call_times.push(started.elapsed());
    }

    let (base, full, call) = (median(base_times), median(full_times), median(call_times));
    println!("prep list over the demo (120 days of history), {RUNS} runs each, medians:");
    println!("  baseline only (no model):          {:>8.2} ms", base.as_secs_f64() * 1e3);
    println!("  bare model call (instant fake):    {:>8.2} ms", call.as_secs_f64() * 1e3);
    println!("  whole pipeline with the model:     {:>8.2} ms", full.as_secs_f64() * 1e3);
    println!("  overhead around the model call:    {:>8.2} ms", (full.saturating_sub(call)).as_secs_f64() * 1e3);
    println!("    of which the baseline:           {:>8.2} ms", base.as_secs_f64() * 1e3);
    println!(
        "    prompt, checks, audit write:     {:>8.2} ms",
        (full.saturating_sub(call).saturating_sub(base)).as_secs_f64() * 1e3
    );
    drop(conn);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}
