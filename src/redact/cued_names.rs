//! Names nobody told us about, found only where the words around them say a name follows:
//! an honorific ("Mrs Patel", "Dr. J. Okafor"), a phrase ("ask for Hannah", "name is Tomás Ruiz",
//! "booked by Greg Hall", "this is Sarah", "Thanks, Anna"), "for" and two capitalised words
//! ("table for Anna Kowalski"), or a possessive before an occasion ("Maria's birthday").
//!
//! A cued name is one to three capitalised words and stops at the first word that is not a name
//! ("for Christmas Eve", "ask for Table 9", "MRS SMITH ALLERGIC"): missing a stranger's name is
//! the price of not eating the note's meaning. A name with no cue at all ("Sarah called") is missed.

use regex::{Captures, Regex};

use super::fold::fold;
use super::words;

/// Titles before a name, any case, with or without a full stop.
const HONORIFICS: &str = "mr mrs ms mx dr prof miss sir madam mme mlle herr frau señor señora senor senora sr sra
    srta signor signora sig";

/// Phrases after which a name follows, any case; `_` is one or more spaces, `~` optional spaces.
const PHRASES: &[&str] = &[
    "ask(?:ed|ing|s)?_for",
    "name_is",
    "name['’]s",
    "names?~:",
    "booked_(?:by|under)",
    "booking_under",
    "reserv(?:ation|ed)_under",
    "under_(?:the_)?name(?:_of)?",
    "guest~:",
    "guest_name~:?",
    "contact~:",
    "this_is",
    "i['’]m",
    "i_am",
    "(?:spoke|speaking)_(?:to|with)",
    "(?:served|hosted)_by",
    "(?:regards|thanks|cheers),?",
];

/// Occasions that follow a person's name in the possessive.
const OCCASIONS: &str = "birthday bday b-day anniversary retirement graduation engagement promotion farewell
    leaving surprise";

pub(super) struct CuedNames {
    /// An honorific or phrase, then one to three capitalised words (ALL CAPS included).
    cued: Regex,
    /// "for" and exactly two Titlecase words: weaker evidence, so a stricter shape.
    for_two_words: Regex,
    /// "Maria's birthday".
    possessive: Regex,
}

impl CuedNames {
    pub fn new() -> Self {
        // Cue words are ASCII and bounded by ASCII `\b`: a Unicode `\b` would push the regex engine
        // off its fast DFA for any note with an accent. Names themselves use Unicode classes.
        let word = r"(?:\p{Lu}\.|\p{Lu}(?:\p{L}|['’]\p{L}|-\p{Lu})+)";
        let title_word = r"\p{Lu}(?:['’]\p{Lu})?\p{Ll}+(?:\p{Lu}\p{Ll}+)?(?:-\p{Lu}\p{Ll}+)?";
        let honorifics = HONORIFICS.split_ascii_whitespace().collect::<Vec<_>>().join("|");
        let phrases = PHRASES.join("|").replace('_', r"[ \t]+").replace('~', r"[ \t]*");
        let occasions = OCCASIONS.split_ascii_whitespace().collect::<Vec<_>>().join("|");
        let cue = format!(r"(?-u:\b)(?i:{honorifics})(?-u:\b)\.?[ \t]+|(?-u:\b)M\.[ \t]*|(?-u:\b)(?i:{phrases})[ \t]*");
        let cued = format!(r"(?:{cue})({word}(?:[ \t]+{word}){{0,2}})");
        let for_two_words = format!(r"(?-u:\b)(?i:for)[ \t]+({title_word}[ \t]+{title_word})(?:[^\p{{L}}\p{{N}}]|$)");
        let possessive = format!(r"(?-u:\b)({title_word})['’]s[ \t]+(?i:{occasions})(?-u:\b)");
        Self {
            cued: Regex::new(&cued).expect("cued name pattern"),
            for_two_words: Regex::new(&for_two_words).expect("for-name pattern"),
            possessive: Regex::new(&possessive).expect("possessive pattern"),
        }
    }

    /// Byte ranges of the cued names in `text`.
    pub fn find(&self, text: &str) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        scan(&self.cued, text, false, &mut found);
        scan(&self.for_two_words, text, true, &mut found);
        scan(&self.possessive, text, true, &mut found);
        found
    }
}

/// Runs `pattern` over `text`, keeping names whose words are name-like. A match that is not a
/// name resumes the search right after its cue, so "Mr and Mrs Smith" still finds Smith.
fn scan(pattern: &Regex, text: &str, all_or_nothing: bool, found: &mut Vec<(usize, usize)>) {
    let mut at = 0;
    while let Some(caps) = pattern.captures_at(text, at) {
        let (whole, name) = (caps.get(0).expect("a match"), caps.get(1).expect("every name pattern captures the name"));
        at = match name_words(&caps, all_or_nothing) {
            Some(span) => {
                found.push(span);
                span.1
            }
            None if name.start() > whole.start() => name.start(),
            None => name.end(),
        };
    }
}

/// The leading words of the captured name that are not cue-stopping words; all of them if
/// `all_or_nothing`. A trailing possessive "'s" is left out of the name.
fn name_words(caps: &Captures, all_or_nothing: bool) -> Option<(usize, usize)> {
    let name = caps.get(1)?;
    let mut end = None;
    let mut offset = name.start();
    for word in name.as_str().split([' ', '\t']) {
        let start = offset;
        offset += word.len() + 1;
        if word.is_empty() {
            continue;
        }
        let bare = word.strip_suffix("'s").or_else(|| word.strip_suffix("’s")).unwrap_or(word);
        let folded: String = String::from_utf8_lossy(&fold(bare)).chars().filter(|c| *c != '\'').collect();
        if words::contains(words::NOT_NAMES, &folded) {
            if all_or_nothing {
                return None;
            }
            break;
        }
        end = Some(start + bare.len());
        if bare.len() < word.len() {
            break;
        }
    }
    end.map(|end| (name.start(), end))
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use super::CuedNames;

    fn names(text: &str) -> Vec<&str> {
        static CUED: LazyLock<CuedNames> = LazyLock::new(CuedNames::new);
        let mut found = CUED.find(text);
        found.sort();
        found.into_iter().map(|(start, end)| &text[start..end]).collect()
    }

    #[test]
    fn finds_names_after_honorifics_in_any_case_and_punctuation() {
        assert_eq!(names("Mrs Patel arriving 8pm"), ["Patel"]);
        assert_eq!(names("dr. J. Okafor, nut allergy"), ["J. Okafor"]);
        assert_eq!(names("Mr. and Mrs. O'Connor"), ["O'Connor"]);
        assert_eq!(names("MRS SMITH ALLERGIC TO SHELLFISH"), ["SMITH"]);
        assert_eq!(names("Ms Zoë Müller-Weiss"), ["Zoë Müller-Weiss"]);
        assert_eq!(names("M. Dupont prefers the terrace"), ["Dupont"]);
    }

    #[test]
    fn finds_names_after_phrases() {
        assert_eq!(names("ask for Hannah at the bar"), ["Hannah"]);
        assert_eq!(names("Her name is Tomás Ruiz."), ["Tomás Ruiz"]);
        assert_eq!(names("booked by Greg Hall for 6"), ["Greg Hall"]);
        assert_eq!(names("under the name Kowalski"), ["Kowalski"]);
        assert_eq!(names("Guest: Aoife Byrne"), ["Aoife Byrne"]);
        assert_eq!(names("Hi, this is Sarah from Acme"), ["Sarah"]);
        assert_eq!(names("Thanks, Anna"), ["Anna"]);
    }

    #[test]
    fn finds_two_titlecase_words_after_for() {
        assert_eq!(names("Table for Anna Kowalski at 7"), ["Anna Kowalski"]);
        assert_eq!(names("reserved for Liam McDonald"), ["Liam McDonald"]);
        assert_eq!(names("for Renée Dupré."), ["Renée Dupré"]);
    }

    #[test]
    fn finds_the_person_behind_an_occasion() {
        assert_eq!(names("It is Maria's birthday, cake at 9"), ["Maria"]);
        assert!(names("Mother's birthday").is_empty());
    }

    #[test]
    fn leaves_capitalised_words_that_are_not_names() {
        for note in [
            "Booked for Christmas Eve",
            "for New Year's Eve dinner",
            "ask for Table 9",
            "ask for the bill",
            "no Dr Pepper, table 12",
            "for Sunday Brunch",
            "for VIP GUESTS",
            "for Anna at 7",
            "don't miss the Tasting Menu",
            "Name: Table 5",
            "Table for Four Seasons group",
            "this is Table 5 calling",
            "I'm Allergic to nuts",
            "Thanks, Chef",
        ] {
            assert!(names(note).is_empty(), "{note}: {:?}", names(note));
        }
    }
}
