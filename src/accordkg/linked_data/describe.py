"""What the graph says about one entity: the document its IRI dereferences to.

A description is bounded, however large the store: the entity's own triples; the parts
hanging off it that are needed to read it (its evidence annotations with their targets
and selectors, signatures, recitals, commitments, clauses, and any blank-node structure
below them, three steps deep at most); the labels of every resource it links to; and the
links coming in (at most INCOMING_LIMIT of them; which ones, when there are more, is up to
the store: sorting them first took Oxigraph seconds for a hub of 30,000 links). Labels
come with the links, in the same queries. Each query carries its own LIMIT, so no
description can grow into a dump of the store.
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
TRIPLE_LIMIT = 5_000
INCOMING_LIMIT = 500
# The {kind}/{slug} of an instance IRI: unreserved URI characters only, so the IRI needs
# no escaping and cannot smuggle SPARQL syntax.
PATH_SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]*")
LABEL = RDFS.label.n3()


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
    graph += store.construct(_incoming(iri))
    if len(set(graph.subject_predicates(iri))) >= INCOMING_LIMIT:
        truncated = truncated or bool(store.select(_more_incoming(iri)).rows)
    return Description(iri, graph, truncated)


def _own_and_parts(iri: URIRef) -> str:
    """The entity comes in by BIND, not VALUES: Virtuoso answers nothing for a UNION one
    of whose branches is a VALUES block."""
    entity = iri.n3()  # rdflib refuses to write an IRI that is not valid N-Triples
    parts = " ".join(kind.n3() for kind in PART_KINDS)
    return f"""
CONSTRUCT {{ ?s ?p ?o . ?o {LABEL} ?label }} WHERE {{
  {{
    SELECT DISTINCT ?s WHERE {{
      {{ BIND({entity} AS ?s) }}
      UNION {{ {entity} ?p1 ?s . ?s a ?kind . VALUES ?kind {{ {parts} }} }}
      UNION {{ {entity} ?p1 ?s . FILTER(isBlank(?s)) }}
      UNION {{
        {{ {entity} ?p1 ?n1 . FILTER(isBlank(?n1)) }}
        UNION {{ {entity} ?p1 ?n1 . ?n1 a ?kind1 . VALUES ?kind1 {{ {parts} }} }}
        {{ ?n1 ?p2 ?s . FILTER(isBlank(?s)) }}
        UNION {{ ?n1 ?p2 ?n2 . FILTER(isBlank(?n2)) ?n2 ?p3 ?s . FILTER(isBlank(?s)) }}
      }}
    }} LIMIT {TRIPLE_LIMIT}
  }}
  ?s ?p ?o
  OPTIONAL {{ ?o {LABEL} ?label FILTER(isIRI(?o) && ?o != {entity}) }}
}} LIMIT {TRIPLE_LIMIT}"""


def _incoming(iri: URIRef) -> str:
    entity = iri.n3()
    return f"""
CONSTRUCT {{ ?s ?p {entity} . ?s {LABEL} ?label }} WHERE {{
  {{
    SELECT DISTINCT ?s ?p WHERE {{ ?s ?p {entity} FILTER(?s != {entity}) }}
    LIMIT {INCOMING_LIMIT}
  }}
  OPTIONAL {{ ?s {LABEL} ?label }}
}}"""


def _more_incoming(iri: URIRef) -> str:
    entity = iri.n3()
    return f"""
SELECT ?s WHERE {{
  {{ SELECT DISTINCT ?s ?p WHERE {{ ?s ?p {entity} FILTER(?s != {entity}) }} }}
}} OFFSET {INCOMING_LIMIT} LIMIT 1"""
