//! The keys that verify tokens: the shared secret (HS256), or public keys from a PEM file or a
//! JWKS document (RS256, ES256), loaded once at start-up.
use std::path::Path;

use jsonwebtoken::{Algorithm, DecodingKey, jwk::JwkSet};
use secrecy::ExposeSecret;

use crate::config::{AuthAlgorithm, AuthKeys};

/// The verification keys: one key, or a JWKS's keys by `kid`.
pub enum Keys {
    One(DecodingKey),
    ById(Vec<(Option<String>, DecodingKey)>),
}

pub fn algorithm(configured: AuthAlgorithm) -> Algorithm {
    match configured {
        AuthAlgorithm::Hs256 => Algorithm::HS256,
        AuthAlgorithm::Rs256 => Algorithm::RS256,
        AuthAlgorithm::Es256 => Algorithm::ES256,
    }
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

pub fn load(algorithm: AuthAlgorithm, keys: &AuthKeys) -> Result<Keys, String> {
    match (algorithm, keys) {
        (AuthAlgorithm::Hs256, AuthKeys::Secret(secret)) => DecodingKey::from_secret(secret.expose_secret().as_bytes())
            .map(Keys::One)
            .map_err(|e| format!("the secret cannot be used: {e}")),
        (AuthAlgorithm::Rs256, AuthKeys::PublicKeyFile(path)) => DecodingKey::from_rsa_pem(&read(path)?)
            .map(Keys::One)
            .map_err(|e| format!("{} holds no RSA public key in PEM: {e}", path.display())),
        (AuthAlgorithm::Es256, AuthKeys::PublicKeyFile(path)) => DecodingKey::from_ec_pem(&read(path)?)
            .map(Keys::One)
            .map_err(|e| format!("{} holds no EC public key in PEM: {e}", path.display())),
        (_, AuthKeys::JwksFile(path)) => jwks(algorithm, path),
        (AuthAlgorithm::Hs256, _) => Err("HS256 verifies with SOUS_AUTH_SECRET, not a key file".to_owned()),
        (_, AuthKeys::Secret(_)) => Err("RS256 and ES256 verify with a public key, not a secret".to_owned()),
    }
}

/// The keys of a JWKS that can verify `algorithm`'s signatures (keys for other algorithms or for
/// encryption are left out); at least one must remain.
fn jwks(configured: AuthAlgorithm, path: &Path) -> Result<Keys, String> {
    let set: JwkSet =
        serde_json::from_slice(&read(path)?).map_err(|e| format!("{} is not a JWKS document: {e}", path.display()))?;
    let algorithm = algorithm(configured);
    let mut keys = Vec::new();
    for jwk in &set.keys {
        let for_signing = !matches!(jwk.common.public_key_use, Some(jsonwebtoken::jwk::PublicKeyUse::Encryption));
        let same_algorithm = jwk.common.key_algorithm.is_none_or(|a| a.to_string() == format!("{algorithm:?}"));
        let Ok(key) = DecodingKey::from_jwk(jwk) else { continue };
        if for_signing && same_algorithm && key.family() == algorithm.family() {
            keys.push((jwk.common.key_id.clone(), key));
        }
    }
    if keys.is_empty() {
        return Err(format!("{} holds no key for {algorithm:?}", path.display()));
    }
    Ok(Keys::ById(keys))
}

impl Keys {
    /// The key for a token whose header names `kid`: a JWKS's key of that id (or its only key
    /// when the token names none).
    pub fn for_kid(&self, kid: Option<&str>) -> Option<&DecodingKey> {
        match self {
            Self::One(key) => Some(key),
            Self::ById(keys) => match kid {
                Some(kid) => keys.iter().find(|(id, _)| id.as_deref() == Some(kid)).map(|(_, key)| key),
                None if keys.len() == 1 => keys.first().map(|(_, key)| key),
                None => None,
            },
        }
    }
}
