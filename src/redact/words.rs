//! Word lists the detectors consult: the cues around numbers, and words that are not names.
//!
//! Each list is one string of lowercase ASCII words (compared with folded text), which keeps a
//! hundred short words readable where rustfmt would put one per line. Every entry is there because
//! a realistic kitchen note goes wrong without it.

/// Words that announce a phone number ("call 2125550142", "text her on 07700900123").
pub(super) const PHONE_CUES: &str = "
    call calls called calling phone phoned phones ph tel telephone text texts texted txt mobile mob cell
    cellphone sms whatsapp fax contact reach ring";

/// Words that announce an identifier a kitchen keeps ("order 1234567890", "ref 20261122-0042",
/// "table 12"). A `#` counts as one of them.
pub(super) const REFERENCE_CUES: &str = "
    order orders ord ref reference confirmation conf invoice inv receipt ticket booking reservation res
    tracking transaction txn po id code voucher table room tab pos sku batch lot";

/// Words that announce a payment card number.
pub(super) const CARD_CUES: &str = "card cc visa mastercard amex credit debit pay paid payment deposit charge";

/// Parts of a name not worth redacting alone: particles and titles ("de", "van", "Mr").
pub(super) const NAME_PARTICLES: &str = "
    de da di do du del della der den des la le van von y e st mr mrs ms mx dr miss sir jr sr";

/// First or last names that are also everyday or kitchen words. A known name from this list is
/// redacted only where it is written with a capital ("Olive", "OLIVE"), so "no olive oil" or
/// "rosé by the glass" survive for the guest Olive Rose.
pub(super) const COMMON_WORDS: &str = "
    olive rose basil sage rice bean berry lamb salt pepper ginger honey apple cherry peach plum fish cook baker
    butler brewer miller fisher hunter lemon lime mint cress chard kale rye oates wheat barley hazel almond
    butter cream sugar candy grace hope joy faith will bill mark pat sue may june april august summer dawn eve
    ray rich frank grant guy young king long little white black brown green gray grey wood hall field ford bush
    moore more best bishop bird fox wolf bell church park lane hill stone page chase cash price bond early late
    al el le an in on to is";

/// Capitalised words that follow a name cue without being a name ("for Christmas Eve",
/// "ask for Table 9", "Dr Pepper", "MRS SMITH ALLERGIC"): a cued name stops before them.
/// Months that are also first names (April, May, June, August) are left out.
pub(super) const NOT_NAMES: &str = "
    the a an and or but with without at on in for of to from by is are was will has have had please thanks
    thank no not if as he she they we i it his her their our you your this that all any only
    one two three four five six seven eight nine ten eleven twelve
    mr mrs ms mx dr prof miss sir madam
    table tables room party guest guests pax covers chef server host hostess manager staff kitchen bar patio
    terrace window booth private dining vip menu tasting wine pairing dessert cake service front desk reception
    team group company office corporate event events club family friends kids children adults mom dad mum
    mother mothers father fathers wife husband partner sommelier mate guys folks everyone
    birthday anniversary wedding shower baby bridal holiday christmas xmas easter eve new year years valentine
    valentines thanksgiving halloween day brunch lunch dinner breakfast supper happy hour today tonight tomorrow
    monday tuesday wednesday thursday friday saturday sunday january february march september october november
    december weekend roast
    allergy allergic allergies intolerance intolerant gluten nut nuts peanut peanuts tree shellfish fish dairy
    lactose egg eggs soy sesame vegan vegetarian veggie halal kosher celiac coeliac free pepper salt sauce oil
    arriving arrives arrival late early prefers needs wants requests requested ok asap tbc tbd note notes
    regular regulars walk deposit paid card cash order ref phone call email text mobile cell";

/// Byte ranges of the runs of characters that `in_word` accepts: the words of a note, as each
/// detector defines a word.
pub(super) fn runs(text: &str, in_word: impl Fn(char) -> bool) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (in_word(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                runs.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        runs.push((s, text.len()));
    }
    runs
}

/// Whether `word` (any case, already without accents) is one of the words of `list`.
pub(super) fn contains(list: &str, word: &str) -> bool {
    list.split_ascii_whitespace().any(|entry| entry.eq_ignore_ascii_case(word))
}

#[cfg(test)]
mod tests {
    use super::{CARD_CUES, COMMON_WORDS, NAME_PARTICLES, NOT_NAMES, PHONE_CUES, REFERENCE_CUES, contains};

    #[test]
    fn lists_are_lowercase_ascii_words_so_folded_comparison_works() {
        for list in [PHONE_CUES, REFERENCE_CUES, CARD_CUES, NAME_PARTICLES, COMMON_WORDS, NOT_NAMES] {
            assert!(list.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_whitespace()));
        }
    }

    #[test]
    fn lookup_ignores_case_and_matches_whole_words_only() {
        assert!(contains(NOT_NAMES, "ALLERGIC"));
        assert!(contains(NOT_NAMES, "Christmas"));
        assert!(!contains(NOT_NAMES, "Siobhan"));
        assert!(!contains(PHONE_CUES, "cal"));
    }
}
