"""The traversal graph: RDF projected into nodes and labelled edges for drawing.

IRIs are nodes carrying their label, types and literal properties; object properties are
edges; literals are never nodes. Every edge belongs to a group and a view (what the caller
asked for) decides which groups are drawn: `data` always; `types` (rdf:type edges to class
nodes), `schema` (links to vocabulary terms such as modalities, legal force and concept
schemes) and `provenance` (PROV-O) on request. Signatures and evidence are n-ary nodes:
drawn as nodes, or, when the caller collapses them, replaced by direct edges that the
projection computes once (person —signed for→ state, provision —evidenced in→ source).
"""

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.namespace import FOAF, PROV, RDF, RDFS, SKOS

from accordkg.graphs import built_prefix
from accordkg.namespaces import AK, OA, PREFIXES
from accordkg.store import Row

if TYPE_CHECKING:
    from accordkg.traversal.operations import PathLimits, View

GROUPS = ("data", "types", "schema", "provenance")
COLLAPSIBLE = {"signature": AK.Signature, "evidence": AK.Evidence}
LABEL_PREDICATES = (str(RDFS.label), str(SKOS.prefLabel), str(FOAF.name), str(AK.title))
SCHEMA_PREDICATES = {str(SKOS.inScheme), str(SKOS.hasTopConcept), str(SKOS.topConceptOf)}
EXTERNAL_LINK = str(SKOS.exactMatch)
EVIDENCE_LINKS = {"ak:evidence", "ak:legalForceEvidence"}  # as links name them
# Plain strings: projecting a million triples compares against these millions of times.
RDF_TYPE, PROV_NAMESPACE, ONTOLOGY_NAMESPACE = str(RDF.type), str(PROV), str(AK)
HAS_SOURCE = str(OA.hasSource)
# The edges collapsed n-ary nodes become; a signature's by the property naming the far end.
SIGNED = "signed"
EVIDENCED_IN = "evidenced in"
SIGNED_VIA = {
    "ak:onBehalfOf": "signed for",
    "ak:organization": "signed as member of",
    "ak:placeOfSigning": "signed at",
}
PATH_GRAPHS_KEPT = 2  # views whose whole graph is kept for path searches
TYPE_SELECTIONS_KEPT = 16  # sorted node lists of recently asked-for type sets
COLLAPSED_PREDICATES = frozenset({SIGNED, EVIDENCED_IN, *SIGNED_VIA.values()})


@dataclass(frozen=True, slots=True)
class Link:
    """One labelled edge. Its id is stable across requests: source, predicate, target,
    and for a collapsed edge the n-ary node it stands for."""

    source: str
    predicate: str
    target: str
    group: str
    via: str | None = None
    attributes: tuple[tuple[str, str], ...] = ()
    id: str = field(init=False, compare=False)  # computed once: walks ask for it often

    def __post_init__(self) -> None:
        own = f"{self.source} {self.predicate} {self.target}"
        object.__setattr__(self, "id", own if self.via is None else f"{own} via {self.via}")

    def other(self, node: str) -> str:
        return self.target if self.source == node else self.source

    def direction(self, node: str) -> str:
        return "out" if self.source == node else "in"


@dataclass(slots=True)
class NodeRecord:
    """What a node carries: label, types (most specific first), literal properties and
    vocabulary values by predicate, and its links to other datasets."""

    id: str
    iri: str
    label: str = ""
    types: list[str] = field(default_factory=list)
    properties: dict[str, list[str]] = field(default_factory=dict)
    links: list[str] = field(default_factory=list)


@dataclass
class Statistics:
    """Counts over the whole graph as a view draws it; `nodes` counts typed nodes."""

    types: dict[str, int]
    predicates: dict[str, int]
    hubs: list[tuple[str, int]]
    nodes: int
    edges: int


# Longest namespace first, so that a prefix never shadows a longer one it contains.
NAMESPACES = sorted(((str(ns), p) for p, ns in PREFIXES.items()), key=lambda n: -len(n[0]))


@lru_cache(
    maxsize=4096
)  # a projection asks for the same few predicates and classes millions of times
def curie(iri: str) -> str:
    """The short name of an IRI under one of the project's prefixes (or the IRI itself)."""
    for namespace, prefix in NAMESPACES:
        if iri.startswith(namespace) and "/" not in iri[len(namespace) :]:
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


class Vocabulary:
    """Short names and labels of terms, and how specific each class is, from the ontology."""

    def __init__(self, ontology: Graph) -> None:
        self.labels = {
            str(term): str(label)
            for term, label in ontology.subject_objects(RDFS.label)
            if isinstance(term, URIRef)
        }
        self._depth: dict[str, int] = {}
        for cls in set(ontology.subjects(RDFS.subClassOf, None)):
            if isinstance(cls, URIRef):
                ancestors = set(ontology.transitive_objects(cls, RDFS.subClassOf)) - {cls}
                self._depth[str(cls)] = len(ancestors)

    def curie(self, iri: str) -> str:
        return curie(iri)

    def expand(self, name: str) -> str:
        prefix, _, local = name.partition(":")
        namespace = PREFIXES.get(prefix)
        return f"{namespace}{local}" if namespace is not None and "//" not in name else name

    def label(self, iri: str) -> str:
        return self.labels.get(iri) or self.curie(iri)

    def most_specific_first(self, types: Iterable[str]) -> list[str]:
        return sorted(types, key=lambda t: (-self._depth.get(t, 0), t))


class Projector:
    """Turns triples into node records and links; both the whole-store projection and the
    bounded fetches of the remote mode go through it, so they draw the same graph."""

    def __init__(self, vocabulary: Vocabulary, base_iri: str) -> None:
        self.vocabulary = vocabulary
        self.base_iri = base_iri
        self.records: dict[str, NodeRecord] = {}
        self.links: list[Link] = []
        self._evidence: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {}

    def node_id(self, iri: str) -> str:
        return iri[len(self.base_iri) :] if iri.startswith(self.base_iri) else iri

    def record(self, iri: str) -> NodeRecord:
        node = self.node_id(iri)
        found = self.records.get(node)
        if found is None:
            found = self.records[node] = NodeRecord(node, iri)
        return found

    def add(self, subject: str, predicate: str, value: str, is_literal: bool) -> None:
        """One triple whose subject is an IRI and whose object is an IRI or a literal."""
        record = self.record(subject)
        if is_literal:
            values = record.properties.setdefault(self.vocabulary.curie(predicate), [])
            if value not in values:  # the same triple may arrive from two graphs or reads
                values.append(value)
            if predicate in LABEL_PREDICATES and (
                not record.label or LABEL_PREDICATES.index(predicate) == 0
            ):
                record.label = value
            return
        if predicate == RDF_TYPE:
            record.types.append(value)
            self._link(subject, predicate, value, "types")
        elif predicate == EXTERNAL_LINK:
            if value not in record.links:
                record.links.append(value)
        elif predicate.startswith(PROV_NAMESPACE):
            self._link(subject, predicate, value, "provenance")
        elif predicate in SCHEMA_PREDICATES or value.startswith(ONTOLOGY_NAMESPACE):
            values = record.properties.setdefault(self.vocabulary.curie(predicate), [])
            if (term := self.vocabulary.curie(value)) not in values:
                values.append(term)
            self._link(subject, predicate, value, "schema")
        else:
            self._link(subject, predicate, value, "data")

    def add_evidence(self, evidence: str, source: str, start: str, end: str, exact: str) -> None:
        """The flattened target of an evidence annotation (its blank nodes are not nodes)."""
        if evidence in self._evidence:
            return
        selectors = (("start", start), ("end", end), ("exact", exact))
        self._evidence[evidence] = (source, selectors)
        for name, value in selectors:
            self.record(evidence).properties[f"oa:{name}"] = [value]
        self._link(evidence, HAS_SOURCE, source, "data")

    def finish(self) -> tuple[dict[str, NodeRecord], list[Link]]:
        """The records and links, with class nodes and collapsed edges. More triples may be
        added afterwards and `finish` called again (a walk reads as it goes)."""
        for record in list(self.records.values()):
            record.types = self.vocabulary.most_specific_first(dict.fromkeys(record.types))
            # Values in one order however the triples arrived (a walk reads them by node).
            record.links.sort()
            for values in record.properties.values():
                values.sort()
            for cls in record.types:
                self.record(cls).label = self.record(cls).label or self.vocabulary.label(cls)
            if not record.label:
                record.label = (
                    self.vocabulary.label(record.iri)
                    if not record.iri.startswith(self.base_iri)
                    else record.id
                )
        return self.records, [*self.links, *self._collapsed()]

    def _link(self, subject: str, predicate: str, obj: str, group: str) -> None:
        source, target = self.node_id(subject), self.node_id(obj)
        self.record(obj)
        self.links.append(Link(source, self.vocabulary.curie(predicate), target, group))

    def _collapsed(self) -> Iterator[Link]:
        kinds = {kind: str(cls) for kind, cls in COLLAPSIBLE.items()}
        nary = {
            node: kind
            for node, record in self.records.items()
            for kind, cls in kinds.items()
            if cls in record.types
        }
        around: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        for link in self.links:
            if link.source in nary:
                around[link.source].append(("out", link.predicate, link.target))
            if link.target in nary:
                around[link.target].append(("in", link.predicate, link.source))
        for node, kind in nary.items():
            if kind == "signature":
                yield from self._signature_edges(node, around[node])
            else:
                yield from self._evidence_edges(node, around[node])

    @staticmethod
    def _signature_edges(node: str, around: list[tuple[str, str, str]]) -> Iterator[Link]:
        signers = [n for d, p, n in around if d == "out" and p == "ak:signatory"]
        instruments = [n for d, p, n in around if d == "in" and p == "ak:signature"]
        for signer in signers:
            for instrument in instruments:
                yield Link(signer, SIGNED, instrument, "signature", via=node)
        # Without a named signatory, the instrument itself is what was signed for a party.
        for anchor in signers or instruments:
            for direction, predicate, far in around:
                if direction == "out" and predicate in SIGNED_VIA:
                    yield Link(anchor, SIGNED_VIA[predicate], far, "signature", via=node)

    def _evidence_edges(self, node: str, around: list[tuple[str, str, str]]) -> Iterator[Link]:
        source, selectors = self._evidence.get(self.records[node].iri, ("", ()))
        if not source:
            return
        for direction, predicate, subject in around:
            if direction == "in" and predicate in EVIDENCE_LINKS:
                yield Link(
                    subject,
                    EVIDENCED_IN,
                    self.node_id(source),
                    "evidence",
                    via=node,
                    attributes=selectors,
                )


def scope(variable: str, base_iri: str) -> str:
    """Only the instance graphs: records, documents and imports, not the ontology."""
    return f'FILTER(STRSTARTS(STR(?{variable}), "{built_prefix(base_iri)}"))'


def triples_query(base_iri: str) -> str:
    """Every triple of the instance graphs with an IRI subject and a non-blank object
    (a triple in two graphs comes twice: the Projector keeps one)."""
    return (
        "SELECT ?s ?p ?o (isLiteral(?o) AS ?literal) WHERE { "
        f"GRAPH ?g {{ ?s ?p ?o }} {scope('g', base_iri)} FILTER(isIRI(?s) && !isBlank(?o)) }}"
    )


def own_triples_query(base_iri: str, nodes: Iterable[str]) -> str:
    """The triples whose subject is one of the nodes (labels, types, literals, links out)."""
    values = " ".join(f"<{iri}>" for iri in nodes)
    return (
        f"SELECT DISTINCT ?s ?p ?o (isLiteral(?o) AS ?literal) WHERE {{ VALUES ?s {{ {values} }} "
        f"GRAPH ?g {{ ?s ?p ?o }} {scope('g', base_iri)} FILTER(!isBlank(?o)) }}"
    )


def incoming_triples_query(base_iri: str, nodes: Iterable[str]) -> str:
    """The triples pointing at one of the nodes from an IRI."""
    values = " ".join(f"<{iri}>" for iri in nodes)
    return (
        f"SELECT DISTINCT ?s ?p ?o (isLiteral(?o) AS ?literal) WHERE {{ VALUES ?o {{ {values} }} "
        f"GRAPH ?g {{ ?s ?p ?o }} {scope('g', base_iri)} FILTER(isIRI(?s)) }}"
    )


def evidence_query(base_iri: str, nodes: Iterable[str] = ()) -> str:
    """Evidence annotations (all, or those given) with their blank-node target flattened
    to one row."""
    values = " ".join(f"<{iri}>" for iri in nodes)
    return f"""PREFIX oa: <{OA}>
SELECT ?e ?source ?start ?end ?exact WHERE {{
  {f"VALUES ?e {{ {values} }}" if values else ""}
  GRAPH ?g {{
    ?e oa:hasTarget ?t . ?t oa:hasSource ?source ; oa:hasSelector ?position , ?quote .
    ?position oa:start ?start ; oa:end ?end . ?quote oa:exact ?exact
  }}
  {scope("g", base_iri)}
}}"""


def feed(projector: "Projector", triples: Iterable[Row], evidence: Iterable[Row]) -> "Projector":
    """Give a Projector the rows of a triples query and of an evidence query."""
    for subject, predicate, value, literal in triples:
        if subject is not None and predicate is not None and value is not None:
            projector.add(subject, predicate, value, literal == "true")
    for node, source, start, end, exact in evidence:
        if node and source and start and end and exact is not None:
            projector.add_evidence(node, source, start, end, exact)
    return projector


def _pair(link: Link) -> tuple[str, str]:
    """The two nodes a link joins, in one order whichever way it points."""
    return (link.target, link.source) if link.target < link.source else (link.source, link.target)


class Projection:
    """The whole store's traversal graph: an undirected networkx graph whose nodes carry
    their record and whose edges carry the links (either direction) between two nodes."""

    def __init__(self, records: dict[str, NodeRecord], links: Iterable[Link], version: int) -> None:
        self.version = version
        self.graph = nx.Graph()
        self._links: dict[Link, None] = {}  # those drawn, in the order they came
        self.update(records, links)

    def update(self, records: dict[str, NodeRecord], links: Iterable[Link]) -> None:
        """Draw `records` and `links` as they now are: what a walk read since is added, and
        a link no longer among them is taken away (a collapsed one can go: a signature
        drawn from its instrument until its signatory is read)."""
        self._by_type: dict[str, list[str]] | None = None
        self._typed: dict[tuple[object, ...], list[str]] = {}
        self._statistics: dict[tuple[object, ...], Statistics] = {}
        self._sorted: dict[str, list[Link]] = {}
        self._path_graphs: dict[tuple[object, ...], nx.Graph] = {}
        self.records = records
        wanted = dict.fromkeys(links)  # the same triple may come from several graphs
        for link in [link for link in self._links if link not in wanted]:
            pair = _pair(link)
            drawn = self.graph.edges[pair]["links"]
            drawn.remove(link)
            if not drawn:
                self.graph.remove_edge(*pair)
        self.graph.add_nodes_from(
            (node, {"record": record}) for node, record in records.items() if node not in self.graph
        )
        between: dict[tuple[str, str], list[Link]] = {}
        for link in wanted:
            if link not in self._links:
                between.setdefault(_pair(link), []).append(link)
        fresh = []
        for pair, found in between.items():
            if self.graph.has_edge(*pair):
                self.graph.edges[pair]["links"].extend(found)
            else:
                fresh.append((*pair, {"links": found}))
        self.graph.add_edges_from(fresh)
        self._links = wanted

    def record(self, node: str) -> NodeRecord | None:
        return self.records.get(node)

    def notes(self) -> dict[str, Any]:
        return {}

    def links_of(self, nodes: Sequence[str]) -> dict[str, list[Link]]:
        found = {}
        for node in nodes:
            links = self._sorted.get(node)
            if links is None:
                if node not in self.graph:
                    continue
                links = self._sorted[node] = sorted(
                    (link for data in self.graph.adj[node].values() for link in data["links"]),
                    key=lambda link, node=node: (*link_order(link, node), link.id),  # type: ignore[misc]
                )
            found[node] = links
        return found

    def links_among(
        self, nodes: Sequence[str], others: Collection[str], view: "View"
    ) -> list[Link]:
        """Looked up pair by pair when a node has more links than there are others (a hub
        among a few hundred drawn nodes), else read from the node's own links."""
        adjacency = self.graph.adj
        found: list[Link] = []
        for node in nodes:
            if node not in adjacency:
                continue
            around = adjacency[node]
            if len(around) > len(others):
                between = [
                    link for other in others if other in around for link in around[other]["links"]
                ]
                found += sorted(between, key=lambda link, node=node: link_order(link, node))  # type: ignore[misc]
            else:
                found += [
                    link for link in self.links_of([node])[node] if link.other(node) in others
                ]
        return found

    def nodes_of_types(
        self, types: Collection[str], view: "View", limit: int
    ) -> tuple[list[str], int]:
        if self._by_type is None:
            by_type: dict[str, list[str]] = defaultdict(list)
            for node, record in self.graph.nodes(data="record"):
                for cls in record.types:
                    by_type[cls].append(node)
            self._by_type = {cls: sorted(nodes) for cls, nodes in by_type.items()}
        key = (frozenset(types), view.collapse)
        matching = self._typed.get(key)
        if matching is None:
            if len(self._typed) >= TYPE_SELECTIONS_KEPT:
                del self._typed[next(iter(self._typed))]
            matching = self._typed[key] = sorted(
                node
                for node in {node for cls in types for node in self._by_type.get(cls, ())}
                if view.shows_node(self.records[node])
            )
        return matching[:limit], len(matching)

    def path_graph(
        self, source: str, target: str, view: "View", max_length: int, max_degree: int | None
    ) -> nx.Graph:
        """The whole graph as the view draws it (built once per view and kept, as path
        searches on a filtered view would call Python filters on every step); hubs are
        filtered out on the fly. Every node's neighbours are in descending order of id, so
        that a search breaks ties between paths of one length the same way on any graph
        holding those paths: the whole one, or the part of it a walk has read."""
        key = (view.include, view.collapse, view.predicates)
        drawn = self._path_graphs.get(key)
        if drawn is None:
            drawn = nx.Graph()
            shown = sorted(
                (
                    node
                    for node, record in self.graph.nodes(data="record")
                    if view.shows_node(record)
                ),
                reverse=True,
            )
            drawn.add_nodes_from(shown)
            adjacency = self.graph.adj
            for node in shown:
                for other in sorted(adjacency[node], reverse=True):
                    if other in drawn and not drawn.has_edge(node, other):
                        links = sorted(
                            (link for link in adjacency[node][other]["links"] if view.draws(link)),
                            key=lambda link: link.id,
                        )
                        if links:
                            drawn.add_edge(node, other, links=links)
            if len(self._path_graphs) >= PATH_GRAPHS_KEPT:
                del self._path_graphs[next(iter(self._path_graphs))]
            self._path_graphs[key] = drawn
        if max_degree is None:
            return drawn
        degree = drawn.degree
        return nx.subgraph_view(
            drawn, filter_node=lambda node: node in (source, target) or degree[node] <= max_degree
        )

    def paths(
        self, source: str, target: str, view: "View", limits: "PathLimits"
    ) -> tuple[list[list[str]], nx.Graph]:
        graph = self.path_graph(source, target, view, limits.max_length, limits.max_degree)
        return k_shortest_paths(graph, source, target, limits.k, limits.max_length), graph

    def statistics(self, view: "View", top: int) -> Statistics:
        key = (view.include, view.collapse, view.predicates, top)
        if key not in self._statistics:
            self._statistics[key] = self._count(view, top)
        return self._statistics[key]

    def _count(self, view: "View", top: int) -> Statistics:
        types: Counter[str] = Counter()
        shown = set()
        for node, record in self.graph.nodes(data="record"):
            if view.shows_node(record):
                shown.add(node)
                types.update(record.types)
        typed = sum(1 for node in shown if self.graph.nodes[node]["record"].types)
        predicates: Counter[str] = Counter()
        degree: Counter[str] = Counter()
        for first, second, links in self.graph.edges(data="links"):
            if first in shown and second in shown:
                for link in links:
                    if view.draws(link):
                        predicates[link.predicate] += 1
                        degree[first] += 1
                        degree[second] += 1 if first != second else 0
        return Statistics(
            types={curie(cls): n for cls, n in sorted(types.items())},
            predicates=dict(sorted(predicates.items())),
            hubs=sorted(degree.items(), key=lambda hub: (-hub[1], hub[0]))[:top],
            nodes=typed,
            edges=sum(predicates.values()),
        )


def k_shortest_paths(
    graph: nx.Graph, source: str, target: str, k: int, max_length: int
) -> list[list[str]]:
    """Up to k shortest simple paths of at most max_length hops, shortest first."""
    found: list[list[str]] = []
    if source != target and source in graph and target in graph:
        try:
            for path in nx.shortest_simple_paths(graph, source, target):
                if len(path) - 1 > max_length or len(found) == k:
                    break
                found.append(path)
        except nx.NetworkXNoPath:
            pass
    return found


def link_order(link: Link, node: str) -> tuple[str, str, str]:
    return (link.direction(node), link.predicate, link.other(node))
