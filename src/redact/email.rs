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
        // The spelled form needs " at " and " dot <common tld>" both, so "arriving at 7" never matches.
        let spelled = r"(?xi)
            [\p{L}\p{N}._%+\-]+
            \s* (?: \[at\] | \(at\) | \{at\} | \s at \s ) \s*
            [\p{L}\p{N}\-]+
            (?: \s* (?: \[dot\] | \(dot\) | \{dot\} | \s dot \s | \. ) \s* [\p{L}\p{N}\-]+ )*?
            \s* (?: \[dot\] | \(dot\) | \{dot\} | \s dot \s ) \s*
            (?: com | net | org | edu | gov | io | co | uk | ie | fr | de | es | it | nl | jp | ca | au
              | info | me ) (?-u:\b)";
        Self {
            plain: Regex::new(plain).expect("email pattern"),
            spelled: Regex::new(spelled).expect("spelled pattern"),
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
