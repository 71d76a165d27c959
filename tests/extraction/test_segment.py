"""Segmentation of the seed page, and of a text without page markers."""

import pytest

from accordkg.extraction.clean import clean
from accordkg.extraction.segment import looks_like_name, recital_opening, segment
from tests.conftest import SEED

RAW = SEED.read_text("utf-8")


def test_seed_segments() -> None:
    segments = segment(clean(RAW))
    assert segments.title is not None
    assert segments.title.value.startswith("Declaration of the United States of America")
    assert segments.release.release_type is not None
    assert segments.release.release_type.value == "OTHER RELEASE"
    assert segments.release.date is not None
    assert segments.release.date.value == "SEPTEMBER 25, 2020"
    assert segments.preface is not None
    assert segments.preface.value.startswith("The following declaration was released")
    assert segments.body is not None
    assert segments.body.span == (RAW.index("Begin Text") + 10, RAW.index("End Text"))
    assert len(segments.recitals) == 7
    assert segments.lead_in is not None
    assert segments.lead_in.value.endswith("by:")
    assert [unit.lead_in for unit in segments.units] == [0, 0, 0, 0, None]
    assert segments.signing_clause is not None
    assert [block.party.value for block in segments.signature_blocks] == [
        "the United States",
        "the United Kingdom of Great Britain and Northern Ireland",
    ]
    assert [len(block.signers) for block in segments.signature_blocks] == [1, 2]


def test_footer_after_end_text_is_not_part_of_the_instrument() -> None:
    segments = segment(clean(RAW))
    everything = [*segments.recitals, *(unit.text for unit in segments.units)]
    assert not any("Privacy Policy" in part.value for part in everything)


def test_a_plain_text_without_markers() -> None:
    raw = (
        "Joint Statement of Ruritania and Freedonia on Research\n\n"
        "Noting our friendship;\n\nWe will cooperate.\n\nSigned at Zenda on 1 May 2024.\n"
    )
    segments = segment(clean(raw))
    assert segments.title is not None
    assert segments.body is None
    assert [r.value for r in segments.recitals] == ["Noting our friendship;"]
    assert [unit.text.value for unit in segments.units] == ["We will cooperate."]
    assert segments.signing_clause is not None


def test_names_offices_and_bodies_in_signature_blocks() -> None:
    assert looks_like_name("The Right Honorable Oliver Dowden, CBE MP")
    assert looks_like_name("Michael J.K. Kratsios")
    assert looks_like_name("Anna Kovac")
    assert not looks_like_name("Secretary of State")
    assert not looks_like_name("The White House")
    assert not looks_like_name("Director General")
    assert not looks_like_name("Department for Digital, Culture, Media, and Sport")


@pytest.mark.parametrize(
    ("paragraph", "opening"),
    [
        ("Recognizing the benefits of AI;", "Recognizing"),
        ("RECOGNIZING the value of shared research;", "RECOGNIZING"),
        ("WHEREAS the Parties share a common interest;", "WHEREAS"),
        ("Whereas cooperation contributes to welfare;", "Whereas"),
        ("Being aware of the risks;", "Being"),
        ("Bearing in mind the importance of research;", "Bearing"),
        ("Committed to the principles of the Treaty;", "Committed"),
        ("Guided by the shared values of the Parties;", "Guided"),
        ("Aware that no country can build it alone;", "Aware"),
        ("Mindful of the need to protect human rights;", "Mindful"),
        ("We recognise that AI is changing science.", "We recognise"),
        ("We, the Leaders of the G7, recognise that AI matters.", "We recognise"),
        ("We note the growing ties between our universities.", "We note"),
        ("We will promote access to AI tools.", None),
        ("The Participants will meet annually.", None),
        ("Nothing in this Memorandum creates legally binding obligations.", None),
        ("During the meeting the Sides agreed.", None),
        ("Decided to meet again.", None),  # "-ed" without "to/by/that …" is no recital
    ],
)
def test_recital_openings(paragraph: str, opening: str | None) -> None:
    assert recital_opening(paragraph) == opening


def _signature_page(blocks: str) -> str:
    return (
        "Memorandum of Understanding between the Alpha Agency and the Beta Institute\n\n"
        "The Participants will exchange researchers.\n\n"
        f"Signed in duplicate at Zenda on 3 May 2024.\n\n{blocks}"
    )


@pytest.mark.parametrize(
    ("blocks", "parties", "signers"),
    [
        (  # stacked, with colons
            "For the Alpha Agency:\n\nJane Doe\nDirector\n\nFor the Beta Institute:\n\n"
            "John Roe\nPresident\n",
            ["the Alpha Agency", "the Beta Institute"],
            [["Jane Doe", "Director"], ["John Roe", "President"]],
        ),
        (  # side by side, headers wrapped over two lines, signature rules between
            "FOR THE ALPHA                      FOR THE BETA\n"
            "AGENCY                             INSTITUTE\n\n"
            "__________________                 __________________\n"
            "Jane Doe                           John Roe\n"
            "Director                           President\n",
            ["THE ALPHA AGENCY", "THE BETA INSTITUTE"],
            [["Jane Doe", "Director"], ["John Roe", "President"]],
        ),
        (  # "Signed for and on behalf of", no colon
            "Signed for and on behalf of the Alpha Agency\n\nJane Doe\nDirector\n\n"
            "Signed for and on behalf of the Beta Institute\n\nJohn Roe\nPresident\n",
            ["the Alpha Agency", "the Beta Institute"],
            [["Jane Doe", "Director"], ["John Roe", "President"]],
        ),
    ],
    ids=["stacked", "side-by-side", "on-behalf-of"],
)
def test_signature_blocks_stacked_or_side_by_side(
    blocks: str, parties: list[str], signers: list[list[str]]
) -> None:
    segments = segment(clean(_signature_page(blocks)))
    assert [block.party.value for block in segments.signature_blocks] == parties
    found = [[line.value for line in block.signers[0]] for block in segments.signature_blocks]
    assert found == signers


@pytest.mark.parametrize(
    ("lines", "place", "date"),
    [
        (
            "TOKYO, 3 June 2025 \u2014 The leaders issued the following statement.",
            "TOKYO",
            "3 June 2025",
        ),
        ("Washington, D.C., June 3, 2025 -- The leaders met.", "Washington, D.C.", "June 3, 2025"),
        ("Pretoria, 7 December 2022", "Pretoria", "7 December 2022"),
    ],
)
def test_datelines(lines: str, place: str, date: str) -> None:
    raw = f"Joint Statement of Japan and Canada on Research\n\n{lines}\n\nWe will cooperate.\n"
    segments = segment(clean(raw))
    assert segments.dateline_place is not None
    assert segments.header_date is not None
    assert (segments.dateline_place.value, segments.header_date.value) == (place, date)
