//! Bearer tokens: verifying a request's JWT into a [`Caller`], and minting development tokens.
//! The algorithm is fixed by configuration, never taken from the token; issuer and audience are
//! checked, expiry and not-before enforced with the configured leeway.
//!
//! Verified tokens are remembered (by their exact text, until they expire) so that a dashboard
//! polling with one token pays for its verification once, not on every read.
mod keys;
mod token;

use std::{
    collections::HashMap,
    sync::{
        Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::{SystemTime, UNIX_EPOCH},
};

use jsonwebtoken::{Validation, errors::ErrorKind};
pub use token::{Audience, Claims, Grant, mint};

use crate::{
    config::AuthSettings,
    domain::{Caller, Role},
};

/// How many verified tokens are remembered at most (the memo is emptied when it is full).
const REMEMBERED_TOKENS: usize = 10_000;

/// Verifies bearer tokens with the configured algorithm and keys.
pub struct Verifier {
    keys: keys::Keys,
    validation: Validation,
    /// Verified tokens by their signature (short, and unique to the token), with the whole
    /// token (compared on every hit), the caller and the expiry (Unix seconds, leeway included).
    verified: Mutex<HashMap<Box<str>, Remembered>>,
    /// Tokens accepted and refused (for `/metrics`): only an accepted one lets a request on.
    pub accepted: AtomicU64,
    pub refused: AtomicU64,
}

struct Remembered {
    token: Box<str>,
    caller: Caller,
    expires: i64,
}

/// The signature part of a token (its last segment), the memo's key.
fn signature(token: &str) -> &str {
    token.rsplit('.').next().unwrap_or(token)
}

/// Why a token was refused, as the 401 says it (never quoting the token).
pub type Refusal = &'static str;

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

impl Verifier {
    /// Loads the keys; an unreadable or unusable key file is an error here, at start-up.
    pub fn new(settings: &AuthSettings) -> Result<Self, String> {
        let keys = keys::load(settings.algorithm, &settings.keys)?;
        let mut validation = Validation::new(keys::algorithm(settings.algorithm));
        validation.leeway = settings.leeway.as_secs();
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.set_issuer(&[&settings.issuer]);
        validation.set_audience(&[&settings.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        let verified = Mutex::new(HashMap::new());
        Ok(Self { keys, validation, verified, accepted: AtomicU64::new(0), refused: AtomicU64::new(0) })
    }

    /// The caller a token speaks for, or why it is refused.
    pub fn verify(&self, token: &str) -> Result<Caller, Refusal> {
        let verified = self.remembered_or_verified(token);
        let counter = if verified.is_ok() { &self.accepted } else { &self.refused };
        counter.fetch_add(1, Ordering::Relaxed);
        verified
    }

    /// A request that carried no usable `Authorization` header, for the refusal count.
    pub fn count_refusal(&self) {
        self.refused.fetch_add(1, Ordering::Relaxed);
    }

    fn remembered_or_verified(&self, token: &str) -> Result<Caller, Refusal> {
        let now = now();
        if let Ok(verified) = self.verified.lock()
            && let Some(remembered) = verified.get(signature(token))
            && *remembered.token == *token
            && now <= remembered.expires
        {
            return Ok(remembered.caller.clone());
        }
        let (caller, expires) = self.verify_afresh(token)?;
        if token.len() <= 4096
            && let Ok(mut verified) = self.verified.lock()
        {
            if verified.len() >= REMEMBERED_TOKENS {
                verified.clear();
            }
            let remembered = Remembered { token: Box::from(token), caller: caller.clone(), expires };
            verified.insert(Box::from(signature(token)), remembered);
        }
        Ok(caller)
    }

    fn verify_afresh(&self, token: &str) -> Result<(Caller, i64), Refusal> {
        if token.is_empty() || token.len() > 8192 {
            return Err("the bearer token is malformed");
        }
        let header = jsonwebtoken::decode_header(token).map_err(|_| "the bearer token is malformed")?;
        let key = self.keys.for_kid(header.kid.as_deref()).ok_or("the token's key id is not known")?;
        let data = jsonwebtoken::decode::<Claims>(token, key, &self.validation).map_err(|e| refusal(e.kind()))?;
        let claims = data.claims;
        let role = Role::parse(&claims.role).ok_or("the token's role is not one Sous knows")?;
        let subject = claims.sub.trim();
        if claims.tenant <= 0 || subject.is_empty() || subject.len() > 200 {
            return Err("the token's subject or tenant is invalid");
        }
        if claims.locations.as_ref().is_some_and(|ids| ids.len() > 10_000 || ids.iter().any(|id| *id <= 0)) {
            return Err("the token's locations are invalid");
        }
        let expires = claims.exp.saturating_add(self.validation.leeway as i64);
        Ok((Caller::new(subject, claims.tenant, role, claims.locations), expires))
    }
}

fn refusal(kind: &ErrorKind) -> Refusal {
    match kind {
        ErrorKind::ExpiredSignature => "the token has expired",
        ErrorKind::ImmatureSignature => "the token is not valid yet",
        ErrorKind::InvalidIssuer => "the token's issuer is not accepted",
        ErrorKind::InvalidAudience => "the token's audience is not accepted",
        ErrorKind::InvalidSignature => "the token's signature does not verify",
        ErrorKind::InvalidAlgorithm | ErrorKind::InvalidAlgorithmName | ErrorKind::MissingAlgorithm => {
            "the token's algorithm is not accepted"
        }
        ErrorKind::MissingRequiredClaim(_) => "the token lacks a required claim",
        _ => "the bearer token is malformed",
    }
}

/// The token of an `Authorization: Bearer …` header value.
pub fn bearer(header: &[u8]) -> Option<&str> {
    let text = std::str::from_utf8(header).ok()?;
    let (scheme, token) = text.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim()).filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use secrecy::SecretString;

    use super::*;

    const SECRET: &str = "a-unit-test-secret-of-32-bytes-or-more";

    fn verifier(leeway_secs: u64) -> Verifier {
        let mut settings = AuthSettings::hs256(SecretString::from(SECRET));
        settings.leeway = Duration::from_secs(leeway_secs);
        Verifier::new(&settings).expect("a verifier")
    }

    fn token(ttl: Duration) -> String {
        let grant = Grant { subject: "s".into(), tenant_id: 7, role: Role::Staff, locations: Some(vec![3]), ttl };
        mint(&SecretString::from(SECRET), "sous", "sous", &grant).expect("a token")
    }

    #[test]
    fn a_remembered_token_is_still_refused_once_it_expires() {
        let verifier = verifier(0);
        let token = token(Duration::from_secs(1));
        let caller = verifier.verify(&token).expect("valid now");
        assert_eq!((caller.tenant_id(), caller.role(), caller.locations()), (Some(7), Role::Staff, Some(&[3][..])));
        assert_eq!(verifier.verify(&token), Ok(caller), "remembered");
        std::thread::sleep(Duration::from_millis(2100));
        assert_eq!(verifier.verify(&token), Err("the token has expired"));
    }

    #[test]
    fn a_remembered_signature_on_another_payload_is_refused() {
        let verifier = verifier(30);
        let token = token(Duration::from_secs(600));
        verifier.verify(&token).expect("valid");
        let parts: Vec<&str> = token.split('.').collect();
        let other = self::token(Duration::from_secs(900));
        let other_payload = other.split('.').nth(1).expect("a payload");
        let forged = format!("{}.{other_payload}.{}", parts[0], parts[2]);
        assert_eq!(verifier.verify(&forged), Err("the token's signature does not verify"));
        assert_eq!(verifier.accepted.load(Ordering::Relaxed), 1);
        assert_eq!(verifier.refused.load(Ordering::Relaxed), 1);
    }

    #[test]
    fn only_a_bearer_header_carries_a_token() {
        assert_eq!(bearer(b"Bearer abc"), Some("abc"));
        assert_eq!(bearer(b"bearer  abc "), Some("abc"));
        assert_eq!(bearer(b"Basic abc"), None);
        assert_eq!(bearer(b"Bearer "), None);
        assert_eq!(bearer(b"Bearer"), None);
    }
}
