"""Stage 1: read a source file safely and clean it, keeping every character's offset.

Instruments arrive as text exported from PDFs or saved from web pages, and both carry
furniture that is not the instrument: page numbers, running heads, words hyphenated at
line ends and hard-wrapped paragraphs without blank lines between them; site banners,
cookie notices, feedback widgets and footers. Cleaning removes that furniture, removes
markdown markup (links, emphasis), normalises whitespace and repairs page-break
duplicates (a paragraph cut off mid-sentence and repeated in full in the next one).
Every character of a cleaned line keeps the offset of the raw character it came from,
and every kind of removal is counted in the document's repairs, so nothing is lost
silently.

Lines with markdown links are navigation: they are kept for the segmenter, which reads
them by the page's structure. Anything unsure is kept: a kept line loses nothing.
"""

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from accordkg.errors import InputError
from accordkg.extraction.lexicon import (
    BULLET,
    COMPOUND_HEADS,
    CONTINUING_WORDS,
    ENDS_IN_ABBREVIATION,
    HYPHENATED_PREFIXES,
    ITEM_LINE_START,
    WORD_ENDING,
    in_capitals,
    opens_recital,
)
from accordkg.extraction.text import Text

LINE_END = re.compile(r"[\n\f]")
MARKDOWN_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")
EMPHASIS = re.compile(r"\*{1,3}|(?<!\w)_{1,2}(?=\w)|(?<=\w)_{1,2}(?!\w)")
INNER_SOFT_HYPHEN = re.compile("\u00ad(?!$)")
HTML_PAGE_TAG = re.compile(r"<\s*(!doctype\s+html|html|head|body|div|p|script)\b", re.IGNORECASE)
SENTENCE_END = ".;:!?)"
MIN_DUPLICATE = 20

# Page numbers alone on a line. Labelled ones ("Page 3", "Page 3 of 7", "- 3 -", "3/7")
# are page numbers wherever they stand; bare ones ("3", "[3]") only at a page's edge.
LABELLED_PAGE_NUMBER = re.compile(
    r"(?:page|p\.)\s*(?P<page>\d{1,4})(?:\s*(?:of|/)\s*(?P<pages>\d{1,4}))?"
    r"|[-\u2013\u2014]\s*(?P<dashed>\d{1,4})\s*[-\u2013\u2014]"
    r"|(?P<page_of>\d{1,4})\s*(?:/|of)\s*(?P<pages_of>\d{1,4})",
    re.IGNORECASE,
)
BARE_PAGE_NUMBER = re.compile(r"\d{1,3}|\[\d{1,3}\]")
EDGE_LINES = 3  # lines at the top and at the bottom of a page that may be furniture
RUNNING_HEAD_MAX_WORDS = 15
RUNNING_HEAD_MAX_CHARS = 100
DIGITS = re.compile(r"\d+")

# What starts a paragraph in hard-wrapped text (items and bullets: see the lexicon). Strong
# starts split wherever they stand; weak ones only after a line that ends a clause or is
# visibly not wrapped.
IN_SENTENCE = re.compile(r"\d{1,3}(?:\.\d{1,3})+\s+[a-z]")  # "1.5 million", not "1.5 The"
HEADING = re.compile(
    r"(?:Article|ARTICLE|Art\.|Section|SECTION|Part|PART|Chapter|CHAPTER|Annex|ANNEX)"
    r"\s+(?:\d{1,3}|[IVXLC]{1,7})\b"
)
HEADING_ALONE = re.compile(r"\s*(?:[.:\u2013\u2014-]?\s*[A-Z][^.;]{0,80})?")
STRONG_START = re.compile(
    r"(?:WHEREAS|NOW,? THEREFORE|(?:HAVE|Have) (?:AGREED|agreed|REACHED|reached|DECIDED|decided)"
    r")\b|FOR\s+[A-Z][^a-z]*:$"
)
WEAK_START = re.compile(r"(?:Whereas|Now,? therefore)\b|For\s+(?:the\s+)?[A-Z].*:$")
CLAUSE_END = re.compile(r"(?:[.;:!?][\"'\u201d\u2019)\]]*|[;,]\s*(?:and|or|and/or))$")
SENTENCE_ENDS = re.compile(r"[.;:!?][\"'\u201d\u2019)\]]*$")
WRAP_SLACK = 0.85  # a break is deliberate when the next word would have fit with room to spare
PROSE_WIDTH = 60  # blocks with lines this long are wrapped prose, not stacked short lines
PROSE_LINE = 0.6  # ... and a line this share of the width long is a line of prose

# Hyphenation at line ends.
WORD = re.compile(r"[^\W\d_]+(?:[-\u2010][^\W\d_]+)*")
HYPHEN_BREAK = re.compile(
    r"(?<![^\W\d_])(?P<left>[^\W\d_]+(?:[-\u2010][^\W\d_]+)*)(?P<hyphen>[-\u2010\u00ad])$"
)
RIGHT_WORD = re.compile(r"[^\W\d_]+")
HYPHENS = ("-", "\u2010", "\u00ad")

# Web chrome: a whole line, matched case-insensitively. Each alternative names its kind.
_Q = "['\u2019]"
CHROME = re.compile(
    "|".join(
        f"(?P<{kind}>{'|'.join(patterns)})"
        for kind, patterns in {
            "banner": [
                r"an official website of the (?:united states|u\.s\.) government",
                r"an official (?:website of the european union|eu website)",
                rf"here{_Q}s how you know",
                r"skip to (?:main )?(?:content|navigation)",
                r"official websites use \.gov",
                r"a \.gov website belongs to an official government organi[sz]ation in the "
                r"united states\.",
                r"secure \.gov websites use https",
                rf"a lock \(.{{0,40}}\) or https:// means you{_Q}ve safely connected to the \.gov "
                r"website\. share sensitive information only on official, secure websites\.",
                r"share this (?:page|article)",
                r"share on (?:facebook|twitter|x|linkedin|email|whatsapp)",
                r"print(?: this page)?",
                r"(?:main )?menu|search(?: this site)?|toggle navigation|back to top|close|home",
                r"you are here:?",
            ],
            "cookie": [
                r"we use (?:some )?(?:essential |necessary )?cookies\b.{0,300}",
                rf"we{_Q}d (?:also )?like to (?:set|use) (?:some )?(?:additional |analytics |"
                r"optional )?cookies\b.{0,300}",
                r"(?:this|our) (?:web)?site uses cookies\b.{0,300}",
                rf"you(?:{_Q}ve| have) (?:accepted|rejected) (?:all |additional |optional )?"
                r"cookies\b.{0,300}",
                r"(?:accept|reject|allow|decline) (?:all |additional |optional |analytics )?"
                r"cookies",
                r"cookies?(?: settings| preferences| policy)?|manage cookies|view cookies",
                r"change (?:your )?cookie settings|cookies on [\w .]{1,40}",
                r"hide (?:this|cookie) message",
            ],
            "feedback": [
                r"(?:was|is) this page (?:helpful|useful)\??",
                r"did you find what you were looking for\??",
                r"(?:yes|no|maybe)(?:\s*/?\s*(?:yes|no|maybe))+",
                r"yes,? this page is useful|no,? this page is not useful",
                r"report a problem with this page|thank you for your feedback",
                r"help us improve [\w .]{1,40}|(?:give|send) feedback(?: about this page)?",
            ],
            "footer": [
                r"(?:\u00a9|(?:\(c\)|copyright) (?:\u00a9|\d{4}|crown copyright)).{0,100}",
                r"crown copyright(?: \d{4})?|all rights reserved\.?",
                r"all content is available under the open government licence v\d(?:\.\d)?,? "
                r"except where otherwise stated",
                r"privacy (?:notice|policy|statement)|terms and conditions",
                r"terms of (?:use|service)",
                r"contact us|follow us(?: on [\w ,]{1,60})?|accessibility statement",
                r"site ?map|freedom of information(?: \(foi\))?|foia|copyright information",
                r"disclaimer|legal notice|sign up for (?:email )?updates",
                r"(?:facebook|twitter|linkedin|youtube|instagram|flickr|rss|whatsapp|tiktok|"
                r"threads|bluesky|mastodon|weibo|wechat|pinterest|email)"
                r"(?:\s+(?:facebook|twitter|linkedin|youtube|instagram|flickr|rss|whatsapp|"
                r"tiktok|threads|bluesky|mastodon|weibo|wechat|pinterest|email|x))*",
            ],
        }.items()
    ),
    re.IGNORECASE,
)
CHROME_FOLLOWER = re.compile(r"yes|no|maybe|x", re.IGNORECASE)  # chrome only after chrome
CHROME_MAX_CHARS = 400
CHROME_NAMES = {
    "banner": "web banner line",
    "cookie": "cookie notice line",
    "feedback": "feedback widget line",
    "footer": "web footer line",
}


@dataclass(frozen=True)
class Paragraph:
    """A block of text between blank lines (or one of the paragraphs a hard-wrapped block
    was split into), as cleaned lines."""

    lines: tuple[Text, ...]
    has_links: bool

    @property
    def text(self) -> Text:
        """The lines joined with single spaces."""
        return Text.join(list(self.lines))


@dataclass(frozen=True)
class CleanDocument:
    """The raw source and its cleaned paragraphs, with notes of what was repaired."""

    raw: str
    paragraphs: tuple[Paragraph, ...]
    repairs: tuple[str, ...]


def read_source(path: Path, max_bytes: int) -> str:
    """The text of a source file, or an InputError saying exactly why it cannot be used."""
    data = read_bytes(path, max_bytes)
    if b"\x00" in data:
        raise InputError(f"{path}: this is a binary file, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: not UTF-8 text (byte {exc.start} is 0x{data[exc.start]:02x}); "
            "convert it to UTF-8 first"
        ) from exc
    if HTML_PAGE_TAG.search(text[:4096]):
        raise InputError(
            f"{path}: this is an HTML page; save it as {path.stem}.html to have its text read"
        )
    return text


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """A source file's bytes, or an InputError: missing, unreadable, over the size limit,
    or empty."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                f"{path}: {size:,} bytes is over the limit of {max_bytes:,} bytes for one "
                "source file (ACCORDKG_MAX_SOURCE_BYTES)"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read: {exc.strerror or exc}") from exc
    if not data.strip():
        raise InputError(f"{path}: the file is empty")
    return data


def clean(raw: str) -> CleanDocument:
    """Split `raw` into cleaned paragraphs without page furniture or web chrome, and
    repair page-break duplicates."""
    counts = _Counts()
    lines = _physical_lines(raw)
    furniture = _page_furniture(lines, counts)
    blocks = _blocks(raw, lines, furniture, counts)
    broken = any(line.text.value.endswith(HYPHENS) for block in blocks for line in block)
    vocabulary = _Vocabulary.of(blocks) if broken else None
    paragraphs: list[Paragraph] = []
    for block in blocks:
        pieces = _split_block(block)
        if len(pieces) > 1:
            counts.split_blocks += 1
            counts.split_paragraphs += len(pieces)
        for piece in pieces:
            texts = [line.text for line in piece]
            if vocabulary is not None:
                texts = _undo_hyphenation(texts, vocabulary, counts)
            paragraphs.append(
                Paragraph(lines=tuple(texts), has_links=any(line.has_links for line in piece))
            )
    repaired, duplicates = _repair_duplicates(paragraphs)
    return CleanDocument(
        raw=raw, paragraphs=tuple(repaired), repairs=(*counts.notes(), *duplicates)
    )


@dataclass
class _Counts:
    """What cleaning removed or rejoined in one document, for its repair notes."""

    removed: Counter[str] = field(default_factory=Counter)
    running_heads: list[str] = field(default_factory=list)
    page_joins: int = 0
    hyphens_joined: int = 0
    hyphens_kept: int = 0
    split_blocks: int = 0
    split_paragraphs: int = 0

    def notes(self) -> list[str]:
        """One note per kind of repair, with its count, in a fixed order."""
        removed = self.removed
        notes = [
            _count("removed", removed["page number"], "page number", "page numbers"),
            _count(
                "removed",
                removed["running head"],
                "running head or footer",
                "running heads or footers",
                f" ({', '.join(repr(head) for head in self.running_heads)})",
            ),
            *(
                _count("removed", removed[kind], name, f"{name}s")
                for kind, name in CHROME_NAMES.items()
            ),
            _count(
                "joined",
                self.page_joins,
                "paragraph split by a page break",
                "paragraphs split by page breaks",
            ),
            _count(
                "joined",
                self.hyphens_joined,
                "word hyphenated at a line end",
                "words hyphenated at line ends",
            ),
            _count(
                "kept the hyphen of",
                self.hyphens_kept,
                "compound broken at a line end",
                "compounds broken at line ends",
            ),
            _count(
                "split",
                self.split_blocks,
                "block without blank lines",
                "blocks without blank lines",
                f" into {self.split_paragraphs} paragraphs",
            ),
        ]
        return [note for note in notes if note]


def _count(verb: str, number: int, one: str, many: str, detail: str = "") -> str:
    """A repair note ("removed 3 page numbers"), or "" when there was nothing to do."""
    if not number:
        return ""
    return f"{verb} {number} {one if number == 1 else many}{detail}"


class _Line(NamedTuple):
    """One physical line of the raw text: its span and the page it is on."""

    start: int
    end: int
    page: int
    value: str  # the raw line, whitespace collapsed: for recognising furniture


class _CleanLine(NamedTuple):
    text: Text
    has_links: bool


def _physical_lines(raw: str) -> list[_Line]:
    """The raw text's lines; a form feed ends a line and a page, and so does a labelled
    page number ("Page 2 of 4") in text exported without form feeds."""
    lines = []
    start = page = 0
    for match in [*LINE_END.finditer(raw), None]:
        end = match.start() if match else len(raw)
        line = _Line(start, end, page, " ".join(raw[start:end].split()))
        lines.append(line)
        if match:
            page += match.group() == "\f" or _labelled_page_number(line)
            start = match.end()
    return lines


def _page_furniture(lines: list[_Line], counts: _Counts) -> dict[int, str]:
    """Line indexes of page numbers and running heads or footers, by kind.

    A running head or footer is a short line at the edge of two or more pages that reads
    the same on each, apart from a page number that grows with the page; a line that ends
    with punctuation or opens a paragraph (an item, "Article 3") is text, not furniture."""
    furniture = {i: "page number" for i, line in enumerate(lines) if _labelled_page_number(line)}
    pages: dict[int, list[int]] = {}
    for index, line in enumerate(lines):
        if line.value and index not in furniture:
            pages.setdefault(line.page, []).append(index)
    if len(pages) < 2:
        return _counted(furniture, counts)
    edges = sorted(
        {i for found in pages.values() for i in (*found[:EDGE_LINES], *found[-EDGE_LINES:])}
    )
    groups: dict[str, list[int]] = {}
    for index in edges:
        value = lines[index].value
        if BARE_PAGE_NUMBER.fullmatch(value):
            furniture[index] = "page number"
        elif _may_be_running_head(value):
            groups.setdefault(DIGITS.sub("#", value.casefold()), []).append(index)
    for group in groups.values():
        if _is_running_head([lines[i] for i in group]):
            counts.running_heads.append(lines[group[0]].value)
            furniture.update(dict.fromkeys(group, "running head"))
    return _counted(furniture, counts)


def _counted(furniture: dict[int, str], counts: _Counts) -> dict[int, str]:
    counts.removed.update(furniture.values())
    return furniture


def _labelled_page_number(line: _Line) -> bool:
    match = LABELLED_PAGE_NUMBER.fullmatch(line.value)
    if match is None:
        return False
    page, pages = match["page"] or match["page_of"], match["pages"] or match["pages_of"]
    return pages is None or int(page) <= int(pages)


def _may_be_running_head(value: str) -> bool:
    return (
        len(value) <= RUNNING_HEAD_MAX_CHARS
        and len(value.split()) <= RUNNING_HEAD_MAX_WORDS
        and not value.endswith((".", ":", ";", ",", "!", "?"))
        and not _starts_paragraph(value)
    )


def _is_running_head(group: list[_Line]) -> bool:
    """Whether these look-alike edge lines are one running head: on two or more pages,
    and any number in them that changes changes exactly as the page does."""
    if len({line.page for line in group}) < 2:
        return False
    for before, after in itertools.pairwise(group):
        numbers = zip(DIGITS.findall(before.value), DIGITS.findall(after.value), strict=True)
        for number_before, number_after in numbers:
            step = int(number_after) - int(number_before)
            if step and step != after.page - before.page:
                return False
    return True


def _blocks(
    raw: str, lines: list[_Line], furniture: dict[int, str], counts: _Counts
) -> list[list[_CleanLine]]:
    """Cleaned lines grouped into blocks between blank lines, without furniture and chrome.

    A page break (or removed furniture) ends a block unless the text runs on across it
    (see `_runs_on`). A line of chrome ends the block it interrupts."""
    blocks: list[list[_CleanLine]] = []
    block: list[_CleanLine] = []
    blank = page_break = after_chrome = False
    page = 0
    for index, line in enumerate(lines):
        if line.page != page:
            page_break, page = True, line.page
        if index in furniture:
            page_break = True
            continue
        if not line.value:
            blank = True
            continue
        text = _clean_line(Text.of_raw(raw, line.start, line.end))
        if not text.value:
            continue
        has_links = bool(MARKDOWN_LINK.search(raw, line.start, line.end))
        if block and page_break and _runs_on(block[-1].text.value, text.value):
            counts.page_joins += 1
        elif block and (blank or page_break):
            blocks.append(block)
            block = []
        blank = page_break = False
        kind = None if has_links else _chrome_kind(text.value, block, after_chrome)
        after_chrome = kind is not None
        if kind is not None:
            counts.removed[kind] += 1
            if block:
                blocks.append(block)
                block = []
            continue
        block.append(_CleanLine(text, has_links))
    if block:
        blocks.append(block)
    return blocks


def _runs_on(before: str, after: str) -> bool:
    """Whether a paragraph cut by a page break goes on in the line after the break: the
    line before does not end a sentence, the next opens no paragraph, and either the next
    starts lower-case or the line before ends in a comma, a hyphen or a word that cannot
    end a sentence ("the", "of", "and")."""
    if SENTENCE_ENDS.search(before) or _starts_paragraph(after):
        return False
    last_word = before.rsplit(maxsplit=1)[-1].casefold()
    return after[0].islower() or before.endswith((",", *HYPHENS)) or last_word in CONTINUING_WORDS


def _chrome_kind(value: str, block: list[_CleanLine], after_chrome: bool) -> str | None:
    """The kind of web chrome a whole line is, or None. A line that may continue the
    sentence of the line before is never chrome."""
    if len(value) > CHROME_MAX_CHARS:
        return None
    if block and not (block[-1].has_links or SENTENCE_ENDS.search(block[-1].text.value)):
        return None
    match = CHROME.fullmatch(value)
    if match is not None:
        return match.lastgroup
    if after_chrome and CHROME_FOLLOWER.fullmatch(value):
        return "feedback" if value.casefold() != "x" else "footer"
    return None


def _clean_line(line: Text) -> Text:
    """The line without markdown links, emphasis and inner soft hyphens, its whitespace
    normalised."""
    without_links = line.substitute(MARKDOWN_LINK, lambda match: line.group(match, 1))
    cleaned = without_links.substitute(EMPHASIS, lambda _: "").collapse_whitespace().strip()
    return cleaned.substitute(INNER_SOFT_HYPHEN, lambda _: "")


def _starts_paragraph(value: str) -> bool:
    """Whether a line opens an item, a heading, a recital keyword or a signature block."""
    return bool(
        BULLET.match(value)
        or ITEM_LINE_START.match(value)
        or HEADING.match(value)
        or STRONG_START.match(value)
        or WEAK_START.match(value)
    )


def _strong_start(value: str) -> bool:
    """Whether a line opens a paragraph wherever it stands: a bullet, WHEREAS, NOW,
    THEREFORE, "Have agreed", a "FOR THE ...:" header in capitals, an article heading alone
    on its line."""
    if BULLET.match(value) or STRONG_START.match(value):
        return True
    heading = HEADING.match(value)
    return heading is not None and HEADING_ALONE.fullmatch(value, heading.end()) is not None


def _split_block(block: list[_CleanLine]) -> list[list[_CleanLine]]:
    """A block split into paragraphs where hard-wrapped text starts a new one; a wrapped
    sentence is never split. See `_splits_before` for the rules."""
    if len(block) == 1:
        return [block]
    lengths = sorted(len(line.text) for line in block)
    width = lengths[-1] if len(lengths) < 10 else lengths[(len(lengths) - 1) * 9 // 10]
    pieces = [[block[0]]]
    for previous, line in itertools.pairwise(block):
        if _splits_before(previous.text.value, line.text.value, width):
            pieces.append([])
        pieces[-1].append(line)
    return pieces


def _splits_before(before: str, value: str, width: int) -> bool:
    """Whether `value` starts a new paragraph after the line `before` in a block whose
    lines are `width` long. It does when it
    - opens an item or heading (numbers, letters, roman numerals, bullets, "Article 3",
      "WHEREAS", "For the ...:"): strong openers anywhere, others after a line that
      ends a clause or that was not wrapped;
    - opens a recital with a participle ("Recognizing", "CONVINCED") after a line ending
      in ";", or in "," or ":" when that line was not wrapped;
    - follows the end of a sentence on a line that was not wrapped, in prose;
    - is prose after a heading line in capitals that was not wrapped.
    A line was not wrapped when the next line's first word would have fit on it with
    room to spare."""
    deliberate = len(before) + 1 + len(value.split(maxsplit=1)[0]) <= WRAP_SLACK * width
    if _starts_paragraph(value):
        if IN_SENTENCE.match(value):  # "CAD" / "1.5 million per year": a number goes on
            return bool(CLAUSE_END.search(before))
        return _strong_start(value) or deliberate or bool(CLAUSE_END.search(before))
    if _opens_recital(value) and (before.endswith(";") or (deliberate and before[-1] in ",:")):
        return True
    if width < PROSE_WIDTH or not deliberate or value[0].islower():
        return False
    if SENTENCE_ENDS.search(before):
        return not ENDS_IN_ABBREVIATION.search(before)
    return (
        in_capitals(before)
        and not before.endswith((",", ";"))
        and not in_capitals(value)
        and len(value) >= PROSE_LINE * width
    )


def _opens_recital(value: str) -> bool:
    return opens_recital(value.split(maxsplit=1)[0].rstrip(","))


@dataclass(frozen=True)
class _Vocabulary:
    """The document's own words, the evidence for undoing hyphenation at line ends: how
    often each word occurs (casefolded, hyphenated compounds as one word), and the first
    parts of its hyphenated compounds. The pieces of words broken at line ends are left
    out: they are what is being decided."""

    words: Counter[str]
    compound_heads: frozenset[str]

    @classmethod
    def of(cls, blocks: list[list[_CleanLine]]) -> "_Vocabulary":
        words: Counter[str] = Counter()
        for block in blocks:
            broken = False
            for line in block:
                found = WORD.findall(line.text.value.casefold().replace("\u2010", "-"))
                ends_broken = _hyphen_break(line.text.value) is not None
                words.update(found[int(broken) : len(found) - int(ends_broken)])
                broken = ends_broken
        heads = frozenset(word.split("-", 1)[0] for word in words if "-" in word)
        return cls(words, heads)

    def has(self, word: str) -> bool:
        """Whether `word`, or its plural or singular, occurs in the document."""
        return bool(
            self.words[word]
            or self.words[word + "s"]
            or (word.endswith("s") and self.words[word[:-1]])
        )


def _undo_hyphenation(lines: list[Text], vocabulary: _Vocabulary, counts: _Counts) -> list[Text]:
    """The lines with words broken at line ends put back together: the first word of the
    next line moves up onto the line it was broken from, with its hyphen dropped or kept
    as `_joins_hyphenated` decides. No character is inserted; all keep their offsets."""
    merged: list[Text] = [lines[0]]
    for line in lines[1:]:
        before = merged[-1]
        break_ = _hyphen_break(before.value)
        if break_ is None or not line.value[0].isalnum():
            merged.append(line)
            continue
        word_end = next((i for i, c in enumerate(line.value) if c.isspace()), len(line.value))
        join = _joins_hyphenated(break_, line.value[:word_end], vocabulary)
        if join:
            counts.hyphens_joined += 1
            before = before[: len(before) - 1]
        else:
            counts.hyphens_kept += 1
        merged[-1] = Text.join([before, line[:word_end]], separator="")
        rest = line[word_end:].strip()
        if rest.value:
            merged.append(rest)
    return merged


def _hyphen_break(value: str) -> re.Match[str] | None:
    """The word broken by a hyphen at the end of a line, if one is."""
    return HYPHEN_BREAK.search(value) if value.endswith(HYPHENS) else None


def _joins_hyphenated(break_: re.Match[str], next_word: str, vocabulary: _Vocabulary) -> bool:
    """Whether a hyphen at a line end only broke a word ("coop-" "eration") rather than
    joining a compound ("government-to-" "government"), on the document's own evidence:
    1. a soft hyphen always only broke a word;
    2. keep it before a digit ("COVID-" "19") and in a compound of three or more parts
       ("state-of-the-" "art");
    3. join when the joined word (or its plural or singular) occurs elsewhere;
    4. keep it before a capital ("Anglo-" "American"), after an acronym ("AI-"), after a
       prefix written with a hyphen ("self-", "non-"), after a word that starts a
       hyphenated compound elsewhere ("co-" where "co-operation" occurs), and between
       two words that both occur elsewhere on their own ("decision-" "making");
    5. join otherwise: the right part is lower-case and the left part is no word here.
    Keeping a hyphen that should have gone loses nothing; joining a compound would."""
    if break_["hyphen"] == "\u00ad":
        return True
    right_match = RIGHT_WORD.match(next_word)
    left = break_["left"]
    if right_match is None or "-" in left or "\u2010" in left:
        return False
    right = right_match.group()
    head, tail = left.casefold(), right.casefold()
    if vocabulary.has(head + tail):
        return True
    compound = (
        right[0].isupper()
        or (vocabulary.words[head] > 0 and not WORD_ENDING.fullmatch(tail))
        or (left.isupper() and len(left) > 1)
        or head in HYPHENATED_PREFIXES
        or head in COMPOUND_HEADS
        or head in vocabulary.compound_heads
        or bool(vocabulary.words[head] and vocabulary.words[tail])
    )
    return not compound


def _repair_duplicates(paragraphs: list[Paragraph]) -> tuple[list[Paragraph], list[str]]:
    """Merge a paragraph cut off mid-sentence with the next one, which repeats its end and
    goes on. Navigation (paragraphs with links) is never merged: a breadcrumb ending in
    the page title is not a cut-off sentence."""
    result: list[Paragraph] = []
    repairs: list[str] = []
    for paragraph in paragraphs:
        previous = result[-1] if result else None
        if (
            previous is None
            or previous.has_links
            or paragraph.has_links
            or previous.lines[-1].value[-1] in SENTENCE_END  # no cut-off sentence
        ):
            result.append(paragraph)
            continue
        overlap = _overlap(previous.text.value, paragraph.text.value)
        rest = paragraph.text[overlap:].strip()
        if overlap < MIN_DUPLICATE or not rest.value:
            result.append(paragraph)
            continue
        result[-1] = Paragraph(lines=(*previous.lines, rest), has_links=False)
        repairs.append(
            f"repaired a page-break duplicate: {overlap} characters at offset "
            f"{paragraph.text.span[0]} repeat the end of the paragraph before"
        )
    return result, repairs


def _overlap(before: str, after: str) -> int:
    """Length of the longest whole-word prefix of `after` that ends `before`, if `before`
    stops mid-sentence; 0 otherwise. Only the places where `after`'s first characters
    occur in `before` are tried, so long paragraphs cost no more than a search."""
    if not before or before[-1] in SENTENCE_END or len(after) < MIN_DUPLICATE:
        return 0
    opening = after[:MIN_DUPLICATE]
    start = before.find(opening, max(0, len(before) - len(after)))
    while start != -1:
        length = len(before) - start
        at_word_start = start == 0 or not before[start - 1].isalnum()
        at_word_end = length == len(after) or not after[length].isalnum()
        if at_word_start and at_word_end and after.startswith(before[start:]):
            return length
        start = before.find(opening, start + 1)
    return 0
