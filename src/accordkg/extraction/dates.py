"""Dates as instruments print them, to xsd:date, xsd:gYearMonth or xsd:gYear literals."""

import re
from dataclasses import dataclass
from datetime import date

from rdflib import Literal
from rdflib.namespace import XSD

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
YEAR = r"(?P<year>\d{4})"
FULL_DATES = [
    re.compile(rf"\b{MONTH}\s+{DAY},?\s+{YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{DAY}\s+(?:(?:day\s+)?of\s+)?{MONTH},?\s+{YEAR}\b", re.IGNORECASE),
    re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b"),
    re.compile(r"\b(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})\b"),  # 17.04.2024
]
MONTH_AND_YEAR = re.compile(rf"\b{MONTH}\s+{YEAR}\b", re.IGNORECASE)
DAYS_WITHOUT_YEAR = [
    re.compile(rf"\b{MONTH}\s+{DAY}\b", re.IGNORECASE),
    re.compile(rf"\b{DAY}\s+{MONTH}(?!\s*,?\s*\d)", re.IGNORECASE),
]
YEAR_ONLY = re.compile(r"\b(?P<year>(?:18|19|20)\d{2})\b")


@dataclass(frozen=True)
class FoundDate:
    """A date literal and where in the searched string it was written."""

    literal: Literal
    start: int
    end: int


def find_date(text: str, *, partial: bool = False) -> FoundDate | None:
    """The first full date in `text`; with `partial`, else a month and year, else a year."""
    for pattern in FULL_DATES:
        match = pattern.search(text)
        if match and (day := _day(match)) is not None:
            return FoundDate(Literal(day.isoformat(), datatype=XSD.date), *match.span())
    if not partial:
        return None
    match = MONTH_AND_YEAR.search(text)
    if match:
        month = MONTHS[match["month"].lower()]
        value = f"{match['year']}-{month:02d}"
        return FoundDate(Literal(value, datatype=XSD.gYearMonth), *match.span())
    match = YEAR_ONLY.search(text)
    if match:
        return FoundDate(Literal(match["year"], datatype=XSD.gYear), *match.span())
    return None


def find_day_in_year(text: str, year: int) -> FoundDate | None:
    """A day written without its year ("the September 25 meeting"), placed in `year`."""
    for pattern in DAYS_WITHOUT_YEAR:
        match = pattern.search(text)
        if match:
            try:
                day = date(year, MONTHS[match["month"].lower()], int(match["day"]))
            except ValueError:
                return None
            return FoundDate(Literal(day.isoformat(), datatype=XSD.date), *match.span())
    return None


def _day(match: re.Match[str]) -> date | None:
    month = match["month"]
    month_number = int(month) if month.isdigit() else MONTHS[month.lower()]
    try:
        return date(int(match["year"]), month_number, int(match["day"]))
    except ValueError:
        return None
