//! Email addresses, including the spelled-out kind guests type to dodge spam filters
//! ("anna [at] gmail [dot] com", "anna at gmail dot com").

use regex::Regex;

pub(super) struct EmailPatterns {
    plain: Regex,
    spelled: Regex,
}

impl EmailPatterns {
    pub fn new() -> Self {
        let plain = r"[\p{L}\p{N}._%+\-']+@(?:[\p{L}\p{N}](?:[\p{L}\p{N}\-]*[\p{L}\p{N}])?\.)+\p{L}{2,}";
        // The spelled form needs an "at" (spelled, or `@` with spaces around it) and a known
        // top-level domain after a dot (spelled or not), so "arriving at 7" never matches. Dots
        // of the local part may be spelled too ("maria dot lopez at gmail dot com").
        let dot = r"(?: \s* (?: \[dot\] | \(dot\) | \{dot\} | -\s?dot\s?- | \s dot \s | \. ) \s* )";
        // In the local part a written full stop has no spaces around it: "party of 5. anna at
        // ..." is a sentence and then an address.
        let local_dot = r"(?: \s* (?: \[dot\] | \(dot\) | \{dot\} | -\s?dot\s?- | \s dot \s ) \s* | \. )";
        let spelled = format!(
            r"(?xi)
            [\p{{L}}\p{{N}}_%+\-]+ (?: {local_dot} [\p{{L}}\p{{N}}_%+\-]+ )*
            \s* (?: \[at\] | \(at\) | \{{at\}} | -\s?at\s?- | \s at \s | \s@ | @\s ) \s*
            [\p{{L}}\p{{N}}\-]+
            (?: {dot} [\p{{L}}\p{{N}}\-]+ )*?
            {dot}
            (?: com | net | org | edu | gov | io | co | uk | ie | fr | de | es | it | nl | jp | ca | au
              | info | me | ch | at | be | se | no | dk | fi | pl | pt | ru | cn | br | in | mx | nz | us )
            (?-u:\b)"
        );
        Self {
            plain: Regex::new(plain).expect("email pattern"),
            spelled: Regex::new(&spelled).expect("spelled pattern"),
        }
    }

    /// Byte ranges of the addresses in `text`.
    pub fn find(&self, text: &str) -> Vec<(usize, usize)> {
        self.plain
            .find_iter(text)
            .chain(self.spelled.find_iter(text))
            .map(|m| {
                // The local part's class allows dots and apostrophes, but not as the first character:
                // "(email: .anna@x.io)" or "'anna@x.io'" quote marks are not part of the address.
                let lead = m.as_str().len() - m.as_str().trim_start_matches(['.', '\'', '-']).len();
                (m.start() + lead, m.end())
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use super::EmailPatterns;

    fn emails(text: &str) -> Vec<String> {
        static EMAILS: LazyLock<EmailPatterns> = LazyLock::new(EmailPatterns::new);
        EMAILS.find(text).into_iter().map(|(start, end)| text[start..end].to_owned()).collect()
    }

    #[test]
    fn finds_ordinary_and_unusual_addresses() {
        for address in [
            "anna.smith@example.com",
            "siobhan.o'brien@mail.ie",
            "j+tables@sub.example.co.uk",
            "josé@café.fr",
            "A_B-9@x.io",
        ] {
            assert_eq!(emails(&format!("Email: {address}.")), [address], "{address}");
        }
    }

    #[test]
    fn finds_spelled_out_addresses() {
        assert_eq!(emails("mail anna [at] gmail [dot] com please"), ["anna [at] gmail [dot] com"]);
        assert_eq!(emails("reach me: tom.h at outlook dot com"), ["tom.h at outlook dot com"]);
    }

    #[test]
    fn trims_quote_marks_before_the_address() {
        assert_eq!(emails("'anna@example.com'"), ["anna@example.com"]);
    }

    #[test]
    fn ignores_text_that_only_resembles_an_address() {
        for note in ["arriving at 7, table at the window", "@chef please check", "2 @ $15.00", "user@localhost"] {
            assert!(emails(note).is_empty(), "{note}");
        }
    }
}
