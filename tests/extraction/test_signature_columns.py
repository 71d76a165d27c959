"""Signature blocks as printed: side by side in two columns, or stacked, their headers,
offices and organizations wrapped over two or three lines in their column, on a page with
a running head and page numbers. Each PDF reads to the facts of its plain-text twin, where
every line is whole; where a block's lines cannot be told apart (which is the office,
which the organization, where a wrapped line goes on), it gives no signature for that
block and a warning naming it, never a wrong signatory.

The instruments are written here: each block as data, laid out at several column widths
and printed in several fonts.
"""

import textwrap
from dataclasses import dataclass
from itertools import zip_longest
from pathlib import Path
from typing import Any

import pytest

from accordkg.extraction import ExtractedDocument, extract_file
from accordkg.extraction.published import PDF, derive_text
from accordkg.extraction.registry import Registry
from accordkg.namespaces import DEFAULT_BASE_IRI
from tests.conftest import INPUTS
from tests.extraction import pdfs
from tests.extraction.test_genre import reading

MAX_BYTES = 1_000_000
GAP = 6  # spaces between two columns, at the widest line of the left one
RULE = "_" * 24  # the line to sign on
RUNNING_HEAD = "Memorandum of Understanding on Artificial Intelligence Research"
INSTRUMENT = """{head}

MEMORANDUM OF UNDERSTANDING
BETWEEN {first}
AND {second}
ON COOPERATION IN ARTIFICIAL INTELLIGENCE RESEARCH

Recognising the value of cooperation in artificial intelligence research;

Desiring to strengthen the exchange of researchers between their communities;

Have reached the following understanding:

1. The Participants intend to exchange researchers and research data.

2. The Participants intend to hold a joint workshop every year.

3. This Memorandum is not legally binding.

                                    - 1 -
\f
{head}

Signed in duplicate at London on 12 March 2025, in the English language.


{blocks}


                                    - 2 -
"""


@dataclass(frozen=True)
class Block:
    """A signature block as a publisher writes it: each part one line when unwrapped."""

    header: str
    name: str
    office: str
    organization: str | None = None

    def lines(self, width: int) -> list[str]:
        """The block in a column `width` characters wide: header, rule, name, office and
        organization, each wrapped in the column."""
        parts = [self.office, *([self.organization] if self.organization else [])]
        wrapped = [line for part in parts for line in _wrapped(part, width)]
        return [*_wrapped(self.header, width), "", "", RULE, self.name, *wrapped]


SCENES: dict[str, tuple[Block, Block]] = {
    "governments": (
        Block(
            "FOR THE GOVERNMENT OF THE UNITED KINGDOM OF GREAT BRITAIN AND NORTHERN IRELAND:",
            "The Rt Hon Eleanor Whitcombe MP",
            "Secretary of State for Science, Innovation and Technology of the United Kingdom",
        ),
        Block(
            "FOR THE GOVERNMENT OF THE UNITED STATES OF AMERICA:",
            "Daniel R. Hollister",
            "Director of the Office of Science and Technology Policy",
            "The White House",
        ),
    ),
    "ministries": (
        Block(
            "For the Department for Science, Innovation and Technology of the United Kingdom:",
            "Sarah Okonjo-Baptiste",
            "Permanent Secretary",
            "Department for Science, Innovation and Technology of the United Kingdom",
        ),
        Block(
            "For the Government of the Republic of Korea:",
            "Dr. Park Min-jae",
            "Vice Minister of Science and ICT",
            "Ministry of Science and ICT of the Republic of Korea",
        ),
    ),
    "agencies": (
        Block(
            "For the National Science Foundation of the United States of America:",
            "Dr. Maria Castellanos-Reyes",
            "Assistant Director for Computer and Information Science and Engineering",
            "National Science Foundation",
        ),
        Block(
            "For the Centre National de la Recherche Scientifique:",
            "Professor Antoine Lefebvre-Marchand",
            "Director of the Institute for Information Sciences and their Interactions",
            "Centre National de la Recherche Scientifique",
        ),
    ),
}
# Name, honorific, office, organization and party as the twins read them (the bodies as
# the records and the gazetteer name them).
SIGNATURES = {
    "governments": [
        (
            "Eleanor Whitcombe",
            "The Rt Hon",
            "Secretary of State for Science, Innovation and Technology of the United Kingdom",
            None,
            "United Kingdom of Great Britain and Northern Ireland",
        ),
        (
            "Daniel R. Hollister",
            None,
            "Director of the Office of Science and Technology Policy",
            "The White House",
            "United States of America",
        ),
    ],
    "ministries": [
        (
            "Sarah Okonjo-Baptiste",
            None,
            "Permanent Secretary",
            "Department for Science, Innovation and Technology of the United Kingdom",
            "Department for Science, Innovation and Technology of the United Kingdom",
        ),
        (
            "Park Min-jae",
            "Dr.",
            "Vice Minister of Science and ICT",
            "Ministry of Science and ICT of the Republic of Korea",
            "Republic of Korea",
        ),
    ],
    "agencies": [
        (
            "Maria Castellanos-Reyes",
            "Dr.",
            "Assistant Director for Computer and Information Science and Engineering",
            "U.S. National Science Foundation",
            "National Science Foundation of the United States of America",
        ),
        (
            "Antoine Lefebvre-Marchand",
            "Professor",
            "Director of the Institute for Information Sciences and their Interactions",
            "Centre National de la Recherche Scientifique",
            "Centre National de la Recherche Scientifique",
        ),
    ],
}
WIDTHS = (24, 30, 38)
FONTS = {24: ("Helvetica", 10), 30: ("Times", 11), 38: ("Courier", 9)}
# Where a wrapped line cannot be told from the next part, whichever way one reads it
# ("Assistant Director for Computer and Information" / "Science and Engineering" /
# "National Science Foundation"): the parties whose block gives no signature.
UNCLEAR = {
    ("agencies", 24): {"National Science Foundation of the United States of America"},
    ("agencies", 30): {"National Science Foundation of the United States of America"},
}
CASES = [
    (scene, width, layout)
    for scene in SCENES
    for width in WIDTHS
    for layout in ("side by side", "stacked")
]


def _wrapped(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)


def side_by_side(blocks: tuple[Block, Block], width: int) -> str:
    left, right = (block.lines(width) for block in blocks)
    column = max(map(len, left)) + GAP
    return "\n".join(
        f"{a.ljust(column)}{b}".rstrip() for a, b in zip_longest(left, right, fillvalue="")
    )


def stacked(blocks: tuple[Block, Block], width: int) -> str:
    return "\n\n\n".join("\n".join(block.lines(width)) for block in blocks)


def instrument(scene: str, blocks: str) -> str:
    first, second = (block.header.split(" ", 1)[1].rstrip(":") for block in SCENES[scene])
    return INSTRUMENT.format(
        head=RUNNING_HEAD, first=first.upper(), second=second.upper(), blocks=blocks
    )


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load(INPUTS, DEFAULT_BASE_IRI)


@pytest.fixture(scope="module")
def twins(tmp_path_factory: pytest.TempPathFactory, registry: Registry) -> dict[str, Any]:
    """Each scene's plain-text twin (blocks stacked, no line wrapped), read."""
    directory = tmp_path_factory.mktemp("twins")
    read = {}
    for scene, blocks in SCENES.items():
        path = directory / f"{scene}.txt"
        path.write_text(instrument(scene, stacked(blocks, 1000)), "utf-8")
        read[scene] = reading(_extracted(path, registry).graph + registry.graph)
    return read


@dataclass(frozen=True)
class Printed:
    """A signature page as laid out, printed to a PDF, and the PDF's document."""

    layout: str
    path: Path
    document: ExtractedDocument


@pytest.fixture(scope="module", params=CASES, ids=lambda case: "-".join(map(str, case)))
def printed(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, registry: Registry
) -> tuple[tuple[str, int, str], Printed]:
    scene, width, layout = request.param
    lay_out = side_by_side if layout == "side by side" else stacked
    text = instrument(scene, lay_out(SCENES[scene], width))
    font, size = FONTS[width]
    path = tmp_path_factory.mktemp("printed") / f"{scene}.pdf"
    path.write_bytes(pdfs.printed(text, font=font, size=size))
    return request.param, Printed(text, path, _extracted(path, registry))


def _extracted(path: Path, registry: Registry) -> ExtractedDocument:
    return extract_file(path, registry, DEFAULT_BASE_IRI, MAX_BYTES)


def test_each_twin_reads_every_block_whole(twins: dict[str, Any]) -> None:
    """The twins are what the PDFs are held to: each signature as its block has it."""
    for scene, wanted in SIGNATURES.items():
        found = [tuple(signature.values()) for signature in twins[scene]["signatures"]]
        assert found == wanted, scene
        assert {party["participation"] for party in twins[scene]["parties"]} == {"signs"}


def test_a_printed_block_reads_as_its_twin_or_not_at_all(
    printed: tuple[tuple[str, int, str], Printed], twins: dict[str, Any], registry: Registry
) -> None:
    (scene, width, _), case = printed
    found = reading(case.document.graph + registry.graph)
    wanted = dict(twins[scene])
    unclear = UNCLEAR.get((scene, width), set())
    wanted["signatures"] = [s for s in wanted["signatures"] if s["party"] not in unclear]
    assert found == wanted
    named = [w for w in case.document.warnings if w.endswith("no signature read")]
    assert len(named) == len(unclear)
    for party in unclear:
        assert any(w.startswith(f"signature block for the {party}: ") for w in named)


def test_the_derived_text_keeps_every_line_and_its_columns(
    printed: tuple[tuple[str, int, str], Printed],
) -> None:
    """Line by line, the runs of words of the layout, in order, none run into another."""
    case = printed[1]
    text = derive_text(case.path.read_bytes(), PDF).text
    assert _runs(text) == _runs(case.layout)


def _runs(text: str) -> list[list[str]]:
    return [runs for line in text.splitlines() if (runs := pdfs.WORDS.findall(line))]


TEXTS = {  # signature pages as texts, and the (name, office, organization) each gives
    "an office wrapped before the last word of a state's name": (
        "For the United Kingdom:                           For the United States:\n\n"
        "Jane Doe                                          John Roe\n"
        "Secretary of State for Science, Innovation and    Director of the Office of\n"
        "Technology of the United                          Science and Technology Policy\n"
        "Kingdom                                           The White House\n",
        [
            (
                "Jane Doe",
                "Secretary of State for Science, Innovation and Technology of the United Kingdom",
                None,
            ),
            (
                "John Roe",
                "Director of the Office of Science and Technology Policy",
                "The White House",
            ),
        ],
        [],
    ),
    "a department wrapped before a name-like line": (
        "For the United Kingdom:\n\nJane Doe\nPermanent Secretary\n"
        "Department for Science, Innovation and Technology of the\nUnited Kingdom\n\n"
        "For the United States:\n\nJohn Roe\nDirector\n",
        [
            (
                "Jane Doe",
                "Permanent Secretary",
                "Department for Science, Innovation and Technology of the United Kingdom",
            ),
            ("John Roe", "Director", None),
        ],
        [],
    ),
    "a break in a column that may be a wrap": (
        "For the United Kingdom:                           For the United States:\n\n"
        "Jane Doe                                          John Roe\n"
        "Executive Chair of the Engineering and Physical   Director\n"
        "Sciences Research Council\n",
        [("John Roe", "Director", None)],
        [
            "signature block for the United Kingdom: 'Executive Chair of the Engineering and "
            "Physical' / 'Sciences Research Council' may be one line; no signature read"
        ],
    ),
    "a stacked office broken inside its body's name": (
        "For the United Kingdom:\n\nJane Doe\nExecutive Chair of the Engineering and Physical\n"
        "Sciences Research Council\n\nFor the United States:\n\nJohn Roe\nDirector\n",
        [("John Roe", "Director", None)],
        [
            "signature block for the United Kingdom: 'Executive Chair of the Engineering and "
            "Physical' / 'Sciences Research Council' may be one line; no signature read"
        ],
    ),
    "a stacked office of a body, the body under it": (
        "For the United Kingdom:\n\nJane Doe\nMinister of State for Digital\n"
        "Department for Science, Innovation and Technology\n\nFor the United States:\n\n"
        "John Roe\nDirector of the Office of Science and Technology Policy\nThe White House\n",
        [
            (
                "Jane Doe",
                "Minister of State for Digital",
                "Department for Science, Innovation and Technology",
            ),
            (
                "John Roe",
                "Director of the Office of Science and Technology Policy",
                "The White House",
            ),
        ],
        [],
    ),
    "an office that ends in a letter, a body under an office that could go on": (
        "For the United Kingdom:\n\nJane Doe\nHead of Unit A\nCabinet Office\n\n"
        "For the United States:\n\nJohn Roe\nDirector General\nDepartment of Energy\n",
        [
            ("Jane Doe", "Head of Unit A", "Cabinet Office"),
            ("John Roe", "Director General", "Department of Energy"),
        ],
        [],
    ),
    "an office above the name": (
        "For the United Kingdom:\n\nSecretary of State\nJane Doe\n\n"
        "For the United States:\n\nJohn Roe\nDirector\n",
        [("John Roe", "Director", None)],
        [
            "signature block for the United Kingdom: 'Secretary of State' is not a name; "
            "no signature read"
        ],
    ),
}


@pytest.mark.parametrize("case", sorted(TEXTS))
def test_what_a_signature_page_gives(case: str, tmp_path: Path, registry: Registry) -> None:
    blocks, signatures, warnings = TEXTS[case]
    path = tmp_path / "page.txt"
    path.write_text(
        INSTRUMENT.format(
            head=RUNNING_HEAD, first="THE UNITED KINGDOM", second="THE UNITED STATES", blocks=blocks
        ),
        "utf-8",
    )
    document = _extracted(path, registry)
    found = reading(document.graph + registry.graph)
    given = [(s["name"], s["office"], s["organization"]) for s in found["signatures"]]
    assert given == signatures
    assert [w for w in document.warnings if w.startswith("signature block")] == warnings
    assert {party["participation"] for party in found["parties"]} == {"signs"}
