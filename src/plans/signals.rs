//! What the kitchen can use from reservation notes, without the people in them: every note is
//! redacted (the day's guest names, phones, emails, cards) before anything else reads it, then
//! allergens, diets and occasions are counted per service hour. Only redacted notes and these
//! counts ever reach a prompt.
use std::collections::BTreeMap;

use serde::Serialize;

use crate::{history::GuestNote, redact};

/// At most this many notes (each at most [`MAX_NOTE_CHARS`]) go into a prompt.
pub const MAX_NOTES: usize = 40;
pub const MAX_NOTE_CHARS: usize = 240;

const ALLERGENS: &[(&str, &[&str])] = &[
    (
        "nuts",
        &[
            "nut",
            "nuts",
            "peanut",
            "peanuts",
            "almond",
            "almonds",
            "walnut",
            "walnuts",
            "hazelnut",
            "cashew",
            "pecan",
            "pistachio",
        ],
    ),
    (
        "shellfish",
        &["shellfish", "shrimp", "prawn", "prawns", "crab", "lobster", "oyster", "oysters", "mussels", "clams"],
    ),
    ("fish", &["fish"]),
    ("gluten", &["gluten", "coeliac", "celiac", "wheat"]),
    ("dairy", &["dairy", "lactose", "milk"]),
    ("egg", &["egg", "eggs"]),
    ("soy", &["soy", "soya"]),
    ("sesame", &["sesame"]),
];
const DIETS: &[(&str, &[&str])] = &[
    ("vegetarian", &["vegetarian", "veggie"]),
    ("vegan", &["vegan"]),
    ("halal", &["halal"]),
    ("kosher", &["kosher"]),
    ("pescatarian", &["pescatarian"]),
];
const OCCASIONS: &[(&str, &[&str])] = &[
    ("birthday", &["birthday", "bday"]),
    ("anniversary", &["anniversary"]),
    ("engagement", &["engagement", "proposal", "propose"]),
    ("celebration", &["celebration", "celebrating", "graduation", "promotion"]),
    ("business", &["business", "client", "clients", "meeting"]),
    ("cake", &["cake", "candles"]),
    ("high chair", &["highchair", "high-chair"]),
];

#[derive(Debug, Clone, Default, Serialize)]
pub struct HourSignals {
    pub hour: i32,
    pub parties_with_notes: u32,
    pub allergens: BTreeMap<&'static str, u32>,
    pub diets: BTreeMap<&'static str, u32>,
    pub occasions: BTreeMap<&'static str, u32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RedactedNote {
    pub hour: i32,
    pub party_size: i32,
    pub text: String,
}

/// Redacted notes and their counts. `known_names` (the day's guests) is kept to redact the
/// model's answer too; it is never serialized.
#[derive(Default)]
pub struct NoteSignals {
    pub by_hour: Vec<HourSignals>,
    pub notes: Vec<RedactedNote>,
    pub known_names: Vec<String>,
}

fn count(words: &[String], table: &[(&'static str, &[&str])], into: &mut BTreeMap<&'static str, u32>) {
    for (key, forms) in table {
        if words.iter().any(|w| forms.contains(&w.as_str())) {
            *into.entry(key).or_insert(0) += 1;
        }
    }
}

pub fn extract(notes: Vec<GuestNote>) -> NoteSignals {
    let known_names: Vec<String> = notes.iter().filter_map(|n| n.guest_name.clone()).collect();
    let mut by_hour: BTreeMap<i32, HourSignals> = BTreeMap::new();
    let mut redacted_notes = Vec::new();
    for note in notes {
        let Some(text) = note.notes.as_deref().filter(|t| !t.trim().is_empty()) else { continue };
        // Every guest of the day, not only this note's: notes mention other parties.
        let names: Vec<&str> = known_names.iter().map(String::as_str).collect();
        let text = redact::redact(text, &names);
        let lower = text.to_lowercase();
        let words: Vec<String> = lower
            .split(|c: char| !(c.is_alphanumeric() || c == '-'))
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect();
        let signals =
            by_hour.entry(note.hour).or_insert_with(|| HourSignals { hour: note.hour, ..HourSignals::default() });
        signals.parties_with_notes += 1;
        count(&words, ALLERGENS, &mut signals.allergens);
        count(&words, DIETS, &mut signals.diets);
        if lower.contains("gluten-free") || lower.contains("gluten free") {
            *signals.diets.entry("gluten-free").or_insert(0) += 1;
        }
        count(&words, OCCASIONS, &mut signals.occasions);
        if redacted_notes.len() < MAX_NOTES {
            let text: String = text.chars().take(MAX_NOTE_CHARS).collect();
            redacted_notes.push(RedactedNote { hour: note.hour, party_size: note.party_size, text });
        }
    }
    NoteSignals { by_hour: by_hour.into_values().collect(), notes: redacted_notes, known_names }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(hour: i32, name: &str, text: &str) -> GuestNote {
        GuestNote { hour, party_size: 4, guest_name: Some(name.to_owned()), notes: Some(text.to_owned()) }
    }

    #[test]
    fn notes_are_redacted_and_counted_by_hour() {
        let signals = extract(vec![
            note(
                19,
                "Maria Gonzalez",
                "Birthday for Maria Gonzalez, two guests with nut allergy, call +1 212 555 0142",
            ),
            note(19, "Kenji Abe", "Vegan x2, gluten-free x1"),
            note(20, "Ann Lee", ""),
        ]);
        assert_eq!(signals.by_hour.len(), 1, "empty notes count for nothing");
        let h = &signals.by_hour[0];
        assert_eq!((h.hour, h.parties_with_notes), (19, 2));
        assert_eq!(h.allergens.get("nuts"), Some(&1));
        assert_eq!(h.diets.get("vegan"), Some(&1));
        assert_eq!(h.diets.get("gluten-free"), Some(&1));
        assert_eq!(h.occasions.get("birthday"), Some(&1));
        let all = serde_json::to_string(&signals.notes).unwrap();
        assert!(!all.contains("Maria") && !all.contains("Gonzalez") && !all.contains("555"), "{all}");
        assert!(all.contains("[NAME]") && all.contains("[PHONE]"));
        assert_eq!(signals.known_names.len(), 3);
    }
}
