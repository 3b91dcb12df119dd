//! Every JSON request body is checked against the schema the published document gives its
//! operation, before a handler sees it: the document is the rule, so a constraint cannot be
//! enforced without being published, nor published without being enforced. What breaks it is a
//! 422 `validation_failed` naming each field (`orders[2].lines[0].quantity`) and the rule in
//! words, never the value sent (it may be a guest's name, phone or note).
//!
//! The document is OpenAPI 3.0, whose schemas are JSON Schema draft 4 in all that matters here
//! (`exclusiveMinimum` is a boolean there). Formats are left to the parsers (a date-time that
//! chrono cannot read is their 400). Bodies that are not JSON are the parser's to refuse too.
use std::sync::Arc;

use jsonschema::{
    Draft, ValidationError,
    error::{TypeKind, ValidationErrorKind},
};
use poem::{Endpoint, IntoResponse, Request, Response, Result, http::Method};
use serde_json::Value;

use super::{fields, spec_paths::PathPattern};
use crate::error::{ApiError, ErrorResponse, FieldError};

/// At most this many problems are listed, then how many more there are.
const MAX_DETAILS: usize = 100;

/// The request-body schema of each operation of the document.
pub struct Contract(Vec<(Method, PathPattern, jsonschema::Validator)>);

impl Contract {
    /// Reads the document the service publishes. A schema that does not compile is a bug in the
    /// document, found at start-up.
    pub fn from_spec(spec: &str) -> Self {
        let document: Value = serde_json::from_str(spec).unwrap_or_else(|e| panic!("the OpenAPI document: {e}"));
        let mut bodies = Vec::new();
        for (path, item) in document["paths"].as_object().into_iter().flatten() {
            for (method, operation) in item.as_object().into_iter().flatten() {
                let Some(schema) = json_body_schema(operation) else { continue };
                let method = Method::from_bytes(method.to_uppercase().as_bytes())
                    .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
                // The components travel with the schema so that its `$ref`s resolve.
                let root = serde_json::json!({"allOf": [schema], "components": document["components"]});
                let validator = jsonschema::options()
                    .with_draft(Draft::Draft4)
                    .should_validate_formats(false)
                    .build(&root)
                    .unwrap_or_else(|e| panic!("the body schema of {method} {path}: {e}"));
                bodies.push((method, PathPattern::new(path), validator));
            }
        }
        Self(bodies)
    }

    /// What is wrong with `body` as the body of `method path`: nothing for an operation that
    /// takes no JSON body, or for a body that is not JSON; a 400 when its shape is wrong, else a
    /// 422 when its values break the rules.
    pub fn check(&self, method: &Method, path: &str, body: &[u8]) -> Result<(), ApiError> {
        let problems = self.problems(method, path, body);
        if problems.is_empty() {
            return Ok(());
        }
        let malformed = problems.iter().any(|(shape, _)| *shape);
        let mut details: Vec<FieldError> = problems.into_iter().map(|(_, problem)| problem).collect();
        if details.len() > MAX_DETAILS {
            let more = details.len() - MAX_DETAILS;
            details.truncate(MAX_DETAILS);
            details.push(FieldError::new("", format!("and {more} more problems")));
        }
        Err(if malformed { ApiError::Malformed(details) } else { ApiError::Validation(details) })
    }

    /// Each problem, and whether it is one of shape.
    fn problems(&self, method: &Method, path: &str, body: &[u8]) -> Vec<(bool, FieldError)> {
        let Some((_, _, validator)) = self.0.iter().find(|(m, pattern, _)| m == method && pattern.matches(path)) else {
            return Vec::new();
        };
        let Ok(value) = serde_json::from_slice::<Value>(body) else { return Vec::new() };
        let mut problems: Vec<(bool, FieldError)> =
            validator.iter_errors(&value).map(|e| (is_shape(e.kind()), describe(&e))).collect();
        problems.sort_by(|a, b| a.1.field.cmp(&b.1.field));
        problems.dedup_by(|a, b| a.1.field == b.1.field && a.1.message == b.1.message);
        problems
    }
}

fn json_body_schema(operation: &Value) -> Option<&Value> {
    operation["requestBody"]["content"]
        .as_object()?
        .iter()
        .find(|(media, _)| media.starts_with("application/json"))
        .map(|(_, content)| &content["schema"])
}

/// A field missing or of the wrong type, or a value outside its enumeration: what a typed parser
/// refuses too.
fn is_shape(kind: &ValidationErrorKind) -> bool {
    matches!(
        kind,
        ValidationErrorKind::Required { .. }
            | ValidationErrorKind::Type { .. }
            | ValidationErrorKind::Enum { .. }
            | ValidationErrorKind::AdditionalProperties { .. }
    )
}

/// The field and the rule; the value is never read.
fn describe(error: &ValidationError<'_>) -> FieldError {
    let field = crate::validation::dotted(&error.instance_path().to_string());
    let message = match error.kind() {
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            let field = if field.is_empty() { name.to_owned() } else { format!("{field}.{name}") };
            return FieldError::new(field, "is required");
        }
        ValidationErrorKind::Type { kind } => match kind {
            TypeKind::Single(ty) => format!("must be {}", with_article(&ty.to_string())),
            TypeKind::Multiple(types) => {
                let names: Vec<String> = types.iter().map(|t| t.to_string()).collect();
                format!("must be one of the types {}", names.join(", "))
            }
        },
        ValidationErrorKind::MinLength { limit } => format!("length must be at least {limit}"),
        ValidationErrorKind::MaxLength { limit } => format!("length must be at most {limit}"),
        ValidationErrorKind::Minimum { limit } => format!("must be at least {}", number(limit)),
        ValidationErrorKind::Maximum { limit } => format!("must be at most {}", number(limit)),
        ValidationErrorKind::ExclusiveMinimum { limit } => format!("must be more than {}", number(limit)),
        ValidationErrorKind::ExclusiveMaximum { limit } => format!("must be less than {}", number(limit)),
        ValidationErrorKind::MinItems { limit } => format!("must have at least {limit} items"),
        ValidationErrorKind::MaxItems { limit } => format!("must have at most {limit} items"),
        ValidationErrorKind::UniqueItems => "must not list the same item twice".to_owned(),
        ValidationErrorKind::Enum { options } => {
            let names: Vec<String> = options
                .as_array()
                .into_iter()
                .flatten()
                .map(|o| o.as_str().map_or_else(|| o.to_string(), str::to_owned))
                .collect();
            format!("must be one of: {}", names.join(", "))
        }
        ValidationErrorKind::Pattern { pattern } => {
            fields::pattern_rule(pattern).map_or_else(|| "does not have the required form".to_owned(), str::to_owned)
        }
        ValidationErrorKind::AdditionalProperties { .. } => "has fields the document does not define".to_owned(),
        other => format!("breaks the rule `{}` of the document", other.keyword()),
    };
    FieldError::new(field, message)
}

fn with_article(noun: &str) -> String {
    let article = if noun.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
    format!("{article} {noun}")
}

/// `1.0` from the document reads `1`; `0.001` stays.
fn number(limit: &Value) -> String {
    match limit.as_f64() {
        Some(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", n as i64),
        Some(n) => n.to_string(),
        None => limit.to_string(),
    }
}

/// Refuses a body that breaks its operation's schema. The body has been read within its limit
/// already ([`super::body_limit`]); it is put back as it was.
pub async fn check_body<E: Endpoint>(next: E, mut req: Request, contract: Arc<Contract>) -> Result<Response> {
    if !matches!(*req.method(), Method::POST | Method::PUT | Method::PATCH) {
        return Ok(next.call(req).await?.into_response());
    }
    let body = req.take_body().into_bytes().await?;
    if let Err(err) = contract.check(req.method(), req.uri().path(), &body) {
        return Ok(ErrorResponse::from(err).into_response());
    }
    req.set_body(body);
    Ok(next.call(req).await?.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contract() -> Contract {
        let spec = serde_json::json!({
            "paths": {"/things/{id}": {"post": {"requestBody": {"content": {"application/json; charset=utf-8": {
                "schema": {"$ref": "#/components/schemas/Batch"}}}}}}},
            "components": {"schemas": {
                "Batch": {"type": "object", "required": ["things"], "properties": {
                    "things": {"type": "array", "minItems": 1, "maxItems": 2, "items": {"$ref": "#/components/schemas/Thing"}}}},
                "Thing": {"type": "object", "required": ["name", "count"], "properties": {
                    "name": {"type": "string", "minLength": 1, "maxLength": 5, "pattern": crate::validation::VISIBLE_TEXT.as_str()},
                    "count": {"type": "integer", "minimum": 1.0, "maximum": 10.0},
                    "share": {"type": "number", "minimum": 0.0, "exclusiveMinimum": true},
                    "kind": {"type": "string", "enum": ["a", "b"]}}}}}
        });
        Contract::from_spec(&spec.to_string())
    }

    fn problems(body: Value) -> Vec<(String, String)> {
        contract()
            .problems(&Method::POST, "/things/7", body.to_string().as_bytes())
            .into_iter()
            .map(|(_, p)| (p.field, p.message))
            .collect()
    }

    #[test]
    fn each_broken_rule_names_its_field_and_the_rule() {
        let found = problems(serde_json::json!({"things": [
            {"name": "ok", "count": 3},
            {"name": false, "count": 11, "share": 0, "kind": "c"},
        ]}));
        let expected = [
            ("things[1].count", "must be at most 10"),
            ("things[1].kind", "must be one of: a, b"),
            ("things[1].name", "must be a string"),
            ("things[1].share", "must be more than 0"),
        ];
        assert_eq!(found, expected.map(|(f, m)| (f.to_owned(), m.to_owned())));
        assert_eq!(
            problems(serde_json::json!({"things": []})),
            [("things".into(), "must have at least 1 items".into())]
        );
        assert_eq!(
            problems(serde_json::json!({"things": [{"count": 1}]})),
            [("things[0].name".into(), "is required".into())]
        );
    }

    #[test]
    fn no_message_quotes_the_value() {
        let secret = "Philippa Grimsditch +44 20 7946 0874";
        for value in [Value::from(secret), serde_json::json!([secret]), serde_json::json!({"note": secret})] {
            for field in ["name", "count", "kind"] {
                let mut thing = serde_json::json!({"name": "ok", "count": 1});
                thing[field] = value.clone();
                let found = problems(serde_json::json!({"things": [thing]}));
                assert!(!found.is_empty(), "{field}: {value}");
                for (_, message) in found {
                    for word in ["Philippa", "7946", "0874", "Grimsditch"] {
                        assert!(!message.contains(word), "{message}");
                    }
                }
            }
        }
        let name = problems(serde_json::json!({"things": [{"name": "\u{200B}", "count": 1}]}));
        assert_eq!(name, [("things[0].name".into(), crate::validation::VISIBLE_TEXT_RULE.into())]);
    }

    #[test]
    fn a_wrong_shape_is_a_bad_request_and_a_broken_rule_unprocessable() {
        let contract = contract();
        let check = |body: Value| contract.check(&Method::POST, "/things/7", body.to_string().as_bytes());
        assert!(check(serde_json::json!({"things": [{"name": "ok", "count": 3}]})).is_ok());
        assert!(matches!(
            check(serde_json::json!({"things": [{"name": "ok", "count": 30}]})),
            Err(ApiError::Validation(_))
        ));
        for shape in [
            serde_json::json!({}),
            serde_json::json!({"things": [{"name": 1, "count": 30}]}),
            serde_json::json!({"things": [{"name": "ok", "count": 3, "kind": "z"}]}),
        ] {
            assert!(matches!(check(shape.clone()), Err(ApiError::Malformed(_))), "{shape}");
        }
    }

    #[test]
    fn a_long_list_of_problems_is_cut() {
        let things: Vec<Value> = (0..150).map(|_| serde_json::json!({"name": "", "count": 0})).collect();
        let body = serde_json::json!({"things": things}).to_string();
        let Err(ApiError::Validation(details)) = contract().check(&Method::POST, "/things/7", body.as_bytes()) else {
            panic!("a 422")
        };
        assert_eq!(details.len(), MAX_DETAILS + 1);
        assert!(details[MAX_DETAILS].message.starts_with("and "), "{:?}", details[MAX_DETAILS]);
    }

    #[test]
    fn other_operations_and_bodies_that_are_not_json_are_left_to_the_parser() {
        let contract = contract();
        assert!(contract.problems(&Method::PUT, "/things/7", b"{}").is_empty());
        assert!(contract.problems(&Method::POST, "/other", b"{}").is_empty());
        assert!(contract.problems(&Method::POST, "/things/7", b"{not json").is_empty());
        assert!(!contract.problems(&Method::POST, "/things/7", b"{}").is_empty());
    }
}
