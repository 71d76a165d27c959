"""/health: what the store holds, and whether queries can be answered yet."""

import threading
from concurrent.futures import Future
from concurrent.futures import TimeoutError as NotYet

from fastapi import APIRouter
from fastapi.responses import JSONResponse

import accordkg
from accordkg.api.openapi import answers
from accordkg.sparql.runner import QueryRunner
from accordkg.store import Store
from accordkg.traversal.service import Traversal

COUNT_WAIT_S = 0.5


class TripleCount:
    """The store's triple count, made once per store generation in a thread of its own
    and waited for at most COUNT_WAIT_S: a count reads every key (about 10 s at 10M
    triples), longer than a load balancer waits for its health check."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._generation: int | None = None
        self._count: Future[int] = Future()

    def get(self) -> int | None:
        """The count for the store as it is, or None while it is still being made."""
        generation = self.store.generation
        with self._lock:
            if generation != self._generation or _failed(self._count):
                self._generation, self._count = generation, Future()
                threading.Thread(target=self._make, args=(self._count,), daemon=True).start()
            count = self._count
        try:
            return count.result(timeout=COUNT_WAIT_S)
        except NotYet:
            return None

    def _make(self, count: "Future[int]") -> None:
        try:
            count.set_result(self.store.triple_count())
        except Exception as exc:  # reaches the requests that wait for the count
            count.set_exception(exc)


def _failed(count: "Future[int]") -> bool:
    """Whether the count failed (it is made again)."""
    return count.done() and count.exception() is not None


def health_router(store: Store, runner: QueryRunner, traversal: Traversal) -> APIRouter:
    router = APIRouter(tags=["service"])
    triples = TripleCount(store)

    @router.get(
        "/health",
        responses=answers(
            ["application/json"],
            "Starting: no query worker has loaded the store yet (the body is the health "
            'document, with status "starting").',
            status=503,
        ),
    )
    def health() -> JSONResponse:
        """What the store holds, and whether queries can be answered yet: 503 with status
        "starting" while the query workers load their copies of the store. `triples` is
        null while a large store is still being counted (after a start or a write)."""
        ready = runner.ready()
        health = {
            "status": "ok" if ready else "starting",
            "version": accordkg.__version__,
            "graphs": store.graph_names(),
            "triples": triples.get(),
            "query_workers": runner.status(),
            "graph": traversal.status(),
        }
        return JSONResponse(health, status_code=200 if ready else 503)

    return router
