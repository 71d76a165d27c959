"""Cleaning: markup and whitespace go, offsets stay, page-break duplicates are repaired."""

from accordkg.extraction.clean import clean

DUPLICATED = (
    "Building on earlier work, we intend to advance our shared vision and work towards an "
    "ecosystem that\n\nwe intend to advance our shared vision and work towards an ecosystem "
    "that embodies this approach by:\n\nTaking stock of things;"
)


def test_markdown_links_and_emphasis_are_removed_with_offsets_kept() -> None:
    raw = "U.S. DEPARTMENT *of* STATE\n\n[Home](#) > **[Bureau](#)** >\n"
    document = clean(raw)
    banner, breadcrumb = document.paragraphs
    assert banner.text.value == "U.S. DEPARTMENT of STATE"
    assert breadcrumb.text.value == "Home > Bureau >"
    assert breadcrumb.has_links
    bureau = breadcrumb.text[7:13]
    start, end = bureau.span
    assert raw[start:end] == "Bureau"


def test_a_cut_off_paragraph_repeated_in_full_is_merged_once() -> None:
    document = clean(DUPLICATED)
    lead_in, item = document.paragraphs
    assert lead_in.text.value == (
        "Building on earlier work, we intend to advance our shared vision and work towards an "
        "ecosystem that embodies this approach by:"
    )
    start, end = lead_in.text.span
    assert (start, end) == (0, DUPLICATED.index("\n\nTaking"))
    assert item.text.value == "Taking stock of things;"
    (repair,) = document.repairs
    assert "page-break duplicate" in repair


def test_a_breadcrumb_ending_in_the_title_is_not_merged_with_the_title() -> None:
    title = "Joint Statement on Research Cooperation"
    raw = f"[News](#) > {title}\n\n{title}\n"
    document = clean(raw)
    assert [p.text.value for p in document.paragraphs] == [
        "News > Joint Statement on Research Cooperation",
        "Joint Statement on Research Cooperation",
    ]
    assert document.repairs == ()


def test_sentences_that_end_are_never_merged() -> None:
    sentence = "We intend to meet and talk about research cooperation."
    raw = f"{sentence}\n\n{sentence} Again."
    assert len(clean(raw).paragraphs) == 2
