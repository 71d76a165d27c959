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
import ssl
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from typing import IO, TYPE_CHECKING
from urllib.parse import urlencode
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

from accordkg.store.interface import (
    Row,
    Solutions,
    Term,
    checked_triples,
    with_values,
    written_triples,
)

# Queries go as URL-encoded forms, which every server takes: Virtuoso never answers a query
# POSTed as application/sparql-query (virtuoso-opensource#842).
FORM_TYPE = "application/x-www-form-urlencoded"
UPDATE_TYPE = "application/sparql-update; charset=utf-8"
# Triples per operation of a replacement: Virtuoso's parser runs out of stack near 5,000
# triples in one INSERT DATA, and it compiles an INSERT template into at most 10,000 lines
# of SQL, about 1,500 triples.
BOOLEAN = str(XSD.boolean)
CANONICAL_BOOLEANS = {"1": "true", "0": "false"}
DATA_TRIPLES = 2_000
TEMPLATE_TRIPLES = 500
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
        self._client = httpx.Client(timeout=timeout_s, verify=_tls_context())
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
        plain = {name: _plain(term) for name, term in (bindings or {}).items()}
        names, bindings_json = self._results(with_values(query, plain))
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
            yield tuple(_lexical(value) if (value := binding.get(name)) else None for name in names)

    def _results(self, query: str) -> tuple[list[str], list[dict[str, dict[str, str]]]]:
        """The variables and bindings of a SELECT answered in SPARQL JSON."""
        response = self._post(
            self.query_url, _form(query), FORM_TYPE, "application/sparql-results+json"
        )
        try:
            body = response.json()
            return list(body["head"]["vars"]), list(body["results"]["bindings"])
        except (ValueError, KeyError, TypeError) as exc:
            raise StoreError(f"{self.query_url} answered a SELECT with no results: {exc}") from exc

    def construct(self, query: str) -> Graph:
        response = self._post(self.query_url, _form(query), FORM_TYPE, "application/n-triples")
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
            self._post(self._update_url, marked, UPDATE_TYPE, accept="*/*")
        finally:
            with self._lock:  # even a failed request may have reached the server
                self._generation += 1
                self._seen = None  # the next read takes the server's state afresh

    def graph_names(self) -> list[str]:
        """Grouped, not DISTINCT: Virtuoso answers a DISTINCT ?g from its list of graphs,
        including those the endpoint's user may not read."""
        solutions = self.select("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
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
                content=_form(query).encode("ascii"),
                headers={"Content-Type": FORM_TYPE, "Accept": accept},
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
                headers={"Content-Type": content_type, "Accept": accept},
            )
        except httpx.HTTPError as exc:
            raise StoreError(f"the SPARQL server at {url} cannot be reached: {exc}") from exc
        _raise_for_status(url, response)
        return response


def replacement_update(graphs: Mapping[URIRef, Graph], drop: Iterable[URIRef]) -> str:
    """One update that drops and refills the graphs (one request, so readers see all of the
    change or none of it), in operations any server takes: the triples without blank nodes
    in INSERT DATA blocks of `DATA_TRIPLES`; those with blank nodes, which Virtuoso refuses
    in INSERT DATA, in `INSERT { ... } WHERE {}` templates, each holding whole groups of
    triples that share blank nodes, their labels made distinct per operation (a label names
    one node within one operation only)."""
    operations = [f"DROP SILENT GRAPH {name.n3()}" for name in [*graphs, *drop]]
    for name, graph in graphs.items():
        ground: list[pyoxigraph.Triple] = []
        blank: list[pyoxigraph.Triple] = []
        for triple in checked_triples(graph.serialize(format="nt", encoding="utf-8")):
            has_blank = isinstance(triple.subject, pyoxigraph.BlankNode) or isinstance(
                triple.object, pyoxigraph.BlankNode
            )
            (blank if has_blank else ground).append(triple)
        for start in range(0, len(ground), DATA_TRIPLES):
            block = written_triples(ground[start : start + DATA_TRIPLES])
            operations.append(f"INSERT DATA {{ GRAPH {name.n3()} {{\n{block}}} }}")
        graph_node = pyoxigraph.NamedNode(str(name))
        for group in _templates(blank):
            scope = f"t{len(operations)}x"  # Virtuoso refuses a label in two operations
            block = written_triples(_scoped_quad(t, graph_node, scope).triple for t in group)
            operations.append(f"INSERT {{ GRAPH {name.n3()} {{\n{block}}} }} WHERE {{}}")
    return " ;\n".join(operations)


def _templates(triples: list[pyoxigraph.Triple]) -> Iterator[list[pyoxigraph.Triple]]:
    """The triples in groups of about `TEMPLATE_TRIPLES`, never parting two that share a
    blank node (a group exceeds the size only when one connected set does)."""
    parent: dict[str, str] = {}

    def root(label: str) -> str:
        while parent.setdefault(label, label) != label:
            parent[label] = parent[parent[label]]
            label = parent[label]
        return label

    def labels(triple: pyoxigraph.Triple) -> list[str]:
        terms = (triple.subject, triple.object)
        return [term.value for term in terms if isinstance(term, pyoxigraph.BlankNode)]

    for triple in triples:
        first, *others = labels(triple)
        for other in others:
            parent[root(other)] = root(first)
    connected: dict[str, list[pyoxigraph.Triple]] = {}
    for triple in triples:
        connected.setdefault(root(labels(triple)[0]), []).append(triple)
    group: list[pyoxigraph.Triple] = []
    for members in connected.values():
        if group and len(group) + len(members) > TEMPLATE_TRIPLES:
            yield group
            group = []
        group += members
    if group:
        yield group


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


def _form(query: str) -> str:
    return urlencode({"query": query})


@cache
def _tls_context() -> ssl.SSLContext:
    """One TLS context for every remote store's client: building one reads the CA bundle,
    about 30 ms of CPU."""
    return httpx.create_ssl_context()


def _raise_for_status(url: str, response: httpx.Response) -> None:
    if response.status_code == 400:
        raise InputError(f"the SPARQL server refused the request: {response.text.strip()}")
    if response.status_code >= 300:
        raise StoreError(
            f"the SPARQL server at {url} answered {response.status_code}: "
            f"{response.text.strip()[:500]}"
        )


def _plain(term: Term) -> Term:
    """`"x"^^xsd:string` written as `"x"`: the same RDF 1.1 literal, which Virtuoso matches
    only in the form it was stored in, and data goes in as plain strings."""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


def _from_json(value: Mapping[str, str]) -> Term:
    """A term of the SPARQL 1.1 Query Results JSON format."""
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if "xml:lang" in value:
        return Literal(value["value"], lang=value["xml:lang"])
    return Literal(_lexical(value), datatype=URIRef(value.get("datatype", XSD.string)))


def _lexical(value: Mapping[str, str]) -> str:
    """A term's lexical form, a boolean's canonical: Virtuoso writes true and false as 1
    and 0."""
    if value.get("datatype") == BOOLEAN:
        return CANONICAL_BOOLEANS.get(value["value"], value["value"])
    return value["value"]
