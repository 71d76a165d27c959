"""The triple store: one interface, an embedded and a remote implementation.

rdflib stays the programming model for building and validating graphs; the store holds
what was validated, one named graph per document, and answers SPARQL with the default
graph as the union of all named graphs. `open_store` picks the implementation the
settings name: Oxigraph embedded on disk (the default, no server needed), or any SPARQL
1.1 server over the protocol (Oxigraph server, Jena Fuseki, GraphDB, QLever, Virtuoso)
configured to treat its default graph as the union of its named graphs.
"""

import io
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol

import httpx2 as httpx
import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from accordkg.errors import InputError, StoreError
from accordkg.settings import Settings

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

Term = URIRef | Literal | BNode
Row = tuple[str | None, ...]
WHERE_CLAUSE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
QUERY_CONTENT = "application/sparql-query; charset=utf-8"


@dataclass(frozen=True)
class Solutions:
    """The answer to a SELECT: variables in projection order, and rows of bound terms."""

    variables: list[str]
    rows: list[dict[str, Term]] = field(default_factory=list)


class Store(Protocol):
    """What the rest of accordkg needs from a triple store."""

    def replace_graphs(self, graphs: Mapping[URIRef, Graph], drop: Iterable[URIRef] = ()) -> None:
        """Replace each named graph by its new content and drop the graphs in `drop`, all in
        one transaction: every change is made or none."""

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
        """Counts the writes made through this object: whatever is derived from the data
        (a projection, a cache) is current while the generation it was built at is."""

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


def open_store(settings: Settings) -> "EmbeddedStore | RemoteStore":
    """The store the settings name."""
    if settings.store == "remote":
        if settings.sparql_query_url is None or settings.sparql_update_url is None:
            raise StoreError(
                "a remote store needs ACCORDKG_SPARQL_QUERY_URL and ACCORDKG_SPARQL_UPDATE_URL"
            )
        return RemoteStore(
            settings.sparql_query_url, settings.sparql_update_url, settings.store_timeout_s
        )
    return EmbeddedStore(settings.store_dir)


def update_triples(ntriples: bytes) -> str:
    """N-Triples that rdflib wrote, checked and written again by Oxigraph, to go into the
    text of an update: rdflib writes blank-node labels and datatype IRIs as it got them
    (from JSON-LD, anything), which could end the data block and start other operations."""
    try:
        triples = list(pyoxigraph.parse(ntriples, format=pyoxigraph.RdfFormat.N_TRIPLES))
    except SyntaxError as exc:
        raise InputError(f"the data holds a term that is not valid RDF: {exc}") from exc
    written = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES)
    return written.decode("utf-8") if written else ""


def replacement_update(graphs: Mapping[URIRef, Graph], drop: Iterable[URIRef]) -> str:
    """One SPARQL update that drops and refills the given graphs: executed as one request
    (one transaction), so readers see all of the change or none of it."""
    operations = [f"DROP SILENT GRAPH {name.n3()}" for name in [*graphs, *drop]]
    inserts = [
        f"GRAPH {name.n3()} {{\n{update_triples(graph.serialize(format='nt', encoding='utf-8'))}}}"
        for name, graph in graphs.items()
    ]
    if inserts:
        operations.append("INSERT DATA {\n" + "\n".join(inserts) + "\n}")
    return " ;\n".join(operations)


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
        try:
            self.oxigraph.update(replacement_update(graphs, drop))
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

    def graph_names(self) -> list[str]:
        return sorted(graph.value for graph in self.oxigraph.named_graphs())

    def triple_count(self) -> int:
        store = self.oxigraph
        default = store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph())
        return len(store) - sum(1 for _ in default)

    def dump_nquads(self, output: IO[bytes]) -> None:
        store = self.oxigraph
        quads = chain.from_iterable(
            store.quads_for_pattern(None, None, None, graph) for graph in store.named_graphs()
        )
        try:
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


class RemoteStore:
    """A SPARQL 1.1 server reached over the protocol: queries and updates by POST."""

    def __init__(self, query_url: str, update_url: str, timeout_s: float) -> None:
        self.query_url = query_url
        self._update_url = update_url
        self._client = httpx.Client(timeout=timeout_s)
        self._generation = 0

    @property
    def generation(self) -> int:
        return self._generation

    def replace_graphs(self, graphs: Mapping[URIRef, Graph], drop: Iterable[URIRef] = ()) -> None:
        self.update(replacement_update(graphs, drop))

    def select(self, query: str, bindings: Mapping[str, Term] | None = None) -> Solutions:
        names, bindings_json = self._results(with_values(query, bindings or {}))
        try:
            rows = [
                {name: _from_json(value) for name, value in binding.items()}
                for binding in bindings_json
            ]
        except (KeyError, TypeError) as exc:
            raise StoreError(f"{self.query_url} answered with a malformed term: {exc}") from exc
        return Solutions(names, rows)

    def rows(self, query: str) -> Iterator[Row]:
        names, bindings_json = self._results(query)
        for binding in bindings_json:
            yield tuple(value["value"] if (value := binding.get(name)) else None for name in names)

    def _results(self, query: str) -> tuple[list[str], list[dict[str, dict[str, str]]]]:
        """The variables and bindings of a SELECT answered in SPARQL JSON."""
        response = self._post(
            self.query_url, query, "application/sparql-query", "application/sparql-results+json"
        )
        try:
            body = response.json()
            return list(body["head"]["vars"]), list(body["results"]["bindings"])
        except (ValueError, KeyError, TypeError) as exc:
            raise StoreError(f"{self.query_url} answered a SELECT with no results: {exc}") from exc

    def construct(self, query: str) -> Graph:
        response = self._post(
            self.query_url, query, "application/sparql-query", "application/n-triples"
        )
        try:
            return Graph().parse(data=response.text, format="nt")
        except Exception as exc:  # rdflib raises many unrelated types for bad syntax
            raise StoreError(
                f"{self.query_url} answered a CONSTRUCT with bad N-Triples: {exc}"
            ) from exc

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        text = f"BASE <{base_iri}>\n{sparql}" if base_iri else sparql
        try:
            self._post(self._update_url, text, "application/sparql-update", accept="*/*")
        finally:
            self._generation += 1  # even a failed request may have reached the server

    def graph_names(self) -> list[str]:
        solutions = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(str(row["g"]) for row in solutions.rows)

    def triple_count(self) -> int:
        solutions = self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(solutions.rows[0]["n"])

    def dump_nquads(self, output: IO[bytes]) -> None:
        """One CONSTRUCT per named graph (plain SPARQL 1.1, so any server answers it), each
        answer parsed as it arrives and written out as quads of that graph."""
        for number, name in enumerate(self.graph_names()):
            graph = pyoxigraph.NamedNode(name)
            query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {URIRef(name).n3()} {{ ?s ?p ?o }} }}"
            with self._stream(query, accept="application/n-triples, text/turtle;q=0.5") as body:
                media_type = body.headers.get("content-type", "").partition(";")[0].strip()
                rdf_format = pyoxigraph.RdfFormat.from_media_type(media_type)
                if rdf_format is None:
                    raise StoreError(f"{self.query_url} answered a CONSTRUCT with {media_type!r}")
                triples = pyoxigraph.parse(io.BufferedReader(_ChunkReader(body.iter_bytes())),
                                           rdf_format)  # fmt: skip
                quads = (_scoped_quad(triple, graph, f"g{number}x") for triple in triples)
                try:
                    pyoxigraph.serialize(quads, output, pyoxigraph.RdfFormat.N_QUADS)
                except SyntaxError as exc:
                    raise StoreError(f"{self.query_url} sent graph {name} garbled: {exc}") from exc

    def close(self) -> None:
        self._client.close()

    @contextmanager
    def _stream(self, query: str, accept: str) -> Iterator[httpx.Response]:
        """A query's answer as a response whose body is read as it arrives."""
        try:
            with self._client.stream(
                "POST",
                self.query_url,
                content=query.encode("utf-8"),
                headers={"Content-Type": QUERY_CONTENT, "Accept": accept},
            ) as response:
                if response.status_code >= 300:
                    response.read()
                    _raise_for_status(self.query_url, response)
                yield response
        except httpx.HTTPError as exc:
            raise StoreError(f"the SPARQL server at {self.query_url} failed: {exc}") from exc

    def _post(self, url: str, body: str, content_type: str, accept: str) -> httpx.Response:
        try:
            response = self._client.post(
                url,
                content=body.encode("utf-8"),
                headers={"Content-Type": f"{content_type}; charset=utf-8", "Accept": accept},
            )
        except httpx.HTTPError as exc:
            raise StoreError(f"the SPARQL server at {url} cannot be reached: {exc}") from exc
        _raise_for_status(url, response)
        return response


class _ChunkReader(io.RawIOBase):
    """A readable binary file over an iterator of byte chunks (an HTTP body as it arrives),
    for parsers that read files."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: "WriteableBuffer") -> int:
        while not self._pending:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._pending = chunk
        target = memoryview(buffer).cast("B")
        size = min(len(target), len(self._pending))
        target[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def _scoped_quad(
    triple: pyoxigraph.Quad | pyoxigraph.Triple, graph: pyoxigraph.NamedNode, scope: str
) -> pyoxigraph.Quad:
    """The triple as a quad of `graph`. A blank node label is scoped to one answer, so it
    is prefixed with `scope` (one per graph): it stays apart from other answers' labels,
    and the same on every dump."""
    subject, value = triple.subject, triple.object
    if isinstance(subject, pyoxigraph.BlankNode):
        subject = pyoxigraph.BlankNode(scope + subject.value)
    if isinstance(value, pyoxigraph.BlankNode):
        value = pyoxigraph.BlankNode(scope + value.value)
    return pyoxigraph.Quad(subject, triple.predicate, value, graph)


def _raise_for_status(url: str, response: httpx.Response) -> None:
    if response.status_code == 400:
        raise InputError(f"the SPARQL server refused the request: {response.text.strip()}")
    if response.status_code >= 300:
        raise StoreError(
            f"the SPARQL server at {url} answered {response.status_code}: "
            f"{response.text.strip()[:500]}"
        )


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


def _from_json(value: Mapping[str, str]) -> Term:
    """A term of the SPARQL 1.1 Query Results JSON format."""
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if "xml:lang" in value:
        return Literal(value["value"], lang=value["xml:lang"])
    return Literal(value["value"], datatype=URIRef(value.get("datatype", XSD.string)))
