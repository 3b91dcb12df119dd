//! Field rules shared by the API and the command line, and field-named [`FieldError`]s with
//! paths like `orders[2].quantity` (from `validator` errors and from JSON pointers).
use std::{borrow::Cow, sync::LazyLock};

use regex::Regex;
use validator::{ValidationErrors, ValidationErrorsKind};

use crate::error::{ApiError, FieldError};

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

/// Control characters (C0, DEL, C1) and text-direction controls (a right-to-left override makes
/// a name read differently from what is stored).
const FORBIDDEN: &str = r"\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069";
/// Characters that show nothing: Unicode white space, and the zero-width and invisible ones
/// (soft hyphen, Mongolian vowel separator, joiners, word joiner, invisible operators, BOM).
const BLANK: &str = r" \u00A0\u00AD\u1680\u180E\u2000-\u200D\u2028\u2029\u202F\u205F-\u2064\u3000\uFEFF";

/// Names and labels as people write them: no control or direction characters, and one visible
/// character at least. The OpenAPI document publishes this very pattern, written with `\uXXXX`
/// classes only so that JSON Schema (ECMA 262), Rust and Python read it alike.
pub static VISIBLE_TEXT: LazyLock<String> =
    LazyLock::new(|| format!("^[^{FORBIDDEN}]*[^{FORBIDDEN}{BLANK}][^{FORBIDDEN}]*$"));
/// [`VISIBLE_TEXT`] in words.
pub const VISIBLE_TEXT_RULE: &str = "must have a visible character and no control or text-direction characters";

static VISIBLE_TEXT_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&VISIBLE_TEXT).unwrap_or_else(|e| panic!("the visible-text pattern: {e}")));

/// Whether `text` is a name as [`VISIBLE_TEXT`] says.
pub fn is_visible_text(text: &str) -> bool {
    VISIBLE_TEXT_RE.is_match(text)
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
        for good in ["Café Brûlée", "张伟", "O'Brien & Sons", " Le Bistro ", "x", "🍋"] {
            assert!(super::is_visible_text(good), "{good:?}");
        }
        for bad in [
            "",
            "   ",
            "\u{200B}\u{200B}",
            "\u{FEFF}",
            "\u{00A0}\u{3000}",
            "a\0b",
            "\u{1b}[31mred",
            "abc\u{202E}cba",
            "tab\there",
            "x\u{2066}",
            "line\n",
            "\u{85}x",
        ] {
            assert!(!super::is_visible_text(bad), "{bad:?}");
        }
    }
}
