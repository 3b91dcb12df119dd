//! Case, accent and apostrophe folding, so "Siobhán O'Brien" and "SIOBHAN O’BRIEN" compare equal.
//!
//! Hand-written for Latin-1 and Latin Extended-A (the letters of Western, Central and Northern
//! European names) instead of pulling in a Unicode normalisation crate for one table.

/// Text folded to lowercase, accentless bytes, with the original character behind every folded byte.
///
/// Folded bytes are ASCII for Latin letters, `'` for every apostrophe look-alike, a space for
/// other punctuation and symbols outside ASCII, and lowercase UTF-8 for other scripts (so a Greek
/// or Cyrillic name still matches itself in any case).
pub(super) struct Folded {
    pub bytes: Vec<u8>,
    /// `origin[k]` is the byte range in the original text of the character that produced `bytes[k]`.
    origin: Vec<(usize, usize)>,
}

impl Folded {
    pub fn new(text: &str) -> Self {
        let mut bytes = Vec::with_capacity(text.len());
        let mut origin = Vec::with_capacity(text.len());
        let mut buf = [0u8; 4];
        for (at, c) in text.char_indices() {
            push_folded(c, &mut bytes, &mut buf);
            origin.resize(bytes.len(), (at, at + c.len_utf8()));
        }
        Self { bytes, origin }
    }

    /// The original byte range covered by folded bytes `start..end` (`end` exclusive, `start < end`).
    pub fn original_range(&self, start: usize, end: usize) -> (usize, usize) {
        (self.origin[start].0, self.origin[end - 1].1)
    }
}

/// A name folded for comparison, spaces collapsed: `"  Crème  BRÛLÉE base "` and
/// `"creme brulee base"` fold alike, as do `O'Brien` and `O’BRIEN`. The one folding of Sous: the
/// redactor matches guests' names with it and the answer repair matches catalog names with it.
pub fn fold_name(text: &str) -> String {
    String::from_utf8_lossy(&fold(text)).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Folds a short string (a known name) to its folded bytes.
pub(super) fn fold(text: &str) -> Vec<u8> {
    Folded::new(text).bytes
}

/// A folded byte that belongs to a word: ASCII letters and digits, and any byte of a non-ASCII
/// letter that has no ASCII folding.
pub(super) fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

fn push_folded(c: char, out: &mut Vec<u8>, buf: &mut [u8; 4]) {
    if is_apostrophe(c) {
        out.push(b'\'');
    } else if c.is_ascii() {
        out.push((c as u8).to_ascii_lowercase());
    } else if let Some(latin) = fold_latin(c) {
        out.extend_from_slice(latin.as_bytes());
    } else if c.is_alphanumeric() {
        for lower in c.to_lowercase() {
            out.extend_from_slice(lower.encode_utf8(buf).as_bytes());
        }
    } else {
        // Dashes, quotes and symbols outside ASCII separate words, as ASCII punctuation does.
        out.push(b' ');
    }
}

/// Apostrophes as typed by people and by word processors: ' ` ’ ‘ ʼ ´.
pub(super) fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '`' | '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{00B4}')
}

/// The ASCII spelling of a Latin-1 or Latin Extended-A letter, lowercased.
fn fold_latin(c: char) -> Option<&'static str> {
    let folded = match c {
        'À'..='Å' | 'à'..='å' => "a",
        'Æ' | 'æ' => "ae",
        'Ç' | 'ç' => "c",
        'È'..='Ë' | 'è'..='ë' => "e",
        'Ì'..='Ï' | 'ì'..='ï' => "i",
        'Ð' | 'ð' => "d",
        'Ñ' | 'ñ' => "n",
        'Ò'..='Ö' | 'ò'..='ö' | 'Ø' | 'ø' => "o",
        'Ù'..='Ü' | 'ù'..='ü' => "u",
        'Ý' | 'ý' | 'ÿ' => "y",
        'Þ' | 'þ' => "th",
        'ß' => "ss",
        '\u{0100}'..='\u{017F}' => fold_extended_a(c),
        _ => return None,
    };
    Some(folded)
}

/// Latin Extended-A is laid out by base letter, so ranges of code points share one folding.
fn fold_extended_a(c: char) -> &'static str {
    match c as u32 {
        0x100..=0x105 => "a",
        0x106..=0x10D => "c",
        0x10E..=0x111 => "d",
        0x112..=0x11B => "e",
        0x11C..=0x123 => "g",
        0x124..=0x127 => "h",
        0x128..=0x131 => "i",
        0x132..=0x133 => "ij",
        0x134..=0x135 => "j",
        0x136..=0x138 => "k",
        0x139..=0x142 => "l",
        0x143..=0x14B => "n",
        0x14C..=0x151 => "o",
        0x152..=0x153 => "oe",
        0x154..=0x159 => "r",
        0x15A..=0x161 => "s",
        0x162..=0x167 => "t",
        0x168..=0x173 => "u",
        0x174..=0x175 => "w",
        0x176..=0x178 => "y",
        0x179..=0x17E => "z",
        _ => "s", // U+017F long s
    }
}

#[cfg(test)]
mod tests {
    use super::{Folded, fold};

    fn folded(text: &str) -> String {
        String::from_utf8(fold(text)).unwrap()
    }

    #[test]
    fn strips_accents_and_case_from_western_and_central_european_names() {
        assert_eq!(folded("Siobhán O'Brien"), "siobhan o'brien");
        assert_eq!(folded("ZOË MÜLLER"), "zoe muller");
        assert_eq!(folded("Łukasz Wójcik"), "lukasz wojcik");
        assert_eq!(folded("Antonín Dvořák"), "antonin dvorak");
        assert_eq!(folded("Jürgen Groß"), "jurgen gross");
        assert_eq!(folded("Øyvind Ærø"), "oyvind aero");
        assert_eq!(folded("Şahin Çelik"), "sahin celik");
    }

    #[test]
    fn maps_every_apostrophe_look_alike_to_ascii() {
        assert_eq!(folded("O’Brien O‘Brien Oʼbrien O`Brien"), "o'brien o'brien o'brien o'brien");
    }

    #[test]
    fn keeps_other_scripts_lowercased_and_turns_foreign_punctuation_into_spaces() {
        assert_eq!(folded("ИВАН"), "иван");
        assert_eq!(folded("Anna—Smith"), "anna smith");
    }

    #[test]
    fn maps_folded_ranges_back_to_original_characters() {
        let text = "Hi Groß & Siobhán!";
        let f = Folded::new(text);
        let at = f.bytes.windows(5).position(|w| w == b"gross").unwrap();
        let (start, end) = f.original_range(at, at + 5);
        assert_eq!(&text[start..end], "Groß");
        let at = f.bytes.windows(7).position(|w| w == b"siobhan").unwrap();
        let (start, end) = f.original_range(at, at + 7);
        assert_eq!(&text[start..end], "Siobhán");
    }
}
