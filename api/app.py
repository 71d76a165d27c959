"""The FastAPI application: routes translate HTTP to core calls and nothing more."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from http import HTTPStatus
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Path, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute, Match, Route
from starlette.types import Scope

import accordkg
from accordkg.api.dataset import dataset_router
from accordkg.api.graph import graph_router
from accordkg.api.linked_data import linked_data_router, ontology_router
from accordkg.api.mappings import mappings_router
from accordkg.api.openapi import answers, format_parameter
from accordkg.api.reconcile import reconcile_router
from accordkg.api.sparql import (
    FORMAT_PARAMETERS,
    TRUNCATED_HEADER,
    SparqlFastPath,
    SparqlQueries,
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
from accordkg.linking.reconcile import Reconciler
from accordkg.resources import ontology_graph
from accordkg.settings import Settings
from accordkg.sparql.formats import Answers, choices, chosen_format, offers
from accordkg.sparql.named_queries import bound_query, named_queries, named_query
from accordkg.sparql.pool import QueryPool
from accordkg.sparql.remote import RemoteQueries
from accordkg.sparql.runner import QueryJob, QueryRunner
from accordkg.store import EmbeddedStore, RemoteStore, open_store
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
ERROR_BODY = "#/components/schemas/ErrorBody"
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


class ErrorBody(BaseModel):
    """How every error is answered."""

    error: str = Field(description="The kind of error: an accordkg error class, e.g. InputError.")
    detail: str = Field(description="What is wrong.")


def status_of(error: type[AccordError]) -> int:
    """The HTTP status of an accordkg error class, from STATUS_BY_ERROR."""
    return next((code for kind, code in STATUS_BY_ERROR.items() if issubclass(error, kind)), 500)


def error_responses(*errors: type[AccordError]) -> dict[str, Any]:
    """The OpenAPI responses for routes that raise `errors` (bad parameters are always
    among them: the app answers them as an InputError): each status with the errors
    answered with it and the JSON ErrorBody."""
    raised: list[type[AccordError]] = [InputError, *errors]
    by_status: dict[int, list[type[AccordError]]] = {}
    for error in dict.fromkeys(raised):
        by_status.setdefault(status_of(error), []).append(error)
    return {
        str(status): {
            "description": " ".join(
                f"{kind.__name__}: {(kind.__doc__ or '').splitlines()[0]}" for kind in kinds
            ),
            "content": {"application/json": {"schema": {"$ref": ERROR_BODY}}},
        }
        for status, kinds in sorted(by_status.items())
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
    status = status_of(type(exc))
    headers = None
    if isinstance(exc, UnauthorizedError):
        headers = {"WWW-Authenticate": "Bearer"}
    elif isinstance(exc, NotAcceptableError):
        headers = {"Vary": "Accept"}  # what was refused depends on Accept
    return JSONResponse(
        {"error": type(exc).__name__, "detail": str(exc)}, status_code=status, headers=headers
    )


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
        network=bool(settings.service_allowlist),
    )


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
        (dataset_router(settings, store), (NotFoundError, NotAcceptableError, StoreError)),
    )

    @app.exception_handler(AccordError)
    async def accord_error(_: Request, exc: AccordError) -> JSONResponse:
        return error_response(exc)

    @app.exception_handler(StarletteHTTPException)
    async def routing_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        """Routing's own errors (no such path, a method the path does not take) in the
        shape of every other error."""
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = _allowed([*app.router.routes, *included], request.scope)
        return JSONResponse(
            {"error": HTTPStatus(exc.status_code).phrase.replace(" ", ""), "detail": exc.detail},
            status_code=exc.status_code,
            headers=headers,
        )

    @app.exception_handler(RequestValidationError)
    async def bad_parameters(_: Request, exc: RequestValidationError) -> JSONResponse:
        """Parameters of the wrong shape are the caller's error: 400, naming each one."""
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc'][1:]) or error['loc'][0]}: {error['msg']}"
            for error in exc.errors()
        )
        return JSONResponse({"error": "InputError", "detail": problems}, status_code=400)

    @app.get(
        "/health",
        tags=["service"],
        responses=answers(
            ["application/json"],
            "Starting: no query worker has loaded the store yet (the body is the health "
            'document, with status "starting").',
            status=503,
        ),
    )
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

    @app.get("/queries", tags=["queries"], openapi_extra={"responses": error_responses()})
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

    @app.get(
        "/queries/{name}",
        tags=["queries"],
        response_class=Response,
        responses=answers(offers(Answers.SOLUTIONS), "The query's results."),
        openapi_extra={"responses": error_responses(NotFoundError, NotAcceptableError, StoreError)},
    )
    async def run_query(
        name: Annotated[str, Path(json_schema_extra={"enum": list(named_queries())})],
        request: Request,
        format_override: Annotated[
            str | None, format_parameter(choices(offers(Answers.SOLUTIONS)))
        ] = None,
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
        offered = offers(Answers.SOLUTIONS)
        result_format = chosen_format(offered, formats, request.headers.get("accept"))
        job = QueryJob(
            query=bound_query(query, values, settings.base_iri),
            result_format=result_format,
            row_limit=settings.row_limit,
            union_default_graph=True,
        )
        return await run_job(runner, job, request, settings.row_limit)

    app.openapi = lambda: _openapi_document(app)  # type: ignore[method-assign]
    return app


def _allowed(routes: list[BaseRoute], scope: Scope) -> str:
    """The Allow header of a 405: every method the path takes (Starlette names only those
    of the first route that matched it). Documented routes decide: a hidden one may be
    there only to refuse a method."""
    matching = [
        route
        for route in routes
        if isinstance(route, Route) and route.matches(scope)[0] is not Match.NONE
    ]
    documented = [route for route in matching if route.include_in_schema]
    return ", ".join(sorted({m for route in documented or matching for m in route.methods or ()}))


def _include(
    app: FastAPI, *routers: tuple[APIRouter, tuple[type[AccordError], ...]]
) -> list[BaseRoute]:
    """Include each router, its routes documenting the errors it raises (`error_responses`);
    their routes, which FastAPI keeps to itself once included."""
    included: list[BaseRoute] = []
    for router, raises in routers:
        included.extend(router.routes)
        for route in router.routes:
            if isinstance(route, APIRoute):  # responses are the one thing routes leave to us
                route.openapi_extra = {
                    **(route.openapi_extra or {}),
                    "responses": error_responses(*raises),
                }
        app.include_router(router)
    return included


def _openapi_document(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document as the server answers: FastAPI would say that bad parameters
    get its own 422, where they get the app's 400 (a 422 is a graph that breaks the
    shapes), and that an optional parameter may be null, which no URL can say."""
    if app.openapi_schema is None:
        document = get_openapi(
            title=app.title, version=app.version, summary=app.summary, routes=app.routes
        )
        for operation in (op for item in document["paths"].values() for op in item.values()):
            framework = operation["responses"].get("422", {})
            if "HTTPValidationError" in str(framework.get("content")):
                del operation["responses"]["422"]
            for parameter in operation.get("parameters", []):
                schema = parameter["schema"]
                branches = [b for b in schema.get("anyOf", []) if b != {"type": "null"}]
                if len(branches) == 1:
                    del schema["anyOf"]
                    parameter["schema"] = branches[0] | schema
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        for unused in ("HTTPValidationError", "ValidationError"):
            schemas.pop(unused, None)
        schemas["ErrorBody"] = ErrorBody.model_json_schema()
        app.openapi_schema = document
    return app.openapi_schema
