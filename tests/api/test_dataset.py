"""/.well-known/void and /dumps: the description's numbers equal what SPARQL finds in the
store, its distributions are the bytes served, and both follow writes."""

import gzip
import hashlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from rdflib import Dataset, Graph, Literal, Node, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, VOID

from accordkg.api import create_app
from accordkg.namespaces import CC_BY_4, SPDX
from accordkg.publishing.dumps import CHECKSUMS, dump_file_names
from accordkg.settings import Settings
from tests.conftest import copy_built
from tests.graphs import isomorphic, one, plain_strings

BASE = "https://w3id.org/accordkg/id/"
DECLARATION = URIRef(f"{BASE}instrument/us-uk-ai-research-declaration-2020")
ALL_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
PARSERS = {".nq": "nquads", ".nt": "nt", ".ttl": "turtle", ".jsonld": "json-ld"}
TOKEN = "dump-writer"
NOTE = "urn:test:dump-note"


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory, built_data: Path) -> Iterator[TestClient]:
    """A client on a built data directory, for tests that only read."""
    settings = copy_built(built_data, tmp_path_factory.mktemp("dataset") / "var")
    with TestClient(create_app(settings.model_copy(update={"query_workers": 1}))) as client:
        yield client


def _construct(get: "httpx.Client | TestClient", base: str, query: str) -> Graph:
    response = get.get(
        f"{base}/sparql", params={"query": query}, headers={"Accept": "application/n-triples"}
    )
    assert response.status_code == 200, response.text
    assert "X-AccordKG-Truncated" not in response.headers
    return plain_strings(Graph().parse(data=response.text, format="nt"))


def _description(client: "httpx.Client | TestClient", url: str) -> tuple[Graph, URIRef]:
    response = client.get(url)
    assert response.status_code == 200, response.text
    graph = Graph().parse(data=response.text, format="turtle")
    [dataset] = list(graph.subjects(RDF.type, DCAT.Dataset))
    assert isinstance(dataset, URIRef)
    return graph, dataset


def _count(graph: Graph, subject: Node, predicate: URIRef) -> int:
    value = one(graph, subject, predicate)
    assert isinstance(value, Literal)
    return int(value)


def test_void_counts_equal_what_the_store_holds(reader: TestClient) -> None:
    void, dataset = _description(reader, "/.well-known/void")
    content = _construct(reader, "http://testserver", ALL_TRIPLES)
    subjects = set(content.subjects())
    instances = Counter(o for _, o in set(content.subject_objects(RDF.type)))

    assert (dataset, RDF.type, VOID.Dataset) in void
    assert _count(void, dataset, VOID.triples) == len(content) > 1000
    assert _count(void, dataset, VOID.distinctSubjects) == len(subjects)
    assert _count(void, dataset, VOID.distinctObjects) == len(set(content.objects()))
    assert _count(void, dataset, VOID.entities) == sum(str(s).startswith(BASE) for s in subjects)
    assert _count(void, dataset, VOID.classes) == len(instances)
    assert _count(void, dataset, VOID.properties) == len(set(content.predicates()))
    class_partitions = {
        one(void, partition, VOID["class"]): _count(void, partition, VOID.entities)
        for partition in void.objects(dataset, VOID.classPartition)
    }
    assert class_partitions == dict(instances)
    property_partitions = {
        one(void, partition, VOID.property): _count(void, partition, VOID.triples)
        for partition in void.objects(dataset, VOID.propertyPartition)
    }
    assert property_partitions == dict(Counter(content.predicates()))


def test_void_says_where_and_what_the_dataset_is(reader: TestClient) -> None:
    void, dataset = _description(reader, "/.well-known/void")
    assert one(void, dataset, VOID.sparqlEndpoint) == URIRef("http://testserver/sparql")
    assert one(void, dataset, VOID.uriSpace) == Literal(BASE)
    assert DECLARATION in set(void.objects(dataset, VOID.exampleResource))
    vocabularies = set(void.objects(dataset, VOID.vocabulary))
    assert URIRef("https://w3id.org/accordkg/ontology#") in vocabularies
    assert URIRef(str(SKOS)) in vocabularies
    assert one(void, dataset, DCTERMS.license) == URIRef(CC_BY_4)
    assert str(one(void, dataset, DCTERMS.title)).startswith("accordkg")
    assert str(one(void, dataset, DCTERMS.description))
    assert str(one(void, one(void, dataset, DCTERMS.publisher), FOAF.name))


@pytest.mark.parametrize(
    ("name", "space"),
    [("Wikidata", "http://www.wikidata.org/entity/"), ("ROR", "https://ror.org/")],
)
def test_a_linkset_per_target_counts_its_links(reader: TestClient, name: str, space: str) -> None:
    void, dataset = _description(reader, "/.well-known/void")
    content = _construct(reader, "http://testserver", ALL_TRIPLES)
    [target] = list(void.subjects(VOID.uriSpace, Literal(space)))
    [linkset] = list(void.subjects(VOID.objectsTarget, target))
    assert (linkset, RDF.type, VOID.Linkset) in void
    assert name in str(one(void, target, DCTERMS.title))
    assert set(void.objects(linkset, VOID.target)) == {dataset, target}
    assert one(void, linkset, VOID.linkPredicate) == SKOS.exactMatch
    links = [o for o in content.objects(None, SKOS.exactMatch) if str(o).startswith(space)]
    assert _count(void, linkset, VOID.triples) == len(links) > 0


def test_every_distribution_is_the_bytes_served(reader: TestClient) -> None:
    void, dataset = _description(reader, "/.well-known/void")
    distributions = list(void.objects(dataset, DCAT.distribution))
    assert len(distributions) == len(dump_file_names()) == 8
    dumps = set(void.objects(dataset, VOID.dataDump))
    for distribution in distributions:
        assert (distribution, RDF.type, DCAT.Distribution) in void
        url = one(void, distribution, DCAT.downloadURL)
        assert url in dumps
        response = reader.get(str(url))
        assert response.status_code == 200
        checksum = one(void, distribution, SPDX.checksum)
        assert one(void, checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        sha256 = str(one(void, checksum, SPDX.checksumValue))
        assert hashlib.sha256(response.content).hexdigest() == sha256
        assert response.headers["etag"] == f'"{sha256}"'
        assert _count(void, distribution, DCAT.byteSize) == len(response.content)
        media_type = str(one(void, distribution, DCAT.mediaType)).split("media-types/")[1]
        if str(url).endswith(".gz"):
            assert response.headers["content-type"] == "application/gzip"
            assert str(one(void, distribution, DCAT.compressFormat)).endswith("application/gzip")
            gzip.decompress(response.content)
        else:
            assert response.headers["content-type"].startswith(media_type)


def test_the_catalog_names_the_sparql_endpoint_and_the_graph_api_as_data_services(
    reader: TestClient,
) -> None:
    void, dataset = _description(reader, "/.well-known/void")
    [catalog] = list(void.subjects(RDF.type, DCAT.Catalog))
    assert one(void, catalog, DCAT.dataset) == dataset
    services = set(void.objects(catalog, DCAT.service))
    [sparql] = [
        s for s in services if (s, DCAT.endpointURL, URIRef("http://testserver/sparql")) in void
    ]
    assert (sparql, RDF.type, DCAT.DataService) in void
    assert one(void, sparql, DCAT.servesDataset) == dataset
    description = reader.get(str(one(void, sparql, DCAT.endpointDescription)))
    assert "sparql-service-description" in description.text
    [graph_api] = services - {sparql}
    assert (graph_api, RDF.type, DCAT.DataService) in void
    assert one(void, graph_api, DCAT.endpointURL) == URIRef("http://testserver/graph")
    assert one(void, graph_api, DCAT.servesDataset) == dataset
    openapi = reader.get(str(one(void, graph_api, DCAT.endpointDescription))).json()
    assert "/graph/neighborhood" in openapi["paths"]
    assert reader.get("/graph/stats").status_code == 200


@pytest.mark.parametrize(
    ("accept", "media_type", "parser"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/rdf+xml;q=0.9, text/html;q=0.1", "application/rdf+xml", "xml"),
    ],
)
def test_void_is_negotiated(reader: TestClient, accept: str, media_type: str, parser: str) -> None:
    turtle, _ = _description(reader, "/.well-known/void")
    response = reader.get("/.well-known/void", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert "Accept" in response.headers["vary"]
    if parser == "json-ld":
        assert '"@context"' in response.text
    assert isomorphic(Graph().parse(data=response.text, format=parser), turtle)


def test_void_format_parameter_and_refusal(reader: TestClient) -> None:
    response = reader.get("/.well-known/void", params={"format": "ntriples"})
    assert response.headers["content-type"] == "application/n-triples"
    assert reader.get("/.well-known/void", headers={"Accept": "text/html"}).status_code == 406
    assert reader.get("/.well-known/void", params={"format": "csv"}).status_code == 400


@pytest.mark.parametrize("name", dump_file_names())
def test_every_dump_served_parses_back_to_the_store(reader: TestClient, name: str) -> None:
    response = reader.get(f"/dumps/{name}")
    assert response.status_code == 200
    data = gzip.decompress(response.content) if name.endswith(".gz") else response.content
    suffix = "." + name.removesuffix(".gz").rsplit(".", 1)[1]
    if suffix == ".nq":
        dumped = Dataset().parse(data=data, format="nquads")
        graphs = [g for g in dumped.graphs() if len(g)]
        assert len(graphs) == 4  # ontology, records, mappings, the seed
        for graph in graphs:
            expected = _construct(
                reader,
                "http://testserver",
                f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph.identifier}> {{ ?s ?p ?o }} }}",
            )
            assert isomorphic(plain_strings(graph), expected), graph.identifier
    else:
        dumped_graph = Graph().parse(data=data, format=PARSERS[suffix])
        expected = _construct(reader, "http://testserver", ALL_TRIPLES)
        assert isomorphic(plain_strings(dumped_graph), expected)


def test_dump_validators_head_and_unknown_names(reader: TestClient) -> None:
    full = reader.get("/dumps/accordkg.ttl")
    etag = full.headers["etag"]
    assert reader.get("/dumps/accordkg.ttl", headers={"If-None-Match": etag}).status_code == 304
    assert reader.get("/dumps/accordkg.ttl", headers={"If-None-Match": '"x"'}).status_code == 200
    head = reader.head("/dumps/accordkg.ttl")
    assert head.status_code == 200
    assert head.content == b""
    assert int(head.headers["content-length"]) == len(full.content)
    assert head.headers["etag"] == etag
    assert head.headers["repr-digest"].startswith("sha-256=:")
    missing = reader.get("/dumps/accordkg.trig")
    assert missing.status_code == 404
    assert "accordkg.nq" in missing.json()["detail"]


def test_sha256sums_match_the_bytes_served(reader: TestClient) -> None:
    lines = reader.get(f"/dumps/{CHECKSUMS}").text.splitlines()
    assert len(lines) == 8
    for line in lines:
        checksum, name = line.split("  ")
        assert hashlib.sha256(reader.get(f"/dumps/{name}").content).hexdigest() == checksum


@pytest.fixture
def writer(built_settings: Settings) -> Iterator[TestClient]:
    writable = built_settings.model_copy(
        update={"update_token": SecretStr(TOKEN), "query_workers": 1}
    )
    with TestClient(create_app(writable)) as client:
        yield client


def test_dumps_and_void_follow_an_authorized_write(writer: TestClient) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    before = writer.get("/dumps/accordkg.nq")
    void_before, dataset = _description(writer, "/.well-known/void")
    put = writer.put(
        "/store",
        params={"graph": NOTE},
        content=b'<urn:test:a> <http://www.w3.org/2000/01/rdf-schema#comment> "noted" .',
        headers={"Content-Type": "text/turtle", **auth},
    )
    assert put.status_code == 201
    after = writer.get("/dumps/accordkg.nq")
    assert after.headers["etag"] != before.headers["etag"]
    assert (
        f'<urn:test:a> <http://www.w3.org/2000/01/rdf-schema#comment> "noted" <{NOTE}> .'.encode()
        in (after.content)
    )
    assert b'"noted"' in gzip.decompress(writer.get("/dumps/accordkg.jsonld.gz").content)
    void_after, _ = _description(writer, "/.well-known/void")
    triples = _count(void_before, dataset, VOID.triples)
    assert _count(void_after, dataset, VOID.triples) == triples + 1
    assert writer.delete("/store", params={"graph": NOTE}, headers=auth).status_code == 204
    restored = writer.get("/dumps/accordkg.nq")
    assert restored.headers["etag"] == before.headers["etag"]


def test_real_http_void_and_a_gzipped_dump(server: str) -> None:
    with httpx.Client() as client:
        void, dataset = _description(client, f"{server}/.well-known/void")
        assert one(void, dataset, VOID.sparqlEndpoint) == URIRef(f"{server}/sparql")
        url = URIRef(f"{server}/dumps/accordkg.nt.gz")
        [distribution] = list(void.subjects(DCAT.downloadURL, url))
        response = client.get(str(url))
        expected = _construct(client, server, ALL_TRIPLES)
    checksum = one(void, one(void, distribution, SPDX.checksum), SPDX.checksumValue)
    assert hashlib.sha256(response.content).hexdigest() == str(checksum)
    lines = gzip.decompress(response.content).decode().splitlines()
    assert len(lines) == len(expected) == _count(void, dataset, VOID.triples)
