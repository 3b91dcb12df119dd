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
        "range" => match (param("min"), param("max")) {
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

/// Names and labels: not only whitespace.
pub fn not_blank(text: &str) -> Result<(), validator::ValidationError> {
    if text.trim().is_empty() {
        let mut error = validator::ValidationError::new("blank");
        error.message = Some(Cow::Borrowed("must not be blank"));
        return Err(error);
    }
    Ok(())
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
