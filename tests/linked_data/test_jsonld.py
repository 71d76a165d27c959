"""The JSON-LD context is generated from the ontology and JSON-LD round-trips through it."""

import json

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, XSD

from accordkg.extraction import extract_file
from accordkg.extraction.registry import Registry
from accordkg.linked_data.jsonld import context, context_document, to_jsonld
from accordkg.namespaces import AK, DEFAULT_BASE_IRI, OA
from accordkg.resources import ontology_graph
from tests.conftest import INPUTS, SEED
from tests.graphs import isomorphic


@pytest.fixture(scope="module")
def seed() -> Graph:
    """The declaration's graph together with the curated records and themes."""
    registry = Registry.load(INPUTS, DEFAULT_BASE_IRI)
    document = extract_file(SEED, registry, DEFAULT_BASE_IRI, 5_000_000)
    return document.graph + registry.graph


def test_the_seed_round_trips_to_an_isomorphic_graph(seed: Graph) -> None:
    body = to_jsonld(seed)
    document = json.loads(body)
    assert document["@context"] == context()  # inline: parsing fetches nothing
    parsed = Graph().parse(data=body, format="json-ld")
    assert len(parsed) == len(seed)
    assert isomorphic(parsed, seed)


def test_terms_compact_the_output(seed: Graph) -> None:
    nodes = json.loads(to_jsonld(seed))["@graph"]
    declaration = next(
        n for n in nodes if n["@id"].endswith("instrument/us-uk-ai-research-declaration-2020")
    )
    assert "Declaration" in declaration["@type"]
    # dateSigned may be a date, a year-month or a year: each value states its datatype
    assert declaration["dateSigned"] == {"@type": "xsd:date", "@value": "2020-09-25"}
    assert declaration["numberOfOriginals"] == "2"
    assert declaration["buildsOn"] == (
        DEFAULT_BASE_IRI + "instrument/us-uk-science-and-technology-agreement-2017"
    )
    assert declaration["subtitle"].startswith("A Shared Vision")


def test_blank_nodes_behind_iri_valued_terms_keep_their_triples() -> None:
    """oa:hasTarget coerces its values to IRIs; the target (a blank node) and its
    selector must still be written in full."""
    graph = Graph()
    target, selector = BNode(), BNode()
    evidence = URIRef(DEFAULT_BASE_IRI + "evidence/x")
    graph.add((evidence, OA.hasTarget, target))
    graph.add((target, OA.hasSelector, selector))
    graph.add((selector, RDF.type, OA.TextPositionSelector))
    graph.add((selector, OA.start, Literal(3, datatype=XSD.nonNegativeInteger)))
    parsed = Graph().parse(data=to_jsonld(graph), format="json-ld")
    assert isomorphic(parsed, graph)


def test_rdf_lists_round_trip_wherever_they_hang() -> None:
    """The ontology's owl:unionOf and owl:members lists, a list behind an IRI-valued
    term, and a list nothing refers to."""
    graph = ontology_graph()
    behind_term, free = BNode(), BNode()
    Collection(graph, behind_term, [URIRef("urn:a"), Literal(2)])
    graph.add((URIRef("urn:x"), AK.party, behind_term))
    Collection(graph, free, [URIRef("urn:b")])
    parsed = Graph().parse(data=to_jsonld(graph), format="json-ld")
    assert len(parsed) == len(graph)
    assert isomorphic(parsed, graph)


def test_every_ak_term_has_a_context_term_of_the_right_kind() -> None:
    ontology, terms = ontology_graph(), context()
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in ontology.subjects(RDF.type, kind):
            if isinstance(term, URIRef) and term in AK:
                definition = terms[term.fragment]
                iri = definition if isinstance(definition, str) else definition["@id"]
                assert iri == str(term)
    assert terms["party"]["@type"] == "@id"
    assert terms["position"]["@type"] == str(XSD.integer)
    assert terms["title"]["@language"] == "en"
    assert "@type" not in terms["text"]


def test_the_served_context_document_is_the_context() -> None:
    assert json.loads(context_document()) == {"@context": context()}
