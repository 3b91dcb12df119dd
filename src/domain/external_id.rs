//! The client's own id for an order or reservation: the key that makes ingest idempotent.

/// 1 to 64 characters from `A-Z a-z 0-9 . _ : -`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ExternalId(String);

/// What a point of sale's or booking system's id may be, as the OpenAPI document publishes it.
pub const PATTERN: &str = r"^[A-Za-z0-9._:-]{1,64}$";

static RULE: std::sync::LazyLock<regex::Regex> =
    std::sync::LazyLock::new(|| regex::Regex::new(PATTERN).unwrap_or_else(|e| panic!("{PATTERN}: {e}")));

impl ExternalId {
    pub const MAX_LEN: usize = 64;
    /// [`PATTERN`] in words.
    pub const RULE: &str = "must be 1 to 64 letters, digits, '.', '_', ':' or '-'";

    pub fn parse(text: &str) -> Result<Self, String> {
        if !RULE.is_match(text) {
            return Err(Self::RULE.to_owned());
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
        assert!(ExternalId::parse("line\n").is_err());
        assert!(ExternalId::parse(&"x".repeat(64)).is_ok());
    }
}
