"""The FastAPI application: the store, the query runner and the middleware, and the routers
(one module each) wired to them; routes translate HTTP to core calls and nothing more."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute
from starlette.types import Receive, Scope, Send

import accordkg
from accordkg.api.assets import ASSETS, assets, docs_router
from accordkg.api.dataset import dataset_router
from accordkg.api.errors import answer_errors, error_responses
from accordkg.api.explore import explore_router
from accordkg.api.graph import graph_router
from accordkg.api.health import health_router
from accordkg.api.light import LightQueries
from accordkg.api.linked_data import linked_data_router, ontology_router
from accordkg.api.mappings import mappings_router
from accordkg.api.openapi import openapi_document
from accordkg.api.queries import queries_router
from accordkg.api.reconcile import reconcile_router
from accordkg.api.sparql import TRUNCATED_HEADER, SparqlFastPath, SparqlQueries, sparql_router
from accordkg.api.writes import graph_store_router, update_router
from accordkg.errors import (
    AccordError,
    ContentTooLargeError,
    ForbiddenError,
    NotAcceptableError,
    NotFoundError,
    QueryMemoryError,
    QueryTimeoutError,
    StoreError,
    UnauthorizedError,
    UnavailableError,
    UnsupportedMediaTypeError,
)
from accordkg.linked_data.workbench import workbench_data
from accordkg.linking.reconcile import Reconciler
from accordkg.resources import ontology_graph
from accordkg.settings import Settings
from accordkg.sparql.pool import QueryPool
from accordkg.sparql.remote import RemoteQueries
from accordkg.sparql.runner import QueryRunner
from accordkg.store import EmbeddedStore, RemoteStore, open_store
from accordkg.store.count import TripleCount
from accordkg.traversal.service import Traversal

RAISED_BY_QUERIES = (
    NotAcceptableError,
    QueryTimeoutError,
    QueryMemoryError,
    UnavailableError,
    StoreError,
)
RAISED_BY_WRITES = (
    UnauthorizedError,
    ForbiddenError,
    UnsupportedMediaTypeError,
    ContentTooLargeError,
    StoreError,
)


# CORS is for reads (README): other origins may query (POST included, as SPARQL and
# /reconcile take queries by POST) but not write: PUT and DELETE are not allowed, nor is
# the Authorization header writes need. Browser code may read the headers that describe
# an answer: its validators, its links, and whether the row limit cut it.
CORS_METHODS = ["GET", "HEAD", "POST", "OPTIONS"]
CORS_HEADERS = ["Cache-Control", "If-None-Match", "X-Requested-With"]  # and the safelisted ones
CORS_EXPOSED = ["ETag", "Repr-Digest", "Link", "Content-Location", TRUNCATED_HEADER]
# What the CORS middleware adds to the answer of a request that has an Origin (all origins
# allowed, no credentials), which LightQueries adds as well.
CORS_ANSWER_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": ", ".join(CORS_EXPOSED),
}


class AccordApp(FastAPI):
    """The FastAPI application, light queries answered in front of it (LightQueries)."""

    def __init__(self, light: LightQueries | None, **options: Any) -> None:
        super().__init__(**options)
        self._light = light

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._light is not None:
            onward = await self._light.answer(scope, receive, send)
            if onward is None:
                return
            receive = onward
        await super().__call__(scope, receive, send)


def _query_runner(store: EmbeddedStore | RemoteStore, settings: Settings) -> QueryRunner:
    """The remote server for a remote store, else the pool of query workers."""
    if isinstance(store, RemoteStore):
        return RemoteQueries(store.query_url, settings.query_timeout_s)
    return QueryPool(
        store,
        settings.query_workers,
        settings.query_timeout_s,
        settings.query_wait_s,
        settings.answer_buffer_bytes,
        memory_bytes=settings.query_memory_bytes,
        copy_bytes=settings.query_copy_bytes,
        network=bool(settings.service_allowlist),
    )


def _compact(store: EmbeddedStore, pool: QueryPool, loop: asyncio.AbstractEventLoop) -> None:
    """Compact the store's files, then have the workers open them afresh (their read-only
    handles read the files as they were when opened). A store loaded in bulk (by `oxigraph
    load`, or pyoxigraph) is read four times slower until it is compacted: 18 s of work at
    10M triples (bench/RESULTS.md), none for a store already compacted."""
    if store.compact():
        loop.call_soon_threadsafe(pool.invalidate)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application; settings are read here, once, unless the caller passes them."""
    settings = settings or Settings()
    store = open_store(settings)
    ontology = ontology_graph()
    runner = _query_runner(store, settings)
    traversal = Traversal.for_settings(store, settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        loop = asyncio.get_running_loop()
        runner.start(loop)
        # Project the graph for /graph now rather than on its first request.
        warming = loop.run_in_executor(None, traversal.source)
        compacting = None
        if isinstance(store, EmbeddedStore) and isinstance(runner, QueryPool):
            compacting = loop.run_in_executor(None, _compact, store, runner, loop)
        yield
        with suppress(AccordError):  # a failure reaches the next /graph request as well
            await warming
        if compacting is not None:
            with suppress(AccordError):  # the store is read as it is, only slower
                await compacting
        await runner.close()
        store.close()

    triples = TripleCount(store)
    queries = SparqlQueries(settings, store, triples, runner, workbench_data(ontology))
    light = None
    if isinstance(runner, QueryPool):  # a remote store's queries all go to its server
        light = LightQueries(
            queries, runner, settings.max_query_bytes, settings.row_limit, CORS_ANSWER_HEADERS
        )
    app = AccordApp(
        light,
        title="accordkg",
        version=accordkg.__version__,
        summary="A knowledge graph of international AI research cooperation agreements.",
        lifespan=lifespan,
        docs_url=None,  # served on local assets (docs_router): the defaults fetch from a CDN
        redoc_url=None,
    )
    app.mount(ASSETS, assets(), name="assets")
    app.add_middleware(SparqlFastPath, queries=queries)  # inside CORS
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=CORS_METHODS,
        allow_headers=CORS_HEADERS,
        expose_headers=CORS_EXPOSED,
    )
    included = _include(
        app,
        (
            sparql_router(queries),
            (*RAISED_BY_QUERIES, UnsupportedMediaTypeError, ContentTooLargeError),
        ),
        (update_router(settings, store, runner), RAISED_BY_WRITES),
        (
            graph_store_router(settings, store, runner),
            (*RAISED_BY_WRITES, *RAISED_BY_QUERIES, NotFoundError),
        ),
        (graph_router(traversal), (NotFoundError, NotAcceptableError, StoreError)),
        (
            reconcile_router(Reconciler(store, settings.base_iri), settings.base_iri),
            (NotFoundError, UnsupportedMediaTypeError, StoreError),
        ),
        (mappings_router(settings, store), (NotFoundError, StoreError)),
        (
            linked_data_router(settings, store, ontology),
            (NotFoundError, NotAcceptableError, StoreError),
        ),
        (ontology_router(ontology), (NotFoundError, NotAcceptableError)),
        (
            dataset_router(settings, store, ontology),
            (NotFoundError, NotAcceptableError, StoreError),
        ),
        (health_router(store, triples, runner, traversal), None),
        (queries_router(settings, runner), None),
        (docs_router(app.openapi_url or "/openapi.json", app.title), None),
        (explore_router(traversal.vocabulary), None),
    )

    answer_errors(app, [*app.router.routes, *included])
    app.openapi = lambda: openapi_document(app)  # type: ignore[method-assign]
    return app


def _include(
    app: FastAPI, *routers: tuple[APIRouter, tuple[type[AccordError], ...] | None]
) -> list[BaseRoute]:
    """Include each router, its routes documenting the errors it raises (`error_responses`;
    None: its routes document their own); their routes, which FastAPI keeps to itself once
    included."""
    included: list[BaseRoute] = []
    for router, raises in routers:
        included.extend(router.routes)
        documented = [r for r in router.routes if isinstance(r, APIRoute) and raises is not None]
        for route in documented:  # responses are the one thing routes leave to us
            route.openapi_extra = {
                **(route.openapi_extra or {}),
                "responses": error_responses(*(raises or ())),
            }
        app.include_router(router)
    return included
