"""Light queries answered in front of the whole application.

A query the pool answers on the durable store itself (a light one: see
accordkg.sparql.pool) takes a few tens of microseconds; the framework's layers around it
(FastAPI's telemetry check, its error and body-limit middleware, CORS, parsing the request
into a job, building the URL it resolves against) took several times that. `LightQueries`
sits in front of all of them: a GET or POST of /sparql that it has seen before, whose job
the pool answers here and now, is answered directly, with the status, headers (CORS's
included) and body the full path gives it. Anything else, or anything that fails, goes on
to the application untouched, a POST's body as it was read.

A request is known by what the full path reads of it: method, query string, body, the
Accept, Content-Type, Host and Origin headers, scheme, server and root path. The same key
always makes the same job (settings are read once), so the job is remembered, not redone.
"""

from collections import OrderedDict, deque
from collections.abc import Hashable

from fastapi import Request
from starlette.types import Message, Receive, Scope, Send

from accordkg.api.sparql import FAST, TRUNCATED_HEADER, SparqlQueries
from accordkg.errors import AccordError
from accordkg.sparql.pool import LIGHT_JOBS, QueryPool
from accordkg.sparql.runner import QueryJob

KEYED_HEADERS = frozenset({b"accept", b"content-type", b"host", b"origin"})  # what /sparql reads


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
        self._jobs: OrderedDict[Hashable, QueryJob] = OrderedDict()  # request key: its job

    async def answer(self, scope: Scope, receive: Receive, send: Send) -> Receive | None:
        """Answer the request if it is a light query, and return None; else return what
        the application must read the request from (a POST's body replayed)."""
        if scope["type"] != "http" or scope["path"] != "/sparql" or scope["method"] not in FAST:
            return receive
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
        job = self._jobs.get(key)
        try:
            if job is None:
                job = await self._job(Request(scope, _replayed(read, receive)))
            answer = None if job is None else self._pool.answer_light(job)
        except AccordError:  # the full path answers it, as it answers every error
            answer = None
        if job is None or answer is None or not isinstance(answer.body, bytes):
            return _replayed(read, receive) if read else receive
        self._remember(key, job)
        head = [(b"vary", b"Accept, Origin")]  # run_job's Vary, Origin added by CORS
        if answer.truncated:
            head.append(self._truncated)
        head.append((b"content-length", b"%d" % len(answer.body)))
        head.append((b"content-type", job.result_format.content_type.encode("latin-1")))
        if any(name == b"origin" for name, _ in headers):
            head.extend(self._cors)
        await send({"type": "http.response.start", "status": 200, "headers": head})
        await send({"type": "http.response.body", "body": answer.body})
        return None

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

    def _remember(self, key: Hashable, job: QueryJob) -> None:
        if key in self._jobs:
            self._jobs.move_to_end(key)
            return
        self._jobs[key] = job
        if len(self._jobs) > LIGHT_JOBS:
            self._jobs.popitem(last=False)


def _replayed(read: list[Message], receive: Receive) -> Receive:
    """`receive`, the messages already read from it first."""
    pending = deque(read)

    async def replay() -> Message:
        return pending.popleft() if pending else await receive()

    return replay
