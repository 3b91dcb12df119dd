//! What the kitchen can use from reservation notes, without the people in them: every note is
//! redacted (the day's guest names, phones, emails, cards, ...) before anything else reads it,
//! then allergens, diets, occasions, accessibility needs and party composition are counted per
//! service hour. The model gets these counts; the redacted text goes only where an operator has
//! opted in (`SOUS_LLM_NOTE_TEXT=redacted`), capped in number and length.
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
];
const ACCESSIBILITY: &[(&str, &[&str])] = &[
    ("wheelchair", &["wheelchair", "wheelchairs"]),
    ("step-free access", &["step-free", "ramp", "no stairs", "ground floor"]),
    ("walking aid", &["walker", "crutches", "cane", "zimmer", "mobility"]),
    ("hearing", &["deaf", "hearing"]),
    ("sight", &["blind", "visually impaired"]),
    ("assistance dog", &["guide dog", "service dog", "assistance dog"]),
];
const PARTY: &[(&str, &[&str])] = &[
    ("children", &["child", "children", "kid", "kids", "toddler", "toddlers", "teen", "teens"]),
    ("babies", &["baby", "babies", "infant", "infants"]),
    ("high chair", &["highchair", "high-chair", "high chair", "booster"]),
    ("pram", &["pram", "stroller", "buggy", "pushchair"]),
    ("seniors", &["elderly", "senior", "seniors"]),
];

#[derive(Debug, Clone, Default, Serialize)]
pub struct HourSignals {
    pub hour: i32,
    pub parties_with_notes: u32,
    pub allergens: BTreeMap<&'static str, u32>,
    pub diets: BTreeMap<&'static str, u32>,
    pub occasions: BTreeMap<&'static str, u32>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub accessibility: BTreeMap<&'static str, u32>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub party: BTreeMap<&'static str, u32>,
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

/// Counts each entry of `table` once if the note has one of its forms: a word, or a phrase of
/// whole words.
fn count(words: &[String], table: &[(&'static str, &[&str])], into: &mut BTreeMap<&'static str, u32>) {
    let joined = format!(" {} ", words.join(" "));
    for (key, forms) in table {
        let found = forms.iter().any(|form| {
            if form.contains(' ') { joined.contains(&format!(" {form} ")) } else { words.iter().any(|w| w == form) }
        });
        if found {
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
        count(&words, ACCESSIBILITY, &mut signals.accessibility);
        count(&words, PARTY, &mut signals.party);
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

    #[test]
    fn accessibility_and_party_composition_are_counted() {
        let signals = extract(vec![
            note(18, "Ann Lee", "Wheelchair user, needs step-free access; 2 kids and a high chair please"),
            note(18, "Bo Chen", "Grandma uses a walker. Baby in a pram"),
        ]);
        let h = &signals.by_hour[0];
        assert_eq!(h.accessibility.get("wheelchair"), Some(&1));
        assert_eq!(h.accessibility.get("step-free access"), Some(&1));
        assert_eq!(h.accessibility.get("walking aid"), Some(&1));
        assert_eq!(h.party.get("children"), Some(&1));
        assert_eq!(h.party.get("high chair"), Some(&1));
        assert_eq!(h.party.get("babies"), Some(&1));
        assert_eq!(h.party.get("pram"), Some(&1));
        let counts = serde_json::to_string(&signals.by_hour).unwrap();
        assert!(!counts.contains("Ann") && !counts.contains("Grandma"), "only counts: {counts}");
    }
}
