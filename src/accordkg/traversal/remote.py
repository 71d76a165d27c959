"""Walks over a remote store too large to project whole: each request reads, by SPARQL,
only the surroundings of the nodes its walk reaches (bounded by the walk's caps and by a
ceiling on the triples fetched), projects what it read with the same Projector as the
embedded mode, and runs the same networkx code on it."""

import math
from collections.abc import Callable, Collection, Sequence
from typing import Any

import networkx as nx
from rdflib.namespace import PROV, RDF

from accordkg.errors import InputError
from accordkg.namespaces import AK, OA
from accordkg.store import Row, Store
from accordkg.traversal.operations import View
from accordkg.traversal.projection import (
    COLLAPSIBLE,
    EXTERNAL_LINK,
    SCHEMA_PREDICATES,
    Link,
    NodeRecord,
    Projection,
    Projector,
    Statistics,
    Vocabulary,
    curie,
    evidence_query,
    feed,
    incoming_triples_query,
    own_triples_query,
    scope,
)

BATCH = 500  # nodes per query


class RemoteGraph:
    """One request's view of a remote store: what it has fetched so far, projected."""

    def __init__(
        self, store: Store, vocabulary: Vocabulary, base_iri: str, fetch_limit: int
    ) -> None:
        self.store = store
        self.vocabulary = vocabulary
        self.base_iri = base_iri
        self.fetch_limit = fetch_limit
        self.version = store.generation
        self.cut = False  # whether some fetch hit fetch_limit
        self._triples = 0
        self._projector = Projector(vocabulary, base_iri)
        self._fetched: set[str] = set()
        self._described: set[str] = set()  # nodes whose own triples have been read
        self._projection: Projection | None = None

    def notes(self) -> dict[str, Any]:
        return {"fetch_limit_reached": self.fetch_limit} if self.cut else {}

    def record(self, node: str) -> NodeRecord | None:
        if node not in self._fetched and node not in self._described:
            self._fetch([node])
        return self._projected().record(node)

    def links_of(self, nodes: Sequence[str]) -> dict[str, list[Link]]:
        self._fetch(nodes)
        return self._projected().links_of(nodes)

    def links_among(self, nodes: Sequence[str], others: Collection[str]) -> list[Link]:
        self._fetch(nodes)
        return self._projected().links_among(nodes, others)

    def nodes_of_types(
        self, types: Collection[str], view: View, limit: int
    ) -> tuple[list[str], int]:
        hidden = " ".join(
            f"FILTER NOT EXISTS {{ ?s a <{COLLAPSIBLE[kind]}> }}" for kind in sorted(view.collapse)
        )
        pattern = (
            f"VALUES ?t {{ {' '.join(f'<{cls}>' for cls in types)} }} "
            f"GRAPH ?g {{ ?s a ?t }} {scope('g', self.base_iri)} FILTER(isIRI(?s)) {hidden}"
        )
        [(total,)] = list(
            self.store.rows(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {pattern} }}")
        )
        nodes = [
            self._node_id(iri)
            for (iri,) in self.store.rows(
                f"SELECT DISTINCT ?s WHERE {{ {pattern} }} ORDER BY STR(?s) LIMIT {limit}"
            )
            if iri is not None
        ]
        self._fetch(nodes)
        return nodes, int(total or 0)

    def path_graph(
        self, source: str, target: str, view: View, max_length: int, max_degree: int | None
    ) -> nx.Graph:
        """Fetch around both ends to half the path length each (every edge of a path that
        short has an end that close to one of them), not walking on through hubs."""
        frontier = {source, target}
        for _ in range(math.ceil(max_length / 2)):
            around = self.links_of(sorted(frontier))
            frontier = set()
            for node, links in around.items():
                if (
                    node not in (source, target)
                    and max_degree is not None
                    and len(links) > max_degree
                ):
                    continue
                frontier |= {
                    link.other(node)
                    for link in links
                    if view.draws(link) and view.shows_node(self.record(link.other(node)))
                }
            frontier -= self._fetched
            if len(self._fetched) + len(frontier) > self.fetch_limit:
                self.cut = True
                break
        return self._projected().path_graph(source, target, view, max_length, max_degree)

    def statistics(self, view: View, top: int) -> Statistics:
        """Counted by the store itself."""
        if view.collapse:
            raise InputError(
                "statistics of a collapsed view need the embedded store; ask without collapse"
            )
        edges = self._edge_pattern(view)
        types = {
            curie(cls): int(n or 0)
            for cls, n in self.store.rows(
                f"SELECT ?t (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s a ?t }} "
                f"{scope('g', self.base_iri)} FILTER(isIRI(?s)) }} GROUP BY ?t"
            )
            if cls is not None
        }
        predicates = {
            curie(p): int(n or 0)
            for p, n in self.store.rows(
                f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ {edges} }} GROUP BY ?p"
            )
            if p is not None
        }
        hubs = [
            (self._node_id(x), int(n or 0))
            for x, n in self.store.rows(
                f"SELECT ?x (COUNT(*) AS ?n) WHERE {{ {{ {edges} BIND(?s AS ?x) }} "
                f"UNION {{ {edges} BIND(?o AS ?x) }} }} "
                f"GROUP BY ?x ORDER BY DESC(?n) STR(?x) LIMIT {top}"
            )
            if x is not None
        ]
        [(nodes,)] = list(self.store.rows(self._typed_nodes_query()))
        return Statistics(
            types=dict(sorted(types.items())),
            predicates=dict(sorted(predicates.items())),
            hubs=sorted(hubs, key=lambda hub: (-hub[1], hub[0])),
            nodes=int(nodes or 0),
            edges=sum(predicates.values()),
        )

    def _typed_nodes_query(self) -> str:
        return (
            "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { "
            f"GRAPH ?g {{ ?s a ?t }} {scope('g', self.base_iri)} FILTER(isIRI(?s)) }}"
        )

    def _edge_pattern(self, view: View) -> str:
        """The triples the view draws as edges, as ?s ?p ?o; evidence's blank-node targets
        read as the evidence -> source edge the projection draws."""
        excluded = [f"?p != <{EXTERNAL_LINK}>"]
        if view.predicates:
            chosen = ", ".join(f"<{self.vocabulary.expand(p)}>" for p in sorted(view.predicates))
            excluded.append(f"?p IN ({chosen})")
        if "types" not in view.include:
            excluded.append(f"?p != <{RDF.type}>")
        if "provenance" not in view.include:
            excluded.append(f'!STRSTARTS(STR(?p), "{PROV}")')
        if "schema" not in view.include:
            schema = ", ".join(f"<{p}>" for p in sorted(SCHEMA_PREDICATES))
            excluded.append(f'?p NOT IN ({schema}) && !STRSTARTS(STR(?o), "{AK}")')
        kept = " && ".join(excluded)
        return (
            f"{{ GRAPH ?g {{ ?s ?p ?o }} FILTER(isIRI(?s) && isIRI(?o) && {kept}) }} "
            f"UNION {{ GRAPH ?g {{ ?s <{OA.hasTarget}>/<{OA.hasSource}> ?o }} "
            f"BIND(<{OA.hasSource}> AS ?p) }} {scope('g', self.base_iri)}"
        )

    def _fetch(self, nodes: Sequence[str]) -> None:
        """Read what walks need around the nodes: their own triples and those pointing at
        them; the own triples of every neighbour (labels, types, literals); and what points
        at neighbouring signatures and evidence, so those can be collapsed."""
        wanted = [node for node in dict.fromkeys(nodes) if node not in self._fetched]
        if not wanted:
            return
        iris = [self._iri(node) for node in wanted]
        around = self._read(own_triples_query, iris) + self._read(incoming_triples_query, iris)
        neighbours = {
            iri
            for s, _, o, literal in around
            for iri in (s, o)
            if iri and literal != "true" and self._node_id(iri) not in self._described
        } - set(iris)
        theirs = self._read(own_triples_query, sorted(neighbours))
        self._described.update(self._node_id(iri) for iri in [*iris, *neighbours])
        nary = {str(cls) for cls in COLLAPSIBLE.values()}
        collapsible = sorted({s for s, p, o, _ in theirs if s and p == str(RDF.type) and o in nary})
        self._read(incoming_triples_query, collapsible)
        evidence = sorted(
            {
                s
                for s, p, o, _ in around + theirs
                if s and p == str(RDF.type) and o == str(AK.Evidence)
            }
        )
        for start in range(0, len(evidence), BATCH):
            rows = self.store.rows(evidence_query(self.base_iri, evidence[start : start + BATCH]))
            feed(self._projector, (), rows)
        self._fetched.update(wanted)
        self._projection = None

    def _read(self, query: Callable[[str, list[str]], str], iris: list[str]) -> list[Row]:
        """Run a per-node query in batches, stopping at the fetch limit (and noting it)."""
        rows: list[Row] = []
        for start in range(0, len(iris), BATCH):
            room = self.fetch_limit - self._triples - len(rows)
            found = self.store.rows(query(self.base_iri, iris[start : start + BATCH]))
            batch = [_with_boolean_flag(row) for row in found]
            if len(batch) > room:
                self.cut = True
                rows += batch[:room]
                break
            rows += batch
        self._triples += len(rows)
        feed(self._projector, rows, ())
        return rows

    def _projected(self) -> Projection:
        if self._projection is None:
            records, links = self._projector.finish()
            self._projection = Projection(records, links, self.version)
        return self._projection

    def _iri(self, node: str) -> str:
        return node if node.startswith(("http://", "https://")) else f"{self.base_iri}{node}"

    def _node_id(self, iri: str) -> str:
        return iri[len(self.base_iri) :] if iri.startswith(self.base_iri) else iri


def _with_boolean_flag(row: Row) -> Row:
    """A triple row with its isLiteral flag as "true" or "false": Virtuoso answers isLiteral
    with the integer 1 or 0."""
    subject, predicate, value, literal = row
    return subject, predicate, value, "true" if literal in ("true", "1") else "false"
