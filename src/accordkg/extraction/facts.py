"""Stage 3: read the facts out of an instrument's segments.

Facts are still text (names as printed, with the `Text` they came from); the RDF stage
links them to entities and mints IRIs. What cannot be read is reported as a warning
naming the part; a text without a recognisable title or parties is an InputError.
"""

import re
from dataclasses import dataclass

from rdflib import Literal

from accordkg.errors import InputError
from accordkg.extraction.dates import find_date, find_day_in_year
from accordkg.extraction.segment import (
    HONORIFIC,
    ITEM_MARKER,
    OFFICE_WORDS,
    ORGANIZATION_WORDS,
    Segments,
    SignatureBlock,
)
from accordkg.extraction.text import Text

FORMS = [
    ("MemorandumOfUnderstanding", re.compile(r"\bMemorand(um|a) of Understanding\b", re.I)),
    ("JointStatement", re.compile(r"\b(Joint )?Statement\b", re.I)),
    ("Declaration", re.compile(r"\b(Joint )?Declaration\b", re.I)),
    ("Agreement", re.compile(r"\b(Agreement|Treaty|Convention|Protocol)\b", re.I)),
]
TITLE_PARTIES = re.compile(
    r"\b(?:Declaration|Statement|Understanding|Agreement|Treaty|Convention|Protocol)\s+"
    r"(?:of|by|between|among|from)\s+(?P<parties>.+?)\s+"
    r"(?:on|concerning|regarding|for|to|in|relating)\s"
)
PARTY_SEPARATORS = re.compile(r",\s*(?:and\s+)?(?=the\s)|\s+and\s+(?=the\s)|;\s*")
PLAIN_PARTY_SEPARATORS = re.compile(r",\s*(?:and\s+)?|\s+and\s+")
MODALITIES = [
    ("obligation", re.compile(r"\b(shall|must|are obliged to)\b", re.I)),
    ("intention", re.compile(r"\b(intends?|intention|plans? to)\b", re.I)),
    (
        "endeavour",
        re.compile(r"\b((will\s+)?(endeavou?rs?|seeks? to|strives? to|aims? to))\b", re.I),
    ),
    (
        "undertaking",
        re.compile(r"\b(will|commits?|committed to|undertakes?|agrees? to|decided?s? to)\b", re.I),
    ),
    ("recommendation", re.compile(r"\b(should|encourages?|recommends?)\b", re.I)),
    ("permission", re.compile(r"\bmay\b")),
]
NOT_BINDING = re.compile(
    r"\b(not\s+(legally\s+)?binding|non-binding|not\s+create\s+(any\s+)?(legally\s+binding|legal)|"
    r"not\s+intended\s+to\s+create\s+(any\s+)?legal|no\s+legally\s+binding)\b",
    re.I,
)
LEGALLY_BINDING = re.compile(r"\b(legally binding|shall enter into force)\b", re.I)
BINDING_MODALITIES = frozenset({"obligation"})
MECHANISM = re.compile(
    r"\bestablish(?:es|ing)?\s+(?:a|an|the)\s+(?P<name>[\w\s\-\u2013]*?\b(?:dialogue|working group|"
    r"committee|commission|council|forum|programme|program|network|centre|center|task force|"
    r"mechanism|secretariat|board|panel|fund|initiative|consortium|platform|partnership))\b",
    re.I,
)
REFERENCE_FORM = re.compile(
    r"\b(Memorand(?:um|a) of Understanding|Joint Statement|Joint Declaration|Declaration|"
    r"Agreement|Treaty|Convention|Protocol|Arrangement|Charter|Accord|Statement of Intent)\b"
)
NAME_TAIL_START = frozenset({"between", "on", "of", "for", "concerning", "regarding", "among"})
CONNECTORS = frozenset({"the", "and", "of", "on", "for", "in", "between", "among", "to"})
SELF_REFERENCE = re.compile(r"\b(this|the present|these|that)\s+$", re.I)
BUILDS_ON = re.compile(
    r"\b(building\s+(up)?on|pursuant\s+to|further\s+to|in\s+accordance\s+with|"
    r"in\s+implementation\s+of|implementing|based\s+on|under)\s+(the\s+)?$",
    re.I,
)
DATED = re.compile(r"^,?\s+(?:(?:signed|done|concluded|adopted|dated)\s+(?:in\s+|on\s+)?|of\s+)")
PLACES = re.compile(r"\b(?:at|in)\s+(?P<places>[A-Z][^,]*?(?:,\s*[A-Z][^,]*?)*?),?\s+(?:on|this)\b")
ORIGINALS = re.compile(
    r"\bin\s+(?P<count>\w+)\s+originals?\b|\bin\s+(?P<plicate>\w+plicate)\b", re.I
)
LANGUAGES = re.compile(
    r"\bin\s+the\s+(?P<names>[A-Z]\w+(?:(?:,\s*|,?\s+and\s+)[A-Z]\w+)*)\s+languages?\b"
)
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "duplicate": 2, "triplicate": 3, "quadruplicate": 4,
}  # fmt: skip
LANGUAGE_CODES = {
    "arabic": "ar", "chinese": "zh", "danish": "da", "dutch": "nl", "english": "en",
    "finnish": "fi", "french": "fr", "german": "de", "greek": "el", "hebrew": "he",
    "hindi": "hi", "indonesian": "id", "italian": "it", "japanese": "ja", "korean": "ko",
    "norwegian": "no", "polish": "pl", "portuguese": "pt", "russian": "ru", "spanish": "es",
    "swedish": "sv", "thai": "th", "turkish": "tr", "ukrainian": "uk", "vietnamese": "vi",
}  # fmt: skip
EVENT = re.compile(
    r"\b(?:during|at|on the occasion of)\s+the\s+(?P<event>.+?)\.?$",
)
ABBREVIATION = re.compile(r"^(?:[A-Z]\.)+[,;:)]?$")
SMALL_WORDS = frozenset({"of", "and", "the", "for", "in", "on", "to", "a", "an"})


@dataclass(frozen=True)
class Reference:
    """Another instrument named in a provision, and how the naming instrument relates to it."""

    name: str
    form: str | None
    date: Literal | None
    builds_on: bool


@dataclass(frozen=True)
class Provision:
    """A recital or commitment, in document order within its kind."""

    position: int
    text: str
    source: Text
    opening_word: str | None = None
    modality: str | None = None
    mechanism: str | None = None
    references: tuple[Reference, ...] = ()


@dataclass(frozen=True)
class Clause:
    """The operative lead-in or the signing clause: text, source and what it names."""

    text: str
    source: Text
    references: tuple[Reference, ...] = ()


@dataclass(frozen=True)
class Signing:
    """What the signing clause states."""

    clause: Clause
    date: Literal | None
    places: tuple[str, ...]
    originals: int | None
    languages: tuple[str, ...]


@dataclass(frozen=True)
class Signatory:
    """One signature: who signed, for whom, in which office, as printed."""

    party: str
    name: str
    honorific: str | None
    post_nominals: str | None
    office: str | None
    organization: str | None
    source: Text


@dataclass(frozen=True)
class ReleaseFacts:
    """How the page says the instrument was released."""

    release_type: str | None
    issuer: str | None
    date: Literal | None
    event: str | None
    event_date: Literal | None


@dataclass(frozen=True)
class InstrumentFacts:
    """Everything read from one instrument's text."""

    form: str
    title: str
    subtitle: str | None
    title_source: Text
    parties: tuple[str, ...]
    legal_force: str | None
    legal_force_source: Text | None
    recitals: tuple[Provision, ...]
    lead_in: Clause | None
    commitments: tuple[Provision, ...]
    signing: Signing | None
    signatories: tuple[Signatory, ...]
    release: ReleaseFacts
    warnings: tuple[str, ...]


def extract(segments: Segments, name: str) -> InstrumentFacts:
    """Read the facts of one instrument; `name` names the document in messages."""
    if segments.title is None:
        raise InputError(f"{name}: no recognisable title")
    warnings = list(segments.warnings)
    title = segments.title.value
    form = _form(title, segments.preface)
    if form is None:
        warnings.append("title: no instrument form (declaration, statement, ...) recognised")
    parties = _parties(title, segments.signature_blocks)
    if not parties:
        raise InputError(f"{name}: no recognisable parties in the title or signature blocks")
    recitals = tuple(
        Provision(
            position,
            text.value,
            text,
            opening_word=text.value.split()[0].strip(","),
            references=_references(text.value),
        )
        for position, text in enumerate(segments.recitals, start=1)
    )
    lead_in_modality = _modality(segments.lead_in.value) if segments.lead_in else None
    commitments = _commitments(segments, lead_in_modality, warnings)
    legal_force, legal_force_source = _legal_force(segments, commitments)
    signing = _signing(segments.signing_clause) if segments.signing_clause else None
    for part, missing in [
        ("preamble", not recitals),
        ("operative part", not commitments),
        ("signing clause", signing is None),
        ("signature blocks", not segments.signature_blocks),
    ]:
        if missing:
            warnings.append(f"{part}: none found")
    if signing is not None and signing.date is None:
        warnings.append(f"signing clause: no date found in {signing.clause.text!r}")
    subtitle = title.split(": ", 1)[1] if ": " in title else None
    return InstrumentFacts(
        form=form or "Instrument",
        title=title,
        subtitle=subtitle,
        title_source=segments.title,
        parties=parties,
        legal_force=legal_force,
        legal_force_source=legal_force_source,
        recitals=recitals,
        lead_in=_clause(segments.lead_in) if segments.lead_in else None,
        commitments=commitments,
        signing=signing,
        signatories=tuple(_signatories(segments.signature_blocks, warnings)),
        release=_release(segments),
        warnings=tuple(warnings),
    )


def _form(title: str, preface: Text | None) -> str | None:
    for text in (title, preface.value if preface else ""):
        found = [(m.start(), form) for form, p in FORMS if (m := p.search(text))]
        if found:
            return min(found)[1]
    return None


def _parties(title: str, blocks: tuple[SignatureBlock, ...]) -> tuple[str, ...]:
    """Party names as printed: from the title, then any signature block adds."""
    names: list[str] = []
    match = TITLE_PARTIES.search(title.split(": ", 1)[0] + " ")
    if match:
        phrase = match["parties"]
        separators = PARTY_SEPARATORS if PARTY_SEPARATORS.search(phrase) else PLAIN_PARTY_SEPARATORS
        names.extend(part.strip() for part in separators.split(phrase) if part.strip())
    names.extend(block.party.value for block in blocks)
    return tuple(dict.fromkeys(names))


def _modality(text: str) -> str | None:
    """The first modal phrase in `text` decides its modality; where two start at the same
    word ("will endeavour"), the one listed first in MODALITIES."""
    found = [
        (m.start(), rank, name)
        for rank, (name, p) in enumerate(MODALITIES)
        if (m := p.search(text))
    ]
    return min(found)[2] if found else None


def _commitments(
    segments: Segments, lead_in_modality: str | None, warnings: list[str]
) -> tuple[Provision, ...]:
    commitments: list[Provision] = []
    for number, item in enumerate(segments.items, start=1):
        modality = lead_in_modality or _modality(item.value)
        if modality is None:
            warnings.append(f"operative item {number}: no modal verb, not a commitment")
            continue
        commitments.append(_provision(len(commitments) + 1, item, modality))
    for paragraph in segments.closing:
        modality = _modality(paragraph.value)
        if NOT_BINDING.search(paragraph.value):
            continue
        if modality is None:
            warnings.append(f"closing paragraph not understood: {paragraph.value[:60]!r}")
            continue
        commitments.append(_provision(len(commitments) + 1, paragraph, modality))
    return tuple(commitments)


def _provision(position: int, text: Text, modality: str) -> Provision:
    cleaned = ITEM_MARKER.sub("", text.value)
    mechanism = MECHANISM.search(cleaned)
    return Provision(
        position,
        cleaned,
        text,
        modality=modality,
        mechanism=mechanism["name"].strip() if mechanism else None,
        references=_references(cleaned),
    )


def _clause(text: Text) -> Clause:
    return Clause(text.value, text, _references(text.value))


def _legal_force(
    segments: Segments, commitments: tuple[Provision, ...]
) -> tuple[str | None, Text | None]:
    """Binding or not, and the words that say so: an explicit statement first, else the
    modal verb of the operative part."""
    for paragraph in (*segments.closing, *([segments.lead_in] if segments.lead_in else [])):
        match = NOT_BINDING.search(paragraph.value)
        if match:
            return "nonBinding", paragraph
        match = LEGALLY_BINDING.search(paragraph.value)
        if match:
            return "binding", paragraph.group(match)
    if not commitments:
        return None, None
    first = segments.lead_in if segments.lead_in else commitments[0].source
    pattern = dict(MODALITIES)[commitments[0].modality or ""]
    match = pattern.search(first.value)
    evidence = first.group(match) if match else first
    binding = any(c.modality in BINDING_MODALITIES for c in commitments)
    return ("binding" if binding else "nonBinding"), evidence


def _references(text: str) -> tuple[Reference, ...]:
    """Other instruments named by title: capitalised words around a form word, e.g. "the
    US-UK Science and Technology Agreement" or "the Memorandum of Understanding between
    A and B on C"."""
    references: list[Reference] = []
    for match in REFERENCE_FORM.finditer(text):
        before = text[: match.start()]
        if SELF_REFERENCE.search(before):
            continue
        prefix = _capitalised_run_before(before)
        tail = _name_tail(text[match.end() :])
        if not prefix and not tail:
            continue
        name = " ".join(part for part in (prefix, match[0], tail) if part)
        name_start = match.start() - len(prefix) - (1 if prefix else 0)
        after = text[match.end() + len(tail) + (1 if tail else 0) :]
        dated = DATED.match(after)
        date = find_date(after[dated.end() :][:40], partial=True) if dated else None
        references.append(
            Reference(
                name=name,
                form=_form(match[0], None),
                date=date.literal if date and date.start == 0 else None,
                builds_on=bool(BUILDS_ON.search(text[:name_start])),
            )
        )
    return tuple(references)


def _capitalised_run_before(text: str) -> str:
    words = text.split()
    run: list[str] = []
    while words:
        word = words[-1]
        if (word[:1].isupper() and word.lower() not in {"the", "this"}) or (
            word in {"and", "of", "on", "for"} and run
        ):
            run.insert(0, words.pop())
        else:
            break
    while run and run[0].lower() in CONNECTORS:
        run.pop(0)
    return " ".join(run)


def _name_tail(text: str) -> str:
    words = re.split(r"(\s+)", text.lstrip())
    tokens = [w for w in words if w.strip()]
    if not tokens or tokens[0] not in NAME_TAIL_START:
        return ""
    taken: list[str] = []
    for token in tokens:
        bare = token.rstrip(",;:)(") if ABBREVIATION.match(token) else token.rstrip(",;:)(.")
        if not (bare[:1].isupper() or bare in CONNECTORS):
            break
        taken.append(bare)
        if bare != token:
            break
    while taken and taken[-1] in CONNECTORS:
        taken.pop()
    return " ".join(taken) if len(taken) > 1 else ""


def _signing(clause: Text) -> Signing:
    text = clause.value
    date = find_date(text)
    places = PLACES.search(text)
    originals = ORIGINALS.search(text)
    languages = LANGUAGES.search(text)
    count = (originals["count"] or originals["plicate"]).lower() if originals else None
    return Signing(
        clause=_clause(clause),
        date=date.literal if date else None,
        places=tuple(p for p in PLAIN_PARTY_SEPARATORS.split(places["places"]) if p)
        if places
        else (),
        originals=int(count) if count and count.isdigit() else NUMBER_WORDS.get(count or ""),
        languages=tuple(
            LANGUAGE_CODES[n.lower()]
            for n in PLAIN_PARTY_SEPARATORS.split(languages["names"])
            if n.lower() in LANGUAGE_CODES
        )
        if languages
        else (),
    )


def _signatories(blocks: tuple[SignatureBlock, ...], warnings: list[str]) -> list[Signatory]:
    signatories = []
    for block in blocks:
        for index, lines in enumerate(block.signers):
            first = lines[0].value
            honorific = HONORIFIC.match(first)
            name_part = first[honorific.end() :] if honorific else first
            name, _, post_nominals = (part.strip() for part in name_part.partition(","))
            office, organization = _office_and_organization([line.value for line in lines[1:]])
            if len(lines) > 3:
                warnings.append(f"signature of {name}: extra lines {[x.value for x in lines[3:]]}")
            # The first signatory's evidence starts at the "For <party>:" line.
            source = Text.join([block.header, *lines] if index == 0 else list(lines), "\n")
            signatories.append(
                Signatory(
                    party=block.party.value,
                    name=name,
                    honorific=honorific[0].strip() if honorific else None,
                    post_nominals=post_nominals or None,
                    office=office,
                    organization=organization,
                    source=source,
                )
            )
        if not block.signers:
            warnings.append(f"signature block for {block.party.value}: no signatory")
    return signatories


def _office_and_organization(lines: list[str]) -> tuple[str | None, str | None]:
    if not lines:
        return None, None
    if (
        len(lines) == 1
        and ORGANIZATION_WORDS.search(lines[0])
        and not OFFICE_WORDS.search(lines[0])
    ):
        return None, lines[0]
    return lines[0], (lines[1] if len(lines) > 1 else None)


def _release(segments: Segments) -> ReleaseFacts:
    release = segments.release
    date = find_date(release.date.value) if release.date else None
    event = EVENT.search(segments.preface.value) if segments.preface else None
    event_name = event["event"] if event else None
    event_date = None
    if event_name and date is not None:
        day = find_day_in_year(event_name, int(str(date.literal)[:4]))
        if day is not None and day.start == 0:
            event_date = day.literal
            event_name = event_name[day.end :].strip()
    return ReleaseFacts(
        release_type=_title_case(release.release_type.value) if release.release_type else None,
        issuer=_title_case(release.issuer.value) if release.issuer else None,
        date=date.literal if date else None,
        event=event_name[:1].upper() + event_name[1:] if event_name else None,
        event_date=event_date,
    )


def _title_case(value: str) -> str:
    """'BUREAU OF OCEANS AND ...' as 'Bureau of Oceans and ...'."""
    words = value.lower().split()
    return " ".join(
        w if i and w in SMALL_WORDS else w[:1].upper() + w[1:] for i, w in enumerate(words)
    )
