//! Payment card numbers: 13 to 19 digits that pass the Luhn checksum, written in one run or in the
//! groups printed on cards (4-4-4-4, 4-6-5, 4-4-4-4-3) or in two halves (8-8), separated by
//! spaces or dashes.
//!
//! The checksum turns away nine in ten long numbers that merely look like cards; a reference cue
//! ("order #...", "ref ...") turns away the rest of the identifiers a kitchen must keep.

use super::digits::{self, Chain, Cue};

/// Byte ranges of the card numbers among the digit `chains` of `text`.
pub(super) fn find(text: &str, chains: &[Chain]) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    for chain in chains {
        let mut first = 0;
        'windows: while first < chain.groups.len() && chain.digit_count(first, chain.groups.len() - 1) >= 13 {
            for last in (first..chain.groups.len()).rev() {
                if is_card(text, chain, first, last) {
                    found.push(chain.span(first, last));
                    first = last + 1;
                    continue 'windows;
                }
            }
            first += 1;
        }
    }
    found
}

fn is_card(text: &str, chain: &Chain, first: usize, last: usize) -> bool {
    let groups = &chain.groups[first..=last];
    let lens: Vec<usize> = groups.iter().map(|g| g.len()).collect();
    let plain_separators = (first..last).all(|k| matches!(chain.separator(text, k), " " | "-"));
    let international_phone = first == 0 && chain.plus.is_some();
    let glued = last + 1 == chain.groups.len() && chain.glued_to_word;
    !international_phone
        && !glued
        && plain_separators
        && groups.iter().all(|g| !g.parenthesized)
        && (13..=19).contains(&chain.digit_count(first, last))
        && is_card_layout(&lens)
        && luhn_valid(&chain.digits(text, first, last))
        && digits::cue_before(text, chain.span(first, last).0) != Cue::Reference
}

/// One run, two halves of eight ("40810158 97972941", as copied from a form), or a first group
/// of four, middle groups of four to six and a last group of three to seven.
fn is_card_layout(lens: &[usize]) -> bool {
    match lens {
        [_] | [8, 8] => true,
        [4, middle @ .., last] => middle.iter().all(|n| (4..=6).contains(n)) && (3..=7).contains(last),
        _ => false,
    }
}

/// The Luhn checksum over ASCII digits: from the right, double every second digit.
pub(super) fn luhn_valid(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(k, b)| {
            let d = u32::from(b - b'0');
            if k % 2 == 1 { if d > 4 { d * 2 - 9 } else { d * 2 } } else { d }
        })
        .sum();
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::{find, luhn_valid};
    use crate::redact::digits::chains;

    fn cards(text: &str) -> Vec<&str> {
        find(text, &chains(text)).into_iter().map(|(start, end)| &text[start..end]).collect()
    }

    #[test]
    fn luhn_accepts_issuer_test_numbers_and_rejects_a_changed_digit() {
        for number in ["4111111111111111", "5500000000000004", "378282246310005", "6011111111111117", "4222222222222"] {
            assert!(luhn_valid(number.as_bytes()), "{number}");
        }
        assert!(!luhn_valid(b"4111111111111112"));
        assert!(!luhn_valid(b"378282246310006"));
    }

    #[test]
    fn finds_cards_in_one_run_or_in_printed_groups() {
        for number in [
            "4111111111111111",
            "4111 1111 1111 1111",
            "4111-1111-1111-1111",
            "3782 822463 10005",
            "6011 1111 1111 1117",
        ] {
            assert_eq!(cards(&format!("Deposit on {number}, thanks")), [number], "{number}");
        }
    }

    #[test]
    fn finds_a_card_next_to_other_numbers() {
        assert_eq!(cards("table 12 4111 1111 1111 1111 exp 12/27"), ["4111 1111 1111 1111"]);
        assert_eq!(cards("card 4111 1111 1111 1111 123"), ["4111 1111 1111 1111"]);
    }

    #[test]
    fn leaves_numbers_that_fail_luhn_or_follow_a_reference_cue() {
        for note in [
            "4111 1111 1111 1112",
            "order #4111111111111111",
            "ref 5500000000000004 confirmed",
            "Order number 6011111111111117",
            "ref 20261122-0042",
            "+4111111111111111",
            "order #123456789",
        ] {
            assert!(cards(note).is_empty(), "{note}");
        }
    }

    #[test]
    fn does_not_read_phone_groupings_as_a_card() {
        assert!(cards("212 555 0142 212 555 0143").is_empty());
        assert!(cards("+44 20 7946 0958").is_empty());
    }
}
