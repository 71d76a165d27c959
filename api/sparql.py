"""The SPARQL 1.1 Protocol query operation at /sparql, and the service description.

Requests are read exactly as the protocol says: a query by GET (`?query=`), by POST of
an HTML form (`application/x-www-form-urlencoded`, any charset, decoded once), or by
POST of the query itself (`application/sparql-query`); `default-graph-uri` and
`named-graph-uri` replace the query's own dataset. Anything else is a 4xx that says
what is wrong. Queries run in worker processes, or on the remote store (accordkg.sparql.pool).
A browser's GET (one that prefers HTML to every format) gets the workbench page instead.
"""

import asyncio
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, VOID, XSD, Namespace
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

import accordkg
from accordkg.api._http import (
    FORM_CONTENT,
    capped_body,
    decode_body,
    media_type_and_charset,
    multi,
)
from accordkg.api.errors import error_response
from accordkg.api.openapi import IRIS, TEXT_BODY, answers, body, form
from accordkg.errors import (
    AccordError,
    InputError,
    UnsupportedMediaTypeError,
)
from accordkg.iris import checked_iri
from accordkg.linked_data.documents import serialize_rdf
from accordkg.linked_data.workbench import workbench_page
from accordkg.namespaces import MEDIA_TYPE
from accordkg.settings import Settings
from accordkg.sparql.federation import may_call_service
from accordkg.sparql.formats import FORMATS, Answers, choices, chosen_format, offers
from accordkg.sparql.negotiation import negotiate
from accordkg.sparql.runner import AnswerStream, QueryJob, QueryRunner
from accordkg.sparql.text import inspect_query
from accordkg.store import Store
from accordkg.store.count import TripleCount

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
W3C_FORMATS = Namespace("http://www.w3.org/ns/formats/")
TRUNCATED_HEADER = "X-AccordKG-Truncated"
FORMAT_PARAMETERS = ("format", "output")  # output: a synonym some clients send
QUERY_CONTENT = "application/sparql-query"
FAST = frozenset({"GET", "POST"})  # the methods SparqlFastPath answers
# What /sparql answers in, HTML (the workbench) last: a client stating no preference
# (`*/*`, or no Accept) keeps getting results or the service description.
WORKBENCH_OFFERS = [
    *dict.fromkeys([*offers(Answers.SOLUTIONS), *offers(Answers.GRAPH)]),
    "text/html",
]


class SparqlQueries:
    """The query operation at /sparql, shared by its routes and by SparqlFastPath."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        triples: TripleCount,
        runner: QueryRunner,
        workbench: dict[str, object],
    ) -> None:
        self._settings = settings
        self._store = store
        self._triples = triples
        self._runner = runner
        self._workbench = workbench  # the workbench page's data (accordkg.linked_data.workbench)

    def wants_workbench(self, request: Request) -> bool:
        """Whether the request is a browser's GET (or HEAD) that prefers HTML to every
        answer format and names none with `format`: it gets the workbench, with the
        query of the URL, if any, in a tab."""
        return (
            request.method in ("GET", "HEAD")
            and not any(name in request.query_params for name in FORMAT_PARAMETERS)
            and negotiate(request.headers.get("accept"), WORKBENCH_OFFERS) == "text/html"
        )

    async def respond(self, request: Request) -> Response:
        """The answer to a GET, HEAD or POST of /sparql."""
        if self.wants_workbench(request):
            return _workbench(request, self._workbench)
        if request.method == "POST":
            request = capped_body(request, self._settings.max_query_bytes)
        fields = await self.fields(request)
        job = await self.job(request, fields)
        if job is None:
            return await run_in_threadpool(
                _service_description, request, self._store, self._triples, _formats(fields)
            )  # it reads the store, which may be a remote server
        return await run_job(self._runner, job, request, self._settings.row_limit)

    async def fields(self, request: Request) -> dict[str, list[str]]:
        """The protocol's parameters: of the URL, and of a POST's body (read whole)."""
        if request.method == "POST":
            return await _post_fields(request, await request.body())
        return multi(request.query_params.multi_items())

    async def job(self, request: Request, fields: dict[str, list[str]]) -> QueryJob | None:
        """The query job the request's `fields` ask for; None when they ask for the
        service description (no query). A request that is not a valid query is an
        AccordError."""
        settings = self._settings
        unknown_update = fields.get("update")
        if unknown_update:
            raise InputError("this is the query endpoint; send updates to /sparql/update")
        queries = fields.get("query", [])
        if not queries:
            if set(fields) - set(FORMAT_PARAMETERS):
                raise InputError("no query: give the query in the `query` parameter")
            return None
        if len(queries) > 1:
            raise InputError("the `query` parameter is given more than once")
        if may_call_service(queries[0]):  # checked by a parse that may take a while
            shape = await run_in_threadpool(inspect_query, queries[0], settings.service_endpoints)
        else:
            shape = inspect_query(queries[0], settings.service_endpoints)
        kind = Answers.GRAPH if shape.form in ("CONSTRUCT", "DESCRIBE") else Answers.SOLUTIONS
        result_format = chosen_format(offers(kind), _formats(fields), request.headers.get("accept"))
        default_graphs = tuple(fields.get("default-graph-uri", []))
        named_graphs = tuple(fields.get("named-graph-uri", []))
        for iri in default_graphs:
            checked_iri(iri, "default-graph-uri")
        for iri in named_graphs:
            checked_iri(iri, "named-graph-uri")
        protocol_dataset = bool(default_graphs or named_graphs)
        return QueryJob(
            query=queries[0],
            result_format=result_format,
            row_limit=settings.row_limit,
            union_default_graph=not (protocol_dataset or shape.has_dataset),
            base_iri=str(request.url.replace(query="")),  # relative IRIs resolve against us
            protocol_dataset=protocol_dataset,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
        )


class SparqlFastPath:
    """GET and POST of /sparql answered before routing (those LightQueries, in front of
    the whole app, leaves to it): a query would otherwise spend much of its time in the
    framework's routing and dependency resolution. The
    answer is the routes' own (the same SparqlQueries), and so are its errors'
    (`error_response`). Everything else, HEAD and OPTIONS included, goes on to the app."""

    def __init__(self, app: ASGIApp, queries: SparqlQueries) -> None:
        self._app = app
        self._queries = queries

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != "/sparql" or scope["method"] not in FAST:
            await self._app(scope, receive, send)
            return
        try:
            response = await self._queries.respond(Request(scope, receive))
        except AccordError as exc:
            response = error_response(exc)
        await response(scope, receive, send)


def sparql_router(queries: SparqlQueries) -> APIRouter:
    """The /sparql routes; SparqlFastPath answers GET and POST before they are reached
    when the app installs it, and they describe the endpoint in the OpenAPI document."""
    router = APIRouter(tags=["sparql"])
    every_format = answers(
        (f.media_type for f in FORMATS.values()),
        "The query's answer, or without a query the service description.",
    )
    every_choice = sorted({*choices(offers(Answers.SOLUTIONS)), *choices(offers(Answers.GRAPH))})
    protocol = {  # the parameters, which the routes read themselves (a form POST has them too)
        "query": {"type": "string"},
        "default-graph-uri": IRIS,
        "named-graph-uri": IRIS,
        "format": {"type": "string", "enum": every_choice},
    }

    @router.api_route(
        "/sparql",
        methods=["GET", "HEAD"],
        response_class=Response,
        responses=every_format,
        openapi_extra={
            "parameters": [
                {"name": name, "in": "query", "schema": schema} for name, schema in protocol.items()
            ]
        },
    )
    async def sparql_get(request: Request) -> Response:
        """A query in the URL, or without one the service description."""
        return await queries.respond(request)

    @router.post(
        "/sparql",
        response_class=Response,
        responses=every_format,
        openapi_extra=body(
            {
                FORM_CONTENT: form([], **protocol),  # without a query: the service description
                QUERY_CONTENT: TEXT_BODY,
            }
        ),
    )
    async def sparql_post(request: Request) -> Response:
        """A query POSTed as an HTML form or as `application/sparql-query`."""
        return await queries.respond(request)

    @router.options("/sparql", status_code=204, response_class=Response)
    def sparql_options() -> Response:
        """What the endpoint answers to (CORS preflights are answered by the middleware)."""
        return Response(status_code=204, headers={"Allow": "GET, HEAD, POST, OPTIONS"})

    return router


async def run_job(runner: QueryRunner, job: QueryJob, request: Request, row_limit: int) -> Response:
    """Run a job for the client that sent `request` and answer with its body, saying if the
    row limit cut it; a large body streams as the worker writes it."""
    result = await runner.run(job, request.client.host if request.client else "")
    media_type = job.result_format.content_type
    headers = {"Vary": "Accept"}
    if result.truncated:
        headers[TRUNCATED_HEADER] = f"true; limit={row_limit}"
    if isinstance(result.body, bytes):
        return Response(result.body, media_type=media_type, headers=headers)
    return StreamedAnswer(result.body, media_type=media_type, headers=headers)


class StreamedAnswer(StreamingResponse):
    """A streamed answer that gives its worker back however the response ends: read to
    the end, the client gone, or the request cancelled."""

    def __init__(self, stream: AnswerStream, media_type: str, headers: dict[str, str]) -> None:
        super().__init__(stream, media_type=media_type, headers=headers)
        self._stream = stream

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            async with asyncio.timeout_at(self._stream.deadline):  # a client that stalls
                await super().__call__(scope, receive, send)
        finally:
            self._stream.close()


def _formats(fields: dict[str, list[str]]) -> list[str]:
    """The formats asked for by parameter, in the order given."""
    return [value for key in FORMAT_PARAMETERS for value in fields.get(key, [])]


async def _post_fields(request: Request, body: bytes) -> dict[str, list[str]]:
    media_type, charset = media_type_and_charset(request)
    in_url = multi(request.query_params.multi_items())
    if media_type == FORM_CONTENT:
        fields = parse_qs(decode_body(body, charset), keep_blank_values=True)
        if set(in_url) & {"query", "update"}:
            raise InputError("give the query in the form body or in the URL, not both")
        for key, values in in_url.items():
            fields.setdefault(key, []).extend(values)
        return fields
    if media_type == QUERY_CONTENT:
        if charset.replace("-", "") != "utf8":
            raise UnsupportedMediaTypeError(
                f"{QUERY_CONTENT} bodies are UTF-8 (SPARQL 1.1 Protocol), not {charset}"
            )
        if "query" in in_url:
            raise InputError("the query is the request body; do not also give ?query=")
        return {**in_url, "query": [decode_body(body, charset)]}
    raise _unsupported(media_type)


def _workbench(request: Request, data: dict[str, object]) -> Response:
    """The workbench page on this endpoint, its service description as alternates."""
    endpoint = str(request.url.replace(query=""))
    alternates = [
        (f.media_type, f.title, f"{request.url.path}?format={f.name}")
        for f in dict.fromkeys(offers(Answers.GRAPH).values())
    ]
    page = workbench_page(data, endpoint, alternates)
    return HTMLResponse(page, headers={"Vary": "Accept"})


def _unsupported(media_type: str) -> UnsupportedMediaTypeError:
    return UnsupportedMediaTypeError(
        f"a POSTed query needs Content-Type {FORM_CONTENT} or {QUERY_CONTENT}, "
        f"not {media_type or 'none'}"
    )


def _service_description(
    request: Request, store: Store, triples: TripleCount, override: list[str]
) -> Response:
    """The SPARQL 1.1 Service Description of this endpoint, at its real URL (without the
    default graph's size while the store is still being counted)."""
    chosen = chosen_format(offers(Answers.GRAPH), override, request.headers.get("accept"))
    endpoint = URIRef(str(request.url.replace(query="")))
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("void", VOID)
    service = BNode()
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, endpoint))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    for answer_format in FORMATS.values():  # a format the W3C does not name: its media type
        iri = W3C_FORMATS[answer_format.w3c] if answer_format.w3c else None
        graph.add((service, SD.resultFormat, iri or MEDIA_TYPE[answer_format.media_type]))
    dataset = BNode()
    default_graph = BNode()
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, SD.defaultGraph, default_graph))
    graph.add((default_graph, RDF.type, SD.Graph))
    if (count := triples.get()) is not None:
        graph.add((default_graph, VOID.triples, Literal(count, datatype=XSD.integer)))
    for name in store.graph_names():
        named = BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(name)))
    graph.add((service, DCTERMS.title, Literal(f"accordkg {accordkg.__version__}")))
    body = serialize_rdf(graph, chosen)
    return Response(body, media_type=chosen.content_type, headers={"Vary": "Accept"})
