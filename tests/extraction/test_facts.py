"""The rule tables of the facts stage, phrase by phrase: bodies set up, instruments named,
and what a signing clause says."""

import pytest
from rdflib import Literal
from rdflib.namespace import XSD

from accordkg.extraction.facts import (
    languages_in,
    mechanisms_in,
    originals_in,
    party_label,
    references_in,
)

MECHANISMS = [
    # whatever verb sets it up
    ("We intend to establish a bilateral government-to-government dialogue on AI.",
     ("bilateral government-to-government dialogue",)),
    ("We will create a joint working group to map the research data.", ("joint working group",)),
    ("We will convene an annual forum, hosted in turn by each Presidency.", ("annual forum",)),
    ("We resolve to set up a network of centres of excellence that will host researchers.",
     ("network of centres of excellence",)),
    ("We will launch the G7 AI for Science Initiative to support joint projects.",
     ("G7 AI for Science Initiative",)),
    ("Our research funding agencies will form a steering committee to coordinate it.",
     ("steering committee",)),
    ("The Parties shall constitute a joint commission of experts.",
     ("joint commission of experts",)),
    # a proper name whole, a passive one too
    ("The Sides will establish a Joint Working Group on Artificial Intelligence, co-chaired by "
     "officials.", ("Joint Working Group on Artificial Intelligence",)),
    ("A Steering Board composed of two members of each Participant shall be set up.",
     ("Steering Board",)),
    ("A Conference of the Parties shall be set up, composed of representatives of the Parties.",
     ("Conference of the Parties",)),
    ("We will create a joint working group and convene an annual forum.",
     ("joint working group", "annual forum")),
    # nothing set up
    ("We will create new opportunities for early-career researchers.", ()),
    ("We will convene again in 2025 under the next Presidency.", ()),
    ("The Participants will launch joint calls for proposals.", ()),
    ("The Parties shall establish a framework for cooperation.", ()),
    ("Cooperation may take the form of a working group of experts.", ()),
    ("The Joint Committee will meet at least once a year.", ()),
]  # fmt: skip


@pytest.mark.parametrize(("text", "bodies"), MECHANISMS)
def test_bodies_a_provision_sets_up(text: str, bodies: tuple[str, ...]) -> None:
    assert mechanisms_in(text) == bodies


REFERENCES = [
    ("Building on the US-UK Science and Technology Agreement signed in September 2017, we",
     "US-UK Science and Technology Agreement", Literal("2017-09", datatype=XSD.gYearMonth),
     None, True),
    ("Recalling the Agreement on Scientific and Technological Cooperation between the Swiss "
     "Confederation and Australia, signed at Berne on 4 June 2012,",
     "Agreement on Scientific and Technological Cooperation between the Swiss Confederation "
     "and Australia", Literal("2012-06-04", datatype=XSD.date), "Berne", False),
    ("Welcoming the Joint Statement on Research and Innovation Cooperation between Switzerland "
     "and Australia of 2019,",
     "Joint Statement on Research and Innovation Cooperation between Switzerland and Australia",
     Literal("2019", datatype=XSD.gYear), None, False),
    ("Taking into account the Convention for the Protection of Individuals with regard to "
     "Automatic Processing of Personal Data of 28 January 1981 (ETS No. 108);",
     "Convention for the Protection of Individuals with regard to Automatic Processing of "
     "Personal Data", Literal("1981-01-28", datatype=XSD.date), None, False),
    ("Having regard to the Memorandum of Understanding between the National Research "
     "Foundation of Korea and the Centre National de la Recherche Scientifique on "
     "Cooperation in Artificial Intelligence Research, signed at Seoul on 14 May 2024, "
     "which this Arrangement implements;",
     "Memorandum of Understanding between the National Research Foundation of Korea and the "
     "Centre National de la Recherche Scientifique on Cooperation in Artificial Intelligence "
     "Research", Literal("2024-05-14", datatype=XSD.date), "Seoul", True),
    ("Having regard to the Agreement for Scientific Cooperation signed at Paris on 9 October "
     "2013,", "Agreement for Scientific Cooperation", Literal("2013-10-09", datatype=XSD.date),
     "Paris", False),  # regard is had to it: cited, not built on
    ("Pursuant to the Framework Agreement signed in 2011, the Sides will meet.",
     "Framework Agreement", Literal("2011", datatype=XSD.gYear), None, True),
]  # fmt: skip


@pytest.mark.parametrize(("text", "name", "date", "place", "builds_on"), REFERENCES)
def test_instruments_named_with_their_dates_as_printed(
    text: str, name: str, date: Literal | None, place: str | None, builds_on: bool
) -> None:
    (reference,) = references_in(text)
    assert (reference.name, reference.date, reference.place, reference.builds_on) == (
        name,
        date,
        place,
        builds_on,
    )


@pytest.mark.parametrize(
    "text",
    [
        "This Memorandum will come into effect on signature.",
        "Nothing in this Agreement affects the rights of the Parties.",
        "The Participants will meet at the annual conference.",
        "Under the present Declaration, the Sides will cooperate.",
        "The Agreement signed in May between the agencies will be renewed.",  # no name
    ],
)
def test_the_instrument_itself_and_common_nouns_are_not_references(text: str) -> None:
    assert references_in(text) == ()


SIGNING_CLAUSES = [
    ("Signed in London and Washington on September 25, 2020, in two originals, in the English "
     "language.", 2, ("en",)),
    ("Done at Berne on 4 June 2012, in duplicate, in the English and German languages, both "
     "texts being equally authentic.", 2, ("en", "de")),
    ("Signed in duplicate at Seoul on 14 May 2024, in the English and Korean languages.",
     2, ("en", "ko")),
    ("Done at Strasbourg, this 12th day of October 2022, in English and French, both texts "
     "being equally authentic, in a single copy.", 1, ("en", "fr")),
    ("Done at Geneva on 3 March 2022, in three originals, in the English, French and Spanish "
     "languages.", 3, ("en", "fr", "es")),
    ("Signed at Abu Dhabi on the 15th of January 2024, in two originals, each in the Korean, "
     "Arabic and English languages.", 2, ("ko", "ar", "en")),
    ("Done in triplicate at Santiago on 9 April 2025.", 3, ()),
    ("Issued at Tokyo on June 3, 2025.", None, ()),
    ("Adopted in Turin on 11 July 2024, in Italy.", None, ()),  # a place, not a language
    ("Signed in 4 originals in Vienna.", 4, ()),
]  # fmt: skip


@pytest.mark.parametrize(("clause", "originals", "languages"), SIGNING_CLAUSES)
def test_what_a_signing_clause_says(
    clause: str, originals: int | None, languages: tuple[str, ...]
) -> None:
    assert originals_in(clause) == originals
    assert languages_in(clause) == languages


@pytest.mark.parametrize(
    ("printed", "label"),
    [
        ("NATIONAL RESEARCH FOUNDATION OF KOREA", "National Research Foundation of Korea"),
        ("THE MINISTRY OF SCIENCE AND ICT", "Ministry of Science and ICT"),
        ("UK RESEARCH AND INNOVATION", "UK Research and Innovation"),
        ("NATIONAL INSTITUTE OF INFORMATION AND COMMUNICATIONS TECHNOLOGY (NICT)",
         "National Institute of Information and Communications Technology (NICT)"),
        ("the Ministry of Science and ICT", "Ministry of Science and ICT"),
    ],
)  # fmt: skip
def test_a_name_in_capitals_keeps_its_abbreviations(printed: str, label: str) -> None:
    assert party_label(printed) == label
