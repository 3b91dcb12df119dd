#!/usr/bin/env python3
"""Generates tests/data/redaction_holdout.jsonl, a held-out set of restaurant booking notes for
the redactor.

The set is written independently of the redactor's rules and of its training corpus: it is meant
to measure how the redactor does on notes it was not tuned on. Each line is one JSON object:

    {"text": "...",
     "names": ["<the booking guest's name from the record>"],
     "pii":  [{"kind": KIND, "value": "<exact substring to replace>", "class": CLASS}],
     "keep": ["<exact substrings the kitchen needs, which must survive>"]}

Notes come from hand-written templates (each used once or a few times) whose slots are filled with
generated values: fiction-safe phone numbers (555-01xx, 020 7946 0xxx, 07700 900xxx, ...),
Luhn-valid card numbers, IBANs with computed ISO 13616 mod-97 check digits, ABA routing numbers
with valid checksums, addresses, e-mail addresses written plainly or obfuscated, social handles,
and names: the record's guest in full or in part, by nickname, initial + surname or title +
surname, and third parties. Keep labels mark times, dates, covers, tables, references, prices,
percentages, allergens, diets and dishes named after people or places.

Deterministic: a fixed seed, no network, no clock.

    python3 scripts/gen_redaction_holdout.py
"""

import json
import pathlib
import random
import re
import unicodedata
from collections import Counter

SEED = 20_240_611
OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "data" / "redaction_holdout.jsonl"

rng = random.Random(SEED)

# --------------------------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------------------------

# (first, last, gender, nicknames)
GUESTS = [
    ("Margaret", "Okafor", "f", ["Maggie", "Peggy"]),
    ("William", "Hartley", "m", ["Bill", "Billy", "Will"]),
    ("Alexander", "Novak", "m", ["Sasha", "Alex"]),
    ("Katherine", "Lindqvist", "f", ["Kate", "Kathy", "Katie"]),
    ("Robert", "Delacroix", "m", ["Bob", "Bobby", "Rob"]),
    ("Elizabeth", "Moreau", "f", ["Liz", "Lizzie", "Beth"]),
    ("Giuseppe", "Romano", "m", ["Beppe", "Peppe"]),
    ("Francisco", "Alves", "m", ["Paco", "Chico"]),
    ("José", "Martínez", "m", ["Pepe"]),
    ("Johannes", "Bauer", "m", ["Hannes"]),
    ("Aleksandra", "Kowalska", "f", ["Ola", "Ola"]),
    ("Dmitri", "Volkov", "m", ["Dima"]),
    ("Yekaterina", "Sokolova", "f", ["Katya"]),
    ("Christopher", "Adeyemi", "m", ["Chris", "Kit"]),
    ("Jennifer", "Walsh", "f", ["Jen", "Jenny"]),
    ("Patricia", "Nwosu", "f", ["Trish", "Patty"]),
    ("Anastasia", "Petrova", "f", ["Nastya"]),
    ("Nicholas", "Papadopoulos", "m", ["Nick", "Nicky"]),
    ("Benjamin", "Cohen", "m", ["Benji", "Ben"]),
    ("Rebecca", "Schwartz", "f", ["Becky", "Becca"]),
    ("Theodore", "Lindgren", "m", ["Teddy", "Theo"]),
    ("Ignacio", "Fernández", "m", ["Nacho"]),
    ("Mohammed", "Al-Rashid", "m", ["Hamoudi"]),
    ("Samantha", "Reyes", "f", ["Sammy", "Sam"]),
    ("Daniel", "Kim", "m", ["Danny"]),
    ("Victoria", "Hughes", "f", ["Vicky", "Tori"]),
    ("Oluwaseun", "Bello", "m", ["Seun"]),
    ("Susanne", "Müller", "f", ["Susi"]),
    ("Francesca", "Bianchi", "f", ["Cesca", "Franci"]),
    ("Joseph", "O'Connell", "m", ["Joe", "Joey"]),
    ("Anna", "Berg", "f", []),
    ("Ngozi", "Eze", "f", []),
    ("Aarav", "Mehta", "m", []),
    ("Lucía", "Gómez", "f", []),
    ("Søren", "Kjær", "m", []),
    ("Élodie", "Fournier", "f", []),
    ("Kwame", "Mensah", "m", []),
    ("Mei Lin", "Wong", "f", []),
    ("Tomasz", "Wiśniewski", "m", []),
    ("Ayşe", "Yılmaz", "f", []),
    ("Ingrid", "Halvorsen", "f", []),
    ("Haruka", "Sato", "f", []),
    ("Freya", "McAllister", "f", []),
    ("Noor", "Haddad", "f", []),
    ("Rahul", "Iyer", "m", []),
    ("Diego", "Navarro", "m", []),
    ("Siobhán", "Gallagher", "f", []),
    ("Kenji", "Watanabe", "m", []),
]

# Third parties: (name as written, gender)
THIRD_PARTIES = [
    ("Helen Fairweather", "f"), ("Ruth", "f"), ("Yuki Nakamura", "f"), ("Leila", "f"),
    ("Fiona MacLeod", "f"), ("Sofía Ramírez", "f"), ("Giulia Conti", "f"), ("Zainab", "f"),
    ("Olga", "f"), ("Aoife", "f"), ("Deepa", "f"), ("Hannah Goldberg", "f"), ("Esperanza", "f"),
    ("Ingeborg Lund", "f"), ("Chiamaka", "f"), ("Priyanka Sharma", "f"),
    ("Marie-Claire Dubois", "f"), ("Agnieszka", "f"), ("Keiko", "f"), ("Amara Okoye", "f"),
    ("Beatriz", "f"), ("Rose", "f"), ("Charlotte Pemberton", "f"), ("Astrid", "f"),
    ("Tomás", "m"), ("Klaus Becker", "m"), ("Raj Patel", "m"), ("Ahmed", "m"),
    ("Chidi Okonkwo", "m"), ("Mateo", "m"), ("Pierre Lefèvre", "m"), ("Marco", "m"),
    ("Hamid", "m"), ("Bartek", "m"), ("Tariq Hussain", "m"), ("Sven", "m"), ("Kofi", "m"),
    ("Min-jun", "m"), ("Lars Eriksson", "m"), ("Arjun", "m"), ("Wojciech Nowak", "m"),
    ("Emeka", "m"), ("Luca Ferrari", "m"), ("Hiroshi", "m"), ("Carlos Mendes", "m"), ("Dev", "m"),
    ("Jack", "m"), ("Dermot Byrne", "m"),
]

# Third parties named by title + surname: the value is only the surname.
THIRD_PARTY_TITLED = [
    ("Mr", "Adebayo"), ("Mrs", "Whitfield"), ("Dr", "Lindahl"), ("Ms", "Achterberg"),
    ("Mr", "Kowalczyk"), ("Dr.", "Nakashima"), ("Mrs", "Fitzgerald"), ("Prof.", "Oyelaran"),
    ("Mr", "Da Silva"), ("Mrs.", "Thornbury"), ("Ms", "Castellanos"), ("Dr", "Abernethy"),
]

TITLES = {
    "en": {"f": ["Mrs", "Ms", "Mrs.", "Miss", "Dr", "Ms."], "m": ["Mr", "Mr.", "Dr", "Mr"]},
    "de": {"f": ["Frau"], "m": ["Herr", "Hr."]},
    "fr": {"f": ["Mme", "Madame"], "m": ["M.", "Monsieur"]},
    "es": {"f": ["Sra.", "Señora"], "m": ["Sr.", "Señor"]},
    "it": {"f": ["Sig.ra", "Signora"], "m": ["Sig.", "Signor"]},
    "nl": {"f": ["mevr."], "m": ["dhr."]},
}

ASCII_FOLD = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "ß": "ss", "ł": "l", "ı": "i",
                            "'": "", "-": "", " ": ""})


def ascii_lower(s):
    s = s.translate(ASCII_FOLD)
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


# --------------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------------

def digits(n):
    return "".join(str(rng.randint(0, 9)) for _ in range(n))


def luhn_ok(number):
    ds = [int(c) for c in number if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(ds)):
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def luhn_complete(prefix, length):
    body = prefix + digits(length - len(prefix) - 1)
    for check in "0123456789":
        if luhn_ok(body + check):
            return body + check
    raise AssertionError("unreachable")


def card_number(kind=None):
    kind = kind or rng.choice(["visa", "visa", "mc", "mc", "amex", "disc"])
    if kind == "amex":
        n = luhn_complete(rng.choice(["34", "37"]), 15)
        style = rng.choice(["4-6-5", "4-6-5", "plain"])
        if style == "plain":
            out = n
        else:
            sep = rng.choice([" ", "-"])
            out = sep.join([n[:4], n[4:10], n[10:]])
    else:
        prefix = {"visa": "4", "mc": rng.choice(["51", "52", "53", "54", "55", "2221"]),
                  "disc": "6011"}[kind]
        n = luhn_complete(prefix, 16)
        style = rng.choice(["space", "space", "dash", "plain", "mixed"])
        groups = [n[i:i + 4] for i in range(0, 16, 4)]
        if style == "space":
            out = " ".join(groups)
        elif style == "dash":
            out = "-".join(groups)
        elif style == "plain":
            out = n
        else:
            out = groups[0] + groups[1] + " " + groups[2] + groups[3]
    assert luhn_ok(out), out
    return out


IBAN_BANKS = {"GB": ["NWBK", "BARC", "LOYD", "MIDL", "HBUK"], "NL": ["ABNA", "INGB", "RABO"],
              "IE": ["AIBK", "BOFI"]}


def bban(cc):
    if cc == "GB":
        return rng.choice(IBAN_BANKS["GB"]) + digits(6) + digits(8)
    if cc == "NL":
        return rng.choice(IBAN_BANKS["NL"]) + digits(10)
    if cc == "IE":
        return rng.choice(IBAN_BANKS["IE"]) + digits(14)
    if cc == "IT":
        return rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") + digits(22)
    return digits({"DE": 18, "FR": 23, "ES": 20, "BE": 12, "AT": 16, "PT": 21, "PL": 24,
                   "CH": 17, "SE": 20, "LU": 16, "FI": 14, "DK": 14}[cc])


def iban_ok(iban):
    s = iban.replace(" ", "")
    s = s[4:] + s[:4]
    return int("".join(str(int(c, 36)) for c in s)) % 97 == 1


def iban(cc=None):
    cc = (cc or rng.choice(["GB", "DE", "FR", "ES", "IT", "NL", "BE", "IE", "AT", "PT", "PL",
                            "CH", "SE", "LU", "FI", "DK"])).upper()
    b = bban(cc)
    num = int("".join(str(int(c, 36)) for c in b + cc + "00"))
    s = f"{cc}{98 - num % 97:02d}{b}"
    if rng.random() < 0.7:
        s = " ".join(s[i:i + 4] for i in range(0, len(s), 4))
    assert iban_ok(s), s
    return s


def aba_routing():
    while True:
        first = rng.choice(["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11",
                            "12", "21", "22", "26", "31", "32"])
        d = [int(c) for c in first + digits(6)]
        for d9 in range(10):
            total = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d9)
            if total % 10 == 0:
                return "".join(map(str, d)) + str(d9)


def account_number(region=None):
    region = region or rng.choice(["uk", "us", "au", "de"])
    if region == "uk":
        return digits(8)
    if region == "us":
        return rng.choice(["", "00"]) + str(rng.randint(1, 9)) + digits(rng.choice([8, 9, 10]))
    if region == "au":
        n = str(rng.randint(1, 9)) + digits(rng.choice([5, 7, 8]))
        return n if len(n) != 8 or rng.random() < 0.5 else n[:4] + " " + n[4:]
    if region == "de":
        n = digits(10)
        return n if rng.random() < 0.6 else n[:3] + " " + n[3:6] + " " + n[6:]
    raise ValueError(region)


def sort_code():
    a, b, c = digits(2), digits(2), digits(2)
    return rng.choice([f"{a}-{b}-{c}", f"{a}-{b}-{c}", f"{a} {b} {c}", f"{a}{b}{c}"])


def bsb():
    a, b = str(rng.randint(0, 9)) + digits(2), digits(3)
    return rng.choice([f"{a}-{b}", f"{a}-{b}", f"{a} {b}", f"{a}{b}"])


def blz():
    n = str(rng.randint(1, 8)) + digits(7)
    return n if rng.random() < 0.5 else f"{n[:3]} {n[3:6]} {n[6:]}"


# --------------------------------------------------------------------------------------------
# Phones
# --------------------------------------------------------------------------------------------

def three():
    return f"{rng.randint(0, 999):03d}"


def four():
    return f"{rng.randint(0, 9999):04d}"


def phone_groups(region):
    """Digit groups of a fiction-safe number, as it is usually grouped."""
    if region == "uk_mob":
        return ["07700", "900", three()]
    if region == "ldn":
        return ["020", "7946", "0" + three()]
    if region == "us":
        return [rng.choice(["212", "415", "312", "646", "617", "202", "305", "503"]), "555",
                "01" + f"{rng.randint(0, 99):02d}"]
    if region == "au":
        return ["0491", "570", three()]
    if region == "de":
        return ["030", "23125", three()]
    if region == "fr":
        return ["06", "39", "98", f"{rng.randint(0, 99):02d}", f"{rng.randint(0, 99):02d}"]
    if region == "es":
        return ["600", "00" + str(rng.randint(0, 9)), three()]
    if region == "it":
        return ["347", "000", four()]
    raise ValueError(region)


def plain_phone(region=None):
    region = region or rng.choice(["uk_mob", "uk_mob", "ldn", "us", "us", "au", "de", "fr",
                                   "es", "it", "nl", "ie"])
    if region == "uk":
        region = rng.choice(["uk_mob", "ldn"])
    if region == "nl":
        x = four()
        return rng.choice([f"+31 6 1000 {x}", f"06-1000{x}", f"06 1000 {x}"])
    if region == "ie":
        x = four()
        return rng.choice([f"+353 20 913 {x}", f"020 913 {x}", f"(020) 913{x}"])
    g = phone_groups(region)
    if region == "uk_mob":
        x = g[2]
        return rng.choice([f"07700 900{x}", f"07700 900 {x}", f"+44 7700 900{x}",
                           f"+447700900{x}", f"+44 (0)7700 900{x}", f"07700900{x}"])
    if region == "ldn":
        x = g[2]
        return rng.choice([f"020 7946 {x}", f"+44 20 7946 {x}", f"(020) 7946 {x}",
                           f"+442079460{x[1:]}"])
    if region == "us":
        a, _, x = g
        return rng.choice([f"({a}) 555-{x}", f"{a}-555-{x}", f"+1 {a} 555 {x}", f"{a}.555.{x}",
                           f"+1-{a}-555-{x}", f"1 ({a}) 555-{x}"])
    if region == "au":
        x = g[2]
        return rng.choice([f"0491 570 {x}", f"+61 491 570 {x}", f"0491570{x}"])
    if region == "de":
        x = g[2]
        return rng.choice([f"+49 30 23125 {x}", f"030 23125{x}", f"030 / 23125 {x}",
                           f"+49 (0)30 23125-{x}"])
    if region == "fr":
        a, b = g[3], g[4]
        return rng.choice([f"06 39 98 {a} {b}", f"+33 6 39 98 {a} {b}", f"06.39.98.{a}.{b}",
                           f"+33 (0)6 39 98 {a} {b}"])
    if region == "es":
        return rng.choice([f"+34 {g[0]} {g[1]} {g[2]}", f"{g[0]} {g[1]} {g[2]}",
                           f"+34{g[0]}{g[1]}{g[2]}"])
    if region == "it":
        return rng.choice([f"+39 347 000 {g[2]}", f"347 000 {g[2]}", f"347/000{g[2]}"])
    raise ValueError(region)


WORDS = {
    "en": ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"],
    "de": ["null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun"],
    "fr": ["zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"],
    "es": ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"],
    "it": ["zero", "uno", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove"],
}


def _word(d, lang, zero):
    return zero if (d == "0" and zero) else WORDS[lang][int(d)]


def _compress(group, zero):
    out, i = [], 0
    while i < len(group):
        j = i
        while j < len(group) and group[j] == group[i]:
            j += 1
        run = j - i
        w = _word(group[i], "en", zero)
        while run > 0:
            if run >= 3 and run != 4:
                out.append(f"triple {w}")
                run -= 3
            elif run >= 2:
                out.append(f"double {w}")
                run -= 2
            else:
                out.append(w)
                run -= 1
        i = j
    return " ".join(out)


SPH_STYLES = ["words", "compress", "compress", "letter_o", "odd", "mixed"]
_sph_cycle = []


def spelled_phone(lang="en"):
    """A fiction-safe number written out: words, double/triple, letter O, odd groupings."""
    if lang != "en":
        g = phone_groups(lang)
        sep = rng.choice([", ", " ", " - "])
        return sep.join(" ".join(_word(d, lang, None) for d in grp) for grp in g)
    g = phone_groups(rng.choice(["uk_mob", "uk_mob", "ldn", "us", "us", "au"]))
    # walk through the styles in a shuffled order so all of them show up
    if not _sph_cycle:
        _sph_cycle.extend(rng.sample(SPH_STYLES, len(SPH_STYLES)))
    style = _sph_cycle.pop()
    zero = rng.choice(["oh", "oh", "zero", "o", "O"])
    sep = rng.choice([", ", " ", " - ", "... "])
    if style == "words":
        return sep.join(" ".join(_word(d, "en", zero) for d in grp) for grp in g)
    if style == "compress":
        s = sep.join(_compress(grp, zero) for grp in g)
        if "double" not in s and "triple" not in s:  # make sure the style shows
            return spelled_phone(lang)
        return s
    if style == "letter_o":
        joined = rng.choice([" ", "-", " "]).join(grp.replace("0", "O") for grp in g)
        return joined
    if style == "odd":
        ds = "".join(g)
        parts, i = [], 0
        while i < len(ds):
            k = rng.choice([1, 2, 2, 3])
            parts.append(ds[i:i + k])
            i += k
        if len(parts) < 4:
            return spelled_phone(lang)
        return rng.choice([" ", " ", "-", ". "]).join(parts)
    # mixed: first group as digits, the rest as words
    return g[0] + " " + sep.join(_compress(grp, zero) for grp in g[1:])


# --------------------------------------------------------------------------------------------
# E-mail, handles, addresses
# --------------------------------------------------------------------------------------------

DOMAINS = ["example.com", "example.com", "example.org", "example.net", "example.co.uk",
           "example.de", "example.fr", "example.es", "example.it", "mail.example.com",
           "example.com.au", "example.nl"]


def email_parts(first, last):
    f, l = ascii_lower(first), ascii_lower(last)
    local = rng.choice([f"{f}.{l}", f"{f}.{l}", f"{f[0]}{l}", f"{f}{l}", f"{f}_{l}", f"{l}.{f}",
                        f"{f}.{l}{rng.randint(2, 99)}", f"{f}{rng.randint(70, 99)}",
                        f"{f[0]}.{l}"])
    return local, rng.choice(DOMAINS)


def plain_email(first, last):
    local, dom = email_parts(first, last)
    return f"{local}@{dom}"


OBF = {
    "en": [
        lambda l, d: f"{l.replace('.', ' dot ')} at {d.replace('.', ' dot ')}",
        lambda l, d: f"{l} [at] {d.replace('.', ' [dot] ')}",
        lambda l, d: f"{l}(at){d}",
        lambda l, d: f"{l} AT {d.replace('.', ' DOT ')}",
        lambda l, d: f"{l} @ {d.replace('.', ' . ')}",
        lambda l, d: f"{l} -at- {d.replace('.', ' -dot- ')}",
        lambda l, d: f"{l}{{at}}{d.replace('.', '{dot}')}",
        lambda l, d: f"{l} <at> {d.replace('.', ' <dot> ')}",
        lambda l, d: f"{l} (at) {d.replace('.', ' (dot) ')}",
        lambda l, d: f"{l}@{d.replace('.', ' dot ')}",
        lambda l, d: f"{l} at {d}",
        lambda l, d: f"{l}_at_{d.replace('.', '_dot_')}",
        lambda l, d: f"{l} @ {d}",
        lambda l, d: f"{l.replace('.', '(dot)')}(at){d.replace('.', '(dot)')}",
        lambda l, d: f"{l} at {d.split('.')[0]} dot {'.'.join(d.split('.')[1:])}",
    ],
    "es": [lambda l, d: f"{l} arroba {d.replace('.', ' punto ')}",
           lambda l, d: f"{l} (arroba) {d}"],
    "fr": [lambda l, d: f"{l} arobase {d.replace('.', ' point ')}",
           lambda l, d: f"{l} [arobase] {d}"],
    "de": [lambda l, d: f"{l} ät {d.replace('.', ' Punkt ')}",
           lambda l, d: f"{l} (at) {d.replace('.', ' (Punkt) ')}"],
    "it": [lambda l, d: f"{l} chiocciola {d.replace('.', ' punto ')}",
           lambda l, d: f"{l}[chiocciola]{d}"],
}
_obf_cycle = {}


def obfuscated_email(first, last, lang="en"):
    local, dom = email_parts(first, last)
    # walk through the styles in a shuffled order so all of them show up
    cyc = _obf_cycle.setdefault(lang, [])
    if not cyc:
        cyc.extend(rng.sample(range(len(OBF[lang])), len(OBF[lang])))
    return OBF[lang][cyc.pop()](local, dom)


def handle(first, last, nick=None):
    f, l = ascii_lower(first), ascii_lower(last)
    n = ascii_lower(nick) if nick else f
    return "@" + rng.choice([
        f"{f}.{l}", f"{f}_{l}", f"the{l}table", f"{n}eats", f"{n}.{l}", f"{f}{l}_",
        f"{n}_does_dinner", f"{l}.family", f"{f}.cooks", f"{n}{rng.randint(80, 99)}",
        f"brunchwith{n}", f"{f[0]}{l}.food", f"{n}.in.town",
    ])


ADDR_US = [
    "1428 Elm Street, Apt 3B, Springfield, IL 62704",
    "221 W 34th St, #12C, New York, NY 10001",
    "4172 Maple Ave, Austin, TX 78704",
    "88 Beacon Street Unit 4, Boston, MA 02108",
    "1600 Larkin St Apt 210, San Francisco, CA 94109",
    "350 N Orleans St, Suite 900, Chicago, IL 60654",
    "17 Cedar Lane, Montclair, NJ 07042",
    "2400 NW 21st Ave, Portland, OR 97210",
    "905 Peachtree St NE, Apt 1502, Atlanta, GA 30309",
    "63 Hawthorne Rd, Ann Arbor, MI 48104",
    "1201 Pike Street #5, Seattle, WA 98101",
    "7 Juniper Court, Boulder, CO 80302",
    "3308 Magazine St, New Orleans, LA 70115",
    "450 Ocean Drive, Apt 7, Miami Beach, FL 33139",
    "12 Garden Terrace, Burlington, VT 05401",
    "5521 Wisconsin Ave NW, Washington, DC 20015",
    "88 Rivington Street, Apt 4R, New York, NY 10002",
    "19 Oak Hollow Dr, Nashville, TN 37215",
    "2750 Fillmore St, San Francisco CA 94123",
    "604 E 9th Street, Apt 2, Tucson, AZ 85705",
    "31 Prospect Park West, Brooklyn, NY 11215",
]

ADDR_UK = [
    "Flat 2, 14 Albert Road, Bristol BS2 0XJ",
    "27 Old Gloucester Street, London WC1N 3AX",
    "9 Rosebery Avenue, Manchester M14 6NY",
    "Flat 5B, 112 Leith Walk, Edinburgh EH6 5DT",
    "3 Church Lane, Little Snoring, Norfolk NR21 0AB",
    "41 Grosvenor Crescent, Leeds LS6 2DQ",
    "The Old Rectory, 6 Mill Street, Ludlow SY8 1BB",
    "18 Kingsmead Road, Birmingham B15 2TQ",
    "Apartment 12, 1 Canal Wharf, Leeds LS11 5PS",
    "77 Clarence Street, Cardiff CF10 5BT",
    "22 Harbour View, Falmouth TR11 3HQ",
    "56 Ormeau Road, Belfast BT7 1DZ",
    "Flat 3, 29 Hyde Park Gardens, London W2 2LU",
    "14 Station Road, Harrogate HG1 1SY",
    "5 Marine Parade, Brighton BN2 1TL",
    "33 Hope Street, Glasgow G2 6AE",
    "8 Elm Grove, Oxford OX2 7BD",
    "121 High Street, Winchester SO23 9AY",
    "2a Fairfield Road, London E3 2QA",
    "Unit 4, 19 Wharf Lane, York YO1 9RD",
    "64 Mortimer Road, London N1 4LH",
]

# (address, language/region tag)
ADDR_EU = [
    ("Karl-Marx-Allee 90, 10243 Berlin", "de"),
    ("Mariahilfer Straße 33/7, 1060 Wien", "de"),
    ("Schulstraße 4, 80634 München", "de"),
    ("Bahnhofstrasse 21, 8001 Zürich", "de"),
    ("Hauptstraße 7a, 69117 Heidelberg", "de"),
    ("Schanzenstraße 12, 3. OG, 20357 Hamburg", "de"),
    ("12 rue des Lilas, 75019 Paris", "fr"),
    ("8 place Bellecour, 69002 Lyon", "fr"),
    ("25 boulevard Saint-Michel, 75005 Paris", "fr"),
    ("Appt 14, 3 rue Sainte-Catherine, 33000 Bordeaux", "fr"),
    ("Calle de Alcalá 45, 3º izda., 28014 Madrid", "es"),
    ("Carrer de Mallorca 210, 2n 1a, 08008 Barcelona", "es"),
    ("Avenida de la Constitución 12, 41004 Sevilla", "es"),
    ("Via Roma 22, 20121 Milano", "it"),
    ("Vicolo del Cinque 7, 00153 Roma", "it"),
    ("Via dei Servi 38, int. 4, 50122 Firenze", "it"),
    ("Keizersgracht 123-II, 1015 CJ Amsterdam", "nl"),
    ("Herengracht 401, 1017 BP Amsterdam", "nl"),
    ("Oudegracht 88 bis, 3511 AS Utrecht", "nl"),
    ("Rua Augusta 100, 1100-053 Lisboa", "eu"),
    ("Drottninggatan 5, 111 51 Stockholm", "eu"),
    ("ul. Marszałkowska 10/4, 00-590 Warszawa", "eu"),
    ("Avenue Louise 54, 1050 Bruxelles", "eu"),
    ("Nørrebrogade 44, 3. tv, 2200 København N", "eu"),
    ("14 Merrion Square North, Dublin 2, D02 XK33", "eu"),
    ("Plac Mariacki 3, 31-042 Kraków", "eu"),
]

_addr_pools = {}


def take_address(region):
    """Addresses are drawn without replacement while a pool lasts."""
    if region == "us":
        key, src = "us", ADDR_US
    elif region == "uk":
        key, src = "uk", ADDR_UK
    else:
        key = region
        src = [a for a, t in ADDR_EU if region == "eu" or t == region]
    pool = _addr_pools.setdefault(key, [])
    if not pool:
        pool.extend(rng.sample(src, len(src)))
    a = pool.pop()
    # keep the EU pools consistent with each other
    if key != "eu" and region not in ("us", "uk"):
        eu = _addr_pools.get("eu")
        if eu and a in eu:
            eu.remove(a)
    elif key == "eu":
        for k, p in _addr_pools.items():
            if k not in ("eu", "us", "uk") and a in p:
                p.remove(a)
    return a


# --------------------------------------------------------------------------------------------
# Kitchen data that must survive
# --------------------------------------------------------------------------------------------

KEEP = {
    "TIME": ["7pm", "7:30pm", "19:30", "8.15pm", "20:45", "12:45", "1pm", "6:45 pm", "21:00",
             "half seven", "8pm", "noon", "18:00", "7.45", "9:15pm", "1:30pm"],
    "DATE": ["Sat 14th", "Friday 3 May", "12/03", "14 March", "Thursday", "Sunday 22nd", "NYE",
             "24 Dec", "Fri 9/6", "next Tuesday", "the 28th", "Mother's Day", "Valentine's Day",
             "Saturday", "2 Nov", "Easter Sunday"],
    "PARTY": ["party of 6", "6 pax", "table for 4", "8 guests", "2 adults + 2 kids", "10 covers",
              "12 pax", "party of 3", "5 people", "14 covers", "4 adults", "7 pax"],
    "TABLE": ["table 12", "T7", "booth 3", "Room 2", "the Garden Room", "table 21", "bar seats 4-5",
              "PDR 1", "table 30", "booth 1", "T14", "the chef's counter", "terrace table 6"],
    "ORDER": ["order #A10293", "INV-2024-0457", "BK-88213", "booking ref 7F3K9Q", "PO 445120",
              "invoice 10482", "ref RX-5531", "order 88-1742", "INV/2025/0031", "#SO-20931",
              "ticket 4471", "voucher GV-30177"],
    "PRICE": ["£250", "€120", "$400", "£1,000", "£95", "€60", "$75", "£150", "€300", "$180",
              "£80", "€95.50", "£1,250", "$250"],
    "SMALL": ["£12", "£18.50", "€15", "$20", "£25", "€10", "$30"],
    "PP": ["£45pp", "$35 per head", "€85 per person", "£65 a head", "€49 pp", "$120pp", "£38pp"],
    "PCT": ["12.5%", "10%", "15%", "20%", "50%", "25%", "12,5 %"],
    "SVC": ["12.5%", "10%", "15%", "12,5 %", "13.5%"],
    "ALLERGY": ["nut allergy", "coeliac", "shellfish allergy", "sesame", "lactose intolerant",
                "severe peanut allergy", "gluten-free", "no dairy", "egg allergy",
                "allergic to kiwi", "tree nuts", "mustard allergy", "anaphylactic to prawns"],
    "ALLERGEN": ["peanut", "sesame", "shellfish", "tree nut", "egg", "kiwi", "mustard", "fish",
                 "soy", "celery", "lupin"],
    "DIET": ["vegan", "vegetarian", "halal", "kosher", "pescatarian", "no pork", "low FODMAP",
             "no alcohol", "plant-based", "no red meat"],
    "DISH": ["Caesar salad", "Eggs Benedict", "Beef Wellington", "Bloody Mary", "Earl Grey",
             "Pavlova", "Tarte Tatin", "Peach Melba", "Margherita", "Crêpes Suzette",
             "Tournedos Rossini", "Oysters Rockefeller", "Waldorf salad", "Victoria sponge",
             "Bellini", "Negroni", "Beef Stroganoff", "Chicken Kiev", "Bananas Foster",
             "Lobster Thermidor", "Sachertorte", "Apple Charlotte", "Lady Grey", "Quiche Lorraine",
             "Eggs Florentine", "Tom Collins", "Shirley Temple", "Arnold Palmer", "Caprese",
             "Baked Alaska", "Eton mess", "Madeleines", "Carpaccio", "Veal Orloff"],
    "MAIN": ["Beef Wellington", "Tournedos Rossini", "Lobster Thermidor", "Beef Stroganoff",
             "Chicken Kiev", "Veal Orloff", "Quiche Lorraine", "Salisbury steak"],
    "DESSERT": ["Pavlova", "Tarte Tatin", "Peach Melba", "Crêpes Suzette", "Victoria sponge",
                "Bananas Foster", "Sachertorte", "Apple Charlotte", "Baked Alaska", "Eton mess",
                "Charlotte russe", "Pêche Melba"],
    "DRINK": ["Bloody Mary", "Bellini", "Negroni", "Tom Collins", "Shirley Temple",
              "Arnold Palmer", "Rob Roy", "Earl Grey", "Lady Grey", "Harvey Wallbanger"],
}


# --------------------------------------------------------------------------------------------
# Templates
# --------------------------------------------------------------------------------------------
#
# {SLOT} or {SLOT:arg} is filled by a generator; [[text]] is literal text labelled "keep".
# A leading {!f} / {!m} restricts the guest's gender. {she} {her} {him} {She} {Her} are pronouns
# for the guest. Each entry is (template, times used).

PII_TEMPLATES = [
    ("{GF} rang to push back to {TIME}, mobile {PH}. [[Beef Wellington]] pre-ordered for the table.", 2),
    ("Guest email for confirmations: {EM}. {PARTY}, {ALLERGY} at the table.", 2),
    ("pls send the set menu to {OEM} - {she} says the link won't open on {her} phone", 2),
    ("{GT} called again re {DATE}. Wants {TABLE} by the window like last time. Call back on {SPH}.", 1),
    ("Guest read card {CARD} out over the phone for the {PRICE}. DO NOT keep on file, delete once charged.", 2),
    ("Corporate - {GL} in finance wants the refund to IBAN {IBAN}, quote {ORDER}.", 2),
    ("Refund {PRICE} to sort code {SORT}, acc no {ACCT:uk}. Same name as the booking.", 2),
    ("Hamper delivery to {ADDR:uk} before {TIME} on {DATE}.", 2),
    ("Post the gift voucher to {ADDR:us} - {she} wants it by [[Friday]]", 2),
    ("Lieferadresse für das Catering: {ADDR:de}. Ansprechpartner {GT:de}, Tel. {PH:de}.", 2),
    ("Tagged us on insta last time ({HAN}). {NK} writes a food blog - maybe send out a {DESSERT} on the house?", 2),
    ("{TPF} is paying for everyone, it's her 40th - candle in the {DESSERT} please. {PARTY}.", 1),
    ("{GI} - {DIET}, {ALLERGY}. Seat away from the kitchen door.", 2),
    ("Regular - {NK} likes the corner booth and a {DRINK} as soon as {she} sits down. Partner {TP}: {ALLERGY}.", 2),
    ("{GF} / {PH} / {EM} / {PARTY} / {TIME}", 2),
    ("call came from {SPH}, no name left, said it's about the {GL} booking on {DATE}", 1),
    ("Amex on file {CARD:amex} - guest asked us to charge the {PRICE} balance, {GT} signs on arrival.", 2),
    ("Bank details for the event refund: {GF}, IBAN {IBAN} (no BIC given). Invoice {ORDER}.", 2),
    ("BSB {BSB} acct {ACCT:au} - guest's back in Sydney, wants the {PRICE} deposit returned", 2),
    ("US client paying by wire: routing {ROUT}, account {ACCT:us}. Memo {ORDER}.", 1),
    ("{TP} and {TP} joining late (after {TIME}) - keep 2 seats, both {DIET}.", 1),
    ("Birthday cake for {TPN} (turning 7!!) - {GN} bringing it in at {TIME}, cakeage waived.", 1),
    ("Email booking from {OEM}: {PARTY} on {DATE}, asked whether the {DISH} is on that night.", 2),
    ("travelling all week - reach {him} at {OEM} or {SPH}", 1),
    ("{GT:fr} a appelé : [[4 couverts]] à [[20h30]], [[allergie aux fruits à coque]]. Tél. {PH:fr}.", 1),
    ("{GT:es} llamó para confirmar. Correo: {OEM:es}. [[Mesa para 6]] a las [[21:00]], [[sin gluten]] para una persona.", 1),
    ("{GT:it} - [[tavolo per 4]] alle [[20:30]], chiede il [[Tiramisù]] senza alcol. Cell. {PH:it}.", 1),
    ("{HAN} on TikTok wants to film in the dining room on {DATE}; booking is under {GF}. Check with GM first.", 1),
    ("Influencer collab: {HAN} +1, comp the {MAIN} and 2x {DRINK}. Max spend {PRICE}.", 2),
    ("Thank-you card to go to {ADDR:us} ({she} left a scarf, pop it in too)", 2),
    ("{GI} wants the invoice sent to the company address, {ADDR:eu}. VAT no. to follow. {ORDER}.", 2),
    ("phone {SPH} ({she} spelled it out - double check before calling). {PARTY} {TIME}", 1),
    ("If running late will text from {PH}. {NK} says the kids need {DIET} meals.", 1),
    ("Card no {CARD} held as guarantee, cardholder {GF}. Cancellation policy read out.", 2),
    ("Garantie per SEPA-Lastschrift, IBAN {IBAN:de}, Mandat unterschrieben von {GT:de}.", 2),
    ("{!f}Please call {TPF} on {PH} - she's organising the surprise, {GN} doesn't know!!", 1),
    ("Flowers coming from {TP}'s florist around {TIME}, put them on {TABLE}.", 1),
    ("Christening lunch - godmother {TPF} sits next to {GN}. {PARTY}, {MAIN} for mains.", 1),
    ("Booked under {GF} but everyone calls {him} {NK}. Regular, [[Caesar salad]] no croutons.", 1),
    ("{NK} from last Friday wants the same table again. {ALLERGY}!!", 1),
    ("{GI} - quiet table please, proposing tonight!! {TP} has the ring, bring it out with the {DESSERT}.", 1),
    ("Lost umbrella - post to {ADDR:uk}, guest says no rush.", 2),
    ("Lost phone to be couriered back: {ADDR:eu}. Courier ref {ORDER}.", 2),
    ("Scarf left on {TABLE} - ship to {ADDR:us}, {she}'ll cover postage ({PRICE}).", 2),
    ("Contact: {OEM} | mob {SPH}", 2),
    ("{EM} asked for the allergen matrix before {DATE} ({ALLERGY} + {ALLERGY}).", 1),
    ("AP email {EM}, cc {EM} (different person, the EA). PO {ORDER}.", 2),
    ("Hen do - bride is {TPF}, organiser {GF} ({HAN} on IG). {PARTY}, {PP} set menu.", 1),
    ("Guest asked us to tag {HAN} and {HAN} in the anniversary post", 1),
    ("Kontonummer {ACCT:de}, BLZ {BLZ} - Rückerstattung {PRICE} an {GT:de}.", 1),
    ("Acc {ACCT:uk} sort {SORT} - refund the {PRICE} overcharge, apologised to {GT}.", 1),
    ("Routing # {ROUT} / Acct # {ACCT:us} for the deposit return. Contact {TP} in their office.", 1),
    ("Factuur sturen naar {ADDR:nl}, t.a.v. {GT:nl}. IBAN {IBAN:nl}.", 2),
    ("The {GL} family - {PARTY}, high chair, {DIET} for the little one.", 1),
    ("{NK}'s leaving do: {PARTY}, bar tab on card {CARD}, cap at {PRICE}.", 1),
    ("Called {SPH} twice, no answer. Holding {TABLE} until {TIME}.", 1),
    ("Cliente {GF} - cel. {PH:es} - [[celíaca]], nada de gluten.", 1),
    ("Numero di telefono: {SPH:it}. {GT:it} arriva alle [[21:15]].", 1),
    ("{GT} asked if {TPF} can bring her own wine?? told her corkage is {SMALL}.", 1),
    ("Allergy card: {GI}, {ALLERGY}, carries an EpiPen. Confirm with {TP} (partner) on arrival.", 1),
    ("{GF}: {ADDR:uk} - 2x Christmas pudding ({SMALL} each) for delivery {DATE}.", 2),
    ("Gift card bought by {TP} for {GF}, e-voucher to {OEM}.", 1),
    ("Walk-in regular {NK} left a number for the waitlist: {SPH}", 2),
    ("IBAN {IBAN} - deposit refund for the wedding tasting, {PRICE}.", 2),
    ("Pay-by-link failed so guest gave card {CARD}, keyed in manually at {TIME}.", 1),
    ("{GT:fr} souhaite recevoir la facture par mail : {EM}. Facture [[F-2024-118]].", 1),
    ("Contatto: {EM}, tel. {PH:it}. Se possibile [[tavolo in terrazza]].", 1),
    ("Lieferung an {ADDR:de} (Klingel: {GL}). Bis [[12:30]] bitte.", 2),
    ("pls DM {HAN} back about the private room, they messaged on IG {DATE}", 2),
    ("{HAN} posted a story moaning about the wait on {DATE}. GM called {GT}, comped the {DISH}.", 1),
    ("{Her} mum ({TPF}) uses a wheelchair - step-free entrance, table near the door. {GN} arriving first.", 1),
    ("{TPT} (the boss) is paying, {GN} organising. {PARTY}.", 1),
    ("Ask for {TPT} at reception - dropping the cake off at {TIME}.", 1),
    ("Booked by PA ({TP}) for {GT}. {DIET}, watch for {ALLERGY}.", 1),
    ("Surprise for {NK}!! Don't mention it when confirming. Partner {TP} arrives {TIME}.", 1),
    ("Guest msg: \"it's {NK}, the one who always has the {DISH}\" - {PARTY} tonight", 1),
    ("Agent booking; {ORDER}; guest contact {EM} / {PH}; lead name {GI}.", 1),
    ("Corporate account - pay to sort code {SORT} acct {ACCT:uk}, ref {ORDER}.", 1),
    ("WhatsApp {PH} for updates, {GN} prefers that to calls.", 1),
    ("Chef's table: {GF} ({HAN}) + {TP}. {DIET}, {ALLERGY}.", 1),
    ("call back {SPH} re the cake order", 2),
    ("Invoice to: {GF}, {ADDR:us}. Net 30. {ORDER}.", 2),
    ("Billing address {ADDR:uk}, card {CARD}. Pre-auth {PRICE}.", 2),
    ("Refund to card {CARD} ({SVC} service removed) - guest unhappy about the wait.", 2),
    ("{TPT}'s retirement - {PARTY}, speeches at {TIME}, needs a mic.", 1),
    ("Kids' party for {TPN} & {TPN} (twins!) - {PARTY}, {DRINK} for the grown-ups.", 1),
    ("Paid by the company, receipt to {EM}.", 2),
    ("Reserva a nombre de {GF}. Paga {TPM}. [[Mesa para 10]] a las [[14:00]]. IBAN para la fianza: {IBAN:es}.", 1),
    ("Cliente: {GI}. Indirizzo fattura: {ADDR:it}. IBAN {IBAN:it}.", 2),
    ("Entrega en {ADDR:es} antes de las [[13h]].", 2),
    ("{!f}{GT} - recently widowed (husband was {TPM}), please be gentle. {TABLE}, their usual.", 1),
    ("Lost wallet handed in - owner {GF}, contact {SPH}.", 1),
    ("mob: {PH} / email: {OEM} / allergies: {ALLERGEN}", 2),
    ("{GF} ({OEM}) - {PARTY}, {TIME}", 1),
    ("Nuovo numero di {GN}: {PH:it}. Sempre [[senza lattosio]].", 1),
    ("Rappeler {GT:fr} au {SPH:fr} pour confirmer le [[menu dégustation]].", 1),
    ("Rückruf an {GF} unter {SPH:de}, wegen [[glutenfrei]]em Menü.", 1),
    ("Llamar a {NK} al {SPH:es} - quiere cambiar a las [[22:00]].", 1),
    ("Guest wants to settle by bank transfer - IBAN {IBAN:gb}, ref {ORDER}.", 2),
    ("Guest emailed the full card number ({CARD}) - reply asking them not to, and delete the email.", 1),
    ("Deposit via IBAN {IBAN:ie}, {GI}. Event {DATE}, {PARTY}.", 2),
    ("Bestätigung an {OEM:de} schicken. [[Tisch 7]], [[19 Uhr]].", 1),
    ("Envoyer le menu à {OEM:fr}, [[12 couverts]], [[végétarien]] x3.", 1),
    ("Inviare conferma a {OEM:it}, [[tavolo 9]], [[ore 20]].", 1),
    ("Adresse de facturation : {ADDR:fr}. {GI}.", 2),
    ("Delivery address {ADDR:us}, leave with the doorman.", 2),
    ("Send the framed menu to {TPF} at {ADDR:uk} - it's a gift from {GN}.", 1),
    ("{TPF} & {TPM} (bride's parents) on the top table; {GF} doing the seating plan.", 1),
    ("Big {DESSERT} fan, {NK}. Comp dessert on {DATE} - it's {her} birthday.", 1),
    ("handle for the photo credit: {HAN}", 2),
    ("{GI} again - complained about the {MAIN} last time, manager to greet.", 1),
    ("{GT} is hard of hearing; seat {him} facing the room. {TP} is the plus-one.", 1),
    ("Ask {GT} about the {PRICE} deposit - bounced. Try {PH}.", 1),
    ("Cust. {GL} called at {TIME}, needs {PARTY} now not 4.", 1),
    ("insta {HAN} - {NK} asked for the sparkler + song at {TIME}", 2),
    ("Catering drop-off: {ADDR:us}, side entrance, ring {PH:us} on arrival.", 2),
    ("Ship the hot sauce bottles ({SMALL}) to {ADDR:us}.", 2),
    ("Guest has moved - new address {ADDR:us}, update the CRM.", 2),
    ("Wine order ({ORDER}) to be delivered to {ADDR:uk}, someone in after {TIME}.", 2),
    ("Taxi booked to collect from {ADDR:uk} at {TIME} - guest walks with a stick.", 2),
    ("Invoice address {ADDR:uk}, FAO accounts.", 2),
    ("grandma {TPF} turns 90!! {PARTY}, {DESSERT} with one candle", 1),
    ("Dad ({TPM}) is {DIET}, rest of the table fine. Booked by {GN}.", 1),
    ("{GI} // {PARTY} // {ALLERGY} // pre-paid {PRICE}", 1),
    ("Mr & Mrs {GL} - anniversary, {DESSERT} with a candle.", 1),
    ("{!m}{NK} is bringing his new girlfriend, {TPF}. Be nice. {TABLE}.", 1),
    ("{GT} and guest ({TP}). Celebrating a promotion, {DRINK} to start.", 1),
    ("Reached {GN} on {SPH} - confirmed {PARTY} for {DATE}.", 2),
    ("Dietary from {TP}'s office: 2x {DIET}, 1x {ALLERGY}. Host is {GI}.", 1),
    ("{NK} asked to split the bill: half on {CARD}, half cash.", 2),
    ("Follow on insta {HAN} - guest offered to post about the tasting menu.", 2),
    ("Send receipt to {OEM}, company name on invoice please. {ORDER}.", 2),
    ("emailed from {EM} asking to move to {TIME}", 2),
    ("no-show fee {PP} to be charged to {CARD}, approved by GM.", 2),
    ("Sort code {SORT}, account {ACCT:uk} - deposit refund approved, {GT}, {PRICE}.", 1),
    ("{GF}'s assistant {TP} will confirm numbers by {DATE}.", 1),
    ("Voucher goes to {ADDR:uk} - postcode checked twice.", 1),
    ("Ship the leftover case of wine to {ADDR:eu}, shipping {PRICE} already paid.", 1),
    ("Courier the cake stand back to {ADDR:eu} please, {ORDER}.", 1),
]

CLEAN_TEMPLATES = [
    ("{PARTY} at {TIME}, {ALLERGY} - flag to kitchen. [[Caesar salad]] without anchovies.", 2),
    ("Pre-order: 3x {DISH}, 2x [[Eggs Benedict]], 1x {DISH}. Brunch sitting {TIME}.", 2),
    ("Anniversary - champagne on arrival, {DESSERT} with a candle. {TABLE}.", 2),
    ("Pram space needed. {PARTY}. High chair x1.", 2),
    ("{DIET} x2, {DIET} x1. Coming from [[Victoria Station]] so maybe 10 min late.", 2),
    ("Meeting friends near [[Madison Square]] first, {PARTY} around {TIME}.", 1),
    ("Deposit {PRICE} paid, {ORDER}. Service {SVC} to be added.", 2),
    ("Wants the [[Tarte Tatin]] held back - we only make 6. {DATE}.", 2),
    ("Afternoon tea: [[Earl Grey]] and [[Lady Grey]] pots, {PARTY}, {TIME}.", 2),
    ("Birthday: [[Pavlova]] instead of cake, no candles (sparkler ok). {TABLE}.", 2),
    ("{ORDER}: 2x [[Margherita]], 1x Quattro Formaggi, 1x Diavola no chilli. Collection {TIME}.", 2),
    ("Brunch {DATE}: [[Bloody Mary]] jug for the table, {PARTY}.", 2),
    ("Severe {ALLERGEN} allergy - EpiPen carried. Chef informed. {TABLE}.", 2),
    ("Same as last visit: [[Peach Melba]] x4 and the {DISH}. Split bill, {PARTY}.", 2),
    ("Moved from {TIME} to {TIME} at guest's request; {TABLE} still fine.", 2),
    ("Wedding tasting, {PP}, {PCT} discount agreed by GM. {DATE}.", 2),
    ("Strict {DIET}, separate fryer please. [[Beef Wellington]] swapped for the mushroom one.", 2),
    ("Flight lands at {TIME}, hold {TABLE} till [[21:15]].", 1),
    ("Drinks for the kids: [[Shirley Temple]] x2, [[Arnold Palmer]] for the driver.", 1),
    ("Corporate, {PARTY}, {ORDER}, cap {PRICE} incl. drinks.", 2),
    ("[[5 Personen]], Ankunft [[19:30]], [[glutenfrei]], [[Tisch 5]] am Fenster.", 1),
    ("Anniversaire, [[6 couverts]], [[Crêpes Suzette]] flambées en salle à [[21h]].", 1),
    ("[[Mesa para 8]] a las [[21:30]], dos [[vegetarianos]], [[sin marisco]].", 1),
    ("[[Tavolo 14]], [[ore 20:00]], un bambino, [[niente lattosio]].", 1),
    ("Back again - loved the [[Oysters Rockefeller]]; check stock before {DATE}.", 1),
    ("Small dog, well behaved - {TABLE} outside please.", 1),
    ("[[Coeliac]] x2 - bread on the side, [[Carbonara]] with GF pasta.", 1),
    ("Walk-in turned booking, {PARTY}, {TIME}. Drinks at the bar first.", 2),
    ("Sunday roast: 4x [[Beef Wellington]] pre-ordered, {PCT} deposit taken.", 1),
    ("Allergy matrix sent for {ALLERGEN}. Kitchen to confirm the [[Waldorf salad]] dressing.", 1),
    ("Gluten-free [[Victoria sponge]] ordered for {DATE}, collecting {TIME}.", 1),
    ("Quiz team, {PARTY}, {ORDER}, {PP}.", 1),
    ("Private dining menu: [[Tournedos Rossini]], [[Crêpes Suzette]], {PP}.", 1),
    ("Coming off the Eurostar at [[St Pancras]]; hold {TABLE} an extra 15 min.", 1),
    ("Complaint follow-up: {MAIN} overcooked last time, comp dessert. {ORDER}.", 1),
    ("Hen party, {PARTY}, [[Bellini]] on arrival, {DIET} option for two.", 1),
    ("Covers changed [[6 -> 9]] for {DATE}, need {TABLE} plus the extension.", 1),
    ("[[Tafel voor 4]] om [[19:00]], [[notenallergie]], [[geen varkensvlees]].", 1),
    ("[[Mesa para 2]] às [[20h]], aniversário de casamento, [[sem glúten]].", 1),
    ("Gift {ORDER} redeemed, value {PRICE}.", 1),
    ("Booked via OpenTable, {ORDER}, {PARTY}, {DIET}.", 1),
    ("Regulars. Usual {TABLE}, [[Negroni]] x2 before they order.", 1),
    ("{PARTY}, {ALLERGY} AND {ALLERGY}. Please double check the [[Sachertorte]].", 1),
    ("Theatre crowd from [[Covent Garden]] - need to be out by {TIME}.", 1),
    ("Tasting menu x2 with wine pairing, {PP}. Swap [[Lobster Thermidor]] for the fish course.", 1),
    ("Just the [[Eton mess]] and coffee, late sitting {TIME}.", 1),
]

NK_RE = re.compile(r"\{NK")


class Ctx:
    def __init__(self, guest):
        self.first, self.last, self.gender, self.nicks = guest
        self.used_tp = set()
        self.emails = 0
        self.used_keep = set()

    @property
    def full(self):
        return f"{self.first} {self.last}"


def P(kind, cls, value):
    return [(value, ("pii", kind, cls))]


def K(value):
    return [(value, ("keep",))]


def T(value):
    return [(value, None)]


def pick_third_party(ctx, gender=None):
    cands = [n for n, g in THIRD_PARTIES
             if (gender is None or g == gender) and n not in ctx.used_tp
             and ctx.first not in n and ctx.last not in n]
    name = rng.choice(cands)
    ctx.used_tp.add(name)
    return name


def fill(slot, arg, ctx):
    f, l = ctx.first, ctx.last
    if slot == "GF":
        r = rng.random()
        v = f"{f} {l}" if r < 0.75 else (f"{l}, {f}" if r < 0.9 else f"{l.upper()}, {f}")
        return P("NAME", "guest_name", v)
    if slot == "GN":
        return P("NAME", "guest_name", f)
    if slot == "GL":
        return P("NAME", "guest_name", l.upper() if rng.random() < 0.12 else l)
    if slot == "NK":
        return P("NAME", "guest_nickname", rng.choice(ctx.nicks))
    if slot == "GI":
        ini = ".".join(w[0] for w in f.split()) if " " in f else f[0]
        v = rng.choice([f"{ini}. {l}", f"{ini}. {l}", f"{ini} {l}", f"{ini}.{l}"])
        if " " in f:
            v = f"{ini}. {l}"
        return P("NAME", "guest_initial_surname", v)
    if slot == "GT":
        title = rng.choice(TITLES[arg or "en"][ctx.gender])
        return T(title + " ") + P("NAME", "guest_title_surname", l)
    if slot in ("TP", "TPF", "TPM"):
        g = {"TP": None, "TPF": "f", "TPM": "m"}[slot]
        return P("NAME", "third_party_name", pick_third_party(ctx, g))
    if slot == "TPN":
        cands = [n for n, _ in THIRD_PARTIES if n not in ctx.used_tp and " " not in n
                 and n not in (f, l)]
        name = rng.choice(cands)
        ctx.used_tp.add(name)
        return P("NAME", "third_party_name", name)
    if slot == "TPT":
        title, sur = rng.choice([t for t in THIRD_PARTY_TITLED if t[1] not in ctx.used_tp])
        ctx.used_tp.add(sur)
        return T(title + " ") + P("NAME", "third_party_name", sur)
    if slot == "EM":
        ctx.emails += 1
        if ctx.emails == 1:
            v = plain_email(f.split()[0], l)
        else:
            tp = pick_third_party(ctx).split()
            v = plain_email(tp[0], tp[-1] if len(tp) > 1 else rng.choice(["office", "events", "pa"]))
        return P("EMAIL", "plain_email", v)
    if slot == "OEM":
        return P("EMAIL", "obfuscated_email", obfuscated_email(f.split()[0], l, arg or "en"))
    if slot == "PH":
        return P("PHONE", "plain_phone", plain_phone(arg))
    if slot == "SPH":
        return P("PHONE", "spelled_phone", spelled_phone(arg or "en"))
    if slot == "CARD":
        return P("CARD", "card", card_number(arg))
    if slot == "IBAN":
        return P("IBAN", "iban", iban(arg))
    if slot == "ACCT":
        return P("ACCOUNT", "account", account_number(arg))
    if slot == "SORT":
        return P("ACCOUNT", "account", sort_code())
    if slot == "ROUT":
        return P("ACCOUNT", "account", aba_routing())
    if slot == "BSB":
        return P("ACCOUNT", "account", bsb())
    if slot == "BLZ":
        return P("ACCOUNT", "account", blz())
    if slot == "ADDR":
        cls = {"us": "address_us", "uk": "address_uk"}.get(arg, "address_eu")
        return P("ADDRESS", cls, take_address(arg))
    if slot == "HAN":
        return P("HANDLE", "handle", handle(f.split()[0], l, rng.choice(ctx.nicks) if ctx.nicks else None)
                 if rng.random() < 0.7 else
                 handle(*(pick_third_party(ctx).split() + ["eats"])[:2]))
    if slot in KEEP:
        v = rng.choice([x for x in KEEP[slot] if x not in ctx.used_keep])
        ctx.used_keep.add(v)
        return K(v)
    pron = {"she": ("she", "he"), "her": ("her", "his"), "him": ("her", "him"),
            "She": ("She", "He"), "Her": ("Her", "His")}
    if slot in pron:
        return T(pron[slot][0 if ctx.gender == "f" else 1])
    raise KeyError(slot)


TOKEN = re.compile(r"\{([A-Za-z_!]+)(?::([a-z_]+))?\}|\[\[(.+?)\]\]")


def render(template, guest):
    ctx = Ctx(guest)
    parts = []
    pos = 0
    for m in TOKEN.finditer(template):
        parts += T(template[pos:m.start()])
        if m.group(3) is not None:
            parts += K(m.group(3))
        elif not m.group(1).startswith("!"):
            parts += fill(m.group(1), m.group(2), ctx)
        pos = m.end()
    parts += T(template[pos:])
    text = "".join(p for p, _ in parts)
    pii, keep = [], []
    for value, label in parts:
        if label is None:
            continue
        if label[0] == "keep":
            if value not in keep:
                keep.append(value)
        else:
            item = {"kind": label[1], "value": value, "class": label[2]}
            if item not in pii:
                pii.append(item)
    return {"text": text, "names": [ctx.full], "pii": pii, "keep": keep}


def consistent(note):
    text = note["text"]
    for p in note["pii"]:
        assert p["value"] and p["value"] in text, (p, text)
    for k in note["keep"]:
        assert k and k in text, (k, text)
        if text.count(k) != 1:  # "moved from 7pm to 7pm", "3x Pavlova, 1x Pavlova"
            return False
    for p in note["pii"]:
        for k in note["keep"]:
            # a value inside a keep label (or the reverse) could not be both replaced and kept
            if p["value"].lower() in k.lower() or k.lower() in p["value"].lower():
                return False
    return True


def guests_for(template):
    g = GUESTS
    if NK_RE.search(template):
        g = [x for x in g if x[3]]
    if template.startswith("{!f}"):
        g = [x for x in g if x[2] == "f"]
    if template.startswith("{!m}"):
        g = [x for x in g if x[2] == "m"]
    return g


def generate():
    notes = []
    jobs = [(t, True) for t, n in PII_TEMPLATES for _ in range(n)]
    jobs += [(t, False) for t, n in CLEAN_TEMPLATES for _ in range(n)]
    seen = set()
    for template, has_pii in jobs:
        for _ in range(100):
            note = render(template, rng.choice(guests_for(template)))
            if consistent(note) and note["text"] not in seen:
                seen.add(note["text"])
                break
        else:
            raise AssertionError(f"could not render consistently: {template}")
        assert bool(note["pii"]) == has_pii, template
        notes.append(note)
    rng.shuffle(notes)
    return notes


def main():
    notes = generate()
    texts = [n["text"] for n in notes]
    assert len(set(texts)) == len(texts), "duplicate note text"
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as fh:
        for n in notes:
            fh.write(json.dumps(n, ensure_ascii=False) + "\n")

    for n in notes:
        for p in n["pii"]:
            if p["kind"] == "CARD":
                assert luhn_ok(p["value"]), p
            if p["kind"] == "IBAN":
                assert iban_ok(p["value"]), p
            if p["kind"] == "ACCOUNT":
                at = n["text"].index(p["value"])
                if "routing" in n["text"][max(0, at - 12):at].lower():
                    d = [int(c) for c in p["value"]]
                    assert len(d) == 9 and (3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7])
                                            + d[2] + d[5] + d[8]) % 10 == 0, p
            assert p["value"] in n["text"]
        for k in n["keep"]:
            assert k in n["text"]

    kinds = Counter(p["kind"] for n in notes for p in n["pii"])
    classes = Counter(p["class"] for n in notes for p in n["pii"])
    print(f"notes: {len(notes)}")
    print(f"clean notes (no pii): {sum(1 for n in notes if not n['pii'])}")
    print(f"keep labels: {sum(len(n['keep']) for n in notes)}")
    print("pii per kind:")
    for k, c in sorted(kinds.items()):
        print(f"  {k:10} {c}")
    print("pii per class:")
    for k, c in sorted(classes.items()):
        print(f"  {k:24} {c}")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
