//! Checks a model's answer, in order: deterministic repair (no model call), JSON schema,
//! field rules, then grounding against the data. Every failure is an [`Issue`] with a field
//! path and a sentence, ready to be sent back to the model or shown to a reviewer.
pub mod edits;
pub mod grounding;
pub mod repair;
mod text;

use std::sync::LazyLock;

use serde::de::DeserializeOwned;
use serde_json::Value;
use validator::Validate;

use crate::llm::{
    PrepAnswer, PrepEdit, StaffingAnswer, StaffingEdit,
    answer::{PREP_SCHEMA, STAFFING_SCHEMA},
    edit::{PREP_EDIT_SCHEMA, STAFFING_EDIT_SCHEMA},
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// No JSON could be read from the answer.
    Parse,
    /// The JSON does not match the schema.
    Schema,
    /// A field breaks a rule (range, length, format).
    Rules,
    /// The answer contradicts the data (catalog, units, hours, bounds).
    Grounding,
}

/// One problem with an answer. `message` may quote the answer (it is for the model's re-ask and
/// for reviewers); `kind` is Sous's own name for the problem, all that users are shown.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Issue {
    pub stage: Stage,
    /// A short fixed phrase such as `unknown prep item`: never words of the answer.
    pub kind: &'static str,
    /// Where in the answer, e.g. `items[3].quantity` (empty for the whole answer).
    pub path: String,
    pub message: String,
}

impl Issue {
    pub fn new(stage: Stage, kind: &'static str, path: impl Into<String>, message: impl Into<String>) -> Self {
        Self { stage, kind, path: path.into(), message: message.into() }
    }
}

/// Counts of each kind of problem, most frequent first, in Sous's words only:
/// `unknown prep item (2), quantity out of range (1)`.
pub fn tally(issues: &[Issue]) -> String {
    let mut counts: Vec<(&'static str, usize)> = Vec::new();
    for issue in issues {
        match counts.iter_mut().find(|(kind, _)| *kind == issue.kind) {
            Some((_, n)) => *n += 1,
            None => counts.push((issue.kind, 1)),
        }
    }
    counts.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    counts.iter().map(|(kind, n)| format!("{kind} ({n})")).collect::<Vec<_>>().join(", ")
}

impl std::fmt::Display for Issue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() { f.write_str(&self.message) } else { write!(f, "{}: {}", self.path, self.message) }
    }
}

/// An answer that passed every check, and the repairs it needed to get there.
#[derive(Debug, Clone)]
pub struct Checked<T> {
    pub answer: T,
    pub repairs: Vec<String>,
}

/// An answer that failed its checks: the problems, and the part of it that passed when Sous
/// may serve that part (prompt v2's changes, each checked on its own; see `edits::salvage`).
#[derive(Debug, Clone)]
pub struct Rejected<T> {
    pub issues: Vec<Issue>,
    pub salvage: Option<Checked<T>>,
}

impl<T> From<Vec<Issue>> for Rejected<T> {
    fn from(issues: Vec<Issue>) -> Self {
        Self { issues, salvage: None }
    }
}

fn validator(schema: &Value, name: &str) -> jsonschema::Validator {
    jsonschema::validator_for(schema).unwrap_or_else(|e| panic!("{name} schema: {e}"))
}

static PREP_VALIDATOR: LazyLock<jsonschema::Validator> = LazyLock::new(|| validator(&PREP_SCHEMA, "prep"));
static STAFFING_VALIDATOR: LazyLock<jsonschema::Validator> = LazyLock::new(|| validator(&STAFFING_SCHEMA, "staffing"));
static PREP_EDIT_VALIDATOR: LazyLock<jsonschema::Validator> =
    LazyLock::new(|| validator(&PREP_EDIT_SCHEMA, "prep edit"));
static STAFFING_EDIT_VALIDATOR: LazyLock<jsonschema::Validator> =
    LazyLock::new(|| validator(&STAFFING_EDIT_SCHEMA, "staffing edit"));

/// Repair, schema, field rules, then grounding; on a grounding failure, `salvage` may say
/// which part of the answer passed.
fn check<T: DeserializeOwned + Validate>(
    raw: &str,
    validator: &jsonschema::Validator,
    repair: impl FnOnce(&mut Value, &mut Vec<String>),
    ground: impl FnOnce(&T) -> Vec<Issue>,
    salvage: impl FnOnce(&T, &[Issue]) -> Option<T>,
) -> Result<Checked<T>, Rejected<T>> {
    let (mut value, mut repairs) =
        repair::extract_json(raw).map_err(|m| vec![Issue::new(Stage::Parse, "not JSON", "", m)])?;
    repair(&mut value, &mut repairs);
    let schema_issues: Vec<Issue> = validator
        .iter_errors(&value)
        .map(|e| {
            Issue::new(
                Stage::Schema,
                "schema mismatch",
                crate::validation::dotted(&e.instance_path().to_string()),
                e.to_string(),
            )
        })
        .collect();
    if !schema_issues.is_empty() {
        return Err(schema_issues.into());
    }
    let answer: T = serde_json::from_value(value)
        .map_err(|e| vec![Issue::new(Stage::Schema, "schema mismatch", "", e.to_string())])?;
    if let Err(errors) = answer.validate() {
        let issues: Vec<Issue> = crate::validation::field_errors(&errors)
            .into_iter()
            .map(|f| Issue::new(Stage::Rules, "field rule broken", f.field, f.message))
            .collect();
        return Err(issues.into());
    }
    let issues = ground(&answer);
    if issues.is_empty() {
        return Ok(Checked { answer, repairs });
    }
    let salvage = salvage(&answer, &issues).map(|answer| Checked { answer, repairs });
    Err(Rejected { issues, salvage })
}

/// v1's bounds on the text users read (its answer types' own), checked like v2's: plain text on
/// one line, no links, markup or instructions.
const V1_REASON_MAX_CHARS: usize = 500;
const V1_SUMMARY_MAX_CHARS: usize = 1000;

/// A v1 answer is whole or nothing: no part of it is served when it fails.
fn nothing<T>(_: &T, _: &[Issue]) -> Option<T> {
    None
}

pub fn check_prep(raw: &str, facts: &grounding::PrepFacts) -> Result<Checked<PrepAnswer>, Rejected<PrepAnswer>> {
    let repair = |value: &mut Value, repairs: &mut Vec<String>| repair::prep(value, facts, repairs);
    let ground = |answer: &PrepAnswer| {
        let mut issues = facts.check(answer);
        issues.extend(text::check(&answer.summary, "summary", V1_SUMMARY_MAX_CHARS, false));
        for (i, item) in answer.items.iter().enumerate() {
            issues.extend(text::check(&item.reason, &format!("items[{i}].reason"), V1_REASON_MAX_CHARS, false));
        }
        issues
    };
    check(raw, &PREP_VALIDATOR, repair, ground, nothing)
}

pub fn check_staffing(
    raw: &str,
    facts: &grounding::StaffingFacts,
) -> Result<Checked<StaffingAnswer>, Rejected<StaffingAnswer>> {
    let repair = |value: &mut Value, repairs: &mut Vec<String>| repair::staffing(value, facts, repairs);
    let ground = |answer: &StaffingAnswer| {
        let mut issues = facts.check(answer);
        issues.extend(text::check(&answer.summary, "summary", V1_SUMMARY_MAX_CHARS, false));
        issues
    };
    check(raw, &STAFFING_VALIDATOR, repair, ground, nothing)
}

/// A v2 answer's valid changes, without its summary (which may speak of the others).
/// `instructions`: the texts the model was given as instructions (templates, schema), lowercase;
/// a reason copied from them is not a reason.
pub fn check_prep_edit(
    raw: &str,
    facts: &grounding::PrepFacts,
    instructions: &str,
) -> Result<Checked<PrepEdit>, Rejected<PrepEdit>> {
    let repair = |value: &mut Value, repairs: &mut Vec<String>| repair::prep_edit(value, facts, repairs);
    let salvage = |edit: &PrepEdit, issues: &[Issue]| {
        edits::salvage(&edit.changes, issues).map(|changes| PrepEdit { changes, summary: String::new() })
    };
    check(raw, &PREP_EDIT_VALIDATOR, repair, |edit| facts.check_edit(edit, instructions), salvage)
}

pub fn check_staffing_edit(
    raw: &str,
    facts: &grounding::StaffingFacts,
    instructions: &str,
) -> Result<Checked<StaffingEdit>, Rejected<StaffingEdit>> {
    let repair = |value: &mut Value, repairs: &mut Vec<String>| repair::staffing_edit(value, facts, repairs);
    let salvage = |edit: &StaffingEdit, issues: &[Issue]| {
        edits::salvage(&edit.changes, issues).map(|changes| StaffingEdit { changes, summary: String::new() })
    };
    check(raw, &STAFFING_EDIT_VALIDATOR, repair, |edit| facts.check_edit(edit, instructions), salvage)
}

#[cfg(test)]
mod tests {
    use super::{Issue, Stage, tally};

    #[test]
    fn a_tally_counts_kinds_and_quotes_nothing_else() {
        let issues = [
            Issue::new(Stage::Grounding, "quantity out of range", "items[1].quantity", "10000000 kg of \"Aioli\""),
            Issue::new(Stage::Grounding, "unknown prep item", "items[0].prep_item", "\"Beluga caviar\" is not..."),
            Issue::new(Stage::Grounding, "unknown prep item", "items[2].prep_item", "\"IGNORE ALL RULES\""),
        ];
        assert_eq!(tally(&issues), "unknown prep item (2), quantity out of range (1)");
    }
}
