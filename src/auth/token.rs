//! The claims Sous reads from a bearer token, and minting tokens for development (`sous token`,
//! the demo) with the shared HS256 secret.
use std::time::Duration;

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use crate::domain::Role;

/// A token's claims. `exp` and `nbf` are typed: a claim of the wrong type fails to parse, and the
/// token with it. Other claims an identity provider adds are ignored.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// Who the token speaks for (a person or a system), for the logs.
    pub sub: String,
    /// The tenant's id.
    pub tenant: i64,
    /// `owner`, `manager`, `staff`, `reviewer` or `integration`.
    pub role: String,
    /// The only locations of the tenant the subject may see; absent means all of them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locations: Option<Vec<i64>>,
    pub iss: String,
    pub aud: Audience,
    pub exp: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<i64>,
}

/// `aud` is a string or a list of strings (RFC 7519 §4.1.3).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Audience {
    One(String),
    Many(Vec<String>),
}

/// What a development token says: whose it is and what it may reach.
#[derive(Debug, Clone)]
pub struct Grant {
    pub subject: String,
    pub tenant_id: i64,
    pub role: Role,
    pub locations: Option<Vec<i64>>,
    pub ttl: Duration,
}

/// Mints an HS256 token for `grant`, valid from now for its time to live.
pub fn mint(secret: &SecretString, issuer: &str, audience: &str, grant: &Grant) -> Result<String, String> {
    let now = chrono::Utc::now().timestamp();
    let ttl = i64::try_from(grant.ttl.as_secs()).map_err(|_| "the time to live is too long".to_owned())?;
    let claims = Claims {
        sub: grant.subject.clone(),
        tenant: grant.tenant_id,
        role: grant.role.as_str().to_owned(),
        locations: grant.locations.clone(),
        iss: issuer.to_owned(),
        aud: Audience::One(audience.to_owned()),
        exp: now + ttl,
        nbf: Some(now),
        iat: Some(now),
    };
    let key = EncodingKey::from_secret(secret.expose_secret().as_bytes()).map_err(|e| format!("bad secret: {e}"))?;
    jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &key).map_err(|e| format!("cannot sign: {e}"))
}
