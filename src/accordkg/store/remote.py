"""The remote store: any SPARQL 1.1 server over the protocol (Oxigraph server, Jena
Fuseki, GraphDB, QLever, Virtuoso), its default graph the union of its named graphs.

Several processes may share one server (replicas behind a load balancer, `accordkg build`,
other programs), so the generation follows the server's data, not this process's writes.
Every write through this class renames the change marker, an empty graph (no triple
pattern matches it, so no answer, count or dump shows it), in the same request. A read of
the generation checks the marker's name when the last check is `change_check_s` old, and
counts the quads (which also catches most writes made around accordkg) when the name
changed, and otherwise no oftener than COUNTS_APART times the count's own duration: a
count scans the store. A server that keeps no empty graphs (Virtuoso) has no marker, and
then its count alone tells.
"""

import io
import math
import re
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING
from uuid import uuid4

import httpx2 as httpx
import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from accordkg.errors import InputError, StoreError
from accordkg.graphs import CHANGE_MARKER_PREFIX
from accordkg.resources import parsed
from accordkg.sparql.text import LEXICAL_NOISE

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

from accordkg.store.interface import Row, Solutions, Term, replacement_update, with_values

POSTED_QUERY_TYPE = "application/sparql-query; charset=utf-8"
CHANGE_MARKER = re.compile(re.escape(CHANGE_MARKER_PREFIX) + "[0-9a-f-]{36}")
CHANGE_QUERY = (
    "SELECT ?change WHERE { GRAPH ?change { } "
    f'FILTER(STRSTARTS(STR(?change), "{CHANGE_MARKER_PREFIX}")) }} ORDER BY ?change'
)
QUADS_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
COUNTS_APART = 50  # counting takes at most 1/50 of the server's time, per process
State = tuple[tuple[str | None, ...], int]  # the marker's names, and the number of quads


class RemoteStore:
    """A SPARQL 1.1 server reached over the protocol: queries and updates by POST."""

    def __init__(
        self, query_url: str, update_url: str, timeout_s: float, change_check_s: float
    ) -> None:
        self.query_url = query_url
        self._update_url = update_url
        self._client = httpx.Client(timeout=timeout_s)
        self._change_check_s = change_check_s
        self._lock = threading.Lock()  # orders checks and writes' bumps
        self._generation = 0
        self._seen: State | None = None  # read at the last check; None: take the next as is
        self._checked_at = -math.inf  # when the last check started (time.monotonic)
        self._count_due = -math.inf  # when the quads are to be counted again

    @property
    def generation(self) -> int:
        """Moved on by every write through this object, and when a check finds the
        server's data changed since the last one."""
        with self._lock:
            started = time.monotonic()
            if self._seen is None or started >= self._count_due:
                self._observe(self._change_marker(), started)
            elif started - self._checked_at >= self._change_check_s:
                marker = self._change_marker()
                if marker != self._seen[0]:
                    self._observe(marker, started)
                self._checked_at = started
            return self._generation

    def _observe(self, marker: tuple[str | None, ...], started: float) -> None:
        """Count the quads (after the marker was read: a write in between moves the
        generation on twice, never not at all) and move the generation on if the state is
        not what it was, unless there is nothing to compare it with."""
        counted = time.monotonic()
        state = (marker, self.triple_count())
        if self._seen is not None and state != self._seen:
            self._generation += 1
        self._seen, self._checked_at = state, started
        took = time.monotonic() - counted
        self._count_due = started + max(self._change_check_s, COUNTS_APART * took)

    def _change_marker(self) -> tuple[str | None, ...]:
        """The marker's names: one, or more after writes at the same time, or none."""
        return tuple(row[0] for row in self.rows(CHANGE_QUERY))

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
        problem = f"{self.query_url} answered a CONSTRUCT with bad N-Triples: "
        return parsed(Graph(), problem, StoreError, data=response.text, format="nt")

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        """The update, then the renaming of the change marker in the same request (one
        transaction). After the update, as Oxigraph takes no prologue after a `;`."""
        text = f"BASE <{base_iri}>\n{sparql}" if base_iri else sparql
        old = [name for name in self._change_marker() if name and CHANGE_MARKER.fullmatch(name)]
        renaming = [f"DROP SILENT GRAPH <{name}>" for name in old]
        renaming.append(f"CREATE SILENT GRAPH <{CHANGE_MARKER_PREFIX}{uuid4()}>")
        code = LEXICAL_NOISE.sub(" ", text).rstrip()
        separator = "\n" if not code or code.endswith(";") else "\n;\n"
        marked = text + separator + " ;\n".join(renaming)
        try:
            self._post(self._update_url, marked, "application/sparql-update", accept="*/*")
        finally:
            with self._lock:  # even a failed request may have reached the server
                self._generation += 1
                self._seen = None  # the next read takes the server's state afresh

    def graph_names(self) -> list[str]:
        solutions = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(str(row["g"]) for row in solutions.rows)

    def triple_count(self) -> int:
        return int(self.select(QUADS_QUERY).rows[0]["n"])

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
                headers={"Content-Type": POSTED_QUERY_TYPE, "Accept": accept},
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
