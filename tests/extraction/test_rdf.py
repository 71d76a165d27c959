"""The seed's graph as a whole: evidence that checks out, full coverage, stable IRIs."""

import hashlib
import re
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import PROV, RDF

from accordkg.extraction import ExtractedDocument, extract_file
from accordkg.extraction.registry import Registry
from accordkg.namespaces import AK, DEFAULT_BASE_IRI
from accordkg.pipeline.reasoning import check_consistency
from accordkg.pipeline.validation import validate
from tests.conftest import INPUTS, SEED
from tests.graphs import spans

RAW = SEED.read_text("utf-8")
FINER_THAN_THE_INSTRUMENT = (AK.recital, AK.commitment, AK.signature, AK.operativeLeadIn,
                             AK.signingClause)  # fmt: skip


def _extract(base: str = DEFAULT_BASE_IRI) -> ExtractedDocument:
    return extract_file(SEED, Registry.load(INPUTS, base), base, 5_000_000)


@pytest.fixture(scope="module")
def document() -> ExtractedDocument:
    return _extract()


def test_every_evidence_span_slices_the_file_to_its_quote(document: ExtractedDocument) -> None:
    graph = document.graph
    evidences = list(graph.subjects(RDF.type, AK.Evidence))
    assert len(evidences) == 1 + 1 + 7 + 5 + 3 + 2  # title, legal force, provisions, clauses
    for evidence in evidences:
        (span,) = spans(graph, evidence)
        start, end, quote = span
        assert RAW[start:end] == quote
        assert quote.strip() == quote


def test_evidence_covers_every_character_of_the_declaration_body(
    document: ExtractedDocument,
) -> None:
    graph = document.graph
    body_start = RAW.index("Begin Text") + len("Begin Text")
    body_end = RAW.index("End Text")
    covered: set[int] = set()
    instrument = URIRef(DEFAULT_BASE_IRI + "instrument/us-uk-ai-research-declaration-2020")
    for link in FINER_THAN_THE_INSTRUMENT:
        for part in graph.objects(instrument, link):
            for evidence in graph.objects(part, AK.evidence):
                for start, end, _ in spans(graph, evidence):
                    covered.update(range(start, end))
    body = [i for i in range(body_start, body_end) if not RAW[i].isspace()]
    uncovered = "".join(RAW[i] for i in body if i not in covered)
    assert uncovered == ""
    assert len(body) > 3000


def test_the_instruments_own_evidence_is_its_title(document: ExtractedDocument) -> None:
    graph = document.graph
    instrument = URIRef(DEFAULT_BASE_IRI + "instrument/us-uk-ai-research-declaration-2020")
    (evidence,) = graph.objects(instrument, AK.evidence)
    ((start, _, quote),) = spans(graph, evidence)
    assert quote == str(graph.value(instrument, AK.title))
    assert start == RAW.index("\n\n" + quote) + 2  # the heading, not the breadcrumb


def test_the_run_is_recorded_with_prov(document: ExtractedDocument) -> None:
    graph = document.graph
    (activity,) = graph.subjects(RDF.type, PROV.Activity)
    assert (document.graph_iri, PROV.wasGeneratedBy, activity) in graph
    source = graph.value(activity, PROV.used)
    checksum = str(graph.value(source, AK.sha256))
    assert re.fullmatch(r"[0-9a-f]{64}", checksum)
    assert checksum == hashlib.sha256(SEED.read_bytes()).hexdigest()
    assert graph.value(activity, PROV.startedAtTime) is None  # run times are the build's
    agent = graph.value(activity, PROV.wasAssociatedWith)
    assert (agent, RDF.type, PROV.SoftwareAgent) in graph


def test_every_iri_is_a_slash_iri_under_the_base(document: ExtractedDocument) -> None:
    own = {
        n for n in document.graph.all_nodes()
        if isinstance(n, URIRef) and str(n).startswith(DEFAULT_BASE_IRI)
    }  # fmt: skip
    assert own
    for iri in own:
        assert re.fullmatch(re.escape(DEFAULT_BASE_IRI) + r"[a-z]+/[a-z0-9-]+", str(iri)), iri


def test_another_base_iri_moves_every_instance_iri() -> None:
    base = "http://localhost:8000/id/"
    document = _extract(base)
    registry = Registry.load(INPUTS, base)
    validate(document.graph + registry.graph)
    subjects = {str(s) for s in document.graph.subjects() if isinstance(s, URIRef)}
    assert subjects
    assert all(s.startswith(base) for s in subjects)
    parties = set(document.graph.objects(None, AK.party))
    assert parties == {URIRef(base + "state/united-states"), URIRef(base + "state/united-kingdom")}


def test_the_document_graph_conforms_with_the_records(document: ExtractedDocument) -> None:
    validate(document.graph + Registry.load(INPUTS, DEFAULT_BASE_IRI).graph)


def test_the_seed_graph_is_consistent_with_the_ontology(document: ExtractedDocument) -> None:
    check_consistency(document.graph + Registry.load(INPUTS, DEFAULT_BASE_IRI).graph)


AGENCIES_MOU = """MEMORANDUM OF UNDERSTANDING BETWEEN THE NATIONAL SCIENCE FOUNDATION AND
THE RURITANIAN RESEARCH COUNCIL ON COOPERATION IN ARTIFICIAL INTELLIGENCE RESEARCH

Recognising the value of cooperation in artificial intelligence research;

Have reached the following understanding:

1. The Participants intend to exchange researchers and research data.

For the National Science Foundation:

Jane Doe
Director

For the Ruritanian Research Council:

John Roe
President
"""


def test_a_party_only_the_records_know_is_theirs_and_not_said_to_be_minted(
    tmp_path: Path,
) -> None:
    """The gazetteer does not know "the National Science Foundation"; the records do, so
    the party is the records' entity and only the council is said to be minted."""
    path = tmp_path / "agencies-mou.txt"
    path.write_text(AGENCIES_MOU, "utf-8")
    registry = Registry.load(INPUTS, DEFAULT_BASE_IRI)
    document = extract_file(path, registry, DEFAULT_BASE_IRI, 1_000_000)
    parties = set(document.graph.objects(None, AK.party))
    assert URIRef(DEFAULT_BASE_IRI + "organization/us-national-science-foundation") in parties
    assert [w for w in document.warnings if "minted" in w] == [
        "party 'THE RURITANIAN RESEARCH COUNCIL' is not in the gazetteer or the records: "
        "minted from its name"
    ]
