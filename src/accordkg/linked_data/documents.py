"""The documents a Linked Data resource is served as, and how each RDF one is written.

One table for the entity pages and the ontology: the extension of each document's URL,
its media type, and its name for people. HTML comes first: it is what a client that
states no preference gets; the RDF documents are formats of the registry
(accordkg.sparql.formats), written by rdflib.
"""

from dataclasses import dataclass

from rdflib import Graph

from accordkg.linked_data.jsonld import to_jsonld
from accordkg.sparql.formats import FORMATS, Format


@dataclass(frozen=True)
class DocumentFormat:
    extension: str
    media_type: str
    name: str
    rdf: Format | None  # None: the HTML page

    @property
    def content_type(self) -> str:
        """The Content-Type header: text types say their charset."""
        return self.rdf.content_type if self.rdf else f"{self.media_type}; charset=utf-8"


def _document(rdf: Format) -> DocumentFormat:
    return DocumentFormat(rdf.extension, rdf.media_type, rdf.title, rdf)


DOCUMENT_FORMATS = (
    DocumentFormat("html", "text/html", "HTML", None),
    *(_document(FORMATS[name]) for name in ("turtle", "jsonld", "ntriples", "rdfxml")),
)
BY_EXTENSION = {f.extension: f for f in DOCUMENT_FORMATS}
RDF_DOCUMENT_FORMATS = tuple(f for f in DOCUMENT_FORMATS if f.rdf is not None)
# Media types clients send that mean one of ours: text/plain is N-Triples' old media type,
# which rdflib asks for when told to read N-Triples (as /sparql answers it too).
ALIASES = {"application/xhtml+xml": "html", "application/json": "jsonld", "text/plain": "nt"}


def document_offers() -> list[str]:
    """Media types to negotiate over, in our order of preference (HTML first)."""
    return [f.media_type for f in DOCUMENT_FORMATS] + list(ALIASES)


def extension_for(media_type: str) -> str:
    """The extension of the document a negotiated media type stands for."""
    return ALIASES.get(media_type) or next(
        f.extension for f in DOCUMENT_FORMATS if f.media_type == media_type
    )


def serialize_rdf(graph: Graph, rdf: Format) -> bytes:
    """`graph` written in a graph format of the registry by rdflib (JSON-LD with the
    accordkg context, inline: nothing is fetched)."""
    if rdf.name == "jsonld":
        return to_jsonld(graph)
    if rdf.rdflib is None:
        raise ValueError(f"rdflib does not write {rdf.title}")
    return graph.serialize(format=rdf.rdflib, encoding="utf-8")
