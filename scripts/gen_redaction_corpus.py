#!/usr/bin/env python3
"""Generates tests/data/redaction_corpus.jsonl, the labelled corpus of the redactor (sous::redact).

Every line of that file is written by this script; edit the script and rerun it, never the file:

    python3 scripts/gen_redaction_corpus.py

The output is deterministic (fixed seeds, no clock, no network). Each line is one restaurant note:

    {"text": "...", "names": ["Guest Name"], "pii": [{"kind": "NAME", "value": "...", "class": "..."}],
     "keep": ["..."]}

- names: the guest's names as the reservation record holds them (what the redactor is told);
- pii:   every personal value written in the text, as the exact substring that should be replaced.
         kind is one of NAME, PHONE, EMAIL, CARD, ADDRESS, IBAN, HANDLE, ACCOUNT; class (optional, second
         part only) names the way it is written, below;
- keep:  substrings the kitchen needs (times, dates, party sizes, tables, rooms, order numbers, prices,
         allergens, dishes), which must survive redaction.

The file has two parts, each from its own random stream, so the second never moves the first:

1. The first 684 notes (SEED): the guest's own name as the record holds it and its usual variants,
   names after a cue (Mrs, Booked by, ...), phone numbers, emails and card numbers in their usual
   shapes. Their labels have no class.

2. The notes after them (SEED_EXTENDED): what guests and hosts really write. Every label has a class:

   class                   kind     example (the value between « »)
   obfuscated_email        EMAIL    «maria dot lopez at gmail dot com», «haruto.sato(at)web.de»,
                                    «a_k [at] example [dot] org»
   spelled_phone           PHONE    «five five five, oh one two three», «O7700 900 123»,
                                    «oh seven seven double oh ...», odd groupings «0 20 79 46 00 18»
   address_us              ADDRESS  «26B Elm Avenue, Springfield, IL 62704»; bare "Springfield, «IL 62704»"
   address_uk              ADDRESS  «Flat 3, 22 Baker St, London NW1 6XE»; bare "postcode «SW1A 2AA»"
   address_eu              ADDRESS  «Hauptstraße 12, 10115 Berlin», «12 rue de Rivoli, 75001 Paris»
   iban                    IBAN     «DE89 3704 0044 0532 0130 00» or compact; valid ISO 13616 check digits and,
                                    for FR, ES, IT and BE, valid national check digits too
   account                 ACCOUNT  "sort code «12-34-56», account «31926819»": every number after a cue is its own
                                    label, the cue words stay out (also routing/ABA, BSB, acct, Kontonummer)
   handle                  HANDLE   "insta «@amelia_eats»": the value includes the @
   third_party_name        NAME     "«Dmitri Nyberg» will pay the bill", "for «Tom»'s 40th",
                                    "paid by Mr. «Okonkwo»": someone other than the guest in names
   guest_nickname          NAME     record "Robert Hughes", note "«Bob»" or "«Bobby Hughes»"
   guest_initial_surname   NAME     record "Maria Okafor", note "«M. Okafor»"
   guest_title_surname     NAME     record "Maria Okafor", note "Mrs «Okafor»": a title is not personal data

   An address value runs from the house number or street to whatever ends it (postcode, city, state,
   or the street itself). The second part also holds 150 notes with no personal data at all, made of
   look-alikes that must stay untouched: dishes named like people (Caesar salad, Tom Collins, Peach
   Melba), kitchen places that look like addresses (station 4, food court, the Mews Bar, Suite 4),
   "@" in prices and times (2 @ £5, table @ 8pm), "at"/"dot" in prose, spelled counts (two mains,
   double espresso, triple-cooked chips), long order numbers and references. Its notes are built
   strictly (strict_conflict): no label inside another, no keep string inside a label, and no word of
   the record's names outside the labels.

The notes are synthetic: names come from the lists below, phone numbers from the ranges set aside
for fiction where a country has one (555-01xx, 020 7946 0xxx, 07700 900xxx), card numbers are random
digits completed with a Luhn check digit, IBANs random accounts completed with their check digits,
postcodes and ZIP codes are those of public places. Hard negatives are deliberate: long order numbers
that pass Luhn, ten-digit references, dates, time ranges, and guests named like ingredients ("Olive",
"Rose"). A few notes hold personal data the redactor is known to miss (see known_limit_note), so the
report shows its limits instead of a perfect score on text written alongside its rules.

Every label is checked to be a substring of its note before the file is written.
"""

import json
import pathlib
import random
import re
import unicodedata

SEED = 20261122
OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "data" / "redaction_corpus.jsonl"

rng = random.Random(SEED)


class K(str):
    """Kitchen text that must survive (goes to "keep")."""


class P:
    """A personal value of one kind (goes to "pii"), optionally tagged with its class."""

    def __init__(self, kind, value, cls=None):
        self.kind, self.value, self.cls = kind, value, cls

    def label(self):
        entry = {"kind": self.kind, "value": self.value}
        if self.cls is not None:
            entry["class"] = self.cls
        return entry


# ---------------------------------------------------------------- names

GUESTS = [
    "Siobhán O'Brien", "José García", "François Dupont", "Zoë Müller", "Björn Andersson", "Łukasz Wójcik",
    "Chloé Lefèvre", "Renée D'Amico", "Daniel O’Connor", "Mary-Kate Olsen", "Hiroshi Tanaka", "Aoife Byrne",
    "Jürgen Groß", "Antonín Dvořák", "Şahin Çelik", "Inês Gonçalves", "Sofía Núñez", "Priya Raman",
    "Oluwaseun Adeyemi", "Wei Zhang", "Camille Rousseau", "Matteo Bianchi", "Eoin MacNamara", "Ngozi Okonkwo",
    "Seán McAllister", "Astrid Lindqvist", "Håkon Bjørnstad", "Ólafur Þórsson", "Agnieszka Kowalczyk",
    "Małgorzata Wiśniewska", "Élodie Marchand", "Benoît Lefebvre", "Kwame Mensah", "Fatima Al-Sayed",
    "Thandiwe Dlamini", "Dmitri Volkov", "Ana-Lucía Ortega", "Gráinne Ní Bhriain", "Tomás Ó Súilleabháin",
    "Yuki Watanabe", "Rahul Mehta", "Chiara Esposito", "Lars van der Berg", "Emma Johansson", "Noémie Girard",
    "Jake Thompson", "Olivia Bennett", "Marcus Whitfield", "Hannelore Schäfer", "Dolores Peña",
]

# Guests whose names are also ingredients or everyday words, with kitchen text that must survive.
INGREDIENT_GUESTS = [
    ("Olive Baker", [["No ", K("olive oil"), " on anything"], ["Swap the ", K("olive tapenade"), " for hummus"]]),
    ("Rose Fisher", [["Pour the ", K("rosé"), " at the table"], ["Add ", K("rose harissa"), " on the side"]]),
    ("Basil Grant", [["Hold the ", K("basil pesto")], ["Extra ", K("Thai basil"), " in the curry"]]),
    ("Sage Hunter", [["Serve the gnocchi with ", K("sage butter")], ["Skip the ", K("sage and onion"), " stuffing"]]),
    ("Ginger Price", [["No ", K("ginger"), " in the dressing"], ["Side of ", K("pickled ginger")]]),
    ("Hazel Cook", [["Severe ", K("hazelnut"), " allergy"], ["No ", K("hazel nuts"), " in the praline"]]),
    ("Will Brewer", [["Guest ", K("will need"), " a highchair"], ["They ", K("will bring"), " their own cake"]]),
    ("Honey Lamb", [["No ", K("honey glaze"), " on the ham"], ["Well-done ", K("lamb shoulder")]]),
]

FIRST = [
    "Hannah", "Greg", "Anna", "Liam", "Maria", "Tomás", "Aoife", "Chidi", "Yuki", "Pedro", "Ingrid", "Rahul",
    "Fatima", "Noah", "Elena", "Marco", "Sinéad", "Kenji", "Olga", "Amara", "Lucas", "Freya", "Mateo", "Nadia",
    "Oscar", "Leila", "Ravi", "Sophie", "Bogdan", "Imogen",
]
LAST = [
    "Patel", "Okafor", "Hughes", "Kowalski", "Ruiz", "Nakamura", "Fernández", "Schmidt", "O'Connor", "McKenzie",
    "Novak", "Haddad", "Lindgren", "Moreau", "Rossi", "Byrne", "Singh", "Khan", "Dubois", "Jansen", "Costa",
    "Ivanova", "Mensah", "Whitaker", "Delacroix", "Brennan",
]


def strip_accents(text):
    folded = text.replace("ß", "ss").replace("Ł", "L").replace("ł", "l").replace("Ø", "O").replace("ø", "o")
    folded = folded.replace("Þ", "Th").replace("þ", "th").replace("Æ", "Ae").replace("æ", "ae")
    return "".join(c for c in unicodedata.normalize("NFD", folded) if unicodedata.category(c) != "Mn")


def name_parts(full):
    parts = full.split()
    return parts[0], parts[-1]


def known_name_mentions(full):
    """Ways a note writes the guest's own name: (text parts, pii values)."""
    first, last = name_parts(full)
    options = [
        [P("NAME", full)],
        [P("NAME", first)],
        [P("NAME", last)],
        [P("NAME", full.lower())],
        [P("NAME", last.upper())],
        [P("NAME", full.upper())],
        [P("NAME", first.lower())],
        ["Mrs ", P("NAME", last)],
        [P("NAME", last), ", ", P("NAME", first)],
    ]
    if strip_accents(full) != full:
        options += [[P("NAME", strip_accents(full))], [P("NAME", strip_accents(first).lower())]]
        options += [[P("NAME", strip_accents(last).upper())]]
    if "'" in full or "’" in full:
        other = full.replace("'", "’") if "'" in full else full.replace("’", "'")
        options += [[P("NAME", other)], [P("NAME", name_parts(other)[1])]]
        options += [[P("NAME", last.replace("'", "").replace("’", "").upper())]]
    return rng.choice(options)


def known_name_fragment(full):
    mention = known_name_mentions(full)
    shape = rng.randrange(9)
    if shape == 0:
        return mention + [" arriving ", K(time())]
    if shape == 1:
        return ["Guest "] + mention + [" has a severe ", K(allergen()), " allergy"]
    if shape == 2 and isinstance(mention[-1], P) and len(mention) == 1:
        return mention + ["'s birthday, candle on the dessert at ", K(time())]
    if shape == 3:
        return ["VIP: "] + mention + [", usual ", K(table())]
    if shape == 4:
        return mention + [" (regular) prefers ", K(table())]
    if shape == 5:
        return ["Note from "] + mention + [": ", K(diet()), " please"]
    if shape == 6:
        return mention + [" booked ", K(party()), " for ", K(date())]
    if shape == 7:
        return ["Seat "] + mention + [" away from the door"]
    return ["Please greet "] + mention + [" by name"]


def cued_name_fragment():
    first, last = rng.choice(FIRST), rng.choice(LAST)
    shape = rng.randrange(14)
    if shape == 0:
        return ["Mrs ", P("NAME", last), " prefers a quiet corner"]
    if shape == 1:
        return ["Mr. ", P("NAME", last), " is celebrating, ", K(party())]
    if shape == 2:
        return ["Dr ", P("NAME", last), " may be paged during service"]
    if shape == 3:
        return ["Ms. ", P("NAME", f"{first} {last}"), " arriving ", K(time())]
    if shape == 4:
        return ["MR ", P("NAME", strip_accents(last).upper()), " ALLERGIC TO ", K("SHELLFISH")]
    if shape == 5:
        return ["Ask for ", P("NAME", first), " at the host stand"]
    if shape == 6:
        return ["Her name is ", P("NAME", f"{first} {last}")]
    if shape == 7:
        return ["Booked by ", P("NAME", f"{first} {last}"), " for ", K(party())]
    if shape == 8:
        return ["Booked under ", P("NAME", last), ", ", K(time())]
    if shape == 9:
        return ["Table for ", P("NAME", f"{first} {last}"), " at ", K(time())]
    if shape == 10:
        return ["It is ", P("NAME", first), "'s birthday, ", K("cake at 9pm")]
    if shape == 11:
        return ["Mr and Mrs ", P("NAME", last), ", ", K(party())]
    if shape == 12:
        return ["Guest: ", P("NAME", f"{first} {last}"), " (", K(diet()), ")"]
    return ["Under the name ", P("NAME", last), ", ", K(table())]


# ---------------------------------------------------------------- numbers


def digits(n):
    return "".join(rng.choice("0123456789") for _ in range(n))


def nz(n):
    """n digits, the first one 2-9 (North American area codes and exchanges)."""
    return str(rng.randint(2, 9)) + digits(n - 1)


def pairs(n):
    return " ".join(digits(2) for _ in range(n))


def phone_value():
    area, line = nz(3), "01" + digits(2)
    formats = [
        lambda: f"({area}) 555-{line}",
        lambda: f"{area}.555.{line}",
        lambda: f"{area}-555-{line}",
        lambda: f"{area} 555 {line}",
        lambda: f"1-{area}-555-{line}",
        lambda: f"+1 {area} 555 {line}",
        lambda: f"+1 ({area}) 555-{line}",
        lambda: f"+1{area}555{line}",
        lambda: f"+1-{area}-555-{line}",
        lambda: f"+44 20 7946 0{digits(3)}",
        lambda: f"020 7946 0{digits(3)}",
        lambda: f"07700 900{digits(3)}",
        lambda: f"+44 7700 900{digits(3)}",
        lambda: f"+44 (0)20 7946 0{digits(3)}",
        lambda: f"0161 496 0{digits(3)}",
        lambda: f"0044 20 7946 0{digits(3)}",
        lambda: f"+33 6 {pairs(4)}",
        lambda: f"06 {pairs(4)}",
        lambda: f"01.{digits(2)}.{digits(2)}.{digits(2)}.{digits(2)}",
        lambda: f"+33{rng.choice('1234567')}{digits(8)}",
        lambda: f"+49 30 {digits(7)}",
        lambda: f"030 {digits(7)}",
        lambda: f"0170 {digits(7)}",
        lambda: f"+49 176 {digits(8)}",
        lambda: f"030/{digits(7)}",
        lambda: f"03-{digits(4)}-{digits(4)}",
        lambda: f"+81 3-{digits(4)}-{digits(4)}",
        lambda: f"090-{digits(4)}-{digits(4)}",
        lambda: f"+81 90-{digits(4)}-{digits(4)}",
        lambda: f"+353 87 {digits(3)} {digits(4)}",
        lambda: f"087 {digits(3)} {digits(4)}",
        lambda: f"+34 6{digits(2)} {digits(3)} {digits(3)}",
        lambda: f"+39 06 {digits(4)} {digits(4)}",
        lambda: f"+61 2 {digits(4)} {digits(4)}",
        lambda: f"0412 {digits(3)} {digits(3)}",
        lambda: f"+31 6 {digits(8)}",
        lambda: f"06-{digits(8)}",
    ]
    return rng.choice(formats)()


def bare_phone_value():
    """A phone number written as one run of digits: found only thanks to the cue word before it."""
    return rng.choice([nz(3) + "555" + "01" + digits(2), "07700900" + digits(3), "06" + digits(8), "555 01" + digits(2)])


def phone_fragment():
    if rng.random() < 0.25:
        cue = rng.choice(["call ", "Call ", "text ", "mobile: ", "cell ", "Tel ", "ph. ", "WhatsApp ", "phone "])
        return [cue, P("PHONE", bare_phone_value())] + rng.choice([[" if late"], [""], [" before ", K(time())]])
    value = P("PHONE", phone_value())
    shape = rng.randrange(9)
    if shape == 8:
        return ["Call ", value, " or ", P("PHONE", bare_phone_value())]
    if shape == 0:
        return ["Call ", value, " if running late"]
    if shape == 1:
        return ["Mobile ", value]
    if shape == 2:
        return ["Contact: ", value]
    if shape == 3:
        return ["Guest number ", value, " for callbacks"]
    if shape == 4:
        return [value, " (mobile)"]
    if shape == 5:
        return ["Reachable on ", value, " after ", K(time())]
    if shape == 6:
        return ["Left ", value, " with the host"]
    return ["Text ", value, " when the table is ready"]


def luhn_ok(number):
    total = 0
    for k, ch in enumerate(reversed(number)):
        d = int(ch)
        if k % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def luhn_number(prefix, length):
    body = prefix + digits(length - len(prefix) - 1)
    return next(body + c for c in "0123456789" if luhn_ok(body + c))


def grouped(number, sizes, sep):
    out, at = [], 0
    for size in sizes:
        out.append(number[at : at + size])
        at += size
    return sep.join(out)


def card_value():
    brand = rng.randrange(9)
    if brand == 0:
        number, sizes = luhn_number("34", 15), (4, 6, 5)
    elif brand == 1:
        number, sizes = luhn_number("37", 15), (4, 6, 5)
    elif brand == 2:
        number, sizes = luhn_number("36", 14), (4, 6, 4)
    elif brand == 3:
        number, sizes = luhn_number("4", 19), (4, 4, 4, 4, 3)
    elif brand == 4:
        number, sizes = luhn_number("4", 13), None
    else:
        prefix = rng.choice(["4", "51", "53", "55", "2221", "2720", "6011", "35"])
        number, sizes = luhn_number(prefix, 16), (4, 4, 4, 4)
    if sizes is None or rng.random() < 0.3:
        return number
    return grouped(number, sizes, rng.choice([" ", " ", "-"]))


def card_fragment():
    value = P("CARD", card_value())
    shape = rng.randrange(7)
    if shape == 0:
        return ["Deposit ", K(price()), " taken on card ", value]
    if shape == 1:
        return ["Card on file: ", value]
    if shape == 2:
        return ["Visa ", value, " exp ", K("09/28")]
    if shape == 3:
        return ["CC ", value]
    if shape == 4:
        return ["Pre-auth ", K(price()), " on ", value]
    if shape == 5:
        return ["Guest read out ", value, " over the phone"]
    return ["Charge no-show fee to ", value]


def email_value():
    first, last = rng.choice(FIRST), rng.choice(LAST)
    local_first, local_last = strip_accents(first).lower(), strip_accents(last).lower().replace("'", "")
    domain = rng.choice(
        ["gmail.com", "outlook.com", "yahoo.co.uk", "orange.fr", "web.de", "icloud.com", "example.org",
         "acme-events.com", "mail.ie", "correo.es"]
    )
    shape = rng.randrange(9)
    if shape == 0:
        return f"{local_first}.{local_last}@{domain}"
    if shape == 1:
        return f"{local_first[0]}{local_last}{rng.randint(1, 99)}@{domain}"
    if shape == 2:
        return f"{local_last}.{local_first}+dinner@{domain}"
    if shape == 3:
        return f"{local_first}.{local_last}@{domain}".upper()
    if shape == 4:
        return f"{first.lower()}@{domain}"
    if shape == 5:
        return f"events_{rng.randint(1, 9)}@sub.{domain}"
    if shape == 6:
        name, tld = domain.split(".", 1)
        return f"{local_first} [at] {name} [dot] {tld.split('.')[-1]}"
    if shape == 7:
        return f"{local_first}.{local_last} at gmail dot com"
    return f"o'{local_last}@{domain}"


def email_fragment():
    value = P("EMAIL", email_value())
    shape = rng.randrange(6)
    if shape == 0:
        return ["Confirmation sent to ", value]
    if shape == 1:
        return ["Email ", value, " for the invoice"]
    if shape == 2:
        return ["Send menu to <", value, ">"]
    if shape == 3:
        return ["Contact (", value, ")"]
    if shape == 4:
        return ["E: ", value]
    return ["Guest asked us to write to ", value]


# ---------------------------------------------------------------- kitchen text


def time():
    return rng.choice(["7:30pm", "19:45", "9pm", "6:15 pm", "20:00", "8pm", "12:30", "noon", "18:30", "10.30pm"])


def date():
    return rng.choice(["2026-11-22", "22/11", "Nov 22", "22 Nov", "Saturday 22nd", "22.11.2026", "2026-12-31", "31/12"])


def party():
    n = rng.randint(2, 14)
    return rng.choice([f"party of {n}", f"{n} pax", f"{n} covers", f"table of {n}"])


def table():
    return rng.choice([f"table {rng.randint(1, 40)}", f"room {rng.randint(100, 450)}", f"booth {rng.randint(1, 6)}"])


def allergen():
    return rng.choice(
        ["nut", "peanut", "tree nut", "gluten", "shellfish", "crustacean", "dairy", "lactose", "egg", "soy", "sesame",
         "mustard", "celery", "sulphite", "fish", "mollusc", "lupin"]
    )


def diet():
    return rng.choice(["vegan", "vegetarian", "halal", "kosher", "pescatarian", "gluten-free", "dairy-free", "no pork"])


def price():
    return rng.choice(["$50", "€1,250.00", "£45 pp", "$1,200", "€80", "£250", "$12.50", "€35 per head", "$300"])


def order_number():
    shape = rng.randrange(8)
    if shape == 0:
        return f"order #{digits(9)}"
    if shape == 1:
        return f"ref 2026{rng.randint(10, 12)}{rng.randint(10, 28)}-{digits(4)}"
    if shape == 2:
        return f"order {nz(3)}555{digits(4)}"
    if shape == 3:
        return f"order #{luhn_number('4', 16)}"
    if shape == 4:
        return f"booking ref {digits(8)}"
    if shape == 5:
        return f"confirmation {digits(4)}-{digits(4)}-{digits(4)}"
    if shape == 6:
        return f"voucher {grouped(luhn_number('5', 16), (4, 4, 4, 4), ' ')}"
    return f"PO {digits(4)}-{digits(4)}"


def kitchen_fragment():
    shape = rng.randrange(24)
    if shape == 0:
        return ["Arriving ", K(time()), ", ", K(party())]
    if shape == 1:
        return ["Severe ", K(allergen()), " allergy, EpiPen carried"]
    if shape == 2:
        return [K(f"{diet()} x{rng.randint(1, 4)}")]
    if shape == 3:
        return ["Birthday, candle on dessert at ", K(time())]
    if shape == 4:
        return ["Deposit ", K(price()), " paid, ", K(f"{rng.choice([10, 12.5, 15, 18])}%"), " service"]
    if shape == 5:
        return ["Pre-order ", K(f"{rng.randint(2, 6)}x beef wellington"), " at ", K(price())]
    if shape == 6:
        return [K(order_number()), " ready at ", K(time())]
    if shape == 7:
        return ["Seat at ", K(table()), " on ", K(date())]
    if shape == 8:
        return ["Coeliac: strict ", K("gluten free"), ", separate fryer"]
    if shape == 9:
        return ["Call back between ", K("19.00-21.00")]
    if shape == 10:
        return [K(order_number())]
    if shape == 11:
        return ["Loyalty no. ", K(digits(10))]
    if shape == 12:
        return ["Minimum spend ", K(price()), " for ", K(party())]
    if shape == 13:
        return [K(f"{rng.randint(12, 16)}-{rng.randint(17, 20)} guests"), " expected, ", K("highchair x1")]
    if shape == 14:
        return ["Anniversary, champagne on arrival (", K(price()), ")"]
    if shape == 15:
        return ["No ", K(allergen()), ", no ", K(allergen()), " (", K("cross-contamination"), ")"]
    if shape == 16:
        return ["Hold ", K(table()), " until ", K(time())]
    if shape == 17:
        return ["Batch ", K(f"2026{rng.randint(10, 12)}{rng.randint(10, 28)}"), " short rib, ", K("63°C"), " hold"]
    if shape == 18:
        return ["Kitchen closes ", K(time()), " on ", K(date())]
    if shape == 19:
        return [K(date()), " ", K(time()), ", ", K(party()), ", ", K(table())]
    if shape == 20:
        return ["Wine pairing ", K(price()), ", ", K("kosher"), " options"]
    if shape == 21:
        return ["Allergy matrix ", K(f"v{rng.randint(2, 9)}"), " printed, ", K(allergen()), " flagged"]
    # Capitalised words after a name cue that are not names.
    return rng.choice(
        [
            ["No ", K("Dr Pepper"), ", only ", K("Coke Zero")],
            ["Booked for ", K("Christmas Eve")],
            ["Set menu for ", K("New Year's Eve")],
            ["Ask for ", K("Table 9"), " if free"],
            ["Tasting menu for ", K("Sunday Brunch")],
            ["Busy for ", K("Mother's Day")],
            ["Use the ", K("Green Room"), " for the ", K("Wine Club")],
            ["Reserved for ", K("Private Dining")],
        ]
    )


# ---------------------------------------------------------------- notes


def note(fragments, names=(), strict=False):
    """Joins fragments into one note and returns its JSON object, or None if a label is ambiguous.
    strict (second part only) also refuses the overlaps that strict_conflict describes."""
    parts = []
    for k, fragment in enumerate(fragments):
        if k:
            parts.append(rng.choice([". ", "; ", " — ", "\n", ", ", ". "]))
        parts.extend(fragment)
    if rng.random() < 0.6:
        parts.append(".")
    text = "".join(p.value if isinstance(p, P) else p for p in parts)
    masked = "".join("\0" if isinstance(p, P) else p for p in parts)
    pii = [p.label() for p in parts if isinstance(p, P)]
    keep = list(dict.fromkeys(p for p in parts if isinstance(p, K)))
    # A PII value also written in the kitchen text could never count as caught: choose again.
    if any(entry["value"] in masked for entry in pii):
        return None
    built = {"text": text, "names": list(names), "pii": pii, "keep": keep}
    if strict and strict_conflict(built, masked):
        return None
    return built


def kitchen(n_min, n_max):
    return [kitchen_fragment() for _ in range(rng.randint(n_min, n_max))]


def make(builder, count, strict=False):
    made = []
    while len(made) < count:
        fragments, names = builder()
        rng.shuffle(fragments)
        built = note(fragments, names, strict)
        if built is not None:
            made.append(built)
    return made


def known_name_note():
    guest = rng.choice(GUESTS)
    fragments = [known_name_fragment(guest)] + kitchen(0, 2)
    if rng.random() < 0.2:
        fragments.append(known_name_fragment(guest))
    return fragments, [guest]


def ingredient_guest_note():
    guest, fragments = rng.choice(INGREDIENT_GUESTS)
    mention = rng.choice([guest, name_parts(guest)[0], guest.upper()])
    return [list(rng.choice(fragments)), [P("NAME", mention), " arriving ", K(time())]], [guest]


def phone_note():
    fragments = [phone_fragment()] + kitchen(0, 2)
    names = []
    if rng.random() < 0.3:
        names = [rng.choice(GUESTS)]
        fragments.append(known_name_fragment(names[0]))
    return fragments, names


def email_note():
    return [email_fragment()] + kitchen(0, 2), []


def card_note():
    return [card_fragment()] + kitchen(0, 2), []


def cued_name_note():
    fragments = [cued_name_fragment()] + kitchen(0, 2)
    return fragments, [rng.choice(GUESTS)] if rng.random() < 0.3 else []


def mixed_note():
    guest = rng.choice(GUESTS)
    fragments = [known_name_fragment(guest), phone_fragment(), rng.choice([email_fragment, card_fragment])()]
    return fragments + kitchen(1, 2), [guest]


def known_limit_note():
    """Personal data the redactor is known to miss, kept in the corpus so the report does not flatter it:
    a stranger's name with no cue in front, and a local number without area code or cue word."""
    first, last = rng.choice(FIRST), rng.choice(LAST)
    shape = rng.randrange(11)
    if shape < 6:
        return [[P("NAME", first), " called to confirm ", K(party())]] + kitchen(0, 1), []
    if shape < 10:
        return [[P("NAME", f"{first} {last}"), " may be late, hold ", K(table())]] + kitchen(0, 1), []
    return [["Local number ", P("PHONE", f"555-01{digits(2)}")]], []


def clean_note():
    names = [rng.choice(GUESTS)] if rng.random() < 0.4 else []
    return kitchen(1, 4), names


# ================================================================ second part: what guests really write
#
# Everything below runs on its own random stream (SEED_EXTENDED, switched to in main() once the first
# part is written), so the first part's notes never move when this part changes. Every label of this
# part carries a "class"; its notes are built with strict=True (see strict_conflict).

SEED_EXTENDED = 20261207


def pick(options):
    return rng.choice(options)


def ascii_lower(text):
    return strip_accents(text.replace("ı", "i")).lower().replace("'", "").replace("’", "")


# ---------------------------------------------------------------- people of the second part

# Guests whose record name differs from how the note writes them: (record, nicknames).
NICKNAMED_GUESTS = [
    ("Robert Hughes", ["Bob", "Rob", "Bobby", "Robbie"]),
    ("Maria Okafor", ["Mari", "Mimi"]),
    ("Elizabeth Carter", ["Liz", "Beth", "Lizzie", "Betsy"]),
    ("Alexander Petrov", ["Sasha", "Alex", "Sanya"]),
    ("Katherine Walsh", ["Kate", "Katie", "Kathy"]),
    ("Jonathan Reyes", ["Jon", "Jonny"]),
    ("Margaret Lindqvist", ["Maggie", "Peggy", "Meg"]),
    ("Francesca Romano", ["Frankie", "Cesca"]),
    ("Giuseppe Conti", ["Beppe", "Peppe", "Pino"]),
    ("Dmitri Sokolov", ["Dima", "Mitya"]),
    ("Yekaterina Ivanova", ["Katya", "Katyusha"]),
    ("Johannes Weber", ["Hannes", "Jojo"]),
    ("Michael O'Neill", ["Mike", "Mick", "Mikey"]),
    ("Christopher Adeyemi", ["Chris", "Kit"]),
    ("Anastasia Kuznetsova", ["Nastya", "Stacy"]),
    ("Rebecca Goldberg", ["Becky", "Becca"]),
    ("Patricia Nwosu", ["Pat", "Trish", "Patty"]),
    ("Francisco Herrera", ["Paco", "Pancho"]),
    ("José Moreno", ["Pepe"]),
    ("Mohammed Al-Farsi", ["Hamoudi", "Moe"]),
    ("Nicholas Brennan", ["Nick", "Nicky"]),
    ("Samantha Whitaker", ["Sam", "Sammy"]),
    ("Kazuhiro Mori", ["Kazu"]),
    ("Theodore Lambert", ["Teddy", "Theo"]),
    ("Guadalupe Ruiz", ["Lupe", "Lupita"]),
    ("Siddharth Rao", ["Sid", "Siddhu"]),
    ("Benedict Okoro", ["Ben", "Benny"]),
    ("Victoria Lane", ["Vicky", "Tori"]),
    ("Wolfgang Schneider", ["Wolfi"]),
    ("Aleksandra Nowicka", ["Ola", "Olenka"]),
    ("Abimbola Ogunleye", ["Bimbo", "Bola"]),
    ("Susanne Bauer", ["Susi", "Sanne"]),
    ("Ingeborg Dahl", ["Inge"]),
    ("Svetlana Morozova", ["Sveta"]),
]

# People other than the booking's guest: (as written in full, given name, family name).
# Chinese and some Vietnamese names are written family name first.
THIRD_PARTIES = [
    # Slavic
    ("Ivan Petrenko", "Ivan", "Petrenko"), ("Katarzyna Nowak", "Katarzyna", "Nowak"),
    ("Miroslav Horák", "Miroslav", "Horák"), ("Svetlana Orlova", "Svetlana", "Orlova"),
    ("Milena Jovanović", "Milena", "Jovanović"), ("Dmitri Nyberg", "Dmitri", "Nyberg"),
    ("Tereza Svobodová", "Tereza", "Svobodová"), ("Oleksandr Shevchenko", "Oleksandr", "Shevchenko"),
    # Japanese
    ("Aiko Tanaka", "Aiko", "Tanaka"), ("Haruto Sato", "Haruto", "Sato"), ("Ren Kobayashi", "Ren", "Kobayashi"),
    ("Sakura Yamamoto", "Sakura", "Yamamoto"), ("Daichi Inoue", "Daichi", "Inoue"),
    # Nigerian
    ("Chinedu Eze", "Chinedu", "Eze"), ("Adaeze Nwosu", "Adaeze", "Nwosu"), ("Babajide Adebayo", "Babajide", "Adebayo"),
    ("Funmilayo Ogunleye", "Funmilayo", "Ogunleye"), ("Emeka Okonkwo", "Emeka", "Okonkwo"),
    ("Tunde Bakare", "Tunde", "Bakare"),
    # Arabic, transliterated
    ("Youssef El-Amin", "Youssef", "El-Amin"), ("Omar Farouk", "Omar", "Farouk"), ("Karim Mansour", "Karim", "Mansour"),
    ("Noor Al-Hashimi", "Noor", "Al-Hashimi"), ("Layla Abdullah", "Layla", "Abdullah"),
    ("Rania Khoury", "Rania", "Khoury"),
    # Spanish
    ("Lucía Herrera", "Lucía", "Herrera"), ("Javier Morales", "Javier", "Morales"),
    ("Carmen Vidal", "Carmen", "Vidal"),
    ("Alejandro Castillo", "Alejandro", "Castillo"), ("Pilar Domínguez", "Pilar", "Domínguez"),
    # German
    ("Lena Fischer", "Lena", "Fischer"), ("Jonas Becker", "Jonas", "Becker"), ("Katrin Vogel", "Katrin", "Vogel"),
    ("Matthias Krüger", "Matthias", "Krüger"), ("Ute Hoffmann", "Ute", "Hoffmann"),
    # Indian
    ("Arjun Iyer", "Arjun", "Iyer"), ("Kavya Reddy", "Kavya", "Reddy"), ("Sanjay Gupta", "Sanjay", "Gupta"),
    ("Meera Nair", "Meera", "Nair"), ("Vikram Desai", "Vikram", "Desai"), ("Ananya Chatterjee", "Ananya", "Chatterjee"),
    # Chinese (pinyin, family name first)
    ("Li Wei", "Wei", "Li"), ("Zhang Xiuying", "Xiuying", "Zhang"), ("Chen Jing", "Jing", "Chen"),
    ("Wang Fang", "Fang", "Wang"), ("Liu Yang", "Yang", "Liu"), ("Huang Min", "Min", "Huang"),
    # Scandinavian
    ("Sigrid Halvorsen", "Sigrid", "Halvorsen"), ("Nils Eriksson", "Nils", "Eriksson"),
    ("Freja Nielsen", "Freja", "Nielsen"), ("Magnus Lund", "Magnus", "Lund"), ("Henrik Solberg", "Henrik", "Solberg"),
    # and a few more
    ("Tom Hendricks", "Tom", "Hendricks"), ("Min-jun Park", "Min-jun", "Park"), ("Emre Yıldız", "Emre", "Yıldız"),
    ("Eleni Papadopoulou", "Eleni", "Papadopoulou"), ("João Silva", "João", "Silva"),
    ("Nguyễn Thị Lan", "Lan", "Nguyễn"), ("Siobhan Kelly", "Siobhan", "Kelly"),
]

TITLES = ["Mr ", "Mr. ", "Mrs ", "Mrs. ", "Ms ", "Ms. ", "Miss ", "Dr ", "Dr. ", "Prof. ", "Herr ", "Frau ", "Mme ",
          "Señora ", "Sr. ", "Signor "]

# Guests of the second part: the nicknamed ones and the first part's (initials and titles work on any).
SECOND_PART_GUESTS = [record for record, _ in NICKNAMED_GUESTS] + GUESTS


def given_and_surname(full):
    """First word, and the rest: "Lars van der Berg" -> ("Lars", "van der Berg")."""
    first, _, rest = full.partition(" ")
    return first, rest


# ---------------------------------------------------------------- kitchen text of the second part

# Dishes and drinks named after people or looking like names: never personal data.
DISHES = [
    "Caesar salad", "Beef Wellington", "Margherita", "Eggs Benedict", "Peach Melba", "Pavlova", "Lobster Thermidor",
    "Chicken Marengo", "Nachos", "Crêpes Suzette", "Oysters Rockefeller", "Shirley Temple", "Bloody Mary",
    "Tom Collins", "Earl Grey", "Victoria sponge", "Sachertorte", "Beef Stroganoff", "Waldorf salad", "Cobb salad",
    "Chateaubriand", "Bellini", "Arnold Palmer", "Tarte Tatin", "Tournedos Rossini", "Bananas Foster", "Baked Alaska",
    "Sole Véronique", "Eton mess", "Madeleines", "Garibaldi biscuits", "Pizza Margherita", "Cullen skink",
]

KITCHEN_PLACES = [
    "station 4", "line 2", "the pass", "food court", "grill station 3", "pastry section", "Court Bar", "loading bay 2",
    "walk-in 1", "Garden Terrace", "Oak Room", "Park Room", "level 3 terrace", "Suite 4", "table 26B", "Elm Room",
    "prep lane 3", "Mews Bar", "Crescent Lounge", "dock 5",
]

SPELLED_COUNTS = [
    "two mains", "one starter", "three desserts", "table for two", "one high chair", "double espresso",
    "triple-cooked chips", "double cream", "five-spice duck", "nine-course tasting", "Double Gloucester",
    "six oysters", "one veggie, two fish, three beef", "double-shot flat white", "triple sec",
]


def high_chairs():
    n = rng.randint(1, 3)
    return f"{n} high chair" if n == 1 else f"{n} high chairs"


def hard_negative_fragment():
    """Kitchen text that looks like the new classes (dishes named after people, street words, "@",
    "at"/"dot", spelled numbers, long references) and must survive."""
    shape = rng.randrange(30)
    dish = pick(DISHES)
    if shape == 0:
        return [K(f"{rng.randint(2, 8)}x {dish}"), " for ", K(pick(["table 9", "booth 2", "table 14", "room 212"]))]
    if shape == 1:
        return ["Pre-order ", K(dish), " and ", K(pick(DISHES)), " for ", K(f"party of {rng.randint(4, 16)}")]
    if shape == 2:
        return ["Kids: ", K(f"{rng.randint(2, 4)} {pick(['Shirley Temple', 'Arnold Palmer', 'Nachos'])}"), ", ",
                K(high_chairs())]
    if shape == 3:
        return [K(dish), " is off tonight, offer ", K(pick(DISHES))]
    if shape == 4:
        where = pick(["the pass", "station 4", "line 2"])
        return ["Fire ", K(pick(["table 12", "table 3", "booth 5"])), " at ", K(where), " at ",
                K(pick(["19:45", "7:30pm", "8:15pm"]))]
    if shape == 5:
        return ["Extra hands on ", K(pick(KITCHEN_PLACES)), " from ", K(pick(["18:00", "6pm", "5:30pm"]))]
    if shape == 6:
        return ["Catering for the ", K("food court"), " kiosk: ", K(f"{rng.randint(20, 90)} portions")]
    if shape == 7:
        return ["Oysters ", K(f"{pick([6, 12, 24])} @ {pick(['£3', '€3.50', '$4', '£2.75'])}"), " each"]
    if shape == 8:
        return ["Hold the ", K(pick(["table @ 8pm", "booth @ 7:30", "terrace @ 19:00"]))]
    if shape == 9:
        return ["Wine: ", K(f"{rng.randint(2, 6)} @ {pick(['£5', '€42', '$80', '£38.50'])}"), " on the tab"]
    if shape == 10:
        return ["Arrive ", K(pick(["at 8", "at 7", "at half 7", "at 19:30"])), ", meet ", K("at the bar")]
    if shape == 11:
        return ["Pipe a ", K("dot of crème fraîche"), " on each blini"]
    if shape == 12:
        return ["Order ", K(pick(SPELLED_COUNTS)), " and ", K(pick(SPELLED_COUNTS))]
    if shape == 13:
        return ["Oh, and ", K("no coriander"), " for ", K(pick(["table 5", "table 11", "booth 1"]))]
    if shape == 14:
        return [K(f"order #{rng.randint(1000, 9999)}"), " collected ", K(pick(["Dec 24", "24/12", "2026-12-24"]))]
    if shape == 15:
        return [K(f"ref 2026{rng.randint(10, 12)}{rng.randint(10, 28)}-{digits(4)}"), ", ",
                K(f"party of {rng.randint(2, 14)}")]
    if shape == 16:
        return ["Long order no. ", K(f"{nz(4)}{digits(12)}"), " (supplier portal)"]
    if shape == 17:
        return ["Deposit ", K(pick(["€1,250.00", "$50", "£12.50", "£250", "€300"])), ", ",
                K(pick(["10%", "12.5%", "15%"])), " service"]
    if shape == 18:
        return [K(f"{rng.randint(2, 4)} kids"), ", ", K(high_chairs()), ", ",
                K(f"x{rng.randint(2, 9)}"), " adults"]
    if shape == 19:
        return ["Table ", K(f"for {rng.randint(2, 12)}"), " on ", K(pick(["Dec 24", "24/12", "2026-12-24", "Dec 31"]))]
    if shape == 20:
        return [K(pick(["gluten-free", "vegan", "halal", "nut-free", "dairy-free"])), " ",
                K(dish), " for ", K(pick(["table 7", "booth 3"]))]
    if shape == 21:
        return ["Severe ", K(allergen()), " allergy, no ", K(pick(["Caesar salad", "Waldorf salad", "Bananas Foster"]))]
    if shape == 22:
        return ["Invoice ", K(f"2026-{digits(4)}"), ", ", K(f"PO {digits(4)}-{digits(4)}")]
    if shape == 23:
        return ["Charge to ", K(f"room {rng.randint(101, 450)}"), ", tab ", K(f"#{rng.randint(100, 999)}")]
    if shape == 24:
        return ["Supplier lot ", K(f"{rng.randint(10, 99)}-{rng.randint(100, 999)}-{pick('ABCDE')}"), ", best before ",
                K(pick(["24/12", "2026-12-24", "Dec 24"]))]
    if shape == 25:
        return [K(pick(["Boulevardier", "Manhattan", "Negroni", "Bloody Mary", "Tom Collins"])), " x",
                K(str(rng.randint(2, 6))), " for the ", K(pick(["Garden Terrace", "Park Room", "Court Bar"]))]
    if shape == 26:
        return ["Private dining in ", K(pick(["Suite 4", "the Oak Room", "the Elm Room", "the Mews Bar"])), " from ",
                K(pick(["7:30pm", "19:45", "8pm"]))]
    if shape == 27:
        return ["Afternoon tea: ", K("Earl Grey"), ", ", K("Victoria sponge"), ", ", K("Sachertorte")]
    if shape == 28:
        return ["Birthday of the restaurant, ", K("10 years"), ": ", K("Baked Alaska"), " for everyone"]
    return ["Bill to ", K(pick(["Table 9", "the Wine Club", "room 304", "the events account"])), ", paid by ",
            K(pick(["card", "bank transfer", "voucher"]))]


# ---------------------------------------------------------------- obfuscated_email (kind EMAIL)

EMAIL_DOMAINS = [
    "gmail.com", "outlook.com", "web.de", "example.org", "mail.co.uk", "yahoo.co.uk", "gmx.de", "hotmail.com",
    "proton.me", "icloud.com", "orange.fr", "libero.it", "example.com", "posteo.de",
]


def email_local(person):
    full, given, family = person
    g, f = ascii_lower(given).replace(" ", ""), ascii_lower(family).replace(" ", "").replace("-", "")
    return pick([f"{g}.{f}", f"{g[0]}.{f}", f"{g}_{f}", f"{g}{rng.randint(1, 99)}", f"{g}.{f[0]}", f"{f}{g[0]}",
                 f"{g[0]}_{f}", g])


def spoken(text, at_word, dot_word):
    return text.replace("@", at_word).replace(".", dot_word)


def obfuscated_email_value():
    local, domain = email_local(pick(THIRD_PARTIES)), pick(EMAIL_DOMAINS)
    style = rng.randrange(13)
    if style == 0:  # maria dot lopez at gmail dot com
        return spoken(f"{local}@{domain}", " at ", " dot ")
    if style == 1:  # haruto.sato(at)web.de
        return f"{local}(at){domain}"
    if style == 2:  # anna [at] example [dot] org
        return f"{local} [at] {spoken(domain, '', ' [dot] ')}"
    if style == 3:  # j.smith @ outlook . com
        return f"{local} @ {spoken(domain, '', ' . ')}"
    if style == 4:  # k_wu (at) mail (dot) co (dot) uk
        return f"{local} (at) {spoken(domain, '', ' (dot) ')}"
    if style == 5:
        return spoken(f"{local}@{domain}", " AT ", " DOT ")
    if style == 6:
        return f"{local}{{at}}{spoken(domain, '', '{dot}')}"
    if style == 7:
        return f"{local} -at- {spoken(domain, '', ' -dot- ')}"
    if style == 8:
        return f"{local} at {domain}"
    if style == 9:
        return f"{local}[@]{domain}"
    if style == 10:
        return f"{local}[at]{spoken(domain, '', '[dot]')}"
    if style == 11:
        return f"{local} (at) {domain}"
    return spoken(f"{local}@{domain}", " at ", " dot ").upper()


def obfuscated_email_fragment():
    value = P("EMAIL", obfuscated_email_value(), "obfuscated_email")
    shape = rng.randrange(10)
    if shape == 0:
        return ["Email is ", value]
    if shape == 1:
        return ["Send the menu to ", value]
    if shape == 2:
        return ["Guest spelled her email as ", value]
    if shape == 3:
        return ["Invoice by mail: ", value]
    if shape == 4:
        return ["Contact ", value, " (no phone)"]
    if shape == 5:
        return ["Confirmation to ", value, " please"]
    if shape == 6:
        return [value, " for the deposit receipt"]
    if shape == 7:
        return ["Reply to ", value, " about the ", K(pick(DISHES)), " pre-order"]
    if shape == 8:
        return ["Mail ", value, " before ", K(time())]
    return ["e-mail: ", value]


# ---------------------------------------------------------------- spelled_phone (kind PHONE)

DIGIT_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def say_group(group, zero="oh", doubles=False):
    """Digits in words; with doubles, runs of two or three are "double"/"triple" (British style)."""
    words, at = [], 0
    while at < len(group):
        run = 1
        while doubles and at + run < len(group) and group[at + run] == group[at] and run < 3:
            run += 1
        word = zero if group[at] == "0" else DIGIT_WORDS[int(group[at])]
        words.append({1: word, 2: f"double {word}", 3: f"triple {word}"}[run])
        at += run
    return " ".join(words)


def fiction_number():
    """A fiction-range number as (groups, region)."""
    region = pick(["us", "us", "uk_mobile", "uk_london"])
    if region == "us":
        return [nz(3), "555", "01" + digits(2)], region
    if region == "uk_mobile":
        return ["07700", "900", digits(3)], region
    return ["020", "7946", "0" + digits(3)], region


# Group sizes from the left, as people write numbers they read off a screen or in another country's habit.
ODD_GROUPINGS = [[2, 2, 2, 2, 2], [1, 2, 2, 2, 2], [3, 3, 3], [2, 3, 3, 2, 1], [1, 3, 3, 3], [3, 3, 2, 2], [4, 4]]


def spelled_phone_value():
    groups, region = fiction_number()
    style = rng.randrange(7)
    zero = pick(["oh", "oh", "zero", "o"])
    sep = pick([", ", " ", " - ", ", "])
    if style == 0:  # all in words
        return sep.join(say_group(g, zero) for g in groups)
    if style == 1:  # words and digits mixed: "five five five, 0123"
        spelled = rng.randrange(len(groups))
        return sep.join(say_group(g, zero) if k <= spelled else g for k, g in enumerate(groups))
    if style == 2:  # double / triple
        if region == "us":
            groups = [nz(3), "555", "01" + pick(["00", "11", "22", "33", "44", "55", "66", "77", "88", "99"])]
        return sep.join(say_group(g, zero, doubles=True) for g in groups)
    if style == 3 and region == "uk_mobile":  # oh seven seven hundred, nine hundred, ...
        return f"oh seven seven hundred{sep}nine hundred{sep}{say_group(groups[2], zero)}"
    if style in (3, 4):  # letter O for zero
        text = " ".join(groups) if region != "us" else pick(["({}) {}-{}", "{}-{}-{}", "{}.{}.{}"]).format(*groups)
        if rng.random() < 0.5 and text.startswith("0"):
            return pick("Oo") + text[1:]
        return text.replace("0", pick("Oo"))
    # odd groupings: "07 700 900 12 3", "0 20 79 46 00 18", "077 009 001 23"
    run, out = "".join(groups), []
    for size in pick(ODD_GROUPINGS) + [len(run)]:
        if run:
            out.append(run[:size])
            run = run[size:]
    if out == groups:
        return None
    return pick([" ", " ", " ", "-"]).join(out)


def spelled_phone_fragment():
    value = None
    while value is None:
        value = spelled_phone_value()
    value = P("PHONE", value, "spelled_phone")
    shape = rng.randrange(9)
    if shape == 0:
        return ["Call ", value]
    if shape == 1:
        return ["Her mobile is ", value]
    if shape == 2:
        return ["Number: ", value]
    if shape == 3:
        return ["Ring ", value, " if the table is late"]
    if shape == 4:
        return ["Text ", value, " when ", K(pick(["table 4", "booth 2", "the terrace"])), " is ready"]
    if shape == 5:
        return ["Guest read out ", value, " on the phone"]
    if shape == 6:
        return ["Reach him on ", value, " after ", K(time())]
    if shape == 7:
        return ["Callback ", value]
    return ["ph ", value, " (voicemail)"]


# ---------------------------------------------------------------- addresses (kind ADDRESS)

US_STREETS = [
    "Elm", "Maple", "Oak", "Cedar", "Pine", "Walnut", "Chestnut", "Magnolia", "Willow", "Lakeview", "Sunset",
    "Highland", "Main", "Church", "Mission", "Market", "Grand", "Lincoln", "Jefferson", "Peachtree", "Prospect",
    "Hillcrest", "Riverside", "Fulton", "Bleecker", "Commonwealth",
]
US_TYPES = ["Street", "St", "St.", "Avenue", "Ave", "Ave.", "Boulevard", "Blvd", "Road", "Rd", "Drive", "Dr",
            "Lane", "Ln", "Court", "Ct", "Place", "Pl", "Way", "Terrace", "Parkway"]
US_UNITS = ["Apt 4B", "Apt. 12", "Suite 210", "#3", "Unit 7", "Apt 2R", "Fl 2"]
US_PLACES = [
    ("Springfield", "IL", "62704"), ("Austin", "TX", "78701"), ("Portland", "OR", "97205"), ("Denver", "CO", "80202"),
    ("Boston", "MA", "02116"), ("Chicago", "IL", "60614"), ("Seattle", "WA", "98101"), ("Brooklyn", "NY", "11201"),
    ("San Francisco", "CA", "94110"), ("Atlanta", "GA", "30309"), ("Minneapolis", "MN", "55401"),
    ("Madison", "WI", "53703"), ("Nashville", "TN", "37203"), ("Phoenix", "AZ", "85004"), ("Savannah", "GA", "31401"),
    ("New Orleans", "LA", "70116"), ("Burlington", "VT", "05401"), ("Santa Fe", "NM", "87501"),
    ("Ann Arbor", "MI", "48104"), ("Washington", "DC", "20009"),
]

UK_STREETS = [
    "Baker", "High", "Church", "Station", "Victoria", "Mill", "Kings", "Queen's", "Park", "Albert", "Windsor",
    "Acacia", "Abbey", "Cavendish", "Portobello", "Camden", "Clifton", "Hope", "Canal", "Orchard", "Manor",
]
UK_TYPES = ["Street", "St", "Road", "Rd", "Lane", "Avenue", "Close", "Crescent", "Gardens", "Grove", "Terrace",
            "Place", "Mews", "Court", "Square", "Way", "Row", "Hill"]
UK_FLATS = ["Flat 3", "Flat 2B", "Apartment 14", "Flat 7", "Basement Flat", "Flat C"]
UK_PLACES = [
    ("London", "SW1A 2AA"), ("London", "NW1 6XE"), ("London", "EC1A 1BB"), ("London", "W1A 0AX"),
    ("London", "E1 6AN"), ("London", "SE1 9SG"), ("Croydon", "CR2 6XH"), ("Manchester", "M1 1AE"),
    ("Birmingham", "B33 8TH"), ("Leeds", "LS1 4DY"), ("Edinburgh", "EH1 1YZ"), ("Bristol", "BS1 5TR"),
    ("Glasgow", "G2 3AB"), ("Cardiff", "CF10 1AA"), ("Oxford", "OX1 2JD"), ("Cambridge", "CB2 1TN"),
    ("Brighton", "BN1 1AA"), ("Liverpool", "L1 8JQ"), ("Newcastle", "NE1 7RU"), ("Bath", "BA1 1LT"),
    ("York", "YO1 7HH"), ("Belfast", "BT1 5GS"),
]

# (street with {n} where the house number goes, postcode and city)
EU_ADDRESSES = [
    ("Hauptstraße {n}", "10115 Berlin"), ("Schillerstr. {n}", "80331 München"),
    ("Königsallee {n}", "40212 Düsseldorf"),
    ("Bergmannstraße {n}", "10961 Berlin"), ("Schanzenstraße {n}", "20357 Hamburg"),
    ("Mariahilfer Straße {n}", "1070 Wien"), ("Bahnhofstrasse {n}", "8001 Zürich"),
    ("{n} rue de Rivoli", "75001 Paris"), ("{n} bis boulevard Haussmann", "75009 Paris"),
    ("{n} avenue Jean Médecin", "06000 Nice"), ("{n} place Bellecour", "69002 Lyon"),
    ("{n} quai des Chartrons", "33000 Bordeaux"), ("{n}, rue Sainte-Catherine", "33000 Bordeaux"),
    ("Calle Mayor {n}", "28013 Madrid"), ("C/ de Balmes {n}", "08008 Barcelona"),
    ("Avenida de la Constitución {n}", "41004 Sevilla"), ("Calle de Alcalá {n}, 3º B", "28014 Madrid"),
    ("Via Roma {n}", "00184 Roma"), ("Corso Buenos Aires {n}", "20124 Milano"),
    ("Via dei Calzaiuoli {n}", "50122 Firenze"), ("Piazza San Carlo {n}", "10121 Torino"),
    ("Keizersgracht {n}", "1015 CJ Amsterdam"), ("Oudegracht {n}", "3511 AB Utrecht"),
    ("Witte de Withstraat {n}", "3012 BR Rotterdam"), ("Rue Neuve {n}", "1000 Bruxelles"),
    ("Meir {n}", "2000 Antwerpen"), ("Rua Augusta {n}", "1100-053 Lisboa"), ("{n} Grafton Street", "Dublin 2"),
    ("Drottninggatan {n}", "111 21 Stockholm"), ("Nørrebrogade {n}", "2200 København N"),
    ("ul. Floriańska {n}", "31-019 Kraków"), ("Karlova {n}", "110 00 Praha 1"),
]


def house_number(largest, suffixes):
    n = str(rng.choice([rng.randint(1, 40), rng.randint(1, largest)]))
    return n + pick(suffixes) if rng.random() < 0.15 else n


def us_address_value():
    n, street, kind = house_number(9999, "AB"), pick(US_STREETS), pick(US_TYPES)
    city, state, zip_code = pick(US_PLACES)
    if rng.random() < 0.2:
        street = f"{pick(['N', 'S', 'E', 'W', 'N.', 'W.'])} {street}"
    if rng.random() < 0.2:
        kind += " " + pick(["NW", "NE", "SE", "SW"])
    if rng.random() < 0.2:
        zip_code += "-" + digits(4)
    base = f"{n} {street} {kind}"
    unit = pick(US_UNITS)
    return pick([
        f"{base}, {city}, {state} {zip_code}",
        f"{base}, {city} {state} {zip_code}",
        f"{base} {unit}, {city}, {state} {zip_code}",
        f"{base}, {unit}, {city}, {state}",
        f"{base}, {city}",
        base,
    ])


def uk_address_value():
    n, street, kind = house_number(180, "ab"), pick(UK_STREETS), pick(UK_TYPES)
    city, postcode = pick(UK_PLACES)
    base = f"{n} {street} {kind}"
    return pick([
        f"{base}, {city} {postcode}",
        f"{pick(UK_FLATS)}, {base}, {city} {postcode}",
        f"{base}, {city}, {postcode}",
        f"{base}, {postcode}",
        f"{pick(UK_FLATS)}, {base}, {city}",
        f"{base}, {city}",
        base,
    ])


def eu_address_value():
    street, town = pick(EU_ADDRESSES)
    street = street.format(n=house_number(160, "ab") if "bis" not in street else str(rng.randint(1, 80)))
    return f"{street}, {town}" if rng.random() < 0.8 else street


ADDRESS_CUES = [
    ["Deliver to ", None], ["Delivery address: ", None], ["Send the cake to ", None], ["Catering drop-off at ", None],
    ["Invoice address ", None], ["Guest lives at ", None], ["Gift voucher posted to ", None],
    ["Address on file: ", None], ["Pick-up from ", None, " at ", "TIME"], ["Courier to ", None, " by ", "TIME"],
    ["Flowers delivered to ", None, " before ", "TIME"], ["Billing: ", None],
]
EU_CUES = [["Lieferadresse: ", None], ["Livraison : ", None], ["Entregar en ", None], ["Consegna: ", None],
           ["Bezorgen op ", None]]


def address_fragment(value, cls, cues=ADDRESS_CUES):
    label = P("ADDRESS", value, cls)
    return [label if part is None else K(time()) if part == "TIME" else part for part in pick(cues)]


def bare_postcode_fragment():
    """A UK postcode or a US state and ZIP on their own; the city around them is not personal data."""
    if rng.random() < 0.5:
        _, postcode = pick(UK_PLACES)
        return pick([
            ["Postcode ", P("ADDRESS", postcode, "address_uk"), " for the delivery"],
            ["Post code: ", P("ADDRESS", postcode, "address_uk")],
            ["Delivery zone ", P("ADDRESS", postcode, "address_uk"), ", ", K(time()), " slot"],
            ["Guest is in ", P("ADDRESS", postcode, "address_uk"), ", out of our radius"],
        ])
    city, state, zip_code = pick(US_PLACES)
    return pick([
        ["Lives in ", city, ", ", P("ADDRESS", f"{state} {zip_code}", "address_us")],
        ["Driving in from ", city, " ", P("ADDRESS", f"{state} {zip_code}", "address_us"), ", may be late"],
        ["Billing ZIP: ", city, ", ", P("ADDRESS", f"{state} {zip_code}", "address_us")],
    ])


def address_us_fragment():
    if rng.random() < 0.2:
        return bare_postcode_fragment()
    return address_fragment(us_address_value(), "address_us")


def address_uk_fragment():
    if rng.random() < 0.2:
        return bare_postcode_fragment()
    return address_fragment(uk_address_value(), "address_uk")


def address_eu_fragment():
    cues = EU_CUES if rng.random() < 0.4 else ADDRESS_CUES
    return address_fragment(eu_address_value(), "address_eu", cues)


# ---------------------------------------------------------------- iban (kind IBAN)


def mod97(text):
    """ISO 13616: letters count as A=10 .. Z=35."""
    return int("".join(str(int(c, 36)) for c in text)) % 97


def iban_ok(iban):
    return mod97(iban[4:] + iban[:4]) == 1


def with_check_digits(country, bban):
    return f"{country}{98 - mod97(bban + country + '00'):02d}{bban}"


FR_RIB_LETTERS = {letter: str(d) for d, group in enumerate(["", "AJ", "BKS", "CLT", "DMU", "ENV", "FOW", "GPX", "HQY",
                                                                "IRZ"]) for letter in group}


def fr_rib_key(bank, branch, account):
    account = "".join(FR_RIB_LETTERS.get(c, c) for c in account)
    return f"{97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97:02d}"


def es_control_digits(bank, branch, account):
    weights = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6]

    def digit(ten):
        d = 11 - sum(int(c) * w for c, w in zip(ten, weights)) % 11
        return {10: 1, 11: 0}.get(d, d)

    return f"{digit('00' + bank + branch)}{digit(account)}"


IT_ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]


def it_cin(abi, cab, account):
    total = 0
    for k, c in enumerate(abi + cab + account):
        value = int(c) if c.isdigit() else ord(c) - ord("A")
        total += IT_ODD[value] if k % 2 == 0 else value
    return chr(ord("A") + total % 26)


def be_check(first_ten):
    return f"{int(first_ten) % 97 or 97:02d}"


IBAN_BBANS = {
    "DE": lambda: str(rng.randint(1, 8)) + digits(7) + digits(10),
    "GB": lambda: pick(["NWBK", "BARC", "LOYD", "HBUK", "MIDL"]) + digits(6) + digits(8),
    "IE": lambda: pick(["AIBK", "BOFI", "IPBS"]) + digits(6) + digits(8),
    "NL": lambda: pick(["ABNA", "INGB", "RABO", "TRIO", "SNSB", "KNAB"]) + digits(10),
    "CH": lambda: "00" + digits(3) + digits(12),
    "AT": lambda: str(rng.randint(1, 6)) + digits(4) + digits(11),
}


def iban_bban(country):
    if country in IBAN_BBANS:
        return IBAN_BBANS[country]()
    if country == "FR":
        bank, branch, account = digits(5), digits(5), digits(11)
        return bank + branch + account + fr_rib_key(bank, branch, account)
    if country == "ES":
        bank, branch, account = digits(4), digits(4), digits(10)
        return bank + branch + es_control_digits(bank, branch, account) + account
    if country == "IT":
        abi, cab, account = digits(5), digits(5), digits(12)
        return it_cin(abi, cab, account) + abi + cab + account
    first_ten = digits(10)  # BE
    return first_ten + be_check(first_ten)


# Published example IBANs: the generators above must agree with their national checks.
assert all(iban_ok(x) for x in ["DE89370400440532013000", "GB29NWBK60161331926819", "FR1420041010050500013M02606",
                                "NL91ABNA0417164300", "ES9121000418450200051332", "IT60X0542811101000000123456",
                                "BE68539007547034", "CH9300762011623852957", "AT611904300234573201",
                                "IE29AIBK93115212345678"])
assert es_control_digits("2100", "0418", "0200051332") == "45"
assert it_cin("05428", "11101", "000000123456") == "X"
assert be_check("5390075470") == "34"
assert fr_rib_key("20041", "01005", "0500013M026") == "06"


def iban_value():
    country = pick(["DE", "GB", "FR", "NL", "ES", "IT", "BE", "CH", "AT", "IE"])
    iban = with_check_digits(country, iban_bban(country))
    assert iban_ok(iban), iban
    return iban if rng.random() < 0.35 else grouped(iban, [4] * (len(iban) // 4 + 1), " ").strip()


def iban_fragment():
    value = P("IBAN", iban_value(), "iban")
    shape = rng.randrange(10)
    if shape == 0:
        return ["IBAN ", value]
    if shape == 1:
        return ["IBAN: ", value]
    if shape == 2:
        return ["Refund to ", value]
    if shape == 3:
        return ["Refund the ", K(price()), " deposit to ", value]
    if shape == 4:
        return ["Bank: ", value]
    if shape == 5:
        return ["Deposit back to IBAN ", value, " by ", K(pick(["Dec 24", "24/12", "2026-12-24"]))]
    if shape == 6:
        full, _, _ = pick(THIRD_PARTIES)
        return ["Wire refund to ", value, " (account holder ", P("NAME", full, "third_party_name"), ")"]
    if shape == 7:
        return ["Rückerstattung auf ", value]
    if shape == 8:
        return ["Remboursement sur ", value]
    return ["Cancellation fee ", K(price()), ", refund remainder to ", value]


# ---------------------------------------------------------------- account (kind ACCOUNT)
# Every number after a cue is its own label, cue words left out: "sort code 12-34-56, account
# 31926819" gives two labels, "12-34-56" and "31926819".


def aba_routing():
    body = f"{rng.choice([0, 1, 2, 3])}{rng.randint(1, 2) if rng.random() < 0.5 else rng.randint(0, 9)}" + digits(6)
    weights = [3, 7, 1, 3, 7, 1, 3, 7]
    check = (10 - sum(int(c) * w for c, w in zip(body, weights)) % 10) % 10
    return body + str(check)


def account_label(value):
    return P("ACCOUNT", value, "account")


def account_fragment():
    shape = rng.randrange(11)
    if shape == 0:
        return ["Account no. ", account_label(digits(8)), " for the refund"]
    if shape == 1:
        return ["acct ", account_label(f"{digits(4)}-{digits(4)}-{digits(2)}")]
    if shape == 2:
        return ["Sort code ", account_label(f"{digits(2)}-{digits(2)}-{digits(2)}"), ", account ",
                account_label(digits(8))]
    if shape == 3:
        return ["s/c ", account_label(f"{digits(2)}-{digits(2)}-{digits(2)}"), " a/c ", account_label(digits(8))]
    if shape == 4:
        return ["Routing ", account_label(aba_routing()), " account ", account_label(nz(9))]
    if shape == 5:
        return ["ABA ", account_label(aba_routing()), ", acct ", account_label(nz(10))]
    if shape == 6:
        return ["BSB ", account_label(f"{digits(3)}-{digits(3)}"), " acc ", account_label(f"{digits(4)} {digits(4)}")]
    if shape == 7:
        return ["Refund ", K(price()), " to account number ", account_label(digits(12))]
    if shape == 8:
        return ["Kontonummer ", account_label(nz(10))]
    if shape == 9:
        return ["a/c ", account_label(digits(8)), " (business account)"]
    return ["Account ", account_label(f"{digits(3)}-{digits(6)}-{digits(1)}"), " holds the deposit"]


# ---------------------------------------------------------------- handle (kind HANDLE)

HANDLE_WORDS = ["eats", "bakes", "cooks", "foodie", "dines", "brunches", "tastes", "kitchen", "plates", "noms",
                "sips", "feasts", "grubs", "travels"]


def handle_value(platform):
    given, family = pick(FIRST + [g for _, g, _ in THIRD_PARTIES]), pick(LAST + [f for _, _, f in THIRD_PARTIES])
    g, f = ascii_lower(given).replace("-", ""), ascii_lower(family).replace("-", "").replace(" ", "")
    word = pick(HANDLE_WORDS)
    options = [f"{g}_{word}", f"chef_{g}{rng.randint(1, 99)}", f"{g}{word}", f"{g}{f}{rng.randint(1, 99)}",
               f"{word}with{g}", f"{given[0]}_{strip_accents(family).replace(' ', '')}", f"{g}__{f}"]
    if platform != "twitter":
        options += [f"{g}.{word}", f"{g}.{f}", f"{f}.{word}.{g}"]
    name = pick(options)
    return "@" + (name[:15] if platform == "twitter" else name).rstrip("._")


def handle_fragment():
    platform = pick(["insta", "tiktok", "twitter", "insta", "other"])
    value = P("HANDLE", handle_value(platform), "handle")
    cues = {
        "insta": [["insta ", value], ["IG: ", value], ["Instagram ", value, ", tag us"],
                  ["Food blogger (", value, " on IG), comp the ", K(pick(DISHES))]],
        "tiktok": [["tiktok: ", value], ["TikTok ", value, " filming at ", K(time())],
                   ["Influencer ", value, " (tiktok) wants the chef's table"]],
        "twitter": [["twitter ", value], ["X/Twitter: ", value], ["Complaint came from ", value, " on twitter"]],
        "other": [["Came via ", value, "'s post"], ["DM from ", value, " about ", K(party())],
                  ["Follow-up with ", value, " re: collab"], ["Guest handle ", value]],
    }
    return list(pick(cues[platform]))


# ---------------------------------------------------------------- third_party_name (kind NAME)


def third_party_fragment():
    (full, given, family), other = rng.sample(THIRD_PARTIES, 2)
    cls = "third_party_name"
    shape = rng.randrange(20)
    if shape == 0:
        return [P("NAME", full, cls), " will pay the bill"]
    if shape == 1:
        return ["Bill to ", P("NAME", full, cls)]
    if shape == 2:
        return [P("NAME", given, cls), " joins later, around ", K(time())]
    if shape == 3:
        return ["Birthday of ", P("NAME", full, cls), ", ", K(pick(DISHES)), " with a candle"]
    if shape == 4:
        return ["For ", P("NAME", given, cls), "'s 40th, ", K(f"{rng.randint(6, 20)} covers")]
    if shape == 5:
        return ["Host is ", P("NAME", full, cls)]
    if shape == 6:
        return ["Paid by ", pick(TITLES), P("NAME", family, cls)]
    if shape == 7:
        return ["Plus one: ", P("NAME", full, cls), " (", K(diet()), ")"]
    if shape == 8:
        return ["Booked on behalf of ", P("NAME", full, cls)]
    if shape == 9:
        return ["Her colleague ", P("NAME", full, cls), " is ", K(diet())]
    if shape == 10:
        return ["Assistant ", P("NAME", full, cls), " called to confirm ", K(party())]
    if shape == 11:
        return ["Guest of honour: ", P("NAME", full, cls)]
    if shape == 12:
        return ["Surprise for ", P("NAME", given, cls), ", do not mention it on the phone"]
    if shape == 13:
        return ["Invoice to ", pick(TITLES), P("NAME", family, cls), ", accounts dept"]
    if shape == 14:
        return ["Seat ", P("NAME", full, cls), " next to the window"]
    if shape == 15:
        return ["Deposit paid by ", P("NAME", full, cls)]
    if shape == 16:
        return [P("NAME", given, cls), " and ", P("NAME", other[1], cls), " are coming too"]
    if shape == 17:
        return ["Wedding party of ", P("NAME", full, cls), " and ", P("NAME", other[0], cls)]
    if shape == 18:
        return ["Ask for ", P("NAME", given, cls), " (the organiser) at the door"]
    return ["Tab goes to ", pick(TITLES), P("NAME", family, cls), ", ", K(price()), " limit"]


# ---------------------------------------------------------------- the guest written another way (kind NAME)


def guest_nickname_mention(guest):
    nicknames = dict(NICKNAMED_GUESTS)[guest]
    _, surname = given_and_surname(guest)
    nickname = pick(nicknames)
    return [P("NAME", pick([nickname, f"{nickname} {surname}"]), "guest_nickname")]


def guest_initial_mention(guest):
    given, surname = given_and_surname(guest)
    initial = given[0]
    return [P("NAME", pick([f"{initial}. {surname}", f"{initial}. {surname}", f"{initial} {surname}",
                            f"{initial}.{surname}", f"{surname}, {initial}.", f"{initial}. {surname}".upper()]),
              "guest_initial_surname")]


def guest_title_mention(guest):
    _, surname = given_and_surname(guest)
    return [pick(TITLES), P("NAME", surname, "guest_title_surname")]


def guest_context(mention):
    shape = rng.randrange(12)
    if shape == 0:
        return mention + [" prefers a booth"]
    if shape == 1:
        return mention + [" arriving ", K(time())]
    if shape == 2:
        return mention + [" asked for the ", K(pick(DISHES)), " without sauce"]
    if shape == 3:
        return ["Tell "] + mention + [": no ", K(pick(DISHES)), " tonight"]
    if shape == 4:
        return mention + [" is ", K(diet())]
    if shape == 5:
        return ["VIP "] + mention + [", usual ", K(table())]
    if shape == 6:
        return ["Regular: "] + mention + [", ", K(allergen()), " allergy"]
    if shape == 7:
        return mention + [" called, now ", K(party())]
    if shape == 8:
        return ["Seat "] + mention + [" at ", K(pick(["table 7", "table 21", "booth 4", "the Oak Room"]))]
    if shape == 9:
        return ["Please greet "] + mention + [" at the door"]
    if shape == 10:
        return mention + [" pre-ordered ", K(f"{rng.randint(2, 6)}x {pick(DISHES)}")]
    return ["Note from "] + mention + [": ", K(pick(["2 kids", "3 high chairs", "1 wheelchair", "a pram"]))]


GUEST_CLASSES = {
    "guest_nickname": guest_nickname_mention,
    "guest_initial_surname": guest_initial_mention,
    "guest_title_surname": guest_title_mention,
}
OTHER_CLASSES = {
    "obfuscated_email": obfuscated_email_fragment,
    "spelled_phone": spelled_phone_fragment,
    "address_us": address_us_fragment,
    "address_uk": address_uk_fragment,
    "address_eu": address_eu_fragment,
    "iban": iban_fragment,
    "account": account_fragment,
    "handle": handle_fragment,
    "third_party_name": third_party_fragment,
}


def guest_for(cls):
    if cls == "guest_nickname":
        return pick(NICKNAMED_GUESTS)[0]
    return pick(SECOND_PART_GUESTS)


def class_fragment(cls, guest):
    if cls in GUEST_CLASSES:
        return guest_context(GUEST_CLASSES[cls](guest))
    return OTHER_CLASSES[cls]()


def second_kitchen(n_min, n_max):
    """Kitchen text of both parts, mostly the look-alikes of the second."""
    return [hard_negative_fragment() if rng.random() < 0.7 else kitchen_fragment()
            for _ in range(rng.randint(n_min, n_max))]


def class_note_builder(cls):
    def builder():
        guest = guest_for(cls) if cls in GUEST_CLASSES or rng.random() < 0.35 else None
        fragments = [class_fragment(cls, guest)] + second_kitchen(0, 2)
        return fragments, [guest] if guest else []

    return builder


def mixed_class_note():
    """Two or three classes in one note, at most one of them the guest's own name."""
    guest_cls = [pick(list(GUEST_CLASSES))] if rng.random() < 0.4 else []
    classes = guest_cls + rng.sample(list(OTHER_CLASSES), 3 - len(guest_cls) if rng.random() < 0.5 else 2)
    guest = guest_for(guest_cls[0]) if guest_cls else (pick(SECOND_PART_GUESTS) if rng.random() < 0.4 else None)
    fragments = [class_fragment(cls, guest) for cls in classes] + second_kitchen(1, 2)
    return fragments, [guest] if guest else []


def look_alike_clean_note():
    names = [pick(SECOND_PART_GUESTS)] if rng.random() < 0.4 else []
    return second_kitchen(1, 4), names


def words(text):
    return {w for w in re.split(r"[^\w']+", text.lower()) if len(w) > 1}


def strict_conflict(built, masked):
    """Second-part notes refuse what would make a label unfair to score:
    - one PII value inside another (a handle inside an email, a name inside an address);
    - a keep string inside a PII value, or the other way round;
    - a word of the record's names anywhere outside the PII values (a name-aware redactor would take it:
      "Bloody Mary" next to a guest "Mary-Kate", "Church Lane" next to a guest "Victoria Lane");
    - a third party's name sharing a word with the record's names."""
    values = [p["value"] for p in built["pii"]]
    if any(a in b for k, a in enumerate(values) for j, b in enumerate(values) if k != j):
        return True
    if any(k in v or v in k for k in built["keep"] for v in values):
        return True
    name_words = set().union(*(words(n.replace("-", " ")) for n in built["names"]), set())
    if name_words & words(masked.replace("-", " ")):
        return True
    third = [p["value"] for p in built["pii"] if p.get("class") == "third_party_name"]
    return any(words(v.replace("-", " ")) & name_words for v in third)


SECOND_PART_COUNTS = {
    "obfuscated_email": 45, "spelled_phone": 45, "address_us": 38, "address_uk": 38, "address_eu": 45, "iban": 50,
    "account": 40, "handle": 45, "third_party_name": 45, "guest_nickname": 42, "guest_initial_surname": 40,
    "guest_title_surname": 40,
}


def second_part():
    notes = []
    for cls, count in SECOND_PART_COUNTS.items():
        notes += make(class_note_builder(cls), count, strict=True)
    notes += make(mixed_class_note, 160, strict=True)
    notes += make(look_alike_clean_note, 150, strict=True)
    rng.shuffle(notes)
    return notes


def main():
    global rng
    notes = (
        make(known_name_note, 130)
        + make(ingredient_guest_note, 20)
        + make(phone_note, 120)
        + make(email_note, 70)
        + make(card_note, 70)
        + make(cued_name_note, 80)
        + make(mixed_note, 50)
        + make(clean_note, 120)
        + make(known_limit_note, 24)
    )
    rng.shuffle(notes)
    # The second part draws from a stream of its own: the notes above stay byte-identical.
    rng = random.Random(SEED_EXTENDED)
    notes += second_part()
    for entry in notes:
        for label in [p["value"] for p in entry["pii"]] + entry["keep"]:
            assert label and label in entry["text"], (label, entry["text"])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="\n") as out:
        for entry in notes:
            out.write(json.dumps(entry, ensure_ascii=False) + "\n")
    print(f"wrote {len(notes)} notes to {OUT}")


if __name__ == "__main__":
    main()
