//! What the model answers with prompt v2: only the lines it would change from the baseline,
//! each with its new value and a reason, and a summary. Nothing else: every line it leaves
//! out keeps the baseline's number, so an empty list ("the baseline stands") is a whole,
//! valid and cheap answer. The schema is generated from these types and reduced to the
//! strict subset like v1's ([`super::answer::strict`]); the rules on the text the kitchen will
//! read (length, plain text) are checked by `validate::edits`, line by line.
use std::sync::LazyLock;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use validator::Validate;

use super::answer::schema_of;

/// Longest reason for one change, in characters (the prompts say so).
pub const REASON_MAX_CHARS: usize = 240;
/// Longest summary, in characters (the prompts say so).
pub const SUMMARY_MAX_CHARS: usize = 480;

/// The model's changes to the baseline prep list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct PrepEdit {
    /// Only the prep items whose quantity should differ from the baseline; empty when the
    /// baseline stands. (llama.cpp's server turns `maxItems` into a grammar rule repeated that
    /// many times and refuses a few thousand: the bounds stay in the hundreds.)
    #[validate(length(max = 200))]
    pub changes: Vec<PrepChange>,
    /// One or two sentences for the kitchen about tonight, plain text.
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct PrepChange {
    /// The prep item's name exactly as given.
    pub prep_item: String,
    /// The quantity to prepare instead of the baseline's, in the item's unit, within its
    /// accepted range.
    #[validate(range(min = 0.0, max = 1_000_000.0))]
    pub quantity: f64,
    /// Why, in one plain sentence grounded in the data given.
    pub reason: String,
}

/// The model's changes to the baseline staffing plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct StaffingEdit {
    /// Only the headcounts (one role in one block) that should differ from the baseline;
    /// empty when the baseline stands.
    #[validate(length(max = 400))]
    pub changes: Vec<StaffingChange>,
    /// One or two sentences for the manager about tonight, plain text.
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct StaffingChange {
    /// Local start of the block, HH:MM, exactly as given.
    #[schemars(regex(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"))]
    pub block: String,
    /// The role's name exactly as given.
    pub role: String,
    /// People of this role in this block instead of the baseline's, within the accepted range.
    #[validate(range(max = 500))]
    pub headcount: u32,
    /// Why, in one plain sentence grounded in the data given.
    pub reason: String,
}

pub static PREP_EDIT_SCHEMA: LazyLock<Value> = LazyLock::new(schema_of::<PrepEdit>);
pub static STAFFING_EDIT_SCHEMA: LazyLock<Value> = LazyLock::new(schema_of::<StaffingEdit>);

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn an_empty_list_of_changes_is_a_valid_answer() {
        let validator = jsonschema::validator_for(&PREP_EDIT_SCHEMA).unwrap();
        assert!(validator.is_valid(&json!({"changes": [], "summary": "The baseline stands."})));
        assert!(!validator.is_valid(&json!({"summary": "no changes field"})));
    }

    #[test]
    fn a_change_needs_its_value_and_reason_and_nothing_else() {
        let validator = jsonschema::validator_for(&STAFFING_EDIT_SCHEMA).unwrap();
        let good = json!({"changes": [{"block": "19:00", "role": "Server", "headcount": 4, "reason": "A party of 14."}], "summary": ""});
        assert!(validator.is_valid(&good));
        let mut without_reason = good.clone();
        without_reason["changes"][0].as_object_mut().unwrap().remove("reason");
        assert!(!validator.is_valid(&without_reason));
        let mut extra = good.clone();
        extra["changes"][0]["end"] = "20:00".into();
        assert!(!validator.is_valid(&extra));
        let mut bad_time = good;
        bad_time["changes"][0]["block"] = "7pm".into();
        assert!(!validator.is_valid(&bad_time));
    }

    #[test]
    fn the_edit_schemas_are_far_smaller_than_the_whole_plan_schemas() {
        let size = |v: &Value| v.to_string().len();
        assert!(size(&PREP_EDIT_SCHEMA) < size(&super::super::answer::PREP_SCHEMA));
        assert_eq!(PREP_EDIT_SCHEMA["properties"]["changes"]["maxItems"], 200);
        assert_eq!(STAFFING_EDIT_SCHEMA["properties"]["changes"]["maxItems"], 400);
    }
}
