"""Dataset statistics: what the SPARQL counts give equals what Python counts in the
store's content, for both stores; the cache follows writes."""

from collections import Counter
from contextlib import closing

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from accordkg.publishing.void import (
    LINKED_DATASETS,
    CurrentStatistics,
    DatasetStatistics,
    count_statistics,
)
from accordkg.settings import Settings
from accordkg.store import open_store
from tests.graphs import held_graphs, union

DECLARATION = "https://w3id.org/accordkg/id/instrument/us-uk-ai-research-declaration-2020"


def test_statistics_equal_what_the_content_holds(any_built_settings: Settings) -> None:
    with closing(open_store(any_built_settings)) as store:
        statistics = count_statistics(store, any_built_settings.base_iri)
        content = union(held_graphs(store).values())
    subjects = set(content.subjects())
    assert statistics.triples == len(content) > 1000
    assert statistics.distinct_subjects == len(subjects)
    assert statistics.distinct_objects == len(set(content.objects()))
    assert statistics.entities == len(
        {s for s in subjects if isinstance(s, URIRef) and s.startswith(any_built_settings.base_iri)}
    )
    typed = {(s, o) for s, _, o in content.triples((None, RDF.type, None))}
    assert statistics.classes == dict(Counter(str(o) for _, o in typed))
    assert statistics.properties == dict(Counter(str(p) for p in content.predicates()))
    matches = [str(o) for o in content.objects(None, SKOS.exactMatch)]
    assert statistics.links == {
        linked.name: sum(o.startswith(linked.uri_space) for o in matches)
        for linked in LINKED_DATASETS
    }
    assert statistics.links == {"wikidata": 3, "ror": 2}
    assert statistics.examples == [DECLARATION]
    assert "https://w3id.org/accordkg/ontology#" in statistics.vocabularies
    assert "http://www.w3.org/2004/02/skos/core#" in statistics.vocabularies


@pytest.mark.parametrize(
    ("iri", "namespace"),
    [
        ("https://w3id.org/accordkg/ontology#Instrument", "https://w3id.org/accordkg/ontology#"),
        ("http://xmlns.com/foaf/0.1/name", "http://xmlns.com/foaf/0.1/"),
    ],
)
def test_vocabularies_are_the_namespaces_of_terms_used(iri: str, namespace: str) -> None:
    assert DatasetStatistics(0, 0, 0, 0, {iri: 1}, {}, {}, []).vocabularies == [namespace]


def test_statistics_are_counted_again_after_a_write_only(any_settings: Settings) -> None:
    with closing(open_store(any_settings)) as store:
        graph = Graph()
        graph.add((URIRef(f"{any_settings.base_iri}thing/a"), RDFS.label, Literal("a")))
        store.replace_graphs({URIRef("urn:test:g"): graph})
        current = CurrentStatistics(store, any_settings.base_iri)
        first = current.get()
        assert current.get() is first
        graph.add((URIRef(f"{any_settings.base_iri}thing/b"), RDFS.label, Literal("b")))
        store.replace_graphs({URIRef("urn:test:g"): graph})
        second = current.get()
    assert (first.triples, first.entities) == (1, 1)
    assert (second.triples, second.entities) == (2, 2)
