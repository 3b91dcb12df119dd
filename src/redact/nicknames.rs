//! The guest's name as people shorten it: a first name cut short ("Mari" for Maria, "Alex" for
//! Alexandra), alone or before the surname, and an initial before a name found ("M. Okafor").
//! A shortening needs four letters and a capital, so "Mar 3" or "al fresco" are not names.

use super::{fold::fold, words};

/// The first names of the guests, folded.
fn first_names(known_names: &[&str]) -> Vec<Vec<u8>> {
    known_names.iter().filter_map(|n| n.split_whitespace().next()).map(fold).filter(|f| f.len() >= 5).collect()
}

/// Byte ranges of capitalised words that shorten a guest's first name.
pub(super) fn find(text: &str, known_names: &[&str]) -> Vec<(usize, usize)> {
    let firsts = first_names(known_names);
    if firsts.is_empty() {
        return Vec::new();
    }
    let mut found = Vec::new();
    for (start, end) in words::runs(text, char::is_alphabetic) {
        let word = &text[start..end];
        let folded = fold(word);
        let shortens = |first: &Vec<u8>| first.starts_with(&folded) && first.len() > folded.len();
        if word.chars().count() >= 4 && word.starts_with(char::is_uppercase) && firsts.iter().any(shortens) {
            found.push((start, end));
        }
    }
    found
}

/// Widens each name span over an initial right before it ("M. Okafor", "M Okafor") and joins a
/// shortened first name to the surname after it into one span.
pub(super) fn widen(text: &str, spans: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    let mut spans: Vec<(usize, usize)> = spans
        .into_iter()
        .map(|(start, end)| {
            let before = &text[..start];
            let trimmed = before.trim_end_matches(' ');
            if before.len() - trimmed.len() > 1 {
                return (start, end);
            }
            // "M. Okafor", "M Okafor", "O.Bennett".
            let initial = match trimmed.strip_suffix('.') {
                Some(initial) => initial,
                None if trimmed.len() < before.len() => trimmed,
                None => return (start, end),
            };
            let mut chars = initial.chars().rev();
            match (chars.next(), chars.next()) {
                (Some(c), prev) if c.is_uppercase() && !prev.is_some_and(char::is_alphanumeric) => {
                    (initial.len() - c.len_utf8(), end)
                }
                _ => (start, end),
            }
        })
        .collect();
    spans.sort_unstable();
    // "Mari" and "Okafor" side by side are one name.
    let mut joined: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
    for (start, end) in spans {
        match joined.last_mut() {
            Some(last) if text.get(last.1..start) == Some(" ") => last.1 = last.1.max(end),
            _ => joined.push((start, end)),
        }
    }
    joined
}

#[cfg(test)]
mod tests {
    fn names(text: &str, known: &[&str]) -> Vec<String> {
        let mut spans = super::find(text, known);
        spans.extend(super::super::known_names::KnownNames::parse(known).find(text));
        super::widen(text, spans).into_iter().map(|(s, e)| text[s..e].to_owned()).collect()
    }

    #[test]
    fn shortened_first_names_and_initials_join_the_name() {
        assert_eq!(names("Mari Okafor prefers booth", &["Maria Okafor"]), ["Mari Okafor"]);
        assert_eq!(names("ask for Alex at the bar", &["Alexandra Weiss"]), ["Alex"]);
        assert_eq!(names("M. Okafor and J Smith", &["Maria Okafor"]), ["M. Okafor"]);
        assert_eq!(names("note from O.Okafor", &["Maria Okafor"]), ["O.Okafor"]);
    }

    #[test]
    fn short_or_lowercase_words_are_not_names() {
        assert!(names("Mar 3, al fresco, maria's cake", &["Mariana Silva"]).is_empty());
    }
}
