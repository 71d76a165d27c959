"""What the graph says about one entity: the document its IRI dereferences to.

A description is bounded, however large the store: the entity's own triples; the parts
hanging off it that are needed to read it (its evidence annotations with their targets
and selectors, signatures, recitals, commitments, clauses, and any blank-node structure
below them, three steps deep at most); the labels of every resource it links to; and the
links coming in (at most INCOMING_LIMIT of them, in a stable order). Each query carries
its own LIMIT, so no description can grow into a dump of the store.
"""

import re
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

from accordkg.errors import NotFoundError
from accordkg.namespaces import AK
from accordkg.resources import new_graph
from accordkg.store import Store

# Classes of the n-ary nodes that belong to the entity that links to them.
PART_KINDS = (
    AK.Evidence,
    AK.Signature,
    AK.Recital,
    AK.Commitment,
    AK.OperativeLeadIn,
    AK.SigningClause,
)
TRIPLE_LIMIT = 10_000
INCOMING_LIMIT = 500
# The {kind}/{slug} of an instance IRI: unreserved URI characters only, so the IRI needs
# no escaping and cannot smuggle SPARQL syntax.
PATH_SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]*")


@dataclass(frozen=True)
class Description:
    """The triples describing `iri`; `truncated` when a limit cut them short."""

    iri: URIRef
    graph: Graph
    truncated: bool


def entity_iri(base_iri: str, kind: str, slug: str) -> URIRef:
    """The instance IRI `{base}{kind}/{slug}`; NotFoundError if it cannot be one of ours."""
    if not (PATH_SEGMENT.fullmatch(kind) and PATH_SEGMENT.fullmatch(slug)):
        raise NotFoundError(f"{kind}/{slug} is not an accordkg identifier")
    return URIRef(f"{base_iri}{kind}/{slug}")


def exists(store: Store, iri: URIRef) -> bool:
    """Whether the store holds any triple about `iri` (as its subject)."""
    return bool(store.select("SELECT ?p WHERE { ?e ?p ?o } LIMIT 1", {"e": iri}).rows)


def describe(store: Store, iri: URIRef) -> Description:
    """The bounded description of `iri`; NotFoundError if the store says nothing about it."""
    graph = new_graph()
    graph += store.construct(_own_and_parts(iri))
    if (iri, None, None) not in graph:
        raise NotFoundError(f"nothing is known about {iri}")
    truncated = len(graph) >= TRIPLE_LIMIT
    incoming = sorted(store.construct(_incoming(iri)))
    if len(incoming) > INCOMING_LIMIT:
        incoming, truncated = incoming[:INCOMING_LIMIT], True
    for triple in incoming:
        graph.add(triple)
    linked = {node for s, _, o in graph for node in (s, o) if isinstance(node, URIRef)}
    linked.discard(iri)
    if linked:
        graph += store.construct(_labels(linked))
    return Description(iri, graph, truncated)


def _own_and_parts(iri: URIRef) -> str:
    entity = iri.n3()  # rdflib refuses to write an IRI that is not valid N-Triples
    parts = " ".join(kind.n3() for kind in PART_KINDS)
    return f"""
CONSTRUCT {{ ?s ?p ?o }} WHERE {{
  {{
    SELECT DISTINCT ?s WHERE {{
      {{ VALUES ?s {{ {entity} }} }}
      UNION {{ {entity} ?p1 ?s . ?s a ?kind . VALUES ?kind {{ {parts} }} }}
      UNION {{ {entity} ?p1 ?s . FILTER(isBlank(?s)) }}
      UNION {{
        {entity} ?p1 ?n1 . ?n1 ?p2 ?s . FILTER(isBlank(?s))
        FILTER(isBlank(?n1) || EXISTS {{ ?n1 a ?kind1 . VALUES ?kind1 {{ {parts} }} }})
      }}
      UNION {{
        {entity} ?p1 ?n1 . ?n1 ?p2 ?n2 . ?n2 ?p3 ?s . FILTER(isBlank(?n2) && isBlank(?s))
        FILTER(isBlank(?n1) || EXISTS {{ ?n1 a ?kind1 . VALUES ?kind1 {{ {parts} }} }})
      }}
    }}
  }}
  ?s ?p ?o
}} LIMIT {TRIPLE_LIMIT}"""


def _incoming(iri: URIRef) -> str:
    entity = iri.n3()
    return f"""
CONSTRUCT {{ ?s ?p {entity} }} WHERE {{
  SELECT DISTINCT ?s ?p WHERE {{ ?s ?p {entity} FILTER(?s != {entity}) }}
  ORDER BY ?p ?s LIMIT {INCOMING_LIMIT + 1}
}}"""


def _labels(iris: set[URIRef]) -> str:
    values = " ".join(iri.n3() for iri in sorted(iris))
    return f"""
CONSTRUCT {{ ?x {RDFS.label.n3()} ?label }} WHERE {{
  VALUES ?x {{ {values} }} ?x {RDFS.label.n3()} ?label
}}"""
