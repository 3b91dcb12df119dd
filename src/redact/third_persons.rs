//! Names of people other than the booking's guest: who pays, who joins, whose birthday it is
//! ("Dmitri Nyberg will pay", "bill to Ivan Petrov", "Sofia joins later", "for Tom's 40th").
//!
//! A capitalised word is a given name when it is in the list generated from Faker's first names of
//! 80-odd locales (`data/given_names.txt`, `scripts/gen_given_names.py`) and is not an everyday,
//! kitchen, calendar or place word (`words::COMMON_WORDS`, `words::NOT_NAMES`, and the lists
//! below). It is redacted with the capitalised word after it (the surname), or alone where a word
//! around it says a person is meant ("to", "by", "with", "will", "joins", a possessive). A dish or
//! drink named after someone ("Caesar salad", "Tom Collins", "Earl Grey") is left as it is.

use std::{collections::HashSet, sync::LazyLock};

use super::{fold::fold, words};

/// Given names that are also kitchen, calendar or place words, which a note uses as such.
const NOT_PERSONS: &str = "
    amber ruby pearl crystal jade holly ivy lily daisy violet autumn angel easter sunday january april may june
    july august paris london berlin rome florence sydney austin dallas houston denver phoenix orlando jackson
    madison lincoln chester preston camden chelsea brooklyn savannah georgia virginia carolina kingston
    hamilton victoria florentine napoleon garibaldi bellini rossini sunny marina sherry brandy tequila
    line sous chef cook prep pastry grill runner porter expo fry saute demo bistro brasserie trattoria
    champagne chardonnay merlot shiraz cristal lamb clementine saffron juniper cinnamon clove nutmeg
    bay maple pepper cherry plum peach apple berry barley rice fern heather rosemary marjoram tarragon";

/// Dishes and drinks that carry a given name, written as kitchens write them.
const DISHES: &[&str] = &[
    "caesar salad",
    "caesar dressing",
    "eggs benedict",
    "pizza margherita",
    "margherita pizza",
    "margherita",
    "shirley temple",
    "bloody mary",
    "tom collins",
    "john collins",
    "earl grey",
    "lady grey",
    "victoria sponge",
    "crepes suzette",
    "peach melba",
    "melba toast",
    "fettuccine alfredo",
    "alfredo sauce",
    "beef wellington",
    "oysters rockefeller",
    "chicken marengo",
    "lobster thermidor",
    "pavlova",
    "charlotte russe",
    "tarte tatin",
    "madeleines",
    "margarita",
    "arnold palmer",
    "john dory",
    "granny smith",
    "jack daniels",
    "rob roy",
    "tom yum",
    "sally lunn",
    "apple charlotte",
    "tarte charlotte",
    "cullen skink",
    "bananas foster",
    "sole véronique",
    "sole veronique",
    "crêpes suzette",
    "tournedos rossini",
    "waldorf salad",
    "nachos",
    "eton mess",
    "double gloucester",
];

/// Words right before a name that say a person is meant.
const CUES_BEFORE: &str = "to by with for of is from and ask invite invited host hosted guest pays pay paying bill
    billed paid joined join meet meeting plus call contact cc dear seat seated welcome greet tell remind thank
    let vip";

/// Labels before a colon that introduce a person ("host: Aiko").
const LABELS: &str = "host guest contact name payer attn attention organiser organizer cc";

/// Words right after a name that say a person is meant.
const CUES_AFTER: &str = "will joins joining join pays paying paid is arrives arriving comes coming says said
    wants prefers likes has hosts hosting brings bringing";

static GIVEN_NAMES: LazyLock<HashSet<Vec<u8>>> = LazyLock::new(|| {
    include_str!("data/given_names.txt")
        .lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .map(fold)
        .filter(|name| !EXCLUDED.contains(name))
        .collect()
});

/// Everyday, kitchen, calendar and place words, folded: never a person's name here.
static EXCLUDED: LazyLock<HashSet<Vec<u8>>> = LazyLock::new(|| {
    [words::COMMON_WORDS, words::NOT_NAMES, words::NAME_PARTICLES, NOT_PERSONS]
        .iter()
        .flat_map(|list| list.split_ascii_whitespace())
        .map(fold)
        .collect()
});

fn is_excluded(word: &str) -> bool {
    EXCLUDED.contains(&fold(word))
}

/// A given name of the list, or a hyphenated one starting with one ("Mary-Kate").
fn is_given_name(word: &str) -> bool {
    GIVEN_NAMES.contains(&fold(word))
        || word.split_once('-').is_some_and(|(first, _)| GIVEN_NAMES.contains(&fold(first)))
}

fn capitalised(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.any(char::is_lowercase)
}

/// Byte ranges of the names of other people in `text`.
pub(super) fn find(text: &str) -> Vec<(usize, usize)> {
    let words = words_of(text);
    // ASCII lowercasing keeps every byte offset.
    let lower = text.to_ascii_lowercase();
    let mut found = Vec::new();
    let mut k = 0;
    while k < words.len() {
        let (start, end) = words[k];
        let word = &text[start..end];
        if !(capitalised(word) && is_given_name(word)) || in_dish(&lower, start, end) {
            k += 1;
            continue;
        }
        // With the surname after it: "Dmitri Nyberg", "Lena van Dijk".
        let mut last = k;
        while let Some(&(s, e)) = words.get(last + 1) {
            let next = &text[s..e];
            let joined = text.get(words[last].1..s) == Some(" ");
            let particle =
                words::contains(words::NAME_PARTICLES, &next.to_lowercase()) && !next.starts_with(char::is_uppercase);
            if joined && (capitalised(next) && !is_excluded(next) || particle && words.get(last + 2).is_some()) {
                last += 1;
            } else {
                break;
            }
        }
        // A trailing particle is not part of the name.
        while last > k && !capitalised(&text[words[last].0..words[last].1]) {
            last -= 1;
        }
        if last > k || cued(text, &words, k) {
            found.push((start, words[last].1));
        }
        k = last + 1;
    }
    found
}

/// Whether a cue word touches word `k`, or a possessive follows it ("Tom's").
fn cued(text: &str, words: &[(usize, usize)], k: usize) -> bool {
    let (start, end) = words[k];
    let after = &text[end..];
    if after.starts_with("'s") || after.starts_with("’s") {
        return true;
    }
    let before = text[..start].trim_end();
    if before.ends_with('&') {
        return true;
    }
    // "host: Aiko", "pay: Dmitri Nyberg", but not "missing roles: Line cook".
    if let Some(label) = before.strip_suffix(':') {
        let word = label[label.trim_end_matches(char::is_alphabetic).len()..].to_lowercase();
        return words::contains(CUES_BEFORE, &word) || words::contains(LABELS, &word);
    }
    let previous = k.checked_sub(1).map(|p| &text[words[p].0..words[p].1]);
    let next = words.get(k + 1).map(|&(s, e)| &text[s..e]);
    let adjacent = |from: usize, to: usize| text[from..to].trim().is_empty();
    // "Alejandro and Jonas": two given names joined by "and" name two people.
    let and_a_name = |w: &str| {
        w == "and" && words.get(k + 2).is_some_and(|&(s, e)| capitalised(&text[s..e]) && is_given_name(&text[s..e]))
    };
    previous.is_some_and(|w| adjacent(words[k - 1].1, start) && words::contains(CUES_BEFORE, &w.to_lowercase()))
        || next.is_some_and(|w| {
            adjacent(end, words[k + 1].0) && (words::contains(CUES_AFTER, &w.to_lowercase()) || and_a_name(w))
        })
}

/// Whether the word at `start..end` of the lowercased note is part of a dish's name.
fn in_dish(lower: &str, start: usize, end: usize) -> bool {
    DISHES.iter().any(|dish| {
        lower.match_indices(dish).any(|(at, d)| {
            let boundary_before = !lower[..at].ends_with(char::is_alphanumeric);
            let boundary_after = !lower[at + d.len()..].starts_with(char::is_alphanumeric);
            boundary_before && boundary_after && at <= start && end <= at + d.len()
        })
    })
}

/// Byte ranges of the words of `text`: letters, with hyphens and apostrophes inside ("Mary-Kate",
/// "O'Brien"), but not a possessive's "'s".
fn words_of(text: &str) -> Vec<(usize, usize)> {
    let mut words = Vec::new();
    let mut start: Option<usize> = None;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (n, &(i, c)) in chars.iter().enumerate() {
        let inner = matches!(c, '-' | '\'' | '’')
            && start.is_some()
            && chars.get(n + 1).is_some_and(|&(_, next)| next.is_alphabetic())
            && !chars
                .get(n + 1)
                .is_some_and(|&(_, next)| next == 's' && chars.get(n + 2).is_none_or(|&(_, c)| !c.is_alphabetic()));
        if c.is_alphabetic() || inner {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            words.push((s, i));
        }
    }
    if let Some(s) = start {
        words.push((s, text.len()));
    }
    words
}

#[cfg(test)]
mod tests {
    fn names(text: &str) -> Vec<&str> {
        super::find(text).into_iter().map(|(s, e)| &text[s..e]).collect()
    }

    #[test]
    fn finds_people_other_than_the_guest() {
        assert_eq!(names("Dmitri Nyberg will pay the bill"), ["Dmitri Nyberg"]);
        assert_eq!(names("bill to Ivan Petrov, Sofia joins later"), ["Ivan Petrov", "Sofia"]);
        assert_eq!(names("cake for Tom's 40th; host: Aiko"), ["Tom", "Aiko"]);
        assert_eq!(names("pay: Dmitri"), ["Dmitri"]);
        assert_eq!(names("with Lena van Dijk and Mary-Kate O'Brien"), ["Lena van Dijk", "Mary-Kate O'Brien"]);
    }

    #[test]
    fn leaves_dishes_drinks_months_and_kitchen_words() {
        for text in [
            "2 Caesar salad, 1 Eggs Benedict, Margherita x3",
            "Tom Collins and a Shirley Temple, Earl Grey after",
            "Beef Wellington for 6 on June 3, Victoria sponge",
            "Basil oil, Olive tapenade, Rose wine by the glass",
            "Table 4 prefers the terrace",
            "missing roles: Line cook, Sous chef",
            "Sous Demo Bistro, Line cook x2",
        ] {
            assert!(names(text).is_empty(), "{text:?}: {:?}", names(text));
        }
    }
}
