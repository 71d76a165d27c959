"""The sources of a directory, the text each is read as (derived once from a web page or
PDF, stored beside it with its checksums), and the provenance chain from the published
file to the facts."""

import hashlib
import re
import shutil
import tomllib
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from accordkg.errors import InputError, ValidationError
from accordkg.extraction import extract_source
from accordkg.extraction.registry import Registry
from accordkg.extraction.sources import (
    read_source_text,
    source_files,
    store_source_text,
)
from accordkg.namespaces import AK, DEFAULT_BASE_IRI, OA
from accordkg.pipeline.validation import validate
from tests.conftest import INPUTS, SEED
from tests.extraction import pdfs
from tests.extraction.test_genre import GENRE

MOU = GENRE / "nrf-cnrs-mou-pdf.txt"
BASE = DEFAULT_BASE_IRI
MAX_BYTES = 1_000_000


@pytest.fixture(scope="module")
def mou_pdf() -> bytes:
    return pdfs.printed(MOU.read_text("utf-8"))


@pytest.fixture
def mou(tmp_path: Path, mou_pdf: bytes) -> Path:
    path = tmp_path / "nrf-cnrs-mou.pdf"
    path.write_bytes(mou_pdf)
    (tmp_path / "nrf-cnrs-mou.toml").write_text(
        "# The PDF as the agency published it.\n"
        'publisher = "National Research Foundation of Korea"\n'
        'url = "https://www.nrf.re.kr/files/nrf-cnrs-mou.pdf"\nretrieved = 2024-06-03\n',
        "utf-8",
    )
    return path


def test_discovery_takes_sources_and_never_a_derived_text(tmp_path: Path) -> None:
    for name in ("a.txt", "b.html", "c.htm", "d.pdf", "d.pdf.txt", "b.html.txt", "d.toml",
                 "notes.md", "e.PDF"):  # fmt: skip
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "f.txt").mkdir()
    names = [path.name for path in source_files(tmp_path)]
    assert names == ["a.txt", "b.html", "c.htm", "d.pdf", "e.PDF"]


def test_a_text_is_its_own_text() -> None:
    source = read_source_text(SEED, MAX_BYTES)
    assert source.text_file == SEED
    assert source.derivation is None
    assert source.text == SEED.read_text("utf-8")
    assert source.metadata["publisher"] == "U.S. Department of State"


def test_a_pdf_text_is_derived_then_stored_beside_it_with_its_checksums(
    mou: Path, mou_pdf: bytes
) -> None:
    derived = read_source_text(mou, MAX_BYTES)
    assert not derived.stored
    assert not (mou.parent / "nrf-cnrs-mou.pdf.txt").exists()  # reading stores nothing
    store_source_text(derived)
    text_file = mou.parent / "nrf-cnrs-mou.pdf.txt"
    assert text_file.read_text("utf-8") == derived.text
    record = tomllib.loads((mou.parent / "nrf-cnrs-mou.toml").read_text("utf-8"))
    assert record["publisher"] == "National Research Foundation of Korea"  # kept
    assert record["text"] == {
        "sha256": hashlib.sha256(text_file.read_bytes()).hexdigest(),
        "original_sha256": hashlib.sha256(mou_pdf).hexdigest(),
        "derived_by": derived.derivation.tool if derived.derivation else None,
        "warnings": [],
    }
    assert "# The PDF as the agency published it." in text_file.with_name(
        "nrf-cnrs-mou.toml"
    ).read_text("utf-8")
    again = read_source_text(mou, MAX_BYTES)
    assert again.stored
    assert again.text == derived.text


def test_the_stored_text_is_read_not_derived_again(mou: Path) -> None:
    """Once stored, the text and the record of its derivation are what is read, even if
    the library installed now would read the file otherwise."""
    store_source_text(read_source_text(mou, MAX_BYTES))
    record = mou.with_suffix(".toml")
    record.write_text(record.read_text("utf-8").replace("pypdf ", "pypdf 0.0.1+"), "utf-8")
    source = read_source_text(mou, MAX_BYTES)
    assert source.derivation is not None
    assert source.derivation.tool.startswith("pypdf 0.0.1+")


def test_a_changed_original_is_derived_again(mou: Path) -> None:
    store_source_text(read_source_text(mou, MAX_BYTES))
    mou.write_bytes(pdfs.printed(MOU.read_text("utf-8").replace("Seoul", "Busan")))
    source = read_source_text(mou, MAX_BYTES)
    assert not source.stored
    assert "Busan" in source.text


def test_a_derived_text_edited_by_hand_is_refused(mou: Path) -> None:
    store_source_text(read_source_text(mou, MAX_BYTES))
    text_file = mou.parent / "nrf-cnrs-mou.pdf.txt"
    text_file.write_text(text_file.read_text("utf-8").replace("Seoul", "Busan"), "utf-8")
    with pytest.raises(InputError, match=r"nrf-cnrs-mou.pdf.txt: changed since it was derived"):
        read_source_text(mou, MAX_BYTES)


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ('url = "nowhere"\n', "url 'nowhere' is not an absolute IRI"),
        ('retrieved = "last week"\n', "retrieved must be a date"),
        ('source = "web"\n', "unknown keys ['source']"),
        ("[text]\nsha256 = 'x'\n", "the [text] table needs exactly"),
    ],
)
def test_a_bad_record_is_refused(mou: Path, record: str, message: str) -> None:
    mou.with_suffix(".toml").write_text(record, "utf-8")
    with pytest.raises(InputError, match=re.escape(message)):
        read_source_text(mou, MAX_BYTES)


def test_the_provenance_runs_from_the_published_file_to_the_facts(
    mou: Path, mou_pdf: bytes
) -> None:
    store_source_text(read_source_text(mou, MAX_BYTES))
    registry = Registry.load(INPUTS, BASE)
    graph = extract_source(read_source_text(mou, MAX_BYTES), registry, BASE).graph
    text = URIRef(f"{BASE}source/nrf-cnrs-mou")
    original = URIRef(f"{BASE}file/nrf-cnrs-mou")
    derivation = URIRef(f"{BASE}activity/derive-nrf-cnrs-mou")
    text_bytes = (mou.parent / "nrf-cnrs-mou.pdf.txt").read_bytes()
    assert graph.value(text, AK.sha256) == Literal(hashlib.sha256(text_bytes).hexdigest())
    assert graph.value(text, PROV.wasDerivedFrom) == original
    assert graph.value(text, PROV.wasGeneratedBy) == derivation
    assert (original, RDF.type, AK.PublishedFile) in graph
    assert graph.value(original, AK.sha256) == Literal(hashlib.sha256(mou_pdf).hexdigest())
    assert graph.value(original, DCTERMS.format) == Literal("application/pdf")
    assert graph.value(original, AK.retrievedFrom) == URIRef(
        "https://www.nrf.re.kr/files/nrf-cnrs-mou.pdf"
    )
    assert graph.value(original, AK.retrievedOn) == Literal("2024-06-03", datatype=XSD.date)
    assert graph.value(derivation, PROV.used) == original
    agent = graph.value(derivation, PROV.wasAssociatedWith)
    assert str(graph.value(agent, RDFS.label)).startswith("pypdf ")
    targets = list(graph.objects(None, OA.hasTarget))
    assert targets
    assert {graph.value(target, OA.hasSource) for target in targets} == {text}
    chain = Graph()  # the chain alone: the whole document is validated where it is built
    for node in (text, original, derivation, agent):
        chain += graph.triples((node, None, None))
    validate(chain)
    chain.remove((text, PROV.wasGeneratedBy, None))
    with pytest.raises(ValidationError, match=r"prov:wasGeneratedBy"):
        validate(chain)


def test_the_seed_text_has_no_derivation(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / SEED.name)
    registry = Registry.load(INPUTS, BASE)
    graph = extract_source(read_source_text(tmp_path / SEED.name, MAX_BYTES), registry, BASE)
    assert not list(graph.graph.subjects(RDF.type, AK.PublishedFile))
    assert not list(graph.graph.objects(None, AK.retrievedOn))
