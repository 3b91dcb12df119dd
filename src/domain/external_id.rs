//! The client's own id for an order or reservation: the key that makes ingest idempotent.

/// 1 to 64 characters from `A-Z a-z 0-9 . _ : -`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ExternalId(String);

impl ExternalId {
    pub const MAX_LEN: usize = 64;

    pub fn parse(text: &str) -> Result<Self, String> {
        if text.is_empty() || text.len() > Self::MAX_LEN {
            return Err(format!("must be 1 to {} characters long", Self::MAX_LEN));
        }
        if let Some(bad) = text.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | ':' | '-'))) {
            return Err(format!("may only contain letters, digits, '.', '_', ':' and '-' (found {bad:?})"));
        }
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::ExternalId;

    #[test]
    fn accepts_typical_pos_ids() {
        assert!(ExternalId::parse("pos-2026-11-22:000123").is_ok());
        assert!(ExternalId::parse("A.b_c").is_ok());
    }

    #[test]
    fn refuses_empty_long_and_odd_characters() {
        assert!(ExternalId::parse("").is_err());
        assert!(ExternalId::parse(&"x".repeat(65)).is_err());
        assert!(ExternalId::parse("has space").is_err());
        assert!(ExternalId::parse("semi;colon").is_err());
    }
}
