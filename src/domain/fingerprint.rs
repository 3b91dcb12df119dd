//! Fingerprints of anything stored or shared between processes (stored plans' input
//! fingerprints, ETags, PostgreSQL advisory-lock keys): SHA-256, whose output is fixed by its
//! specification, so every replica and every build (whatever the toolchain) agrees. `std`'s
//! `DefaultHasher` is not used for these: its algorithm may change between Rust releases.
use sha2::{Digest, Sha256};

/// The first 64 bits of the SHA-256 of `parts`, each prefixed with its length (so `("ab", "c")`
/// and `("a", "bc")` differ).
pub fn fingerprint64(parts: &[&[u8]]) -> u64 {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part);
    }
    let digest = hasher.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first)
}

/// [`fingerprint64`] of one text, as 16 hex digits.
pub fn fingerprint_hex(text: &str) -> String {
    format!("{:016x}", fingerprint64(&[text.as_bytes()]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pinned: a change here orphans every stored plan and changes every ETag, and replicas
    /// built differently would lock different keys. Change it only on purpose.
    #[test]
    fn fingerprints_are_pinned_to_known_values() {
        assert_eq!(fingerprint_hex(""), "af5570f5a1810b7a");
        // A plan's cache key as `cache::PlanCache::key` writes it.
        let key = "t1/l1/prep_list/2026-11-23/prep_list/v1@gpt-4o-mini/v3.1.0.0.2.2.1.0.0.0.0";
        assert_eq!(fingerprint_hex(key), "ee7f5b901c432a7c");
        assert_eq!(fingerprint64(&[key.as_bytes()]), u64::from_str_radix("ee7f5b901c432a7c", 16).unwrap_or_default());
    }

    #[test]
    fn parts_are_delimited() {
        assert_ne!(fingerprint64(&[b"ab", b"c"]), fingerprint64(&[b"a", b"bc"]));
    }
}
