//! Deterministic repairs, made before any check and without another model call: the JSON is
//! dug out of code fences and prose, names are matched to the catalog ignoring case and
//! accents, and quantities in a compatible unit (g/kg, ml/l) are converted.
use serde_json::Value;

use super::grounding::{PrepFacts, StaffingFacts};
use crate::{domain::Unit, redact::fold_name as fold};

/// Reads the JSON object in a model's text; says what had to be stripped around it.
pub fn extract_json(raw: &str) -> Result<(Value, Vec<String>), String> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err("the answer is empty".to_owned());
    }
    if let Ok(value) = serde_json::from_str::<Value>(trimmed) {
        return Ok((value, Vec::new()));
    }
    let mut repairs = Vec::new();
    let mut text = trimmed;
    if let Some(start) = text.find("```") {
        let after = &text[start + 3..];
        let body = after.trim_start_matches(|c: char| c.is_ascii_alphanumeric()).trim_start();
        if let Some(end) = body.find("```") {
            text = body[..end].trim();
            repairs.push("removed the code fence around the JSON".to_owned());
        }
    }
    if serde_json::from_str::<Value>(text).is_err() {
        let (Some(open), Some(close)) = (text.find('{'), text.rfind('}')) else {
            return Err("no JSON object found in the answer".to_owned());
        };
        if close < open {
            return Err("no JSON object found in the answer".to_owned());
        }
        if open > 0 || close + 1 < text.len() {
            text = &text[open..=close];
            repairs.push("removed the text around the JSON".to_owned());
        }
    }
    match serde_json::from_str::<Value>(text) {
        Ok(value) => Ok((value, repairs)),
        Err(first) => {
            // Small models break lines inside strings, which JSON forbids: read them as spaces.
            let flattened = flatten_strings(text);
            match serde_json::from_str::<Value>(&flattened) {
                Ok(value) if flattened != text => {
                    repairs.push("read line breaks and other control characters inside strings as spaces".to_owned());
                    Ok((value, repairs))
                }
                _ => Err(format!("the answer is not valid JSON ({first}); it may have been cut off")),
            }
        }
    }
}

/// `text` with every control character inside a JSON string turned into a space.
fn flatten_strings(text: &str) -> String {
    let (mut in_string, mut escaped) = (false, false);
    text.chars()
        .map(|c| {
            if in_string {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    in_string = false;
                } else if c.is_control() {
                    return ' ';
                }
            } else if c == '"' {
                in_string = true;
            }
            c
        })
        .collect()
}

/// Replaces `value[field]` by the catalog spelling when it matches ignoring case and accents.
fn match_name(value: &mut Value, field: &str, path: &str, names: &[String], repairs: &mut Vec<String>) {
    let Some(given) = value.get(field).and_then(Value::as_str) else { return };
    if names.iter().any(|n| n == given) {
        return;
    }
    let folded = fold(given);
    if let Some(name) = names.iter().find(|n| fold(n) == folded) {
        repairs.push(format!("{path}.{field}: matched to the catalog's {name:?}, ignoring case and accents"));
        value[field] = Value::String(name.clone());
    }
}

/// Factor to turn a quantity in `from` into `to`, when the two are compatible.
pub fn unit_factor(from: Unit, to: Unit) -> Option<f64> {
    match (from, to) {
        (a, b) if a == b => Some(1.0),
        (Unit::G, Unit::Kg) | (Unit::Ml, Unit::L) => Some(0.001),
        (Unit::Kg, Unit::G) | (Unit::L, Unit::Ml) => Some(1000.0),
        _ => None,
    }
}

pub fn prep(value: &mut Value, facts: &PrepFacts, repairs: &mut Vec<String>) {
    let names: Vec<String> = facts.items.iter().map(|i| i.name.clone()).collect();
    let Some(items) = value.get_mut("items").and_then(Value::as_array_mut) else { return };
    for (i, item) in items.iter_mut().enumerate() {
        let path = format!("items[{i}]");
        match_name(item, "prep_item", &path, &names, repairs);
        let Some(fact) = item.get("prep_item").and_then(Value::as_str).and_then(|n| facts.item(n)) else { continue };
        let given = item.get("unit").and_then(Value::as_str).map(fold);
        let Some(given) = given.as_deref().and_then(Unit::parse) else { continue };
        let (Some(factor), Some(quantity)) =
            (unit_factor(given, fact.unit), item.get("quantity").and_then(Value::as_f64))
        else {
            continue;
        };
        if given != fact.unit {
            let converted = (quantity * factor * 1000.0).round() / 1000.0;
            repairs.push(format!("{path}: converted {quantity} {given} to {converted} {}", fact.unit));
            item["quantity"] = serde_json::json!(converted);
            item["unit"] = Value::String(fact.unit.as_str().to_owned());
        }
    }
}

pub fn staffing(value: &mut Value, facts: &StaffingFacts, repairs: &mut Vec<String>) {
    let names: Vec<String> = facts.roles.iter().map(|r| r.name.clone()).collect();
    let Some(blocks) = value.get_mut("blocks").and_then(Value::as_array_mut) else { return };
    for (b, block) in blocks.iter_mut().enumerate() {
        let Some(staff) = block.get_mut("staff").and_then(Value::as_array_mut) else { continue };
        for (s, role) in staff.iter_mut().enumerate() {
            match_name(role, "role", &format!("blocks[{b}].staff[{s}]"), &names, repairs);
        }
    }
}

/// Prompt v2: the changed items' names matched to the catalog.
pub fn prep_edit(value: &mut Value, facts: &PrepFacts, repairs: &mut Vec<String>) {
    let names: Vec<String> = facts.items.iter().map(|i| i.name.clone()).collect();
    let Some(changes) = value.get_mut("changes").and_then(Value::as_array_mut) else { return };
    for (i, change) in changes.iter_mut().enumerate() {
        match_name(change, "prep_item", &format!("changes[{i}]"), &names, repairs);
    }
}

/// Prompt v2: the changed roles' names matched to the catalog, and a block's start written
/// `9:00` read as `09:00`.
pub fn staffing_edit(value: &mut Value, facts: &StaffingFacts, repairs: &mut Vec<String>) {
    let names: Vec<String> = facts.roles.iter().map(|r| r.name.clone()).collect();
    let Some(changes) = value.get_mut("changes").and_then(Value::as_array_mut) else { return };
    for (i, change) in changes.iter_mut().enumerate() {
        let path = format!("changes[{i}]");
        match_name(change, "role", &path, &names, repairs);
        let Some(block) = change.get("block").and_then(Value::as_str) else { continue };
        let padded = format!("0{block}");
        if block.len() == 4 && facts.blocks.iter().any(|b| b.start == padded) {
            repairs.push(format!("{path}.block: read {block} as {padded}"));
            change["block"] = Value::String(padded);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_json_needs_no_repair() {
        let (value, repairs) = extract_json(r#" {"a": 1} "#).unwrap();
        assert_eq!(value["a"], 1);
        assert!(repairs.is_empty());
    }

    #[test]
    fn fences_and_prose_are_stripped() {
        let (value, repairs) = extract_json("Here you go:\n```json\n{\"a\": 2}\n```\nEnjoy!").unwrap();
        assert_eq!(value["a"], 2);
        assert_eq!(repairs.len(), 1);
        let (value, repairs) = extract_json("Sure! {\"a\": 3} Hope this helps.").unwrap();
        assert_eq!(value["a"], 3);
        assert_eq!(repairs, vec!["removed the text around the JSON"]);
    }

    #[test]
    fn line_breaks_inside_strings_are_read_as_spaces() {
        let raw = "{\"summary\": \"Busy night.\nTwo parties.\", \"changes\": []}";
        let (value, repairs) = extract_json(raw).unwrap();
        assert_eq!(value["summary"], "Busy night. Two parties.");
        assert_eq!(repairs, ["read line breaks and other control characters inside strings as spaces"]);
        let escaped = "{\"summary\": \"a \\\" quote\tand a tab\"}";
        assert_eq!(extract_json(escaped).unwrap().0["summary"], "a \" quote and a tab");
        assert!(extract_json("{\"summary\": \"cut off\n").is_err(), "still cut off");
    }

    #[test]
    fn truncated_or_missing_json_is_a_parse_failure() {
        assert!(extract_json("{\"items\": [{\"prep_item\": \"Aioli\", \"quan").is_err());
        assert!(extract_json("I cannot help with that.").is_err());
        assert!(extract_json("   ").is_err());
    }

    #[test]
    fn folding_ignores_case_accents_and_spacing() {
        assert_eq!(fold("  Crème  BRÛLÉE base "), "creme brulee base");
        // Apostrophes fold alike, as they do for the redactor's names.
        assert_eq!(fold("Chef’s  SPECIAL"), fold("chef's special"));
        assert_ne!(fold("Chef’s special"), fold("chefs special"));
    }

    #[test]
    fn units_convert_only_when_compatible() {
        assert_eq!(unit_factor(Unit::G, Unit::Kg), Some(0.001));
        assert_eq!(unit_factor(Unit::L, Unit::Ml), Some(1000.0));
        assert_eq!(unit_factor(Unit::Kg, Unit::L), None);
        assert_eq!(unit_factor(Unit::Each, Unit::Each), Some(1.0));
    }
}
