"""The one check for values that name an IRI."""

import pytest
from rdflib import URIRef

from accordkg.errors import InputError
from accordkg.iris import checked_iri, is_absolute_iri

ABSOLUTE = [
    "https://w3id.org/accordkg/id/graph/mappings",
    "urn:nothing",
    "mailto:someone@example.org",
    "http://example.org/a?b=c#d",
    "http://[::1]:8080/x",
    "https://例え.jp/パス",
]
REFUSED = [
    "",
    "x",  # relative
    "a|b",  # the SSSOM route's 500
    "state/united-kingdom",
    "1http://example.org/",  # a scheme starts with a letter
    "http:",  # nothing after the scheme
    "http://example.org/a b",
    "http://example.org/a\tb",
    "http://example.org/a\u00a0b",  # a no-break space
    "http://example.org/a\u2028b",  # a line separator
    "http://example.org/\x7f",
    "http://example.org/\x85",
    "http://example.org/\ud800",  # a lone surrogate: not text
    "http://example.org/>",
    "http://example.org/<",
    'http://example.org/"',
    "http://example.org/{}",
    "http://example.org/^",
    "http://example.org/`",
    "http://example.org/\\",
    "http://x/> } ; DROP ALL ; #",
    "http://[bad/",  # not a host
    "http://example.org/%zz",  # not a percent-encoding
    "urn:a#b#c",  # two fragments
]


@pytest.mark.parametrize("value", ABSOLUTE)
def test_absolute_iris_pass(value: str) -> None:
    assert is_absolute_iri(value)
    assert checked_iri(value, "graph") == URIRef(value)


@pytest.mark.parametrize("value", REFUSED)
def test_what_is_not_an_absolute_iri_is_refused_naming_the_parameter(value: str) -> None:
    assert not is_absolute_iri(value)
    with pytest.raises(InputError, match=r"^graph must be an absolute IRI, not "):
        checked_iri(value, "graph")


def test_a_long_refused_value_is_quoted_short() -> None:
    with pytest.raises(InputError) as refused:
        checked_iri("x" * 10_000, "graph")
    assert len(str(refused.value)) < 300
