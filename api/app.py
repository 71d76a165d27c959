"""The FastAPI application: routes translate HTTP to core calls and nothing more."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Annotated

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response

import accordkg
from accordkg.api.dataset import dataset_router
from accordkg.api.graph import graph_router
from accordkg.api.linked_data import linked_data_router, ontology_router
from accordkg.api.mappings import mappings_router
from accordkg.api.reconcile import reconcile_router
from accordkg.api.sparql import (
    FORMAT_PARAMETERS,
    RESULT_OFFERS,
    TRUNCATED_HEADER,
    SparqlFastPath,
    SparqlQueries,
    choose_format,
    run_job,
    sparql_router,
)
from accordkg.api.writes import graph_store_router, update_router
from accordkg.errors import (
    AccordError,
    ContentTooLargeError,
    ForbiddenError,
    InputError,
    NotAcceptableError,
    NotFoundError,
    QueryMemoryError,
    QueryTimeoutError,
    StoreError,
    UnauthorizedError,
    UnavailableError,
    UnsupportedMediaTypeError,
    ValidationError,
)
from accordkg.named_queries import bound_query, named_queries, named_query
from accordkg.query_pool import QueryJob, QueryPool, QueryRunner, RemoteQueries
from accordkg.reconcile import Reconciler
from accordkg.resources import ontology_graph
from accordkg.results import MEDIA_TYPES
from accordkg.settings import Settings
from accordkg.store import RemoteStore, open_store
from accordkg.traversal.service import Traversal

# Most specific first: the first class an error is an instance of decides its status.
STATUS_BY_ERROR: dict[type[AccordError], int] = {
    UnsupportedMediaTypeError: 415,
    ContentTooLargeError: 413,
    InputError: 400,
    UnauthorizedError: 401,
    ForbiddenError: 403,
    NotFoundError: 404,
    NotAcceptableError: 406,
    QueryTimeoutError: 503,
    QueryMemoryError: 503,
    UnavailableError: 503,
    ValidationError: 422,
    StoreError: 503,
}

# CORS is for reads (README): other origins may query (POST included, as SPARQL and
# /reconcile take queries by POST) but not write: PUT and DELETE are not allowed, nor is
# the Authorization header writes need. Browser code may read the headers that describe
# an answer: its validators, its links, and whether the row limit cut it.
CORS_METHODS = ["GET", "HEAD", "POST", "OPTIONS"]
CORS_HEADERS = ["Cache-Control", "If-None-Match", "X-Requested-With"]  # and the safelisted ones
CORS_EXPOSED = ["ETag", "Repr-Digest", "Link", "Content-Location", TRUNCATED_HEADER]


def error_response(exc: AccordError) -> JSONResponse:
    """An accordkg error as JSON, with the status STATUS_BY_ERROR gives it."""
    status = next((code for kind, code in STATUS_BY_ERROR.items() if isinstance(exc, kind)), 500)
    headers = None
    if isinstance(exc, UnauthorizedError):
        headers = {"WWW-Authenticate": "Bearer"}
    elif isinstance(exc, NotAcceptableError):
        headers = {"Vary": "Accept"}  # what was refused depends on Accept
    return JSONResponse(
        {"error": type(exc).__name__, "detail": str(exc)}, status_code=status, headers=headers
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application; settings are read here, once, unless the caller passes them."""
    settings = settings or Settings()
    store = open_store(settings)
    ontology = ontology_graph()

    runner: QueryRunner
    if isinstance(store, RemoteStore):
        runner = RemoteQueries(store.query_url, settings.query_timeout_s)
    else:
        runner = QueryPool(
            store,
            settings.query_workers,
            settings.query_timeout_s,
            settings.query_wait_s,
            settings.answer_buffer_bytes,
            memory_bytes=settings.query_memory_bytes,
        )

    traversal = Traversal.for_settings(store, settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        loop = asyncio.get_running_loop()
        runner.start(loop)
        # Project the graph for /graph now rather than on its first request.
        warming = loop.run_in_executor(None, traversal.source)
        yield
        with suppress(AccordError):  # a failure reaches the next /graph request as well
            await warming
        await runner.close()
        store.close()

    app = FastAPI(
        title="accordkg",
        version=accordkg.__version__,
        summary="A knowledge graph of international AI research cooperation agreements.",
        lifespan=lifespan,
    )

    queries = SparqlQueries(settings, store, runner)
    app.add_middleware(SparqlFastPath, queries=queries, on_error=error_response)  # inside CORS
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=CORS_METHODS,
        allow_headers=CORS_HEADERS,
        expose_headers=CORS_EXPOSED,
    )
    for router in (
        sparql_router(queries),
        update_router(settings, store, runner),
        graph_store_router(settings, store, runner),
        graph_router(traversal),
        reconcile_router(Reconciler(store, settings.base_iri), settings.base_iri),
        mappings_router(settings, store),
        linked_data_router(settings, store, ontology),
        ontology_router(ontology),
        dataset_router(settings, store),
    ):
        app.include_router(router)

    @app.exception_handler(AccordError)
    async def accord_error(_: Request, exc: AccordError) -> JSONResponse:
        return error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def bad_parameters(_: Request, exc: RequestValidationError) -> JSONResponse:
        """Parameters of the wrong shape are the caller's error: 400, naming each one."""
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc'][1:]) or error['loc'][0]}: {error['msg']}"
            for error in exc.errors()
        )
        return JSONResponse({"error": "InputError", "detail": problems}, status_code=400)

    @app.get("/health", tags=["service"])
    def health() -> JSONResponse:
        """What the store holds, and whether queries can be answered yet: 503 with status
        "starting" while the query workers load their copies of the store."""
        ready = runner.ready()
        health = {
            "status": "ok" if ready else "starting",
            "version": accordkg.__version__,
            "graphs": store.graph_names(),
            "triples": store.triple_count(),
            "query_workers": runner.status(),
            "graph": traversal.status(),
        }
        return JSONResponse(health, status_code=200 if ready else 503)

    @app.get("/queries", tags=["queries"])
    def list_queries(request: Request) -> list[dict[str, object]]:
        """The named queries, with their parameters, to start from."""
        return [
            {
                "name": query.name,
                "title": query.title,
                "description": query.description,
                "parameters": [vars(parameter) for parameter in query.parameters],
                "url": str(request.url_for("run_query", name=query.name)),
            }
            for query in named_queries().values()
        ]

    @app.get("/queries/{name}", tags=["queries"])
    async def run_query(
        name: str,
        request: Request,
        format_override: Annotated[str | None, Query(alias="format")] = None,
    ) -> Response:
        """Run a named query; every other query parameter binds one of its parameters.
        The result format follows `Accept`, or `format` (json, xml, csv, tsv) if given.
        It runs as /sparql queries do: time limit, row limit and truncation header."""
        query = named_query(name)
        params = request.query_params
        values = {k: v for k, v in params.items() if k not in FORMAT_PARAMETERS}
        repeated = [k for k in values if len(params.getlist(k)) > 1]
        if repeated:
            raise InputError(f"parameter {repeated[0]} is given more than once")
        formats = [*([format_override] if format_override else []), *params.getlist("output")]
        result_format = choose_format(RESULT_OFFERS, formats, request.headers.get("accept"))
        job = QueryJob(
            query=bound_query(query, values, settings.base_iri),
            result_format=result_format,
            row_limit=settings.row_limit,
            union_default_graph=True,
        )
        return await run_job(runner, job, request, settings.row_limit, MEDIA_TYPES[result_format])

    return app
