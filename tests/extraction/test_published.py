"""Sources as published: saved web pages and PDFs read to the same facts as their text
twins, and the files that cannot be read refused with the reason.

Two shapes of instrument, each published both ways: the seed, a bilateral declaration (its
State Department page with navigation, cookie banner, feedback widget and footer; and
printed, with a running head, page numbers, a word hyphenated at a line end and the two
parties' signature blocks side by side), and an agency MoU with numbered articles (a page
of the agency's site; and printed from the genre corpus's PDF export, two signature
columns included). The PDFs are written once per module.
"""

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib.namespace import RDF

from accordkg.errors import InputError
from accordkg.extraction import ExtractedDocument, extract_file
from accordkg.extraction.published import HTML, PDF, derive_text
from accordkg.extraction.registry import Registry
from accordkg.namespaces import DEFAULT_BASE_IRI, OA
from tests.conftest import INPUTS, SEED
from tests.extraction import pdfs
from tests.extraction.test_genre import GENRE, reading

PUBLISHED = Path(__file__).parent / "published"
MOU = GENRE / "nrf-cnrs-mou-pdf.txt"
TWINS = {  # a published file (in the module's directory) and its text twin
    "us-uk-ai-research-declaration-2020.html": SEED,
    "us-uk-ai-research-declaration-2020.pdf": SEED,
    "nrf-cnrs-mou.html": MOU,
    "nrf-cnrs-mou.pdf": MOU,
}
MAX_BYTES = 1_000_000


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load(INPUTS, DEFAULT_BASE_IRI)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The published files: the pages as saved, the PDFs printed from their layouts."""
    directory = tmp_path_factory.mktemp("published")
    for page in PUBLISHED.glob("*.html"):
        (directory / page.name).write_bytes(page.read_bytes())
    layouts = {
        "us-uk-ai-research-declaration-2020.pdf": PUBLISHED
        / "us-uk-ai-research-declaration-2020.layout.txt",
        "nrf-cnrs-mou.pdf": MOU,
    }
    for name, layout in layouts.items():
        (directory / name).write_bytes(pdfs.printed(layout.read_text("utf-8")))
    return directory


@pytest.fixture(scope="module", params=sorted(TWINS))
def twins(
    request: pytest.FixtureRequest, published: Path, registry: Registry
) -> tuple[ExtractedDocument, ExtractedDocument]:
    """A published file's document and its text twin's."""
    name: str = request.param
    return (
        extract_file(published / name, registry, DEFAULT_BASE_IRI, MAX_BYTES),
        extract_file(TWINS[name], registry, DEFAULT_BASE_IRI, MAX_BYTES),
    )


def test_a_published_file_reads_to_the_facts_of_its_text_twin(
    twins: tuple[ExtractedDocument, ExtractedDocument], registry: Registry
) -> None:
    document, twin = twins
    found = reading(document.graph + registry.graph)
    assert found == reading(twin.graph + registry.graph)
    assert found["signatures"]  # there was something to compare
    assert found["parties"]


def test_every_evidence_quotes_the_derived_text_exactly(
    twins: tuple[ExtractedDocument, ExtractedDocument], published: Path
) -> None:
    document = twins[0]
    text = derive_text(document.path.read_bytes(), _media_type(document.path)).text
    graph = document.graph
    quotes = 0
    for target in graph.objects(None, OA.hasTarget):
        selectors = list(graph.objects(target, OA.hasSelector))
        (position,) = [s for s in selectors if (s, RDF.type, OA.TextPositionSelector) in graph]
        (quote,) = [s for s in selectors if (s, RDF.type, OA.TextQuoteSelector) in graph]
        start, end = (int(str(graph.value(position, p))) for p in (OA.start, OA.end))
        assert text[start:end] == str(graph.value(quote, OA.exact))
        quotes += 1
    assert quotes > 10


def test_the_pdf_furniture_is_read_as_furniture(published: Path, registry: Registry) -> None:
    """The page numbers, running head and line-end hyphen are in the printed declaration's
    text, and removed from what is read: each removal is noted."""
    path = published / "us-uk-ai-research-declaration-2020.pdf"
    text = derive_text(path.read_bytes(), PDF).text
    assert "- 2 -" in text
    assert "commer-\ncialization" in text
    assert text.count("US-UK Declaration on Cooperation in AI Research and Development") == 2
    warnings = extract_file(path, registry, DEFAULT_BASE_IRI, MAX_BYTES).warnings
    assert "removed 3 page numbers" in warnings
    assert "joined 1 word hyphenated at a line end" in warnings
    assert any(w.startswith("removed 2 running heads") for w in warnings)


def test_signature_columns_stay_apart_in_the_derived_text(published: Path) -> None:
    """Side by side on the page, side by side in the text: each line holds both columns,
    apart, never one column's words run into the other's."""
    text = derive_text((published / "nrf-cnrs-mou.pdf").read_bytes(), PDF).text
    (line,) = [line for line in text.splitlines() if "Lee Seung-hoon" in line]
    left, right = line.split("   ", 1)
    assert left.strip() == "Dr. Lee Seung-hoon"
    assert right.strip() == "Prof. Claire Dubois-Martin"


def test_the_page_chrome_is_left_out(published: Path) -> None:
    text = derive_text((published / "nrf-cnrs-mou.html").read_bytes(), HTML).text
    for chrome in ("cookies", "Skip to main content", "Programs", "Share on", "useful?",
                   "Privacy policy", "Related:", "\u00a9", "gtag"):  # fmt: skip
        assert chrome not in text, chrome
    assert text.startswith("MEMORANDUM OF UNDERSTANDING\n\nBETWEEN\n")
    assert "(b) the exchange of researchers" in text
    assert "\n3. Either Participant may terminate" in text


@pytest.mark.parametrize(
    ("declared", "encoding"),
    [(b"", "utf-8"), (b'<meta charset="windows-1252">', "cp1252")],
)
def test_a_page_is_read_in_its_encoding(declared: bytes, encoding: str) -> None:
    """As declared; a page saved without a declaration is read as UTF-8 where it is."""
    words = "D\u00e9claration \u2013 coop\u00e9ration entre les parties. " * 8
    page = b"<html><head>%s</head><body><p>%s</p></body></html>" % (
        declared,
        words.encode(encoding),
    )
    assert derive_text(page, HTML).text == words.strip() + "\n"


def test_a_pdf_encrypted_without_a_user_password_is_read(tmp_path: Path) -> None:
    """Publishers often restrict copying with an owner password only: anyone may open it."""
    data = pdfs.encrypted("Declaration on Science\n\nWe will cooperate.", user_password="")
    assert "We will cooperate." in derive_text(data, PDF).text


BAD_FILES: dict[str, tuple[Callable[[], bytes], str]] = {
    "encrypted.pdf": (
        lambda: pdfs.encrypted("Secret text", user_password="reader"),
        "the PDF is encrypted; save a copy without a password first",
    ),
    "scanned.pdf": (lambda: pdfs.scanned(2), "the PDF has no text layer"),
    "truncated.pdf": (
        lambda: pdfs.printed(MOU.read_text("utf-8"))[:900],
        "not a readable PDF",
    ),
    "garbage.pdf": (lambda: b"%PDF-1.7\n" + bytes(range(256)) * 8, "not a readable PDF"),
    "menu.html": (
        lambda: (
            b"<html><body><nav><a href='/'>Home</a></nav><main><p>Page not found.</p>"
            b"</main><footer>Contact us</footer></body></html>"
        ),
        "no main text in this HTML page",
    ),
    "script-loaded.html": (  # the page as saved before a script filled in its text
        lambda: re.sub(
            rb'<div class="entry-content">.*?</div>',
            b'<div class="entry-content"></div>',
            (PUBLISHED / "us-uk-ai-research-declaration-2020.html").read_bytes(),
            flags=re.DOTALL,
        ),
        "no main text in this HTML page",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_file_that_cannot_be_read_says_why(name: str, tmp_path: Path) -> None:
    write, reason = BAD_FILES[name]
    path = tmp_path / name
    path.write_bytes(write())
    with pytest.raises(InputError) as raised:
        extract_file(path, Registry.load(INPUTS, DEFAULT_BASE_IRI), DEFAULT_BASE_IRI, MAX_BYTES)
    assert str(raised.value).startswith(f"{path}: {reason}")
    assert "\n" not in str(raised.value)


def test_a_pdf_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "large.pdf"
    path.write_bytes(pdfs.scanned(1))
    size = path.stat().st_size
    with pytest.raises(InputError, match=f"{size:,} bytes is over the limit of 1,000 bytes"):
        extract_file(path, Registry.load(INPUTS, DEFAULT_BASE_IRI), DEFAULT_BASE_IRI, 1_000)


def test_a_page_without_text_is_a_warning() -> None:
    data = pdfs.printed(MOU.read_text("utf-8"), scanned_pages=1)
    assert derive_text(data, PDF).warnings == (
        "no text layer on page(s) 5 of the PDF: their text is missing",
    )


def _media_type(path: Path) -> str:
    return PDF if path.suffix == ".pdf" else HTML
