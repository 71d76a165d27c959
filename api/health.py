"""/health: what the store holds, and whether queries can be answered yet."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

import accordkg
from accordkg.api.openapi import answers
from accordkg.sparql.runner import QueryRunner
from accordkg.store import Store
from accordkg.store.count import TripleCount
from accordkg.traversal.service import Traversal


def health_router(
    store: Store, triples: TripleCount, runner: QueryRunner, traversal: Traversal
) -> APIRouter:
    router = APIRouter(tags=["service"])

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
