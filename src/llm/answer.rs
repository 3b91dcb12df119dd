//! What the model must answer, as Rust types. The JSON schema sent to the model and the one
//! its answer is checked against are the same value, generated once from these types and
//! reduced to OpenAI's strict subset (every property required, no additional properties,
//! only supported keywords). Bounds the subset cannot express are `validator` rules.
use std::sync::LazyLock;

use schemars::{JsonSchema, generate::SchemaSettings};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use validator::Validate;

/// `HH:MM`, 24-hour clock.
pub const HHMM_PATTERN: &str = r"^([01][0-9]|2[0-3]):[0-5][0-9]$";

/// The model's prep list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct PrepAnswer {
    /// One entry for every prep item of the catalog, in any order.
    #[validate(length(min = 1, max = 500), nested)]
    pub items: Vec<PrepAnswerItem>,
    /// One or two sentences for the kitchen about tonight.
    #[validate(length(max = 1000))]
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct PrepAnswerItem {
    /// The prep item's name exactly as in the catalog.
    #[validate(length(min = 1, max = 200))]
    pub prep_item: String,
    /// Quantity to prepare, in `unit`; 0 when nothing needs preparing.
    #[validate(range(min = 0.0, max = 1_000_000.0))]
    pub quantity: f64,
    /// The catalog's unit for this item (g, kg, ml, l or each).
    #[validate(length(min = 1, max = 16))]
    pub unit: String,
    /// Latest local time to start, HH:MM, on the service day.
    #[schemars(regex(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"))]
    #[validate(length(equal = 5))]
    pub start_by: String,
    /// Why this quantity, in one sentence.
    #[validate(length(max = 500))]
    pub reason: String,
}

/// The model's staffing plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct StaffingAnswer {
    /// The service day's time blocks, in order.
    #[validate(length(min = 1, max = 48), nested)]
    pub blocks: Vec<StaffingAnswerBlock>,
    /// One or two sentences for the manager about tonight.
    #[validate(length(max = 1000))]
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct StaffingAnswerBlock {
    /// Local start, HH:MM.
    #[schemars(regex(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"))]
    #[validate(length(equal = 5))]
    pub start: String,
    /// Local end, HH:MM.
    #[schemars(regex(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"))]
    #[validate(length(equal = 5))]
    pub end: String,
    /// Headcount of every role in this block.
    #[validate(length(min = 1, max = 50), nested)]
    pub staff: Vec<StaffingAnswerRole>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct StaffingAnswerRole {
    /// The role's name exactly as in the catalog.
    #[validate(length(min = 1, max = 100))]
    pub role: String,
    #[validate(range(max = 500))]
    pub headcount: u32,
}

/// Keywords OpenAI's strict structured outputs accept; anything else is removed.
const STRICT_KEYWORDS: &[&str] = &[
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "enum",
    "const",
    "anyOf",
    "description",
    "title",
    "minimum",
    "maximum",
    "minItems",
    "maxItems",
    "pattern",
    "$defs",
    "$ref",
];

/// Reduces a schemars schema to the strict subset, recursively.
pub fn strict(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, value) in map {
                if !STRICT_KEYWORDS.contains(&key.as_str()) {
                    continue;
                }
                let value = match key.as_str() {
                    // Property names and definitions are maps of schemas, not schemas.
                    "properties" | "$defs" => Value::Object(
                        value.as_object().into_iter().flatten().map(|(k, v)| (k.clone(), strict(v))).collect(),
                    ),
                    "items" | "anyOf" => strict(value),
                    _ => value.clone(),
                };
                out.insert(key.clone(), value);
            }
            if let Some(properties) = out.get("properties").and_then(Value::as_object) {
                let names: Vec<Value> = properties.keys().cloned().map(Value::String).collect();
                out.insert("required".to_owned(), Value::Array(names));
                out.insert("additionalProperties".to_owned(), Value::Bool(false));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(strict).collect()),
        other => other.clone(),
    }
}

/// The strict schema of `T`, every subschema inline.
pub(crate) fn schema_of<T: JsonSchema>() -> Value {
    let generator = SchemaSettings::draft2020_12()
        .with(|s| {
            s.inline_subschemas = true;
            s.meta_schema = None;
        })
        .into_generator();
    strict(&generator.into_root_schema_for::<T>().to_value())
}

pub static PREP_SCHEMA: LazyLock<Value> = LazyLock::new(schema_of::<PrepAnswer>);
pub static STAFFING_SCHEMA: LazyLock<Value> = LazyLock::new(schema_of::<StaffingAnswer>);

#[cfg(test)]
mod tests {
    use super::*;

    /// Walks every subschema and checks OpenAI's strict-mode rules.
    fn assert_strict(schema: &Value, path: &str) {
        let Some(map) = schema.as_object() else { return };
        for key in map.keys() {
            assert!(STRICT_KEYWORDS.contains(&key.as_str()), "{path}: unsupported keyword {key}");
        }
        if let Some(properties) = map.get("properties").and_then(Value::as_object) {
            assert_eq!(map.get("additionalProperties"), Some(&Value::Bool(false)), "{path}");
            let required: Vec<&str> = map["required"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
            for name in properties.keys() {
                assert!(required.contains(&name.as_str()), "{path}: {name} not required");
            }
            for (name, sub) in properties {
                assert_strict(sub, &format!("{path}.{name}"));
            }
        }
        if let Some(items) = map.get("items") {
            assert_strict(items, &format!("{path}[]"));
        }
    }

    #[test]
    fn schemas_satisfy_openai_strict_mode() {
        assert_strict(&PREP_SCHEMA, "prep");
        assert_strict(&STAFFING_SCHEMA, "staffing");
        assert_strict(&super::super::edit::PREP_EDIT_SCHEMA, "prep edit");
        assert_strict(&super::super::edit::STAFFING_EDIT_SCHEMA, "staffing edit");
        assert_eq!(PREP_SCHEMA["type"], "object");
        assert_eq!(PREP_SCHEMA["properties"]["items"]["items"]["properties"]["start_by"]["pattern"], HHMM_PATTERN);
        assert!(!PREP_SCHEMA.to_string().contains("\"format\""));
    }

    #[test]
    fn the_schema_accepts_a_good_answer_and_refuses_an_extra_field() {
        let validator = jsonschema::validator_for(&PREP_SCHEMA).unwrap();
        let good = serde_json::json!({"items": [{"prep_item": "Aioli", "quantity": 1.5, "unit": "l", "start_by": "10:30", "reason": "r"}], "summary": "s"});
        assert!(validator.is_valid(&good));
        let mut extra = good.clone();
        extra["items"][0]["colour"] = "red".into();
        assert!(!validator.is_valid(&extra));
        let mut late = good;
        late["items"][0]["start_by"] = "25:00".into();
        assert!(!validator.is_valid(&late));
    }
}
