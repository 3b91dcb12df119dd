//! Phone numbers, found by shape rather than by any run of digits, so order numbers, dates, times
//! and prices survive.
//!
//! A run of digit groups is a phone number when one of these holds:
//! - it starts with `+` or `00` and its length fits the country code ("+44 20 7946 0958",
//!   "+14155550142", "0044 20 7946 0958");
//! - it is written the North American way: area code and exchange not starting with 0 or 1,
//!   then four digits, grouped by separators or parentheses ("(212) 555-0142", "1-212-555-0142");
//! - it is a grouped national number with a trunk `0` and 10 or 11 digits ("020 7946 0958",
//!   "06 12 34 56 78", "03-1234-5678", "030/1234567");
//! - the nearest cue word before it is a phone word ("call", "tel", "text", "mobile"...) and it
//!   has 7 to 15 digits, written without short groups ("call 2125550142", "tel 555 0142").
//!
//! A number listed right after a phone ("... or 07700900123") shares its cue. A reference cue
//! ("order", "ref", "table", `#`) in front of a number without `+` vetoes it.
//!
//! Known misses and false alarms, by design: a local number without area code and cue
//! ("555-0142"); three space-separated numbers shaped 3-3-4 ("250 300 1000") read as a US number.

use super::digits::{self, Chain, Cue};

/// Byte ranges of the phone numbers among the digit `chains` of `text`.
pub(super) fn find(text: &str, chains: &[Chain]) -> Vec<(usize, usize)> {
    let mut found: Vec<(usize, usize)> = Vec::new();
    for chain in chains {
        let mut first = 0;
        // The shortest phone number has seven digits; most chains are a time or a head count.
        'windows: while first < chain.groups.len() && chain.digit_count(first, chain.groups.len() - 1) >= 7 {
            let start = chain.span(first, first).0;
            let cue = match found.last() {
                // "call 020 7946 0958 or 07700900123": the second number shares the first one's cue.
                Some(&(_, end)) if is_list_link(&text[end..start]) => Cue::Phone,
                _ => digits::cue_before(text, start),
            };
            // Longest first, so a number is not cut short when a prefix of it would also pass.
            for last in (first..chain.groups.len()).rev() {
                if is_phone(text, chain, first, last, cue) {
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

/// Text joining two numbers of one list: "or", "and", "/", commas and spaces.
fn is_list_link(between: &str) -> bool {
    between
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '/' | '&'))
        .all(|word| matches!(word.to_ascii_lowercase().as_str(), "" | "or" | "and" | "alt" | "also"))
}

fn is_phone(text: &str, chain: &Chain, first: usize, last: usize, cue: Cue) -> bool {
    let groups = &chain.groups[first..=last];
    let ends_chain = last + 1 == chain.groups.len();
    // No phone format ends in a lone digit: "020 7946 0958 2 guests" is a number and a head count.
    let lone_last_digit = groups.len() > 1 && groups[groups.len() - 1].len() == 1;
    // Parentheses hold an area code or a trunk "(0)", so only near the start.
    let stray_paren = groups.iter().skip(2).any(|g| g.parenthesized);
    if (ends_chain && chain.glued_to_word) || lone_last_digit || stray_paren {
        return false;
    }
    let lens: Vec<usize> = groups.iter().map(|g| g.len()).collect();
    let digits = chain.digits(text, first, last);
    // "+44 (0)20 7946 0958": a bracketed trunk zero, not dialled from abroad.
    let trunk_zero = groups.get(1).is_some_and(|g| g.parenthesized && &text[g.digits.0..g.digits.1] == "0");
    if first == 0 && chain.plus.is_some() {
        return !groups[0].parenthesized && is_international(&lens, &digits, trunk_zero);
    }
    if looks_like_date(&lens) {
        return false;
    }
    if cue == Cue::Reference {
        return false;
    }
    // "0044 20 7946 0958": the international prefix dialled from Europe instead of "+".
    let after_00 = (lens[0] >= 2 && digits.starts_with(b"00") && digits.get(2) != Some(&b'0')).then(|| {
        let lens = if lens[0] == 2 { lens[1..].to_vec() } else { [&[lens[0] - 2], &lens[1..]].concat() };
        (lens, &digits[2..])
    });
    after_00.is_some_and(|(lens, rest)| is_international(&lens, rest, trunk_zero))
        || is_north_american(&lens, &digits, groups[0].parenthesized)
        || (is_trunk_national(&lens, &digits) && uniform_separators(text, chain, first, last))
        || (cue == Cue::Phone && is_cued_run(&lens, digits.len()))
}

/// The digits after `+` (or `00`), grouped as written: the national part must fit the country code.
fn is_international(lens: &[usize], digits: &[u8], trunk_zero: bool) -> bool {
    let trunk = usize::from(trunk_zero);
    let country = match lens {
        [cc, _, ..] if (1..=3).contains(cc) => Some(&digits[..*cc]),
        _ => (1..=3.min(digits.len())).map(|n| &digits[..n]).find(|cc| national_lengths(cc).is_some()),
    };
    let national = digits.len() - trunk - country.map_or(0, <[u8]>::len);
    match country.and_then(national_lengths) {
        Some((min, max)) => (min..=max).contains(&national),
        None => (8..=15).contains(&(digits.len() - trunk)),
    }
}

/// National significant number lengths for the country codes a restaurant is likely to see.
fn national_lengths(country: &[u8]) -> Option<(usize, usize)> {
    let lengths = match country {
        b"1" => (10, 10),
        b"7" => (10, 10),
        b"20" => (9, 10),
        b"27" | b"31" | b"33" | b"34" | b"41" | b"48" | b"61" | b"351" => (9, 9),
        b"30" | b"52" | b"91" => (10, 10),
        b"32" | b"36" | b"971" => (8, 9),
        b"39" | b"49" => (6, 11),
        b"44" => (9, 10),
        b"45" | b"47" | b"65" => (8, 8),
        b"46" => (7, 10),
        b"353" => (7, 9),
        b"55" | b"86" => (10, 11),
        b"64" | b"82" => (8, 10),
        b"81" => (9, 10),
        _ => return None,
    };
    Some(lengths)
}

/// "(212) 555-0142", "212.555.0142", "1-212-555-0142": area code and exchange start with 2-9.
fn is_north_american(lens: &[usize], digits: &[u8], area_in_parens: bool) -> bool {
    let (lens, digits) = match lens {
        [1, rest @ ..] if digits[0] == b'1' => (rest, &digits[1..]),
        _ => (lens, digits),
    };
    let grouped = lens == [3, 3, 4] || (area_in_parens && lens == [3, 7]);
    grouped && (b'2'..=b'9').contains(&digits[0]) && (b'2'..=b'9').contains(&digits[3])
}

/// "020 7946 0958", "06 12 34 56 78", "03-1234-5678": a trunk 0, groups of two or more digits.
fn is_trunk_national(lens: &[usize], digits: &[u8]) -> bool {
    lens.len() >= 2
        && lens.iter().all(|&n| n >= 2)
        && digits.starts_with(b"0")
        && !digits.starts_with(b"00")
        && (10..=11).contains(&digits.len())
}

/// One separator throughout ("020 7946 0958", "03-1234-5678"), not counting the one after a
/// bracketed area code: a date and a time side by side ("09/28 2026-12") mix them.
fn uniform_separators(text: &str, chain: &Chain, first: usize, last: usize) -> bool {
    let mut separators =
        (first..last).filter(|&k| !chain.groups[k].parenthesized).map(|k| chain.separator(text, k).trim());
    separators.next().is_none_or(|one| separators.all(|other| other == one))
}

/// After "call"/"tel"/...: one run of digits, or groups of three or more ("555 0142"), never the
/// pairs of a time range like "19.00-21.00".
fn is_cued_run(lens: &[usize], count: usize) -> bool {
    (7..=15).contains(&count) && lens.iter().all(|&n| n >= 3)
}

/// 2026-11-22, 22.11.2026, 1/2/2026.
fn looks_like_date(lens: &[usize]) -> bool {
    matches!(lens, [4, 1..=2, 1..=2] | [1..=2, 1..=2, 4])
}

#[cfg(test)]
mod tests {
    use super::find;
    use crate::redact::digits::chains;

    fn phones(text: &str) -> Vec<&str> {
        find(text, &chains(text)).into_iter().map(|(start, end)| &text[start..end]).collect()
    }

    #[test]
    fn finds_north_american_numbers_in_every_punctuation() {
        for number in
            ["(212) 555-0142", "212.555.0142", "212-555-0142", "212 555 0142", "1-212-555-0142", "(212)555-0142"]
        {
            assert_eq!(phones(&format!("Guest at {number}, party of 4")), [number], "{number}");
        }
    }

    #[test]
    fn finds_international_numbers_by_country_length() {
        for number in [
            "+44 20 7946 0958",
            "+33 6 12 34 56 78",
            "+49 30 1234567",
            "+81 3-1234-5678",
            "+14155550142",
            "+1 (212) 555-0142",
            "+44 (0)20 7946 0958",
            "+353 87 123 4567",
            "0044 20 7946 0958",
            "+1-212-555-0142",
        ] {
            assert_eq!(phones(&format!("mob: {number}.")), [number], "{number}");
        }
    }

    #[test]
    fn finds_grouped_national_numbers_with_a_trunk_zero() {
        for number in
            ["020 7946 0958", "07700 900123", "06 12 34 56 78", "01.23.45.67.89", "03-1234-5678", "030/1234567"]
        {
            assert_eq!(phones(&format!("Reached on {number} yesterday")), [number], "{number}");
        }
    }

    #[test]
    fn finds_bare_digit_runs_only_after_a_phone_cue() {
        assert_eq!(phones("call 2125550142 if late"), ["2125550142"]);
        assert_eq!(phones("Text her on 07700900123"), ["07700900123"]);
        assert_eq!(phones("tel 555 0142"), ["555 0142"]);
        assert_eq!(phones("call 020 7946 0958 or 07700900123"), ["020 7946 0958", "07700900123"]);
        assert_eq!(phones("call 020 7946 0958, order 1234567890"), ["020 7946 0958"]);
        assert!(phones("Loyalty 2125550142 applied").is_empty());
    }

    #[test]
    fn leaves_order_numbers_refs_dates_times_and_prices_alone() {
        for note in [
            "order #123456789 ready at 7:30pm",
            "Order 4155550142 for pickup",
            "ref 20261122-0042",
            "arriving 2026-11-22 at 19:45, party of 6",
            "deposit $250.00, 15% service",
            "€1,250.00 paid, table 12, room 204",
            "call between 19.00-21.00",
            "call about order 2125550142",
            "Order #212-555-0142",
            "1234567890",
            "22.11.2026 x2",
            "exp 09/28 2026-12-31",
            "(mobile); Loyalty no. 7190013429",
        ] {
            assert!(phones(note).is_empty(), "{note}: {:?}", phones(note));
        }
    }

    #[test]
    fn reads_00_as_an_international_prefix_only_inside_one_group() {
        // "0 0123": the two zeros belong to different numbers.
        assert_eq!(phones("0 0123 4567 890"), ["0123 4567 890"]);
    }

    #[test]
    fn does_not_swallow_a_head_count_written_after_the_number() {
        assert_eq!(phones("020 7946 0958 2 guests"), ["020 7946 0958"]);
        assert_eq!(phones("+44 20 7946 0958 12 guests"), ["+44 20 7946 0958"]);
        assert_eq!(phones("call 2125550142 12 guests"), ["2125550142"]);
    }

    #[test]
    fn does_not_take_a_plus_that_means_more() {
        assert!(phones("party of 6+ 2 kids").is_empty());
        assert!(phones("+2 chairs").is_empty());
    }
}
