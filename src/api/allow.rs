//! A 405 says which methods the path takes (`Allow`, RFC 9110 §15.5.6), read from the OpenAPI
//! document the service publishes, so the header and the contract cannot disagree.
use std::sync::Arc;

use poem::{
    Endpoint, IntoResponse, Request, Response, Result,
    http::{HeaderValue, StatusCode, header::ALLOW},
};

use super::spec_paths::PathPattern;

/// The paths of the document and their methods, plus the document itself.
pub struct Methods(Vec<(PathPattern, String)>);

impl Methods {
    pub fn from_spec(spec: &str) -> Self {
        let document: serde_json::Value = serde_json::from_str(spec).unwrap_or_default();
        let mut paths: Vec<(PathPattern, String)> = document["paths"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(path, item)| {
                let mut methods: Vec<String> =
                    item.as_object().into_iter().flatten().map(|(m, _)| m.to_uppercase()).collect();
                methods.sort();
                (PathPattern::new(path), methods.join(", "))
            })
            .collect();
        paths.push((PathPattern::new("/openapi.json"), "GET".to_owned()));
        Self(paths)
    }

    fn allowed(&self, path: &str) -> Option<&str> {
        self.0.iter().find(|(pattern, _)| pattern.matches(path)).map(|(_, methods)| methods.as_str())
    }
}

/// Adds `Allow` to every 405.
pub async fn on_405<E: Endpoint>(next: E, req: Request, methods: Arc<Methods>) -> Result<Response> {
    let path = req.uri().path().to_owned();
    let mut response = match next.call(req).await {
        Ok(response) => response.into_response(),
        Err(err) if err.status() == StatusCode::METHOD_NOT_ALLOWED => crate::error::render_poem_error(err).await,
        Err(err) => return Err(err),
    };
    if response.status() == StatusCode::METHOD_NOT_ALLOWED
        && let Some(allowed) = methods.allowed(&path).and_then(|m| HeaderValue::from_str(m).ok())
    {
        response.headers_mut().insert(ALLOW, allowed);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_gets_the_methods_of_its_pattern() {
        let spec = r#"{"paths": {"/api/v1/locations/{id}/staffing": {"get": {}}, "/api/v1/locations": {"post": {}, "get": {}}}}"#;
        let methods = Methods::from_spec(spec);
        assert_eq!(methods.allowed("/api/v1/locations/12/staffing"), Some("GET"));
        assert_eq!(methods.allowed("/api/v1/locations"), Some("GET, POST"));
        assert_eq!(methods.allowed("/openapi.json"), Some("GET"));
        assert_eq!(methods.allowed("/api/v1/elsewhere"), None);
    }
}
