"""Every format, read back by the library it is for and compared with the JSON answer."""

import io
import json
import subprocess
from pathlib import Path
from xml.etree import ElementTree as ET

import networkx as nx
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from accordkg.errors import StoreError
from accordkg.namespaces import AK, DEFAULT_BASE_IRI
from accordkg.traversal import operations
from accordkg.traversal.formats import GEXF, GRAPH_FORMATS, XSI
from accordkg.traversal.operations import Subgraph, View
from accordkg.traversal.projection import Link
from accordkg.traversal.service import Traversal

JS = Path(__file__).parent / "js"
DECLARATION = "instrument/us-uk-ai-research-declaration-2020"


@pytest.fixture(params=["seed", "hub"])
def answer(request: pytest.FixtureRequest) -> tuple[Traversal, Subgraph]:
    """A neighbourhood with collapsed and plain edges, and a capped one around the hub."""
    traversal: Traversal = request.getfixturevalue(f"{request.param}_projection")
    seeds = [DECLARATION] if request.param == "seed" else ["state/hub"]
    found = operations.neighborhood(
        traversal.source(),
        seeds,
        View(collapse=frozenset({"signature"})),
        depth=2,
        limit=None,
        max_nodes=None,
        max_edges=None,
    )
    return traversal, found


def expected(found: Subgraph) -> tuple[set[str], set[tuple[str, str, str]]]:
    return set(found.nodes), {(link.id, link.source, link.target) for link in found.links.values()}


def test_cytoscape_elements_load_in_cytoscape_js(answer: tuple[Traversal, Subgraph]) -> None:
    traversal, found = answer
    body = traversal.renderer.render(found, "cytoscape")
    loaded = _load_in_node("cytoscape", body)
    nodes, edges = expected(found)
    assert set(loaded["nodes"]) == nodes
    assert {tuple(edge) for edge in loaded["edges"]} == edges
    document = json.loads(body)
    assert document["meta"] == found.meta
    for node in document["elements"]["nodes"]:
        assert isinstance(node["position"]["x"], float)
        assert node["data"]["x"] == node["position"]["x"]


def test_d3_links_load_in_d3_force(answer: tuple[Traversal, Subgraph]) -> None:
    traversal, found = answer
    body = traversal.renderer.render(found, "d3")
    loaded = _load_in_node("d3", body)
    nodes, edges = expected(found)
    assert set(loaded["nodes"]) == nodes
    assert {tuple(edge) for edge in loaded["edges"]} == edges


@pytest.mark.parametrize(("fmt", "key"), [("node-link", "edges"), ("d3", "links")])
def test_node_link_reads_into_networkx(
    answer: tuple[Traversal, Subgraph], fmt: str, key: str
) -> None:
    traversal, found = answer
    document = json.loads(traversal.renderer.render(found, fmt))
    assert key in document
    assert ({"edges", "links"} - {key}).isdisjoint(document)
    graph = nx.node_link_graph(document, edges=key)
    _same_graph(graph, found)
    assert all(isinstance(data["x"], float) for _, data in graph.nodes(data=True))


def test_graphml_reads_back_node_for_node_and_edge_for_edge(
    answer: tuple[Traversal, Subgraph],
) -> None:
    traversal, found = answer
    graph = nx.read_graphml(
        io.BytesIO(traversal.renderer.render(found, "graphml")), force_multigraph=True
    )
    _same_graph(graph, found)
    assert graph.graph["truncated"] == found.meta["truncated"]
    for node, data in graph.nodes(data=True):
        assert data["label"] == found.nodes[node].label


def test_gexf_is_version_1_3_with_the_right_namespaces(answer: tuple[Traversal, Subgraph]) -> None:
    traversal, found = answer
    body = traversal.renderer.render(found, "gexf")
    root = ET.fromstring(body)
    assert root.tag == f"{{{GEXF}}}gexf"
    assert root.get("version") == "1.3"
    assert (
        root.get(f"{{{XSI}}}schemaLocation") == "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd"
    )
    assert XSI == "http://www.w3.org/2001/XMLSchema-instance"
    graph = nx.read_gexf(io.BytesIO(body), version="1.3")
    assert set(graph.nodes) == set(found.nodes)
    ids = {(data["id"], first, second) for first, second, data in graph.edges(data=True)}
    assert ids == expected(found)[1]
    assert json.loads(root.find(f"{{{GEXF}}}meta/{{{GEXF}}}description").text or "") == found.meta  # type: ignore[union-attr]
    for _, data in graph.nodes(data=True):
        assert isinstance(data["viz"]["position"]["x"], float)


def test_jsonld_is_the_rdf_of_what_was_drawn(seed_projection: Traversal) -> None:
    found = operations.neighborhood(
        seed_projection.source(),
        [DECLARATION],
        View(),
        depth=1,
        limit=None,
        max_nodes=None,
        max_edges=None,
    )
    body = seed_projection.renderer.render(found, "jsonld")
    graph = Graph().parse(data=body, format="json-ld")
    declaration = URIRef(f"{DEFAULT_BASE_IRI}{DECLARATION}")
    assert set(graph.objects(declaration, AK.party)) == {
        URIRef(f"{DEFAULT_BASE_IRI}state/united-kingdom"),
        URIRef(f"{DEFAULT_BASE_IRI}state/united-states"),
    }
    assert set(graph.objects(declaration, RDF.type)) == {AK.Declaration, AK.Instrument}
    assert len(set(graph.subjects(None, None))) == len(found.nodes)


def test_collapsed_edges_are_not_passed_off_as_rdf(seed_projection: Traversal) -> None:
    found = operations.neighborhood(
        seed_projection.source(),
        ["person/michael-jk-kratsios"],
        View(collapse=frozenset({"signature"})),
        depth=1,
        limit=None,
        max_nodes=None,
        max_edges=None,
    )
    document = json.loads(seed_projection.renderer.render(found, "jsonld"))
    assert document["meta"]["collapsed_edges_left_out"] == 3


def test_an_edge_to_a_missing_node_is_refused_not_served(seed_projection: Traversal) -> None:
    broken = Subgraph(links={"x": Link("a", "ak:party", "b", "data")})
    for fmt in GRAPH_FORMATS:
        with pytest.raises(StoreError, match="missing node"):
            seed_projection.renderer.render(broken, fmt)


def _same_graph(graph: nx.MultiDiGraph, found: Subgraph) -> None:
    assert set(graph.nodes) == set(found.nodes)
    edges = {(key, first, second) for first, second, key in graph.edges(keys=True)}
    assert edges == expected(found)[1]


def _load_in_node(library: str, body: bytes) -> dict[str, list[str]]:
    loaded = subprocess.run(
        ["node", str(JS / "load.mjs"), library], input=body, capture_output=True, check=False
    )
    assert loaded.returncode == 0, loaded.stderr.decode()
    return json.loads(loaded.stdout)  # type: ignore[no-any-return]
