#!/usr/bin/env python3
"""Generates tests/data/redaction_corpus.jsonl, the labelled corpus of the redactor (sous::redact).

Every line of that file is written by this script; edit the script and rerun it, never the file:

    python3 scripts/gen_redaction_corpus.py

The output is deterministic (fixed seed, no clock, no network). Each line is one restaurant note:

    {"text": "...", "names": ["Guest Name"], "pii": [{"kind": "NAME", "value": "..."}], "keep": ["..."]}

- names: the guest's names as the reservation record holds them (what the redactor is told);
- pii:   every personal value written in the text, as the exact substring (NAME, PHONE, EMAIL, CARD);
- keep:  substrings the kitchen needs (times, dates, party sizes, tables, rooms, order numbers, prices,
         allergens), which must survive redaction.

The notes are synthetic: names come from the lists below, phone numbers from the ranges set aside
for fiction where a country has one (555-01xx, 020 7946 0xxx, 07700 900xxx), card numbers are random
digits completed with a Luhn check digit. Hard negatives are deliberate: long order numbers that pass
Luhn, ten-digit references, dates, time ranges, and guests named like ingredients ("Olive", "Rose").
A few notes hold personal data the redactor is known to miss (see known_limit_note), so the report
shows its limits instead of a perfect score on text written alongside its rules.
"""

import json
import pathlib
import random
import unicodedata

SEED = 20261122
OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "data" / "redaction_corpus.jsonl"

rng = random.Random(SEED)


class K(str):
    """Kitchen text that must survive (goes to "keep")."""


class P:
    """A personal value of one kind (goes to "pii")."""

    def __init__(self, kind, value):
        self.kind, self.value = kind, value


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


def note(fragments, names=()):
    """Joins fragments into one note and returns its JSON object, or None if a label is ambiguous."""
    parts = []
    for k, fragment in enumerate(fragments):
        if k:
            parts.append(rng.choice([". ", "; ", " — ", "\n", ", ", ". "]))
        parts.extend(fragment)
    if rng.random() < 0.6:
        parts.append(".")
    text = "".join(p.value if isinstance(p, P) else p for p in parts)
    masked = "".join("\0" if isinstance(p, P) else p for p in parts)
    pii = [{"kind": p.kind, "value": p.value} for p in parts if isinstance(p, P)]
    keep = list(dict.fromkeys(p for p in parts if isinstance(p, K)))
    # A PII value also written in the kitchen text could never count as caught: choose again.
    if any(entry["value"] in masked for entry in pii):
        return None
    return {"text": text, "names": list(names), "pii": pii, "keep": keep}


def kitchen(n_min, n_max):
    return [kitchen_fragment() for _ in range(rng.randint(n_min, n_max))]


def make(builder, count):
    made = []
    while len(made) < count:
        fragments, names = builder()
        rng.shuffle(fragments)
        built = note(fragments, names)
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


def main():
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
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="\n") as out:
        for entry in notes:
            out.write(json.dumps(entry, ensure_ascii=False) + "\n")
    print(f"wrote {len(notes)} notes to {OUT}")


if __name__ == "__main__":
    main()
