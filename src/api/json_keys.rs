//! A JSON body with the same key twice in one object is refused (400): parsers disagree on which
//! of the two wins (serde keeps the last, others the first), so a request could mean one thing
//! to a proxy or a log and another to Sous. Checked once the body has been read within its limit,
//! without building the document.
use std::collections::HashSet;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// Whether `body` is JSON with a key repeated in one of its objects. A body that is not JSON at
/// all is the parser's to refuse, so it is not reported here.
pub fn has_duplicate_keys(body: &[u8]) -> bool {
    match serde_json::from_slice::<Unique>(body) {
        Ok(_) => false,
        Err(err) => err.to_string().starts_with(DUPLICATE),
    }
}

const DUPLICATE: &str = "duplicate key";

/// Walks any JSON value, failing on a key seen twice in one object.
struct Unique;

impl<'de> Deserialize<'de> for Unique {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(UniqueVisitor)
    }
}

struct UniqueVisitor;

impl<'de> Visitor<'de> for UniqueVisitor {
    type Value = Unique;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Unique, A::Error> {
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if !seen.insert(key) {
                return Err(de::Error::custom(DUPLICATE));
            }
            map.next_value::<Unique>()?;
        }
        Ok(Unique)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Unique, A::Error> {
        while seq.next_element::<Unique>()?.is_some() {}
        Ok(Unique)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Unique, E> {
        Ok(Unique)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Unique, E> {
        Ok(Unique)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Unique, E> {
        Ok(Unique)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Unique, E> {
        Ok(Unique)
    }
    fn visit_str<E>(self, _: &str) -> Result<Unique, E> {
        Ok(Unique)
    }
    fn visit_unit<E>(self) -> Result<Unique, E> {
        Ok(Unique)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_twice_in_one_object_is_found_at_any_depth() {
        assert!(has_duplicate_keys(br#"{"name":"a","name":"b"}"#));
        assert!(has_duplicate_keys(br#"{"orders":[{"covers":1,"lines":[],"covers":2}]}"#));
        assert!(has_duplicate_keys(br#"{"a\u0062":1,"ab":2}"#), "escapes are compared decoded");
        assert!(!has_duplicate_keys(br#"{"a":{"x":1},"b":{"x":1},"c":[{"x":1},{"x":2}]}"#));
        assert!(!has_duplicate_keys(br#"{"name":"Maison"#), "not JSON: the parser's to refuse");
        assert!(!has_duplicate_keys(b"[1, 2.5, true, null, \"x\"]"));
    }
}
