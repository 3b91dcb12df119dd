//! The guest's own name from the reservation record, found in any case, with or without accents
//! and apostrophes: known "Siobhán O'Brien" finds "siobhan", "OBRIEN", "O’Brien" and the full name.

use super::fold::{Folded, fold, is_word_byte};
use super::words;

/// Known names parsed once per note into folded token sequences.
pub(super) struct KnownNames {
    patterns: Vec<Pattern>,
}

struct Pattern {
    /// Folded tokens without apostrophes, matched one after the other across whitespace.
    tokens: Vec<Vec<u8>>,
    /// The token is also an everyday word ("Olive", "Rose"): only capitalised occurrences count.
    capitalized_only: bool,
}

impl KnownNames {
    pub fn parse(names: &[&str]) -> Self {
        let mut patterns: Vec<Pattern> = Vec::new();
        for name in names {
            let tokens = tokens(name);
            if tokens.len() > 1 {
                patterns.push(Pattern { tokens: tokens.clone(), capitalized_only: false });
            }
            // Each part alone, and each half of a hyphenated part ("Mary-Kate" -> "Mary", "Kate").
            let mut parts = Vec::new();
            for token in tokens {
                if token.contains(&b'-') {
                    parts.extend(token.split(|b| *b == b'-').map(<[u8]>::to_vec));
                }
                parts.push(token);
            }
            for part in parts {
                let word = String::from_utf8_lossy(&part);
                let letters = word.chars().filter(|c| c.is_alphanumeric()).count();
                if letters < 2 || words::contains(words::NAME_PARTICLES, &word) {
                    continue;
                }
                if !patterns.iter().any(|p| p.tokens.len() == 1 && p.tokens[0] == part) {
                    let capitalized_only = words::contains(words::COMMON_WORDS, &word);
                    patterns.push(Pattern { tokens: vec![part], capitalized_only });
                }
            }
        }
        Self { patterns }
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Byte ranges in `text` where a known name, or a part of one, is written.
    pub fn find(&self, text: &str) -> Vec<(usize, usize)> {
        if self.is_empty() {
            return Vec::new();
        }
        let folded = Folded::new(text);
        let bytes = &folded.bytes;
        let mut found = Vec::new();
        for pattern in &self.patterns {
            let head = pattern.tokens[0][0];
            for start in (0..bytes.len()).filter(|&k| bytes[k] == head) {
                if start > 0 && is_word_byte(bytes[start - 1]) {
                    continue;
                }
                let Some(end) = match_sequence(bytes, start, &pattern.tokens) else { continue };
                if end < bytes.len() && is_word_byte(bytes[end]) {
                    continue;
                }
                let (from, to) = folded.original_range(start, end);
                if pattern.capitalized_only && !text[from..to].chars().any(char::is_uppercase) {
                    continue;
                }
                found.push((from, to));
            }
        }
        found
    }
}

/// A name's folded tokens: split on whitespace and punctuation, apostrophes dropped, hyphens kept
/// only between letters.
pub(super) fn tokens(name: &str) -> Vec<Vec<u8>> {
    fold(name)
        .split(|b| !(is_word_byte(*b) || *b == b'\'' || *b == b'-'))
        .map(|t| {
            let letters: Vec<u8> = t.iter().copied().filter(|b| *b != b'\'').collect();
            letters.split(|b| *b == b'-').filter(|h| !h.is_empty()).collect::<Vec<_>>().join(&b'-')
        })
        .filter(|t| !t.is_empty())
        .collect()
}

/// Where `tokens` end when they match at `start`, one or more spaces apart.
fn match_sequence(bytes: &[u8], start: usize, tokens: &[Vec<u8>]) -> Option<usize> {
    let mut at = start;
    for (k, token) in tokens.iter().enumerate() {
        if k > 0 {
            let gap = bytes[at..].iter().take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r')).count();
            if gap == 0 {
                return None;
            }
            at += gap;
        }
        at = match_token(bytes, at, token)?;
    }
    Some(at)
}

/// Matches one token, letting the text add or drop an apostrophe between letters ("OBrien" and
/// "O'Brien" are one name) and write a hyphen as a hyphen, a space or nothing.
fn match_token(bytes: &[u8], start: usize, token: &[u8]) -> Option<usize> {
    let mut at = start;
    for (k, &want) in token.iter().enumerate() {
        if want == b'-' {
            if matches!(bytes.get(at), Some(b'-' | b' ')) {
                at += 1;
            }
            continue;
        }
        if k > 0 && bytes.get(at) == Some(&b'\'') && bytes.get(at + 1) == Some(&want) {
            at += 1;
        }
        if bytes.get(at) != Some(&want) {
            return None;
        }
        at += 1;
    }
    Some(at)
}

#[cfg(test)]
mod tests {
    use super::KnownNames;

    /// The names found, leaving out those inside a longer find (as the redactor does).
    fn names(known: &[&str], text: &str) -> Vec<String> {
        let found = KnownNames::parse(known).find(text);
        let mut outer: Vec<_> = found
            .iter()
            .filter(|&&(s, e)| !found.iter().any(|&(s2, e2)| s2 <= s && e <= e2 && (s2, e2) != (s, e)))
            .collect();
        outer.sort();
        outer.dedup();
        outer.into_iter().map(|&(start, end)| text[start..end].to_owned()).collect()
    }

    #[test]
    fn finds_the_full_name_and_each_part_in_any_case_accent_and_apostrophe() {
        let known = ["Siobhán O'Brien"];
        assert_eq!(names(&known, "Siobhán O'Brien, table 4"), ["Siobhán O'Brien"]);
        assert_eq!(names(&known, "siobhan called"), ["siobhan"]);
        assert_eq!(names(&known, "OBRIEN party"), ["OBRIEN"]);
        assert_eq!(names(&known, "Mrs O’Brien"), ["O’Brien"]);
        assert_eq!(names(&known, "SIOBHAN O BRIEN"), ["SIOBHAN"]);
    }

    #[test]
    fn finds_possessives_but_not_longer_words() {
        assert_eq!(names(&["Anna Berg"], "Anna's birthday; Annabel and Bergamot"), ["Anna"]);
    }

    #[test]
    fn folds_the_text_as_well_as_the_name() {
        assert_eq!(names(&["Zoe Muller"], "ZOË MÜLLER"), ["ZOË MÜLLER"]);
        assert_eq!(names(&["Jürgen Groß"], "Herr Gross"), ["Gross"]);
    }

    #[test]
    fn handles_hyphenated_names_and_skips_particles() {
        assert_eq!(names(&["Mary-Kate van Dijk"], "mary kate and Kate, van Dijk"), ["mary kate", "Kate", "Dijk"]);
        assert!(names(&["Ludwig van Beethoven"], "a van for deliveries").is_empty());
    }

    #[test]
    fn redacts_a_name_that_is_a_kitchen_word_only_when_capitalised() {
        let known = ["Olive Rose"];
        assert!(names(&known, "no olive oil, rosé by the glass").is_empty());
        assert_eq!(names(&known, "Olive arriving 8pm"), ["Olive"]);
        assert_eq!(names(&known, "OLIVE ROSE"), ["OLIVE ROSE"]);
    }

    #[test]
    fn ignores_empty_and_one_letter_names() {
        assert!(KnownNames::parse(&["", "J", "  "]).is_empty());
    }
}
