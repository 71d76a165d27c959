"""The marked-up source text: spans that nest, cross, coincide or touch, each one's text
exactly its span, the whole text exactly the source, everything escaped."""

import random
from pathlib import Path

import lxml.html

from accordkg.linked_data.pages import source_text_file
from accordkg.linked_data.review import Highlight, marked_up
from tests.html_tree import parse_html

TEXT = 'Recital <1> & "two"\r\nSigned at Lo\u0301ndon 😀 on 1 May.\f'


def highlight(start: int, end: int, name: str) -> Highlight:
    return Highlight(
        start=start,
        end=end,
        quote=TEXT[start:end],
        evidence=f"https://example.org/evidence/{name}",
        fact=f"<{name}>",
        href=f"/id/fact/{name}",
        kind=f"kind {name[0]}",
        key=name[0],
        style=0,
    )


def parsed(markup: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(f'<div id="text">{markup}</div>').get_element_by_id("text")


def shown(text: str, highlights: list[Highlight]) -> tuple[str, dict[str, str], int]:
    """What a parser reads from the markup: the text, each span's text (its pieces joined)
    and how many marks continue a span."""
    markup = marked_up(text, highlights)
    parse_html(f"<div>{markup}</div>")  # every element closed in order
    root = parsed(markup)
    spans: dict[str, str] = {}
    continued = 0
    for mark in root.iter("mark"):
        evidence = mark.get("data-evidence")
        spans[evidence] = spans.get(evidence, "") + mark.text_content()
        continued += "continued" in mark.classes
    return root.text_content(), spans, continued


def test_nested_crossing_coinciding_and_touching_spans() -> None:
    spans = [
        highlight(0, len(TEXT), "outer"),  # holds all the others
        highlight(0, 11, "first"),  # starts with the outer one
        highlight(8, 20, "crossing"),  # crosses the end of `first`
        highlight(21, 30, "twin-a"),  # two facts read from one span
        highlight(21, 30, "twin-b"),
        highlight(30, 33, "touching"),  # starts where the twins end
        highlight(len(TEXT) - 1, len(TEXT), "last"),
    ]
    text, texts, continued = shown(TEXT, spans)
    assert text == TEXT
    assert texts == {h.evidence: h.quote for h in spans}
    assert continued == 1  # the crossing span goes on after `first` closes


def test_everything_is_escaped_and_a_carriage_return_survives_parsing() -> None:
    markup = marked_up(TEXT, [highlight(8, 11, "angle")])
    assert "<1>" not in markup
    assert "&lt;1&gt;" in markup
    assert 'aria-label="&lt;angle&gt;, kind a, characters 8 to 11"' in markup
    assert "\r" not in markup
    assert "&#13;" in markup
    assert parsed(markup).text_content() == TEXT


def test_no_span_is_the_text_escaped() -> None:
    assert shown(TEXT, []) == (TEXT, {}, 0)


def test_any_spans_hold_their_text() -> None:
    generator = random.Random(12)
    for _ in range(200):
        spans = []
        for number in range(generator.randint(1, 8)):
            start = generator.randrange(len(TEXT))
            spans.append(highlight(start, generator.randint(start + 1, len(TEXT)), f"s{number}"))
        text, texts, _ = shown(TEXT, spans)
        assert text == TEXT
        assert texts == {h.evidence: h.quote for h in spans}


def test_a_source_document_maps_to_the_file_its_text_is_in(tmp_path: Path) -> None:
    for name in ("Joint Statement.html", "Joint Statement.html.txt", "mou.pdf", "mou.toml"):
        (tmp_path / name).write_text("text", "utf-8")
    (tmp_path / "seed.txt").write_text("text", "utf-8")
    assert source_text_file(tmp_path, "joint-statement") == tmp_path / "Joint Statement.html.txt"
    assert source_text_file(tmp_path, "mou") == tmp_path / "mou.pdf.txt"  # not derived yet
    assert source_text_file(tmp_path, "seed") == tmp_path / "seed.txt"
    assert source_text_file(tmp_path, "joint-statement-html") is None  # a text is no source
