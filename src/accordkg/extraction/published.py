"""Stage 0: a file as published (a saved web page, a PDF) to the text that evidence offsets
count into.

The text is derived once and stored beside the file (`accordkg.extraction.sources`), so
that every offset keeps pointing at the same characters whatever library version reads
the file later. Nothing here reaches the network or resolves an entity.

- HTML is parsed with lxml. The page's main region (`main`, `[role=main]`, its one
  `article`, else `body`) is kept without what is never the instrument: scripts,
  navigation, forms and buttons, cookie banners, feedback and sharing widgets, asides and
  footers (by element, ARIA role, or a class or id naming them), never what holds the
  page's title. Blocks are separated by blank lines, line breaks kept, list items
  numbered as the page numbers them, and table cells laid out side by side as columns.
- PDFs are read with pypdf's layout mode, which prints each line where it stands on the
  page: signature blocks side by side stay in columns that the segmenter reads apart.
  Pages are separated by form feeds. Page numbers, running heads and words hyphenated at
  line ends stay in the text: the cleaner removes them with every offset kept, as it does
  for any text exported from a PDF.
"""

import io
import logging
import re
from dataclasses import dataclass
from itertools import zip_longest

import lxml.etree
import lxml.html
import pypdf
import pypdf.errors

from accordkg.errors import InputError

HTML = "text/html"
PDF = "application/pdf"
MEDIA_TYPES = {".html": HTML, ".htm": HTML, ".pdf": PDF}
MIN_MAIN_TEXT_WORDS = 30  # fewer words than a short declaration's preamble: no main text

logging.getLogger("pypdf").addHandler(logging.NullHandler())  # its notes are not ours to print


@dataclass(frozen=True)
class DerivedText:
    """The text read from a published file, the library that read it, and what it could
    not read well."""

    text: str
    tool: str  # the library and its version, as "pypdf 5.1.0"
    warnings: tuple[str, ...]


def derive_text(data: bytes, media_type: str) -> DerivedText:
    """The text of a published file's bytes; an InputError (without the file's name: the
    caller adds it) says why there is none."""
    return _pdf_text(data) if media_type == PDF else _html_text(data)


# --- HTML ------------------------------------------------------------------------------

NEVER_TEXT = frozenset(
    {
        "aside", "button", "canvas", "dialog", "embed", "footer", "form", "iframe", "img",
        "input", "map", "nav", "noscript", "object", "script", "select", "style", "svg",
        "template", "textarea", "video", "audio", "head", "title", "meta", "link",
    }
)  # fmt: skip
CHROME_ROLES = frozenset(
    {
        "alert", "alertdialog", "banner", "complementary", "contentinfo", "dialog", "menu",
        "menubar", "navigation", "search", "toolbar",
    }
)  # fmt: skip
CHROME_NAME = re.compile(
    r"(?:^|[-_])(?:banner|breadcrumbs?|consent|cookies?|feedback|gdpr|menu|nav|navbar|"
    r"newsletter|pagination|print|related|share|sharing|sidebar|skip|social|subscribe|toolbar)"
    r"(?:$|[-_])",
    re.IGNORECASE,
)
BLOCKS = frozenset(
    {
        "address", "article", "blockquote", "body", "caption", "center", "dd", "details",
        "div", "dl", "dt", "fieldset", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
        "h6", "header", "hr", "li", "main", "ol", "p", "pre", "section", "summary", "table",
        "ul",
    }
)  # fmt: skip
COLUMN_GAP = " " * 4  # more than the three spaces that part columns in a text
WHITESPACE = re.compile(r"\s+")
DECLARED_ENCODING = re.compile(rb"<meta[^>]+charset|<\?xml[^>]+encoding|^\xef\xbb\xbf", re.I)
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def _html_text(data: bytes) -> DerivedText:
    parser = lxml.html.HTMLParser(
        encoding=_encoding(data), no_network=True, remove_comments=True, remove_pis=True
    )
    try:
        root = lxml.html.document_fromstring(data, parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise InputError(f"not a readable HTML page ({exc})") from exc
    region = _main_region(root)
    title = next(iter(region.iter("h1")), None)
    keep = set(title.iterancestors()) | {title} if title is not None else set()
    for element in list(region.iter()):
        if element.getparent() is None:
            continue
        if _is_hidden(element) or (element not in keep and _is_chrome(element)):
            element.drop_tree()
    headings = sum(len(heading.text_content().split()) for heading in region.iter(*HEADINGS))
    if len(region.text_content().split()) - headings < MIN_MAIN_TEXT_WORDS:
        raise InputError(
            "no main text in this HTML page (only headings, navigation and page furniture)"
        )
    text = "\n\n".join("\n".join(block) for block in _Blocks().of(region) if block)
    return DerivedText(text + "\n", f"lxml {lxml.etree.__version__}", ())


def _encoding(data: bytes) -> str | None:
    """UTF-8 for a page that declares no encoding and is valid UTF-8 (as saved pages
    mostly are; the parser would read it as Latin-1); else None: what the page declares,
    or the parser's guess."""
    if DECLARED_ENCODING.search(data[:4096]):
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "utf-8"


def _main_region(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The element holding the page's own content: the one `main` (or element with the
    role), else the one `article`, else the body."""
    for path in ("//main", "//*[@role='main']", "//article"):
        found = root.xpath(path)
        if len(found) == 1:
            return found[0]
    body = root.find("body")
    return root if body is None else body


def _is_hidden(element: lxml.html.HtmlElement) -> bool:
    """Whether an element is never shown as text: a script, a form, a hidden element."""
    return (
        not isinstance(element.tag, str)  # a comment or processing instruction kept
        or element.tag in NEVER_TEXT
        or element.get("hidden") is not None
        or element.get("aria-hidden") == "true"
    )


def _is_chrome(element: lxml.html.HtmlElement) -> bool:
    """Whether an element is page furniture by its role or by what its class or id
    names: a banner, navigation, a cookie notice, a feedback or sharing widget."""
    if element.get("role") in CHROME_ROLES:
        return True
    names = [*(element.get("class") or "").split(), element.get("id") or ""]
    return any(CHROME_NAME.search(name) for name in names if name)


class _Blocks:
    """A region's text as blocks of lines, in reading order."""

    def __init__(self) -> None:
        self.blocks: list[list[str]] = []
        self.line: list[str] = []
        self.lines: list[str] = []

    def of(self, element: lxml.html.HtmlElement) -> list[list[str]]:
        self._walk(element, preformatted=False)
        self._end_block()
        return self.blocks

    def _walk(self, element: lxml.html.HtmlElement, preformatted: bool) -> None:
        tag = element.tag
        preformatted = preformatted or tag == "pre"
        if tag == "br":
            self._end_line()
        elif tag == "table":
            self._end_block()
            self.blocks.extend(_table_rows(element))
            self._tail(element, preformatted)
            return
        elif tag in BLOCKS:
            self._end_block()
        if tag == "li":
            self.line.append(_item_marker(element))
        self._add(element.text, preformatted)
        for child in element:
            self._walk(child, preformatted)
        if tag in BLOCKS:
            self._end_block()
        self._tail(element, preformatted)

    def _tail(self, element: lxml.html.HtmlElement, preformatted: bool) -> None:
        self._add(element.tail, preformatted and element.tag != "pre")

    def _add(self, text: str | None, preformatted: bool) -> None:
        if not text:
            return
        if not preformatted:
            self.line.append(WHITESPACE.sub(" ", text))
            return
        first, *rest = text.split("\n")
        self.line.append(first)
        for line in rest:
            self._end_line()
            self.line.append(line)

    def _end_line(self) -> None:
        line = " ".join("".join(self.line).split())
        self.line = []
        if line:
            self.lines.append(line)

    def _end_block(self) -> None:
        self._end_line()
        if self.lines:
            self.blocks.append(self.lines)
        self.lines = []


def _table_rows(table: lxml.html.HtmlElement) -> list[list[str]]:
    """A table's rows as blocks, its cells laid out side by side in columns as wide as the
    widest line of the column (and a gap), so that the columns stay apart and aligned."""
    rows = [
        [[line for block in _Blocks().of(cell) for line in block] for cell in row]
        for row in table.iter("tr")
    ]
    widths: list[int] = []
    for row in rows:
        for index, cell in enumerate(row):
            width = max(map(len, cell), default=0)
            if index < len(widths):
                widths[index] = max(widths[index], width)
            else:
                widths.append(width)
    return [
        [
            (
                COLUMN_GAP.join(
                    line.ljust(width) for line, width in zip(lines, widths, strict=False)
                )
            ).rstrip()
            for lines in zip_longest(*row, fillvalue="")
        ]
        for row in rows
    ]


def _item_marker(item: lxml.html.HtmlElement) -> str:
    """The marker a browser prints before a list item: a bullet, or its number in the
    list's numbering (`type` 1, a, A, i or I; `start`; `value`)."""
    parent = item.getparent()
    if parent is None or parent.tag != "ol":
        return "\u2022 "
    number = int(parent.get("start") or 1)
    for sibling in parent.iterchildren("li"):
        if sibling.get("value", "").isdigit():
            number = int(sibling.get("value", ""))
        if sibling is item:
            break
        number += 1
    kind = parent.get("type") or "1"
    if kind in "aA":
        letter = chr(ord("a") + (number - 1) % 26)
        return f"({letter if kind == 'a' else letter.upper()}) "
    if kind in "iI":
        numeral = _roman(number)
        return f"({numeral.lower() if kind == 'i' else numeral}) "
    return f"{number}. "


def _roman(number: int) -> str:
    numerals = []
    for value, digits in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        count, number = divmod(number, value)
        numerals.append(digits * count)
    return "".join(numerals)


# --- PDF -------------------------------------------------------------------------------


def _pdf_text(data: bytes) -> DerivedText:
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError("the PDF is encrypted; save a copy without a password first")
        pages = [_page_lines(page.extract_text(extraction_mode="layout")) for page in reader.pages]
    except pypdf.errors.DependencyError as exc:
        raise InputError("the PDF is encrypted; save a copy without a password first") from exc
    except InputError:
        raise
    except Exception as exc:  # pypdf fails in many ways on a broken file: none is ours
        raise InputError(f"not a readable PDF ({type(exc).__name__}: {exc})") from exc
    if not any(pages):
        raise InputError("the PDF has no text layer (scanned images only?); run OCR on it first")
    blank = [str(number) for number, lines in enumerate(pages, start=1) if not lines]
    warnings = (
        (f"no text layer on page(s) {', '.join(blank)} of the PDF: their text is missing",)
        if blank
        else ()
    )
    text = "\n\f".join("\n".join(lines) for lines in pages)
    return DerivedText(text + "\n", f"pypdf {pypdf.__version__}", warnings)


def _page_lines(layout: str) -> list[str]:
    """A page's lines as pypdf lays them out, without trailing spaces and the blank lines
    that pad the page's foot."""
    lines = [line.rstrip() for line in layout.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return lines
