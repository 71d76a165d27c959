"""Linked Data: instance IRIs that resolve, their documents, the ontology and the context.

`/id/{kind}/{slug}` names a thing (a declaration, a state), so it answers 303 See Other
to a document about it, chosen by the Accept header; each document also has a URL of its
own, `/doc/{kind}/{slug}.{html|ttl|jsonld|nt|rdf}`, which caches can keep apart (many
ignore Vary). The path maps to the IRI `{base}{kind}/{slug}` whatever the configured
base, so a redirect from the base (such as w3id.org) to this server makes every IRI
resolve.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from rdflib import Graph, URIRef

from accordkg.api.errors import error_response
from accordkg.api.openapi import answers
from accordkg.errors import NotAcceptableError, NotFoundError
from accordkg.linked_data.describe import PATH_SEGMENT, describe, entity_iri, exists
from accordkg.linked_data.documents import (
    BY_EXTENSION,
    DOCUMENT_FORMATS,
    RDF_DOCUMENT_FORMATS,
    document_offers,
    extension_for,
    serialize_rdf,
)
from accordkg.linked_data.jsonld import CONTEXT_VERSION, context_document
from accordkg.linked_data.ontology_docs import render_ontology_html
from accordkg.linked_data.pages import SOURCE_KIND, Pages
from accordkg.namespaces import AK
from accordkg.settings import Settings
from accordkg.sparql.negotiation import negotiate
from accordkg.store import Store

VARY = {"Vary": "Accept"}
# The path segment naming an entity's kind; the examples name an entity of the seed data.
KindSegment = Annotated[str, Path(examples=["state"])]
DOCUMENTS = answers((f.media_type for f in DOCUMENT_FORMATS), "The document.")
SEE_OTHER: dict[int | str, dict[str, Any]] = {
    303: {
        "description": "See Other: the document about it, in `Location`.",
        "headers": {"Location": {"schema": {"type": "string"}}},
    }
}
NOT_FOUND_PAGE = answers(["text/html"], "Not found: an HTML page for browsers.", status=404)


def linked_data_router(settings: Settings, store: Store, ontology: Graph) -> APIRouter:
    router = APIRouter(tags=["linked data"])
    pages = Pages(settings.base_iri, ontology, store, settings.sources_dir)

    @router.api_route(
        "/id/{kind}/{slug}",
        methods=["GET", "HEAD"],
        status_code=303,
        response_class=Response,
        responses=SEE_OTHER | NOT_FOUND_PAGE,
    )
    def resolve(
        kind: KindSegment, slug: Annotated[str, Path(examples=["united-kingdom"])], request: Request
    ) -> Response:
        """Redirect (303) to the document about this entity in the format `Accept` prefers:
        HTML (also when Accept is absent), Turtle, JSON-LD, N-Triples or RDF/XML."""
        accept = request.headers.get("accept")
        iri = _known(store, settings.base_iri, kind, slug)
        if iri is None:
            return _not_found(pages, f"{settings.base_iri}{kind}/{slug}", accept)
        chosen = negotiate(accept, document_offers())
        if chosen is None:
            raise NotAcceptableError(
                f"{iri} is available as {', '.join(f.media_type for f in BY_EXTENSION.values())}"
            )
        return RedirectResponse(
            f"/doc/{kind}/{slug}.{extension_for(chosen)}", status_code=303, headers=VARY
        )

    @router.api_route(
        "/doc/{kind}/{document}",
        methods=["GET", "HEAD"],
        response_class=Response,
        responses=DOCUMENTS | NOT_FOUND_PAGE,
    )
    def entity_document(
        kind: KindSegment, document: Annotated[str, Path(examples=["united-kingdom.ttl"])]
    ) -> Response:
        """The description of `/id/{kind}/{slug}` as the document `{slug}.{extension}`; the
        HTML page of a source document is its review page: its text with every fact's span
        marked, the warnings of its extraction and the corrections applied."""
        slug, _, extension = document.rpartition(".")
        found = BY_EXTENSION.get(extension)
        if found is None or not slug:
            raise NotFoundError(
                f"{document}: documents are named {{slug}}.{{{','.join(BY_EXTENSION)}}}"
            )
        if extension == "html" and _known(store, settings.base_iri, kind, slug) is None:
            return _not_found(pages, f"{settings.base_iri}{kind}/{slug}", "text/html")
        description = describe(store, entity_iri(settings.base_iri, kind, slug))
        if found.rdf is None:
            render = pages.review if kind == SOURCE_KIND else pages.entity
            body = render(description, f"/doc/{kind}/{slug}").encode("utf-8")
        else:
            body = serialize_rdf(description.graph, found.rdf)
        links = ", ".join(
            f'</doc/{kind}/{slug}.{f.extension}>; rel="alternate"; type="{f.media_type}"'
            for f in RDF_DOCUMENT_FORMATS
            if f.extension != extension
        )
        return Response(body, media_type=found.content_type, headers={"Link": links})

    return router


def ontology_router(ontology: Graph) -> APIRouter:
    router = APIRouter(tags=["ontology"])
    documents = {
        f.extension: serialize_rdf(ontology, f.rdf) for f in RDF_DOCUMENT_FORMATS if f.rdf
    } | {"html": render_ontology_html(ontology).encode("utf-8")}
    terms = {t.fragment for t in ontology.subjects() if isinstance(t, URIRef) and t in AK}

    # The ontology's terms are hash IRIs (…/ontology#Party): a client dereferences the
    # ontology IRI itself, which names the ontology document, so /ontology may answer
    # with a representation directly (200, Vary: Accept, Content-Location) instead of a
    # 303; browsers then scroll to the term's anchor in the HTML documentation.
    @router.api_route(
        "/ontology", methods=["GET", "HEAD"], response_class=Response, responses=DOCUMENTS
    )
    def ontology_document(request: Request) -> Response:
        """The ontology: HTML documentation for browsers (and when Accept is absent),
        Turtle, JSON-LD, N-Triples or RDF/XML for machines."""
        chosen = negotiate(request.headers.get("accept"), document_offers())
        if chosen is None:
            raise NotAcceptableError(
                "the ontology is available as HTML, Turtle, JSON-LD, N-Triples and RDF/XML"
            )
        extension = extension_for(chosen)
        headers = VARY | {"Content-Location": f"/ontology.{extension}"}
        return Response(
            documents[extension], media_type=BY_EXTENSION[extension].content_type, headers=headers
        )

    @router.api_route(
        "/ontology.{extension}",
        methods=["GET", "HEAD"],
        response_class=Response,
        responses=DOCUMENTS,
    )
    def ontology_as(
        extension: Annotated[str, Path(json_schema_extra={"enum": list(documents)})],
    ) -> Response:
        """The ontology as one document: `html`, `ttl`, `jsonld`, `nt` or `rdf`."""
        if extension not in documents:
            raise NotFoundError(f"the ontology is at /ontology.{{{','.join(documents)}}}")
        return Response(documents[extension], media_type=BY_EXTENSION[extension].content_type)

    @router.api_route(
        "/ontology/{term}",
        methods=["GET", "HEAD"],
        status_code=303,
        response_class=Response,
        responses=SEE_OTHER,
    )
    def ontology_term(term: Annotated[str, Path(examples=["Party"])]) -> Response:
        """A term's entry in the documentation: 303 to `/ontology#{term}`."""
        if not PATH_SEGMENT.fullmatch(term) or term not in terms:
            raise NotFoundError(f"the ontology has no term {term!r}")
        return RedirectResponse(f"/ontology#{term}", status_code=303)

    @router.api_route(
        f"/context/{CONTEXT_VERSION}.jsonld",
        methods=["GET", "HEAD"],
        response_class=Response,
        responses=answers(["application/ld+json"], "The JSON-LD context."),
    )
    def jsonld_context() -> Response:
        """The JSON-LD context every JSON-LD answer of this service uses (inline)."""
        return Response(context_document(), media_type="application/ld+json")

    return router


def _known(store: Store, base_iri: str, kind: str, slug: str) -> URIRef | None:
    """The IRI `{base}{kind}/{slug}` if the store knows it; None if it does not or cannot."""
    try:
        iri = entity_iri(base_iri, kind, slug)
    except NotFoundError:
        return None
    return iri if exists(store, iri) else None


def _not_found(pages: Pages, iri: str, accept: str | None) -> Response:
    """A 404 as an HTML page for browsers; for machines the usual JSON error."""
    if negotiate(accept, ["application/json", "text/html"]) == "text/html":
        return HTMLResponse(pages.not_found(iri), status_code=404, headers=VARY)
    return error_response(NotFoundError(f"nothing is known about {iri}"), VARY)
