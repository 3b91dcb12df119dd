//! Runs of digit groups ("(212) 555-0142", "4111 1111 1111 1111") and the words in front of them:
//! the raw material that the phone and card rules judge.

use super::words;

/// One group of ASCII digits, possibly in parentheses: `(212)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Group {
    /// Byte range of the digits alone.
    pub digits: (usize, usize),
    pub parenthesized: bool,
}

impl Group {
    pub fn len(&self) -> usize {
        self.digits.1 - self.digits.0
    }

    /// Byte range including the parentheses.
    pub fn outer(&self) -> (usize, usize) {
        let p = usize::from(self.parenthesized);
        (self.digits.0 - p, self.digits.1 + p)
    }
}

/// Digit groups joined by short separators (space, `.`, `-`, `/`), optionally led by `+`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Chain {
    /// Byte offset of a leading `+`.
    pub plus: Option<usize>,
    pub groups: Vec<Group>,
    /// The chain runs straight into a letter or digit ("500g", "7pm"): not a number on its own.
    pub glued_to_word: bool,
}

impl Chain {
    /// The separator text between group `k` and group `k + 1`.
    pub fn separator<'t>(&self, text: &'t str, k: usize) -> &'t str {
        &text[self.groups[k].outer().1..self.groups[k + 1].outer().0]
    }

    /// The digits of groups `first..=last`, concatenated.
    pub fn digits(&self, text: &str, first: usize, last: usize) -> Vec<u8> {
        self.groups[first..=last].iter().flat_map(|g| text[g.digits.0..g.digits.1].bytes()).collect()
    }

    /// How many digits groups `first..=last` hold.
    pub fn digit_count(&self, first: usize, last: usize) -> usize {
        self.groups[first..=last].iter().map(Group::len).sum()
    }

    /// Byte range of groups `first..=last`, with the `+` when the window starts the chain.
    pub fn span(&self, first: usize, last: usize) -> (usize, usize) {
        let start = match (first, self.plus) {
            (0, Some(plus)) => plus,
            _ => self.groups[first].outer().0,
        };
        (start, self.groups[last].outer().1)
    }
}

/// Every chain in `text`, left to right. A chain never starts inside a word ("x2", "A12").
pub(super) fn chains(text: &str) -> Vec<Chain> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let starts_here = matches!(bytes[at], b'0'..=b'9' | b'(' | b'+') && !word_before(text, at);
        match starts_here.then(|| scan_chain(bytes, at)).flatten() {
            Some((mut chain, end)) => {
                chain.glued_to_word = text[end..].chars().next().is_some_and(char::is_alphanumeric);
                found.push(chain);
                at = end;
            }
            None => at += 1,
        }
    }
    found
}

fn word_before(text: &str, at: usize) -> bool {
    text[..at].chars().next_back().is_some_and(char::is_alphanumeric)
}

fn scan_chain(bytes: &[u8], start: usize) -> Option<(Chain, usize)> {
    let mut at = start;
    let plus = (bytes[at] == b'+').then(|| {
        at += 1;
        start
    });
    let mut groups = vec![scan_group(bytes, at)?];
    at = groups[0].outer().1;
    while let Some(next) = scan_separator(bytes, at, groups.last().is_some_and(|g| g.parenthesized)) {
        let Some(group) = scan_group(bytes, next) else { break };
        at = group.outer().1;
        groups.push(group);
    }
    Some((Chain { plus, groups, glued_to_word: false }, at))
}

fn scan_group(bytes: &[u8], at: usize) -> Option<Group> {
    let parenthesized = bytes.get(at) == Some(&b'(');
    let first = at + usize::from(parenthesized);
    let end = first + bytes[first.min(bytes.len())..].iter().take_while(|b| b.is_ascii_digit()).count();
    if end == first || (parenthesized && bytes.get(end) != Some(&b')')) {
        return None;
    }
    Some(Group { digits: (first, end), parenthesized })
}

/// Where the next group would start after the separator at `at`, if the separator is phone- or
/// card-like: one or two spaces, or one of `.-/` alone or with a space on both sides. A closing
/// parenthesis may be followed by nothing at all: "(212)555-0142". A sentence end such as
/// "09/28. 2026" is no separator, so numbers of two sentences never join.
fn scan_separator(bytes: &[u8], at: usize, after_paren: bool) -> Option<usize> {
    let len = bytes[at..].iter().take(3).take_while(|b| matches!(b, b' ' | b'.' | b'-' | b'/')).count();
    let separator = &bytes[at..at + len];
    let fits = match separator {
        [] => after_paren,
        [b' '] | [b' ', b' '] | [b'.' | b'-' | b'/'] => true,
        [b' ', mark, b' '] => *mark != b' ',
        _ => false,
    };
    let next = at + len;
    let digit_follows = bytes.get(next).is_some_and(u8::is_ascii_digit)
        || (bytes.get(next) == Some(&b'(') && bytes.get(next + 1).is_some_and(u8::is_ascii_digit));
    (fits && digit_follows).then_some(next)
}

/// What the nearest cue word in front of a number says it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cue {
    Phone,
    Card,
    /// An order, booking, table or room number, or a `#`.
    Reference,
    None,
}

/// The nearest cue among the four words before `at`, within the same clause: "call me on
/// 2125550142" is a phone cue, "call about order 1234567890" a reference cue, and in
/// "(mobile); Loyalty no. 7190013429" nothing is, because `;` and a full stop end the search.
pub(super) fn cue_before(text: &str, at: usize) -> Cue {
    let mut rest = &text[..at];
    for _ in 0..4 {
        let trimmed = rest.trim_end_matches(|c: char| !c.is_alphanumeric() && c != '#');
        let gap = &rest[trimmed.len()..];
        if gap.contains([';', '\n', '!', '?']) {
            break;
        }
        if let Some(before) = trimmed.strip_suffix('#') {
            return if before.trim_end().to_ascii_lowercase().ends_with("card") { Cue::Card } else { Cue::Reference };
        }
        let word_start = trimmed
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphanumeric())
            .last()
            .map_or(trimmed.len(), |(i, _)| i);
        let word = &trimmed[word_start..];
        // A number in between owns the cue: in "table 12 4111 1111 1111 1111", "table" is about 12.
        if word.is_empty() || word.bytes().all(|b| b.is_ascii_digit()) {
            break;
        }
        for (list, cue) in
            [(words::PHONE_CUES, Cue::Phone), (words::CARD_CUES, Cue::Card), (words::REFERENCE_CUES, Cue::Reference)]
        {
            if words::contains(list, word) {
                return cue;
            }
        }
        // A full stop after an ordinary word ends a sentence; after a cue it was an abbreviation ("tel.").
        if gap.contains('.') {
            break;
        }
        rest = &trimmed[..word_start];
    }
    Cue::None
}

#[cfg(test)]
mod tests {
    use super::{Cue, chains, cue_before};

    fn group_texts(text: &str) -> Vec<Vec<&str>> {
        chains(text).iter().map(|c| c.groups.iter().map(|g| &text[g.outer().0..g.outer().1]).collect()).collect()
    }

    #[test]
    fn groups_phone_and_card_layouts() {
        assert_eq!(group_texts("call (212) 555-0142 now"), [vec!["(212)", "555", "0142"]]);
        assert_eq!(group_texts("+44 20 7946 0958."), [vec!["44", "20", "7946", "0958"]]);
        assert_eq!(group_texts("card 4111-1111-1111-1111"), [vec!["4111", "1111", "1111", "1111"]]);
        assert_eq!(group_texts("(212)555-0142"), [vec!["(212)", "555", "0142"]]);
        assert_eq!(group_texts("212 - 555 - 0142"), [vec!["212", "555", "0142"]]);
        assert_eq!(group_texts("exp 09/28. 2026-12-31"), [vec!["09", "28"], vec!["2026", "12", "31"]]);
    }

    #[test]
    fn stops_at_colons_commas_and_words() {
        assert_eq!(group_texts("7:30pm"), [vec!["7"], vec!["30"]]);
        assert_eq!(group_texts("€1,250.00"), [vec!["1"], vec!["250", "00"]]);
        assert_eq!(group_texts("x2 A12 room 204"), [vec!["204"]]);
    }

    #[test]
    fn remembers_a_leading_plus_and_a_glued_suffix() {
        let found = chains("+33 6 12 34 56 78 and 500g");
        assert_eq!(found[0].plus, Some(0));
        assert!(!found[0].glued_to_word);
        assert!(found[1].glued_to_word);
        assert!(!chains("0958—call")[0].glued_to_word);
        assert!(chains("2é")[0].glued_to_word);
        assert_eq!(found[0].span(0, 5), (0, 17));
    }

    #[test]
    fn finds_the_nearest_cue_within_four_words() {
        let cue = |text: &str| cue_before(text, text.len());
        assert_eq!(cue("please call her on "), Cue::Phone);
        assert_eq!(cue("call about order "), Cue::Reference);
        assert_eq!(cue("order #"), Cue::Reference);
        assert_eq!(cue("Card #"), Cue::Card);
        assert_eq!(cue("Tel.: "), Cue::Phone);
        assert_eq!(cue("text the host at "), Cue::Phone);
        assert_eq!(cue("phone one two three four five "), Cue::None);
        assert_eq!(cue(""), Cue::None);
        assert_eq!(cue("table 12 "), Cue::None);
        assert_eq!(cue("(mobile); Loyalty no. "), Cue::None);
        assert_eq!(cue("Call us. Loyalty "), Cue::None);
    }
}
