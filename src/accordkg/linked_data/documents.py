"""The documents a Linked Data resource is served as, and how each RDF one is written.

One table for the entity pages and the ontology: the extension of each document's URL,
its media type, and its name for people. HTML comes first: it is what a client that
states no preference gets.
"""

from dataclasses import dataclass

from rdflib import Graph

from accordkg.linked_data.jsonld import to_jsonld


@dataclass(frozen=True)
class DocumentFormat:
    extension: str
    media_type: str
    name: str
    rdflib_format: str | None  # None: not written by rdflib's serializers (HTML, JSON-LD)

    @property
    def content_type(self) -> str:
        """The Content-Type header: text types say their charset."""
        return (
            f"{self.media_type}; charset=utf-8"
            if self.media_type.startswith("text/")
            else self.media_type
        )


DOCUMENT_FORMATS = (
    DocumentFormat("html", "text/html", "HTML", None),
    DocumentFormat("ttl", "text/turtle", "Turtle", "turtle"),
    DocumentFormat("jsonld", "application/ld+json", "JSON-LD", None),
    DocumentFormat("nt", "application/n-triples", "N-Triples", "nt"),
    DocumentFormat("rdf", "application/rdf+xml", "RDF/XML", "xml"),
)
BY_EXTENSION = {f.extension: f for f in DOCUMENT_FORMATS}
RDF_FORMATS = tuple(f for f in DOCUMENT_FORMATS if f.extension != "html")
# Media types clients send that mean one of ours: text/plain is N-Triples' old media type,
# which rdflib asks for when told to read N-Triples (as /sparql answers it too).
ALIASES = {"application/xhtml+xml": "html", "application/json": "jsonld", "text/plain": "nt"}


def offers() -> list[str]:
    """Media types to negotiate over, in our order of preference (HTML first)."""
    return [f.media_type for f in DOCUMENT_FORMATS] + list(ALIASES)


def extension_for(media_type: str) -> str:
    """The extension of the document a negotiated media type stands for."""
    return ALIASES.get(media_type) or next(
        f.extension for f in DOCUMENT_FORMATS if f.media_type == media_type
    )


def serialize_rdf(graph: Graph, extension: str) -> bytes:
    """`graph` written as the RDF document with `extension` (ttl, jsonld, nt, rdf)."""
    if extension == "jsonld":
        return to_jsonld(graph)
    writer = BY_EXTENSION[extension].rdflib_format
    if writer is None:
        raise ValueError(f"{extension} is not an RDF document format")
    return graph.serialize(format=writer, encoding="utf-8")
