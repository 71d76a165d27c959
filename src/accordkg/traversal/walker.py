"""Walks over a store too large to project whole: each request reads only the
surroundings of the nodes its walk reaches (bounded by the walk's caps and by a ceiling on
the triples fetched), projects what it read with the same Projector as the whole
projection, and runs the same networkx code on it. An embedded store is read by pattern in
process (a SPARQL query per node would cost more than the read); a remote one by SPARQL,
a batch of nodes per query."""

from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import networkx as nx
import pyoxigraph
from rdflib.namespace import PROV, RDF

from accordkg.errors import InputError
from accordkg.graphs import built_prefix
from accordkg.namespaces import AK, OA
from accordkg.store import EmbeddedStore, Row, Store
from accordkg.traversal.operations import PathLimits, View
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
    k_shortest_paths,
    own_triples_query,
    scope,
)

NODES_PER_QUERY = 500  # nodes named in one SPARQL query's VALUES
CACHED_ROWS = 250_000  # rows read by pattern kept for later walks (about 80 MiB)
RDF_TYPE = str(RDF.type)
NARY = frozenset(str(cls) for cls in COLLAPSIBLE.values())
EVIDENCE = str(AK.Evidence)
TriplesQuery = Callable[[str, Iterable[str]], str]


class Reads(Protocol):
    """How a walk reads the surroundings of nodes: rows of (subject, predicate, object,
    "true" if the object is a literal), as `own_triples_query` and
    `incoming_triples_query` give them, and the rows of `evidence_query`."""

    def triples(self, query: TriplesQuery, iris: list[str]) -> Iterator[list[Row]]:
        """The rows of `query` for the nodes, a batch at a time."""

    def evidence(self, iris: list[str]) -> Iterator[Row]: ...

    def pointing_at(self, iri: str) -> list[Row]:
        """One row of a triple pointing at the node, if there is one."""


class SparqlReads:
    """A remote store, read by SPARQL: a query per batch of nodes."""

    def __init__(self, store: Store, base_iri: str) -> None:
        self.store, self.base_iri = store, base_iri

    def triples(self, query: TriplesQuery, iris: list[str]) -> Iterator[list[Row]]:
        for start in range(0, len(iris), NODES_PER_QUERY):
            found = self.store.rows(query(self.base_iri, iris[start : start + NODES_PER_QUERY]))
            yield [_with_boolean_flag(row) for row in found]

    def evidence(self, iris: list[str]) -> Iterator[Row]:
        for start in range(0, len(iris), NODES_PER_QUERY):
            yield from self.store.rows(
                evidence_query(self.base_iri, iris[start : start + NODES_PER_QUERY])
            )

    def pointing_at(self, iri: str) -> list[Row]:
        found = self.store.rows(f"{incoming_triples_query(self.base_iri, [iri])} LIMIT 1")
        return [_with_boolean_flag(row) for row in found]


def _with_boolean_flag(row: Row) -> Row:
    """A triple row with its isLiteral flag as "true" or "false": Virtuoso answers isLiteral
    with the integer 1 or 0."""
    subject, predicate, value, literal = row
    return subject, predicate, value, "true" if literal in ("true", "1") else "false"


class ReadCache:
    """The rows read by pattern around each node, shared by the walks of one store
    generation, so that walks asked again read the store no more (decoding a quad from
    disk costs far more than projecting it). Emptied when it would hold more than `most`
    rows: its memory is bounded, not the whole graph's."""

    def __init__(self, most: int) -> None:
        self.most = most
        self.size = 0
        self._rows: dict[tuple[bool, str], list[Row]] = {}

    def get(self, key: tuple[bool, str]) -> list[Row] | None:
        return self._rows.get(key)

    def put(self, key: tuple[bool, str], rows: list[Row]) -> None:
        if self.size + len(rows) > self.most:
            self._rows.clear()
            self.size = 0
        self._rows[key] = rows
        self.size += len(rows)


class PatternReads:
    """An embedded store, read by pattern in process, from the instance graphs only."""

    def __init__(self, store: pyoxigraph.Store, base_iri: str, cache: ReadCache) -> None:
        self.store = store
        self.prefix = built_prefix(base_iri)
        self.cache = cache

    def triples(self, query: TriplesQuery, iris: list[str]) -> Iterator[list[Row]]:
        outgoing = query is own_triples_query
        for iri in iris:
            if (known := self.cache.get((outgoing, iri))) is not None:
                yield known
                continue
            node = pyoxigraph.NamedNode(iri)
            quads = self._quads(node, None, None) if outgoing else self._quads(None, None, node)
            rows: set[Row] = set()
            for quad in quads:
                subject, obj = quad.subject, quad.object
                if isinstance(subject, pyoxigraph.NamedNode) and isinstance(
                    obj, pyoxigraph.NamedNode | pyoxigraph.Literal
                ):
                    literal = "true" if isinstance(obj, pyoxigraph.Literal) else "false"
                    rows.add((subject.value, quad.predicate.value, obj.value, literal))
            found = sorted(rows)
            self.cache.put((outgoing, iri), found)
            yield found

    def evidence(self, iris: list[str]) -> Iterator[Row]:
        """The flattened target of each annotation, read within the graph that holds it."""
        for iri in iris:
            annotation = pyoxigraph.NamedNode(iri)
            for target in self._quads(annotation, pyoxigraph.NamedNode(OA.hasTarget)):
                graph = target.graph_name
                sources = self._objects(target.object, OA.hasSource, graph)
                selectors = self._objects(target.object, OA.hasSelector, graph)
                spans = [
                    (start, end)
                    for selector in selectors
                    for start in self._objects(selector, OA.start, graph)
                    for end in self._objects(selector, OA.end, graph)
                ]
                quotes = [q for s in selectors for q in self._objects(s, OA.exact, graph)]
                for source in sources:
                    for start, end in spans:
                        for exact in quotes:
                            yield (iri, source.value, start.value, end.value, exact.value)

    def pointing_at(self, iri: str) -> list[Row]:
        for quad in self._quads(None, None, pyoxigraph.NamedNode(iri)):
            if isinstance(quad.subject, pyoxigraph.NamedNode):
                return [(quad.subject.value, quad.predicate.value, iri, "false")]
        return []

    def _quads(
        self, subject: Any = None, predicate: Any = None, obj: Any = None
    ) -> Iterator[pyoxigraph.Quad]:
        for quad in self.store.quads_for_pattern(subject, predicate, obj):
            graph = quad.graph_name
            if isinstance(graph, pyoxigraph.NamedNode) and graph.value.startswith(self.prefix):
                yield quad

    def _objects(self, subject: Any, predicate: str, graph: Any) -> list[Any]:
        named = pyoxigraph.NamedNode(predicate)
        return [quad.object for quad in self.store.quads_for_pattern(subject, named, None, graph)]


def reads_for(store: Store, base_iri: str, cache: ReadCache) -> Reads:
    """By pattern from an embedded store, by SPARQL from any other."""
    if isinstance(store, EmbeddedStore):
        return PatternReads(store.oxigraph, base_iri, cache)
    return SparqlReads(store, base_iri)


@dataclass
class Derived:
    """What the walks of one store generation share: the whole-graph statistics by view,
    and the rows read by pattern."""

    generation: int
    counts: dict[tuple[object, ...], Statistics] = field(default_factory=dict)
    reads: ReadCache = field(default_factory=lambda: ReadCache(CACHED_ROWS))


class StoreWalk:
    """One request's view of the store: what it has read so far, projected."""

    def __init__(
        self,
        store: Store,
        vocabulary: Vocabulary,
        base_iri: str,
        fetch_limit: int,
        derived: "Derived",
    ) -> None:
        """`derived` is what the walks of the store's generation share."""
        self.store = store
        self.counts = derived.counts
        self.reads = reads_for(store, base_iri, derived.reads)
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
        self._fed = False  # whether rows were read since the projection was brought up to date

    def notes(self) -> dict[str, Any]:
        return {"fetch_limit_reached": self.fetch_limit} if self.cut else {}

    def record(self, node: str) -> NodeRecord | None:
        """Read from the node's own triples, or (a node with none, such as a term only
        pointed at) from one triple pointing at it: not from all of a hub's."""
        if node not in self._fetched and node not in self._described:
            self._describe([node])
            if node not in self._projector.records:
                feed(self._projector, self.reads.pointing_at(self._iri(node)), ())
        return self._projected().record(node)

    def links_of(self, nodes: Sequence[str]) -> dict[str, list[Link]]:
        self._fetch(nodes)
        return self._projected().links_of(nodes)

    def links_among(self, nodes: Sequence[str], others: Collection[str], view: View) -> list[Link]:
        """Plain links among nodes are read as the links out of each; the edges that
        collapsed signatures and evidence become need the nodes' surroundings."""
        if view.collapse:
            self._fetch(nodes)
        self._describe([*nodes, *others])
        return self._projected().links_among(nodes, others, view)

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

    def paths(
        self, source: str, target: str, view: View, limits: PathLimits
    ) -> tuple[list[list[str]], nx.Graph]:
        """A bounded bidirectional search. The links of the nodes fewer than `ds` hops from
        the source or `dt` from the target hold every path of at most ds + dt hops, so the
        side with the smaller frontier grows a hop at a time until the k shortest paths
        found are no longer than that, or max_length is reached; hubs (more than
        `max_degree` neighbours) are not walked through, nor kept on a path."""
        frontiers = {source: [source], target: [target]}
        seen = {source, target}
        hubs: set[str] = set()
        reach = 0
        while True:
            found, graph = self._shortest(source, target, view, limits, hubs)
            if (len(found) == limits.k and len(found[-1]) - 1 <= reach) or (
                reach >= limits.max_length
            ):
                return found, graph
            growing = [side for side in frontiers if frontiers[side]]
            if len(growing) < 2 or self.cut:  # a component read whole, or the ceiling hit
                return found, graph
            side = min(growing, key=lambda end: len(frontiers[end]))
            following: list[str] = []
            for node, links in self.links_of(frontiers[side]).items():
                neighbours = self._neighbours(node, links, view)
                if node in (source, target) or not self._is_hub(neighbours, limits):
                    following += sorted(neighbours - seen)
                    seen.update(neighbours)
                else:
                    hubs.add(node)
            frontiers[side] = following
            reach += 1

    def _shortest(
        self, source: str, target: str, view: View, limits: PathLimits, hubs: set[str]
    ) -> tuple[list[list[str]], nx.Graph]:
        """The k shortest paths in what has been read, around the hubs known; a node on a
        path whose links are still unread is read first, as it may be a hub."""
        while True:
            drawn = self._projected().path_graph(source, target, view, limits.max_length, None)
            graph = nx.restricted_view(drawn, hubs, [])
            found = k_shortest_paths(graph, source, target, limits.k, limits.max_length)
            unread = sorted({n for path in found for n in path[1:-1]} - self._fetched)
            if limits.max_degree is None or not unread:
                return found, graph
            for node, links in self.links_of(unread).items():
                if self._is_hub(self._neighbours(node, links, view), limits):
                    hubs.add(node)

    @staticmethod
    def _is_hub(neighbours: set[str], limits: PathLimits) -> bool:
        return limits.max_degree is not None and len(neighbours) > limits.max_degree

    def _neighbours(self, node: str, links: list[Link], view: View) -> set[str]:
        """The nodes a node is drawn linked to, in the view (its degree in a path graph)."""
        return {
            other
            for link in links
            if view.draws(link) and view.shows_node(self.record(other := link.other(node)))
        }

    def statistics(self, view: View, top: int) -> Statistics:
        if view.collapse:
            raise InputError(
                "statistics of a collapsed view need a store small enough to project whole; "
                "ask without collapse"
            )
        key = (view.include, view.predicates, top)
        if key not in self.counts:
            self.counts[key] = self._count(view, top)
        return self.counts[key]

    def _count(self, view: View, top: int) -> Statistics:
        """Counted by the store itself."""
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
        collapsible = sorted({s for s, p, o, _ in theirs if s and p == RDF_TYPE and o in NARY})
        self._read(incoming_triples_query, collapsible)
        self._read_evidence(around + theirs)
        self._fetched.update(wanted)

    def _describe(self, nodes: Iterable[str]) -> None:
        """Read the own triples of the nodes not read yet: their records, and every link
        out of them (so every link among nodes described is known, as the link out of its
        source, without reading what points at a hub)."""
        iris = [
            self._iri(node)
            for node in dict.fromkeys(nodes)
            if node not in self._described and node not in self._fetched
        ]
        rows = self._read(own_triples_query, iris)
        self._described.update(self._node_id(iri) for iri in iris)
        self._read_evidence(rows)

    def _read_evidence(self, rows: list[Row]) -> None:
        """The flattened targets of the evidence annotations among the rows' subjects."""
        evidence = {s for s, p, o, _ in rows if s and p == RDF_TYPE and o == EVIDENCE}
        if evidence:
            self._feed((), self.reads.evidence(sorted(evidence)))

    def _read(self, query: TriplesQuery, iris: list[str]) -> list[Row]:
        """Read the nodes' rows, stopping at the fetch limit (and noting it)."""
        rows: list[Row] = []
        for batch in self.reads.triples(query, iris):
            room = self.fetch_limit - self._triples - len(rows)
            if len(batch) > room:
                self.cut = True
                rows += batch[:room]
                break
            rows += batch
        self._triples += len(rows)
        if rows:
            self._feed(rows, ())
        return rows

    def _feed(self, triples: Iterable[Row], evidence: Iterable[Row]) -> None:
        """Give the rows read to the projector: the projection takes them in when next
        asked for (not when a read found nothing new)."""
        feed(self._projector, triples, evidence)
        self._fed = True

    def _projected(self) -> Projection:
        """The projection of what has been read, brought up to date with what was read
        since it was last asked for."""
        if self._projection is None or self._fed:
            records, links = self._projector.finish()
            if self._projection is None:
                self._projection = Projection(records, links, self.version)
            else:
                self._projection.update(records, links)
            self._fed = False
        return self._projection

    def _iri(self, node: str) -> str:
        return node if node.startswith(("http://", "https://")) else f"{self.base_iri}{node}"

    def _node_id(self, iri: str) -> str:
        return iri[len(self.base_iri) :] if iri.startswith(self.base_iri) else iri
