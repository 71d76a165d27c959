"""The FastAPI application: routes translate HTTP to core calls and nothing more."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

import accordkg
from accordkg.docs import render_ontology_html
from accordkg.errors import AccordError, InputError, StoreError, ValidationError
from accordkg.resources import ontology_graph
from accordkg.settings import Settings
from accordkg.store import open_store

STATUS_BY_ERROR: dict[type[AccordError], int] = {
    InputError: 400,
    ValidationError: 422,
    StoreError: 503,
}


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application; settings are read here, once, unless the caller passes them."""
    settings = settings or Settings()
    store = open_store(settings)
    ontology = ontology_graph()
    ontology_turtle = ontology.serialize(format="turtle")
    ontology_html = render_ontology_html(ontology)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(
        title="accordkg",
        version=accordkg.__version__,
        summary="A knowledge graph of international AI research cooperation agreements.",
        lifespan=lifespan,
    )

    @app.exception_handler(AccordError)
    async def accord_error(_: Request, exc: AccordError) -> JSONResponse:
        status = next(
            (code for kind, code in STATUS_BY_ERROR.items() if isinstance(exc, kind)), 500
        )
        return JSONResponse({"error": type(exc).__name__, "detail": str(exc)}, status_code=status)

    @app.get("/health", tags=["service"])
    def health() -> dict[str, object]:
        """Liveness and what the store holds."""
        return {
            "status": "ok",
            "version": accordkg.__version__,
            "graphs": store.graph_names(),
            "triples": store.triple_count(),
        }

    @app.get("/ontology", response_class=HTMLResponse, tags=["ontology"])
    def ontology_page() -> HTMLResponse:
        """The ontology's documentation for people."""
        return HTMLResponse(ontology_html)

    @app.get("/ontology.ttl", tags=["ontology"])
    def ontology_source() -> Response:
        """The ontology and its alignments as Turtle."""
        return Response(ontology_turtle, media_type="text/turtle; charset=utf-8")

    return app
