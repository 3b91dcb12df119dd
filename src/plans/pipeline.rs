//! The model loop for one plan: ask, check, re-ask with the exact problems, within a number
//! of attempts, a hard token budget and an overall deadline. Whatever happens, the caller gets
//! either a checked answer or the reasons to fall back, and a record of every attempt.
use chrono::{DateTime, Utc};
use serde_json::Value;

use super::spending::Budget;
use crate::{
    llm::{ChatMessage, LlmClient, Usage},
    prompt::{self, Template},
    redact,
    validate::{self, Checked, Issue, Rejected, Stage},
};

/// `1 problem`, `3 problems`.
fn plural(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Accepted,
    Invalid,
    Refused,
    Truncated,
    Empty,
    Error,
    Deadline,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accepted => "accepted",
            Self::Invalid => "invalid",
            Self::Refused => "refused",
            Self::Truncated => "truncated",
            Self::Empty => "empty",
            Self::Error => "error",
            Self::Deadline => "deadline",
        }
    }
}

/// One call to the model, as the audit trail keeps it.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub attempt: u32,
    pub started_at: DateTime<Utc>,
    pub latency_ms: u32,
    pub usage: Usage,
    pub outcome: Outcome,
    pub finish_reason: Option<String>,
    pub issues: Vec<Issue>,
    pub raw: Option<String>,
}

#[derive(Debug)]
pub struct Run<T> {
    /// The checked answer and the attempt that produced it.
    pub accepted: Option<(Checked<T>, u32)>,
    /// `accepted` is the part of the last answer that passed, the rest of it having failed.
    pub partial: bool,
    /// Changes of the last answer that were not applied, when `partial`.
    pub rejected_changes: u32,
    pub attempts: Vec<Attempt>,
    pub fallback_reasons: Vec<String>,
    pub tokens_used: u32,
}

/// `text` with JSON's four-hex-digit `\u` escapes of printable characters written out, so that an escaped
/// letter cannot hide a name or an address from the redactor (`\u004a` is a `J` once parsed).
/// Escapes of quotes, backslashes and control characters stay, as JSON needs them.
fn written_out(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let escape = &rest[at..];
        let unit = |s: &str| s.get(2..6).filter(|_| s.starts_with("\\u")).and_then(|h| u16::from_str_radix(h, 16).ok());
        let decoded = match unit(escape) {
            Some(high @ 0xD800..=0xDBFF) => unit(&escape[6..])
                .filter(|low| (0xDC00..=0xDFFF).contains(low))
                .and_then(|low| char::decode_utf16([high, low]).next()?.ok())
                .map(|c| (c, 12)),
            Some(code) => char::from_u32(u32::from(code)).map(|c| (c, 6)),
            None => None,
        };
        match decoded {
            Some((c, len)) if !c.is_control() && c != '"' && c != '\\' => {
                out.push(c);
                rest = &escape[len..];
            }
            // Any other escape (`\\`, `\"`, `\n`, a control character) is kept whole, two
            // characters at a time, so that `\\u0041` stays a backslash and text.
            _ => {
                let len = escape.chars().take(2).map(char::len_utf8).sum();
                out.push_str(&escape[..len]);
                rest = &escape[len..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The valid part of the latest answer that failed: what may be served when no answer passes.
struct Salvage<T> {
    kept: Checked<T>,
    attempt: u32,
    /// Changes of that answer that failed their checks.
    failed: usize,
}

/// A conservative token count for a prompt: about three characters a token.
fn estimate_tokens(messages: &[ChatMessage]) -> u32 {
    let chars: usize = messages.iter().map(|m| m.content.chars().count()).sum();
    chars.div_ceil(3) as u32
}

fn error_issue(kind: &'static str, message: impl Into<String>) -> Vec<Issue> {
    vec![Issue::new(Stage::Parse, kind, "", message)]
}

/// What the model's answer is redacted of (the day's guests' names) and what it keeps whatever
/// a guest is called (the catalog's own names).
pub struct AnswerRedaction<'a> {
    pub guests: &'a [String],
    pub catalog: &'a [String],
}

/// What users read when the tenant's daily budget stops the model.
pub const BUDGET_SPENT: &str = "the tenant's daily model token budget is spent; the baseline is served until it renews";

pub async fn run<T>(
    client: &LlmClient,
    budget: &Budget,
    template: &Template,
    (system, user): (String, String),
    redaction: AnswerRedaction<'_>,
    schema: &Value,
    check: impl Fn(&str) -> Result<Checked<T>, Rejected<T>>,
) -> Run<T> {
    let deadline = client.settings().deadline;
    let mut run = Run {
        accepted: None,
        partial: false,
        rejected_changes: 0,
        attempts: Vec::new(),
        fallback_reasons: Vec::new(),
        tokens_used: 0,
    };
    let mut salvage: Option<Salvage<T>> = None;
    let messages = vec![ChatMessage::system(system), ChatMessage::user(user)];
    let guests: Vec<&str> = redaction.guests.iter().map(String::as_str).collect();
    let catalog: Vec<&str> = redaction.catalog.iter().map(String::as_str).collect();
    let finished = tokio::time::timeout(
        deadline,
        ask((client, budget), template, messages, (&guests, &catalog), schema, &check, (&mut run, &mut salvage)),
    )
    .await;
    if finished.is_err() {
        run.attempts.push(Attempt {
            attempt: run.attempts.len() as u32 + 1,
            started_at: Utc::now(),
            latency_ms: 0,
            usage: Usage::default(),
            outcome: Outcome::Deadline,
            finish_reason: None,
            issues: error_issue(
                "deadline passed",
                format!("the plan's deadline of {deadline:?} passed during this call"),
            ),
            raw: None,
        });
        run.fallback_reasons
            .push(format!("the model did not produce a valid plan within the deadline of {deadline:?}"));
    }
    // Only the last answer checked counts: an earlier one was followed by a re-ask that
    // superseded it.
    let last_checked = run.attempts.iter().rev().find(|a| matches!(a.outcome, Outcome::Invalid | Outcome::Accepted));
    if run.accepted.is_none()
        && let Some(Salvage { kept, attempt, failed }) = salvage
        && last_checked.is_some_and(|a| a.attempt == attempt)
    {
        run.fallback_reasons.push(format!(
            "the last answer's changes that passed every check are applied; its {} that failed left those lines at the baseline",
            plural(failed, "change")
        ));
        run.accepted = Some((kept, attempt));
        run.partial = true;
        run.rejected_changes = failed as u32;
    }
    run
}

async fn ask<T>(
    (client, budget): (&LlmClient, &Budget),
    template: &Template,
    mut messages: Vec<ChatMessage>,
    (guests, catalog): (&[&str], &[&str]),
    schema: &Value,
    check: &impl Fn(&str) -> Result<Checked<T>, Rejected<T>>,
    (run, salvage): (&mut Run<T>, &mut Option<Salvage<T>>),
) {
    let settings = client.settings();
    let schema_name = template.kind.as_str();
    for attempt in 1..=settings.max_attempts {
        let estimate = estimate_tokens(&messages) + settings.max_tokens;
        if run.tokens_used + estimate > settings.token_budget {
            run.fallback_reasons.push(format!(
                "the token budget of {} would be exceeded by attempt {attempt} ({} used, about {estimate} more needed)",
                settings.token_budget, run.tokens_used
            ));
            return;
        }
        match budget.reserve(estimate).await {
            Ok(true) => {}
            Ok(false) => return run.fallback_reasons.push(BUDGET_SPENT.to_owned()),
            Err(err) => {
                tracing::warn!(error = %err, "the token budget could not be read; the model is not asked");
                return run.fallback_reasons.push("the tenant's model token budget could not be checked".to_owned());
            }
        }
        let started_at = Utc::now();
        let result = client.complete(&messages, schema_name, schema).await;
        // A failed call may still have been billed for its prompt: count that much.
        let used = match &result {
            Ok(completion) if completion.usage.total_tokens > 0 => completion.usage.total_tokens,
            _ => estimate_tokens(&messages),
        };
        if let Err(err) = budget.settle(estimate, used).await {
            tracing::warn!(error = %err, "a model call's tokens could not be counted against the budget");
        }
        let mut record = Attempt {
            attempt,
            started_at,
            latency_ms: 0,
            usage: Usage::default(),
            outcome: Outcome::Error,
            finish_reason: None,
            issues: vec![],
            raw: None,
        };
        // The answer is redacted before anything else reads it: checks, audit, re-ask, response.
        let completion = match result {
            Ok(mut completion) => {
                let unescaped = completion.content.map(|c| written_out(&c));
                completion.content = unescaped.map(|c| redact::redact_keeping(&c, guests, catalog));
                completion.refusal = completion.refusal.map(|r| redact::redact_keeping(&r, guests, catalog));
                completion
            }
            Err(err) => {
                record.latency_ms = (Utc::now() - started_at).num_milliseconds().max(0) as u32;
                record.issues = error_issue("no answer", err.to_string());
                run.attempts.push(record);
                run.fallback_reasons.push(err.to_string());
                return;
            }
        };
        record.latency_ms = completion.latency.as_millis() as u32;
        record.usage = completion.usage;
        record.finish_reason = completion.finish_reason.clone();
        record.raw = completion.content.clone();
        run.tokens_used += completion.usage.total_tokens;

        // `detail` is for the audit and may quote the model; `reason` is what users see.
        let stop = |outcome: Outcome, reason: String, detail: String, mut record: Attempt, run: &mut Run<T>| {
            record.outcome = outcome;
            record.issues = error_issue(outcome.as_str(), detail);
            run.attempts.push(record);
            run.fallback_reasons.push(reason);
        };
        if completion.choices == 0 {
            let reason = "the model returned no choices".to_owned();
            return stop(Outcome::Empty, reason.clone(), reason, record, run);
        }
        if let Some(refusal) = completion.refusal.as_deref().filter(|r| !r.trim().is_empty()) {
            let refusal: String = refusal.chars().take(200).collect();
            let reason = "the model refused to answer; see this plan's audit".to_owned();
            return stop(Outcome::Refused, reason, format!("the model refused: {refusal}"), record, run);
        }
        if completion.finish_reason.as_deref() == Some("length") {
            let reason = format!("the answer was cut off at the limit of {} tokens", settings.max_tokens);
            return stop(Outcome::Truncated, reason.clone(), reason, record, run);
        }
        let Some(content) = completion.content.filter(|c| !c.trim().is_empty()) else {
            let reason = "the model returned an empty answer".to_owned();
            return stop(Outcome::Empty, reason.clone(), reason, record, run);
        };
        match check(&content) {
            Ok(checked) => {
                record.outcome = Outcome::Accepted;
                run.attempts.push(record);
                run.accepted = Some((checked, attempt));
                return;
            }
            Err(Rejected { issues, salvage: kept }) => {
                record.outcome = Outcome::Invalid;
                record.issues = issues.clone();
                run.attempts.push(record);
                let failed = validate::edits::failed_changes(&issues);
                *salvage = kept.map(|kept| Salvage { kept, attempt, failed });
                if attempt == settings.max_attempts {
                    // Counts and Sous's names for the problems only: the answers' own words
                    // (an invented item, an injected instruction) stay in the audit.
                    run.fallback_reasons.push(format!(
                        "{} failed validation; the last had {}: {}; see this plan's audit",
                        plural(attempt as usize, "answer"),
                        plural(issues.len(), "problem"),
                        validate::tally(&issues)
                    ));
                    return;
                }
                let list: Vec<String> = issues.iter().map(|i| format!("- {i}")).collect();
                messages.push(ChatMessage::assistant(content));
                messages.push(ChatMessage::user(prompt::render(template.reask, &[("issues", list.join("\n"))])));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_letters_are_written_out_before_redaction() {
        assert_eq!(
            written_out(r#"{"reason": "\u005aebulon \u0051uartermaine"}"#),
            r#"{"reason": "Zebulon Quartermaine"}"#
        );
        assert_eq!(written_out(r#""caf\u00e9 \ud83c\udf70""#), "\"café 🍰\"");
        // Escapes JSON needs stay: quotes, backslashes, control characters, and `\\u` (text).
        for kept in [r#""a \" b""#, r#""\u0022 \u005c \u000a""#, r#""\\u0041""#, r#""\n\t""#, r#""\ud800 alone""#] {
            assert_eq!(written_out(kept), kept);
        }
    }

    #[test]
    fn estimates_about_three_characters_a_token() {
        assert_eq!(estimate_tokens(&[ChatMessage::user("123456"), ChatMessage::system("1")]), 3);
    }
}
