"""States and international organisations recognised by the names instruments print.

States come from ISO 3166-1 as pycountry ships it (Debian's iso-codes): every English
form ISO gives (short name, official name, common name, the inverted "Korea, Republic
of" turned around, its head "Iran" and its UN-style "Iran (Islamic Republic of)") plus
the forms instruments print that ISO lacks ("U.S.", "UK", "Russia", "Turkey", "Burma").
Only the 193 UN member states and the two observer states (the Holy See, Palestine) are
states here: ISO also codes territories (Hong Kong, Puerto Rico, Greenland, Taiwan,
Western Sahara, ...), and typing one of those a State would be a wrong fact, so their
names are unknown and the caller mints them with a warning.

A state is labelled by one rule, the style of the UN's and other treaty records: its ISO
short name ("Germany", "United Kingdom", "Russian Federation", "Viet Nam"), with an
inverted name turned around ("Republic of Korea", "Islamic Republic of Iran",
"Democratic Republic of the Congo") and a parenthesis dropped ("Holy See"); where that
name is shared, the official name ("Republic of the Congo").

A name that two parties' forms share denotes neither: "Korea" (North or South) and
"Congo" (ISO's short name of the Republic of the Congo, but also the head of "Congo, The
Democratic Republic of the") are None. "Great Britain" and "Britain" are the United
Kingdom: printed as a party, they can only mean the state. "State of" and "Kingdom of"
belong to a name only where the official name has them ("the State of Israel", "the
Kingdom of the Netherlands"); they are not stripped, since "the State of Mexico" is a
Mexican state. Acronyms match only in capitals, dots optional ("US", "U.S."): "us",
"who" and "un" are words. The G7, the G20 and APEC are fora, not organisations, and are
not in the table; EU institutions are organisations of their own, not the EU.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pycountry
from pycountry.db import Country

from accordkg.extraction.lexicon import (
    ENDS_IN_INITIALS,
    LIST_ENTRY_MARKER,
)


@dataclass(frozen=True)
class KnownParty:
    """A state (ISO 3166-1) or an international organisation recognised by name."""

    kind: str  # "state" | "organization"
    key: str  # ISO alpha-3 for states ("KOR"); a short stable key for organisations ("EU")
    name: str  # the English label (the rule is in the module's docstring)
    alpha2: str | None  # states only
    alpha3: str | None
    numeric: str | None


# UN member states (193) and observer states (VAT, PSE), by ISO 3166-1 alpha-3.
# fmt: off
STATE_CODES = frozenset({
    "AFG", "AGO", "ALB", "AND", "ARE", "ARG", "ARM", "ATG", "AUS", "AUT",
    "AZE", "BDI", "BEL", "BEN", "BFA", "BGD", "BGR", "BHR", "BHS", "BIH", "BLR", "BLZ",
    "BOL", "BRA", "BRB", "BRN", "BTN", "BWA", "CAF", "CAN", "CHE", "CHL", "CHN", "CIV",
    "CMR", "COD", "COG", "COL", "COM", "CPV", "CRI", "CUB", "CYP", "CZE", "DEU", "DJI",
    "DMA", "DNK", "DOM", "DZA", "ECU", "EGY", "ERI", "ESP", "EST", "ETH", "FIN", "FJI",
    "FRA", "FSM", "GAB", "GBR", "GEO", "GHA", "GIN", "GMB", "GNB", "GNQ", "GRC", "GRD",
    "GTM", "GUY", "HND", "HRV", "HTI", "HUN", "IDN", "IND", "IRL", "IRN", "IRQ", "ISL",
    "ISR", "ITA", "JAM", "JOR", "JPN", "KAZ", "KEN", "KGZ", "KHM", "KIR", "KNA", "KOR",
    "KWT", "LAO", "LBN", "LBR", "LBY", "LCA", "LIE", "LKA", "LSO", "LTU", "LUX", "LVA",
    "MAR", "MCO", "MDA", "MDG", "MDV", "MEX", "MHL", "MKD", "MLI", "MLT", "MMR", "MNE",
    "MNG", "MOZ", "MRT", "MUS", "MWI", "MYS", "NAM", "NER", "NGA", "NIC", "NLD", "NOR",
    "NPL", "NRU", "NZL", "OMN", "PAK", "PAN", "PER", "PHL", "PLW", "PNG", "POL", "PRK",
    "PRT", "PRY", "PSE", "QAT", "ROU", "RUS", "RWA", "SAU", "SDN", "SEN", "SGP", "SLB",
    "SLE", "SLV", "SMR", "SOM", "SRB", "SSD", "STP", "SUR", "SVK", "SVN", "SWE", "SWZ",
    "SYC", "SYR", "TCD", "TGO", "THA", "TJK", "TKM", "TLS", "TON", "TTO", "TUN", "TUR",
    "TUV", "TZA", "UGA", "UKR", "URY", "USA", "UZB", "VAT", "VCT", "VEN", "VNM", "VUT",
    "WSM", "YEM", "ZAF", "ZMB", "ZWE",
})
# fmt: on

# Forms instruments print that ISO does not give: (alpha-3, names, acronyms).
STATE_ALIASES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("ARE", (), ("UAE",)),
    ("AUS", ("Commonwealth of Australia",), ()),
    ("BRN", ("Brunei",), ()),
    ("CHN", (), ("PRC",)),
    ("CIV", ("Ivory Coast",), ()),
    ("COD", ("DR Congo",), ("DRC",)),
    ("CPV", ("Cape Verde",), ()),
    ("GBR", ("Great Britain", "Britain"), ("UK",)),
    ("IRL", ("Republic of Ireland",), ()),
    ("KOR", (), ("ROK",)),
    ("LAO", ("Lao PDR",), ()),
    ("MMR", ("Burma",), ()),
    ("PRK", (), ("DPRK",)),
    ("RUS", ("Russia",), ()),
    ("SWZ", ("Swaziland",), ()),
    ("TLS", ("East Timor",), ()),
    ("TUR", ("Turkey", "Republic of Turkey"), ()),
    ("USA", (), ("US", "USA")),
    ("VAT", ("Vatican City State",), ()),
    ("VNM", ("Vietnam", "Socialist Republic of Vietnam"), ()),
)

# International organisations: key, label, other names, acronyms.
ORGANIZATIONS: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("AU", "African Union", (), ("AU",)),
    ("ASEAN", "Association of Southeast Asian Nations", (), ("ASEAN",)),
    ("CERN", "European Organization for Nuclear Research", (), ("CERN",)),
    ("COE", "Council of Europe", (), ()),
    # An institution of the EU, not the EU; "EC" is not read: it also meant the Communities.
    ("EC", "European Commission", (), ()),
    ("ESA", "European Space Agency", (), ("ESA",)),
    ("EU", "European Union", (), ("EU",)),
    (
        "GPAI",
        "Global Partnership on Artificial Intelligence",
        ("Global Partnership on AI",),
        ("GPAI",),
    ),
    ("ILO", "International Labour Organization", (), ("ILO",)),
    ("IMF", "International Monetary Fund", (), ("IMF",)),
    (
        "ITU",
        "International Telecommunication Union",
        ("International Telecommunications Union",),
        ("ITU",),
    ),
    ("NATO", "North Atlantic Treaty Organization", (), ("NATO",)),
    ("OAS", "Organization of American States", (), ("OAS",)),
    ("OECD", "Organisation for Economic Co-operation and Development", (), ("OECD",)),
    ("UN", "United Nations", (), ("UN",)),
    (
        "UNESCO",
        "United Nations Educational, Scientific and Cultural Organization",
        (),
        ("UNESCO",),
    ),
    ("WB", "World Bank", (), ()),
    ("WHO", "World Health Organization", (), ("WHO",)),
    ("WIPO", "World Intellectual Property Organization", (), ("WIPO",)),
    ("WTO", "World Trade Organization", (), ("WTO",)),
)

DELETED = re.compile(r"[.'\u2018\u2019\u02bc`]")
NOT_ALPHANUMERIC = re.compile(r"[^0-9A-Za-z]+")
# "the", "(The) Government of (the)", "His Majesty's Government in", "the UK Government".
LEADING = re.compile(
    r"^(?:the )?(?:(?:federal |royal |(?:his|her) majestys )?government (?:of|in) )?(?:the )?",
    re.IGNORECASE,
)
TRAILING = re.compile(r" government$", re.IGNORECASE)
# Spellings that name the same thing: British and American, "St" for "Saint".
SPELLINGS = (
    (re.compile(r"\borganisation\b"), "organization"),
    (re.compile(r"\blabour\b"), "labor"),
    (re.compile(r"\bco operation\b"), "cooperation"),
    (re.compile(r"\bsouth east\b"), "southeast"),
    (re.compile(r"\bst\b"), "saint"),
)


def _core(name: str) -> str:
    """A name without accents, punctuation, leading "the" or "Government of", case kept."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = DELETED.sub("", plain.replace("&", " and "))
    plain = NOT_ALPHANUMERIC.sub(" ", plain).strip()
    return TRAILING.sub("", LEADING.sub("", plain))


def _name_key(core: str) -> str:
    key = core.lower()
    for spelling, common in SPELLINGS:
        key = spelling.sub(common, key)
    return key


def _turned_around(name: str) -> str:
    """ISO's inverted "Congo, The Democratic Republic of the" as it is said."""
    head, _, qualifier = name.partition(", ")
    if not qualifier:
        return name
    return re.sub(r"^the ", "", f"{qualifier} {head}", flags=re.IGNORECASE)


def _without_parenthesis(name: str) -> str:
    return re.sub(r"\s*\(.*\)", "", name)


def _iso_names(country: Country) -> list[str]:
    return [
        getattr(country, field)
        for field in ("name", "official_name", "common_name")
        if hasattr(country, field)
    ]


def _state_forms(country: Country) -> set[str]:
    """ISO's names of a state as they are printed: as given, turned around, shortened."""
    forms: set[str] = set()
    for name in _iso_names(country):
        forms |= {name, _turned_around(name), _without_parenthesis(name)}
        forms.add(name.partition(", ")[0])
    return forms


def _state_label(country: Country, shared: set[str]) -> str:
    """The short name turned around; the official name where the short one is shared."""
    label = _without_parenthesis(_turned_around(country.name))
    if _name_key(_core(label)) in shared and hasattr(country, "official_name"):
        return _turned_around(country.official_name)
    return label


def _build() -> tuple[tuple[KnownParty, ...], dict[str, KnownParty], dict[str, KnownParty]]:
    """Every party and two indexes: names (case ignored) and acronyms (capitals)."""
    countries: list[Country] = []
    for code in sorted(STATE_CODES):
        country = pycountry.countries.get(alpha_3=code)
        if country is None:
            raise RuntimeError(f"ISO 3166-1 has no country {code}")
        countries.append(country)
    aliases = {code: (names, acronyms) for code, names, acronyms in STATE_ALIASES}
    names_of: dict[str, set[str]] = {}
    acronyms_of: dict[str, tuple[str, ...]] = {}
    for country in countries:
        extra_names, acronyms_of[country.alpha_3] = aliases.get(country.alpha_3, ((), ()))
        names_of[country.alpha_3] = _state_forms(country) | set(extra_names)
    for key, label, other_names, acronyms in ORGANIZATIONS:
        if key in names_of:
            raise RuntimeError(f"organisation key {key} is taken")
        names_of[key] = {label, *other_names}
        acronyms_of[key] = acronyms
    keys_of: dict[str, set[str]] = {}
    for key, forms in names_of.items():
        for name in forms:
            keys_of.setdefault(_name_key(_core(name)), set()).add(key)
    shared = {name for name, keys in keys_of.items() if len(keys) > 1}
    parties = [
        *(
            KnownParty(
                "state",
                country.alpha_3,
                _state_label(country, shared),
                country.alpha_2,
                country.alpha_3,
                country.numeric,
            )
            for country in countries
        ),
        *(
            KnownParty("organization", key, label, None, None, None)
            for key, label, *_ in ORGANIZATIONS
        ),
    ]
    by_key = {party.key: party for party in parties}
    by_name = {name: by_key[next(iter(keys))] for name, keys in keys_of.items() if len(keys) == 1}
    by_acronym = {
        _core(acronym): by_key[key] for key, acronyms in acronyms_of.items() for acronym in acronyms
    }
    return tuple(parties), by_name, by_acronym


KNOWN_PARTIES, _BY_NAME, _BY_ACRONYM = _build()


@lru_cache(maxsize=8192)  # signature blocks ask for the same lines again and again
def find_party(name: str) -> KnownParty | None:
    """The state or organisation a whole printed party name denotes, or None."""
    core = _core(name)
    letters = core.split()
    acronym = "".join(letters) if all(len(letter) == 1 for letter in letters) else core
    if acronym in _BY_ACRONYM:
        return _BY_ACRONYM[acronym]
    return _BY_NAME.get(_name_key(core))


# Separators between the names of a list; "and" is weak: it splits only where a name ends.
SEPARATOR = re.compile(
    r"(?P<strong>\s*(?:[,;]|\n|\bas\s+well\s+as\b)\s*(?:(?:and|as\s+well\s+as)\s+)?)"
    r"|(?P<weak>\s+(?:and|&)\s+)",
    re.IGNORECASE,
)
REFERS_BACK = re.compile(r"(?:its|their)\s", re.IGNORECASE)
OPENING, CLOSING = "([\u201c", ")]\u201d"
LONGEST_NAME = 4  # pieces a known name spans at most ("United Nations Educational, ...")
LONGEST_PREFIX = 8  # words a known name at the head of a piece spans at most


def split_party_list(text: str) -> list[tuple[int, int]]:
    """Spans of the names in a printed list of parties ("Australia, Brazil, Canada, …, the
    United States of America and the European Union").

    A separator inside a known name keeps it whole ("Bosnia and Herzegovina", "Korea,
    Republic of"); an "and" splits only where a known name ends or the next begins (also
    with "the"), so "UK Research and Innovation" stays whole.
    """
    pieces, strong = _pieces(text)
    units: list[tuple[int, int]] = []
    index = 0
    while index < len(pieces):
        last = _known_end(text, pieces, index)
        if (
            last == index
            and units
            and not strong[index - 1]
            and _continues(text, units[-1], pieces[index])
        ):
            units[-1] = (units[-1][0], pieces[index][1])
        else:
            units.append((pieces[index][0], pieces[last][1]))
        index = last + 1
    return units


def _known_end(text: str, pieces: list[tuple[int, int]], first: int) -> int:
    """The last piece of the longest known name that starts at `first`, or `first`."""
    for last in range(min(first + LONGEST_NAME, len(pieces)) - 1, first, -1):
        if find_party(text[pieces[first][0] : pieces[last][1]]) is not None:
            return last
    return first


def _continues(text: str, left: tuple[int, int], right: tuple[int, int]) -> bool:
    """Whether "left and right" is one name: right refers back ("the European Union and its
    Member States"), or neither is known and right starts no name."""
    right_text = text[right[0] : right[1]]
    if REFERS_BACK.match(right_text):
        return True
    if find_party(text[left[0] : left[1]]) or re.match(r"the\s", right_text, re.IGNORECASE):
        return False
    words = [m.end() for m in re.finditer(r"\S+", right_text)][:LONGEST_PREFIX]
    return not any(find_party(right_text[:end]) for end in words)


def _pieces(text: str) -> tuple[list[tuple[int, int]], list[bool]]:
    """The text between separators, trimmed, and whether each gap after one is strong."""
    protected = _protected(text)
    pieces: list[tuple[int, int]] = []
    strong: list[bool] = []
    start = 0
    gap_strong = False
    for match in SEPARATOR.finditer(text):
        if any(protected[match.start() : match.end()]):
            continue
        piece = _trim(text, start, match.start())
        if piece is not None:
            if pieces:
                strong.append(gap_strong)
            pieces.append(piece)
            gap_strong = False
        gap_strong = gap_strong or match.group("strong") is not None or "\n" in match.group()
        start = match.end()
    piece = _trim(text, start, len(text))
    if piece is not None:
        if pieces:
            strong.append(gap_strong)
        pieces.append(piece)
    return pieces, strong


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A piece without whitespace, bullet or closing full stop; None if nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    bullet = LIST_ENTRY_MARKER.match(text, start, end)
    if bullet:
        start = bullet.end()
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start and text[end - 1] == "." and not ENDS_IN_INITIALS.search(text, start, end):
        end -= 1
    return (start, end) if end > start else None


def _protected(text: str) -> list[bool]:
    """Which characters lie inside parentheses, brackets or quotation marks."""
    depth = 0
    quoted = False
    inside: list[bool] = []
    for char in text:
        if char == '"':
            quoted = not quoted
        elif char in OPENING:
            depth += 1
        elif char in CLOSING:
            depth = max(depth - 1, 0)
        inside.append(quoted or depth > 0)
    return inside
