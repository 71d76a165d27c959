"""Dates as instruments print them."""

import pytest
from rdflib import Literal
from rdflib.namespace import XSD

from accordkg.extraction.dates import find_date, find_day_in_year


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on September 25, 2020, in two originals", "2020-09-25"),
        ("SEPTEMBER 25, 2020", "2020-09-25"),
        ("Done at Geneva on 3 March 2022", "2022-03-03"),
        ("this 14th day of July 2023", "2023-07-14"),
        ("dated 2021-06-30", "2021-06-30"),
        ("on Sept. 1, 2019", "2019-09-01"),
    ],
)
def test_full_dates(text: str, expected: str) -> None:
    found = find_date(text)
    assert found is not None
    assert found.literal == Literal(expected, datatype=XSD.date)


def test_impossible_days_are_not_dates() -> None:
    assert find_date("on February 30, 2021") is None


@pytest.mark.parametrize(
    ("text", "expected", "datatype"),
    [
        ("September 2017", "2017-09", XSD.gYearMonth),
        ("of 2015", "2015", XSD.gYear),
        ("3 March 2022", "2022-03-03", XSD.date),
    ],
)
def test_partial_dates(text: str, expected: str, datatype: str) -> None:
    found = find_date(text, partial=True)
    assert found is not None
    assert found.literal == Literal(expected, datatype=datatype)


def test_partial_dates_only_when_asked() -> None:
    assert find_date("September 2017") is None


def test_a_day_without_its_year() -> None:
    found = find_day_in_year("the September 25 inaugural meeting", 2020)
    assert found is not None
    assert found.literal == Literal("2020-09-25", datatype=XSD.date)
    assert found.start == 4
