//! Phone numbers written to be read aloud, or typed in a hurry: digits as words ("five five
//! five, eight six seven, five three oh nine"), mixed with digits ("call five five five, 867
//! 5309"), the letter O for zero ("o972 228 583"), "double"/"triple", and national numbers cut
//! into unusual groups ("07 700 900 12 3").
//!
//! A run of such tokens, joined only by spaces, commas, dots, hyphens or slashes, is a phone
//! number when it holds 7 to 15 digits and either a spelled digit or a letter O among digits,
//! or (digits only) starts with a trunk `0`, has 10 or 11 digits and four groups or more. A
//! reference cue in front ("order", "table", `#`) vetoes it, as for the other numbers; a time
//! ("19:30") or a price ("$50") is never part of a run, as `:` and `$` end it.

use super::{
    digits::{self, Cue},
    words,
};

/// One word or digit group of a possible run.
#[derive(Debug, Clone, Copy)]
struct Token {
    start: usize,
    end: usize,
    /// Digits this token stands for (a "double" counts for the one it repeats).
    digits: usize,
    /// A digit written as a word, or the letter O standing for zero.
    spelled: bool,
    /// A comma comes between this token and the one before it.
    after_comma: bool,
}

const DIGIT_WORDS: [&str; 12] =
    ["zero", "oh", "o", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];

fn token(text: &str, start: usize, end: usize) -> Option<Token> {
    let word = &text[start..end];
    let lower = word.to_ascii_lowercase();
    let spelled = |digits| Some(Token { start, end, digits, spelled: true, after_comma: false });
    if DIGIT_WORDS.contains(&lower.as_str()) {
        return spelled(1);
    }
    match lower.as_str() {
        // "double five": the word adds one more of the digit that follows it.
        "double" => return spelled(1),
        "triple" => return spelled(2),
        _ => {}
    }
    let digits = word.bytes().filter(u8::is_ascii_digit).count();
    let letter_o = word.len() - digits;
    // Digits with the odd letter O among them ("o972", "07700 9OO"): O is zero here.
    let letters_ok = letter_o == 0 || word.len() >= 2;
    if digits > 0 && letters_ok && word.bytes().all(|b| b.is_ascii_digit() || b == b'o' || b == b'O') {
        return Some(Token { start, end, digits: word.len(), spelled: letter_o > 0, after_comma: false });
    }
    None
}

/// Byte ranges of the phone numbers of these kinds in `text`.
pub(super) fn find(text: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut run: Vec<Token> = Vec::new();
    let mut at = 0;
    for (start, end) in words::runs(text, char::is_alphanumeric) {
        let gap = &text[at..start];
        let joined =
            gap.chars().all(|c| matches!(c, ' ' | ',' | '.' | '-' | '(' | ')')) && gap.trim().chars().count() <= 2;
        if !(joined || run.is_empty()) {
            close(text, &mut run, &mut found);
        }
        match token(text, start, end) {
            Some(t) => run.push(Token { after_comma: gap.contains(','), ..t }),
            None => close(text, &mut run, &mut found),
        }
        at = end;
    }
    close(text, &mut run, &mut found);
    found
}

/// Judges the run gathered so far and starts a new one. A run too long for one number is a list
/// of numbers when commas part it ("five five five, 867 5309, 0645 591 403").
fn close(text: &str, run: &mut Vec<Token>, found: &mut Vec<(usize, usize)>) {
    let tokens = std::mem::take(run);
    if tokens.iter().map(|t| t.digits).sum::<usize>() > 15 && tokens.iter().skip(1).any(|t| t.after_comma) {
        let mut part = Vec::new();
        for token in tokens {
            if token.after_comma && !part.is_empty() {
                judge(text, std::mem::take(&mut part), found);
            }
            part.push(token);
        }
        judge(text, part, found);
    } else {
        judge(text, tokens, found);
    }
}

fn judge(text: &str, mut tokens: Vec<Token>, found: &mut Vec<(usize, usize)>) {
    // A group that runs into `:` is the hour of a time ("2026-12-31 19:45"), not a digit.
    if tokens.last().is_some_and(|t| text[t.end..].starts_with(':')) {
        tokens.pop();
    }
    let (Some(first), Some(last)) = (tokens.first(), tokens.last()) else { return };
    let digits: usize = tokens.iter().map(|t| t.digits).sum();
    let spelled = tokens.iter().any(|t| t.spelled);
    let lone_o = tokens.len() == 1 && text[first.start..first.end].eq_ignore_ascii_case("o");
    if !(7..=15).contains(&digits) || lone_o {
        return;
    }
    let numeric = &text[first.start..last.end];
    // A national number cut into four groups or more ("020 79 46 00 18", "226 555 016 3").
    let date = numeric.len() >= 10 && numeric.as_bytes()[4] == b'-' && numeric[..4].bytes().all(|b| b.is_ascii_digit());
    let unusual_groups = !spelled
        && !date
        && !numeric.contains(['.', ','])
        && (10..=11).contains(&digits)
        && tokens.len() >= 4
        && tokens.iter().all(|t| t.digits <= 4);
    if !(spelled || unusual_groups) {
        return;
    }
    if matches!(digits::cue_before(text, first.start), Cue::Reference | Cue::Card) {
        return;
    }
    // "(743) 555-o139": the opening parenthesis of the area code belongs to the number.
    let start = if text[..first.start].ends_with('(') { first.start - 1 } else { first.start };
    found.push((start, last.end));
}

#[cfg(test)]
mod tests {
    fn phones(text: &str) -> Vec<&str> {
        super::find(text).into_iter().map(|(s, e)| &text[s..e]).collect()
    }

    #[test]
    fn finds_numbers_spelled_out_mixed_or_cut_oddly() {
        assert_eq!(phones("call five five five, 867 5309 after 6"), ["five five five, 867 5309"]);
        assert_eq!(phones("mob o972 228 583."), ["o972 228 583"]);
        assert_eq!(
            phones("ring oh seven seven double oh nine one two later"),
            ["oh seven seven double oh nine one two"]
        );
        assert_eq!(
            phones("her number: five five five - oh one four two - eight six"),
            ["five five five - oh one four two - eight six"]
        );
        assert_eq!(phones("text 07 700 900 12 3 when here"), ["07 700 900 12 3"]);
        assert_eq!(phones("her cell 226 555 016 3, or 22-455-501-07"), ["226 555 016 3", "22-455-501-07"]);
        assert_eq!(phones("O7700 900 123"), ["O7700 900 123"]);
        assert_eq!(phones("Call (743) 555-o139. Or o2o 7946 o227"), ["(743) 555-o139", "o2o 7946 o227"]);
    }

    #[test]
    fn leaves_times_prices_party_sizes_and_references() {
        for text in [
            "party of five at 7:30, one high chair, two vegans",
            "table 12 at 19:30, order #4471 ready",
            "€1,250.00 for four, 12.5% service, two at 8",
            "order 0 20 79 46 00 18",
            "arrive at 7 or 8, one or two more guests",
            "ref 07 700 900 12 3",
            "closed on 2026-12-31 19:45 and 2026 12 31 18:30",
        ] {
            assert!(phones(text).is_empty(), "{text:?}: {:?}", phones(text));
        }
    }
}
