"""SPARQL queries run in worker processes, so a query past its time limit is really stopped.

A running pyoxigraph query cannot be interrupted inside its own process, so each query
runs in one of a few worker processes. Each worker copies the on-disk store into an
in-memory Oxigraph store when it starts (in memory, heavy queries answer several times
faster than on disk; the disk stays the durable copy). A query that runs past the limit
has its worker killed and replaced; other requests keep being served by the other
workers, and a request that finds every worker busy waits a bounded time, then gets a
clear 503.
"""

import asyncio
import csv
import io
import json
import multiprocessing
import os
import threading
import time
from dataclasses import dataclass, replace
from itertools import islice
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, Protocol
from xml.sax.saxutils import escape, quoteattr

import httpx2 as httpx
import pyoxigraph

from accordkg.errors import (
    InputError,
    QueryTimeoutError,
    StoreError,
    UnavailableError,
)
from accordkg.results import MEDIA_TYPES

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_FORMATS = {
    "turtle": pyoxigraph.RdfFormat.TURTLE,
    "ntriples": pyoxigraph.RdfFormat.N_TRIPLES,
    "nquads": pyoxigraph.RdfFormat.N_QUADS,
    "jsonld": pyoxigraph.RdfFormat.JSON_LD,
    "rdfxml": pyoxigraph.RdfFormat.RDF_XML,
}
BOOLEAN_FORMATS = {
    "json": pyoxigraph.QueryResultsFormat.JSON,
    "xml": pyoxigraph.QueryResultsFormat.XML,
    "csv": pyoxigraph.QueryResultsFormat.CSV,
    "tsv": pyoxigraph.QueryResultsFormat.TSV,
}


@dataclass(frozen=True)
class QueryJob:
    """One query to run: its text, dataset, the chosen format and the row limit. A
    protocol dataset (default-graph-uri, named-graph-uri) replaces the query's own whole:
    graphs it does not name are not in it."""

    query: str
    result_format: str
    row_limit: int
    union_default_graph: bool
    base_iri: str | None = None
    protocol_dataset: bool = False
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    generation: int = 0


@dataclass(frozen=True)
class QueryAnswer:
    """A serialized answer; `truncated` when the row limit cut it short."""

    body: bytes
    truncated: bool


class QueryRunner(Protocol):
    """Where /sparql queries run: the worker pool, or a remote SPARQL server."""

    def start(self, loop: asyncio.AbstractEventLoop) -> None: ...

    async def run(self, job: QueryJob) -> QueryAnswer: ...

    def invalidate(self) -> None: ...

    def status(self) -> dict[str, object]: ...

    async def close(self) -> None: ...


class RemoteQueries:
    """Queries forwarded to a remote SPARQL 1.1 server as they came, format included. The
    time limit ends our wait; stopping the work is the remote server's own timeout's job,
    and so is capping rows."""

    def __init__(self, query_url: str, timeout_s: float) -> None:
        self._query_url = query_url
        self._timeout_s = timeout_s
        self._client: httpx.AsyncClient | None = None

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        self._client = httpx.AsyncClient(timeout=self._timeout_s)

    async def run(self, job: QueryJob) -> QueryAnswer:
        if self._client is None:
            raise UnavailableError("the remote query client is not started")
        params: list[tuple[str, str | int | float | bool | None]] = [
            ("default-graph-uri", g) for g in job.default_graphs
        ]
        params += [("named-graph-uri", g) for g in job.named_graphs]
        try:
            response = await self._client.post(
                self._query_url,
                params=httpx.QueryParams(params),
                content=job.query.encode("utf-8"),
                headers={
                    "Content-Type": "application/sparql-query",
                    "Accept": MEDIA_TYPES[job.result_format].split(";")[0],
                },
            )
        except httpx.TimeoutException as exc:
            raise QueryTimeoutError(
                f"the remote SPARQL server did not answer within {self._timeout_s:g} s"
            ) from exc
        except httpx.HTTPError as exc:
            raise StoreError(f"the remote SPARQL server cannot be reached: {exc}") from exc
        if response.status_code == 400:
            raise InputError(response.text.strip())
        if response.status_code >= 300:
            raise StoreError(f"the remote SPARQL server answered {response.status_code}")
        return QueryAnswer(body=response.content, truncated=False)

    def invalidate(self) -> None:
        """Nothing is copied, so nothing goes stale."""

    def status(self) -> dict[str, object]:
        return {"remote": self._query_url}

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None


class QueryPool:
    """A fixed number of query workers over a copy of the store at `store_path`.

    `run` is a coroutine that waits on the worker's pipe in the event loop itself (no
    thread hand-offs on the way), which keeps light queries fast; starting workers and
    stopping them happen in background threads.
    """

    def __init__(self, store_path: Path, size: int, timeout_s: float, wait_s: float) -> None:
        self._store_path = store_path
        self._size = size
        self._timeout_s = timeout_s
        self._wait_s = wait_s
        self._context = multiprocessing.get_context("spawn")
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = threading.Event()
        self._workers: set[_Worker] = set()
        self._lock = threading.Lock()
        self._generation = 0

    def invalidate(self) -> None:
        """The store changed: each worker reloads its copy before its next query."""
        self._generation += 1

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        """Start the workers in the background; requests wait for the first one ready."""
        self._loop = loop
        for _ in range(self._size):
            self._replace()

    async def run(self, job: QueryJob) -> QueryAnswer:
        """Run `job` on a free worker, stopping it if it takes longer than the limit."""
        try:
            worker = await asyncio.wait_for(self._idle.get(), self._wait_s)
        except TimeoutError:
            raise UnavailableError(
                f"all {self._size} query workers stayed busy for {self._wait_s:g} s; try again"
            ) from None
        worker.connection.send(replace(job, generation=self._generation))
        if not await self._answered(worker):
            self._retire(worker)
            self._replace()
            raise QueryTimeoutError(
                f"the query ran longer than {self._timeout_s:g} s and was stopped; "
                "narrow it, or add a LIMIT"
            )
        try:
            outcome = worker.connection.recv()
        except (EOFError, OSError) as exc:
            self._retire(worker)
            self._replace()
            raise StoreError("the query worker died while answering") from exc
        self._idle.put_nowait(worker)
        return _answer_or_raise(outcome)

    async def _answered(self, worker: "_Worker") -> bool:
        """Whether the worker's answer arrives within the time limit."""
        loop = asyncio.get_running_loop()
        readable: asyncio.Future[None] = loop.create_future()
        descriptor = worker.connection.fileno()

        def mark() -> None:
            if not readable.done():
                readable.set_result(None)

        loop.add_reader(descriptor, mark)
        try:
            await asyncio.wait_for(readable, self._timeout_s)
        except TimeoutError:
            return False
        finally:
            loop.remove_reader(descriptor)
            os.set_blocking(descriptor, True)  # uvloop leaves watched descriptors non-blocking
        return True

    def status(self) -> dict[str, object]:
        """How many workers the pool has, and how many are idle now."""
        return {"size": self._size, "idle": self._idle.qsize()}

    async def close(self) -> None:
        self._closed.set()
        with self._lock:
            workers = list(self._workers)
        for worker in workers:
            self._retire(worker)

    def _replace(self) -> None:
        threading.Thread(target=self._spawn, daemon=True).start()

    def _spawn(self) -> None:
        """Start one worker and hand it to requests once its copy of the store is loaded."""
        if self._closed.is_set():
            return
        ours, theirs = self._context.Pipe()
        process = self._context.Process(
            target=_worker_main,
            args=(theirs, str(self._store_path), self._generation),
            daemon=True,
        )
        process.start()
        theirs.close()
        worker = _Worker(process, ours)
        with self._lock:
            self._workers.add(worker)
        try:
            ready = ours.recv()
        except (EOFError, OSError):
            ready = None
        if ready != "ready" or self._closed.is_set() or self._loop is None:
            self._retire(worker)
            return
        self._loop.call_soon_threadsafe(self._idle.put_nowait, worker)

    def _retire(self, worker: "_Worker") -> None:
        """Stop a worker; only the first caller does, as threads may race to retire it."""
        with self._lock:
            if worker not in self._workers:
                return
            self._workers.discard(worker)
        worker.process.kill()
        worker.process.join(timeout=5)
        worker.connection.close()


@dataclass(frozen=True, eq=False)
class _Worker:
    process: BaseProcess
    connection: Connection


def _answer_or_raise(outcome: tuple[Any, ...]) -> QueryAnswer:
    kind = outcome[0]
    if kind == "ok":
        return QueryAnswer(body=outcome[1], truncated=outcome[2])
    if kind == "syntax":
        raise InputError(f"SPARQL syntax error {outcome[1]}")
    if kind == "input":
        raise InputError(outcome[1])
    raise StoreError(f"the query failed: {outcome[1]}")


def _worker_main(connection: Connection, store_path: str, generation: int) -> None:
    """A worker's life: copy the store into memory, then answer jobs until told to stop,
    copying it again when a job says the store has changed since."""
    try:
        memory = _copy_of(store_path)
    except (OSError, RuntimeError) as exc:
        connection.send(f"cannot read the store: {exc}")
        return
    connection.send("ready")
    while True:
        try:
            job = connection.recv()
        except EOFError:
            return
        if job.generation != generation:
            try:
                memory, generation = _copy_of(store_path), job.generation
            except (OSError, RuntimeError) as exc:
                connection.send(("store", f"cannot reload the store after a change: {exc}"))
                continue
        connection.send(_execute(memory, job))


def _copy_of(store_path: str, attempts: int = 10) -> pyoxigraph.Store:
    """An in-memory copy of the on-disk store, read through a read-only handle. The
    owning process may be flushing or compacting meanwhile, which can delete a file the
    handle was about to read; a fresh handle sees the new files, so try again."""
    failures = 0
    while True:
        try:
            on_disk = pyoxigraph.Store.read_only(store_path)
            memory = pyoxigraph.Store()
            memory.bulk_load(on_disk.dump(format=pyoxigraph.RdfFormat.N_QUADS),
                             format=pyoxigraph.RdfFormat.N_QUADS)  # fmt: skip
            return memory
        except (OSError, RuntimeError):
            failures += 1
            if failures == attempts:
                raise
            time.sleep(0.05 * failures)


def _execute(store: pyoxigraph.Store, job: QueryJob) -> tuple[Any, ...]:
    started = time.perf_counter()
    try:
        dataset: dict[str, Any] = {}
        if job.protocol_dataset:
            dataset["default_graph"] = [pyoxigraph.NamedNode(g) for g in job.default_graphs]
            dataset["named_graphs"] = [pyoxigraph.NamedNode(g) for g in job.named_graphs]
        result = store.query(
            job.query,
            base_iri=job.base_iri,
            use_default_graph_as_union=job.union_default_graph,
            **dataset,
        )
        body, truncated = _serialize(result, job.result_format, job.row_limit)
    except SyntaxError as exc:
        return ("syntax", str(exc).removeprefix("error "))
    except (ValueError, TypeError, RuntimeError) as exc:  # evaluation errors the query caused
        return ("input", str(exc))
    except OSError as exc:
        return ("store", f"{exc} (after {time.perf_counter() - started:.1f} s)")
    return ("ok", body, truncated)


def _serialize(result: Any, result_format: str, limit: int) -> tuple[bytes, bool]:
    if isinstance(result, pyoxigraph.QueryBoolean):
        return result.serialize(format=BOOLEAN_FORMATS[result_format]) or b"", False
    if isinstance(result, pyoxigraph.QueryTriples):
        triples = list(islice(result, limit + 1))
        kept = triples[:limit]
        if result_format == "nquads":
            quads = [pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in kept]
            return pyoxigraph.serialize(quads, format=RDF_FORMATS["nquads"]) or b"", len(
                triples
            ) > limit
        body = pyoxigraph.serialize(kept, format=RDF_FORMATS[result_format]) or b""
        return body, len(triples) > limit
    variables = [v.value for v in result.variables]
    rows = list(islice(result, limit + 1))
    writer = SOLUTION_WRITERS[result_format]
    return writer(variables, rows[:limit]).encode("utf-8"), len(rows) > limit


def _json_term(term: Any) -> dict[str, str]:
    if isinstance(term, pyoxigraph.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, pyoxigraph.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, pyoxigraph.Literal):
        value = {"type": "literal", "value": term.value}
        if term.language:
            value["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            value["datatype"] = term.datatype.value
        return value
    return {"type": "triple", "value": str(term)}


def _write_json(variables: list[str], rows: list[Any]) -> str:
    bindings = [
        {name: _json_term(term) for name in variables if (term := row[name]) is not None}
        for row in rows
    ]
    return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}})


def _write_xml(variables: list[str], rows: list[Any]) -> str:
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>'
    ]
    parts += [f"<variable name={quoteattr(name)}/>" for name in variables]
    parts.append("</head><results>")
    for row in rows:
        parts.append("<result>")
        for name in variables:
            term = row[name]
            if term is None:
                continue
            value = _json_term(term)
            if value["type"] == "literal":
                attributes = "".join(
                    f" {key}={quoteattr(value[key])}"
                    for key in ("xml:lang", "datatype")
                    if key in value
                )
                inner = f"<literal{attributes}>{escape(value['value'])}</literal>"
            else:
                inner = f"<{value['type']}>{escape(value['value'])}</{value['type']}>"
            parts.append(f"<binding name={quoteattr(name)}>{inner}</binding>")
        parts.append("</result>")
    parts.append("</results></sparql>\n")
    return "".join(parts)


def _write_csv(variables: list[str], rows: list[Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow([_csv_value(row[name]) for name in variables])
    return out.getvalue()


def _csv_value(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, pyoxigraph.BlankNode):
        return f"_:{term.value}"
    return str(term.value) if hasattr(term, "value") else str(term)


def _write_tsv(variables: list[str], rows: list[Any]) -> str:
    lines = ["\t".join(f"?{name}" for name in variables)]
    for row in rows:
        lines.append("\t".join("" if row[name] is None else str(row[name]) for name in variables))
    return "\n".join(lines) + "\n"


SOLUTION_WRITERS = {"json": _write_json, "xml": _write_xml, "csv": _write_csv, "tsv": _write_tsv}
