"""The store's triple count for the pages that report it (/health, the service
description), made without making them wait."""

import threading
from concurrent.futures import Future
from concurrent.futures import TimeoutError as NotYet

from accordkg.store.interface import Store

COUNT_WAIT_S = 0.5


class TripleCount:
    """The store's triple count, made once per store generation in a thread of its own
    and waited for at most COUNT_WAIT_S: a count reads every key (about 10 s at 10M
    triples), longer than a load balancer waits for its health check or a SPARQL client
    for the service description."""

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
