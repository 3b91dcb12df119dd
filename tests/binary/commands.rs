//! The one-shot commands on their happy paths, each with its output read: `migrate`,
//! `seed --demo`, `generate`, `redact`, `backtest` and `accuracy`.
use serde_json::Value;

use crate::support::{TempDir, run_ok, run_with_input, sous};

/// A directory with a demo database of 30 days, and the database's URL.
fn seeded(label: &str) -> (TempDir, String) {
    let dir = TempDir::new(label);
    let url = dir.sqlite_url("seeded.db");
    let printed = run_ok({
        let mut command = sous(dir.path());
        command.args(["seed", "--demo", "--days", "30"]).env("DATABASE_URL", &url);
        command
    });
    assert!(printed.contains("location 1 with 40 menu items, 25 prep items, 5 roles"), "{printed}");
    assert!(printed.contains("over 30 days"), "{printed}");
    (dir, url)
}

/// Tomorrow in UTC: a day with bookings and history behind it, wherever the demo is.
fn a_service_day() -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(1)).to_string()
}

#[test]
fn migrate_creates_the_schema_and_can_run_again() {
    let dir = TempDir::new("migrate");
    let url = dir.sqlite_url("migrated.db");
    for _ in 0..2 {
        let mut command = sous(dir.path());
        command.arg("migrate").env("DATABASE_URL", &url);
        let printed = run_ok(command);
        assert!(printed.starts_with("migrated sqlite://") && printed.contains("migrated.db"), "{printed}");
    }
    assert!(dir.path().join("migrated.db").metadata().is_ok_and(|m| m.len() > 0));
}

#[test]
fn seed_fills_an_empty_database_once() {
    let (dir, url) = seeded("seed");
    let mut again = sous(dir.path());
    again.args(["seed", "--demo", "--days", "30"]).env("DATABASE_URL", &url);
    let printed = run_ok(again);
    assert!(printed.contains("already holds data; nothing seeded"), "{printed}");
}

#[test]
fn generate_prints_each_plan_and_all_locations() {
    let (dir, url) = seeded("generate");
    let date = a_service_day();
    let mut prep = sous(dir.path());
    prep.args(["generate", "--location", "1", "--date", &date]).env("DATABASE_URL", &url);
    let prep: Value = serde_json::from_str(&run_ok(prep)).expect("a JSON prep list");
    assert_eq!(prep["date"], date.as_str(), "{prep}");
    assert_eq!(prep["source"], "baseline", "no model is configured");
    assert!(prep["stations"].as_array().is_some_and(|s| !s.is_empty()), "{prep}");

    let mut staffing = sous(dir.path());
    staffing.args(["generate", "--location", "1", "--date", &date, "--kind", "staffing"]).env("DATABASE_URL", &url);
    let staffing: Value = serde_json::from_str(&run_ok(staffing)).expect("a JSON staffing plan");
    assert!(staffing["roles"].as_array().is_some_and(|r| !r.is_empty()), "{staffing}");

    let mut all = sous(dir.path());
    all.args(["generate", "--all", "--date", &date]).env("DATABASE_URL", &url);
    let printed = run_ok(all);
    let lines: Vec<Value> = printed.lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect();
    assert_eq!(lines.len(), 1, "{printed}");
    assert_eq!(lines[0]["location_id"], 1);
    assert_eq!(lines[0]["error"], Value::Null, "{printed}");
}

#[test]
fn generate_for_an_unknown_location_fails_cleanly() {
    let (dir, url) = seeded("generate-unknown");
    let mut command = sous(dir.path());
    command.args(["generate", "--location", "999", "--date", &a_service_day()]).env("DATABASE_URL", &url);
    let output = command.output().expect("sous runs");
    let stderr = crate::support::assert_clean_failure(&output);
    assert!(stderr.contains("error:"), "{stderr}");
}

#[test]
fn redact_hides_contact_details_and_names_from_stdin() {
    let dir = TempDir::new("redact");
    let mut command = sous(dir.path());
    command.args(["redact", "--name", "Maria Lopez"]);
    let note = "Maria called from 555-867-5309, write to maria.lopez@example.com; card 4111 1111 1111 1111";
    let output = run_with_input(command, note);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    for secret in ["Maria", "867-5309", "maria.lopez@example.com", "4111"] {
        assert!(!text.contains(secret), "{secret} left in {text:?}");
    }
    for tag in ["[NAME]", "[PHONE]", "[EMAIL]", "[CARD]"] {
        assert!(text.contains(tag), "{tag} missing in {text:?}");
    }
    assert!(text.contains("called from") && text.contains("write to"), "the rest of the note is kept: {text:?}");
}

#[test]
fn redact_handles_every_kind_notes_really_hold() {
    let dir = TempDir::new("redact-kinds");
    let mut command = sous(dir.path());
    command.args(["redact", "--name", "Maria Okafor"]);
    let note = "maria dot lopez at gmail dot com; call five five five, 867 5309 or o972 228 583; \
                cake to 26B Elm Avenue, Springfield IL 62704; IBAN DE89 3704 0044 0532 0130 00; \
                sort code 12-34-56; insta @amelia_eats; Dmitri Nyberg will pay; Mari Okafor prefers booth; \
                M. Okafor at 8; table 12 at 19:30, order #4471, 2 Caesar salad";
    let output = run_with_input(command, note);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    for secret in [
        "maria", "lopez", "five", "5309", "o972", "Elm", "62704", "DE89", "12-34-56", "amelia", "Dmitri", "Nyberg",
        "Mari ", "Okafor",
    ] {
        assert!(!text.contains(secret), "{secret} left in {text:?}");
    }
    for tag in ["[EMAIL]", "[PHONE]", "[ADDRESS]", "[IBAN]", "[ACCOUNT]", "[HANDLE]", "[NAME]"] {
        assert!(text.contains(tag), "{tag} missing in {text:?}");
    }
    assert!(text.contains("table 12 at 19:30, order #4471, 2 Caesar salad"), "the kitchen's facts stay: {text:?}");
}

#[test]
fn redact_jsonl_answers_one_line_per_line_in_order() {
    let dir = TempDir::new("redact-jsonl");
    let mut command = sous(dir.path());
    command.args(["redact", "--jsonl"]);
    let input = concat!(
        r#"{"text": "Ask for Kenji Watanabe, +1 212 555 0188", "names": ["Kenji Watanabe"]}"#,
        "\n",
        "not json\n",
        r#"{"text": "window table please"}"#,
        "\n"
    );
    let output = run_with_input(command, input);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    let lines: Vec<Value> = stdout.lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    let first = lines[0]["text"].as_str().expect("text");
    assert!(!first.contains("Kenji") && !first.contains("0188") && first.contains("[NAME]"), "{first}");
    assert_eq!(lines[1]["error"], "invalid JSON on line 2");
    assert_eq!(lines[2]["text"], "window table please");
}

#[test]
fn backtest_scores_the_baseline_against_the_references() {
    let (dir, url) = seeded("backtest");
    let to = chrono::Utc::now().date_naive() - chrono::Duration::days(1);
    let from = to - chrono::Duration::days(7);
    let mut command = sous(dir.path());
    command
        .args(["backtest", "--location", "1", "--from", &from.to_string(), "--to", &to.to_string()])
        .env("DATABASE_URL", &url);
    let report: Value = serde_json::from_str(&run_ok(command)).expect("a JSON report");
    assert_eq!(report["location_id"], 1);
    assert_eq!(report["from"], from.to_string().as_str());
    let methods = report["methods"].as_array().expect("methods");
    assert!(methods.len() >= 3, "the baseline and two references: {report}");
    let scored = report["days_scored"].as_u64().expect("days_scored");
    assert!(scored > 0 && scored <= 7, "{report}");
    assert!(methods[0]["covers"]["wape"].as_f64().is_some_and(|w| w.is_finite() && w >= 0.0), "{report}");
}

#[test]
fn accuracy_scores_the_demo_kitchens_baseline_and_manager_on_its_recorded_days() {
    let (dir, url) = seeded("accuracy");
    let mut command = sous(dir.path());
    command.args(["accuracy", "--location", "1", "--format", "json"]).env("DATABASE_URL", &url);
    let report: Value = serde_json::from_str(&run_ok(command)).expect("a JSON report");
    assert_eq!(report["location_id"], 1);
    // Thirty days of history: the demo kitchen worked (and recorded) the days it could plan.
    let days = report["by_day"].as_array().expect("days");
    assert!(days.len() >= 20, "{report}");
    for measure in ["prep", "headcount"] {
        for forecaster in ["baseline", "manager"] {
            let score = &report[measure][forecaster];
            assert!(
                score["wape"].as_f64().is_some_and(|w| w.is_finite() && w >= 0.0),
                "{measure} {forecaster}: {report}"
            );
            assert!(score["points"].as_u64().is_some_and(|p| p > 0), "{measure} {forecaster}: {report}");
        }
        assert!(report[measure].get("model").is_none(), "no model in the demo: {report}");
    }
    assert!(report["overridden_lines"].as_u64().is_some_and(|n| n > 0), "the demo manager overrides: {report}");
    assert!(report["waste"]["share"].as_f64().is_some_and(|s| s > 0.0 && s < 1.0), "{report}");

    let mut markdown = sous(dir.path());
    markdown.args(["accuracy", "--location", "1"]).env("DATABASE_URL", &url);
    let printed = run_ok(markdown);
    assert!(
        printed.starts_with("# Accuracy: location 1") && printed.contains("| prep quantities (batches) |"),
        "{printed}"
    );

    let mut wrong = sous(dir.path());
    wrong.args(["accuracy", "--location", "1", "--from", "2026-01-10", "--to", "2026-01-01"]).env("DATABASE_URL", &url);
    let output = wrong.output().expect("run sous");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("from") && stderr.contains("before to"), "{stderr}");
}

/// A model plan that fell back, with its two calls, stored as the pipeline stores them.
fn store_a_model_plan(url: &str) {
    use sea_orm::{ConnectionTrait, Database, Statement};
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    runtime.block_on(async {
        let db = Database::connect(url).await.expect("connect");
        let backend = db.get_database_backend();
        let now = chrono::Utc::now();
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            "INSERT INTO plans (location_id, kind, service_date, source, input_fingerprint, model, prompt_version, \
             attempts, tokens_used, fallback_reasons, repairs, body, generated_at) \
             VALUES (1, 'prep_list', ?, 'fallback', '0', 'tiny', 'prep_list/v1', 2, 2400, \
             '[\"2 answers failed validation\"]', '[]', '{}', ?)",
            [now.date_naive().into(), now.into()],
        ))
        .await
        .expect("a plan");
        for attempt in [1, 2] {
            db.execute_raw(Statement::from_sql_and_values(
                backend,
                "INSERT INTO llm_calls (plan_id, attempt, prompt_version, model, started_at, latency_ms, \
                 prompt_tokens, completion_tokens, total_tokens, outcome, finish_reason, issues, raw_answer) \
                 VALUES ((SELECT MAX(id) FROM plans), ?, 'prep_list/v1', 'tiny', ?, 1500, 1000, 200, 1200, \
                 'invalid', 'stop', '[{\"stage\": \"grounding\", \"path\": \"items[0].prep_item\", \"message\": \"unknown\"}]', NULL)",
                [attempt.into(), now.into()],
            ))
            .await
            .expect("a call");
        }
    });
}

#[test]
fn postmortem_prints_the_ai_quality_report_as_markdown_or_json() {
    let (dir, url) = seeded("postmortem");
    store_a_model_plan(&url);
    let mut command = sous(dir.path());
    command.args(["postmortem", "--since", "7d"]).env("DATABASE_URL", &url).env("SOUS_MODEL_PRICES", "tiny=1/2");
    let markdown = run_ok(command);
    assert!(markdown.starts_with("# AI quality"), "{markdown}");
    assert!(markdown.contains("| prep_list | 0 | 0 | 0 | 0 | 0 | 0 | 1 |"), "{markdown}");
    assert!(markdown.contains("| grounding | `items[].prep_item` | 2 | unknown |"), "{markdown}");
    // Two calls of 1000 prompt tokens at $1 and 200 answer tokens at $2 per million.
    assert!(markdown.contains("| cost of priced models | $0.0028 |"), "{markdown}");

    let mut command = sous(dir.path());
    command.args(["postmortem", "--since", "24h", "--format", "json", "--location", "1"]).env("DATABASE_URL", &url);
    let report: Value = serde_json::from_str(&run_ok(command)).expect("a JSON report");
    assert_eq!(report["plans"], 1, "{report}");
    assert_eq!(report["cost"]["unpriced_models"], serde_json::json!(["tiny"]), "no price given: unpriced");

    let mut command = sous(dir.path());
    command.args(["postmortem", "--since", "400d"]).env("DATABASE_URL", &url);
    let output = command.output().expect("run sous");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--since") && stderr.contains("one day to 366 days"), "{stderr}");
}
