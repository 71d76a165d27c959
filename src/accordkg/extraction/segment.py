"""Stage 2: the document model: find the parts of an instrument in its cleaned paragraphs.

Instruments of this genre share one anatomy, whatever the page or PDF around them: a
title block (one or several lines, often in capitals), release metadata and a preface on
a web page, a dateline or header date, a chapeau naming the parties and their short
names, a preamble (participles, WHEREAS, "We recognise …"), an operative part (items
numbered or lettered, or articles with headings, paragraphs and points, some completing
a lead-in that ends in a colon), final clauses, a signing or issuing clause, signature
blocks (stacked or side by side) and endorsement lists. Any part may be missing; where a
part cannot be placed it is reported, never guessed.

A signature block's office or organization wrapped in its column is read as one line
where the words say it goes on ("… of the" / "United Kingdom"); where they do not say,
and the break may still be a wrap, or a signatory's lines are more than a name, an
office and an organization, the block gives no signature for that signatory and says
why: a wrong signatory or office is worse than none.
"""

import itertools
import re
from dataclasses import dataclass, field

from accordkg.extraction.clean import CleanDocument, Paragraph
from accordkg.extraction.dates import find_date
from accordkg.extraction.gazetteer import find_party
from accordkg.extraction.lexicon import (
    FIRST_PERSON_RECITAL,
    FORM_WORD,
    HEADER_CONNECTORS,
    HONORIFIC,
    ITEM_MARKER,
    MODAL_VERBS,
    NOT_IN_PERSON_NAMES,
    OFFICE_WORDS,
    OPERATIVE_VERB,
    ORGANIZATION_WORDS,
    PARTICIPLE_LINKS,
    SIGNING_VERBS,
    in_capitals,
    opens_recital,
)
from accordkg.extraction.text import Text

BEGIN_MARKER = re.compile(r"^(begin|start)( of)? text$", re.IGNORECASE)
END_MARKER = re.compile(r"^end( of)? text$", re.IGNORECASE)
PREFACE = re.compile(
    r"^The following\b|\b(was|were) (released|issued|adopted|signed|published)\b|"
    r"\b(issued|adopted|released|published|agreed (on|to))\s+(the\s+)?following\b",
    re.I,
)
HEREINAFTER = re.compile(r"\bhereinafter\b|\(\s*the\s+[\"“]", re.I)
SIGNING_CLAUSE_OPENING = re.compile(
    rf"^(?:(?:IN WITNESS WHEREOF)[^.]*\.\s*)?({'|'.join(SIGNING_VERBS)})\b"
    r".*\b(at|in|on|this)\b",
    re.I,
)
WITNESS = re.compile(r"^IN WITNESS WHEREOF\b", re.I)
PARTY_HEADER = re.compile(
    r"^(?:Signed\s+)?(?:For|On\s+behalf\s+of)\s+(?:and\s+on\s+behalf\s+of\s+)?"
    r"(?P<party>(?!the purposes?\b)\S.{0,150}?)\s*:?\s*$",
    re.I,
)
END_OF_RELEASE = re.compile(r"^(?:#{3}|-\s*(?:END|30)\s*-|\*{3})$", re.I)
SALUTATION = re.compile(r"^(?:Your\s+)?(?:Excellency|Sir|Madam|Dear\s+[^,]{1,60}),$")
CLOSE = re.compile(
    r"^(?:I\s+avail\s+myself|Accept,?\s+(?:Your\s+)?(?:Excellency|Sir|Madam)|Please\s+accept)\b"
)
QUOTE_FOLLOWS = re.compile(r"\breads?\s+as\s+follows:$")
OFFICE_PARTY = re.compile(r"\bof\s+(?P<party>(?:the\s+)?[A-Z][\w\s]*?)(?:\s+to\s+[A-Z][\w\s]*)?$")
MEETING_PLACE = re.compile(
    r"\b(?:meeting|met|gathered|assembled|convened)\s+in\s+"
    r"(?P<place>[A-Z][\w\-]+(?:\s[A-Z][\w\-]+)?)\b"
)
BARE_NUMBER = re.compile(r"^(?P<number>\d{1,2})\s+(?=[A-Z])")
ITEM_CONTINUES = re.compile(r"(;|;\s*and|;\s*or|,|,\s*and|,\s*or)$")
ARTICLE_HEADING = re.compile(
    r"^(?P<kind>Article|ARTICLE|Section|SECTION|Paragraph|PARAGRAPH|Clause|CLAUSE)\s+"
    r"(?P<number>\d{1,3}|[IVXLC]{1,6})\b\.?\s*(?:[-\u2013\u2014:.]\s*)?(?P<heading>.*)$"
)
LEAD_OUT = re.compile(r"^(NOW,?\s+THEREFORE|Have agreed|HAVE AGREED|Hereby)\b")
ENDORSEMENT = re.compile(
    r"^(?:Endorsed\s+by|Endorsing\s+(?:countries|states|governments|parties|participants)|"
    r"Signatories|Participating\s+(?:countries|states|governments)|Supported\s+by|"
    r"(?P<issuers>Participants|(?:Annex\s*[IVX\d]*\s*[:\u2013-]\s*)?List\s+of\s+participants)|"
    r"The\s+(?:following\s+)?(?:countries|states|governments|participants|delegations)\s+"
    r"(?:represented|endorsed|that\s+endorsed|endorsing|were\s+represented|participating)"
    r"[^:]{0,80}|This\s+(?:declaration|statement)\s+(?:is|was|has\s+been)\s+endorsed\s+by)"
    r"\s*:\s*(?P<list>.*)$",
    re.I | re.S,
)
DATELINE_PLACE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z'\-]+(?:\s[A-Z][A-Za-z'\-]+){0,3}(?:,\s*[A-Z][A-Za-z.]{1,10})?),\s+"
    r"(?P<rest>.+)$",
    re.S,
)
DATELINE_DASH = re.compile(r"^\s*(?:\u2014|\u2013|--|:)?\s*")
RELEASE_TYPES = re.compile(
    r"^(PRESS|MEDIA|NEWS|OTHER)\s+(RELEASE|NOTE|STATEMENT)$|^(READOUT|FACT SHEET|REMARKS|"
    r"STATEMENT|NEWS|PRESS RELEASE)$"
)
NAME_TOKEN = re.compile(r"^([^\W\d_][\w'\u2019\-]*\.?|[^\W\d_]\.([^\W\d_]\.)*)$")  # "Émilie"
HEADER_GOES_ON = re.compile(r"^(of|and|for|on|in|the|de|la|du|des|der|für)\s")
SIGNATURE_LINE = re.compile(r"^Signature\s*:?[\s_.]*$", re.I)
SIGNATURE_FIELD = re.compile(r"^(?P<field>Name|Title|Position|Date)\s*:\s*(?P<value>\S.*)$", re.I)
COLUMN_CELL = re.compile(r"\S(?:.*?\S)?(?=\s{3,}|\t|$)")
LEADS_ON = HEADER_CONNECTORS | {  # a line ending in one of them goes on
    "to", "at", "by", "with", "from", "into", "between", "or", "a", "an", "its", "their",
    "der", "für", "et", "&",
}  # fmt: skip
OFFICE_GOES_ON = frozenset({"chief", "general", "deputy", "vice"})  # "Deputy" / "Director"
# An office of a body named after it ("Chair of the …"), and a line that ends on an
# adjective, which a body's name does not ("… and Physical", "… National").
OF_A_NAME = re.compile(r"\b(?:of|for)\s+(?:the\s+)?[A-Z]")
ENDS_ON_ADJECTIVE = re.compile(r"\b[A-Z][a-z]+(?:ical|al|ic|ive|ous|ary|ian|ean|ese)$")
WRAPPED_NAME_WORDS = 6  # words of a party's name on either side of a line break, at most


@dataclass(frozen=True)
class Release:
    """Release metadata printed in capitals under a page title."""

    release_type: Text | None = None
    issuer: Text | None = None
    date: Text | None = None


@dataclass(frozen=True)
class SignatureBlock:
    """One "For <party>:" block: its header, one group of lines per signatory (name,
    office, organization; wrapped lines joined), and why the lines of each signatory
    left unread cannot be told apart."""

    header: Text
    party: Text
    signers: tuple[tuple[Text, ...], ...]
    dates: tuple[Text, ...] = ()
    unclear: tuple[str, ...] = ()


@dataclass(frozen=True)
class Heading:
    """An article or section heading: its number and title as printed."""

    number: str
    title: Text | None
    source: Text


@dataclass(frozen=True)
class Unit:
    """One operative paragraph or point, without its marker.

    `article` indexes `Segments.articles`; `lead_in` indexes `Segments.lead_ins` when the
    unit completes a lead-in ("The Participants intend to: (a) …"), whose verb governs it.
    """

    text: Text
    number: str | None = None
    article: int | None = None
    lead_in: int | None = None


@dataclass(frozen=True)
class Segments:
    """The parts of one instrument; absent parts are None or empty."""

    title: Text | None
    release: Release
    preface: Text | None
    body: Text | None
    dateline_place: Text | None
    header_date: Text | None
    chapeau: Text | None
    recitals: tuple[Text, ...]
    lead_ins: tuple[Text, ...]
    lead_in_parents: tuple[int | None, ...]
    articles: tuple[Heading, ...]
    units: tuple[Unit, ...]
    signing_clause: Text | None
    signature_blocks: tuple[SignatureBlock, ...]
    endorsements: Text | None
    listed_role: str = "endorses"
    warnings: tuple[str, ...] = field(default=())

    @property
    def lead_in(self) -> Text | None:
        """The instrument's own operative lead-in: the first, when no article precedes it."""
        return self.lead_ins[0] if self.lead_ins and self._first_lead_in_is_top() else None

    def _first_lead_in_is_top(self) -> bool:
        return not any(u.lead_in == 0 and u.article is not None for u in self.units)


def segment(document: CleanDocument) -> Segments:
    """Find the header, the instrument's text and its parts in a cleaned document."""
    paragraphs = list(document.paragraphs)
    begin = _index(paragraphs, BEGIN_MARKER)
    end = _index(paragraphs, END_MARKER)
    header_end = begin if begin is not None else None
    title_range = _title_block(paragraphs[:header_end] if header_end else paragraphs)
    title = (
        Text.join([p.text for p in paragraphs[title_range[0] : title_range[1]]])
        if title_range
        else None
    )
    release, preface, after_header = _header(paragraphs, title_range, header_end)
    body_start = begin + 1 if begin is not None else after_header
    body_end = end if end is not None and end > body_start else len(paragraphs)
    parts = _Body(document.raw)
    for paragraph in paragraphs[body_start:body_end]:
        parts.take(paragraph)
    if parts.header_date is None and title_range is not None:  # a page's date above the title
        above = [d for p in paragraphs[: title_range[0]] if (d := _date_line(p)) is not None]
        parts.header_date = above[-1] if above else None
    return Segments(
        title=title,
        release=release,
        preface=preface or parts.preface,
        body=_marked_body(document, paragraphs, begin, end),
        dateline_place=parts.dateline_place,
        header_date=parts.header_date,
        chapeau=parts.chapeau,
        recitals=tuple(parts.recitals),
        lead_ins=tuple(parts.lead_ins),
        lead_in_parents=tuple(parts.lead_in_parents),
        articles=tuple(parts.articles),
        units=tuple(parts.units),
        signing_clause=parts.signing_clause,
        signature_blocks=tuple(parts.blocks()),
        endorsements=parts.endorsements,
        listed_role=parts.listed_role,
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


TITLE_CONNECTORS = re.compile(
    r"^(between|among|amongst|and|of|by|on|concerning|regarding|for|in|relating to|"
    r"to|from|the|with)\b",
    re.I,
)


def _title_block(paragraphs: list[Paragraph]) -> tuple[int, int] | None:
    """Where the title is: the first paragraph that reads like a title (a few words, no
    closing full stop, not navigation; in capitals only if it names an instrument's form),
    with the short capitals paragraphs after it that continue a title block ("BETWEEN",
    "AND THE …", "ON …")."""
    candidates = [
        index
        for index, paragraph in enumerate(paragraphs[:TITLE_SEARCH])
        if _title_like(paragraph)
        and (FORM_WORD.search(paragraph.text.value) or not in_capitals(paragraph.text.value))
    ]
    # A site's name or a section of the site may read like a title too: the title names
    # the instrument's form ("… Declaration on …"), so such a paragraph wins.
    named = [i for i in candidates if FORM_WORD.search(paragraphs[i].text.value)]
    for index in named[:1] or candidates[:1]:
        last = index + 1
        while last < len(paragraphs) and _continues_title(paragraphs[last - 1], paragraphs[last]):
            last += 1
        return index, last
    return None


TITLE_SEARCH = 40  # paragraphs from the top in which to look for the title


def _title_like(paragraph: Paragraph) -> bool:
    value = paragraph.text.value
    words = value.split()
    capitals = sum(1 for w in words if w.isupper() and len(w) > 1)
    return (
        not paragraph.has_links
        and (len(words) >= 3 or bool(FORM_WORD.search(value)))
        and (capitals * 2 < len(words) or bool(FORM_WORD.search(value)))
        and not value.endswith((".", ";", ":", ","))
        and not BEGIN_MARKER.match(value)
        and len(value) < 400
    )


def _continues_title(before: Paragraph, after: Paragraph) -> bool:
    """A title block goes on over short paragraphs that join it: in capitals ("BETWEEN",
    "THE NATIONAL RESEARCH FOUNDATION OF KOREA", "ON …"), or after a form alone in
    capitals ("JOINT COMMUNIQUÉ", "LETTER OF INTENT") or a connective ("between", "and")."""
    value, previous = after.text.value, before.text.value
    if after.has_links or len(value) > 200 or find_date(value) or ARTICLE_HEADING.match(value):
        return False
    last = previous.split()[-1]
    joins = bool(TITLE_CONNECTORS.match(value) or TITLE_CONNECTORS.search(last))
    if in_capitals(previous) and in_capitals(value):
        return joins or last.upper() in {"BETWEEN", "AND", "ON"}
    form_alone = in_capitals(previous) and len(previous.split()) <= 4 and FORM_WORD.search(previous)
    return (
        bool(form_alone or joins)
        and len(value.split()) <= 24
        and not value.endswith((".", ";", ":", ","))
        and value.lower() not in {"preamble", "introduction"}
    )


def _header(
    paragraphs: list[Paragraph], title: tuple[int, int] | None, header_end: int | None
) -> tuple[Release, Text | None, int]:
    """Release metadata and preface after the title; returns where the header ends."""
    if title is None:
        return Release(), None, 0
    release_type = issuer = date = preface = None
    index = title[1]
    limit = header_end if header_end is not None else len(paragraphs)
    while index < limit:
        text = paragraphs[index].text
        if paragraphs[index].has_links:
            index += 1
            continue
        if in_capitals(text.value) and len(text.value) < 120:
            if find_date(text.value):
                date = date or text
            elif header_end is None and not RELEASE_TYPES.match(text.value):
                break  # without page markers, only a release type is header metadata
            elif header_end is not None and ORGANIZATION_WORDS.search(text.value.title()):
                issuer = issuer or text
            else:
                release_type = release_type or text
        elif preface is None and header_end is not None and PREFACE.search(text.value):
            preface = text
        elif header_end is None:
            break
        index += 1
    return Release(release_type, issuer, date), preface, index


class _Body:
    """A small state machine that sorts body paragraphs into the parts of an instrument.

    States: front (before the preamble), preamble, operative, signatures, after (text
    after the signatures or endorsements, which is never read as provisions).
    """

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.preface: Text | None = None
        self.dateline_place: Text | None = None
        self.header_date: Text | None = None
        self.chapeau: Text | None = None
        self.recitals: list[Text] = []
        self.lead_ins: list[Text] = []
        self.lead_in_parents: list[int | None] = []
        self.articles: list[Heading] = []
        self.units: list[Unit] = []
        self.signing_clause: Text | None = None
        self.signature_lines: list[Text] = []
        self.letter_blocks: list[SignatureBlock] = []
        self.endorsements: Text | None = None
        self.listed_role = "endorses"
        self.warnings: list[str] = []
        self.state = "front"
        self.open_lead_in: int | None = None
        self.points_taken = 0
        self.point_family: str | None = None

    def take(self, paragraph: Paragraph) -> None:
        """Sort one paragraph into its part; readers are tried in the order of precedence."""
        rest = self._article_heading(paragraph)
        if rest is None or self.state == "after":
            return
        if END_OF_RELEASE.match(rest.text.value):
            self.state = "after"  # "###", "- END -": what follows is not the text
            return
        readers = (self._letter, self._heading_title, self._closing_part, self._opening_part)
        if not any(read(rest) for read in readers):
            self._operative(rest.text)

    def _article_heading(self, paragraph: Paragraph) -> Paragraph | None:
        """Record an "Article N" heading that opens the paragraph; return the rest of the
        paragraph (None if nothing is left)."""
        heading = ARTICLE_HEADING.match(paragraph.lines[0].value)
        if heading is None or self.state == "signatures" or not _is_heading(heading):
            return paragraph
        lines = self._heading(list(paragraph.lines), heading)
        return Paragraph(lines=tuple(lines), has_links=paragraph.has_links) if lines else None

    def _heading_title(self, paragraph: Paragraph) -> bool:
        """ "Article 1", a blank line, "Objective": the title of a heading on its own."""
        value = paragraph.text.value
        if not (self._untitled_heading() and len(paragraph.lines) == 1 and _heading_title(value)):
            return False
        heading = self.articles[-1]
        self.articles[-1] = Heading(heading.number, paragraph.text, heading.source)
        return True

    def _closing_part(self, paragraph: Paragraph) -> bool:
        """Signature blocks, endorsement lists and the signing clause."""
        text = paragraph.text
        value = text.value
        if self.state == "signatures" or self._starts_signatures(paragraph):
            self._signatures(paragraph)
        elif (endorsement := ENDORSEMENT.match(paragraph.lines[0].value)) is not None:
            self.endorsements = _listed(paragraph, endorsement)
            # "Participants:" lists those who issue the text; "Endorsed by:", those who endorse it
            self.listed_role = "issues" if endorsement["issuers"] else "endorses"
            self.state = "endorsements" if self.endorsements is None else "after"
        elif self.state == "endorsements":
            if _continues_list(value):  # the list, after "Endorsed by:" on a line of its own
                previous = [self.endorsements] if self.endorsements else []
                self.endorsements = Text.join([*previous, text], "\n")
            else:
                self.state = "after"
        elif WITNESS.match(value) and not SIGNING_CLAUSE_OPENING.match(value):
            self.state = "signing"
        elif (
            self.signing_clause is None and SIGNING_CLAUSE_OPENING.match(value) and len(value) < 400
        ):
            self.signing_clause = text
            # "Issued at Tokyo on …" under the title heads the text; elsewhere it ends it.
            self.state = "front" if self.state == "front" else "signing"
        elif self.state == "operative" and self._place_and_date(text):
            self.state = "signing"  # "Pretoria, 7 December 2022" above the signatures
        elif self.state == "signing":
            self.warnings.append(f"text after the signing clause not understood: {value[:60]!r}")
        else:
            return False
        return True

    def _opening_part(self, paragraph: Paragraph) -> bool:
        """The front matter, the chapeau, captions, the preamble and lead-ins to the
        operative part."""
        text = paragraph.text
        value = text.value
        opening = self.state in ("front", "preamble")
        bare = _unnumbered(text)
        if (
            opening
            and bare is not text
            and (_is_chapeau(bare.value) or recital_opening(bare.value))
        ):
            self.take(Paragraph(lines=(bare,), has_links=False))  # "2. We recognise …"
        elif self.state == "front" and (self._front(paragraph) or _front_matter(value)):
            pass  # a dateline, the chapeau, or a widget of the page before the text
        elif self.open_lead_in is None and _is_caption(value):
            pass  # an unnumbered heading ("Preamble", "Our shared commitments")
        elif opening and LEAD_OUT.match(value):
            self.lead_ins.append(text)  # "NOW, THEREFORE, … have agreed as follows:"
            self.lead_in_parents.append(None)
            self.open_lead_in = None
            self.state = "operative"
        elif opening and value.endswith(":"):
            self._operative(text)  # an operative lead-in, even one opening "Building on …"
        elif opening and recital_opening(value):
            self.recitals.append(text)
            self.state = "preamble"
        else:
            return False
        return True

    def _letter(self, paragraph: Paragraph) -> bool:
        """Read the parts of a note or letter (an exchange of notes): the salutation, the
        text of the other note quoted in a reply, the complimentary close and what follows
        it. True if the paragraph was one of those."""
        value = paragraph.text.value
        if self.state == "quoted":
            if value.endswith(("\u201d", '"')) and not value.endswith(('""', "\u201c")):
                self.state = "operative"
            return True
        if SALUTATION.match(value):
            if self.state in ("signing", "close"):
                self.state = "operative"  # "Excellency," opens the next note's text
            return True
        if value.startswith("(") and value.endswith(")"):
            return True  # "(Note from the Ambassador of … to the Minister …)"
        if CLOSE.match(value):
            self.state = "close"
            return True
        return self.state == "close" and self._after_close(paragraph)

    def _after_close(self, paragraph: Paragraph) -> bool:
        """After the complimentary close: the signer, who signs for the state their office
        names, and the addressee ("His Excellency / Mr. … / Minister …"), who does not."""
        lines = paragraph.lines
        if HONORIFIC.fullmatch(lines[0].value + " "):
            return True
        office = Text.join(list(lines[1:]))
        party = OFFICE_PARTY.search(office.value)
        if looks_like_name(lines[0].value) and party and find_party(party["party"]):
            signer = (lines[0], *_joined_lines(list(lines[1:])))
            block = SignatureBlock(lines[0], office.group(party, "party"), (signer,))
            self.letter_blocks.append(block)
            return True
        self.state = "operative"
        return False

    def _untitled_heading(self) -> bool:
        """Whether the last article heading has no title and no text yet."""
        if not self.articles or self.articles[-1].title is not None:
            return False
        return not self.units or self.units[-1].article != len(self.articles) - 1

    def _heading(self, lines: list[Text], match: re.Match[str]) -> list[Text]:
        """Record an article heading (its title on the same line or the next short one);
        return the rest of the paragraph, which is the article's first paragraph."""
        first = lines[0]
        title = first.group(match, "heading").strip()
        rest = lines[1:]
        if not title.value and rest and _heading_title(rest[0].value):
            title, rest = rest[0], rest[1:]
        self.articles.append(
            Heading(match["number"], title if title.value else None, Text.join([first]))
        )
        self.state = "operative"
        self.open_lead_in = None
        return rest

    def _place_and_date(self, text: Text) -> bool:
        """Read a "Place, date" line (alone, or heading a paragraph): True if it is one."""
        dateline = DATELINE_PLACE.match(text.value)
        day = find_date(dateline["rest"]) if dateline else None
        if dateline is None or day is None or day.start != 0:
            return False
        after = text.group(dateline, "rest")
        if self.header_date is None:
            self.header_date = after[: day.end]
        if self.dateline_place is None:
            self.dateline_place = text.group(dateline, "place")
        rest = after[day.end :]
        rest = rest[DATELINE_DASH.match(rest.value).end() :].strip()  # type: ignore[union-attr]
        if rest.value:
            self.take(Paragraph(lines=(rest,), has_links=False))
        return True

    def _front(self, paragraph: Paragraph) -> bool:
        """Read a paragraph before the preamble: a dateline, a header date, a preface or
        the chapeau. False when it is none of those."""
        text = paragraph.text
        value = text.value
        if self._place_and_date(text):
            return True
        date_line = _date_line(paragraph)
        if date_line is not None:
            self.header_date = self.header_date or date_line
            return len(paragraph.lines) < 4 and all(len(x.value) < 80 for x in paragraph.lines)
        if PREFACE.search(value) and not HEREINAFTER.search(value) and self.preface is None:
            self.preface = text
            return True
        if _is_chapeau(value):
            self.chapeau = text
            self.state = "preamble"
            meeting = MEETING_PLACE.search(value)
            if meeting and self.dateline_place is None:
                self.dateline_place = text.group(meeting, "place")
            # "We, the Leaders of …, recognise …" names the parties and goes on as a recital
            # or a provision; "We, the Leaders of …, declare the following." only names them.
            return not value.startswith(("We, ", "WE, ")) or not (
                recital_opening(value) or OPERATIVE_VERB.search(value)
            )
        return False

    def _operative(self, text: Text) -> None:
        value = text.value
        quoted = ARTICLE_HEADING.match(value.lstrip('"\u201c'))
        if value[:1] in '"\u201c' and quoted and not quoted["heading"].endswith("."):
            return  # '"Article 5 / Joint Committee': the heading of an article quoted in full
        marker = ITEM_MARKER.match(value) or (
            BARE_NUMBER.match(value) if self.articles else None  # "1 The purpose of …"
        )
        body = text[marker.end() :] if marker else text
        number = _marker_number(marker) if marker else None
        article = len(self.articles) - 1 if self.articles else None
        lead_in = self._lead_in_for(value)
        if QUOTE_FOLLOWS.search(value):
            self.state = "quoted"  # "…, which reads as follows:" and the other note
            self.warnings.append("the note quoted in the reply is not read again")
            return
        if value.endswith(":") and len(value) < 600:
            self.lead_ins.append(body)
            self.lead_in_parents.append(lead_in)  # a point that opens points of its own
            self.open_lead_in = len(self.lead_ins) - 1
            self.points_taken = 0
            self.state = "operative"
            return
        self.units.append(Unit(body, number, article, lead_in))
        self.state = "operative"
        if lead_in is not None and not marker and not ITEM_CONTINUES.search(value):
            self.open_lead_in = None

    def _lead_in_for(self, value: str) -> int | None:
        """The open lead-in this paragraph completes: a marked point, or an unmarked one
        while the points before it go on (";", ", and")."""
        if self.open_lead_in is None:
            return None
        family = _marker_family(value)
        if self.points_taken and self.point_family != family:
            self.open_lead_in = None
            return None
        if not self.points_taken:
            self.point_family = family
        self.points_taken += 1
        return self.open_lead_in

    def _starts_signatures(self, paragraph: Paragraph) -> bool:
        if self.state in ("front",) and not self.units and not self.recitals:
            return False
        cells = [_columns(self.raw, line)[0][1] for line in paragraph.lines[:3] if line.value]
        header = PARTY_HEADER.match(cells[0].value)
        if header is None or len(cells[0].value) > 150:
            return False
        columns = _columns(self.raw, paragraph.lines[0])
        if len(columns) > 1 and all(PARTY_HEADER.match(cell.value) for _, cell in columns):
            return True  # "For the University of X        For Y University"
        if cells[0].value.endswith(":") or self.state == "signing":
            return True
        if "," in cells[0].value:
            return False  # "For the avoidance of doubt, …"
        # A header without a colon, or wrapped in capitals, goes on with a name or an office.
        return len(cells) > 1 and (
            (cells[1].value.endswith(":") and in_capitals(cells[1].value))
            or looks_like_name(cells[1].value)
            or bool(OFFICE_WORDS.search(cells[1].value.title()))
        )

    def _signatures(self, paragraph: Paragraph) -> None:
        self.state = "signatures"
        for line in paragraph.lines:
            if self.signing_clause is None and SIGNING_CLAUSE_OPENING.match(line.value):
                self.signing_clause = line
                continue
            self.signature_lines.append(line)

    def blocks(self) -> list[SignatureBlock]:
        """The signature blocks, side-by-side columns read as blocks of their own."""
        columns = _split_columns(self.raw, self.signature_lines)
        blocks: list[SignatureBlock] = list(self.letter_blocks)
        for column, width in columns:
            blocks.extend(self._stacked_blocks(column, width))
        return blocks

    def _row(self, line: Text) -> int:
        return self.raw.count("\n", 0, line.span[0])

    def _stacked_blocks(self, lines: list[Text], width: int | None) -> list[SignatureBlock]:
        """The blocks of one column of signature lines (`width` characters wide where
        columns stand side by side), read top to bottom."""
        blocks: list[SignatureBlock] = []
        block: _OpenBlock | None = None
        row = -1  # the row of the line before, to see where a blank line parts two lines
        for line in lines:
            value = line.value
            after_gap, row = row >= 0 and self._row(line) > row + 1, self._row(line)
            if not any(c.isalpha() for c in value) or SIGNATURE_LINE.match(value):
                if block is not None:
                    block.ruled = True  # "________________", "Signature: ____________"
                continue
            match = PARTY_HEADER.match(value)
            if match and (block is None or block.signers or value.endswith(":")):
                if block is not None:
                    blocks.append(block.closed())
                block = _OpenBlock(line, width)
            elif block is None:
                self.warnings.append(f"signature line outside any 'For ...:' block: {value!r}")
            elif not block.add(line, after_gap):
                self.warnings.append(
                    f"signature block for {block.party().value}: line apart not read: {value!r}"
                )
        if block is not None:
            blocks.append(block.closed())
        return blocks


class _OpenBlock:
    """The lines of the signature block being read, under its "For <party>:" header."""

    def __init__(self, header: Text, width: int | None) -> None:
        self.header = [header]
        self.width = width  # of the column, where columns stand side by side
        self.signers: list[list[Text]] = []
        self.doubts: dict[int, str] = {}  # signatory: a line break that may be a wrap
        self.printed = ""  # the signatory's line before, as printed
        self.dates: list[Text] = []
        self.ruled = False  # a line to sign on ("________") ends a header without a colon
        self.spaced = False  # the signatory's lines are printed with blank lines between

    def add(self, line: Text, after_gap: bool) -> bool:
        """Take a line under the header; False for one that stands apart from lines
        printed together and names no office or body (a page's foot)."""
        value = line.value
        if not self.signers and not self.ruled and _continues_header(self.header[-1], line):
            self.header.append(line)  # a header wrapped over two lines
            return True
        last = self.signers[-1] if self.signers else []
        if (
            after_gap
            and not self.spaced
            and len(last) > 1
            and not (_starts_signer(line) or OFFICE_WORDS.search(value.title()))
            and not _names_a_body(value)
        ):
            return False  # apart from lines printed together, naming no office or body
        count = len(self.signers)
        self._signer_line(line, after_gap)
        self.spaced = len(self.signers) == count and (self.spaced or after_gap)
        return True

    def _signer_line(self, line: Text, after_gap: bool) -> None:
        """A date ("Date: 18 October 2023"), a name that starts a signatory ("Jane Doe",
        "Name: Jane Doe"), a line of the last signatory's office or organization
        ("President", "Title: President"), or the rest of such a line wrapped in its
        column ("… of the" / "United Kingdom" is no signatory). A name-like line printed
        right under an office ("National Science" / "Foundation") is one of its lines:
        another signatory's lines stand apart or start with "Name:"."""
        field = SIGNATURE_FIELD.match(line.value)
        if field is not None and field["field"].lower() == "date":
            self.dates.append(line.group(field, "value"))
            return
        text = line.group(field, "value") if field else line
        last = self.signers[-1] if self.signers else []
        printed, self.printed = self.printed, text.value
        if field is None and len(last) > 1:
            if _continues_line(last[-1].value, text.value) or self._ends_party(printed, text):
                last[-1] = Text.join([last[-1], text])
                return
            if (self.width and _may_be_wrapped(printed, text.value, self.width)) or (
                _may_run_on(printed, text.value)
            ):
                self.doubts.setdefault(
                    len(self.signers) - 1, f"{printed!r} / {text.value!r} may be one line"
                )
        starts = _starts_signer(line) and (field is not None or after_gap or len(last) < 2)
        if starts or not self.signers:
            self.signers.append([text])
        else:
            last.append(text)

    def party(self) -> Text:
        """The party the header names, as printed."""
        joined = Text.join(self.header)
        match = PARTY_HEADER.match(joined.value)
        return (joined.group(match, "party").strip() if match else joined).strip(":").strip()

    def _ends_party(self, before: str, line: Text) -> bool:
        """Whether a line ends the block's own party's name, which the line before leads
        up to ("Centre National de la Recherche" / "Scientifique")."""
        words = self.party().value.lower().split()
        rest = line.value.lower().split()
        head = words[: len(words) - len(rest)]
        last = before.rsplit(maxsplit=1)[-1].lower()
        return bool(head) and words[len(head) :] == rest and head[-1] == last

    def closed(self) -> SignatureBlock:
        party = self.party()
        clear, unclear = [], []
        for index, lines in enumerate(self.signers):
            reason = self.doubts.get(index) or _unclear(lines)
            if reason is None:
                clear.append(tuple(lines))
            else:
                unclear.append(reason)
        if self.signers and not looks_like_name(self.signers[0][0].value):
            clear = []  # the block is not printed name first: none of its lines is read
        return SignatureBlock(
            header=Text.join(self.header, "\n"),
            party=party,
            signers=tuple(clear),
            dates=tuple(self.dates),
            unclear=tuple(unclear),
        )


def _may_be_wrapped(before: str, line: str, width: int) -> bool:
    """Whether a line break in a column `width` wide may be where the line was wrapped:
    the next line's first word would not have fit, and it is no "The …" that starts a
    line of its own ("The White House")."""
    first = line.split(maxsplit=1)[0]
    return len(before) + 1 + len(first) > width and first not in ("The", "THE")


def _may_run_on(before: str, line: str) -> bool:
    """Whether an office's line may break inside the name of the body it is the office of,
    stacked blocks having no column width to tell: "Executive Chair of the Engineering and
    Physical" / "Sciences Research Council" (the line above ends on an adjective, and the
    line does not open a body's name as "Department …", "The …" or a known party do)."""
    first = line.split(maxsplit=1)[0]
    return (
        OF_A_NAME.search(before) is not None
        and ENDS_ON_ADJECTIVE.search(before) is not None
        and first[:1].isupper()
        and first not in ("The", "THE")
        and not ORGANIZATION_WORDS.match(first.title())
        and find_party(line) is None
    )


def _unclear(lines: list[Text]) -> str | None:
    """Why a signatory's lines (wrapped ones joined) cannot be told apart, which is the
    name, which the office, which the organization; None when they can."""
    values = [line.value for line in lines]
    if not looks_like_name(values[0]):
        return f"{values[0]!r} is not a name"
    if len(values) > 3:
        return f"more lines than an office and an organization under {values[0]!r}: {values[1:]}"
    if len(values) == 3 and not _names_a_body(values[2]):
        return f"{values[2]!r} under {values[0]!r} is neither an office nor an organization"
    return None


def _starts_signer(line: Text) -> bool:
    """Whether a signature-block line opens a signatory's lines: a name, or "Name: …",
    or "Date: …" (read apart from them)."""
    field = SIGNATURE_FIELD.match(line.value)
    if field is not None:
        return field["field"].lower() in ("name", "date")
    return looks_like_name(line.value)


def _names_a_body(value: str) -> bool:
    """Whether a line names a body: by a word bodies have ("Ministry", "Council"), or as a
    known party ("UK Research and Innovation")."""
    titled = value.title() if value.isupper() else value
    return bool(ORGANIZATION_WORDS.search(titled)) or find_party(value) is not None


def _joined_lines(lines: list[Text]) -> list[Text]:
    """An office and organization printed over lines, each wrapped line joined to the one
    it goes on with."""
    joined: list[Text] = []
    for line in lines:
        if joined and _continues_line(joined[-1].value, line.value):
            joined[-1] = Text.join([joined[-1], line])
        else:
            joined.append(line)
    return joined


def _continues_line(before: str, line: str) -> bool:
    """Whether a signature-block line is the rest of the office or organization line above
    it, wrapped in its column: it starts in lower case ("and Industrial Strategy"), the
    line above ends in a comma or a word that leads on ("Minister of Science and", "… of
    the"), an office ends in a word that needs another ("President and Chief" / "Executive
    Officer"), or a state's or body's name runs across the break ("… of the United" /
    "Kingdom")."""
    last = before.rsplit(maxsplit=1)[-1]
    word = last.lower() if before.isupper() else last  # "MINISTER OF", not "Unit A"
    if line[:1].islower() or before.endswith(",") or word in LEADS_ON:
        return True
    if last.lower() in OFFICE_GOES_ON and OFFICE_WORDS.search(before.title()):
        return not _names_a_body(line)  # "Director General" / "Department of Energy"
    left, right = before.split(), line.split()
    return any(
        find_party(" ".join(left[-tail:] + right[:head])) is not None
        for tail in range(1, min(WRAPPED_NAME_WORDS, len(left)) + 1)
        for head in range(1, min(WRAPPED_NAME_WORDS, len(right)) + 1)
    )


def _continues_header(before: Text, line: Text) -> bool:
    """Whether a line goes on with a signature block's header ("FOR THE NATIONAL RESEARCH"
    / "FOUNDATION OF KOREA", "For the Agence Nationale" / "de la Recherche") rather than
    starting the signatory's name or office."""
    if before.value.endswith(":") or HONORIFIC.match(line.value):
        return False
    value = line.value
    if in_capitals(value) and in_capitals(before.value):
        connector = before.value.split()[-1].lower() in HEADER_CONNECTORS
        return connector or not looks_like_name(value)
    return bool(HEADER_GOES_ON.match(value)) or not (
        looks_like_name(value) or OFFICE_WORDS.search(value.title())
    )


def _is_heading(match: re.Match[str]) -> bool:
    """ "Article 5 - Duration" is a heading; "Article 5 of the Agreement provides …" is not."""
    rest = match["heading"]
    return not rest or (
        not rest[:1].islower() and len(rest.split()) <= 12 and not rest.endswith((";", ","))
    )


def _heading_title(value: str) -> bool:
    """A short line under "Article N" that names it ("Purpose", "FORMS OF COOPERATION")."""
    return (
        0 < len(value.split()) <= 10
        and value[:1].isupper()
        and not value.endswith((".", ";", ",", ":"))
        and not ITEM_MARKER.match(value)
    )


def _marker_family(value: str) -> str | None:
    """What kind of marker opens `value` ("(a)" and "b)" differ; "1." and "2." do not), so
    a list of points ends where a differently marked paragraph begins."""
    marker = ITEM_MARKER.match(value)
    if marker is None:
        return None
    name = next(n for n in ("paren", "dotted", "number", "letter", "bullet") if marker[n])
    case = "upper" if marker[name].isupper() else ""
    return f"{name}{case}{value[marker.end(name) : marker.end(name) + 1]}"


def _date_line(paragraph: Paragraph) -> Text | None:
    """A line that is a date and little else ("3 June 2025", "Published: 20 November 2024",
    "17.04.2024"), not a date inside a sentence."""
    for line in paragraph.lines:
        day = find_date(line.value)
        if day is not None and len(line.value) - (day.end - day.start) < 14:
            return line
    return None


def _unnumbered(text: Text) -> Text:
    """`text` without its item marker, or `text` itself if it has none."""
    marker = ITEM_MARKER.match(text.value)
    return text[marker.end() :] if marker else text


def _front_matter(value: str) -> bool:
    """A line of the page before the instrument's text: no sentence, no provision."""
    return not value.endswith((".", ";", ":")) and not OPERATIVE_VERB.search(value)


CAPTION_VERB = re.compile(
    rf"\b({'|'.join((*sorted(MODAL_VERBS), 'intend', 'we', 'are', 'is'))})\b", re.I
)


def _is_caption(value: str) -> bool:
    """A short unnumbered heading between parts of the text: a few words, capitalised,
    no closing punctuation, no verb of the kind provisions have."""
    words = value.split()
    return (
        0 < len(words) <= 6
        and value[:1].isupper()
        and not value.endswith((".", ";", ":", ",", " and", " or"))
        and not CAPTION_VERB.search(value)
        and not ITEM_MARKER.match(value)
    )


def _listed(paragraph: Paragraph, header: re.Match[str]) -> Text | None:
    """The list that follows "Endorsed by:" in its paragraph: one name a line where it is
    printed so ("Participants:" / "Croatia" / "Cyprus"), else the lines as one run of text
    (a list wrapped over lines, "…, the United Kingdom of Great Britain and" / "Northern
    Ireland, …")."""
    first, rest = paragraph.lines[0], list(paragraph.lines[1:])
    lines = [part for part in [first.group(header, "list").strip(), *rest] if part.value]
    if not lines:
        return None
    one_a_line = not any(line.value.endswith((",", " and", ";")) for line in lines[:-1])
    return Text.join(lines, "\n" if one_a_line else " ")


def _continues_list(value: str) -> bool:
    """Whether a paragraph after "Endorsed by:" goes on with the list (names, not prose)."""
    return len(value) < 2000 and not re.search(r"\b(will|shall|intend|is|are|was|were)\b", value)


def _marker_number(marker: re.Match[str]) -> str | None:
    groups = marker.groupdict()
    return next((groups[n] for n in ("paren", "dotted", "number", "letter") if groups.get(n)), None)


def recital_opening(value: str) -> str | None:
    """The opening of a preamble recital as the document prints it ("Recognizing",
    "WHEREAS", "Bearing", "We recognise"), or None if `value` is not one."""
    words = value.split()
    if not words:
        return None
    we = FIRST_PERSON_RECITAL.match(value)
    if we is not None:  # "We, the Leaders, recognise": the verb after the apposition
        return f"{words[0].rstrip(',')} {we['opening'].split()[-1]}"
    first = words[0].strip(",")
    past_participle = (  # "Guided by …", "Convinced that …"
        first[:1].isupper()
        and first.lower().endswith("ed")
        and len(words) > 1
        and words[1].lower() in PARTICIPLE_LINKS
    )
    return first if opens_recital(first) or past_participle else None


def _is_chapeau(value: str) -> bool:
    """The paragraph before the preamble that names the parties: "The Government of X and
    the Government of Y (hereinafter "the Parties")," or "We, the Leaders of …,"."""
    if len(value) > 800:
        return False
    if value.startswith("We, the ") or value.startswith("WE, THE "):
        return True
    starts = value[:4].lower() == "the "
    return starts and (bool(HEREINAFTER.search(value)) or value.endswith(","))


def _columns(raw: str, line: Text) -> list[tuple[int, Text]]:
    """The columns of a line as printed (separated by three or more spaces or a tab in
    the raw text), each with its column position and cleaned text."""
    if not line.value:
        return []
    start, end = line.span
    line_start = raw.rfind("\n", 0, start) + 1
    raw_line = raw[start:end]
    if not re.search(r"\S(\s{3,}|\t)\S", raw_line):
        return [(start - line_start, line)]
    columns = []
    for match in COLUMN_CELL.finditer(raw_line):
        cell = Text.of_raw(raw, start + match.start(), start + match.end())
        columns.append((start + match.start() - line_start, cell.collapse_whitespace()))
    return columns


def _split_columns(raw: str, lines: list[Text]) -> list[tuple[list[Text], int | None]]:
    """Signature lines laid out side by side, as one list of lines per column (left to
    right, each read top to bottom) with the column's width (the distance to the next
    column, less the gap; the last as wide as the one before); stacked lines as one list,
    of no known width (a block is often narrower than the page)."""
    rows = [_columns(raw, line) for line in lines]
    starts = sorted({position for row in rows if len(row) > 1 for position, _ in row})
    if not starts:
        return [(lines, None)]
    anchors: list[int] = []
    for position in starts:  # columns whose starts lie close together are one column
        if not anchors or position - anchors[-1] > 8:
            anchors.append(position)
    columns: list[list[Text]] = [[] for _ in anchors]
    for row in rows:
        for position, cell in row:
            index = max((i for i, a in enumerate(anchors) if a <= position + 8), default=0)
            columns[index].append(cell)
    widths = [after - before - 3 for before, after in itertools.pairwise(anchors)]
    widths.append(widths[-1] if widths else 0)
    return [
        (column, width or None) for column, width in zip(columns, widths, strict=True) if column
    ]


def looks_like_name(line: str) -> bool:
    """Whether a signature-block line names a person rather than an office or body."""
    if HONORIFIC.match(line):
        return not OFFICE_WORDS.search(line[HONORIFIC.match(line).end() :].title())  # type: ignore[union-attr]
    name = line.split(",", 1)[0]
    tokens = name.split()
    titled = name.title() if name.isupper() else name
    return (
        2 <= len(tokens) <= 5
        and all(token[:1].isupper() and NAME_TOKEN.match(token) for token in tokens)
        and not any(token.lower() in NOT_IN_PERSON_NAMES for token in tokens)
        and not ORGANIZATION_WORDS.search(titled)
        and not OFFICE_WORDS.search(titled)
    )
