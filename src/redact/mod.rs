//! Redaction of personal data in free-text notes: names, phone numbers (also spelled out), emails
//! (also obfuscated), card numbers, IBANs and other account numbers, street addresses and social
//! handles become `[NAME]`, `[PHONE]`, `[EMAIL]`, `[CARD]`, `[IBAN]`, `[ACCOUNT]`, `[ADDRESS]`,
//! `[HANDLE]`, each span whole; times, dates, party sizes, table and order numbers, prices and
//! allergens stay as written, because the kitchen needs them.
//!
//! Each detector proposes byte ranges; where they overlap, the more specific kind wins (an email
//! holding the guest's name is one `[EMAIL]`), then the longer range.

mod account;
mod address;
mod card;
mod cli;
mod cued_names;
mod digits;
mod email;
mod evaluate;
mod fold;
mod handle;
mod known_names;
mod nicknames;
mod phone;
mod spelled_phone;
mod third_persons;
mod words;

use std::fmt;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

pub use cli::run_cli;
pub use evaluate::{LabelledNote, Miss, Pii, Report, Tally, evaluate, measure_throughput, parse_corpus};
pub use fold::fold_name;

use account::AccountPatterns;
use address::AddressPatterns;
use cued_names::CuedNames;
use email::EmailPatterns;
use known_names::KnownNames;

/// The kinds of personal data the redactor replaces. The order is the precedence on overlap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum EntityKind {
    Email,
    Iban,
    Card,
    Account,
    Phone,
    Address,
    Handle,
    Name,
}

impl EntityKind {
    pub const ALL: [EntityKind; 8] = [
        EntityKind::Name,
        EntityKind::Phone,
        EntityKind::Email,
        EntityKind::Card,
        EntityKind::Iban,
        EntityKind::Account,
        EntityKind::Address,
        EntityKind::Handle,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Name => "NAME",
            EntityKind::Phone => "PHONE",
            EntityKind::Email => "EMAIL",
            EntityKind::Card => "CARD",
            EntityKind::Iban => "IBAN",
            EntityKind::Account => "ACCOUNT",
            EntityKind::Address => "ADDRESS",
            EntityKind::Handle => "HANDLE",
        }
    }
}

impl fmt::Display for EntityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A redacted note. It records only the kinds replaced, in text order, never the values, so it
/// can be logged or counted without leaking what it hid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redacted {
    pub text: String,
    pub found: Vec<EntityKind>,
}

impl Redacted {
    pub fn count(&self, kind: EntityKind) -> usize {
        self.found.iter().filter(|k| **k == kind).count()
    }
}

/// The compiled patterns, built once; `redact` takes `&self` and is safe to share across threads.
pub struct Redactor {
    emails: EmailPatterns,
    accounts: AccountPatterns,
    addresses: AddressPatterns,
    cued_names: CuedNames,
}

impl Default for Redactor {
    fn default() -> Self {
        Self::new()
    }
}

impl Redactor {
    pub fn new() -> Self {
        Self {
            emails: EmailPatterns::new(),
            accounts: AccountPatterns::new(),
            addresses: AddressPatterns::new(),
            cued_names: CuedNames::new(),
        }
    }

    /// Replaces the personal data in `text`; `known_names` are the guest's names from the record.
    pub fn redact(&self, text: &str, known_names: &[&str]) -> Redacted {
        let mut spans: Vec<Span> = Vec::new();
        let mut add = |kind, ranges: Vec<(usize, usize)>| {
            spans.extend(ranges.into_iter().map(|(start, end)| Span { start, end, kind }));
        };
        add(EntityKind::Email, self.emails.find(text));
        add(EntityKind::Iban, self.accounts.ibans(text));
        let chains = digits::chains(text);
        add(EntityKind::Card, card::find(text, &chains));
        add(EntityKind::Account, self.accounts.cued(text));
        add(EntityKind::Phone, phone::find(text, &chains));
        add(EntityKind::Phone, spelled_phone::find(text));
        add(EntityKind::Address, self.addresses.find(text));
        add(EntityKind::Handle, handle::find(text));
        let mut cued = self.cued_names.find(text);
        cued.extend(third_persons::find(text));
        // A name once introduced ("Mrs Patel", "Sofia joins") is a name for the rest of the note too.
        let names: Vec<&str> =
            known_names.iter().copied().chain(cued.iter().map(|&(start, end)| &text[start..end])).collect();
        let mut found = KnownNames::parse(&names).find(text);
        found.extend(nicknames::find(text, known_names));
        add(EntityKind::Name, nicknames::widen(text, found));
        add(EntityKind::Name, cued);
        render(text, resolve(spans))
    }
}

/// Redacts `text` with a redactor shared by the whole process.
pub fn redact(text: &str, known_names: &[&str]) -> String {
    shared().redact(text, known_names).text
}

/// Like [`redact`], but the `keep` phrases (a kitchen's own item and role names, matched
/// ignoring ASCII case) are never touched: a guest named Burger must not turn "Burger patties"
/// into "[NAME] patties".
pub fn redact_keeping(text: &str, known_names: &[&str], keep: &[&str]) -> String {
    let mut keep: Vec<&str> = keep.iter().copied().filter(|k| !k.trim().is_empty()).collect();
    // Longest first, so "Burger patties" is kept whole before "Burger" could match.
    keep.sort_by_key(|k| std::cmp::Reverse(k.len()));
    let mut shielded = String::with_capacity(text.len());
    let mut kept: Vec<&str> = Vec::new();
    let mut rest = text;
    'scan: while !rest.is_empty() {
        for phrase in &keep {
            if rest.len() >= phrase.len()
                && rest.is_char_boundary(phrase.len())
                && rest[..phrase.len()].eq_ignore_ascii_case(phrase)
            {
                // A private-use marker the redactor sees as neither a name, a number nor an address.
                shielded.push_str(&format!("\u{E000}{}\u{E001}", "\u{E002}".repeat(kept.len() + 1)));
                kept.push(&rest[..phrase.len()]);
                rest = &rest[phrase.len()..];
                continue 'scan;
            }
        }
        let next = rest.chars().next().map_or(1, char::len_utf8);
        shielded.push_str(&rest[..next]);
        rest = &rest[next..];
    }
    let mut out = redact(&shielded, known_names);
    // Restore the last markers first: a longer marker holds a shorter one as its prefix.
    for (i, original) in kept.iter().enumerate().rev() {
        let marker = format!("\u{E000}{}\u{E001}", "\u{E002}".repeat(i + 1));
        out = out.replace(&marker, original);
    }
    out
}

/// The process-wide redactor: its patterns are compiled on first use.
pub fn shared() -> &'static Redactor {
    static SHARED: LazyLock<Redactor> = LazyLock::new(Redactor::new);
    &SHARED
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    start: usize,
    end: usize,
    kind: EntityKind,
}

/// Keeps non-overlapping spans: the higher-precedence kind first, then the longer span, then the
/// earlier one. Returns them in text order.
fn resolve(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort_by_key(|s| (s.kind, std::cmp::Reverse(s.end - s.start), s.start));
    let mut kept: Vec<Span> = Vec::with_capacity(spans.len());
    for span in spans {
        if span.start < span.end && kept.iter().all(|k| span.end <= k.start || k.end <= span.start) {
            kept.push(span);
        }
    }
    kept.sort_by_key(|s| s.start);
    kept
}

fn render(text: &str, spans: Vec<Span>) -> Redacted {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for span in &spans {
        out.push_str(&text[at..span.start]);
        out.push('[');
        out.push_str(span.kind.as_str());
        out.push(']');
        at = span.end;
    }
    out.push_str(&text[at..]);
    Redacted { text: out, found: spans.iter().map(|s| s.kind).collect() }
}

#[cfg(test)]
mod tests {
    #[test]
    fn kept_phrases_survive_a_guest_who_shares_their_words() {
        let text = "Burger patties: 20. Aioli for Anna Burger's table.";
        let out = super::redact_keeping(text, &["Anna Burger"], &["Burger patties", "Aioli"]);
        assert_eq!(out, "Burger patties: 20. Aioli for [NAME]'s table.");
        let lower = super::redact_keeping("burger patties for Anna", &["Anna Burger"], &["Burger patties"]);
        assert_eq!(lower, "burger patties for [NAME]");
    }

    use super::{EntityKind, redact, shared};

    #[test]
    fn replaces_each_kind_with_its_placeholder_and_keeps_the_rest() {
        let note = "Siobhán O'Brien, party of 6 at 7:30pm, table 12. Call (212) 555-0142 or email \
                    siobhan@example.ie. Deposit on 4111 1111 1111 1111. Severe nut allergy; order #123456789.";
        let redacted = shared().redact(note, &["Siobhán O'Brien"]);
        assert_eq!(
            redacted.text,
            "[NAME], party of 6 at 7:30pm, table 12. Call [PHONE] or email [EMAIL]. Deposit on [CARD]. \
             Severe nut allergy; order #123456789."
        );
        assert_eq!(redacted.found, [EntityKind::Name, EntityKind::Phone, EntityKind::Email, EntityKind::Card]);
    }

    #[test]
    fn an_email_holding_the_guests_name_is_one_email() {
        assert_eq!(redact("write to anna.berg@example.com", &["Anna Berg"]), "write to [EMAIL]");
    }

    #[test]
    fn a_card_number_is_not_also_read_as_a_phone() {
        let redacted = shared().redact("call 4111111111111111", &[]);
        assert_eq!(redacted.text, "call [CARD]");
        assert_eq!(redacted.count(EntityKind::Phone), 0);
    }

    #[test]
    fn a_cued_name_is_redacted_again_later_in_the_note() {
        assert_eq!(redact("Mrs Patel called; PATEL is gluten free", &[]), "Mrs [NAME] called; [NAME] is gluten free");
    }

    #[test]
    fn leaves_a_note_without_personal_data_untouched() {
        let note = "Party of 8, 2026-11-22 19:45, room 204, ref 20261122-0042, €1,250.00 incl. 15% service. \
                    Vegan x2, one halal, shellfish allergy, kosher wine. Order 4155550142 ready at 9pm.";
        assert_eq!(redact(note, &["Olive Rose"]), note);
    }

    #[test]
    fn kinds_read_as_their_placeholders() {
        let shown: Vec<String> = EntityKind::ALL.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["NAME", "PHONE", "EMAIL", "CARD", "IBAN", "ACCOUNT", "ADDRESS", "HANDLE"]);
    }

    #[test]
    fn each_kind_of_the_notes_people_write_is_replaced_whole() {
        let guest = ["Maria Okafor"];
        for (note, expected) in [
            ("email maria dot lopez at gmail dot com", "email [EMAIL]"),
            ("haruto.sato(at)web.de or anna @ mail . com", "[EMAIL] or [EMAIL]"),
            ("call five five five, 867 5309 / o972 228 583", "call [PHONE] / [PHONE]"),
            ("cake to 26B Elm Avenue, Springfield IL 62704", "cake to [ADDRESS]"),
            ("IBAN DE89 3704 0044 0532 0130 00", "IBAN [IBAN]"),
            ("insta @amelia_eats", "insta [HANDLE]"),
            ("Mari Okafor prefers booth", "[NAME] prefers booth"),
            ("M. Okafor at 8, Mrs Okafor's table", "[NAME] at 8, Mrs [NAME]'s table"),
            ("sort code 12-34-56, account 31926819", "sort code [ACCOUNT], account [ACCOUNT]"),
        ] {
            assert_eq!(redact(note, &guest), expected, "{note:?}");
        }
    }
}
