"""A query worker: a process that answers the pool's jobs, so that a query past its time
limit can be stopped by killing the process.

A worker answers at once from a read-only handle on the durable store (opened in
milliseconds, whatever the store's size), and again from a fresh one when a job says the
store has changed since. When an in-memory copy of the store fits the memory budget it is
given, it also loads one in the background and answers from it once it is loaded for
the store as it is: heavy queries answer several times faster in memory, but a copy
takes about 600 bytes a quad and reading the store for it about 45 s a million quads.
It runs bounded in memory, with no network unless SERVICE may call out, on a thread with
a deep stack. Its messages are those of accordkg.sparql.messages.

Whether the row limit cut an answer is said in the head, before the body; so the worker
holds the start of the answer (up to a configured size) until it knows. When the answer
is larger than that and neither ended nor reached the limit yet, it runs the query a
second time, only counting rows up to the limit, to decide; if the streamed pass then
disagrees (a query with RAND() or the like), the answer is cut off visibly rather than
contradict its head.
"""

import os
import resource
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from itertools import islice
from multiprocessing.connection import Connection
from typing import Any, TypeVar

import pyoxigraph

from accordkg.errors import StoreError
from accordkg.sparql.isolation import deny_network
from accordkg.sparql.messages import (
    Aborted,
    CannotStart,
    Cause,
    Chunk,
    End,
    Failed,
    Head,
    Ready,
    Run,
    Stop,
    Stopped,
    Whole,
)
from accordkg.sparql.runner import QueryAnswer, QueryJob

T = TypeVar("T")

CHUNK_BYTES = 64 * 1024  # the size of the pieces a larger answer streams in
QUERY_ERRORS = (SyntaxError, ValueError, TypeError, RuntimeError, OSError)
# A worker answers on a thread with a stack this large: the engine's parser and planner
# recurse once per level of nesting, and a main thread's 8 MiB overflows at a few
# thousand levels, killing the process. Pages of it are used only as deep as a query goes.
WORKER_STACK_BYTES = 64 * 1024**2
# The most memory an in-memory copy takes per quad while it loads (measured: about 600
# bytes a quad loaded, 850 at the peak of the load, at a million quads).
COPY_BYTES_PER_QUAD = 850
# A store this small on disk (some 20,000 quads) is copied in well under a second: the
# worker copies it before it says Ready, and answers from memory from the first query.
QUICK_COPY_DISK_BYTES = 4 * 1024**2


@dataclass(frozen=True)
class WorkerSetup:
    """What a worker is started with, besides its pipe and the store's generation."""

    store_path: str
    buffer_bytes: int
    memory_bytes: int
    copy_bytes: int  # the memory an in-memory copy of the store may take; 0: none
    network: bool  # whether it may reach the network: only when SERVICE may call out


def worker_main(connection: Connection, generation: int, setup: WorkerSetup) -> None:
    """A worker's life, bounded in memory (the engine aborts the process when an allocation
    fails, which the pool reads as out of memory), with no network unless SERVICE may call
    out, and run on a thread with a deep stack."""
    resource.setrlimit(resource.RLIMIT_DATA, (setup.memory_bytes, setup.memory_bytes))
    if not setup.network:
        try:
            deny_network()
        except StoreError as exc:
            connection.send(CannotStart(str(exc)))
            return
    threading.stack_size(WORKER_STACK_BYTES)
    serving = threading.Thread(target=_serve, args=(connection, generation, setup))
    serving.start()
    serving.join()


def _serve(connection: Connection, generation: int, setup: WorkerSetup) -> None:
    """Open the store read-only and say Ready, then answer jobs until the pipe closes, from
    the in-memory copy when one is loaded for the store as it is, else from the handle,
    opened again when a job says the store has changed since."""
    try:
        on_disk = _opened(setup.store_path)
    except (OSError, RuntimeError) as exc:
        connection.send(CannotStart(f"cannot read the store: {exc}"))
        return
    copy = _Copy(setup.store_path, setup.copy_bytes, generation) if setup.copy_bytes else None
    connection.send(Ready())
    while True:
        try:
            message: Run | Stop = connection.recv()
        except EOFError:
            return
        if isinstance(message, Stop):
            continue  # for an answer that had ended as the Stop was sent
        if message.generation != generation:
            try:
                on_disk, generation = _opened(setup.store_path), message.generation
            except (OSError, RuntimeError) as exc:
                connection.send(Failed(Cause.STORE, f"cannot read the store after a change: {exc}"))
                continue
            if copy is not None:
                copy.want(generation)
        memory = copy.loaded(generation) if copy is not None else None
        if memory is not None:
            _answer(memory, message.job, connection, setup.buffer_bytes)
        elif not _answer(on_disk, message.job, connection, setup.buffer_bytes, may_retry=True):
            # The owner compacted files away under the handle: a fresh one reads the new.
            on_disk = _opened(setup.store_path)
            _answer(on_disk, message.job, connection, setup.buffer_bytes)


def _opened(store_path: str) -> pyoxigraph.Store:
    """A read-only handle on the on-disk store: it sees the store as it was when opened."""
    return _retried(lambda: pyoxigraph.Store.read_only(store_path))


def _retried(read: Callable[[], T], attempts: int = 10) -> T:
    """`read()`, tried again a few times: the owning process may be flushing or compacting
    meanwhile, which can delete a file a handle was about to read; a fresh handle sees the
    new files."""
    failures = 0
    while True:
        try:
            return read()
        except (OSError, RuntimeError):
            failures += 1
            if failures == attempts:
                raise
            time.sleep(0.05 * failures)


def _copy_of(store_path: str) -> pyoxigraph.Store:
    """An in-memory copy of the on-disk store with the same named graphs (so
    `GRAPH <g> {}` answers alike wherever a query runs)."""
    on_disk = pyoxigraph.Store.read_only(store_path)
    memory = pyoxigraph.Store()
    memory.bulk_load(on_disk.dump(format=pyoxigraph.RdfFormat.N_QUADS),
                     format=pyoxigraph.RdfFormat.N_QUADS)  # fmt: skip
    for graph in on_disk.named_graphs():  # empty ones too: a dump leaves them out
        memory.add_graph(graph)
    return memory


def _disk_bytes(store_path: str) -> int:
    """The size of the store's files (the owner may remove some meanwhile)."""
    total = 0
    for entry in os.scandir(store_path):
        with suppress(OSError):
            total += entry.stat().st_size
    return total


class _Copy:
    """An in-memory copy of the store, loaded again after each change the worker is told
    of: here and now if the store is under QUICK_COPY_DISK_BYTES, else on a thread of its
    own while the worker answers from disk; only if the store's quads fit `budget_bytes`
    at COPY_BYTES_PER_QUAD."""

    def __init__(self, store_path: str, budget_bytes: int, generation: int) -> None:
        self._store_path = store_path
        self._budget_bytes = budget_bytes
        self._wanted = self._loading = -1
        self._copy: tuple[int, pyoxigraph.Store] | None = None
        self._changed = threading.Condition()
        self.want(generation)
        threading.Thread(target=self._load, daemon=True).start()

    def want(self, generation: int) -> None:
        """The store is at `generation`: a copy of it is to be loaded."""
        with self._changed:
            self._wanted = generation
            self._copy = None  # its memory goes before the next copy takes its own
            if _disk_bytes(self._store_path) <= QUICK_COPY_DISK_BYTES:
                with suppress(OSError, RuntimeError):  # else the thread tries again
                    self._keep(generation, self._copied())
                    self._loading = generation
            self._changed.notify()

    def loaded(self, generation: int) -> pyoxigraph.Store | None:
        """The copy, if one is loaded for `generation`."""
        copy = self._copy
        return copy[1] if copy is not None and copy[0] == generation else None

    def _load(self) -> None:
        """Load a copy for each generation wanted, the latest first."""
        while True:
            with self._changed:
                while self._wanted == self._loading:
                    self._changed.wait()
                generation = self._loading = self._wanted
            try:
                copy = self._copied()
            except (OSError, RuntimeError):
                continue  # answers keep coming from disk
            with self._changed:
                self._keep(generation, copy)

    def _keep(self, generation: int, copy: pyoxigraph.Store | None) -> None:
        if copy is not None and generation == self._wanted:
            self._copy = (generation, copy)

    def _copied(self) -> pyoxigraph.Store | None:
        """A copy of the store as it is, if it fits the budget (it may fit after a change
        that removed quads)."""
        if len(_opened(self._store_path)) * COPY_BYTES_PER_QUAD > self._budget_bytes:
            return None
        return _retried(lambda: _copy_of(self._store_path))


def _answer(
    store: pyoxigraph.Store,
    job: QueryJob,
    connection: Connection,
    buffer_bytes: int,
    *,
    may_retry: bool = False,
) -> bool:
    """Run `job` and send its answer: whole if it is small (with the CPU seconds it took:
    its work, which a busy machine does not stretch as it stretches the wall clock),
    else as a head, chunks and an end; a failure before the head as Failed, after it as
    Aborted. False, with nothing sent, if the store failed before the head and
    `may_retry`."""
    started, working = time.perf_counter(), time.thread_time()
    rows = _Capped(job.row_limit)
    output = _Output(
        connection,
        buffer_bytes,
        lambda: rows.more if rows.done else _more_than_limit(store, job),
    )
    try:
        job.result_format.writer.write(_query(store, job), rows, output)
        if output.streaming and output.truncated != rows.more:
            raise OSError("its rows changed between two runs of the query (is it random?)")
        output.finish(rows.more, time.thread_time() - working)
    except _StoppedError:
        connection.send(Stopped())
    except QUERY_ERRORS as exc:
        if may_retry and isinstance(exc, OSError) and not output.streaming:
            return False
        failure = failure_of(exc, started)
        connection.send(Aborted(failure.message) if output.streaming else failure)
    return True


def answer_here(store: pyoxigraph.Store, job: QueryJob, buffer_bytes: int) -> QueryAnswer | None:
    """Run `job` in this process and hold its answer whole; None if it grows beyond
    `buffer_bytes`. For the light queries the pool runs on the durable store itself."""
    rows = _Capped(job.row_limit)
    held = _Held(buffer_bytes)
    try:
        job.result_format.writer.write(_query(store, job), rows, held)
    except _TooLargeError:
        return None
    return QueryAnswer(body=bytes(held.data), truncated=rows.more)


def failure_of(exc: Exception, started: float) -> Failed:
    """What a failed query's exception says, wherever it ran."""
    if isinstance(exc, SyntaxError):
        return Failed(Cause.SYNTAX, str(exc).removeprefix("error "))
    if isinstance(exc, OSError):
        return Failed(Cause.STORE, f"{exc} (after {time.perf_counter() - started:.1f} s)")
    return Failed(Cause.INPUT, str(exc))  # evaluation errors the query caused


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


class _StoppedError(Exception):
    """The client went away: stop writing this answer."""


class _TooLargeError(Exception):
    """An answer run in the server's process grew larger than it may hold."""


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
            self._connection.send(Head(self.truncated))
            self.streaming = True
        if self.streaming and len(self._buffer) >= CHUNK_BYTES:
            self._send_buffer()
        return len(data)

    def flush(self) -> None:
        """Chunks go when full; serializers may call this at any time."""

    def finish(self, truncated: bool, seconds: float) -> None:
        if not self.streaming:
            self._connection.send(Whole(bytes(self._buffer), truncated, seconds))
            return
        self._send_buffer()
        self._connection.send(End())

    def _send_buffer(self) -> None:
        data = bytes(self._buffer)
        self._buffer = bytearray()
        for start in range(0, len(data), CHUNK_BYTES):
            self._connection.send(Chunk(data[start : start + CHUNK_BYTES]))
        if self._connection.poll():  # mid-answer, the pool sends nothing but Stop
            self._connection.recv()
            raise _StoppedError
