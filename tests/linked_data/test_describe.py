"""Descriptions of entities, the same from the embedded store and a real Oxigraph server."""

from collections.abc import Iterator
from contextlib import closing

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from accordkg.errors import NotFoundError
from accordkg.extraction import extract_file
from accordkg.extraction.registry import Registry
from accordkg.linked_data.describe import INCOMING_LIMIT, TRIPLE_LIMIT, describe, entity_iri, exists
from accordkg.namespaces import AK, DEFAULT_BASE_IRI, OA
from accordkg.settings import Settings
from accordkg.store import Store, open_store
from tests.conftest import INPUTS, SEED
from tests.graphs import spans

ID = DEFAULT_BASE_IRI
DECLARATION = URIRef(ID + "instrument/us-uk-ai-research-declaration-2020")
AGREEMENT_2017 = URIRef(ID + "instrument/us-uk-science-and-technology-agreement-2017")
RECITAL_3 = URIRef(ID + "recital/us-uk-ai-research-declaration-2020-3")


@pytest.fixture
def built(any_built_settings: Settings) -> Iterator[Store]:
    with closing(open_store(any_built_settings)) as store:
        yield store


@pytest.fixture(scope="module")
def extracted() -> Graph:
    registry = Registry.load(INPUTS, DEFAULT_BASE_IRI)
    return extract_file(SEED, registry, DEFAULT_BASE_IRI, 5_000_000).graph


SIGNATORIES = {"Michael J.K. Kratsios", "Alok Sharma", "Oliver Dowden"}


def test_the_declaration_with_its_parts_and_the_labels_of_what_it_links_to(
    built: Store, extracted: Graph
) -> None:
    graph = describe(built, DECLARATION).graph
    for triple in extracted.triples((DECLARATION, None, None)):
        assert triple in graph
    recitals = sorted(str(r) for r in graph.objects(DECLARATION, AK.recital))
    assert len(recitals) == 7
    for recital in map(URIRef, recitals):  # the parts: texts in order, without their own evidence
        assert graph.value(recital, AK.text) == extracted.value(recital, AK.text)
        assert graph.value(recital, AK.position) == extracted.value(recital, AK.position)
    for signature in graph.objects(DECLARATION, AK.signature):
        person = graph.value(signature, AK.signatory)
        assert str(graph.value(person, RDFS.label)) in SIGNATORIES  # labelled by the records
    assert graph.value(URIRef(ID + "state/united-kingdom"), RDFS.label) == Literal(
        "United Kingdom of Great Britain and Northern Ireland", lang="en"
    )
    assert graph.value(AK.Declaration, RDFS.label) is not None  # types are linked resources
    recital_evidence = extracted.value(URIRef(recitals[0]), AK.evidence)
    assert (recital_evidence, OA.hasTarget, None) not in graph


def test_a_recital_with_its_evidence_down_to_the_selectors(built: Store, extracted: Graph) -> None:
    graph = describe(built, RECITAL_3).graph
    evidence = graph.value(RECITAL_3, AK.evidence)
    assert evidence is not None
    found = spans(graph, evidence)
    assert found == spans(extracted, evidence)
    assert [(start, end) for start, end, _ in found] == [(1452, 1665)]
    assert (DECLARATION, AK.recital, RECITAL_3) in graph  # the link coming in
    assert graph.value(DECLARATION, RDFS.label) is not None
    other = URIRef(ID + "recital/us-uk-ai-research-declaration-2020-4")
    assert (other, None, None) not in graph


def test_incoming_links_show_what_builds_on_an_instrument(built: Store) -> None:
    graph = describe(built, AGREEMENT_2017).graph
    assert (DECLARATION, AK.buildsOn, AGREEMENT_2017) in graph
    assert (AGREEMENT_2017, RDF.type, AK.Agreement) in graph


def test_unknown_entities_are_not_found(built: Store) -> None:
    unknown = URIRef(ID + "state/atlantis")
    assert not exists(built, unknown)
    assert exists(built, DECLARATION)
    with pytest.raises(NotFoundError, match="atlantis"):
        describe(built, unknown)


def test_incoming_links_are_capped(any_settings: Settings) -> None:
    hub = URIRef(ID + "state/hub")
    graph = Graph()
    graph.add((hub, RDFS.label, Literal("hub")))
    for number in range(INCOMING_LIMIT + 20):
        graph.add((URIRef(f"{ID}instrument/n{number:04}"), AK.party, hub))
    with closing(open_store(any_settings)) as store:
        store.replace_graphs({URIRef(ID + "graph/hub"): graph})
        description = describe(store, hub)
    incoming = sorted(str(s) for s in description.graph.subjects(AK.party, hub))
    assert len(incoming) == INCOMING_LIMIT
    assert description.truncated


def test_outgoing_triples_are_capped(any_settings: Settings) -> None:
    hub = URIRef(ID + "state/hub")
    graph = Graph()
    for number in range(TRIPLE_LIMIT + 20):
        graph.add((hub, AK.party, URIRef(f"{ID}state/n{number:05}")))
    with closing(open_store(any_settings)) as store:
        store.replace_graphs({URIRef(ID + "graph/hub"): graph})
        description = describe(store, hub)
    assert len(list(description.graph.objects(hub, AK.party))) == TRIPLE_LIMIT
    assert description.truncated


@pytest.mark.parametrize(
    ("kind", "slug"), [("state", "a b"), ("state", "x>"), ("", "x"), ("s", ".x")]
)
def test_identifiers_that_cannot_be_ours_are_not_found(kind: str, slug: str) -> None:
    with pytest.raises(NotFoundError):
        entity_iri(ID, kind, slug)


def test_entity_iris_follow_the_base() -> None:
    assert entity_iri("http://example.test/kg/", "state", "uk") == URIRef(
        "http://example.test/kg/state/uk"
    )
