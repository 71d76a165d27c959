"""Writes: the SPARQL 1.1 update operation at /sparql/update and the Graph Store HTTP
Protocol at /store. Both are off unless ACCORDKG_UPDATE_TOKEN is set, and then need
`Authorization: Bearer <token>` (401 without it, 403 with a wrong one). Every write is
one transaction, and the query workers reload their copy of the store afterwards.

A body larger than ACCORDKG_MAX_IMPORT_BYTES is refused (413) before more of it is read.
Uploaded RDF is parsed by accordkg.pipeline.rdf_input in a process of its own, stopped past
ACCORDKG_UPLOAD_TIMEOUT_S, and the store is read and written in a thread: the event loop
only reads bodies and waits, so other requests are answered meanwhile. The default graph
is the union of the named graphs, as at /sparql: `/store?default` reads it and refuses to
write it (400), so nothing is written that the dumps and counts would leave out.
"""

import hmac
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import Response
from rdflib import URIRef
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from accordkg.api._http import (
    FORM_CONTENT,
    capped_body,
    decode_body,
    media_type_and_charset,
    multi,
)
from accordkg.api.openapi import IRIS, TEXT_BODY, answers, body, form
from accordkg.api.sparql import run_job
from accordkg.errors import (
    ForbiddenError,
    InputError,
    NotFoundError,
    UnauthorizedError,
    UnsupportedMediaTypeError,
)
from accordkg.graphs import upload_graph_iri
from accordkg.iris import checked_iri
from accordkg.pipeline.rdf_input import RdfPart, parse_in_worker
from accordkg.settings import Settings
from accordkg.sparql.formats import Answers, chosen_format, formats_for, offers
from accordkg.sparql.runner import QueryJob, QueryRunner
from accordkg.sparql.text import inspect_update, with_protocol_dataset
from accordkg.store import Store, update_triples

UPDATE_CONTENT = "application/sparql-update"
RDF_PARSERS = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}
DEFAULT_GRAPH_READ_ONLY = (
    "the default graph is the union of the named graphs: it is read here, not written; "
    "name the graph to write with ?graph=<IRI>"
)

# What the OpenAPI document says of the Graph Store routes, which read their parameters
# themselves: one of `graph` and `default` names the graph (POST may give neither).
GRAPH_PARAMETERS: dict[str, Any] = {
    "parameters": [
        {
            "name": "graph",
            "in": "query",
            "description": "The graph, by its IRI (or give `default` instead).",
            "schema": {"type": "string", "format": "iri"},
        },
        {
            "name": "default",
            "in": "query",
            "description": "The default graph (instead of `graph`); its value is ignored.",
            "allowEmptyValue": True,
            "schema": {"type": "string"},
        },
    ]
}
# The RDF documents a body may be: text, or for JSON-LD any JSON.
RDF_BODIES = {
    media_type: {"schema": {}} if parser == "json-ld" else TEXT_BODY
    for media_type, parser in RDF_PARSERS.items()
}
MULTIPART_RDF = {
    "schema": {
        "type": "object",
        "additionalProperties": {"type": "string", "format": "binary"},
        "description": "RDF files, each with its own Content-Type.",
    }
}
CREATED: dict[int | str, dict[str, Any]] = {
    201: {"description": "Created: the graph is new (its address in `Location` for POST)."},
    204: {"description": "No Content: the graph was there and is changed."},
}


class _Writes:
    """What every write needs: the token check, the body limit, and the write itself,
    made in a thread and followed by telling the query workers (in that thread too, so a
    request cancelled while it waits cannot leave them reading an older store)."""

    def __init__(self, settings: Settings, store: Store, runner: QueryRunner) -> None:
        self._token = settings.update_token
        self._body_limit = settings.max_import_bytes
        self._upload_timeout_s = settings.upload_timeout_s
        self._allowlist = settings.service_endpoints
        self._store = store
        self._runner = runner

    def authorize(self, request: Request) -> None:
        if self._token is None:
            raise ForbiddenError("this server is read-only (ACCORDKG_UPDATE_TOKEN is not set)")
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not given:
            raise UnauthorizedError("writes need an `Authorization: Bearer <token>` header")
        if not hmac.compare_digest(given.encode(), self._token.get_secret_value().encode()):
            raise ForbiddenError("the bearer token is not the one this server takes")

    def capped(self, request: Request) -> Request:
        """The request, its body refused (413) past the limit of writes."""
        return capped_body(request, self._body_limit)

    def update(self, update: str, base_iri: str) -> None:
        inspect_update(update, self._allowlist)
        self._store.update(update, base_iri=base_iri)
        self._runner.invalidate()

    def put(self, graph: URIRef, parts: list[RdfPart], base: str) -> bool:
        """Replace `graph` by the parts' triples; whether it is a new graph."""
        triples = parse_in_worker(parts, base, self._upload_timeout_s)
        created = str(graph) not in self._store.graph_names()
        self._store.update(f"DROP SILENT GRAPH {graph.n3()} ;\n" + _insert_into(graph, triples))
        self._runner.invalidate()
        return created

    def post(self, graph: URIRef, parts: list[RdfPart], base: str) -> bool:
        """Add the parts' triples to `graph`; whether it is a new graph."""
        triples = parse_in_worker(parts, base, self._upload_timeout_s)
        created = str(graph) not in self._store.graph_names()
        self._store.update(_insert_into(graph, triples))
        self._runner.invalidate()
        return created

    def delete(self, graph: URIRef) -> None:
        if str(graph) not in self._store.graph_names():
            raise NotFoundError(f"no graph {graph} in the store")
        self._store.replace_graphs({}, drop=[graph])
        self._runner.invalidate()


def update_router(settings: Settings, store: Store, runner: QueryRunner) -> APIRouter:
    """POST /sparql/update: the SPARQL 1.1 Protocol update operation."""
    router = APIRouter(tags=["writes"])
    writes = _Writes(settings, store, runner)

    @router.post(
        "/sparql/update",
        status_code=204,
        response_class=Response,
        openapi_extra=body(
            {
                FORM_CONTENT: form(
                    ["update"],
                    update={"type": "string"},
                    **{"using-graph-uri": IRIS, "using-named-graph-uri": IRIS},
                ),
                UPDATE_CONTENT: TEXT_BODY,
            }
        ),
    )
    async def sparql_update(request: Request) -> Response:
        """A SPARQL 1.1 update, as a form (`update=`) or as `application/sparql-update`."""
        writes.authorize(request)
        update = await _update_text(writes.capped(request))
        await run_in_threadpool(writes.update, update, str(request.url.replace(query="")))
        return Response(status_code=204)

    @router.get("/sparql/update", include_in_schema=False)
    def sparql_update_get() -> Response:
        raise HTTPException(405, "updates are POSTed")  # the app adds the Allow header

    return router


def graph_store_router(settings: Settings, store: Store, runner: QueryRunner) -> APIRouter:
    """/store: the SPARQL 1.1 Graph Store HTTP Protocol."""
    router = APIRouter(tags=["writes"])
    writes = _Writes(settings, store, runner)

    @router.api_route(
        "/store",
        methods=["GET", "HEAD"],
        response_class=Response,
        responses=answers((f.media_type for f in formats_for(Answers.GRAPH)), "The graph."),
        openapi_extra=GRAPH_PARAMETERS,
    )
    async def store_get(request: Request) -> Response:
        """A graph, negotiated: `?graph=<IRI>`, or `?default` for the union of them all."""
        graph = _target(request)
        if graph is not None and str(graph) not in await run_in_threadpool(store.graph_names):
            raise NotFoundError(f"no graph {graph} in the store")
        result_format = chosen_format(
            offers(Answers.GRAPH), multi(request.query_params.multi_items()).get("format", []),
            request.headers.get("accept"),
        )  # fmt: skip
        pattern = f"GRAPH {graph.n3()} {{ ?s ?p ?o }}" if graph is not None else "?s ?p ?o"
        job = QueryJob(
            query=f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {pattern} }}",
            result_format=result_format,
            row_limit=settings.row_limit,
            union_default_graph=graph is None,
        )
        return await run_job(runner, job, request, settings.row_limit)

    @router.put(
        "/store",
        response_class=Response,
        responses=CREATED,
        openapi_extra=GRAPH_PARAMETERS | body(RDF_BODIES),
    )
    async def store_put(request: Request) -> Response:
        """Replace a graph with the RDF in the body (201 if it is new, 204 if it was there)."""
        writes.authorize(request)
        graph = _named_target(request)
        created = await run_in_threadpool(
            writes.put, graph, await _rdf_parts(writes.capped(request)), str(request.url)
        )
        return Response(status_code=201 if created else 204)

    @router.post(
        "/store",
        response_class=Response,
        responses=CREATED,
        openapi_extra=GRAPH_PARAMETERS | body(RDF_BODIES | {"multipart/form-data": MULTIPART_RDF}),
    )
    async def store_post(request: Request) -> Response:
        """Add RDF to a graph: the body, or each file of a multipart/form-data body. Without
        ?graph, a new graph is made and its address given in Location (201)."""
        writes.authorize(request)
        if not request.query_params:
            graph = upload_graph_iri(settings.base_iri)
            parts = await _rdf_parts(writes.capped(request))
            await run_in_threadpool(writes.post, graph, parts, str(request.url))
            location = str(request.url.include_query_params(graph=str(graph)))
            return Response(status_code=201, headers={"Location": location})
        target = _named_target(request)
        created = await run_in_threadpool(
            writes.post, target, await _rdf_parts(writes.capped(request)), str(request.url)
        )
        return Response(status_code=201 if created else 204)

    @router.delete(
        "/store", status_code=204, response_class=Response, openapi_extra=GRAPH_PARAMETERS
    )
    def store_delete(request: Request) -> Response:
        """Drop a graph (404 if there is none by that name)."""
        writes.authorize(request)
        writes.delete(_named_target(request))
        return Response(status_code=204)

    return router


def _named_target(request: Request) -> URIRef:
    """The graph a write names; the default graph is not written (DEFAULT_GRAPH_READ_ONLY)."""
    graph = _target(request)
    if graph is None:
        raise InputError(DEFAULT_GRAPH_READ_ONLY)
    return graph


async def _update_text(request: Request) -> str:
    """The one update of a request, from a form or an `application/sparql-update` body."""
    media_type, charset = media_type_and_charset(request)
    body = await request.body()
    if media_type == FORM_CONTENT:
        fields = parse_qs(decode_body(body, charset), keep_blank_values=True)
    elif media_type == UPDATE_CONTENT:
        if charset.replace("-", "") != "utf8":
            raise UnsupportedMediaTypeError(f"{UPDATE_CONTENT} bodies are UTF-8, not {charset}")
        fields = {"update": [decode_body(body, charset)]}
    else:
        raise UnsupportedMediaTypeError(
            f"an update needs Content-Type {FORM_CONTENT} or {UPDATE_CONTENT}, "
            f"not {media_type or 'none'}"
        )
    for key, values in multi(request.query_params.multi_items()).items():
        fields.setdefault(key, []).extend(values)
    updates = fields.get("update", [])
    if len(updates) != 1:
        raise InputError("give exactly one `update`" if updates else "no `update` given")
    using = {name: fields.get(name, []) for name in ("using-graph-uri", "using-named-graph-uri")}
    for name, iris in using.items():
        for iri in iris:
            checked_iri(iri, name)  # written into the update as USING <iri>
    return with_protocol_dataset(updates[0], *using.values())


def _target(request: Request) -> URIRef | None:
    """The graph a Graph Store request names: `?graph=<IRI>`, or None for `?default`."""
    fields = multi(request.query_params.multi_items())
    graphs, default = fields.get("graph", []), "default" in fields
    if len(graphs) + default != 1:
        raise InputError("name exactly one graph: ?graph=<IRI> or ?default")
    if default:
        return None
    return checked_iri(graphs[0], "?graph")


async def _rdf_parts(request: Request) -> list[RdfPart]:
    """The RDF of a PUT or POST, unparsed: its body, or each file of a multipart form."""
    media_type, charset = media_type_and_charset(request)
    if media_type != "multipart/form-data":
        return [_rdf_part(await request.body(), media_type, charset, "the body")]
    parts = []
    async with request.form() as form:
        for _, part in form.multi_items():
            if isinstance(part, str):
                raise InputError("a multipart Graph Store POST carries RDF files, not fields")
            file_type, _, parameters = (part.content_type or "").partition(";")
            charset = parameters.partition("charset=")[2].strip() or "utf-8"
            name = part.filename or "a file"
            parts.append(_rdf_part(await part.read(), file_type.strip().lower(), charset, name))
    return parts


def _rdf_part(body: bytes, media_type: str, charset: str, name: str) -> RdfPart:
    parser = RDF_PARSERS.get(media_type)
    if parser is None:
        raise UnsupportedMediaTypeError(
            f"RDF bodies are {', '.join(RDF_PARSERS)}; not {media_type or 'none'}"
        )
    return RdfPart(decode_body(body, charset), parser, media_type, name)


def _insert_into(graph: URIRef, triples: bytes) -> str:
    return f"INSERT DATA {{ GRAPH {graph.n3()} {{\n{update_triples(triples)}}} }}"
