"""The triple store: an interface, and its embedded implementation on Oxigraph.

rdflib stays the programming model for building and validating graphs; the store holds
what was validated, one named graph per document, and answers SPARQL.
"""

from collections.abc import Iterable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Protocol, Self

import pyoxigraph
from rdflib import Graph, URIRef

from accordkg.errors import InputError, StoreError


class Store(Protocol):
    """What the rest of accordkg needs from a triple store."""

    def replace_graphs(self, graphs: Mapping[URIRef, Graph], drop: Iterable[URIRef] = ()) -> None:
        """Replace each named graph by its new content and drop the graphs in `drop`, all in
        one transaction: every change is made or none."""

    def select(self, query: str) -> list[dict[str, str]]:
        """Run a SPARQL SELECT with the default graph as the union of all named graphs;
        each row maps bound variables to their values' lexical forms."""

    def graph_names(self) -> list[str]:
        """The IRIs of the named graphs, sorted."""

    def triple_count(self) -> int:
        """The number of quads in the store."""

    def close(self) -> None:
        """Release the store (files, locks, connections)."""


class EmbeddedStore:
    """Oxigraph on disk in one directory; only one process may open it at a time."""

    def __init__(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)
        try:
            self._store: pyoxigraph.Store | None = pyoxigraph.Store(str(path))
        except OSError as exc:
            raise StoreError(f"cannot open the store at {path}: {exc}") from exc

    @property
    def _oxigraph(self) -> pyoxigraph.Store:
        if self._store is None:
            raise StoreError("the store is closed")
        return self._store

    def replace_graphs(self, graphs: Mapping[URIRef, Graph], drop: Iterable[URIRef] = ()) -> None:
        operations = [f"DROP SILENT GRAPH {name.n3()}" for name in [*graphs, *drop]]
        inserts = [
            f"GRAPH {name.n3()} {{ {graph.serialize(format='nt', encoding='utf-8').decode()} }}"
            for name, graph in graphs.items()
        ]
        if inserts:
            operations.append(f"INSERT DATA {{ {' '.join(inserts)} }}")
        try:
            self._oxigraph.update(" ;\n".join(operations))
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"cannot replace graphs {sorted(graphs)}: {exc}") from exc

    def select(self, query: str) -> list[dict[str, str]]:
        try:
            solutions = self._oxigraph.query(query, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise InputError(f"not a valid SPARQL query: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"the query failed: {exc}") from exc
        if not isinstance(solutions, pyoxigraph.QuerySolutions):
            raise InputError("not a SELECT query")
        names = [variable.value for variable in solutions.variables]
        return [
            {name: term.value for name in names if (term := row[name]) is not None}
            for row in solutions
        ]

    def graph_names(self) -> list[str]:
        return sorted(graph.value for graph in self._oxigraph.named_graphs())

    def triple_count(self) -> int:
        return len(self._oxigraph)

    def close(self) -> None:
        if self._store is not None:
            self._store.flush()
            self._store = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
