"""The dataset for download and its description: dumps at /dumps/{file}, VoID with DCAT 3
at /.well-known/void, and the home page `/`, which is the dataset's page for people and
its description for every other client. All are brought up to date after writes, on
demand."""

import base64
from collections.abc import Iterator
from typing import IO, Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from rdflib import Graph

from accordkg.api.openapi import answers, format_parameter
from accordkg.linked_data.documents import serialize_rdf
from accordkg.linked_data.home import home_page
from accordkg.linked_data.pages import VOID_PATH
from accordkg.publishing.dumps import (
    CHECKSUMS,
    CHUNK,
    DUMP_FORMATS,
    GZIP_MEDIA_TYPE,
    DumpFile,
    PublishedDumps,
    checksums_text,
    dump_file_names,
)
from accordkg.publishing.void import CurrentStatistics, Urls, describe_dataset
from accordkg.settings import Settings
from accordkg.sparql.formats import Answers, choices, chosen_format, offers
from accordkg.sparql.negotiation import negotiate
from accordkg.store import Store

DESCRIPTION_OFFERS = {
    media_type: answer_format
    for media_type, answer_format in offers(Answers.GRAPH).items()
    if answer_format.name in ("turtle", "ntriples", "jsonld", "rdfxml")
}
GRAPH_API = "graph"  # the graph traversal API (api/graph.py), under the base URL
DUMPS = answers(
    [*(f.media_type for f in DUMP_FORMATS.values()), GZIP_MEDIA_TYPE, "text/plain"],
    "The file (SHA256SUMS is text/plain).",
) | {304: {"description": "Not Modified: the file is the one the `If-None-Match` ETag names."}}
DESCRIPTION_ANSWERS = answers(
    (f.media_type for f in DESCRIPTION_OFFERS.values()), "VoID and DCAT 3, in RDF."
)
HOME_ANSWERS = answers(
    ["text/html", *(f.media_type for f in DESCRIPTION_OFFERS.values())],
    "The home page for a client that prefers HTML, else the dataset's description.",
)
# HTML last: a client stating no preference (`*/*`, or no Accept) gets the description.
HOME_OFFERS = [*DESCRIPTION_OFFERS, "text/html"]


def dataset_router(settings: Settings, store: Store, ontology: Graph) -> APIRouter:
    """/dumps/{file}, /.well-known/void and / over the store's current content; the
    ontology names the forms and legal forces of the home page's table."""
    router = APIRouter(tags=["dataset"])
    dumps = PublishedDumps(store, settings.dumps_dir)
    statistics = CurrentStatistics(store, settings.base_iri)

    @router.api_route(
        "/dumps/{file_name}", methods=["GET", "HEAD"], response_class=Response, responses=DUMPS
    )
    def dump_file(
        file_name: Annotated[
            str, Path(json_schema_extra={"enum": [*dump_file_names(), CHECKSUMS]})
        ],
        request: Request,
    ) -> Response:
        """A dump of the whole graph (accordkg.nq, .nt, .ttl, .jsonld, each also .gz), or
        SHA256SUMS; `ETag` and `Repr-Digest` carry the SHA-256 of the bytes."""
        if file_name == CHECKSUMS:
            body = checksums_text(dumps.current()).encode("ascii")
            return Response(body, media_type="text/plain; charset=us-ascii")
        dump, handle = dumps.open(file_name)
        headers = _validators(dump)
        if _matches(request.headers.get("if-none-match"), dump):
            handle.close()
            return Response(status_code=304, headers=headers)
        headers["Content-Length"] = str(dump.size)
        if request.method == "HEAD":
            handle.close()
            return Response(headers=headers, media_type=dump.media_type)
        return StreamingResponse(_chunks(handle), headers=headers, media_type=dump.media_type)

    @router.api_route(
        "/.well-known/void",
        methods=["GET", "HEAD"],
        response_class=Response,
        responses=DESCRIPTION_ANSWERS,
    )
    def void_description(
        request: Request,
        format_override: Annotated[
            str | None, format_parameter(choices(DESCRIPTION_OFFERS))
        ] = None,
    ) -> Response:
        """The dataset's VoID and DCAT 3 description: statistics counted from the data,
        linksets, dumps with sizes and checksums, and the services that serve it. Turtle,
        N-Triples, JSON-LD or RDF/XML, by `Accept` or `format`."""
        chosen = chosen_format(
            DESCRIPTION_OFFERS,
            [format_override] if format_override else [],
            request.headers.get("accept"),
        )
        body = serialize_rdf(description(request), chosen)
        return Response(body, media_type=chosen.content_type, headers={"Vary": "Accept"})

    @router.api_route("/", methods=["GET", "HEAD"], response_class=Response, responses=HOME_ANSWERS)
    def home(
        request: Request,
        format_override: Annotated[
            str | None, format_parameter(choices(DESCRIPTION_OFFERS))
        ] = None,
    ) -> Response:
        """The home page, for a client that prefers HTML: the instruments in a table, the
        dataset's figures and the ways in (workbench, explorer, dumps, VoID, API docs).
        Every other client gets the dataset's description, as /.well-known/void answers."""
        accept = request.headers.get("accept")
        if format_override or negotiate(accept, HOME_OFFERS) != "text/html":
            return void_description(request, format_override)
        void_url = str(request.url_for("void_description"))
        page = home_page(
            store=store,
            ontology=ontology,
            base_iri=settings.base_iri,
            statistics=statistics.get(),
            dataset={
                "title": settings.dataset_title,
                "description": settings.dataset_description,
                "iri": f"{void_url}#dataset",
            },
            alternates=[
                (f.media_type, f.title, f"{VOID_PATH}?format={f.name}")
                for f in dict.fromkeys(DESCRIPTION_OFFERS.values())
            ],
        )
        return HTMLResponse(page, headers={"Vary": "Accept"})

    def description(request: Request) -> Graph:
        """The dataset's VoID and DCAT description, its URLs those `request` came by."""
        dump_set = dumps.current()
        urls = Urls(
            description=str(request.url_for("void_description")),
            sparql=str(request.url_for("sparql_get")),
            dumps={
                f.file_name: str(request.url_for("dump_file", file_name=f.file_name))
                for f in dump_set
            },
            openapi=str(request.url_for("openapi")),
            graph_api=f"{request.base_url}{GRAPH_API}",
        )
        return describe_dataset(settings, statistics.get(), dump_set, urls)

    return router


def _validators(dump: DumpFile) -> dict[str, str]:
    """Headers that identify the bytes: a strong ETag and the RFC 9530 digest, both of
    the SHA-256 that SHA256SUMS lists; clients revalidate, as the URL stays the same."""
    digest = base64.b64encode(bytes.fromhex(dump.sha256)).decode("ascii")
    return {
        "ETag": f'"{dump.sha256}"',
        "Repr-Digest": f"sha-256=:{digest}:",
        "Cache-Control": "no-cache",
    }


def _matches(if_none_match: str | None, dump: DumpFile) -> bool:
    if not if_none_match:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in tags or f'"{dump.sha256}"' in tags


def _chunks(handle: IO[bytes]) -> Iterator[bytes]:
    with handle:
        while chunk := handle.read(CHUNK):
            yield chunk
