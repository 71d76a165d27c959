"""What /sparql asks of whatever runs its queries: a job in, an answer out.

Two runners implement it: the pool of worker processes over the embedded store
(accordkg.sparql.pool) and a remote SPARQL server (accordkg.sparql.remote).
"""

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Protocol

from accordkg.sparql.formats import Format


@dataclass(frozen=True)
class QueryJob:
    """One query to run: its text, dataset, the chosen format and the row limit. A
    protocol dataset (default-graph-uri, named-graph-uri) replaces the query's own whole:
    graphs it does not name are not in it."""

    query: str
    result_format: Format
    row_limit: int
    union_default_graph: bool
    base_iri: str | None = None
    protocol_dataset: bool = False
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


class AnswerStream(Protocol):
    """The rest of a large answer, as its runner writes it. Whoever serves it calls
    `close` however the response ends (the client gone included), and stops waiting for
    it at `deadline` (in the event loop's time)."""

    deadline: float

    def __aiter__(self) -> AsyncIterator[bytes]: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class QueryAnswer:
    """A serialized answer: whole, or a stream of chunks when it is large. `truncated` when
    the row limit cut it short, known before the first byte of the body."""

    body: bytes | AnswerStream
    truncated: bool


class QueryRunner(Protocol):
    """Where /sparql queries run: the worker pool, or a remote SPARQL server."""

    def start(self, loop: asyncio.AbstractEventLoop) -> None: ...

    async def run(self, job: QueryJob, client: str = "") -> QueryAnswer: ...

    def invalidate(self) -> None: ...

    def status(self) -> dict[str, object]: ...

    def ready(self) -> bool: ...

    async def close(self) -> None: ...
