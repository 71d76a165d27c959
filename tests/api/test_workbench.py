"""/sparql for browsers: a GET that prefers HTML gets the workbench, with everything its
script needs in the page; every other request keeps the protocol's answer, on the routes,
the fast path and the light path alike."""

import json
from typing import Any

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from accordkg.namespaces import AK, PREFIXES
from accordkg.sparql.named_queries import named_queries
from tests import live
from tests.html_tree import Element, parse_html

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
ASK = "ASK { ?s a <https://w3id.org/accordkg/ontology#Declaration> }"


def _workbench(response: httpx.Response) -> tuple[Element, dict[str, Any]]:
    """The page and the JSON its script reads, checked to be the workbench."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "Accept" in response.headers["vary"]
    page = parse_html(response.text)
    data = json.loads(page.by_id("workbench-data").text)
    assert isinstance(data, dict)
    return page, data


def test_a_browser_gets_the_workbench_on_local_assets(client: TestClient) -> None:
    page, _ = _workbench(client.get("/sparql", headers={"Accept": BROWSER}))
    scripts = [e.attrs["src"] for e in page.all("script") if "src" in e.attrs]
    links = page.all("link")
    styles = [e.attrs["href"] for e in links if e.attrs.get("rel") == "stylesheet"]
    # YASGUI is preloaded by the page and run by its module (api/web/workbench.js).
    preloaded = [e.attrs["href"] for e in links if e.attrs.get("rel") == "preload"]
    assert scripts == ["/assets/workbench.js"]
    assert preloaded == ["/assets/vendor/yasgui.min.js"]
    assert styles == ["/assets/vendor/yasgui.min.css", "/assets/workbench.css"]
    for asset in [*scripts, *preloaded, *styles]:
        assert client.get(asset).status_code == 200, asset
    assert page.by_id("iri").text == "http://testserver/sparql"


def test_the_page_carries_our_prefixes_terms_and_named_queries(client: TestClient) -> None:
    _, data = _workbench(client.get("/sparql", headers={"Accept": BROWSER}))
    assert data["prefixes"] == {prefix: str(iri) for prefix, iri in PREFIXES.items()}
    assert {str(AK.Instrument), str(AK.Signature)} <= set(data["classes"])
    assert {str(AK.party), str(AK.signatory)} <= set(data["properties"])
    assert str(AK.party) not in data["classes"]
    examples = {e["name"]: e for e in data["examples"]}
    assert set(examples) == set(named_queries())
    overview = examples["instruments-overview"]
    assert overview["title"] == named_queries()["instruments-overview"].title
    assert [p["name"] for p in overview["parameters"]] == ["form"]
    assert str(data["startingQuery"]).startswith(f"PREFIX ak: <{AK}>")


def test_a_query_in_the_address_gets_the_page_too(client: TestClient) -> None:
    """The page's script opens the address's query in a tab (tests/browser)."""
    _workbench(client.get("/sparql", params={"query": ASK}, headers={"Accept": BROWSER}))
    _workbench(client.get("/sparql", params={"query": ASK}, headers={"Accept": "text/html"}))
    head = client.head("/sparql", headers={"Accept": BROWSER})
    assert head.headers["content-type"] == "text/html; charset=utf-8"


@pytest.mark.parametrize(
    ("headers", "params", "media_type"),
    [
        ({}, {"query": ASK}, "application/sparql-results+json"),
        ({"Accept": "*/*"}, {"query": ASK}, "application/sparql-results+json"),
        ({"Accept": BROWSER}, {"query": ASK, "format": "csv"}, "text/csv"),
        ({"Accept": BROWSER}, {"format": "turtle"}, "text/turtle"),
        ({}, {}, "text/turtle"),  # the service description
        ({"Accept": "*/*"}, {}, "text/turtle"),
        ({"Accept": "text/html, text/turtle"}, {}, "text/turtle"),  # equal: ours first
    ],
)
def test_other_requests_keep_the_protocols_answers(
    client: TestClient, headers: dict[str, str], params: dict[str, str], media_type: str
) -> None:
    response = client.get("/sparql", params=params, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media_type


def test_a_browsers_post_is_a_protocol_query(client: TestClient) -> None:
    response = client.post("/sparql", data={"query": ASK}, headers={"Accept": BROWSER})
    assert response.status_code == 200
    # The browser's Accept names application/xml (q=0.9) above */*: SPARQL XML.
    assert response.headers["content-type"].startswith("application/sparql-results+xml")
    assert "<boolean>true</boolean>" in response.text


def test_the_light_path_leaves_browsers_to_the_page(sparql: str) -> None:
    """A query answered often enough to be light, then asked for by a browser."""
    for _ in range(4):
        answer = live.get(sparql, params={"query": ASK})
        assert answer.json()["boolean"] is True
    page = live.get(sparql, params={"query": ASK}, headers={"Accept": BROWSER})
    _workbench(page)
    again = live.get(sparql, params={"query": ASK})
    assert again.content == answer.content
    assert again.headers == answer.headers | {"date": again.headers["date"]}
