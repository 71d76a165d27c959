"""Bounded walks over a graph source: node detail, neighbours, neighbourhoods, expansion,
paths, subgraphs and statistics. Caps never fail a request: they cut the answer and the
answer's `meta` says what was asked, what was applied and how much was left out."""

import base64
import binascii
import json
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any, NamedTuple, Protocol

import networkx as nx

from accordkg.errors import InputError, NotFoundError
from accordkg.traversal.projection import (
    COLLAPSIBLE,
    GROUPS,
    Link,
    NodeRecord,
    Statistics,
    curie,
    link_order,
)

DIRECTIONS = ("both", "out", "in")
# The largest count a caller may give: answers echo what was asked for, and JSON readers
# (JavaScript's numbers, orjson's 64-bit integers) cannot all hold more.
MAX_COUNT = 2**53 - 1
# Ceilings on what a caller may ask for; larger requests are cut to these, and say so.
CEILINGS = {
    "depth": 3,
    "limit": 5_000,
    "max_nodes": 20_000,
    "max_edges": 100_000,
    "k": 20,
    "max_length": 8,
}
DEFAULTS = {"depth": 1, "limit": 100, "max_nodes": 500, "max_edges": 2_000, "k": 3, "max_length": 5}


class GraphSource(Protocol):
    """Where walks read the graph from: the whole projection in memory, or bounded
    fetches from a remote store."""

    @property
    def version(self) -> int: ...

    def record(self, node: str) -> NodeRecord | None: ...

    def notes(self) -> dict[str, Any]:
        """What the answer's meta should also say about how the graph was read."""

    def links_of(self, nodes: Sequence[str]) -> dict[str, list[Link]]:
        """Every link of each node, in `link_order`."""

    def links_among(
        self, nodes: Sequence[str], others: Collection[str], view: "View"
    ) -> list[Link]:
        """The links between each of `nodes` (in order) and any of `others`, each node's
        in `link_order`: all of them, or at least those `view` may draw."""

    def nodes_of_types(
        self, types: Collection[str], view: "View", limit: int
    ) -> tuple[list[str], int]:
        """The first `limit` nodes (by id) the view shows having any of the types (IRIs),
        and how many there are in all."""

    def paths(
        self, source: str, target: str, view: "View", limits: "PathLimits"
    ) -> tuple[list[list[str]], nx.Graph]:
        """The k shortest paths of at most `max_length` hops the view allows between the
        two nodes (intermediate nodes of degree above max_degree left out), and a graph
        whose edges carry their links."""

    def statistics(self, view: "View", top: int) -> Statistics: ...


class PathLimits(NamedTuple):
    """How many paths, how long, and around which hubs (more neighbours than this)."""

    k: int
    max_length: int
    max_degree: int | None


@dataclass(frozen=True)
class View:
    """What a caller asked to see: edge groups, n-ary kinds collapsed, and filters."""

    include: frozenset[str] = frozenset({"data"})
    collapse: frozenset[str] = frozenset()
    predicates: frozenset[str] = frozenset()
    direction: str = "both"
    neighbour_types: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if unknown := self.include - set(GROUPS):
            raise InputError(
                f"include: unknown edge group {sorted(unknown)[0]!r}; "
                f"choose from {', '.join(GROUPS[1:])}"
            )
        if unknown := self.collapse - set(COLLAPSIBLE):
            raise InputError(
                f"collapse: unknown kind {sorted(unknown)[0]!r}; "
                f"choose from {', '.join(COLLAPSIBLE)}"
            )
        if self.direction not in DIRECTIONS:
            raise InputError(f"direction must be one of {', '.join(DIRECTIONS)}")

    def shows_link(self, link: Link, node: str) -> bool:
        return (
            (link.group in self.include or link.group in self.collapse)
            and (not self.predicates or link.predicate in self.predicates)
            and (self.direction == "both" or link.direction(node) == self.direction)
        )

    def shown(self, links: list[Link], node: str, source: "GraphSource") -> list[Link]:
        """The links of `node` a walk may follow: `shows_link` and `admits` for each,
        with the checks nobody asked for skipped (a hub has tens of thousands)."""
        groups = self.include | self.collapse
        chosen = [link for link in links if link.group in groups]
        if self.predicates:
            chosen = [link for link in chosen if link.predicate in self.predicates]
        if self.direction != "both":
            chosen = [link for link in chosen if link.direction(node) == self.direction]
        if self.collapse or self.neighbour_types:
            chosen = [link for link in chosen if self.admits(source.record(link.other(node)))]
        return chosen

    def draws(self, link: Link) -> bool:
        """Whether an edge between two drawn nodes is drawn (direction aside)."""
        return (link.group in self.include or link.group in self.collapse) and (
            not self.predicates or link.predicate in self.predicates
        )

    def shows_node(self, record: NodeRecord | None) -> bool:
        """Whether a node may appear at all: not an n-ary node the view collapses."""
        return record is not None and not any(
            str(COLLAPSIBLE[kind]) in record.types for kind in self.collapse
        )

    def admits(self, record: NodeRecord | None) -> bool:
        """Whether a neighbour passes the node-type filter as well."""
        return self.shows_node(record) and (
            not self.neighbour_types or not self.neighbour_types.isdisjoint(record.types)  # type: ignore[union-attr]
        )


@dataclass
class Subgraph:
    """An answer: nodes, the links between them, and what the caps did."""

    nodes: dict[str, NodeRecord] = field(default_factory=dict)
    links: dict[str, Link] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    attributes: dict[str, dict[str, float | bool]] = field(default_factory=dict)


def limits(requested: dict[str, int | None]) -> tuple[dict[str, int], dict[str, Any]]:
    """The limits to apply (defaults filled in, ceilings enforced) and their meta entry."""
    applied: dict[str, int] = {}
    for name, value in requested.items():
        positive_count(name, value)
        applied[name] = min(value if value is not None else DEFAULTS[name], CEILINGS[name])
    return applied, {
        "requested": {k: v for k, v in requested.items() if v is not None},
        "applied": applied,
    }


def positive_count(name: str, value: int | None) -> None:
    """InputError unless `value` (if given) is a count from 1 to MAX_COUNT."""
    if value is not None and not 1 <= value <= MAX_COUNT:
        raise InputError(f"{name} must be a positive integer, at most {MAX_COUNT}")


def find(source: GraphSource, node: str) -> NodeRecord:
    record = source.record(node)
    if record is None:
        raise NotFoundError(f"no node {node!r} in the graph")
    return record


def node_detail(source: GraphSource, node: str, view: View) -> Subgraph:
    record = find(source, node)
    degree: dict[str, dict[str, int]] = {}
    for link in source.links_of([node])[node]:
        if view.shows_link(link, node) and view.shows_node(source.record(link.other(node))):
            per = degree.setdefault(link.predicate, {"out": 0, "in": 0})
            per[link.direction(node)] += 1
    meta = {"degree": degree, "data_version": source.version, "truncated": False}
    return Subgraph({node: record}, meta=_noted(source, meta))


def neighbors(
    source: GraphSource, node: str, view: View, *, limit: int | None, cursor: str | None
) -> Subgraph:
    """One page of a node's neighbours, with counts per predicate and neighbour type over
    every neighbour the view's edge groups allow (before the other filters)."""
    find(source, node)
    (applied, limit_meta) = limits({"limit": limit})
    everything = [
        link
        for link in source.links_of([node])[node]
        if (link.group in view.include or link.group in view.collapse)
        and view.shows_node(source.record(link.other(node)))
    ]
    per_predicate: dict[str, dict[str, int]] = {}
    per_type: Counter[str] = Counter()
    for link in everything:
        per_predicate.setdefault(link.predicate, {"out": 0, "in": 0})[link.direction(node)] += 1
        neighbour = source.record(link.other(node))
        per_type[curie(neighbour.types[0]) if neighbour and neighbour.types else "untyped"] += 1
    matching = view.shown(everything, node, source)
    after = decode_cursor(cursor) if cursor else None
    remaining = [link for link in matching if after is None or list(link_order(link, node)) > after]
    page = remaining[: applied["limit"]]
    answer = Subgraph({node: find(source, node)})
    for link in page:
        answer.nodes.setdefault(link.other(node), find(source, link.other(node)))
        answer.links[link.id] = link
    more = len(remaining) > len(page)
    answer.meta = {
        "limits": limit_meta,
        "data_version": source.version,
        "total": len(matching),
        "returned": len(page),
        "truncated": more,
        "omitted": {"neighbors": len(remaining) - len(page)},
        "cursor": encode_cursor(list(link_order(page[-1], node))) if more else None,
        "counts": {"predicates": per_predicate, "types": dict(sorted(per_type.items()))},
    }
    answer.meta = _noted(source, answer.meta)
    return answer


def neighborhood(
    source: GraphSource,
    seeds: Sequence[str],
    view: View,
    *,
    depth: int | None,
    limit: int | None,
    max_nodes: int | None,
    max_edges: int | None,
) -> Subgraph:
    """The ego graph of the seeds: breadth first to `depth` (default 1, at most 3), at
    most `limit` neighbours taken per node and `max_nodes` / `max_edges` in all, with every
    edge among the nodes taken."""
    walk = _Walk(
        source,
        view,
        {"depth": depth, "limit": limit, "max_nodes": max_nodes, "max_edges": max_edges},
    )
    walk.answer.nodes.update((seed, find(source, seed)) for seed in seeds)
    frontier = list(walk.answer.nodes)
    for _ in range(walk.applied["depth"]):
        frontier = walk.step(frontier, excluded=set())
    return walk.connect(list(walk.answer.nodes), walk.answer.nodes.keys())


def expand(
    source: GraphSource,
    nodes: Sequence[str],
    visible: Collection[str],
    view: View,
    *,
    limit: int | None,
    max_nodes: int | None,
    max_edges: int | None,
) -> Subgraph:
    """What expanding `nodes` adds to a canvas already showing `visible`: the new
    neighbours, and the edges that connect them to the canvas and to each other. The
    canvas nodes those edges touch are in the answer too, marked `on_canvas`."""
    walk = _Walk(source, view, {"limit": limit, "max_nodes": max_nodes, "max_edges": max_edges})
    for node in nodes:
        find(source, node)
    on_canvas = set(visible) | set(nodes)
    new = walk.step(list(nodes), excluded=on_canvas)
    answer = walk.connect(new, walk.answer.nodes.keys() | on_canvas)
    # The canvas nodes the new edges end at come along, marked, so that no edge names a
    # node missing from the answer (a client adds only the nodes not marked).
    touched = sorted(
        {end for link in answer.links.values() for end in (link.source, link.target)} - set(new)
    )
    for node in touched:
        answer.nodes[node] = find(source, node)
        answer.attributes[node] = {"on_canvas": True}
    answer.meta["on_canvas"] = touched
    return answer


class _Walk:
    """One bounded walk: the limits applied, the answer so far, and what was left out."""

    def __init__(self, source: GraphSource, view: View, requested: dict[str, int | None]) -> None:
        self.source, self.view = source, view
        self.applied, self.limit_meta = limits(requested)
        self.answer = Subgraph()
        self.omitted = Counter[str]()

    def step(self, frontier: list[str], excluded: set[str]) -> list[str]:
        """Take up to `limit` neighbours of each frontier node into the answer; return
        those that are new."""
        reached: list[str] = []
        for node, links in self.source.links_of(frontier).items():
            shown = self.view.shown(links, node, self.source)
            if len(shown) > self.applied["limit"]:
                self.omitted["neighbors"] += len(shown) - self.applied["limit"]
            for link in shown[: self.applied["limit"]]:
                other = link.other(node)
                if other in self.answer.nodes or other in excluded:
                    continue
                if len(self.answer.nodes) >= self.applied["max_nodes"]:
                    self.omitted["nodes"] += 1
                    continue
                self.answer.nodes[other] = find(self.source, other)
                reached.append(other)
        return reached

    def connect(self, nodes: list[str], drawn: Collection[str]) -> Subgraph:
        """Add the edges the view draws between `nodes` and anything `drawn`; finish."""
        for link in self.source.links_among(nodes, drawn, self.view):
            if link.id not in self.answer.links and self.view.draws(link):
                if len(self.answer.links) >= self.applied["max_edges"]:
                    self.omitted["edges"] += 1
                    continue
                self.answer.links[link.id] = link
        self.answer.meta = _noted(
            self.source,
            {
                "limits": self.limit_meta,
                "data_version": self.source.version,
                "truncated": bool(self.omitted),
                "omitted": dict(self.omitted),
            },
        )
        return self.answer


def paths(
    source: GraphSource,
    start: str,
    end: str,
    view: View,
    *,
    k: int | None,
    max_length: int | None,
    max_degree: int | None,
) -> Subgraph:
    """The k shortest paths (undirected, at most `max_length` hops) between two nodes,
    optionally around hubs: intermediate nodes with more than `max_degree` edges."""
    applied, limit_meta = limits({"k": k, "max_length": max_length})
    positive_count("max_degree", max_degree)
    answer = Subgraph({start: find(source, start), end: find(source, end)})
    found, graph = source.paths(
        start, end, view, PathLimits(applied["k"], applied["max_length"], max_degree)
    )
    for path in found:
        for node, following in pairwise(path):
            answer.nodes.setdefault(following, find(source, following))
            for link in graph.edges[node, following]["links"]:
                if view.draws(link):
                    answer.links[link.id] = link
    answer.meta = {
        "limits": limit_meta | ({"max_degree": max_degree} if max_degree else {}),
        "data_version": source.version,
        "paths": found,
        "truncated": False,
    }
    answer.meta = _noted(source, answer.meta)
    return answer


def subgraph(
    source: GraphSource,
    types: Collection[str],
    view: View,
    *,
    max_nodes: int | None,
    max_edges: int | None,
) -> Subgraph:
    """Every node of the given types (up to max_nodes, by id) and the edges among them."""
    if not types:
        raise InputError("types: name at least one node type, e.g. types=ak:Instrument,ak:State")
    applied, limit_meta = limits({"max_nodes": max_nodes, "max_edges": max_edges})
    taken, total = source.nodes_of_types(types, view, applied["max_nodes"])
    answer = _induced(source, taken, view, max_edges, total - len(taken))
    answer.meta["limits"] = limit_meta
    return answer


def induced(
    source: GraphSource, nodes: Sequence[str], view: View, max_edges: int | None
) -> Subgraph:
    """The given nodes and every edge among them."""
    missing = [node for node in nodes if source.record(node) is None]
    if missing:
        raise NotFoundError(f"no node {missing[0]!r} in the graph ({len(missing)} unknown)")
    return _induced(source, list(dict.fromkeys(nodes)), view, max_edges, 0)


def _induced(
    source: GraphSource, nodes: list[str], view: View, max_edges: int | None, cut: int
) -> Subgraph:
    walk = _Walk(source, view, {"max_edges": max_edges})
    walk.answer.nodes.update((node, find(source, node)) for node in nodes)
    if cut:
        walk.omitted["nodes"] = cut
    return walk.connect(nodes, walk.answer.nodes.keys())


def statistics(
    source: GraphSource,
    view: View,
    *,
    top: int | None,
    centrality: Collection[str],
    types: Collection[str],
    max_nodes: int | None,
) -> Subgraph:
    """Node types and predicates with counts and the top hubs; with `centrality`, degree
    centrality and PageRank over the subgraph of `types` (or of the hubs)."""
    if unknown := set(centrality) - {"degree", "pagerank"}:
        raise InputError(
            f"centrality: unknown measure {sorted(unknown)[0]!r}; use degree, pagerank"
        )
    positive_count("top", top)
    positive_count("max_nodes", max_nodes)  # used only with types, checked either way
    top = min(top or 10, 100)
    summary = source.statistics(view, top)
    if types:
        answer = subgraph(source, types, view, max_nodes=max_nodes, max_edges=None)
    else:
        answer = induced(source, [hub for hub, _ in summary.hubs], view, None)
    for hub, degree in summary.hubs:
        if hub in answer.nodes:
            answer.attributes.setdefault(hub, {})["degree"] = degree
    if centrality:
        graph = nx.Graph()
        graph.add_nodes_from(answer.nodes)
        graph.add_edges_from((link.source, link.target) for link in answer.links.values())
        measures = {
            "degree_centrality": nx.degree_centrality(graph) if "degree" in centrality else {},
            "pagerank": nx.pagerank(graph) if "pagerank" in centrality and len(graph) else {},
        }
        for name, values in measures.items():
            for node, value in values.items():
                answer.attributes.setdefault(node, {})[name] = round(value, 6)
    answer.meta |= {
        "nodes": summary.nodes,
        "edges": summary.edges,
        "types": summary.types,
        "predicates": summary.predicates,
        "hubs": [{"id": hub, "degree": degree} for hub, degree in summary.hubs],
    }
    return answer


def _noted(source: GraphSource, meta: dict[str, Any]) -> dict[str, Any]:
    """The meta with the source's own notes; a note means the answer may be partial."""
    notes = source.notes()
    return meta | notes | ({"truncated": True} if notes else {})


def encode_cursor(key: list[str]) -> str:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> list[str]:
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError) as exc:
        raise InputError("cursor: not a cursor this service gave out") from exc
    if not isinstance(key, list) or len(key) != 3 or not all(isinstance(k, str) for k in key):
        raise InputError("cursor: not a cursor this service gave out")
    return key
