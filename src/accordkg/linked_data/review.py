"""A source text as HTML with the spans of its facts marked, built from their offsets.

Spans nest (an instrument's may hold its recitals) and may cross. HTML elements only
nest, so the text is cut at every start and end, and each piece is wrapped in the marks
of the spans covering it, outermost (earliest start, then longest) first: a span that
nests is one `mark`; one that crosses another continues in a second `mark` after the
other closes, the continuation marked as such and without a link of its own. The first
piece of each span starts with an empty link to its fact, labelled for screen readers
and shown by the style sheet as the key of its kind, so the text content of the whole is
the source text exactly. Every piece of text and every attribute is escaped (the
template takes the markup as it is).
"""

from bisect import insort
from dataclasses import dataclass
from html import escape
from itertools import pairwise


@dataclass(frozen=True)
class Highlight:
    """One fact's evidence span: where it is, what it says, whose it is and of what kind."""

    start: int
    end: int
    quote: str
    evidence: str  # the IRI of the evidence annotation
    fact: str  # the fact's label
    href: str | None  # the fact's page
    kind: str  # the kind's name, as the legend shows it
    key: str  # the kind's key, shown before the span
    style: int  # the kind's style (colour and underline)


def marked_up(text: str, highlights: list[Highlight]) -> str:
    """`text` escaped, each highlight a `mark` (or more, where spans cross) holding
    exactly its span; the highlights must lie within the text and not be empty."""
    order = sorted(highlights, key=lambda h: (h.start, -h.end, h.evidence))
    starts: dict[int, list[int]] = {}
    ends: dict[int, list[int]] = {}
    for rank, highlight in enumerate(order):
        starts.setdefault(highlight.start, []).append(rank)
        ends.setdefault(highlight.end, []).append(rank)
    bounds = sorted({0, len(text), *starts, *ends})
    covering: list[int] = []  # the ranks of the spans covering the piece, in order
    open_marks: list[int] = []  # the ranks of the marks open in the markup, outermost first
    begun: set[int] = set()
    parts: list[str] = []
    for here, after in pairwise(bounds):
        for rank in ends.get(here, ()):
            covering.remove(rank)
        for rank in starts.get(here, ()):
            insort(covering, rank)
        kept = 0
        while kept < min(len(open_marks), len(covering)) and open_marks[kept] == covering[kept]:
            kept += 1
        parts.extend("</mark>" for _ in open_marks[kept:])
        for rank in covering[kept:]:
            parts.append(_open(order[rank], continued=rank in begun))
            begun.add(rank)
        open_marks = covering.copy()
        parts.append(_text(text[here:after]))
    parts.extend("</mark>" for _ in open_marks)
    return "".join(parts)


def _open(highlight: Highlight, *, continued: bool) -> str:
    h = highlight
    attributes = (
        f' data-evidence="{escape(h.evidence)}" data-start="{h.start}" data-end="{h.end}"'
        f' data-kind="{escape(h.kind)}" title="{escape(f"{h.fact} ({h.kind})")}"'
    )
    if continued:
        return f'<mark class="hl s{h.style} continued"{attributes}>'
    name = escape(f"{h.fact}, {h.kind}, characters {h.start} to {h.end}")
    link = (
        f'<a class="fact" href="{escape(h.href)}" data-key="{escape(h.key)}" aria-label="{name}">'
        if h.href
        else f'<a class="fact" data-key="{escape(h.key)}" aria-label="{name}">'
    )
    return f'<mark class="hl s{h.style}"{attributes}>{link}</a>'


def _text(piece: str) -> str:
    """A piece of the text escaped, carriage returns as references: a parser would turn
    a literal one into a line feed."""
    return escape(piece).replace("\r", "&#13;")
