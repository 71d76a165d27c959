"""Stage 1: read a source file safely and clean it, keeping every character's offset.

Cleaning removes markdown markup (links, emphasis), normalises whitespace, and repairs
page-break duplicates (a paragraph cut off mid-sentence and repeated in full in the
next one). Nothing is dropped here that a later stage might need: navigation and
chrome are recognised by the segmenter, which knows the document's structure.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from accordkg.errors import InputError
from accordkg.extraction.text import Text

PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
MARKDOWN_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")
EMPHASIS = re.compile(r"\*{1,3}|(?<!\w)_{1,2}(?=\w)|(?<=\w)_{1,2}(?!\w)")
HTML_PAGE = re.compile(r"<\s*(!doctype\s+html|html|head|body|div|p|script)\b", re.IGNORECASE)
SENTENCE_END = ".;:!?)"
MIN_DUPLICATE = 20


@dataclass(frozen=True)
class Paragraph:
    """A block of text between blank lines, as cleaned lines."""

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
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                f"{path}: {size:,} bytes is over the limit of {max_bytes:,} bytes for one "
                "source text"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read: {exc.strerror or exc}") from exc
    if not data.strip():
        raise InputError(f"{path}: the file is empty")
    if b"\x00" in data:
        raise InputError(f"{path}: this is a binary file, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: not UTF-8 text (byte {exc.start} is 0x{data[exc.start]:02x}); "
            "convert it to UTF-8 first"
        ) from exc
    if HTML_PAGE.search(text[:4096]):
        raise InputError(f"{path}: this is an HTML page; extract the page's text first")
    return text


def clean(raw: str) -> CleanDocument:
    """Split `raw` into cleaned paragraphs and repair page-break duplicates."""
    paragraphs = []
    start = 0
    for separator in [*PARAGRAPH_BREAK.finditer(raw), None]:
        end = separator.start() if separator else len(raw)
        paragraph = _clean_paragraph(Text.of_raw(raw, start, end))
        if paragraph is not None:
            paragraphs.append(paragraph)
        start = separator.end() if separator else end
    repaired, repairs = _repair_duplicates(paragraphs)
    return CleanDocument(raw=raw, paragraphs=tuple(repaired), repairs=tuple(repairs))


def _clean_paragraph(block: Text) -> Paragraph | None:
    lines = [cleaned for line in block.lines() if (cleaned := _clean_line(line)).value]
    if not lines:
        return None
    return Paragraph(lines=tuple(lines), has_links=bool(MARKDOWN_LINK.search(block.value)))


def _clean_line(line: Text) -> Text:
    """The line without markdown links and emphasis, its whitespace normalised."""
    without_links = line.substitute(MARKDOWN_LINK, lambda match: line.group(match, 1))
    return without_links.substitute(EMPHASIS, lambda _: "").collapse_whitespace().strip()


def _repair_duplicates(paragraphs: list[Paragraph]) -> tuple[list[Paragraph], list[str]]:
    """Merge a paragraph cut off mid-sentence with the next one, which repeats its end and
    goes on. Navigation (paragraphs with links) is never merged: a breadcrumb ending in
    the page title is not a cut-off sentence."""
    result: list[Paragraph] = []
    repairs: list[str] = []
    for paragraph in paragraphs:
        previous = result[-1] if result else None
        if previous is None or previous.has_links or paragraph.has_links:
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
    stops mid-sentence; 0 otherwise."""
    if not before or before[-1] in SENTENCE_END:
        return 0
    for length in range(min(len(before), len(after)), MIN_DUPLICATE - 1, -1):
        at_word_start = length == len(before) or not before[-length - 1].isalnum()
        at_word_end = length == len(after) or not after[length].isalnum()
        if at_word_start and at_word_end and before.endswith(after[:length]):
            return length
    return 0
