"""Content negotiation as RFC 9110 describes it."""

import pytest

from accordkg.sparql.negotiation import negotiate

OFFERS = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv"]


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, "application/sparql-results+json"),
        ("", "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("text/csv", "text/csv"),
        ("text/csv; charset=utf-8", "text/csv"),
        ("TEXT/CSV", "text/csv"),
        ("text/*", "text/csv"),
        ("application/sparql-results+xml;q=0.9, text/csv;q=0.8", "application/sparql-results+xml"),
        ("text/csv;q=0.5, */*;q=0.1", "text/csv"),
        ("*/*;q=0.1, text/csv;q=0", "application/sparql-results+json"),
        ("text/html, application/xhtml+xml", None),
        ("text/csv;q=0", None),
        ("garbage", None),
        ("text/csv;q=abc, application/sparql-results+xml", "application/sparql-results+xml"),
    ],
)
def test_negotiate(accept: str | None, chosen: str | None) -> None:
    assert negotiate(accept, OFFERS) == chosen


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, None),
        ("", None),
        ("*/*", None),
        ("text/csv, */*;q=0.1", "text/csv"),
        ("text/*", "text/csv"),
        ("*/*, application/sparql-results+xml;q=0.5", "application/sparql-results+xml"),
        ("text/html, */*", None),
    ],
)
def test_negotiate_what_the_client_names(accept: str | None, chosen: str | None) -> None:
    """`stated`: only types the client names count, never `*/*` or a missing Accept."""
    assert negotiate(accept, OFFERS, stated=True) == chosen
