"""/graph over the ASGI client and over real HTTP: every endpoint in every format."""

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote
from xml.etree import ElementTree as ET

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from accordkg.api import create_app
from accordkg.pipeline.build import build
from accordkg.settings import Settings
from accordkg.traversal.formats import GRAPH_FORMATS
from tests import live
from tests.conftest import copy_built

DECLARATION = "instrument/us-uk-ai-research-declaration-2020"
UK = "state/united-kingdom"
GETS = [
    f"/graph/nodes/{UK}",
    f"/graph/nodes/{UK}/neighbors?limit=2",
    f"/graph/neighborhood?node={UK}&depth=2&collapse=signature",
    "/graph/paths?source=state/united-kingdom&target=person/michael-jk-kratsios&k=2",
    "/graph/subgraph?types=Instrument,State",
    "/graph/stats?top=5&centrality=degree,pagerank",
]
POSTS = [
    ("/graph/expand", {"visible": [UK], "expand": [UK]}),
    ("/graph/subgraph/induced", {"nodes": [UK, DECLARATION, "state/united-states"]}),
]


@pytest.fixture(scope="module")
def graph_client(
    tmp_path_factory: pytest.TempPathFactory, built_data: Path
) -> Iterator[TestClient]:
    settings = copy_built(built_data, tmp_path_factory.mktemp("graph") / "var")
    with TestClient(create_app(settings.model_copy(update={"query_workers": 1}))) as client:
        yield client


def _parsed(response: httpx.Response, fmt: str) -> tuple[set[str], set[tuple[str, str]]]:
    """Node ids and (source, target) pairs of an answer in any format."""
    if fmt == "cytoscape":
        elements = response.json()["elements"]
        nodes = {node["data"]["id"] for node in elements["nodes"]}
        return nodes, {(e["data"]["source"], e["data"]["target"]) for e in elements["edges"]}
    if fmt in ("node-link", "d3"):
        body = response.json()
        edges = body["edges" if fmt == "node-link" else "links"]
        return {node["id"] for node in body["nodes"]}, {(e["source"], e["target"]) for e in edges}
    if fmt == "jsonld":
        body = response.json()
        return {resource["@id"].rsplit("/id/", 1)[1] for resource in body["@graph"]}, set()
    root = ET.fromstring(response.content)
    nodes = {node.get("id", "") for node in root.iter() if node.tag.endswith("}node")}
    edges = {
        (e.get("source", ""), e.get("target", "")) for e in root.iter() if e.tag.endswith("}edge")
    }
    return nodes, edges


@pytest.mark.parametrize("fmt", list(GRAPH_FORMATS))
@pytest.mark.parametrize("path", GETS)
def test_every_get_endpoint_in_every_format(graph_client: TestClient, path: str, fmt: str) -> None:
    response = graph_client.get(f"{path}&format={fmt}" if "?" in path else f"{path}?format={fmt}")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(GRAPH_FORMATS[fmt].media_type)
    nodes, edges = _parsed(response, fmt)
    assert nodes
    assert all(source in nodes and target in nodes for source, target in edges)


@pytest.mark.parametrize("fmt", list(GRAPH_FORMATS))
@pytest.mark.parametrize(("path", "body"), POSTS)
def test_every_post_endpoint_in_every_format(
    graph_client: TestClient, path: str, body: dict[str, list[str]], fmt: str
) -> None:
    response = graph_client.post(f"{path}?format={fmt}", json=body)
    assert response.status_code == 200, response.text
    nodes, edges = _parsed(response, fmt)
    assert DECLARATION in nodes
    assert all(source in nodes and target in nodes for source, target in edges)


def test_formats_are_negotiated_and_vary_on_accept(graph_client: TestClient) -> None:
    path = f"/graph/nodes/{UK}"
    for accept, media_type in [
        ("application/graphml+xml", "application/graphml+xml"),
        ("application/gexf+xml;q=0.9, application/ld+json;q=0.5", "application/gexf+xml"),
        ("*/*", "application/json"),
        ("application/ld+json", "application/ld+json"),
    ]:
        response = graph_client.get(path, headers={"Accept": accept})
        assert response.headers["content-type"].startswith(media_type)
        assert "Accept" in response.headers["vary"].split(", ")
    refused = graph_client.get(path, headers={"Accept": "text/html"})
    assert refused.status_code == 406


def test_nodes_by_full_iri_and_short_id_are_the_same(graph_client: TestClient) -> None:
    short = graph_client.get(f"/graph/nodes/{UK}").json()
    iri = quote(f"https://w3id.org/accordkg/id/{UK}", safe="")
    full = graph_client.get(f"/graph/nodes/{iri}").json()
    assert full == short
    assert short["elements"]["nodes"][0]["data"]["links"] == ["http://www.wikidata.org/entity/Q145"]
    assert short["meta"]["degree"]["ak:party"] == {"out": 0, "in": 2}


def test_neighbours_page_by_cursor_over_http(graph_client: TestClient) -> None:
    first = graph_client.get(f"/graph/nodes/{UK}/neighbors", params={"limit": 3}).json()
    assert first["meta"]["truncated"] is True
    second = graph_client.get(
        f"/graph/nodes/{UK}/neighbors", params={"limit": 3, "cursor": first["meta"]["cursor"]}
    ).json()
    assert second["meta"]["cursor"] is None
    ids = [e["data"]["id"] for page in (first, second) for e in page["elements"]["edges"]]
    assert (
        len(ids) == len(set(ids)) == first["meta"]["total"] == 5
    )  # party, signedBy, 2 signatures, 2017


@pytest.mark.parametrize(
    ("path", "status", "says"),
    [
        ("/graph/nodes/state/atlantis", 404, "atlantis"),
        ("/graph/neighborhood?node=state/atlantis", 404, "atlantis"),
        (f"/graph/neighborhood?node={UK}&depth=deep", 400, "depth"),
        (f"/graph/neighborhood?node={UK}&direction=sideways", 400, "direction"),
        (f"/graph/neighborhood?node={UK}&include=everything", 400, "include"),
        (f"/graph/neighborhood?node={UK}&max_nodes=0", 400, "max_nodes"),
        (f"/graph/nodes/{UK}?format=svg", 400, "format"),
        (f"/graph/nodes/{UK}/neighbors?cursor=zzz", 400, "cursor"),
        ("/graph/neighborhood", 400, "node"),
        ("/graph/subgraph", 400, "types"),
        ("/graph/stats?centrality=betweenness", 400, "centrality"),
        (f"/graph/paths?source={UK}&target=state/atlantis", 404, "atlantis"),
        ("/graph/nodes/state/x%3E%20%7D", 400, "cannot name"),
        ("/graph/subgraph?types=State%3E%7D", 400, "cannot name"),
        (f"/graph/neighborhood?node={UK}&predicate=party%3E", 400, "cannot name"),
        ("/graph/stats?top=0", 400, "top"),
        ("/graph/stats?top=-39944", 400, "top"),
        ("/graph/subgraph?types=State&max_nodes=8210281190691577021614522368", 400, "max_nodes"),
        (f"/graph/paths?source={UK}&target={DECLARATION}&max_degree={2**64}", 400, "max_degree"),
    ],
)
def test_nonsense_gets_a_clear_4xx(
    graph_client: TestClient, path: str, status: int, says: str
) -> None:
    response = graph_client.get(path)
    assert response.status_code == status
    assert says in response.json()["detail"]


def test_expand_marks_the_canvas_nodes_its_edges_touch(graph_client: TestClient) -> None:
    response = graph_client.post("/graph/expand", json={"visible": [UK], "expand": [UK]})
    body = response.json()
    on_canvas = {n["data"]["id"] for n in body["elements"]["nodes"] if n["data"].get("on_canvas")}
    assert on_canvas == {UK} == set(body["meta"]["on_canvas"])
    new = {n["data"]["id"] for n in body["elements"]["nodes"]} - on_canvas
    assert DECLARATION in new
    assert all({e["data"]["source"], e["data"]["target"]} & new for e in body["elements"]["edges"])


def test_malformed_bodies_are_400(graph_client: TestClient) -> None:
    assert graph_client.post("/graph/expand", json={"visible": []}).status_code == 400
    assert graph_client.post("/graph/expand", content=b"{not json").status_code == 400
    missing = graph_client.post("/graph/subgraph/induced", json={"nodes": [UK, "state/atlantis"]})
    assert missing.status_code == 404


def test_reads_are_open_to_any_origin(graph_client: TestClient) -> None:
    response = graph_client.get(f"/graph/nodes/{UK}", headers={"Origin": "https://viz.example"})
    assert response.headers["access-control-allow-origin"] == "*"
    preflight = graph_client.options(
        "/graph/expand",
        headers={
            "Origin": "https://viz.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200


def test_graph_endpoints_over_real_http(server: str) -> None:
    neighborhood = live.get(
        f"{server}/graph/neighborhood",
        params={"node": DECLARATION, "collapse": "signature,evidence"},
    )
    assert neighborhood.status_code == 200
    elements = neighborhood.json()["elements"]
    drawn = {node["data"]["id"] for node in elements["nodes"]}
    assert {UK, "state/united-states", "person/michael-jk-kratsios"} <= drawn
    assert not any(node.startswith(("signature/", "evidence/")) for node in drawn)
    signed = [e["data"] for e in elements["edges"] if e["data"]["predicate"] == "signed"]
    assert len(signed) == 3
    expanded = live.post(
        f"{server}/graph/expand",
        params={"format": "graphml"},
        json={"visible": sorted(drawn), "expand": ["person/michael-jk-kratsios"]},
    )
    assert expanded.status_code == 200
    assert json.dumps(expanded.headers["content-type"]).find("graphml") > 0


def test_graph_endpoints_read_a_remote_store(remote_settings: Settings) -> None:
    remote = remote_settings.model_copy(update={"graph_fetch_limit": 200})
    build(remote)
    with TestClient(create_app(remote)) as client:
        found = client.get(f"/graph/nodes/{UK}/neighbors").json()
        assert {e["data"]["source"] for e in found["elements"]["edges"]} >= {DECLARATION}
        assert found["meta"]["truncated"] is False
        wide = client.get("/graph/neighborhood", params={"node": DECLARATION, "depth": 3}).json()
        assert wide["meta"]["fetch_limit_reached"] == 200
        assert wide["meta"]["truncated"] is True
        hostile = client.get("/graph/subgraph", params={"types": "State> } UNION { ?s ?p ?o"})
        assert hostile.status_code == 400
