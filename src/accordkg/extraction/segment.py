"""Stage 2: find the parts of an instrument's page in its cleaned paragraphs.

A page has a header (site banner and navigation, the title, release metadata in capitals,
a preface saying who released it and when), the instrument's text (between "Begin Text"
and "End Text" where the page marks it), and a footer. The text itself has preamble
recitals, an operative lead-in ending in a colon, operative items, closing commitments,
a signing clause and signature blocks; any of these may be missing.
"""

import re
from dataclasses import dataclass, field

from accordkg.extraction.clean import CleanDocument, Paragraph
from accordkg.extraction.text import Text

BEGIN_MARKER = re.compile(r"^(begin|start)( of)? text$", re.IGNORECASE)
END_MARKER = re.compile(r"^end( of)? text$", re.IGNORECASE)
PREFACE = re.compile(r"^The following\b|\b(was|were) (released|issued|adopted|signed)\b")
RECITAL_OPENERS = frozenset(
    {"aware", "conscious", "convinced", "determined", "mindful", "resolved", "concerned"}
)
SIGNING_CLAUSE = re.compile(r"^(Signed|Done|Executed|Adopted)\b.*\b(at|in|on|this)\b")
PARTY_HEADER = re.compile(r"^For (?P<party>.+?):?$")
ITEM_MARKER = re.compile(r"^(\(?(\d{1,2}|[a-z]|[ivx]{1,4})[.)]|[-\u2022*\u2013])\s+")
ITEM_CONTINUES = re.compile(r"(;|;\s*and|;\s*or|,|,\s*and)$")
HONORIFIC = re.compile(
    r"^(The\s+)?(Right\s+)?(Rt\.?\s+)?(Hon(ou?rable|\.)?|Excellency|His Excellency|"
    r"Her Excellency|H\.\s?E\.|Dr\.?|Prof(essor|\.)?|Mr\.?|Ms\.?|Mrs\.?|Sir|Dame)\s+",
)
NAME_TOKEN = re.compile(r"^([A-Z][\w'\u2019\-]*\.?|[A-Z]\.([A-Z]\.)*)$")
NOT_IN_NAMES = frozenset({"of", "for", "and", "the", "on", "in", "to", "at", "de"})
ORGANIZATION_WORDS = re.compile(
    r"\b(Department|Ministry|Office|House|Agency|Council|Foundation|Institute|Commission|"
    r"Government|Secretariat|Bureau|Authority|Embassy|Mission|University|Cabinet|Directorate|"
    r"Administration|Service|Centre|Center|Parliament|Assembly|Board|Corporation)\b"
)

OFFICE_WORDS = re.compile(
    r"\b(Minister|Secretary|Director|President|Chair(man|woman|person)?|Officer|Ambassador|"
    r"Head|Administrator|Chief|Commissioner|Governor|Representative|Advisor|Adviser|"
    r"Counsellor|Councillor|Deputy|Envoy|Prime|Vice|Chancellor)\b"
)


@dataclass(frozen=True)
class Release:
    """Release metadata printed in capitals under a page title."""

    release_type: Text | None = None
    issuer: Text | None = None
    date: Text | None = None


@dataclass(frozen=True)
class SignatureBlock:
    """One "For <party>:" block: its header and one group of lines per signatory."""

    header: Text
    party: Text
    signers: tuple[tuple[Text, ...], ...]


@dataclass(frozen=True)
class Segments:
    """The parts of one instrument's page; absent parts are None or empty."""

    title: Text | None
    release: Release
    preface: Text | None
    body: Text | None
    recitals: tuple[Text, ...]
    lead_in: Text | None
    items: tuple[Text, ...]
    closing: tuple[Text, ...]
    signing_clause: Text | None
    signature_blocks: tuple[SignatureBlock, ...]
    warnings: tuple[str, ...] = field(default=())


def segment(document: CleanDocument) -> Segments:
    """Find the header, the instrument's text and its parts in a cleaned document."""
    paragraphs = list(document.paragraphs)
    begin = _index(paragraphs, BEGIN_MARKER)
    end = _index(paragraphs, END_MARKER)
    header_end = begin if begin is not None else None
    title_index = _title_index(paragraphs[:header_end] if header_end else paragraphs)
    title = paragraphs[title_index].text if title_index is not None else None
    release, preface, after_header = _header(paragraphs, title_index, header_end)
    body_start = begin + 1 if begin is not None else after_header
    body_end = end if end is not None and end > body_start else len(paragraphs)
    body_paragraphs = paragraphs[body_start:body_end]
    body = _marked_body(document, paragraphs, begin, end)
    parts = _Body()
    for paragraph in body_paragraphs:
        parts.take(paragraph)
    return Segments(
        title=title,
        release=release,
        preface=preface,
        body=body,
        recitals=tuple(parts.recitals),
        lead_in=parts.lead_in,
        items=tuple(parts.items),
        closing=tuple(parts.closing),
        signing_clause=parts.signing_clause,
        signature_blocks=tuple(parts.blocks()),
        warnings=tuple(parts.warnings),
    )


def _index(paragraphs: list[Paragraph], marker: re.Pattern[str]) -> int | None:
    return next((i for i, p in enumerate(paragraphs) if marker.match(p.text.value)), None)


def _marked_body(
    document: CleanDocument, paragraphs: list[Paragraph], begin: int | None, end: int | None
) -> Text | None:
    """The raw text strictly between the Begin Text and End Text markers, if both exist."""
    if begin is None or end is None or end <= begin:
        return None
    return Text.of_raw(document.raw, paragraphs[begin].text.span[1], paragraphs[end].text.span[0])


def _title_index(paragraphs: list[Paragraph]) -> int | None:
    """The first paragraph that reads like a title: not navigation, a few words, mostly not
    in capitals (that is a banner or release metadata), no closing full stop."""
    for index, paragraph in enumerate(paragraphs):
        words = paragraph.text.value.split()
        capitals = sum(1 for w in words if w.isupper() and len(w) > 1)
        if (
            not paragraph.has_links
            and len(words) >= 3
            and capitals * 2 < len(words)
            and not paragraph.text.value.endswith((".", ";", ":"))
            and not BEGIN_MARKER.match(paragraph.text.value)
        ):
            return index
    return None


def _header(
    paragraphs: list[Paragraph], title_index: int | None, header_end: int | None
) -> tuple[Release, Text | None, int]:
    """Release metadata and preface after the title; returns where the header ends."""
    if title_index is None:
        return Release(), None, 0
    release_type = issuer = date = preface = None
    index = title_index + 1
    limit = header_end if header_end is not None else len(paragraphs)
    while index < limit:
        text = paragraphs[index].text
        if paragraphs[index].has_links:
            index += 1
            continue
        if _in_capitals(text.value):
            if re.search(r"\b\d{4}\b", text.value):
                date = date or text
            elif ORGANIZATION_WORDS.search(text.value.title()):
                issuer = issuer or text
            else:
                release_type = release_type or text
        elif preface is None and PREFACE.search(text.value):
            preface = text
        elif header_end is None:
            break
        index += 1
    return Release(release_type, issuer, date), preface, index


def _in_capitals(value: str) -> bool:
    letters = [c for c in value if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


class _Body:
    """A small state machine that sorts body paragraphs into the parts of an instrument."""

    def __init__(self) -> None:
        self.recitals: list[Text] = []
        self.lead_in: Text | None = None
        self.items: list[Text] = []
        self.closing: list[Text] = []
        self.signing_clause: Text | None = None
        self.signature_lines: list[Text] = []
        self.warnings: list[str] = []
        self.state = "preamble"

    def take(self, paragraph: Paragraph) -> None:
        text = paragraph.text
        value = text.value
        if self.state == "signatures" or PARTY_HEADER.match(paragraph.lines[0].value):
            self.state = "signatures"
            self.signature_lines.extend(paragraph.lines)
        elif self.signing_clause is None and SIGNING_CLAUSE.match(value):
            self.signing_clause = text
            self.state = "signatures"
        elif self.state == "preamble" and value.endswith(":"):
            self.lead_in = text
            self.state = "items"
        elif self.state == "preamble" and _is_recital(value):
            self.recitals.append(text)
        elif self.state == "items" and self._is_item(value):
            self.items.append(text)
            if not ITEM_MARKER.match(value) and not ITEM_CONTINUES.search(value):
                self.state = "closing"
        else:
            self.state = "closing"
            self.closing.append(text)

    def _is_item(self, value: str) -> bool:
        numbered = [bool(ITEM_MARKER.match(item.value)) for item in self.items]
        if numbered and numbered[0]:
            return bool(ITEM_MARKER.match(value))
        return True

    def blocks(self) -> list[SignatureBlock]:
        blocks: list[SignatureBlock] = []
        header: Text | None = None
        signers: list[list[Text]] = []
        for line in self.signature_lines:
            match = PARTY_HEADER.match(line.value)
            if match:
                if header is not None:
                    blocks.append(_block(header, signers))
                header, signers = line, []
            elif header is None:
                self.warnings.append(f"signature line outside any 'For ...:' block: {line.value!r}")
            elif not signers or looks_like_name(line.value):
                signers.append([line])
            else:
                signers[-1].append(line)
        if header is not None:
            blocks.append(_block(header, signers))
        return blocks


def _block(header: Text, signers: list[list[Text]]) -> SignatureBlock:
    match = PARTY_HEADER.match(header.value)
    party = header.group(match, "party") if match else header
    return SignatureBlock(header=header, party=party, signers=tuple(tuple(s) for s in signers))


def _is_recital(value: str) -> bool:
    first = value.split(maxsplit=1)[0].strip(",") if value.split() else ""
    opener = first.lower()
    return first[:1].isupper() and (opener.endswith("ing") or opener in RECITAL_OPENERS)


def looks_like_name(line: str) -> bool:
    """Whether a signature-block line names a person rather than an office or body."""
    if HONORIFIC.match(line):
        return True
    name = line.split(",", 1)[0]
    tokens = name.split()
    return (
        2 <= len(tokens) <= 5
        and all(NAME_TOKEN.match(token) for token in tokens)
        and not any(token.lower() in NOT_IN_NAMES for token in tokens)
        and not ORGANIZATION_WORDS.search(name)
        and not OFFICE_WORDS.search(name)
    )
