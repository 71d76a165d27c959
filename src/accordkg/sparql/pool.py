"""SPARQL queries run in worker processes, so a query past its time limit is really stopped.

A running pyoxigraph query cannot be interrupted inside its own process, so each query
runs in one of a few worker processes. Each worker copies the on-disk store into an
in-memory Oxigraph store when it starts (in memory, heavy queries answer several times
faster than on disk; the disk stays the durable copy). A query that runs past the limit
has its worker killed and replaced; other requests keep being served by the other
workers, and a request that finds every worker busy waits a bounded time, then gets a
clear 503.

A query that a worker has answered quickly on the current data is light: the next time
it comes, it runs right here, in the server's own process, on the durable store, and
skips the two hops to a worker and back (on this kind of machine each hop, a wake-up of
another process, costs more than a light query itself). Only what a worker has shown to
be light runs here, only if every run of it does the same work (no RAND() and the like),
and a run here that takes longer than LIGHT_HERE_S sends the query back to the workers:
nothing that could need stopping runs where it cannot be stopped. Its answer is the
same, except that rows without ORDER BY may come in another order (the durable store
and the in-memory copies keep different ones), as SPARQL allows.
It runs in the event loop itself, not in a thread: handing it to a thread and back costs
about three times what a light query takes (150 against 40 microseconds for an ASK).

When every worker is taken, requests wait their turn, and clients (by address) get fair
shares: a client whose query ran to the time limit, or was stopped to make room, is heavy
for a while and may take a worker only while another stays free for everyone else. A
request that has waited a moment with every worker taken makes room: the pool stops a
stream whose client has taken nothing for a while (its answer ends incomplete), else the
youngest of the queries that have run for over a second (a 503 that says why).

Answers stream: a worker sends a small answer whole, in one message, and a large one as
chunks the HTTP response passes on as they come, so neither process holds all of it.
Whether the row limit cut an answer is said in a header, before the body; so the worker
holds the start of the answer (up to a configured size) until it knows. When the answer
is larger than that and neither ended nor reached the limit yet, the worker runs the query
a second time, only counting rows up to the limit, to decide; if the streamed pass then
disagrees (a query with RAND() or the like), the answer is cut off visibly rather than
contradict its header. A stream is bounded by the same time limit as the query: a
client too slow to take the answer in time gets an incomplete response.
"""

import asyncio
import json
import multiprocessing
import os
import resource
import signal
import threading
import time
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from json.encoder import encode_basestring_ascii as json_string
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import IO, Any, NoReturn, Protocol, cast
from xml.sax.saxutils import escape, quoteattr

import httpx2 as httpx
import pyoxigraph

from accordkg.errors import (
    InputError,
    QueryMemoryError,
    QueryTimeoutError,
    StoreError,
    UnavailableError,
)
from accordkg.sparql.isolation import deny_network
from accordkg.sparql.text import runs_alike
from accordkg.sparql.writers import MEDIA_TYPES
from accordkg.store import EmbeddedStore

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_FORMATS = {
    "turtle": pyoxigraph.RdfFormat.TURTLE,
    "ntriples": pyoxigraph.RdfFormat.N_TRIPLES,
    "nquads": pyoxigraph.RdfFormat.N_QUADS,
    "jsonld": pyoxigraph.RdfFormat.JSON_LD,
    "rdfxml": pyoxigraph.RdfFormat.RDF_XML,
}
CHUNK_BYTES = 64 * 1024  # the size of the pieces a larger answer streams in
WRITE_BYTES = 8 * 1024  # serialized rows are written in pieces of about this size
STOP = "stop"  # what the pool sends a worker whose answer nobody reads any more
LIGHT_S = 0.002  # a query a worker answered within this time may run in the server's process
LIGHT_HERE_S = 0.01  # a light query that took longer here goes back to the workers
LIGHT_JOBS = 1024  # how many light queries are remembered, the least recently used forgotten
# Fair shares when every worker is taken (see QueryPool): a client is heavy for HEAVY_S
# after one of its queries ran to the time limit or was stopped to make room; a request
# that has waited WAIT_BEFORE_MAKING_ROOM_S makes room by stopping a stream whose client
# took nothing for STALLED_S, else the youngest query running for over LONG_S.
HEAVY_S = 60.0
WAIT_BEFORE_MAKING_ROOM_S = 0.05
STALLED_S = 0.25
LONG_S = 1.0
QUERY_ERRORS = (SyntaxError, ValueError, TypeError, RuntimeError, OSError)
# A worker answers on a thread with a stack this large: the engine's parser and planner
# recurse once per level of nesting, and a main thread's 8 MiB overflows at a few
# thousand levels, killing the process. Pages of it are used only as deep as a query goes.
WORKER_STACK_BYTES = 64 * 1024**2
XML_TEXT = {"\r": "&#13;"}  # else XML parsers read a carriage return as a line feed
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


@dataclass(frozen=True)
class QueryAnswer:
    """A serialized answer: whole, or a stream of chunks when it is large. `truncated` when
    the row limit cut it short, known before the first byte of the body."""

    body: "bytes | AnswerStream"
    truncated: bool


class QueryRunner(Protocol):
    """Where /sparql queries run: the worker pool, or a remote SPARQL server."""

    def start(self, loop: asyncio.AbstractEventLoop) -> None: ...

    async def run(self, job: QueryJob, client: str = "") -> QueryAnswer: ...

    def invalidate(self) -> None: ...

    def status(self) -> dict[str, object]: ...

    def ready(self) -> bool: ...

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

    async def run(self, job: QueryJob, client: str = "") -> QueryAnswer:
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

    def ready(self) -> bool:
        """Whether the remote server answers is found out per query."""
        return self._client is not None

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None


class QueryPool:
    """A fixed number of query workers over copies of `store`, which light queries use
    directly.

    `run` is a coroutine that runs a light query in place and otherwise waits on the
    worker's pipe in the event loop itself (no thread hand-offs on the way); starting
    workers and stopping them happen in background threads.
    """

    def __init__(
        self,
        store: EmbeddedStore,
        size: int,
        timeout_s: float,
        wait_s: float,
        buffer_bytes: int,
        *,
        memory_bytes: int,
        network: bool = False,
    ) -> None:
        self._store = store
        self._memory_bytes = memory_bytes
        self._network = network  # whether workers may reach the network (SERVICE allowed)
        self._light: OrderedDict[QueryJob, int] = OrderedDict()  # job: generation it was light in
        self._buffer_bytes = buffer_bytes
        self._size = size
        self._timeout_s = timeout_s
        self._wait_s = wait_s
        self._context = multiprocessing.get_context("spawn")
        self._idle: list[_Worker] = []
        self._waiting: deque[_Waiter] = deque()
        self._running: dict[_Worker, _Running] = {}
        self._heavy: dict[str, float] = {}  # client: until when (loop time) it is heavy
        self._making_room: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = threading.Event()
        self._workers: set[_Worker] = set()
        self._loaded: set[_Worker] = set()  # the workers whose copy of the store is ready
        self._starting = 0  # workers asked for and not yet ready (or failed)
        self._lock = threading.Lock()
        self._generation = 0
        self._stopping: set[asyncio.Task[None]] = set()

    def invalidate(self) -> None:
        """The store changed: each worker reloads its copy before its next query."""
        self._generation += 1

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        """Start the workers in the background; requests wait for the first one ready."""
        self._loop = loop
        for _ in range(self._size):
            self._replace()

    async def run(self, job: QueryJob, client: str = "") -> QueryAnswer:
        """Run `job` here if it is light, else on a free worker, stopping it if it takes
        longer than the limit. A large answer comes as a stream that keeps the worker
        until it is read or closed. `client` (its address) decides its share of the
        workers when they are all taken."""
        if self._light.get(job) == self._generation:
            answer = self._run_here(job)
            if answer is not None:
                return answer
        worker = await self._take(client)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._timeout_s
        self._running[worker] = _Running(client, loop.time())
        generation = self._generation
        try:
            worker.connection.send((generation, job))
        except OSError as exc:  # it died while idle
            self._retire(worker)
            self._replace()
            raise StoreError("the query worker had died; try again") from exc
        try:
            message = await self._receive(worker, deadline)
        except asyncio.CancelledError:
            self._release(worker, deadline)
            raise
        kind = message[0]
        if kind == "head":
            stream = AnswerStream(self, worker, deadline)
            self._running[worker].stream = stream
            return QueryAnswer(body=stream, truncated=message[1])
        self._give(worker)
        if kind != "ok":
            _raise_failure(kind, message[1])
        if message[3] <= LIGHT_S and self._timeout_s > LIGHT_HERE_S and runs_alike(job.query):
            self._light[job] = generation
            if len(self._light) > LIGHT_JOBS:
                self._light.popitem(last=False)
        return QueryAnswer(body=message[1], truncated=message[2])

    def _run_here(self, job: QueryJob) -> QueryAnswer | None:
        """A light job's answer, run in this process on the store itself; None if it turned
        out too large to hold. A slow or failed run makes it a worker's job again."""
        started = time.perf_counter()
        try:
            answer = _answer_here(self._store.oxigraph, job, self._buffer_bytes)
        except QUERY_ERRORS as exc:
            del self._light[job]
            _raise_failure(*_failure(exc, started))
        if answer is None or time.perf_counter() - started > LIGHT_HERE_S:
            del self._light[job]
        else:
            self._light.move_to_end(job)
        return answer

    async def _take(self, client: str) -> "_Worker":
        """A worker for `client`, when its turn comes: requests are served in order, but a
        heavy client's only while another worker stays free for everyone else (or there is
        one worker only and no one else waits)."""
        loop = asyncio.get_running_loop()
        waiter = _Waiter(client, loop.time(), self._is_heavy(client), loop.create_future())
        self._waiting.append(waiter)
        self._admit()
        if not waiter.granted.done() and self._making_room is None:
            self._making_room = loop.create_task(self._make_room())
        try:
            return await asyncio.wait_for(asyncio.shield(waiter.granted), self._wait_s)
        except (TimeoutError, asyncio.CancelledError) as exc:
            if waiter.granted.done():
                self._give(waiter.granted.result())  # granted just as the request gave up
            else:
                waiter.granted.cancel()
                self._waiting.remove(waiter)
            if isinstance(exc, asyncio.CancelledError):
                raise
        if not self._loaded:
            raise UnavailableError(
                "the query workers are still loading their copy of the store; try again"
            )
        raise UnavailableError(
            f"all {self._size} query workers stayed busy for {self._wait_s:g} s; try again"
        )

    def _give(self, worker: "_Worker") -> None:
        """A worker is free: to the next request whose turn it is, or idle."""
        self._running.pop(worker, None)
        if worker in self._workers:
            self._idle.append(worker)
            self._admit()

    def _admit(self) -> None:
        while self._idle and self._waiting:
            others_wait = any(not waiter.heavy for waiter in self._waiting)
            spare = len(self._idle) > 1 or (self._size == 1 and not others_wait)
            waiter = next((w for w in self._waiting if not w.heavy or spare), None)
            if waiter is None:
                return
            self._waiting.remove(waiter)
            waiter.granted.set_result(self._idle.pop())

    async def _make_room(self) -> None:
        """While requests wait and every worker is taken, stop, one at a time, what keeps
        a worker longest for least: a stream whose client takes nothing, else the youngest
        query that has run long. Their clients become heavy."""
        try:
            while self._waiting:
                await asyncio.sleep(WAIT_BEFORE_MAKING_ROOM_S)
                now = self._loop_time()
                patient = [w for w in self._waiting if now - w.since >= WAIT_BEFORE_MAKING_ROOM_S]
                if self._idle or not any(not w.heavy for w in patient):
                    continue
                if self._starting or any(
                    running.stopped_to_make_room for running in self._running.values()
                ):
                    continue  # room is being made already: a worker is on its way
                self._stop_one(now)
        finally:
            self._making_room = None

    def _stop_one(self, now: float) -> None:
        stalled = [
            (since, running)
            for running in self._running.values()
            if (since := running.stalled_since()) is not None and now - since > STALLED_S
        ]
        long = [
            running
            for running in self._running.values()
            if running.stream is None and running.stop is not None and now - running.since > LONG_S
        ]
        if stalled:
            _, slowest = min(stalled, key=lambda item: item[0])
            slowest.stopped_to_make_room = True
            self._make_heavy(slowest.client)
            slowest.cut_off()
        elif long:
            youngest = max(long, key=lambda running: running.since)
            youngest.stopped_to_make_room = True
            youngest.cut_off()

    def _make_heavy(self, client: str) -> None:
        self._heavy.pop(client, None)  # to the end of the line: the oldest go first
        self._heavy[client] = self._loop_time() + HEAVY_S
        if len(self._heavy) > LIGHT_JOBS:  # forget the oldest
            self._heavy.pop(next(iter(self._heavy)))

    def _is_heavy(self, client: str) -> bool:
        until = self._heavy.get(client)
        if until is not None and until < self._loop_time():
            del self._heavy[client]
            return False
        return until is not None

    def _loop_time(self) -> float:
        return asyncio.get_running_loop().time()

    async def _receive(self, worker: "_Worker", deadline: float) -> tuple[Any, ...]:
        """The worker's next message; past the deadline, or if the worker died, it is
        replaced and the error raised."""
        if not await self._readable(worker, deadline):
            running = self._running.get(worker)
            self._retire(worker)
            self._replace()
            if running is None:
                raise QueryTimeoutError("the query worker was stopped")
            self._make_heavy(running.client)
            if running.stopped_to_make_room:
                raise UnavailableError(
                    "every query worker was busy with long queries while shorter ones waited, "
                    f"so this one was stopped after {self._loop_time() - running.since:.1f} s;"
                    " try again when the server is less busy"
                )
            raise QueryTimeoutError(
                f"the query ran longer than {self._timeout_s:g} s and was stopped; "
                "narrow it, or add a LIMIT"
            )
        try:
            message: tuple[Any, ...] = worker.connection.recv()
            running = self._running.get(worker)
            if running is not None:  # it answered: whatever tried to stop it came too late
                running.stopped_to_make_room = False
        except (EOFError, OSError) as exc:
            worker.process.join(timeout=1)
            out_of_memory = worker.process.exitcode == -signal.SIGABRT  # the engine's way
            self._retire(worker)
            self._replace()
            if out_of_memory:
                raise QueryMemoryError(
                    f"the query needed more than the {self._memory_bytes // 1024**2} MiB a "
                    "query worker may use and was stopped; narrow it, or add a LIMIT"
                ) from exc
            raise StoreError("the query worker died while answering") from exc
        return message

    async def _readable(self, worker: "_Worker", deadline: float) -> bool:
        """Whether the worker's pipe has something to read before the deadline."""
        loop = asyncio.get_running_loop()
        if loop.time() > deadline:
            return False
        readable: asyncio.Future[bool] = loop.create_future()
        descriptor = worker.connection.fileno()

        def settle(outcome: bool) -> None:
            if not readable.done():
                readable.set_result(outcome)

        loop.add_reader(descriptor, settle, True)
        timer = loop.call_at(deadline, settle, False)
        running = self._running.get(worker)
        if running is not None:
            running.stop = lambda: settle(False)
        try:
            return await readable
        finally:
            timer.cancel()
            loop.remove_reader(descriptor)
            os.set_blocking(descriptor, True)  # uvloop leaves watched descriptors non-blocking

    def _release(self, worker: "_Worker", deadline: float) -> None:
        """A stream was closed before its end: tell the worker to stop, and take it back
        once it has (in a task of its own, as the request may be being cancelled)."""
        task = asyncio.get_running_loop().create_task(self._stop(worker, deadline))
        self._stopping.add(task)
        task.add_done_callback(self._stopping.discard)

    async def _stop(self, worker: "_Worker", deadline: float) -> None:
        try:
            worker.connection.send(STOP)
            while (await self._receive(worker, deadline))[0] in ("head", "chunk"):
                pass
        except (QueryTimeoutError, UnavailableError, StoreError, OSError):
            self._retire(worker)  # replaced already unless sending STOP failed
            return
        self._give(worker)

    def status(self) -> dict[str, object]:
        """How many workers the pool has, how many have loaded the store and are ready, how
        many are idle now, and how many light queries it knows for the store as it is."""
        light = sum(1 for generation in self._light.values() if generation == self._generation)
        return {
            "size": self._size,
            "ready": len(self._loaded),
            "idle": len(self._idle),
            "waiting": len(self._waiting),
            "light_queries": light,
        }

    def ready(self) -> bool:
        """Whether a worker has loaded the store, so queries can be answered."""
        return bool(self._loaded)

    async def close(self) -> None:
        self._closed.set()
        if self._making_room is not None:
            self._making_room.cancel()
        with self._lock:
            workers = list(self._workers)
        for worker in workers:
            self._retire(worker)

    def _replace(self) -> None:
        with self._lock:
            self._starting += 1
        threading.Thread(target=self._spawn, daemon=True).start()

    def _spawn(self) -> None:
        try:
            self._start_worker()
        finally:
            with self._lock:
                self._starting -= 1

    def _start_worker(self) -> None:
        """Start one worker and hand it to requests once its copy of the store is loaded."""
        if self._closed.is_set():
            return
        ours, theirs = self._context.Pipe()
        process = self._context.Process(
            target=_worker_main,
            args=(
                theirs,
                self._generation,
                _WorkerSetup(
                    str(self._store.path), self._buffer_bytes, self._memory_bytes, self._network
                ),
            ),
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
        with self._lock:
            self._loaded.add(worker)
        self._loop.call_soon_threadsafe(self._give, worker)

    def _retire(self, worker: "_Worker") -> None:
        """Stop a worker; only the first caller does, as threads may race to retire it."""
        with self._lock:
            if worker not in self._workers:
                return
            self._workers.discard(worker)
            self._loaded.discard(worker)
            self._running.pop(worker, None)
        worker.process.kill()
        threading.Thread(target=_reap, args=(worker,), daemon=True).start()  # may take a while


class AnswerStream:
    """The rest of a large answer, read from its worker as the client takes it.

    The worker is the stream's until the end mark; `close` (called by whoever serves the
    stream, also when the client went away) tells an unfinished worker to stop and gives
    it back to the pool. A time-out or a failure mid-stream raises out of the iteration:
    the body is then incomplete, never a shorter document that looks whole.
    """

    def __init__(self, pool: QueryPool, worker: "_Worker", deadline: float) -> None:
        self._pool = pool
        self._worker: _Worker | None = worker
        self.deadline = deadline
        """When the answer must have been taken, in the event loop's time."""
        self.waiting_since: float | None = None
        """Since when a chunk has waited for the client to take it, if one does."""
        self.cut = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while (worker := self._worker) is not None:
            try:
                message = await self._pool._receive(worker, self.deadline)
            except (QueryTimeoutError, UnavailableError, StoreError):
                self._worker = None  # retired and replaced by the pool
                raise
            if message[0] == "chunk":
                self.waiting_since = asyncio.get_running_loop().time()
                yield message[1]
                self.waiting_since = None
                continue
            self._worker = None
            self._pool._give(worker)
            if message[0] != "end":
                raise StoreError(f"the answer was cut off: {message[1]}")
        if self.cut:
            raise UnavailableError("the answer was cut off: its client took too long")

    def close(self) -> None:
        if self._worker is not None:
            self._pool._release(self._worker, self.deadline)
            self._worker = None

    def cut_off(self) -> None:
        """Give the worker back now: the client was too slow while others waited. The
        body ends incomplete when the client next takes some of it."""
        self.cut = True
        self.close()


@dataclass(frozen=True, eq=False)
class _Worker:
    process: BaseProcess
    connection: Connection


def _reap(worker: _Worker) -> None:
    """Wait for a killed worker to be gone (its memory handed back) and close its pipe."""
    worker.process.join(timeout=5)
    worker.connection.close()


@dataclass(eq=False)
class _Running:
    """What a busy worker is doing: for whom, since when, and how to stop it."""

    client: str
    since: float
    stream: AnswerStream | None = None
    stop: Callable[[], None] | None = None  # ends the wait for its answer, as a time-out
    stopped_to_make_room: bool = False

    def stalled_since(self) -> float | None:
        """Since when its stream's client has not taken the chunk it was given, if so."""
        return self.stream.waiting_since if self.stream is not None else None

    def cut_off(self) -> None:
        """Stop it: a stream gives its worker back, a query's worker is killed."""
        if self.stream is not None:
            self.stream.cut_off()
        elif self.stop is not None:
            self.stop()


@dataclass(eq=False)
class _Waiter:
    """A request waiting for a worker."""

    client: str
    since: float
    heavy: bool
    granted: "asyncio.Future[_Worker]"


class _StoppedError(Exception):
    """The client went away: stop writing this answer."""


class _TooLargeError(Exception):
    """An answer run in the server's process grew larger than it may hold."""


class _Sink(Protocol):
    """Where serialized answers are written: pyoxigraph and the writers call only these."""

    def write(self, data: bytes) -> int: ...

    def flush(self) -> None: ...


class _Held:
    """An answer held whole, up to `limit` bytes."""

    def __init__(self, limit: int) -> None:
        self.data = bytearray()
        self._limit = limit

    def write(self, data: bytes) -> int:
        self.data += data
        if len(self.data) > self._limit:
            raise _TooLargeError
        return len(data)

    def flush(self) -> None:
        """Nothing to do: the answer is held until it is complete."""


@dataclass(frozen=True)
class _WorkerSetup:
    """What a worker is started with, besides its pipe and the store's generation."""

    store_path: str
    buffer_bytes: int
    memory_bytes: int
    network: bool  # whether it may reach the network: only when SERVICE may call out


def _worker_main(connection: Connection, generation: int, setup: _WorkerSetup) -> None:
    """A worker's life, bounded in memory (the engine aborts the process when an allocation
    fails, which the pool reads as out of memory), with no network unless SERVICE may call
    out, and run on a thread with a deep stack."""
    resource.setrlimit(resource.RLIMIT_DATA, (setup.memory_bytes, setup.memory_bytes))
    if not setup.network:
        try:
            deny_network()
        except StoreError as exc:
            connection.send(str(exc))
            return
    threading.stack_size(WORKER_STACK_BYTES)
    serving = threading.Thread(
        target=_serve, args=(connection, setup.store_path, generation, setup.buffer_bytes)
    )
    serving.start()
    serving.join()


def _serve(connection: Connection, store_path: str, generation: int, buffer_bytes: int) -> None:
    """Copy the store into memory, then answer jobs until told to stop, copying it again
    when a job says the store has changed since."""
    try:
        memory = _copy_of(store_path)
    except (OSError, RuntimeError) as exc:
        connection.send(f"cannot read the store: {exc}")
        return
    connection.send("ready")
    while True:
        try:
            message = connection.recv()
        except EOFError:
            return
        if message == STOP:
            continue  # for an answer that had ended as the STOP was sent
        wanted, job = message
        if wanted != generation:
            try:
                memory, generation = _copy_of(store_path), wanted
            except (OSError, RuntimeError) as exc:
                connection.send(("store", f"cannot reload the store after a change: {exc}"))
                continue
        _answer(memory, job, connection, buffer_bytes)


def _copy_of(store_path: str, attempts: int = 10) -> pyoxigraph.Store:
    """An in-memory copy of the on-disk store, read through a read-only handle, with the
    same named graphs (so `GRAPH <g> {}` answers alike wherever a query runs). The
    owning process may be flushing or compacting meanwhile, which can delete a file the
    handle was about to read; a fresh handle sees the new files, so try again."""
    failures = 0
    while True:
        try:
            on_disk = pyoxigraph.Store.read_only(store_path)
            memory = pyoxigraph.Store()
            memory.bulk_load(on_disk.dump(format=pyoxigraph.RdfFormat.N_QUADS),
                             format=pyoxigraph.RdfFormat.N_QUADS)  # fmt: skip
            for graph in on_disk.named_graphs():  # empty ones too: a dump leaves them out
                memory.add_graph(graph)
            return memory
        except (OSError, RuntimeError):
            failures += 1
            if failures == attempts:
                raise
            time.sleep(0.05 * failures)


def _answer(
    store: pyoxigraph.Store, job: QueryJob, connection: Connection, buffer_bytes: int
) -> None:
    """Run `job` and send its answer: whole if it is small (with the seconds it took),
    else as a head, chunks and an end mark; an error before the head as an error, after
    it as an abort."""
    started = time.perf_counter()
    rows = _Capped(job.row_limit)
    output = _Output(
        connection,
        buffer_bytes,
        lambda: rows.more if rows.done else _more_than_limit(store, job),
    )
    try:
        _serialize(_query(store, job), job.result_format, rows, output)
        if output.streaming and output.truncated != rows.more:
            raise OSError("its rows changed between two runs of the query (is it random?)")
        output.finish(rows.more, time.perf_counter() - started)
    except _StoppedError:
        connection.send(("stopped",))
    except QUERY_ERRORS as exc:
        failure = _failure(exc, started)
        connection.send(("abort", failure[1]) if output.streaming else failure)


def _answer_here(store: pyoxigraph.Store, job: QueryJob, buffer_bytes: int) -> QueryAnswer | None:
    """Run `job` and hold its answer whole; None if it grows beyond `buffer_bytes`."""
    rows = _Capped(job.row_limit)
    held = _Held(buffer_bytes)
    try:
        _serialize(_query(store, job), job.result_format, rows, held)
    except _TooLargeError:
        return None
    return QueryAnswer(body=bytes(held.data), truncated=rows.more)


def _failure(exc: Exception, started: float) -> tuple[str, str]:
    """A failed query's exception as the kind and message `_raise_failure` takes."""
    if isinstance(exc, SyntaxError):
        return ("syntax", str(exc).removeprefix("error "))
    if isinstance(exc, OSError):
        return ("store", f"{exc} (after {time.perf_counter() - started:.1f} s)")
    return ("input", str(exc))  # evaluation errors the query caused


def _raise_failure(kind: str, message: str) -> NoReturn:
    """The accordkg error for a failed query, wherever it ran."""
    if kind == "syntax":
        raise InputError(f"SPARQL syntax error {message}")
    if kind == "input":
        raise InputError(message)
    raise StoreError(f"the query failed: {message}")


def _query(store: pyoxigraph.Store, job: QueryJob) -> Any:
    dataset: dict[str, Any] = {}
    if job.protocol_dataset:
        dataset["default_graph"] = [pyoxigraph.NamedNode(g) for g in job.default_graphs]
        dataset["named_graphs"] = [pyoxigraph.NamedNode(g) for g in job.named_graphs]
    return store.query(
        job.query,
        base_iri=job.base_iri,
        use_default_graph_as_union=job.union_default_graph,
        **dataset,
    )


def _more_than_limit(store: pyoxigraph.Store, job: QueryJob) -> bool:
    """Whether the query has more rows than the limit, found by running it again and
    counting (no row is kept): the store copy does not change during a job."""
    result = _query(store, job)
    return sum(1 for _ in islice(result, job.row_limit + 1)) > job.row_limit


class _Capped:
    """Passes on at most `limit` rows of an answer and notes whether there were more."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.more = False
        self.done = False

    def __call__(self, items: Iterable[Any]) -> Iterator[Any]:
        for count, item in enumerate(items):
            if count == self.limit:
                self.more = True
                break
            yield item
        self.done = True


class _Output:
    """Where an answer is written: held until it is complete or larger than `buffer_bytes`,
    then sent on as a head (saying whether the limit cut it) and chunks of CHUNK_BYTES."""

    def __init__(
        self, connection: Connection, buffer_bytes: int, truncation: Callable[[], bool]
    ) -> None:
        self._connection = connection
        self._buffer_bytes = buffer_bytes
        self._truncation = truncation
        self._buffer = bytearray()
        self.streaming = False
        self.truncated = False

    def write(self, data: bytes) -> int:
        self._buffer += data
        if not self.streaming and len(self._buffer) > self._buffer_bytes:
            self.truncated = self._truncation()
            self._connection.send(("head", self.truncated))
            self.streaming = True
        if self.streaming and len(self._buffer) >= CHUNK_BYTES:
            self._send_buffer()
        return len(data)

    def flush(self) -> None:
        """Chunks go when full; serializers may call this at any time."""

    def finish(self, truncated: bool, seconds: float) -> None:
        if not self.streaming:
            self._connection.send(("ok", bytes(self._buffer), truncated, seconds))
            return
        self._send_buffer()
        self._connection.send(("end",))

    def _send_buffer(self) -> None:
        data = bytes(self._buffer)
        self._buffer = bytearray()
        for start in range(0, len(data), CHUNK_BYTES):
            self._connection.send(("chunk", data[start : start + CHUNK_BYTES]))
        if self._connection.poll():  # mid-answer, the pool sends nothing but STOP
            self._connection.recv()
            raise _StoppedError


def _serialize(result: Any, result_format: str, rows: _Capped, output: _Sink) -> None:
    sink = cast(IO[bytes], output)  # pyoxigraph calls only write() and flush()
    if isinstance(result, pyoxigraph.QueryBoolean):
        result.serialize(sink, format=BOOLEAN_FORMATS[result_format])
    elif isinstance(result, pyoxigraph.QueryTriples):
        triples: Iterable[Any] = rows(result)
        if result_format == "nquads":
            triples = (pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in triples)
        pyoxigraph.serialize(triples, sink, format=RDF_FORMATS[result_format])
    else:
        _write_solutions(
            SOLUTION_LAYOUTS[result_format],
            [v.value for v in result.variables],
            rows(result),
            output,
        )


@dataclass(frozen=True)
class _SolutionLayout:
    """How one result format lays out solutions: a head naming the variables, each row
    as its bindings between `row_start` and `row_end`, and a tail."""

    head: Callable[[list[str]], str]
    binding: Callable[[str, Any], str]  # a bound variable's text: (name, term) -> text
    unbound: str | None  # an unbound variable's text, or None to leave it out
    row_start: str
    separator: str  # between the bindings of a row
    row_end: str
    between_rows: str
    tail: str


def _write_solutions(
    layout: _SolutionLayout, variables: list[str], rows: Iterable[Any], output: _Sink
) -> None:
    """Write solutions in `layout`. Each term's text is made once per variable and then
    looked up: answers repeat terms (the same party in many rows), and making the text
    costs several times more than finding it."""
    texts: list[dict[Any, str]] = [{} for _ in variables]
    columns = list(enumerate(variables))

    def row_text(row: Any) -> str:
        parts = []
        for index, name in columns:
            term = row[index]
            if term is None:
                if layout.unbound is not None:
                    parts.append(layout.unbound)
                continue
            text = texts[index].get(term)
            if text is None:
                text = texts[index][term] = layout.binding(name, term)
            parts.append(text)
        return layout.row_start + layout.separator.join(parts) + layout.row_end

    rows_text = _separated(map(row_text, rows), layout.between_rows)
    _write_batched(output, layout.head(variables), rows_text, layout.tail)


def _separated(items: Iterable[str], separator: str) -> Iterator[str]:
    for index, item in enumerate(items):
        yield item if index == 0 else separator + item


def _write_batched(output: _Sink, head: str, parts: Iterable[str], tail: str) -> None:
    """Write `head`, the parts and `tail` in pieces of about WRITE_BYTES: a write per row
    would cost more than the row."""
    batch = [head]
    size = 0
    for part in parts:
        batch.append(part)
        size += len(part)
        if size >= WRITE_BYTES:
            output.write("".join(batch).encode("utf-8"))
            batch.clear()
            size = 0
    batch.append(tail)
    output.write("".join(batch).encode("utf-8"))


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


def _json_value(term: Any) -> str:
    """The term as a SPARQL JSON binding value: what json.dumps(_json_term(term)) writes,
    several times faster."""
    value = _json_term(term)
    members = [f"{json_string(key)}: {json_string(text)}" for key, text in value.items()]
    return "{" + ", ".join(members) + "}"


def _xml_binding(name: str, term: Any) -> str:
    value = _json_term(term)
    if value["type"] == "literal":
        attributes = "".join(
            f" {key}={quoteattr(value[key])}" for key in ("xml:lang", "datatype") if key in value
        )
        inner = f"<literal{attributes}>{escape(value['value'], XML_TEXT)}</literal>"
    else:
        inner = f"<{value['type']}>{escape(value['value'])}</{value['type']}>"
    return f"<binding name={quoteattr(name)}>{inner}</binding>"


def _csv_field(_: str, term: Any) -> str:
    if isinstance(term, pyoxigraph.BlankNode):
        return _csv_text(f"_:{term.value}")
    return _csv_text(str(term.value) if hasattr(term, "value") else str(term))


def _csv_text(text: str) -> str:
    """RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled."""
    if any(character in text for character in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


SOLUTION_LAYOUTS = {
    "json": _SolutionLayout(
        head=lambda variables: (
            json.dumps({"head": {"vars": variables}})[:-1] + ', "results": {"bindings": ['
        ),
        binding=lambda name, term: f"{json_string(name)}: {_json_value(term)}",
        unbound=None,
        row_start="{",
        separator=", ",
        row_end="}",
        between_rows=", ",
        tail="]}}",
    ),
    "xml": _SolutionLayout(
        head=lambda variables: (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            '<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>'
            + "".join(f"<variable name={quoteattr(name)}/>" for name in variables)
            + "</head><results>"
        ),
        binding=_xml_binding,
        unbound=None,
        row_start="<result>",
        separator="",
        row_end="</result>",
        between_rows="",
        tail="</results></sparql>\n",
    ),
    "csv": _SolutionLayout(
        head=lambda variables: ",".join(map(_csv_text, variables)) + "\r\n",
        binding=_csv_field,
        unbound="",
        row_start="",
        separator=",",
        row_end="\r\n",
        between_rows="",
        tail="",
    ),
    "tsv": _SolutionLayout(
        head=lambda variables: "\t".join(f"?{name}" for name in variables) + "\n",
        binding=lambda _, term: str(term),
        unbound="",
        row_start="",
        separator="\t",
        row_end="\n",
        between_rows="",
        tail="",
    ),
}
