"""The HTTP surface of the foundation, through the ASGI client and over real HTTP."""

import httpx2 as httpx
from fastapi.testclient import TestClient
from rdflib import Graph
from rdflib.compare import isomorphic

import accordkg
from accordkg.namespaces import ONTOLOGY_IRI
from accordkg.resources import ontology_graph

GRAPHS = [
    "https://w3id.org/accordkg/id/graph/mappings",
    "https://w3id.org/accordkg/id/graph/records",
    "https://w3id.org/accordkg/id/graph/us-uk-ai-research-declaration-2020",
    str(ONTOLOGY_IRI),
]


def test_health_reports_the_store(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["version"] == accordkg.__version__
    assert body["graphs"] == GRAPHS
    assert body["triples"] > len(ontology_graph()) + 500
    assert body["query_workers"]["size"] == 2
    client.get("/graph/stats")  # the /graph projection is ready once a request has used it
    assert client.get("/health").json()["graph"] == "ready"


def test_ontology_page_is_html(client: TestClient) -> None:
    response = client.get("/ontology")
    assert response.headers["content-type"].startswith("text/html")
    assert 'id="Instrument"' in response.text


def test_ontology_turtle_round_trips(client: TestClient) -> None:
    response = client.get("/ontology.ttl")
    assert response.headers["content-type"].startswith("text/turtle")
    assert isomorphic(Graph().parse(data=response.text, format="turtle"), ontology_graph())


def test_live_server_answers_health_and_docs(server: str) -> None:
    health = httpx.get(f"{server}/health")
    assert health.status_code == 200
    assert health.json()["graphs"] == GRAPHS
    docs = httpx.get(f"{server}/docs")
    assert docs.status_code == 200
    assert "swagger" in docs.text.lower()
    openapi = httpx.get(f"{server}/openapi.json").json()
    assert {"/health", "/ontology", "/ontology.{extension}", "/id/{kind}/{slug}"} <= set(
        openapi["paths"]
    )


def test_a_method_a_path_does_not_take_is_a_405_naming_every_method_it_takes(
    server: str,
) -> None:
    """Starlette names only the methods of the first route that matched the path."""
    response = httpx.request("PATCH", f"{server}/store")
    assert response.status_code == 405
    assert response.headers["allow"] == "DELETE, GET, HEAD, POST, PUT"
    assert response.json() == {"error": "MethodNotAllowed", "detail": "Method Not Allowed"}
    assert httpx.options(f"{server}/reconcile").headers["allow"] == "GET, POST"


def test_errors_are_documented_as_the_app_answers_them(server: str) -> None:
    openapi = httpx.get(f"{server}/openapi.json").json()
    mappings = openapi["paths"]["/mappings.sssom.tsv"]["get"]["responses"]
    assert set(mappings) == {"200", "400", "404", "503"}
    assert "InputError" in mappings["400"]["description"]
    assert list(mappings["200"]["content"]) == ["text/tab-separated-values"]
    error = mappings["404"]["content"]["application/json"]["schema"]
    assert error == {"$ref": "#/components/schemas/ErrorBody"}
    assert "HTTPValidationError" not in openapi["components"]["schemas"]
