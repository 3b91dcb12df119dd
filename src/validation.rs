//! Turns `validator` errors into field-named [`FieldError`]s with paths like `orders[2].quantity`.
use std::borrow::Cow;

use validator::{Validate, ValidationErrors, ValidationErrorsKind};

use crate::error::{ApiError, FieldError};

/// Runs the request's `validator` rules; every broken rule becomes one [`FieldError`].
pub fn validate<T: Validate>(value: &T) -> Result<(), ApiError> {
    value.validate().map_err(|errors| ApiError::Validation(field_errors(&errors)))
}

pub fn field_errors(errors: &ValidationErrors) -> Vec<FieldError> {
    let mut out = Vec::new();
    collect("", errors, &mut out);
    out.sort_by(|a, b| a.field.cmp(&b.field));
    out
}

fn collect(prefix: &str, errors: &ValidationErrors, out: &mut Vec<FieldError>) {
    for (field, kind) in errors.errors() {
        let path = if prefix.is_empty() { field.to_string() } else { format!("{prefix}.{field}") };
        match kind {
            ValidationErrorsKind::Field(list) => {
                for error in list {
                    out.push(FieldError::new(path.clone(), describe(error)));
                }
            }
            ValidationErrorsKind::Struct(inner) => collect(&path, inner, out),
            ValidationErrorsKind::List(items) => {
                for (index, inner) in items {
                    collect(&format!("{path}[{index}]"), inner, out);
                }
            }
        }
    }
}

fn describe(error: &validator::ValidationError) -> String {
    if let Some(message) = &error.message {
        return message.to_string();
    }
    let param = |name: &str| error.params.get(name).map(|v| v.to_string());
    match error.code.as_ref() {
        "range" => match (param("min").or(param("exclusive_min")), param("max")) {
            (Some(min), Some(max)) => format!("must be between {min} and {max}"),
            (Some(min), None) => format!("must be at least {min}"),
            (None, Some(max)) => format!("must be at most {max}"),
            _ => "is out of range".to_owned(),
        },
        "length" => match (param("min"), param("max")) {
            (Some(min), Some(max)) => format!("length must be between {min} and {max}"),
            (Some(min), None) => format!("length must be at least {min}"),
            (None, Some(max)) => format!("length must be at most {max}"),
            _ => "has a wrong length".to_owned(),
        },
        "email" => "must be an email address".to_owned(),
        other => Cow::Borrowed(other).replace('_', " "),
    }
}

/// Names and labels as people write them: at least one visible character, and no control
/// characters (NUL, escapes such as ANSI colour codes) nor text-direction controls (a
/// right-to-left override makes a name read differently from what is stored). Zero-width and
/// other invisible characters do not count as visible.
pub fn not_blank(text: &str) -> Result<(), validator::ValidationError> {
    let rule = |code: &'static str, message: &'static str| {
        let mut error = validator::ValidationError::new(code);
        error.message = Some(Cow::Borrowed(message));
        Err(error)
    };
    if text.chars().any(|c| c.is_control() || is_direction_control(c)) {
        return rule("control_characters", "must not contain control or text-direction characters");
    }
    if !text.chars().any(|c| !c.is_whitespace() && !is_invisible(c)) {
        return rule("blank", "must have a visible character");
    }
    Ok(())
}

/// Bidirectional embeddings, overrides, isolates and marks.
fn is_direction_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that take no room: zero-width spaces and joiners, word joiner, byte-order mark,
/// soft hyphen, Mongolian vowel separator, and the invisible operators.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{180E}' | '\u{200B}'..='\u{200D}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
}

/// A JSON pointer as a field path: `/orders/2/quantity` -> `orders[2].quantity`.
pub fn dotted(pointer: &str) -> String {
    let mut out = String::new();
    for segment in pointer.split('/').filter(|s| !s.is_empty()) {
        if segment.chars().all(|c| c.is_ascii_digit()) {
            out.push_str(&format!("[{segment}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&segment.replace("~1", "/").replace("~0", "~"));
        }
    }
    out
}

/// Adds the path of a list element to errors found while converting it.
pub fn collect_errors<T>(
    results: impl Iterator<Item = Result<T, Vec<crate::error::FieldError>>>,
) -> Result<Vec<T>, ApiError> {
    let mut ok = Vec::new();
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok(value) => ok.push(value),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() { Ok(ok) } else { Err(ApiError::Validation(errors)) }
}

#[cfg(test)]
mod tests {
    #[test]
    fn pointers_become_dotted_paths() {
        assert_eq!(super::dotted("/items/3/quantity"), "items[3].quantity");
        assert_eq!(super::dotted(""), "");
        assert_eq!(super::dotted("/summary"), "summary");
        assert_eq!(super::dotted("/a~1b/c~0d"), "a/b.c~d");
    }

    #[test]
    fn a_name_needs_a_visible_character_and_no_control_characters() {
        for good in ["Café Brûlée", "张伟", "O'Brien & Sons", " Le Bistro "] {
            assert!(super::not_blank(good).is_ok(), "{good:?}");
        }
        for bad in [
            "",
            "   ",
            "\u{200B}\u{200B}",
            "\u{FEFF}",
            "a\0b",
            "\u{1b}[31mred",
            "abc\u{202E}cba",
            "tab\there",
            "x\u{2066}",
        ] {
            assert!(super::not_blank(bad).is_err(), "{bad:?}");
        }
    }
}
