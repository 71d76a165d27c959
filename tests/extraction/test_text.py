"""`Text` keeps each character's offset in the raw source through every edit."""

import re

from accordkg.extraction.text import Text

RAW = "  Hello   [big](#)\n world  "


def test_of_raw_and_span() -> None:
    text = Text.of_raw(RAW, 2, 7)
    assert text.value == "Hello"
    assert text.span == (2, 7)


def test_substitute_keeps_offsets_of_kept_and_replaced_characters() -> None:
    text = Text.of_raw(RAW, 0, len(RAW))
    linked = text.substitute(re.compile(r"\[([^\]]*)\]\([^)]*\)"), lambda m: text.group(m, 1))
    assert linked.value == "  Hello   big\n world  "
    big = linked.value.index("big")
    assert RAW[linked.offsets[big]] == "b"
    assert RAW[linked.offsets[big + 2]] == "g"


def test_collapse_and_strip_keep_the_span_honest() -> None:
    text = Text.of_raw(RAW, 0, len(RAW)).collapse_whitespace().strip()
    assert text.value == "Hello [big](#) world"
    start, end = text.span
    assert RAW[start:end] == "Hello   [big](#)\n world"


def test_join_puts_separators_after_the_previous_part() -> None:
    first, second = Text.of_raw(RAW, 2, 7), Text.of_raw(RAW, 20, 25)
    joined = Text.join([first, second])
    assert joined.value == "Hello world"
    assert joined.offsets[5] == 7
    assert joined.span == (2, 25)


def test_lines_split_at_newlines() -> None:
    lines = [line.value for line in Text.of_raw(RAW, 0, len(RAW)).lines()]
    assert lines == ["  Hello   [big](#)", " world  "]
