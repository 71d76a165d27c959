"""Names to IRI slugs: readable, deterministic, and never one IRI for two names."""

import pytest

from accordkg.extraction.registry import name_key, slug

SHARED_START = (
    "Implementing Arrangement between the Swiss National Science Foundation and the "
    "Australian Research Council concerning Joint Calls for Proposals in Quantum "
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("the United States of America", "united-states-of-america"),
        ("the Government of the Republic of Korea", "republic-of-korea"),
        ("U.S. National Science Foundation", "us-national-science-foundation"),
        (
            "Centre National de la Recherche Scientifique",
            "centre-national-de-la-recherche-scientifique",
        ),
        ("Research & Innovation", "research-and-innovation"),
        ("", "unnamed"),
    ],
)
def test_slugs_are_readable(name: str, expected: str) -> None:
    assert slug(name) == expected


def test_a_cut_slug_ends_in_a_hash_of_the_whole_name() -> None:
    engineering, science = slug(SHARED_START + "Engineering"), slug(SHARED_START + "Science")
    assert engineering != science
    for cut in (engineering, science):
        readable, digest = cut.rsplit("-", 1)
        assert len(cut) <= 80 + 9
        assert len(digest) == 8
        assert name_key(SHARED_START).replace(" ", "-").startswith(readable)
    assert slug(SHARED_START + "Science") == science  # the same on every run


def test_names_that_differ_only_in_case_and_punctuation_share_a_slug() -> None:
    expected = "us-uk-science-and-technology-agreement"
    assert slug("the US-UK Science and Technology Agreement") == expected
    assert slug("The U.S.\u2013U.K. Science & Technology Agreement") == expected  # an en dash
