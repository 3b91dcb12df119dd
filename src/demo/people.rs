//! Fake guests for the demo's reservations. Their notes carry names, phone numbers, emails and
//! the odd card number on purpose: the redaction work needs real-looking personal data to
//! protect. Every value is invented (555 numbers, example.com addresses, test card numbers).
use super::rng::Rng;
use crate::ingest::GuestDetails;

const FIRST: &[&str] = &[
    "Maria", "James", "Aisha", "Chen", "Sofia", "Liam", "Noor", "Mateo", "Olivia", "Kenji", "Fatima", "Lucas", "Chloé",
    "Siobhán", "José", "Ingrid", "Priya", "Dmitri", "Zoë", "Kwame", "Hannah", "Élodie", "Rory", "Yuki",
];
const LAST: &[&str] = &[
    "Gonzalez",
    "O'Brien",
    "Okafor",
    "Nakamura",
    "Rossi",
    "Müller",
    "Smith",
    "Haddad",
    "Kowalski",
    "Dubois",
    "Núñez",
    "Patel",
    "Johansson",
    "Ivanova",
    "McAllister",
    "Nguyen",
    "D'Angelo",
    "Larsen",
    "Fernández",
    "Abebe",
];
const ALLERGIES: &[&str] = &["nut", "shellfish", "gluten", "dairy", "sesame", "egg"];
/// Card numbers that pass the Luhn check and belong to no one (payment processors' test numbers).
const TEST_CARDS: &[&str] = &["4111 1111 1111 1111", "5555-5555-5555-4444", "4242424242424242", "3782 822463 10005"];

fn phone(rng: &mut Rng) -> String {
    let n = 100 + rng.below(99);
    match rng.below(5) {
        0 => format!("(212) 555-0{n}"),
        1 => format!("+1 646 555 0{n}"),
        2 => format!("212.555.0{n}"),
        3 => format!("+44 20 7946 0{n}"),
        _ => format!("+33 6 12 34 5{} {:02}", n % 10, n % 100),
    }
}

fn email(first: &str, last: &str, rng: &mut Rng) -> String {
    let clean = |s: &str| s.chars().filter(|c| c.is_ascii_alphabetic()).collect::<String>().to_lowercase();
    match rng.below(3) {
        0 => format!("{}.{}@example.com", clean(first), clean(last)),
        1 => format!("{}{}@example.org", clean(first), rng.below(90) + 10),
        _ => format!("{}_{}@mail.example.net", clean(last), clean(first)),
    }
}

/// A guest with contact details, and sometimes a note that mentions them.
pub fn guest(rng: &mut Rng, party_size: i32) -> GuestDetails {
    let first = *rng.pick(FIRST);
    let last = *rng.pick(LAST);
    let phone = phone(rng);
    let email = email(first, last, rng);
    let allergy = *rng.pick(ALLERGIES);
    let notes = match rng.below(14) {
        0 => Some(format!("Birthday dinner for {first} {last}; please call {phone} if running late")),
        1 => Some(format!("{} guests with {allergy} allergy. Contact {email} with questions", 1 + rng.below(3))),
        2 => Some(format!("Anniversary - {first} would like a quiet table, arriving 7:30pm")),
        3 => Some(format!("Ask for {first} at the door. Party of {party_size}, table 12 if possible")),
        4 => Some(format!("Deposit of $50 paid by card {} - Mr. {last}", rng.pick(TEST_CARDS))),
        5 => Some(format!("Gluten-free x{}, vegetarian x1", 1 + rng.below(2))),
        6 => Some("High chair needed".to_owned()),
        7 => Some(format!("Dr. {last} may be 15 minutes late, text {phone}")),
        8 => Some(format!("Cake brought by guest for {first}'s 40th; candles at 9")),
        9 => Some(format!("Name is {first} {last}, second booking this month - regular")),
        _ => None,
    };
    GuestDetails { name: Some(format!("{first} {last}")), phone: Some(phone), email: Some(email), notes }
}
