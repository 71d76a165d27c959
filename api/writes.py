"""Writes: the SPARQL 1.1 update operation at /sparql/update and the Graph Store HTTP
Protocol at /store. Both are off unless ACCORDKG_UPDATE_TOKEN is set, and then need
`Authorization: Bearer <token>` (401 without it, 403 with a wrong one). Every write is
one transaction, and the query workers reload their copy of the store afterwards.
"""

import hmac
import uuid
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import Response
from rdflib import Graph, URIRef

from accordkg.api.openapi import IRIS, TEXT, answers, body, form
from accordkg.api.sparql import (
    FORM_CONTENT,
    GRAPH_OFFERS,
    choose_format,
    decode_body,
    media_type_and_charset,
    multi,
    run_job,
)
from accordkg.errors import (
    ForbiddenError,
    InputError,
    NotFoundError,
    UnauthorizedError,
    UnsupportedMediaTypeError,
)
from accordkg.iris import checked_iri
from accordkg.query_pool import QueryJob, QueryRunner
from accordkg.results import MEDIA_TYPES
from accordkg.settings import Settings
from accordkg.sparql_text import inspect_update, with_protocol_dataset
from accordkg.store import Store

UPDATE_CONTENT = "application/sparql-update"
RDF_PARSERS = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}

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
    media_type: {"schema": {}} if parser == "json-ld" else TEXT
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
    """What every write needs: the token check, and telling the query workers."""

    def __init__(self, settings: Settings, runner: QueryRunner) -> None:
        self._token = settings.update_token
        self._runner = runner

    def authorize(self, request: Request) -> None:
        if self._token is None:
            raise ForbiddenError("this server is read-only (ACCORDKG_UPDATE_TOKEN is not set)")
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not given:
            raise UnauthorizedError("writes need an `Authorization: Bearer <token>` header")
        if not hmac.compare_digest(given.encode(), self._token.get_secret_value().encode()):
            raise ForbiddenError("the bearer token is not the one this server takes")

    def changed(self) -> None:
        self._runner.invalidate()


def update_router(settings: Settings, store: Store, runner: QueryRunner) -> APIRouter:
    """POST /sparql/update: the SPARQL 1.1 Protocol update operation."""
    router = APIRouter(tags=["writes"])
    writes = _Writes(settings, runner)

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
                UPDATE_CONTENT: TEXT,
            }
        ),
    )
    async def sparql_update(request: Request) -> Response:
        """A SPARQL 1.1 update, as a form (`update=`) or as `application/sparql-update`."""
        writes.authorize(request)
        update = await _update_text(request)
        inspect_update(update, settings.service_allowlist)
        store.update(update, base_iri=str(request.url.replace(query="")))
        writes.changed()
        return Response(status_code=204)

    @router.get("/sparql/update", include_in_schema=False)
    def sparql_update_get() -> Response:
        return Response(
            '{"error": "MethodNotAllowed", "detail": "updates are POSTed"}',
            status_code=405,
            media_type="application/json",
            headers={"Allow": "POST"},
        )

    return router


def graph_store_router(settings: Settings, store: Store, runner: QueryRunner) -> APIRouter:
    """/store: the SPARQL 1.1 Graph Store HTTP Protocol."""
    router = APIRouter(tags=["writes"])
    writes = _Writes(settings, runner)

    @router.api_route(
        "/store",
        methods=["GET", "HEAD"],
        response_class=Response,
        responses=answers((MEDIA_TYPES[name] for name in GRAPH_OFFERS.values()), "The graph."),
        openapi_extra=GRAPH_PARAMETERS,
    )
    async def store_get(request: Request) -> Response:
        """A graph, negotiated: `?graph=<IRI>` or `?default`."""
        graph = _target(request)
        if graph is not None and str(graph) not in store.graph_names():
            raise NotFoundError(f"no graph {graph} in the store")
        result_format = choose_format(
            GRAPH_OFFERS, multi(request.query_params.multi_items()).get("format"),
            request.headers.get("accept"),
        )  # fmt: skip
        pattern = f"GRAPH {graph.n3()} {{ ?s ?p ?o }}" if graph is not None else "?s ?p ?o"
        job = QueryJob(
            query=f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {pattern} }}",
            result_format=result_format,
            row_limit=settings.row_limit,
            union_default_graph=False,
        )
        return await run_job(runner, job, settings.row_limit, MEDIA_TYPES[result_format])

    @router.put(
        "/store",
        response_class=Response,
        responses=CREATED,
        openapi_extra=GRAPH_PARAMETERS | body(RDF_BODIES),
    )
    async def store_put(request: Request) -> Response:
        """Replace a graph with the RDF in the body (201 if it is new, 204 if it was there)."""
        writes.authorize(request)
        graph, content = _target(request), await _rdf_body(request)
        existed = graph is None or str(graph) in store.graph_names()
        if graph is None:
            store.update("DROP SILENT DEFAULT ;\n" + _insert_default(content))
        else:
            store.replace_graphs({graph: content})
        writes.changed()
        return Response(status_code=204 if existed else 201)

    @router.post(
        "/store",
        response_class=Response,
        responses=CREATED,
        openapi_extra=GRAPH_PARAMETERS | body(RDF_BODIES | {"multipart/form-data": MULTIPART_RDF}),
    )
    async def store_post(request: Request) -> Response:
        """Add RDF to a graph: the body, or each file of a multipart/form-data body. Without
        ?graph or ?default, a new graph is made and its address given in Location (201)."""
        writes.authorize(request)
        if not request.query_params:
            new_graph = URIRef(f"{settings.base_iri}graph/upload-{uuid.uuid4()}")
            store.update(_insert_into(new_graph, await _rdf_content(request)))
            writes.changed()
            location = str(request.url.include_query_params(graph=str(new_graph)))
            return Response(status_code=201, headers={"Location": location})
        graph, content = _target(request), await _rdf_content(request)
        existed = graph is None or str(graph) in store.graph_names()
        if graph is None:
            store.update(_insert_default(content))
        else:
            store.update(_insert_into(graph, content))
        writes.changed()
        return Response(status_code=204 if existed else 201)

    @router.delete(
        "/store", status_code=204, response_class=Response, openapi_extra=GRAPH_PARAMETERS
    )
    def store_delete(request: Request) -> Response:
        """Drop a graph (404 if there is none by that name)."""
        writes.authorize(request)
        graph = _target(request)
        if graph is None:
            store.update("DROP SILENT DEFAULT")
        elif str(graph) not in store.graph_names():
            raise NotFoundError(f"no graph {graph} in the store")
        else:
            store.replace_graphs({}, drop=[graph])
        writes.changed()
        return Response(status_code=204)

    return router


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


async def _rdf_body(request: Request) -> Graph:
    """The request body parsed as RDF in its declared media type, all of it or an error."""
    media_type, charset = media_type_and_charset(request)
    return _parse_rdf(await request.body(), media_type, charset, str(request.url))


async def _rdf_content(request: Request) -> Graph:
    """The RDF of a POST: its body, or the union of the files of a multipart form."""
    media_type, _ = media_type_and_charset(request)
    if media_type != "multipart/form-data":
        return await _rdf_body(request)
    merged = Graph()
    async with request.form() as form:
        for _, part in form.multi_items():
            if isinstance(part, str):
                raise InputError("a multipart Graph Store POST carries RDF files, not fields")
            file_type, _, parameters = (part.content_type or "").partition(";")
            charset = parameters.partition("charset=")[2].strip() or "utf-8"
            merged += _parse_rdf(await part.read(), file_type.strip().lower(), charset,
                                 str(request.url))  # fmt: skip
    return merged


def _parse_rdf(body: bytes, media_type: str, charset: str, base: str) -> Graph:
    parser = RDF_PARSERS.get(media_type)
    if parser is None:
        raise UnsupportedMediaTypeError(
            f"RDF bodies are {', '.join(RDF_PARSERS)}; not {media_type or 'none'}"
        )
    text = decode_body(body, charset)
    try:
        return Graph().parse(data=text, format=parser, publicID=base)
    except Exception as exc:  # rdflib raises many unrelated types for bad syntax
        raise InputError(f"the body is not valid {media_type}: {exc}") from exc


def _insert_into(graph: URIRef, content: Graph) -> str:
    triples = content.serialize(format="nt", encoding="utf-8").decode()
    return f"INSERT DATA {{ GRAPH {graph.n3()} {{\n{triples}}} }}"


def _insert_default(content: Graph) -> str:
    return f"INSERT DATA {{\n{content.serialize(format='nt', encoding='utf-8').decode()}}}"
