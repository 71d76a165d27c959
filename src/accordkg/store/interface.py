"""The interface every store implements, and the SPARQL text both implementations write:
updates that replace graphs, and queries with bound variables."""

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Protocol

import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef

from accordkg.errors import InputError

Term = URIRef | Literal | BNode
Row = tuple[str | None, ...]
WHERE_CLAUSE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


@dataclass(frozen=True)
class Solutions:
    """The answer to a SELECT: variables in projection order, and rows of bound terms."""

    variables: list[str]
    rows: list[dict[str, Term]] = field(default_factory=list)


class Store(Protocol):
    """What the rest of accordkg needs from a triple store."""

    def replace_graphs(self, graphs: Mapping[URIRef, Graph], drop: Iterable[URIRef] = ()) -> None:
        """Replace each named graph by its new content and drop the graphs in `drop`, all in
        one transaction: every change is made or none (readers may see an empty store
        filled graph by graph)."""

    def select(self, query: str, bindings: Mapping[str, Term] | None = None) -> Solutions:
        """Run a SPARQL SELECT over the union of all graphs, with variables bound to RDF
        terms (a VALUES block of escaped terms, never user text spliced into the query)."""

    def rows(self, query: str) -> Iterator[Row]:
        """Run a SPARQL SELECT over the union of all graphs and yield each row as the
        lexical values of its terms (None when unbound): for bulk reads, which would spend
        most of their time building RDF term objects they do not need."""

    def construct(self, query: str) -> Graph:
        """Run a SPARQL CONSTRUCT over the union of all graphs; its triples as a graph.
        Callers bound the answer themselves (a LIMIT, a fixed shape): it is held in memory."""

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        """Run a SPARQL update in one transaction."""

    @property
    def generation(self) -> int:
        """Moves on with every write through this object, and for a remote store also
        when a check finds the server's data changed otherwise: whatever is derived from
        the data (a projection, a cache) is current while the generation it was built at is."""

    def graph_names(self) -> list[str]:
        """The IRIs of the named graphs, sorted."""

    def triple_count(self) -> int:
        """The number of quads in the named graphs. The default graph is their union: the
        Graph Store and SPARQL updates through accordkg refuse to write a stored one, and
        one written around accordkg is left out here as it is from the dumps (a remote
        store cannot tell it apart from the union)."""

    def dump_nquads(self, output: IO[bytes]) -> None:
        """Write every quad of the named graphs to `output` as N-Quads, streamed: the
        store's content never sits in memory whole."""

    def close(self) -> None:
        """Release the store (files, locks, connections); use with `contextlib.closing`."""


def update_triples(ntriples: bytes) -> str:
    """N-Triples that rdflib wrote, checked and written again by Oxigraph, to go into the
    text of an update: rdflib writes blank-node labels and datatype IRIs as it got them
    (from JSON-LD, anything), which could end the data block and start other operations."""
    return written_triples(checked_triples(ntriples))


def checked_triples(ntriples: bytes) -> list[pyoxigraph.Triple]:
    """N-Triples parsed by Oxigraph, so that only valid RDF terms go into an update."""
    try:
        return [
            triple.triple
            for triple in pyoxigraph.parse(ntriples, format=pyoxigraph.RdfFormat.N_TRIPLES)
        ]
    except SyntaxError as exc:
        raise invalid_rdf(exc) from exc


def invalid_rdf(exc: SyntaxError) -> InputError:
    """What Oxigraph's parser said of data rdflib wrote, as the caller's error."""
    return InputError(f"the data holds a term that is not valid RDF: {exc}")


def written_triples(triples: Iterable[pyoxigraph.Triple]) -> str:
    written = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES)
    return written.decode("utf-8") if written else ""


def with_values(query: str, bindings: Mapping[str, Term]) -> str:
    """The query with a VALUES block at the start of its WHERE clause binding each variable
    to one RDF term, written by rdflib in N-Triples syntax (escaped, typed), never as raw
    text. At the start of the group, unlike a trailing VALUES, the bindings are seen by the
    group's FILTERs. (pyoxigraph's substitutions would need every bound variable projected.)"""
    if not bindings:
        return query
    where = WHERE_CLAUSE.search(query)
    if where is None:
        raise InputError("binding parameters needs a query with an explicit WHERE { ... }")
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(term.n3() for term in bindings.values())
    values = f" VALUES ({names}) {{ ({terms}) }} "
    return query[: where.end()] + values + query[where.end() :]
