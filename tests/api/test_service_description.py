"""The cases of the W3C SPARQL 1.1 Service Description tests, against the live server."""

import time
from concurrent.futures import ThreadPoolExecutor

import httpx2 as httpx
import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF, VOID

from accordkg.sparql.formats import FORMATS, Answers, offers
from tests import live
from tests.api.slow_store import DELAY_S

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
QUADS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
JSON_RESULTS = "application/sparql-results+json"
LANGUAGES = {SD.SPARQL10Query, SD.SPARQL11Query, SD.SPARQL11Update}
PARSERS = {"turtle": "turtle", "ntriples": "nt", "nquads": "nquads", "jsonld": "json-ld",
           "rdfxml": "xml"}  # fmt: skip
OFFERED = {media_type: f.name for media_type, f in offers(Answers.GRAPH).items()}
# What Comunica asks for when it probes a bare endpoint URL: N-Quads first.
COMUNICA = ("application/n-quads,application/trig;q=0.95,application/ld+json;q=0.9,"
            "application/n-triples;q=0.8,text/turtle;q=0.6,application/rdf+xml;q=0.5,"
            "text/n3;q=0.35,application/xml;q=0.3,image/svg+xml;q=0.3,text/xml;q=0.3,"
            "text/html;q=0.2,application/xhtml+xml;q=0.18")  # fmt: skip


def _description_as(response: httpx.Response, name: str) -> Graph:
    """The answer parsed as the format `name` it must be in, checked to be that format."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == FORMATS[name].content_type
    return Graph().parse(data=response.text, format=PARSERS[name])


@pytest.fixture(scope="module")
def description(sparql: str) -> Graph:
    response = live.get(sparql)
    assert response.status_code == 200
    return Graph().parse(data=response.text, format="turtle")


@pytest.mark.parametrize(
    ("accept", "parser"),
    [("text/turtle", "turtle"), ("application/rdf+xml", "xml"), ("application/ld+json", "json-ld"),
     ("application/n-triples", "nt")],
)  # fmt: skip
def test_returns_rdf(sparql: str, accept: str, parser: str) -> None:
    """returns-rdf: GET on the endpoint returns RDF."""
    response = live.get(sparql, headers={"Accept": accept})
    assert response.headers["content-type"].startswith(accept)
    assert len(Graph().parse(data=response.text, format=parser)) > 10


@pytest.mark.parametrize("media_type", sorted(OFFERED))
def test_every_offered_media_type_serialises(sparql: str, media_type: str) -> None:
    """Every type the description is negotiated over is written, and parses as itself."""
    response = live.get(sparql, headers={"Accept": media_type})
    description = _description_as(response, OFFERED[media_type])
    assert (None, SD.endpoint, URIRef(sparql)) in description


@pytest.mark.parametrize("name", sorted(set(OFFERED.values())))
def test_every_format_name_serialises(sparql: str, name: str) -> None:
    description = _description_as(live.get(sparql, params={"format": name}), name)
    assert (None, SD.endpoint, URIRef(sparql)) in description


def test_comunica_gets_n_quads(sparql: str) -> None:
    """Comunica lists N-Quads first: the description comes as N-Quads of the default graph."""
    response = live.get(sparql, headers={"Accept": COMUNICA})
    description = _description_as(response, "nquads")
    assert (None, SD.endpoint, URIRef(sparql)) in description
    assert len(description) > 10


def test_has_endpoint_triple(sparql: str, description: Graph) -> None:
    """has-endpoint-triple: the description has an sd:endpoint that is this endpoint."""
    assert URIRef(sparql) in set(description.objects(None, SD.endpoint))


def test_conforms_to_schema(sparql: str, description: Graph) -> None:
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
    counted = live.get(sparql, params={"query": QUADS}, headers={"Accept": JSON_RESULTS})
    count = counted.json()["results"]["bindings"][0]["n"]["value"]
    assert str(description.value(default_graph, VOID.triples)) == count
    assert int(count) > 1000
    named = list(description.objects(dataset, SD.namedGraph))
    assert named
    for graph in named:
        assert (graph, RDF.type, SD.NamedGraph) in description
        assert isinstance(description.value(graph, SD.name), URIRef)


@pytest.mark.slow
def test_the_description_waits_for_a_slow_store_off_the_event_loop(slow_store: str) -> None:
    """It counts triples and lists graphs in the store: with a remote store that takes
    seconds to answer, other requests are answered meanwhile."""
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(live.get, f"{slow_store}/sparql", timeout=60)
        time.sleep(0.5)
        assert live.get(f"{slow_store}/queries", timeout=DELAY_S / 2).status_code == 200
        assert not pending.done()
        assert pending.result().status_code == 200
