//! Bank details: IBANs (any country's layout, confirmed by the ISO 13616 mod-97 check, written
//! grouped in fours or in one piece) and other account numbers that a cue introduces ("account
//! no. 12345678", "sort code 12-34-56", "routing 021000021", "BSB 062-000").

use regex::Regex;

pub(super) struct AccountPatterns {
    iban: Regex,
    cued: Regex,
}

impl AccountPatterns {
    pub fn new() -> Self {
        // Country, check digits, then 11 to 30 letters and digits, in groups of four at most.
        let iban = r"(?i)(?-u:\b)[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{1,4}){3,8}(?-u:\b)";
        // A cue, an optional "no."/"number"/":", then digits in groups (spaces, dashes).
        let cued = r"(?xi)
            (?-u:\b)(?: account \s number | account | acct | acc | a/c | s/c | sort \s? code | routing | aba | bsb
              | bank \s? account | kontonummer | konto | kto | compte | cuenta | conto | rekeningnummer | rekening )
            (?: \s* (?: no\.? | nr\.? | num(?:ber)? | \# ) )? \s* :? \s*
            ( [0-9]{2,}(?: [\ \-] [0-9]{2,})* )";
        Self { iban: Regex::new(iban).expect("iban pattern"), cued: Regex::new(cued).expect("account pattern") }
    }

    /// Byte ranges of the IBANs in `text`.
    pub fn ibans(&self, text: &str) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        for m in self.iban.find_iter(text) {
            // The pattern may run on into a following word group; the longest valid prefix of
            // whole groups is the IBAN.
            let groups: Vec<(usize, usize)> = group_bounds(m.as_str());
            let valid = (0..groups.len()).rev().find(|&last| {
                let candidate = &m.as_str()[..groups[last].1];
                is_valid_iban(candidate)
            });
            if let Some(last) = valid {
                found.push((m.start(), m.start() + groups[last].1));
            }
        }
        found
    }

    /// Byte ranges of account numbers introduced by a cue (the number alone, not the cue).
    pub fn cued(&self, text: &str) -> Vec<(usize, usize)> {
        self.cued
            .captures_iter(text)
            .filter_map(|c| c.get(1))
            .filter(|m| m.as_str().bytes().filter(u8::is_ascii_digit).count() >= 6)
            .map(|m| (m.start(), m.end()))
            .collect()
    }
}

/// Byte ranges of the space-separated groups of `text`.
fn group_bounds(text: &str) -> Vec<(usize, usize)> {
    let mut bounds = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c == ' ', start) {
            (true, Some(s)) => {
                bounds.push((s, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        bounds.push((s, text.len()));
    }
    bounds
}

/// ISO 13616: 15 to 34 characters, and the number made of the rearranged text is 1 modulo 97.
pub(super) fn is_valid_iban(text: &str) -> bool {
    let compact: Vec<u8> = text.bytes().filter(|b| *b != b' ').map(|b| b.to_ascii_uppercase()).collect();
    if !(15..=34).contains(&compact.len()) || !compact[..2].iter().all(u8::is_ascii_uppercase) {
        return false;
    }
    let rearranged = compact[4..].iter().chain(&compact[..4]);
    let mut remainder: u32 = 0;
    for &b in rearranged {
        let value = match b {
            b'0'..=b'9' => u32::from(b - b'0'),
            b'A'..=b'Z' => u32::from(b - b'A') + 10,
            _ => return false,
        };
        let shift = if value >= 10 { 100 } else { 10 };
        remainder = (remainder * shift + value) % 97;
    }
    remainder == 1
}

#[cfg(test)]
mod tests {
    use super::{AccountPatterns, is_valid_iban};

    fn found(text: &str, ibans: bool) -> Vec<&str> {
        let patterns = AccountPatterns::new();
        let spans = if ibans { patterns.ibans(text) } else { patterns.cued(text) };
        spans.into_iter().map(|(s, e)| &text[s..e]).collect()
    }

    #[test]
    fn ibans_are_confirmed_by_their_check_digits() {
        assert!(is_valid_iban("DE89 3704 0044 0532 0130 00"));
        assert!(is_valid_iban("GB82WEST12345698765432"));
        assert!(is_valid_iban("fr1420041010050500013m02606"));
        assert!(!is_valid_iban("DE88 3704 0044 0532 0130 00"));
        assert!(!is_valid_iban("DE89 3704"));
    }

    #[test]
    fn finds_whole_ibans_grouped_or_not_and_stops_at_the_next_word() {
        assert_eq!(found("IBAN DE89 3704 0044 0532 0130 00 thanks", true), ["DE89 3704 0044 0532 0130 00"]);
        assert_eq!(found("refund to GB82WEST12345698765432.", true), ["GB82WEST12345698765432"]);
        assert_eq!(found("NL91 ABNA 0417 1643 00 for 2", true), ["NL91 ABNA 0417 1643 00"]);
        assert!(found("order AB12 3456 7890 1234", true).is_empty(), "no valid check digits");
    }

    #[test]
    fn finds_account_numbers_after_a_cue() {
        assert_eq!(found("account no. 12345678, sort code 12-34-56", false), ["12345678", "12-34-56"]);
        assert_eq!(found("routing 021000021 acct 0012-3456-78", false), ["021000021", "0012-3456-78"]);
        assert_eq!(found("BSB 062-000 acc 1234 5678", false), ["062-000", "1234 5678"]);
        assert_eq!(
            found("s/c 59-64-27 a/c 48194321, Kontonummer 2481959007", false),
            ["59-64-27", "48194321", "2481959007"]
        );
        assert!(found("account for 12 people, table 4", false).is_empty());
    }
}
