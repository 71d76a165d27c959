"""Segmentation of the seed page, and of a text without page markers."""

from accordkg.extraction.clean import clean
from accordkg.extraction.segment import looks_like_name, segment
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
    assert len(segments.items) == 4
    assert len(segments.closing) == 1
    assert segments.signing_clause is not None
    assert [block.party.value for block in segments.signature_blocks] == [
        "the United States",
        "the United Kingdom of Great Britain and Northern Ireland",
    ]
    assert [len(block.signers) for block in segments.signature_blocks] == [1, 2]


def test_footer_after_end_text_is_not_part_of_the_instrument() -> None:
    segments = segment(clean(RAW))
    everything = [*segments.recitals, *segments.items, *segments.closing]
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
    assert [c.value for c in segments.closing] == ["We will cooperate."]
    assert segments.signing_clause is not None


def test_names_offices_and_bodies_in_signature_blocks() -> None:
    assert looks_like_name("The Right Honorable Oliver Dowden, CBE MP")
    assert looks_like_name("Michael J.K. Kratsios")
    assert looks_like_name("Anna Kovac")
    assert not looks_like_name("Secretary of State")
    assert not looks_like_name("The White House")
    assert not looks_like_name("Director General")
    assert not looks_like_name("Department for Digital, Culture, Media, and Sport")
