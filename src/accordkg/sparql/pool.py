"""SPARQL queries run in worker processes, so a query past its time limit is really stopped.

A running pyoxigraph query cannot be interrupted inside its own process, so each query
runs in one of a few worker processes, each answering from a read-only handle on the
durable store from the moment it starts, and from an in-memory copy once it has loaded
one, if one fits its memory budget (accordkg.sparql.worker). A query that runs past the
limit has its worker killed and replaced; other requests keep being served by the other
workers, and a request that finds every worker busy waits a bounded time, then gets a
clear 503.

The answer to a heavier query is kept (up to ANSWER_CACHE_BYTES, the least recently used
forgotten) and given again from memory until the store changes, if every run of the query
does the same work: an answer sent whole that took a worker more than LIGHT_S of CPU time,
and a streamed one of up to KEPT_STREAM_BYTES, copied to a temporary file as it passes to
its client (the server holds no stream in memory) and kept once it has come to its end.

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

Answers stream: a worker (accordkg.sparql.worker) sends a small answer whole, in one
message, and a large one as chunks the HTTP response passes on as they come, so neither
process holds all of it. A stream is bounded by the same time limit as the query: a
client too slow to take the answer in time gets an incomplete response.
"""

import asyncio
import os
import signal
import tempfile
import threading
import time
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from functools import partial
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from accordkg.errors import QueryMemoryError, QueryTimeoutError, StoreError, UnavailableError
from accordkg.processes import fork_server
from accordkg.sparql.messages import (
    Aborted,
    Chunk,
    End,
    Failed,
    FromWorker,
    Head,
    Ready,
    Run,
    Stop,
    Whole,
)
from accordkg.sparql.runner import QueryAnswer, QueryJob
from accordkg.sparql.text import runs_alike
from accordkg.sparql.worker import QUERY_ERRORS, WorkerSetup, answer_here, failure_of, worker_main
from accordkg.store import EmbeddedStore

LIGHT_S = 0.002  # a query a worker spent at most this CPU time on may run in the server's process
LIGHT_HERE_S = 0.01  # a light query that took longer here goes back to the workers
LIGHT_JOBS = 1024  # how many light queries are remembered, the least recently used forgotten
ANSWER_CACHE_BYTES = 64 * 1024**2  # how much of the answers to heavier queries is kept
KEPT_STREAM_BYTES = 16 * 1024**2  # the largest streamed answer kept
# Fair shares when every worker is taken (see QueryPool): a client is heavy for HEAVY_S
# after one of its queries ran to the time limit or was stopped to make room; a request
# that has waited WAIT_BEFORE_MAKING_ROOM_S makes room by stopping a stream whose client
# took nothing for STALLED_S, else the youngest query running for over LONG_S.
HEAVY_S = 60.0
WAIT_BEFORE_MAKING_ROOM_S = 0.05
STALLED_S = 0.25
LONG_S = 1.0


class QueryPool:
    """A fixed number of query workers over `store`, which light queries use directly.

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
        copy_bytes: int,
        network: bool = False,
    ) -> None:
        self._store = store
        self._memory_bytes = memory_bytes
        self._copy_bytes = copy_bytes  # the memory each worker's in-memory copy may take
        self._network = network  # whether workers may reach the network (SERVICE allowed)
        self._light: OrderedDict[QueryJob, int] = OrderedDict()  # job: generation it was light in
        # The answers kept: by job, the generation, body and truncation of each.
        self._answers: OrderedDict[QueryJob, tuple[int, bytes, bool]] = OrderedDict()
        self._answer_bytes = 0
        self._buffer_bytes = buffer_bytes
        self._size = size
        self._timeout_s = timeout_s
        self._wait_s = wait_s
        self._context = fork_server()  # a worker starts in milliseconds
        self._idle: list[_Worker] = []
        self._waiting: deque[_Waiter] = deque()
        self._running: dict[_Worker, _Running] = {}
        self._heavy: dict[str, float] = {}  # client: until when (loop time) it is heavy
        self._making_room: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = threading.Event()
        self._workers: set[_Worker] = set()
        self._loaded: set[_Worker] = set()  # the workers that have opened the store
        self._starting = 0  # workers asked for and not yet ready (or failed)
        self._lock = threading.Lock()
        self._generation = 0
        self._stopping: set[asyncio.Task[None]] = set()

    def invalidate(self) -> None:
        """The store changed: each worker reads it afresh before its next query, and no
        answer kept from before is given again."""
        self._generation += 1
        self._answers.clear()
        self._answer_bytes = 0

    @property
    def generation(self) -> int:
        """How many times the store has changed: an answer holds for its generation."""
        return self._generation

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
        answer = self.answer_light(job)
        if answer is not None:
            return answer
        kept = self._answers.get(job)
        if kept is not None and kept[0] == self._generation:
            self._answers.move_to_end(job)
            return QueryAnswer(body=kept[1], truncated=kept[2])
        worker = await self._take(client)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._timeout_s
        self._running[worker] = _Running(client, loop.time())
        generation = self._generation
        try:
            worker.connection.send(Run(generation, job))
        except OSError as exc:  # it died while idle
            self._retire(worker)
            self._replace()
            raise StoreError("the query worker had died; try again") from exc
        try:
            message = await self.receive(worker, deadline)
        except asyncio.CancelledError:
            self.release(worker, deadline)
            raise
        if isinstance(message, Head):
            truncated = message.truncated
            keep = partial(self._keep, job, generation, truncated=truncated)
            stream = WorkerStream(self, worker, deadline, keep if runs_alike(job.query) else None)
            self._running[worker].stream = stream
            return QueryAnswer(body=stream, truncated=message.truncated)
        self.give_back(worker)
        if not isinstance(message, Whole):
            raise _failure(message)
        if runs_alike(job.query):
            if message.seconds > LIGHT_S:
                self._keep(job, generation, message.body, truncated=message.truncated)
            elif self._timeout_s > LIGHT_HERE_S:
                self._light[job] = generation
                if len(self._light) > LIGHT_JOBS:
                    self._light.popitem(last=False)
        return QueryAnswer(body=message.body, truncated=message.truncated)

    def answer_light(self, job: QueryJob) -> QueryAnswer | None:
        """The answer to `job` run here, now, if it is light on the store as it is; None
        if it is not (or its answer turned out too large to hold): then `run` it."""
        if self._light.get(job) != self._generation:
            return None
        return self._run_here(job)

    def _keep(self, job: QueryJob, generation: int, body: bytes, *, truncated: bool) -> None:
        """Keep a heavier query's answer for the store as it is, within ANSWER_CACHE_BYTES."""
        if generation != self._generation or len(body) > ANSWER_CACHE_BYTES:
            return  # the store changed while it ran
        if (replaced := self._answers.pop(job, None)) is not None:
            self._answer_bytes -= len(replaced[1])
        self._answers[job] = (generation, body, truncated)
        self._answer_bytes += len(body)
        while self._answer_bytes > ANSWER_CACHE_BYTES:
            _, (_, forgotten, _) = self._answers.popitem(last=False)
            self._answer_bytes -= len(forgotten)

    def _run_here(self, job: QueryJob) -> QueryAnswer | None:
        """A light job's answer, run in this process on the store itself; None if it turned
        out too large to hold. A slow or failed run makes it a worker's job again."""
        started, worked_from = time.perf_counter(), time.thread_time()
        try:
            answer = answer_here(self._store.oxigraph, job, self._buffer_bytes)
        except QUERY_ERRORS as exc:
            del self._light[job]
            raise failure_of(exc, started).error() from exc
        if answer is None or time.thread_time() - worked_from > LIGHT_HERE_S:  # its own work
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
                self.give_back(waiter.granted.result())  # granted just as the request gave up
            else:
                waiter.granted.cancel()
                self._waiting.remove(waiter)
            if isinstance(exc, asyncio.CancelledError):
                raise
        if not self._loaded:
            raise UnavailableError("the query workers are still opening the store; try again")
        raise UnavailableError(
            f"all {self._size} query workers stayed busy for {self._wait_s:g} s; try again"
        )

    def give_back(self, worker: "_Worker") -> None:
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

    async def receive(self, worker: "_Worker", deadline: float) -> FromWorker:
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
            message: FromWorker = worker.connection.recv()
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

    def release(self, worker: "_Worker", deadline: float) -> None:
        """A stream was closed before its end: tell the worker to stop, and take it back
        once it has (in a task of its own, as the request may be being cancelled)."""
        task = asyncio.get_running_loop().create_task(self._stop(worker, deadline))
        self._stopping.add(task)
        task.add_done_callback(self._stopping.discard)

    async def _stop(self, worker: "_Worker", deadline: float) -> None:
        try:
            worker.connection.send(Stop())
            while isinstance(await self.receive(worker, deadline), Head | Chunk):
                pass
        except (QueryTimeoutError, UnavailableError, StoreError, OSError):
            self._retire(worker)  # replaced already unless sending STOP failed
            return
        self.give_back(worker)

    def status(self) -> dict[str, object]:
        """How many workers the pool has, how many have opened the store and are ready, how
        many are idle now, how many light queries it knows for the store as it is, and how
        many answers it keeps."""
        light = sum(1 for generation in self._light.values() if generation == self._generation)
        return {
            "size": self._size,
            "ready": len(self._loaded),
            "idle": len(self._idle),
            "waiting": len(self._waiting),
            "light_queries": light,
            "kept_answers": len(self._answers),
        }

    def ready(self) -> bool:
        """Whether a worker has opened the store, so queries can be answered."""
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
        """Start one worker and hand it to requests once it has opened the store."""
        if self._closed.is_set():
            return
        ours, theirs = self._context.Pipe()
        process = self._context.Process(
            target=worker_main,
            args=(
                theirs,
                self._generation,
                WorkerSetup(
                    str(self._store.path),
                    self._buffer_bytes,
                    self._memory_bytes,
                    self._copy_bytes,
                    self._network,
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
        if not isinstance(ready, Ready) or self._closed.is_set() or self._loop is None:
            self._retire(worker)
            return
        with self._lock:
            self._loaded.add(worker)
        self._loop.call_soon_threadsafe(self.give_back, worker)

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


class WorkerStream:
    """The rest of a large answer, read from its worker as the client takes it.

    The worker is the stream's until the end mark; `close` (called by whoever serves the
    stream, also when the client went away) tells an unfinished worker to stop and gives
    it back to the pool. A time-out or a failure mid-stream raises out of the iteration:
    the body is then incomplete, never a shorter document that looks whole.
    """

    def __init__(
        self,
        pool: QueryPool,
        worker: "_Worker",
        deadline: float,
        keep: Callable[[bytes], None] | None = None,
    ) -> None:
        """`keep` is given the whole answer if it comes to its end within KEPT_STREAM_BYTES."""
        self._pool = pool
        self._worker: _Worker | None = worker
        self._keep = keep
        # A copy of what has passed, while it may be kept.
        self._passed = tempfile.TemporaryFile() if keep else None  # noqa: SIM115 (see _forget)
        self.deadline = deadline
        """When the answer must have been taken, in the event loop's time."""
        self.waiting_since: float | None = None
        """Since when a chunk has waited for the client to take it, if one does."""
        self.cut = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while (worker := self._worker) is not None:
            try:
                message = await self._pool.receive(worker, self.deadline)
            except (QueryTimeoutError, UnavailableError, StoreError):
                self._worker = None  # retired and replaced by the pool
                raise
            if isinstance(message, Chunk):
                self._copy(message.data)
                self.waiting_since = asyncio.get_running_loop().time()
                yield message.data
                self.waiting_since = None
                continue
            self._worker = None
            self._pool.give_back(worker)
            if not isinstance(message, End):
                reason = message.message if isinstance(message, Aborted) else "it was stopped"
                raise StoreError(f"the answer was cut off: {reason}")
            if self._keep is not None and self._passed is not None:
                self._passed.seek(0)
                self._keep(self._passed.read())
            self._forget()
        if self.cut:
            raise UnavailableError("the answer was cut off: its client took too long")

    def _copy(self, data: bytes) -> None:
        """Copy a chunk for `keep`, until the answer turns out too large to keep."""
        if self._passed is None:
            return
        if self._passed.tell() + len(data) > KEPT_STREAM_BYTES:
            self._forget()
        else:
            self._passed.write(data)

    def _forget(self) -> None:
        """Keep nothing of this answer."""
        if self._passed is not None:
            self._passed.close()
        self._keep = self._passed = None

    def close(self) -> None:
        self._forget()
        if self._worker is not None:
            self._pool.release(self._worker, self.deadline)
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
    stream: WorkerStream | None = None
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


def _failure(message: FromWorker) -> Exception:
    """The error a worker's answer other than Whole stands for."""
    if isinstance(message, Failed):
        return message.error()
    return StoreError(f"the query worker answered out of turn: {message!r}")
