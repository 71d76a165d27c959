"""The genre corpus: instruments of many shapes, each read exactly as its expected facts say.

Every document in `genre/` sits beside `NAME.expected.json`, written by reading the text
as an analyst would. The whole reading is compared at once, so a failure shows every
fact that differs; every evidence annotation must quote the source exactly.
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal, Node, URIRef
from rdflib.namespace import FOAF, RDF, RDFS, SKOS, XSD

from accordkg.extraction import ExtractedDocument, extract_file
from accordkg.extraction.registry import Registry
from accordkg.namespaces import AK, DEFAULT_BASE_IRI, OA
from accordkg.pipeline.validation import validate
from tests.conftest import INPUTS, SEED

GENRE = Path(__file__).parent / "genre"
DOCUMENTS = sorted(path.name.removesuffix(".expected.json") for path in GENRE.glob("*.json"))
BASES: dict[Node | None, str] = {
    AK.statedInText: "statement",
    AK.inferredFromModalities: "modalities",
}
PARTICIPATION = {AK.signedBy: "signs", AK.endorsedBy: "endorses", AK.issuedBy: "issues"}


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load(INPUTS, DEFAULT_BASE_IRI)


@pytest.fixture(scope="module", params=DOCUMENTS)
def extracted(request: pytest.FixtureRequest, registry: Registry) -> tuple[str, ExtractedDocument]:
    name = request.param
    return name, extract_file(GENRE / f"{name}.txt", registry, DEFAULT_BASE_IRI, 1_000_000)


def test_the_corpus_has_the_shapes_of_the_genre() -> None:
    assert len(DOCUMENTS) >= 12
    for name in DOCUMENTS:
        assert (GENRE / f"{name}.txt").is_file(), name


def test_each_document_reads_exactly_as_expected(
    extracted: tuple[str, ExtractedDocument], registry: Registry
) -> None:
    name, document = extracted
    expected = json.loads((GENRE / f"{name}.expected.json").read_text("utf-8"))
    found, wanted = compared(document, registry, expected)
    assert found == wanted


def compared(
    document: ExtractedDocument, registry: Registry, expected: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A document's reading and its expected facts, made comparable: what the graph keeps
    in no order sorted alike, and each expected warning (a substring) among those given."""
    found = reading(document.graph + registry.graph)
    printed_as(found, expected)
    found["warnings"] = [
        warning
        for warning in expected["warnings"]
        if not any(warning in given.lower() for given in document.warnings)
    ]
    wanted = {**expected, "warnings": []}
    for facts in (found, wanted):
        for unordered in ("parties", "references"):
            facts[unordered] = sorted(facts[unordered], key=lambda item: str(item["name"]))
        facts["languages"] = sorted(facts["languages"])
    return found, wanted


def test_each_document_validates(
    extracted: tuple[str, ExtractedDocument], registry: Registry
) -> None:
    validate(extracted[1].graph + registry.graph)


def test_every_evidence_quotes_its_source_exactly(
    extracted: tuple[str, ExtractedDocument],
) -> None:
    name, document = extracted
    raw = (GENRE / f"{name}.txt").read_text("utf-8")
    graph = document.graph
    evidence = list(graph.subjects(RDF.type, AK.Evidence))
    assert evidence
    for annotation in evidence:
        for target in graph.objects(annotation, OA.hasTarget):
            selectors = list(graph.objects(target, OA.hasSelector))
            (position,) = [s for s in selectors if (s, RDF.type, OA.TextPositionSelector) in graph]
            (quote,) = [s for s in selectors if (s, RDF.type, OA.TextQuoteSelector) in graph]
            start = int(str(graph.value(position, OA.start)))
            end = int(str(graph.value(position, OA.end)))
            assert raw[start:end] == str(graph.value(quote, OA.exact)), annotation
            assert raw[start:end].strip() == raw[start:end], annotation


def printed_as(found: dict[str, Any], expected: dict[str, Any]) -> None:
    """Name each party of `found` as the expected facts do where that is one of its
    names: a state is one node however documents print it, but each reading names it as
    its own document prints it ("South Africa", "Republic of South Africa")."""
    wanted = {p["name"] for p in expected["parties"]} | {s["party"] for s in expected["signatures"]}
    chosen: dict[str, str] = {}
    for party in found["parties"]:
        names = party.pop("names")
        printed = sorted(names & wanted)
        chosen[party["name"]] = party["name"] = printed[0] if printed else party["name"]
    for signature in found["signatures"]:
        signature["party"] = chosen.get(signature["party"], signature["party"])


def reading(graph: Graph) -> dict[str, Any]:
    """The facts of a document graph in the shape of an expected-facts file."""
    (instrument,) = {s for s in graph.subjects(AK.source, None) if isinstance(s, URIRef)}
    forms = {str(t).removeprefix(str(AK)) for t in graph.objects(instrument, RDF.type)}
    form = next(
        (f for f in ("MemorandumOfUnderstanding", "JointStatement", "Declaration", "Agreement")
         if f in forms),
        "Instrument",
    )  # fmt: skip
    basis = graph.value(instrument, AK.legalForceBasis)
    articles = _ordered(graph, instrument, AK.article)
    article_numbers: dict[Node | None, str] = {a: str(graph.value(a, AK.number)) for a in articles}
    return {
        "form": form,
        "title": _text(graph, instrument, AK.title),
        "date_signed": _text(graph, instrument, AK.date),
        "places": sorted(
            str(graph.value(p, RDFS.label))
            for link in (AK.placeOfSigning, AK.placeOfIssue)
            for p in graph.objects(instrument, link)
        ),
        "languages": sorted(str(x) for x in graph.objects(instrument, _DCT_LANGUAGE)),
        "originals": _integer(graph.value(instrument, AK.numberOfOriginals)),
        "legal_force": _local(graph.value(instrument, AK.legalForce)),
        "legal_force_basis": BASES.get(basis),
        "parties": _parties(graph, instrument),
        "recitals": [
            {"opening": _text(graph, r, AK.openingWord), "text": _text(graph, r, AK.text)}
            for r in _ordered(graph, instrument, AK.recital)
        ],
        "articles": [
            {"number": article_numbers[a], "heading": _text(graph, a, AK.heading)} for a in articles
        ],
        "commitments": [
            {
                "text": _text(graph, c, AK.text),
                "modality": _local(graph.value(c, AK.modality)),
                "article": article_numbers.get(graph.value(c, AK.inArticle)),
                "mechanism": _mechanism(graph, c),
            }
            for c in _ordered(graph, instrument, AK.commitment)
        ],
        "references": sorted(
            (
                {
                    "name": _text(graph, r, AK.title),
                    "date": _text(graph, r, AK.dateSigned),
                    "relation": "buildsOn" if link == AK.buildsOn else "cites",
                }
                for link in (AK.buildsOn, AK.cites)
                for r in graph.objects(instrument, link)
            ),
            key=lambda r: str(r["name"]),
        ),
        "signatures": [
            {
                "name": _text(graph, graph.value(s, AK.signatory), FOAF.name),
                "honorific": _text(graph, s, AK.honorific),
                "office": _text(graph, s, AK.officeTitle),
                "organization": _text(graph, graph.value(s, AK.organization), RDFS.label),
                "party": _text(graph, graph.value(s, AK.onBehalfOf), RDFS.label),
            }
            for s in sorted(
                graph.objects(instrument, AK.signature),
                key=lambda s: int(str(s).rsplit("-", 1)[1]),
            )
        ],
        "warnings": [],
    }


_DCT_LANGUAGE = URIRef("http://purl.org/dc/terms/language")


def _parties(graph: Graph, instrument: URIRef) -> list[dict[str, Any]]:
    parties = []
    for party in graph.objects(instrument, AK.party):
        roles = [role for link, role in PARTICIPATION.items() if (instrument, link, party) in graph]
        names = {str(n) for p in (RDFS.label, SKOS.altLabel) for n in graph.objects(party, p)}
        parties.append(
            {
                "names": names,
                "name": _text(graph, party, RDFS.label),
                "kind": "State" if (party, RDF.type, AK.State) in graph else "Organization",
                "iso3": _text(graph, party, AK.iso3166Alpha3),
                "participation": roles[0] if len(roles) == 1 else (roles or None),
            }
        )
    return sorted(parties, key=lambda p: str(p["name"]))


def _ordered(graph: Graph, subject: Node, link: URIRef) -> list[Node]:
    return sorted(graph.objects(subject, link), key=lambda n: int(str(graph.value(n, AK.position))))


def _mechanism(graph: Graph, commitment: Node) -> str | None:
    names = sorted(
        str(graph.value(m, RDFS.label)) for m in graph.objects(commitment, AK.establishes)
    )
    return names[0] if len(names) == 1 else ("; ".join(names) or None)


def _text(graph: Graph, subject: Node | None, predicate: URIRef) -> str | None:
    value = graph.value(subject, predicate) if subject is not None else None
    return None if value is None else str(value)


def _integer(value: Node | None) -> int | None:
    return int(str(value)) if isinstance(value, Literal) and value.datatype == XSD.integer else None


def _local(value: Node | None) -> str | None:
    return str(value).removeprefix(str(AK)) if value is not None else None


def test_every_document_extracts_to_the_same_bytes_in_another_process(
    registry: Registry,
) -> None:
    """Another interpreter (another hash seed, so other set orders) writes each document
    graph, the seed's among them, as the same N-Triples: nothing of the run enters a
    graph."""
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from accordkg.extraction import extract_file\n"
        "from accordkg.extraction.registry import Registry\n"
        "from accordkg.namespaces import DEFAULT_BASE_IRI\n"
        "registry = Registry.load(Path(sys.argv[1]), DEFAULT_BASE_IRI)\n"
        "for name in sys.argv[2:]:\n"
        "    graph = extract_file(Path(name), registry, DEFAULT_BASE_IRI, 1_000_000).graph\n"
        "    sys.stdout.write(''.join(sorted(graph.serialize(format='nt').splitlines(True))))\n"
        "    sys.stdout.write('\\f')\n"
    )
    paths = [str(SEED), *(str(GENRE / f"{name}.txt") for name in DOCUMENTS)]
    again = subprocess.run(
        [sys.executable, "-c", script, str(INPUTS), *paths],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "4242"},
    ).stdout.split("\f")[:-1]
    here = [
        "".join(sorted(extract_file(Path(p), registry, DEFAULT_BASE_IRI, 1_000_000)
                       .graph.serialize(format="nt").splitlines(True)))
        for p in paths
    ]  # fmt: skip
    assert again == here


def test_one_name_signing_two_documents_is_two_people(registry: Registry) -> None:
    """The NRF-CNRS MoU and the arrangement under it are signed by the same two names; no
    record links them, so each document has its own signatories."""
    signatories = []
    for name in ("nrf-cnrs-mou-pdf", "nrf-cnrs-implementing-arrangement"):
        graph = extract_file(GENRE / f"{name}.txt", registry, DEFAULT_BASE_IRI, 1_000_000).graph
        people = {graph.value(s, AK.signatory) for s in graph.subjects(RDF.type, AK.Signature)}
        assert {str(graph.value(p, FOAF.name)) for p in people} == {
            "Lee Seung-hoon",
            "Claire Dubois-Martin",
        }
        signatories.append(people)
    assert not signatories[0] & signatories[1]
