"""/sparql beyond the W3C cases: negotiation, CORS, service description, limits, safety.

The live server runs with a 3 s query timeout and a 50-row limit (tests/api/sparql_server).
"""

import os
import threading
import time
from pathlib import Path
from urllib.parse import quote

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from accordkg.build import build
from accordkg.settings import Settings
from tests.conftest import INPUTS
from tests.servers import BIN, free_port, running

SD = "http://www.w3.org/ns/sparql-service-description#"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SIGNATORIES = "SELECT ?name WHERE { ?s <http://xmlns.com/foaf/0.1/name> ?name } ORDER BY ?name"


def test_select_results_in_every_format(sparql: str) -> None:
    as_json = httpx.get(sparql, params={"query": SIGNATORIES})
    names = [b["name"]["value"] for b in as_json.json()["results"]["bindings"]]
    assert names == ["Alok Sharma", "Michael J.K. Kratsios", "Oliver Dowden"]
    as_csv = httpx.get(sparql, params={"query": SIGNATORIES, "format": "csv"})
    assert as_csv.text.splitlines() == ["name", *names]
    as_tsv = httpx.get(
        sparql, params={"query": SIGNATORIES}, headers={"Accept": "text/tab-separated-values"}
    )
    assert as_tsv.text.splitlines() == ["?name", *(f'"{n}"' for n in names)]
    as_xml = httpx.get(sparql, params={"query": SIGNATORIES}, headers={"Accept": "application/xml"})
    assert "<literal>Oliver Dowden</literal>" in as_xml.text


def test_construct_in_graph_formats(sparql: str) -> None:
    name = "<http://xmlns.com/foaf/0.1/name>"
    query = f"CONSTRUCT {{ ?s {name} ?n }} WHERE {{ ?s {name} ?n }}"
    for accept, parser in [
        ("application/ld+json", "json-ld"),
        ("application/n-quads", "nquads"),
        ("text/turtle", "turtle"),
        ("application/rdf+xml", "xml"),
    ]:
        response = httpx.get(sparql, params={"query": query}, headers={"Accept": accept})
        assert response.headers["content-type"].startswith(accept)
        assert len(Graph().parse(data=response.text, format=parser)) == 3


@pytest.mark.parametrize(
    ("accept", "status", "media_type"),
    [
        ("*/*", 200, "application/sparql-results+json"),
        (
            "text/csv;q=0.2, application/sparql-results+xml;q=0.9",
            200,
            "application/sparql-results+xml",
        ),
        ("text/csv; charset=utf-8", 200, "text/csv"),
        ("text/html", 406, "application/json"),
    ],
)
def test_negotiation(sparql: str, accept: str, status: int, media_type: str) -> None:
    response = httpx.get(sparql, params={"query": "ASK {}"}, headers={"Accept": accept})
    assert response.status_code == status
    assert response.headers["content-type"].startswith(media_type)
    assert "Accept" in response.headers.get("vary", "") or status == 406


def test_head_and_options(sparql: str) -> None:
    head = httpx.head(sparql, params={"query": "ASK {}"})
    assert head.status_code == 200
    assert head.headers["content-type"].startswith("application/sparql-results+json")
    assert head.content == b""
    options = httpx.options(sparql)
    assert options.status_code == 204
    assert "POST" in options.headers["allow"]


def test_cors_for_reads_and_preflight(sparql: str) -> None:
    origin = {"Origin": "https://yasgui.example"}
    response = httpx.get(sparql, params={"query": "ASK {}"}, headers=origin)
    assert response.headers["access-control-allow-origin"] == "*"
    preflight = httpx.options(
        sparql,
        headers={
            **origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]


def test_service_description_names_the_real_endpoint(sparql: str) -> None:
    response = httpx.get(sparql)
    assert response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    (service,) = graph.subjects(RDF.type, URIRef(SD + "Service"))
    assert graph.value(service, URIRef(SD + "endpoint")) == URIRef(sparql)
    features = set(graph.objects(service, URIRef(SD + "feature")))
    assert URIRef(SD + "UnionDefaultGraph") in features
    names = {str(n) for n in graph.objects(None, URIRef(SD + "name"))}
    assert "https://w3id.org/accordkg/ontology" in names
    as_jsonld = httpx.get(sparql, headers={"Accept": "application/ld+json"})
    assert len(Graph().parse(data=as_jsonld.text, format="json-ld")) == len(graph)


def test_row_limit_is_never_silent(sparql: str) -> None:
    response = httpx.get(sparql, params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert len(response.json()["results"]["bindings"]) == 50
    assert response.headers["x-accordkg-truncated"] == "true; limit=50"
    small = httpx.get(sparql, params={"query": SIGNATORIES})
    assert "x-accordkg-truncated" not in small.headers
    graph = httpx.get(sparql, params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
    assert len(Graph().parse(data=graph.text, format="turtle")) == 50
    assert graph.headers["x-accordkg-truncated"] == "true; limit=50"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:7878/query> { ?s ?p ?o } }", "SERVICE"),
        ("SELECT * WHERE { service <https://query.wikidata.org/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "send updates to the update endpoint"),
        ("DROP ALL", "send updates to the update endpoint"),
        ("this is not sparql", "not a SPARQL query"),
    ],
)
def test_refused_queries_say_why(sparql: str, query: str, message: str) -> None:
    response = httpx.post(sparql, data={"query": query})
    assert response.status_code == 400
    assert message in response.json()["detail"]


def test_dataset_parameters_must_be_iris(sparql: str) -> None:
    response = httpx.get(sparql, params={"query": "ASK {}", "named-graph-uri": "not an iri"})
    assert response.status_code == 400
    assert "take IRIs, not 'not an iri'" in response.json()["detail"]


def test_service_named_in_a_string_or_comment_is_not_a_service_call(sparql: str) -> None:
    query = 'SELECT ?x WHERE { BIND("SERVICE <http://x/>" AS ?x) } # SERVICE'
    assert httpx.post(sparql, data={"query": query}).status_code == 200


def test_form_body_is_decoded_once(sparql: str) -> None:
    """%2541 in a form body is the three characters %41, not "A" (decoded once only)."""
    query = 'SELECT ?x WHERE { BIND("%41" AS ?x) }'
    body = "query=" + quote(query, safe="")
    assert "%2541" in body
    response = httpx.post(
        sparql, content=body.encode(), headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.json()["results"]["bindings"][0]["x"]["value"] == "%41"


def test_form_body_in_another_charset(sparql: str) -> None:
    body = 'query=SELECT ?x WHERE { BIND("Zürich" AS ?x) }'.encode("latin-1")
    response = httpx.post(
        sparql,
        content=body,
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=ISO-8859-1"},
    )
    assert response.json()["results"]["bindings"][0]["x"]["value"] == "Zürich"


def test_a_slow_query_is_stopped_and_others_keep_their_latency(sparql: str) -> None:
    outcome: dict[str, object] = {}

    def slow() -> None:
        started = time.monotonic()
        response = httpx.get(sparql, params={"query": SLOW}, timeout=30)
        outcome["status"] = response.status_code
        outcome["detail"] = response.json()["detail"]
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.5)  # the slow query is running now
    latencies = []
    for _ in range(10):
        started = time.monotonic()
        assert _ask(sparql) is True
        latencies.append(time.monotonic() - started)
    thread.join()
    assert outcome["status"] == 503
    assert "ran longer than 3 s and was stopped" in str(outcome["detail"])
    assert 3 <= float(str(outcome["seconds"])) < 10
    assert max(latencies) < 1.0, latencies  # served by the other worker meanwhile
    health = httpx.get(sparql.removesuffix("/sparql") + "/health").json()
    deadline = time.monotonic() + 20
    while health["query_workers"]["idle"] < 2 and time.monotonic() < deadline:
        time.sleep(0.2)  # the stopped worker's replacement loads its copy of the store
        health = httpx.get(sparql.removesuffix("/sparql") + "/health").json()
    assert health["query_workers"] == {"size": 2, "idle": 2}


def _ask(sparql: str) -> bool:
    return bool(httpx.get(sparql, params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"])


def test_the_asgi_app_answers_the_same(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": SIGNATORIES, "format": "csv"})
    assert response.status_code == 200
    assert response.text.splitlines()[1:] == [
        "Alok Sharma",
        "Michael J.K. Kratsios",
        "Oliver Dowden",
    ]
    refused = client.post("/sparql", content=b"ASK {}", headers={"Content-Type": "text/plain"})
    assert refused.status_code == 415


def test_with_a_remote_store_queries_go_to_the_remote_server(
    tmp_path: Path, oxigraph_url: str
) -> None:
    remote = {
        "ACCORDKG_STORE": "remote",
        "ACCORDKG_SPARQL_QUERY_URL": f"{oxigraph_url}/query",
        "ACCORDKG_SPARQL_UPDATE_URL": f"{oxigraph_url}/update",
    }
    httpx.post(
        f"{oxigraph_url}/update",
        content=b"DROP ALL",
        headers={"Content-Type": "application/sparql-update"},
    ).raise_for_status()
    build(
        Settings(
            data_dir=tmp_path,
            input_dir=INPUTS,
            store="remote",
            sparql_query_url=f"{oxigraph_url}/query",
            sparql_update_url=f"{oxigraph_url}/update",
        )
    )
    port = free_port()
    command = [str(BIN / "accordkg"), "serve", "--port", str(port)]
    environment = {**os.environ, "ACCORDKG_DATA_DIR": str(tmp_path), **remote}
    with running(command, f"http://127.0.0.1:{port}/health", environment) as health:
        base = health.removesuffix("/health")
        assert httpx.get(health).json()["query_workers"] == {"remote": f"{oxigraph_url}/query"}
        response = httpx.get(f"{base}/sparql", params={"query": SIGNATORIES, "format": "csv"})
        assert response.status_code == 200
        assert response.text.splitlines()[1:] == [
            "Alok Sharma",
            "Michael J.K. Kratsios",
            "Oliver Dowden",
        ]
        bad = httpx.get(f"{base}/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o FILTER( }"})
        assert bad.status_code == 400
