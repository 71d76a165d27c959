"""The HTTP surface of the foundation, through the ASGI client and over real HTTP."""

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph

from accordkg.resources import ontology_graph
from tests import live
from tests.graphs import isomorphic


def test_ontology_page_is_html(client: TestClient) -> None:
    response = client.get("/ontology")
    assert response.headers["content-type"].startswith("text/html")
    assert 'id="Instrument"' in response.text


def test_ontology_turtle_round_trips(client: TestClient) -> None:
    response = client.get("/ontology.ttl")
    assert response.headers["content-type"].startswith("text/turtle")
    assert isomorphic(Graph().parse(data=response.text, format="turtle"), ontology_graph())


ORIGIN = {"Origin": "https://yasgui.example"}


def _preflight(server: str, path: str, method: str, headers: str | None = None) -> httpx.Response:
    asked = {"Access-Control-Request-Method": method}
    if headers is not None:
        asked["Access-Control-Request-Headers"] = headers
    return live.options(f"{server}{path}", headers=ORIGIN | asked)


@pytest.mark.parametrize(
    ("path", "method", "headers"),
    [
        ("/sparql", "GET", None),
        ("/sparql", "HEAD", None),
        ("/sparql", "POST", "content-type"),
        ("/sparql", "GET", "accept, cache-control"),
        ("/reconcile", "POST", "content-type"),
        ("/dumps/accordkg.ttl", "GET", "if-none-match"),
    ],
)
def test_cors_preflights_allow_reads(
    server: str, path: str, method: str, headers: str | None
) -> None:
    response = _preflight(server, path, method, headers)
    assert response.status_code == 200, response.text
    assert response.headers["access-control-allow-origin"] == "*"
    assert method in response.headers["access-control-allow-methods"].split(", ")


@pytest.mark.parametrize(
    ("path", "method", "headers"),
    [
        ("/store?graph=urn:x", "PUT", "content-type, authorization"),
        ("/store?graph=urn:x", "PUT", None),
        ("/store?graph=urn:x", "DELETE", "authorization"),
        ("/store?graph=urn:x", "DELETE", None),
        ("/store?graph=urn:x", "POST", "content-type, authorization"),
        ("/sparql/update", "POST", "content-type, authorization"),
    ],
)
def test_cors_preflights_refuse_writes(
    server: str, path: str, method: str, headers: str | None
) -> None:
    """CORS is for reads (README): a page from another origin cannot write, token or not."""
    response = _preflight(server, path, method, headers)
    assert response.status_code == 400
    assert "authorization" not in response.headers.get("access-control-allow-headers", "").lower()


def test_browser_code_may_read_the_answer_headers(server: str) -> None:
    """ETag and Repr-Digest (dumps) and the truncation header are exposed to other origins."""
    dump = live.get(f"{server}/dumps/accordkg.ttl", headers=ORIGIN)
    assert dump.status_code == 200
    exposed = {h.strip().lower() for h in dump.headers["access-control-expose-headers"].split(",")}
    assert {"etag", "repr-digest", "x-accordkg-truncated", "link"} <= exposed
    assert {"etag", "repr-digest"} <= {name.lower() for name in dump.headers}


def test_a_method_a_path_does_not_take_is_a_405_naming_every_method_it_takes(
    server: str,
) -> None:
    """Starlette names only the methods of the first route that matched the path."""
    response = live.request("PATCH", f"{server}/store")
    assert response.status_code == 405
    assert response.headers["allow"] == "DELETE, GET, HEAD, POST, PUT"
    assert response.json() == {"error": "MethodNotAllowed", "detail": "Method Not Allowed"}
    assert live.options(f"{server}/reconcile").headers["allow"] == "GET, POST"


def test_errors_are_documented_as_the_app_answers_them(server: str) -> None:
    openapi = live.get(f"{server}/openapi.json").json()
    mappings = openapi["paths"]["/mappings.sssom.tsv"]["get"]["responses"]
    assert set(mappings) == {"200", "400", "404", "503"}
    assert "InputError" in mappings["400"]["description"]
    assert list(mappings["200"]["content"]) == ["text/tab-separated-values"]
    error = mappings["404"]["content"]["application/json"]["schema"]
    assert error == {"$ref": "#/components/schemas/ErrorBody"}
    assert "HTTPValidationError" not in openapi["components"]["schemas"]
