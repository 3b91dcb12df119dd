//! Social handles ("insta @amelia_eats", "tiktok: @chef_nina99"), whole: the `@` and every
//! letter, digit, `_` and inner `.` of the name. An `@` inside a word is an email's, and one
//! followed by a digit or a space is a price or a time ("2 @ £5", "table @ 8pm").

/// Byte ranges of the handles in `text`.
pub(super) fn find(text: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    for (at, _) in text.match_indices('@') {
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@')) {
            continue;
        }
        let name = &text[at + 1..];
        if !name.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_') {
            continue;
        }
        let mut end = name
            .char_indices()
            .find(|(_, c)| !(c.is_alphanumeric() || matches!(c, '_' | '.')))
            .map_or(name.len(), |(i, _)| i);
        // A full stop after the handle ends the sentence, not the handle.
        while name[..end].ends_with('.') {
            end -= 1;
        }
        if end >= 2 {
            found.push((at, at + 1 + end));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    fn handles(text: &str) -> Vec<&str> {
        super::find(text).into_iter().map(|(s, e)| &text[s..e]).collect()
    }

    #[test]
    fn finds_whole_handles() {
        assert_eq!(handles("insta @amelia_eats, tiktok: @chef_nina99."), ["@amelia_eats", "@chef_nina99"]);
        assert_eq!(handles("(@joe.bakes) twitter @K_Wu"), ["@joe.bakes", "@K_Wu"]);
    }

    #[test]
    fn leaves_emails_prices_and_times() {
        for text in ["write to amelia@eats.com", "2 @ £5 each", "table @ 8pm", "@ 19:30", "a@b", "@x"] {
            assert!(handles(text).is_empty(), "{text:?}");
        }
    }
}
