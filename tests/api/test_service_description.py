"""The cases of the W3C SPARQL 1.1 Service Description tests, against the live server."""

import time
from concurrent.futures import ThreadPoolExecutor

import httpx2 as httpx
import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

from tests.api.slow_store import DELAY_S

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
LANGUAGES = {SD.SPARQL10Query, SD.SPARQL11Query, SD.SPARQL11Update}


@pytest.fixture(scope="module")
def description(sparql: str) -> Graph:
    response = httpx.get(sparql)
    assert response.status_code == 200
    return Graph().parse(data=response.text, format="turtle")


@pytest.mark.parametrize(
    ("accept", "parser"),
    [("text/turtle", "turtle"), ("application/rdf+xml", "xml"), ("application/ld+json", "json-ld"),
     ("application/n-triples", "nt")],
)  # fmt: skip
def test_returns_rdf(sparql: str, accept: str, parser: str) -> None:
    """returns-rdf: GET on the endpoint returns RDF."""
    response = httpx.get(sparql, headers={"Accept": accept})
    assert response.headers["content-type"].startswith(accept)
    assert len(Graph().parse(data=response.text, format=parser)) > 10


def test_has_endpoint_triple(sparql: str, description: Graph) -> None:
    """has-endpoint-triple: the description has an sd:endpoint that is this endpoint."""
    assert URIRef(sparql) in set(description.objects(None, SD.endpoint))


def test_conforms_to_schema(description: Graph) -> None:
    """conforms-to-schema: services, datasets and graphs typed and described as SD says."""
    (service,) = description.subjects(RDF.type, SD.Service)
    assert all(isinstance(e, URIRef) for e in description.objects(service, SD.endpoint))
    languages = set(description.objects(service, SD.supportedLanguage))
    assert languages
    assert languages <= LANGUAGES
    assert all(isinstance(f, URIRef) for f in description.objects(service, SD.resultFormat))
    (dataset,) = description.objects(service, SD.defaultDataset)
    assert (dataset, RDF.type, SD.Dataset) in description
    (default_graph,) = description.objects(dataset, SD.defaultGraph)
    assert (default_graph, RDF.type, SD.Graph) in description
    named = list(description.objects(dataset, SD.namedGraph))
    assert named
    for graph in named:
        assert (graph, RDF.type, SD.NamedGraph) in description
        assert isinstance(description.value(graph, SD.name), URIRef)


def test_the_description_waits_for_a_slow_store_off_the_event_loop(slow_store: str) -> None:
    """It counts triples and lists graphs in the store: with a remote store that takes
    seconds to answer, other requests are answered meanwhile."""
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(httpx.get, f"{slow_store}/sparql", timeout=60)
        time.sleep(0.5)
        assert httpx.get(f"{slow_store}/queries", timeout=DELAY_S / 2).status_code == 200
        assert not pending.done()
        assert pending.result().status_code == 200
