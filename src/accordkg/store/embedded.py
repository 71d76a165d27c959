"""The embedded store: Oxigraph on disk in this process, no server needed."""

import threading
from collections.abc import Iterable, Iterator, Mapping
from itertools import chain
from pathlib import Path
from typing import IO, Any

import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from accordkg.errors import InputError, StoreError
from accordkg.store.interface import (
    Row,
    Solutions,
    Term,
    invalid_rdf,
    update_triples,
    with_values,
)


class EmbeddedStore:
    """Oxigraph on disk in one directory; only one process may open it at a time."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.mkdir(parents=True, exist_ok=True)
            self._store: pyoxigraph.Store | None = pyoxigraph.Store(str(path))
        except OSError as exc:
            message = str(exc.strerror or exc)
            in_use = "/LOCK:" in message and "Permission denied" not in message
            hint = " (only one process may open it: is `accordkg serve` running?)" if in_use else ""
            raise StoreError(f"cannot open the store at {path}: {message}{hint}") from exc
        self._generation = 0
        self._counted: tuple[int, int] | None = None  # (generation, triples) last counted
        self._counting = threading.Lock()

    @property
    def generation(self) -> int:
        return self._generation

    @property
    def oxigraph(self) -> pyoxigraph.Store:
        """The Oxigraph store itself, for the query pool's runs in this process."""
        if self._store is None:
            raise StoreError("the store is closed")
        return self._store

    def replace_graphs(self, graphs: Mapping[URIRef, Graph], drop: Iterable[URIRef] = ()) -> None:
        store = self.oxigraph
        empty = next(store.quads_for_pattern(None, None, None, None), None) is None
        try:
            if empty:
                _first_load(store, graphs)
            else:
                held = {graph.value for graph in store.named_graphs()}
                store.update(_replacement(graphs, drop, held))
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"cannot write the store at {self.path}: {exc}") from exc
        finally:
            self._generation += 1

    def select(self, query: str, bindings: Mapping[str, Term] | None = None) -> Solutions:
        solutions = self._query(with_values(query, bindings or {}))
        if not isinstance(solutions, pyoxigraph.QuerySolutions):
            raise InputError("not a SELECT query")
        names = [variable.value for variable in solutions.variables]
        rows = [
            {name: _from_oxigraph(term) for name in names if (term := row[name]) is not None}
            for row in solutions
        ]
        return Solutions(names, rows)

    def _query(
        self, query: str
    ) -> pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean | pyoxigraph.QueryTriples:
        """Run a query over the union of the graphs, with pyoxigraph's errors translated."""
        try:
            return self.oxigraph.query(query, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise InputError(f"not a valid SPARQL query: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"the query failed: {exc}") from exc

    def rows(self, query: str) -> Iterator[Row]:
        solutions = self._query(query)
        if not isinstance(solutions, pyoxigraph.QuerySolutions):
            raise InputError("not a SELECT query")
        width = len(solutions.variables)
        for solution in solutions:
            yield tuple(None if (term := solution[i]) is None else term.value for i in range(width))

    def construct(self, query: str) -> Graph:
        triples = self._query(query)
        if not isinstance(triples, pyoxigraph.QueryTriples):
            raise InputError("not a CONSTRUCT query")
        graph = Graph()
        for triple in triples:
            value = _from_oxigraph(triple.object)
            if isinstance(value, Literal) and value.datatype == XSD.string:
                value = Literal(str(value))  # as rdflib parses it (RDF 1.1: the same literal)
            graph.add((_from_oxigraph(triple.subject), _from_oxigraph(triple.predicate), value))
        return graph

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        try:
            self.oxigraph.update(sparql, base_iri=base_iri)
        except SyntaxError as exc:
            raise InputError(f"SPARQL syntax error {str(exc).removeprefix('error ')}") from exc
        except RuntimeError as exc:  # an operation failed: the transaction changed nothing
            raise InputError(f"the update failed and changed nothing: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"the update failed: {exc}") from exc
        finally:
            self._generation += 1  # after the write, so nothing derived before it looks current
        self._flush()  # so query workers that reload read what was written

    def compact(self) -> bool:
        """Compact the store's files (RocksDB's compaction of every level); no work for a
        store already compacted. Whether its table files changed (handles opened before
        still read the old ones). A failure leaves the store readable as it was."""
        before = set(self.path.glob("*.sst"))
        try:
            self.oxigraph.optimize()
        except OSError as exc:
            raise StoreError(f"cannot compact the store at {self.path}: {exc}") from exc
        return set(self.path.glob("*.sst")) != before

    def graph_names(self) -> list[str]:
        return sorted(graph.value for graph in self.oxigraph.named_graphs())

    def triple_count(self) -> int:
        """Counted once per generation: counting reads every key (about 10 s at 10M
        triples), and /health, which load balancers ask every few seconds, reports it."""
        with self._counting:
            generation = self._generation
            if self._counted is None or self._counted[0] != generation:
                store = self.oxigraph
                default = store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph())
                self._counted = (generation, len(store) - sum(1 for _ in default))
            return self._counted[1]

    def dump_nquads(self, output: IO[bytes]) -> None:
        """The named graphs' quads. Oxigraph dumps a whole store twice as fast as quads
        passed through Python, so that is how it is done unless the default graph, which
        is not dumped, holds triples."""
        store = self.oxigraph
        default = pyoxigraph.DefaultGraph()
        try:
            if next(store.quads_for_pattern(None, None, None, default), None) is None:
                store.dump(output, pyoxigraph.RdfFormat.N_QUADS)
                return
            quads = chain.from_iterable(
                store.quads_for_pattern(None, None, None, graph) for graph in store.named_graphs()
            )
            pyoxigraph.serialize(quads, output, pyoxigraph.RdfFormat.N_QUADS)
        except OSError as exc:
            raise StoreError(f"cannot dump the store: {exc}") from exc

    def close(self) -> None:
        if self._store is not None:
            try:
                self._flush()
            finally:
                self._store = None

    def _flush(self) -> None:
        try:
            self.oxigraph.flush()
        except OSError as exc:
            raise StoreError(f"cannot write the store at {self.path}: {exc}") from exc


def _first_load(store: pyoxigraph.Store, graphs: Mapping[URIRef, Graph]) -> None:
    """Fill an empty store by Oxigraph's bulk loader, three times as fast as one update
    (a first build of 1,000 documents: 4 s, not 11 s). The loader has no transaction, so a
    failure empties the store again: it keeps its previous state, empty, though readers
    may see the graphs arrive one after another."""
    quads: list[bytes] = []
    for name, graph in graphs.items():
        named = f" {name.n3()} .\n".encode()
        triples = graph.serialize(format="nt", encoding="utf-8").splitlines()
        quads.extend(line.removesuffix(b" .") + named for line in triples if line)
    try:
        store.bulk_load(b"".join(quads), format=pyoxigraph.RdfFormat.N_QUADS)
        store.flush()
    except SyntaxError as exc:
        store.clear()
        raise invalid_rdf(exc) from exc
    except BaseException:
        store.clear()
        raise


def _replacement(graphs: Mapping[URIRef, Graph], drop: Iterable[URIRef], held: set[str]) -> str:
    """One SPARQL update that empties and refills `graphs` and drops `drop`: one request,
    one transaction, so readers see all of the change or none of it. Oxigraph spends about
    10 ms on every DROP GRAPH, even of a graph it does not hold (11 s for a corpus of
    1,000 documents), so only held graphs are touched: those refilled emptied by one
    DELETE, the others dropped."""
    refilled = {name: graph for name, graph in graphs.items() if len(graph)}
    emptied = " ".join(name.n3() for name in refilled if str(name) in held)
    dropped = [name for name in [*graphs, *drop] if str(name) in held and name not in refilled]
    operations = [f"DROP SILENT GRAPH {name.n3()}" for name in dict.fromkeys(dropped)]
    if emptied:
        operations.append(
            f"DELETE {{ GRAPH ?g {{ ?s ?p ?o }} }} WHERE {{ VALUES ?g {{ {emptied} }} "
            "GRAPH ?g { ?s ?p ?o } }"
        )
    inserts = [
        f"GRAPH {name.n3()} {{\n{update_triples(graph.serialize(format='nt', encoding='utf-8'))}}}"
        for name, graph in refilled.items()
    ]
    if inserts:
        operations.append("INSERT DATA {\n" + "\n".join(inserts) + "\n}")
    return " ;\n".join(operations)


def _from_oxigraph(term: Any) -> Term:
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise StoreError(f"the store returned a term accordkg cannot use: {term!r}")
