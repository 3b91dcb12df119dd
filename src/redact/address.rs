//! Street addresses, whole: house number and street (in the English order, "26B Elm Avenue", or
//! the continental one, "Hauptstraße 12", "12 rue de Rivoli", "Calle Mayor 5"), a flat or unit
//! in front, and the city with its postcode when they follow ("Springfield IL 62704", "London
//! SW1A 2AA", "10115 Berlin", "1015 CJ Amsterdam"); and postcodes on their own (a UK postcode,
//! a US state with its ZIP code).
//!
//! A street needs a house number and a street word ("Street", "Ave", "-straße", "rue", "Via"):
//! "table 4", "station 2" or "food court" have none of the two together.

use regex::Regex;

/// Street words, whole or abbreviated (an abbreviation may end with its full stop).
const STREET_TYPES: &str = "(?:Street|Avenue|Road|Lane|Drive|Boulevard|Way|Court|Place|Terrace|Close|Crescent|\
                            Square|Parkway|Highway|Row|Mews|Gardens|Grove|Walk|Alley|Circle|Hill|Rise|Gate|Parade|\
                            Quay|Wharf|Yard|Passage|Embankment)(?-u:\\b)|(?:St|Ave|Rd|Ln|Dr|Blvd|Ct|Pl|Sq|Pkwy|Hwy|\
                            Cir|Cres|Tce)(?-u:\\b)\\.?";
const UK_POSTCODE: &str = r"[A-Z]{1,2}[0-9][A-Z0-9]?\s?[0-9][A-Z]{2}";
const US_STATES: &str = "AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|\
                         NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC";

pub(super) struct AddressPatterns {
    patterns: Vec<Regex>,
}

impl AddressPatterns {
    pub fn new() -> Self {
        let unit = r"(?:(?:(?:Flat|Apt|Apartment|Unit|Suite)\.?\s*[0-9]+[A-Za-z]?|(?:Basement|Ground Floor|Top|Garden|First Floor) Flat),?\s+)?";
        // "Apt 4B", "Fl 2", "Suite 210" after the street.
        let unit_after = r"(?:,?\s+(?:Apt|Apartment|Unit|Suite|Ste|Fl|Floor|\#)\.?\s*[0-9]+[A-Za-z]?)?";
        let word = r"[\p{Lu}][\p{L}'’\-]*\.?";
        // A city's words never run over a full stop: "Ann Arbor. Boulevardier x4" ends at Arbor.
        let city_word = r"[\p{Lu}][\p{L}'’\-]*";
        let city = format!(r"{city_word}(?: +{city_word}){{0,2}}");
        // ", Springfield IL 62704" / ", Washington, DC 20500" / ", London SW1A 2AA" / ", SW1A 2AA",
        // or a city alone (", Cardiff", ", San Francisco, CA"), kept only if none of its words is
        // a kitchen word (see `find`).
        let tail = format!(
            r"(?:,?\s*(?:{city},?\s+)?(?:(?:{US_STATES})\s+[0-9]{{5}}(?:-[0-9]{{4}})?|{UK_POSTCODE})(?-u:\b)|,\s*{city}(?:,\s*(?:{US_STATES})(?-u:\b))?)?"
        );
        let english = format!(
            r"(?-u:\b){unit}[0-9]{{1,5}}[A-Za-z]?,?\s+(?:{word}\s+){{1,4}}?(?:{STREET_TYPES})(?:\s+(?:NW|NE|SW|SE|N|S|E|W)(?-u:\b))?{unit_after}(?P<tail>{tail})"
        );
        // "10115 Berlin", "1015 CJ Amsterdam", "00184 Roma".
        let eu_city = format!(r"(?:,?\s*(?:[0-9]{{4,5}}(?:\s?[A-Z]{{2}})?|[0-9]{{3}}\s[0-9]{{2}})\s+{city})?");
        // "3º B", "2nd floor" after the house number.
        let eu_unit = r"(?:,\s*[0-9]+º\s*[A-Z]?)?";
        let compound =
            "straße|strasse|str\\.|weg|gasse|platz|allee|ring|damm|gracht|laan|straat|plein|kade|gade|vej|gatan|vägen";
        let continental = format!(
            r"(?:(?:{word}\s+(?:de|van|der|den|von|la)\s+)?[\p{{Lu}}][\p{{L}}'\-]*?(?i:{compound})|{word}\s+(?:Straße|Strasse|Str\.|Weg|Gasse|Platz|Allee)|(?i:Calle|Avenida|Via|Viale|Piazza|Corso|Rua|Plaza|Paseo|Carrer|Largo|Rue|Avenue|Boulevard|Chaussée|Place)\s+(?:(?i:de|del|della|di|da|do|la)\s+)*{word}(?:\s+{word}){{0,2}})\s+[0-9]{{1,4}}[a-zA-Z]?(?-u:\b){eu_unit}{eu_city}"
        );
        let french = format!(
            r"(?-u:\b)[0-9]{{1,4}}[a-z]?(?:\s?(?:bis|ter))?,?\s+(?i:rue|avenue|boulevard|bd|place|chemin|allée|impasse|quai|cours)\s+(?:(?i:de|du|des|la|le)\s+|(?i:l'|d'))*{word}(?:\s+{word}){{0,3}}{eu_city}"
        );
        let postcodes = format!(r"(?-u:\b)(?:(?:{US_STATES})\s+[0-9]{{5}}(?:-[0-9]{{4}})?|{UK_POSTCODE})(?-u:\b)");
        let patterns = [english, continental, french, postcodes]
            .iter()
            .map(|p| Regex::new(p).unwrap_or_else(|e| panic!("address pattern: {e}")))
            .collect();
        Self { patterns }
    }

    /// Byte ranges of the addresses in `text`.
    pub fn find(&self, text: &str) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        for pattern in &self.patterns {
            for captures in pattern.captures_iter(text) {
                let Some(whole) = captures.get(0) else { continue };
                // A city that is a kitchen word ("12 Main Street, Table 4") is no city.
                let end = match captures.name("tail") {
                    Some(tail) if tail.as_str().split(|c: char| !c.is_alphabetic()).any(is_kitchen_word) => {
                        tail.start()
                    }
                    _ => whole.end(),
                };
                found.push((whole.start(), trim_end(text, whole.start(), end)));
            }
        }
        found
    }
}

/// Words that follow a street in a note without being its city.
const NOT_CITIES: &str = "table tables room booth bar patio terrace window party guest guests pax kitchen station
    line pass counter floor level deck private dining vip order ref and at by for before after from to in on
    please thanks today tonight tomorrow";

fn is_kitchen_word(word: &str) -> bool {
    !word.is_empty() && super::words::contains(NOT_CITIES, &word.to_lowercase())
}

/// Without a trailing comma or space.
fn trim_end(text: &str, start: usize, end: usize) -> usize {
    start + text[start..end].trim_end_matches([',', ' ']).len()
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use super::AddressPatterns;

    fn addresses(text: &str) -> Vec<&str> {
        static PATTERNS: LazyLock<AddressPatterns> = LazyLock::new(AddressPatterns::new);
        let mut spans = PATTERNS.find(text);
        spans.sort();
        spans.into_iter().map(|(s, e)| &text[s..e]).collect()
    }

    #[test]
    fn finds_whole_addresses_in_several_countries() {
        for (text, address) in [
            ("deliver cake to 26B Elm Avenue, Springfield IL 62704 by 6", "26B Elm Avenue, Springfield IL 62704"),
            ("at 1600 Pennsylvania Ave NW, Washington, DC 20500.", "1600 Pennsylvania Ave NW, Washington, DC 20500"),
            ("Flat 3, 22 Baker St, London NW1 6XE", "Flat 3, 22 Baker St, London NW1 6XE"),
            ("send to Hauptstraße 12, 10115 Berlin please", "Hauptstraße 12, 10115 Berlin"),
            ("12 rue de Rivoli, 75001 Paris", "12 rue de Rivoli, 75001 Paris"),
            ("Calle Mayor 5, 28013 Madrid", "Calle Mayor 5, 28013 Madrid"),
            ("Via Roma 10, 00184 Roma", "Via Roma 10, 00184 Roma"),
            ("Keizersgracht 123, 1015 CJ Amsterdam", "Keizersgracht 123, 1015 CJ Amsterdam"),
            ("postcode SW1A 2AA", "SW1A 2AA"),
            ("to 9 Fulton Ave., New Orleans LA 70116-5633 before", "9 Fulton Ave., New Orleans LA 70116-5633"),
            ("at 489 Grand Dr SW Fl 2, Springfield, IL 62704", "489 Grand Dr SW Fl 2, Springfield, IL 62704"),
            ("from 30 Orchard Court, Cardiff at 19:45", "30 Orchard Court, Cardiff"),
            ("to 3580 Cedar Lane, Apt 4B, San Francisco, CA.", "3580 Cedar Lane, Apt 4B, San Francisco, CA"),
            ("Mariahilfer Straße 99b, 1070 Wien", "Mariahilfer Straße 99b, 1070 Wien"),
            ("Drottninggatan 7, 111 21 Stockholm by 7", "Drottninggatan 7, 111 21 Stockholm"),
            ("Calle de Alcalá 30, 3º B, 28014 Madrid", "Calle de Alcalá 30, 3º B, 28014 Madrid"),
            ("on file: 156a Camden Hill;", "156a Camden Hill"),
            ("deliver to 12 Main Street, Table 4 pays", "12 Main Street"),
            ("586 Oak Place, Ann Arbor. Boulevardier x4", "586 Oak Place, Ann Arbor"),
            ("file: 2771 Highland Avenue, Madison\nGuest spelled", "2771 Highland Avenue, Madison"),
            ("Basement Flat, 164 Acacia Close, London EC1A 1BB", "Basement Flat, 164 Acacia Close, London EC1A 1BB"),
            ("23a rue de Rivoli", "23a rue de Rivoli"),
            ("Rue Neuve 34, 1000 Bruxelles", "Rue Neuve 34, 1000 Bruxelles"),
            ("Witte de Withstraat 29, 3012 BR Rotterdam", "Witte de Withstraat 29, 3012 BR Rotterdam"),
        ] {
            assert!(addresses(text).contains(&address), "{text:?}: {:?}", addresses(text));
        }
    }

    #[test]
    fn leaves_tables_stations_and_kitchen_words() {
        for text in [
            "table 4, station 2, food court pickup at 7",
            "party of 12 at 19:30, booth 6, 3 high chairs",
            "order #4471: 2 Caesar salad, 1 Beef Wellington",
            "Dec 24, 2026 at 8pm, €1,250.00",
        ] {
            assert!(addresses(text).is_empty(), "{text:?}: {:?}", addresses(text));
        }
    }
}
