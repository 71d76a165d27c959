"""The formats visualization tools read, written from one Subgraph.

Cytoscape.js elements JSON, node-link JSON with an explicit `edges` key (what networkx
3.6 reads by default), the same with `links` (what D3 examples expect), GraphML, GEXF 1.3
(with the XML Schema instance namespace networkx's writer gets wrong) and JSON-LD. Every
node gets numeric `x`/`y` (sigma.js and graphology need them): a stable position derived
from its id, so a node keeps its place across requests. Edges only ever name nodes of the
same answer: the walks guarantee it, and `render` checks it.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from xml.etree import ElementTree as ET

import orjson

from accordkg.errors import StoreError
from accordkg.namespaces import PREFIXES
from accordkg.traversal.operations import Subgraph
from accordkg.traversal.projection import Link, NodeRecord, Vocabulary

GEXF = "http://gexf.net/1.3"
GEXF_VIZ = "http://gexf.net/1.3/viz"
GRAPHML = "http://graphml.graphdrawing.org/xmlns"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


@lru_cache(maxsize=65_536)
def position(node: str) -> tuple[float, float]:
    """A stable place in a 1000 x 1000 square, from the node's id."""
    digest = hashlib.blake2b(node.encode(), digest_size=8).digest()
    return (
        round(int.from_bytes(digest[:4]) / 2**32 * 1000, 3),
        round(int.from_bytes(digest[4:]) / 2**32 * 1000, 3),
    )


class Renderer:
    """Writes a Subgraph in one of the formats, naming terms by their short names."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary

    def render(self, answer: Subgraph, fmt: str) -> bytes:
        dangling = [
            link.id
            for link in answer.links.values()
            if link.source not in answer.nodes or link.target not in answer.nodes
        ]
        if dangling:  # a walk bug, never the caller's: refuse rather than break the client
            raise StoreError(f"traversal produced an edge to a missing node: {dangling[0]}")
        return GRAPH_FORMATS[fmt].write(self, answer)

    def node_data(self, record: NodeRecord, answer: Subgraph) -> dict[str, Any]:
        x, y = position(record.id)
        data: dict[str, Any] = {
            "id": record.id,
            "iri": record.iri,
            "label": record.label,
            "type": self.vocabulary.curie(record.types[0]) if record.types else None,
            "types": [self.vocabulary.curie(cls) for cls in record.types],
            "properties": record.properties,
            "links": record.links,
            "x": x,
            "y": y,
        }
        return data | answer.attributes.get(record.id, {})

    def edge_data(self, link: Link) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": link.id,
            "source": link.source,
            "target": link.target,
            "predicate": link.predicate,
            "label": self.vocabulary.label(self.vocabulary.expand(link.predicate)),
            "group": link.group,
        }
        if link.via is not None:
            data["via"] = link.via
        return data | dict(link.attributes)

    def cytoscape(self, answer: Subgraph) -> bytes:
        nodes = []
        for record in answer.nodes.values():
            data = self.node_data(record, answer)
            nodes.append({"data": data, "position": {"x": data["x"], "y": data["y"]}})
        edges = [{"data": self.edge_data(link)} for link in answer.links.values()]
        return _json({"elements": {"nodes": nodes, "edges": edges}, "meta": answer.meta})

    def node_link(self, answer: Subgraph, edges_key: str) -> bytes:
        edges = [self.edge_data(link) | {"key": link.id} for link in answer.links.values()]
        return _json(
            {
                "directed": True,
                "multigraph": True,
                "graph": {"meta": answer.meta},
                "nodes": [self.node_data(record, answer) for record in answer.nodes.values()],
                edges_key: edges,
                "meta": answer.meta,
            }
        )

    def graphml(self, answer: Subgraph) -> bytes:
        root = ET.Element("graphml", {"xmlns": GRAPHML})
        nodes = [_flat(self.node_data(record, answer)) for record in answer.nodes.values()]
        edges = [_flat(self.edge_data(link)) for link in answer.links.values()]
        meta = _flat(answer.meta)
        keys: dict[tuple[str, str], str] = {}
        for domain, rows in (("graph", [meta]), ("node", nodes), ("edge", edges)):
            for row in rows:
                for name, value in row.items():
                    if name in ("id", "source", "target") and domain != "graph":
                        continue
                    if (domain, name) not in keys:
                        keys[domain, name] = key = f"{domain[0]}{len(keys)}"
                        ET.SubElement(
                            root,
                            "key",
                            {"id": key, "for": domain, "attr.name": name, "attr.type": _xsd(value)},
                        )
        graph = ET.SubElement(root, "graph", {"edgedefault": "directed"})
        _data(graph, meta, keys, "graph")
        for row in nodes:
            _data(ET.SubElement(graph, "node", {"id": row["id"]}), row, keys, "node")
        for row in edges:
            element = ET.SubElement(
                graph,
                "edge",
                {"id": row["id"], "source": row["source"], "target": row["target"]},
            )
            _data(element, row, keys, "edge")
        return _xml(root)

    def gexf(self, answer: Subgraph) -> bytes:
        root = ET.Element(
            "gexf",
            {
                "xmlns": GEXF,
                "xmlns:viz": GEXF_VIZ,
                "xmlns:xsi": XSI,
                "xsi:schemaLocation": f"{GEXF} {GEXF}/gexf.xsd",
                "version": "1.3",
            },
        )
        meta = ET.SubElement(root, "meta")
        ET.SubElement(meta, "creator").text = "accordkg"
        ET.SubElement(meta, "description").text = json.dumps(answer.meta)
        graph = ET.SubElement(root, "graph", {"defaultedgetype": "directed", "mode": "static"})
        nodes = [_flat(self.node_data(record, answer)) for record in answer.nodes.values()]
        edges = [_flat(self.edge_data(link)) for link in answer.links.values()]
        for kind, rows, own in (
            ("node", nodes, {"id", "label", "x", "y"}),
            ("edge", edges, {"id", "source", "target", "label"}),
        ):
            titles = list(dict.fromkeys(n for row in rows for n in row if n not in own))
            declared = ET.SubElement(graph, "attributes", {"class": kind})
            types = {n: _xsd(next(row[n] for row in rows if n in row)) for n in titles}
            for index, title in enumerate(titles):
                ET.SubElement(
                    declared,
                    "attribute",
                    {"id": str(index), "title": title, "type": _gexf_type(types[title])},
                )
            container = ET.SubElement(graph, f"{kind}s")
            for row in rows:
                attributes = {"id": row["id"], "label": str(row["label"])}
                if kind == "edge":
                    attributes |= {"source": row["source"], "target": row["target"]}
                element = ET.SubElement(container, kind, attributes)
                values = ET.SubElement(element, "attvalues")
                for index, title in enumerate(titles):
                    if title in row:
                        ET.SubElement(
                            values,
                            "attvalue",
                            {"for": str(index), "value": _text(row[title])},
                        )
                if kind == "node":
                    ET.SubElement(
                        element,
                        "viz:position",
                        {"x": str(row["x"]), "y": str(row["y"]), "z": "0.0"},
                    )
        return _xml(root)

    def jsonld(self, answer: Subgraph) -> bytes:
        """The nodes and edges as RDF: collapsed edges stand for n-ary nodes and are not
        RDF properties, so they are left out (and counted in `meta`)."""
        resources: dict[str, dict[str, Any]] = {}
        for record in answer.nodes.values():
            resource: dict[str, Any] = {"@id": record.iri}
            if record.types:
                resource["@type"] = [self.vocabulary.curie(cls) for cls in record.types]
            for name, values in record.properties.items():
                resource[name] = values if len(values) > 1 else values[0]
            if record.links:
                resource["skos:exactMatch"] = [{"@id": link} for link in record.links]
            resources[record.id] = resource
        collapsed = 0
        for link in answer.links.values():
            if link.via is not None or ":" not in link.predicate:
                collapsed += 1
                continue
            target = {"@id": answer.nodes[link.target].iri}
            resources[link.source].setdefault(link.predicate, []).append(target)
        context = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
        meta = answer.meta | ({"collapsed_edges_left_out": collapsed} if collapsed else {})
        return _json({"@context": context, "@graph": list(resources.values()), "meta": meta})


@dataclass(frozen=True)
class GraphFormat:
    """A format the graph endpoints answer in: its name (`format=`), its media type, and
    its writer. Accept alone picks the first format of a media type (JSON: Cytoscape.js);
    the others of that type are asked for by name."""

    name: str
    media_type: str
    write: Callable[[Renderer, Subgraph], bytes]


GRAPH_FORMATS: dict[str, GraphFormat] = {}
"""The registry: every graph format by name; a new one is a `register_graph_format` call."""


def register_graph_format(graph_format: GraphFormat) -> GraphFormat:
    GRAPH_FORMATS[graph_format.name] = graph_format
    return graph_format


def negotiated_graph_formats() -> dict[str, GraphFormat]:
    """Each media type with the first registered format of that type."""
    offered: dict[str, GraphFormat] = {}
    for graph_format in GRAPH_FORMATS.values():
        offered.setdefault(graph_format.media_type, graph_format)
    return offered


def _node_link(renderer: Renderer, answer: Subgraph) -> bytes:
    return renderer.node_link(answer, "edges")


def _d3(renderer: Renderer, answer: Subgraph) -> bytes:
    return renderer.node_link(answer, "links")


for entry in (
    GraphFormat("cytoscape", "application/json", Renderer.cytoscape),
    GraphFormat("node-link", "application/json", _node_link),
    GraphFormat("d3", "application/json", _d3),
    GraphFormat("graphml", "application/graphml+xml", Renderer.graphml),
    GraphFormat("gexf", "application/gexf+xml", Renderer.gexf),
    GraphFormat("jsonld", "application/ld+json", Renderer.jsonld),
):
    register_graph_format(entry)


def _json(document: dict[str, Any]) -> bytes:
    return orjson.dumps(document)


def _xml(root: ET.Element) -> bytes:
    """The document; elements are written unqualified under the root's default namespace."""
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


def _flat(row: dict[str, Any]) -> dict[str, Any]:
    """Attributes as the scalars GraphML and GEXF hold: nested values as JSON text."""
    return {
        name: value if isinstance(value, str | int | float | bool) else json.dumps(value)
        for name, value in row.items()
        if value is not None
    }


def _xsd(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    return "string"


def _gexf_type(graphml_type: str) -> str:
    return {"long": "long", "double": "double", "boolean": "boolean"}.get(graphml_type, "string")


def _text(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _data(
    element: ET.Element, row: dict[str, Any], keys: dict[tuple[str, str], str], domain: str
) -> None:
    for name, value in row.items():
        if (domain, name) in keys:
            ET.SubElement(element, "data", {"key": keys[domain, name]}).text = _text(value)
