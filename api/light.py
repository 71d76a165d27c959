"""Light queries answered in front of the whole application.

A query the pool answers on the durable store itself (a light one: see
accordkg.sparql.pool) takes a few hundred microseconds at most; the framework's layers
around it (FastAPI's telemetry check, its error and body-limit middleware, CORS, reading
the request into a job, building the URL it resolves against) took several times that.
`LightQueries` sits in front of all of them. A GET or POST of /sparql whose job the pool
answers here and now is answered directly, with the status, headers (CORS's included)
and body the full path gives it, and remembered: the same request again, while the store
has not changed (the pool's generation, which every write moves on), gets the same answer
without running the query again, as a worker's copy of the store would give it. Anything
else, or anything that fails, goes on to the application untouched, a POST's body as it
was read.

A request is known by what the full path reads of it: method, query string, body, the
Accept, Content-Type, Host and Origin headers, scheme, server and root path. The same key
always makes the same job (settings are read once).
"""

from collections import OrderedDict, deque
from collections.abc import Hashable
from dataclasses import dataclass

from fastapi import Request
from starlette.types import Message, Receive, Scope, Send

from accordkg.api.sparql import FAST, TRUNCATED_HEADER, SparqlQueries
from accordkg.errors import AccordError
from accordkg.sparql.pool import LIGHT_JOBS, QueryPool
from accordkg.sparql.runner import QueryJob

KEYED_HEADERS = frozenset({b"accept", b"content-type", b"host", b"origin"})  # what /sparql reads
# At most LIGHT_JOBS requests are remembered, each with its answer, if together they are
# no larger than this.
REMEMBERED_BYTES = 16_384


class LightQueries:
    """Answers the light queries of /sparql before the application sees them. `cors` are
    the headers the CORS middleware adds to the answer of a request with an Origin; every
    answer varies with Accept and Origin, as the full path's do."""

    def __init__(
        self,
        queries: SparqlQueries,
        pool: QueryPool,
        max_body_bytes: int,
        row_limit: int,
        cors: dict[str, str],
    ) -> None:
        self._queries = queries
        self._pool = pool
        self._max_body_bytes = max_body_bytes
        self._truncated = (
            TRUNCATED_HEADER.lower().encode("latin-1"),
            f"true; limit={row_limit}".encode("latin-1"),
        )
        self._cors = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in cors.items()]
        self._known: OrderedDict[Hashable, _Known] = OrderedDict()  # by request key

    async def answer(self, scope: Scope, receive: Receive, send: Send) -> Receive | None:
        """Answer the request if it is a light query, and return None; else return what
        the application must read the request from (a POST's body replayed)."""
        if scope["type"] != "http" or scope["path"] != "/sparql" or scope["method"] not in FAST:
            return receive
        if _may_prefer_html(scope) and self._queries.wants_workbench(Request(scope)):
            return receive  # a browser: the workbench page
        read: list[Message] = []  # of a POST's body, for the application to read again
        body = b""
        if scope["method"] == "POST":
            read, whole = await self._read_body(scope, receive)
            if whole is None:
                return _replayed(read, receive)
            body = whole
        headers = tuple((name, value) for name, value in scope["headers"] if name in KEYED_HEADERS)
        key = (
            scope["method"],
            scope["query_string"],
            body,
            headers,
            scope.get("scheme"),
            tuple(scope.get("server") or ()),  # a list, from some servers
            scope.get("root_path"),
        )
        known = self._known.get(key)
        if known is not None and known.generation == self._pool.generation:
            self._known.move_to_end(key)
            await _send(send, known.head, known.body)
            return None
        generation = self._pool.generation  # before the run: a change during it is newer
        job = None if known is None else known.job
        try:
            if job is None:
                job = await self._job(Request(scope, _replayed(read, receive)))
            answer = None if job is None else self._pool.answer_light(job)
        except AccordError:  # the full path answers it, as it answers every error
            answer = None
        if job is None or answer is None or not isinstance(answer.body, bytes):
            return _replayed(read, receive) if read else receive
        head = self._head(
            job,
            answer.truncated,
            len(answer.body),
            origin=any(name == b"origin" for name, _ in headers),
        )
        if len(scope["query_string"]) + len(body) + len(answer.body) <= REMEMBERED_BYTES:
            self._remember(key, _Known(job, generation, head, answer.body))
        await _send(send, head, answer.body)
        return None

    def _head(
        self, job: QueryJob, truncated: bool, length: int, *, origin: bool
    ) -> list[tuple[bytes, bytes]]:
        """The headers the full path answers with: run_job's, then CORS's."""
        head = [(b"vary", b"Accept, Origin")]  # run_job's Vary, Origin added by CORS
        if truncated:
            head.append(self._truncated)
        head.append((b"content-length", b"%d" % length))
        head.append((b"content-type", job.result_format.content_type.encode("latin-1")))
        if origin:
            head.extend(self._cors)
        return head

    async def _read_body(
        self, scope: Scope, receive: Receive
    ) -> tuple[list[Message], bytes | None]:
        """The messages read of a POST's body, and the body if it came whole within the
        limit (the full path refuses a larger one, and reads no further than one chunk
        past it either)."""
        declared = next((v for k, v in scope["headers"] if k == b"content-length"), b"")
        if declared.isdigit() and int(declared) > self._max_body_bytes:
            return [], None
        read: list[Message] = []
        size = 0
        while True:
            message = await receive()
            read.append(message)
            if message["type"] != "http.request":
                return read, None
            size += len(message.get("body", b""))
            if size > self._max_body_bytes:
                return read, None
            if not message.get("more_body", False):
                return read, b"".join(m.get("body", b"") for m in read)

    async def _job(self, request: Request) -> QueryJob | None:
        """The request's job, read as the full path reads it (None: not a query)."""
        return await self._queries.job(request, await self._queries.fields(request))

    def _remember(self, key: Hashable, known: "_Known") -> None:
        self._known[key] = known
        self._known.move_to_end(key)
        if len(self._known) > LIGHT_JOBS:
            self._known.popitem(last=False)


@dataclass(frozen=True)
class _Known:
    """A light request: its job, and its answer as sent, which holds while the store is
    at `generation`."""

    job: QueryJob
    generation: int
    head: list[tuple[bytes, bytes]]
    body: bytes


def _may_prefer_html(scope: Scope) -> bool:
    """Whether a GET's Accept names HTML at all (the workbench's check is then needed)."""
    return scope["method"] == "GET" and any(
        name == b"accept" and b"html" in value for name, value in scope["headers"]
    )


async def _send(send: Send, head: list[tuple[bytes, bytes]], body: bytes) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": head})
    await send({"type": "http.response.body", "body": body})


def _replayed(read: list[Message], receive: Receive) -> Receive:
    """`receive`, the messages already read from it first."""
    pending = deque(read)

    async def replay() -> Message:
        return pending.popleft() if pending else await receive()

    return replay
