"""Every format accordkg answers a query in, in one registry.

An entry says all there is to know about a format: its name (what `format=` and the
command line take), the media types that stand for it, the words clients send for it,
its file extension, its IRI among the W3C's format names, the writer of its answers
(accordkg.sparql.writers) and rdflib's serializer where rdflib writes it. Negotiation,
the writers, the service description, the OpenAPI document, dumps, Linked Data documents
and the command line all read this registry, so a new format is one `register` call and
its writer.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from accordkg.errors import InputError, NotAcceptableError
from accordkg.sparql.negotiation import negotiate
from accordkg.sparql.writers import (
    CSV_LAYOUT,
    JSON_LAYOUT,
    TSV_LAYOUT,
    XML_LAYOUT,
    SolutionsWriter,
    TriplesWriter,
    solutions_bytes,
)
from accordkg.store import Solutions


class Answers(Enum):
    """What a format can carry: solutions (SELECT, and ASK's boolean) or a graph."""

    SOLUTIONS = "solutions"
    GRAPH = "graph"


@dataclass(frozen=True)
class Format:
    """One answer format; see the module's docstring."""

    name: str
    title: str
    answers: Answers
    media_type: str  # the one it is served as, without parameters
    extension: str
    writer: SolutionsWriter | TriplesWriter
    w3c: str | None = None  # the local name of its IRI under http://www.w3.org/ns/formats/
    also_media_types: tuple[str, ...] = ()  # that clients send for it (Accept, format=)
    words: tuple[str, ...] = ()  # short names clients put in format= besides `name`
    rdflib: str | None = None  # rdflib's serializer, where rdflib writes graphs in it

    @property
    def content_type(self) -> str:
        """The Content-Type header: text types say their charset."""
        text = self.media_type.startswith("text/")
        return f"{self.media_type}; charset=utf-8" if text else self.media_type

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.also_media_types)


FORMATS: dict[str, Format] = {}
"""The registry: every format by name, in order of preference within its kind of answer
(the first of a kind is what a client that states no preference gets)."""


def register(answer_format: Format) -> Format:
    """Add a format to the registry (or replace the one of the same name)."""
    FORMATS[answer_format.name] = answer_format
    return answer_format


def formats_for(answers: Answers) -> list[Format]:
    """The registered formats of a kind of answer, in order of preference."""
    return [f for f in FORMATS.values() if f.answers is answers]


def offers(answers: Answers) -> dict[str, Format]:
    """The media types to negotiate over for a kind of answer, in order of preference,
    each with the format it stands for (a media type two formats share goes to the first)."""
    offered: dict[str, Format] = {}
    for answer_format in formats_for(answers):
        for media_type in answer_format.media_types:
            offered.setdefault(media_type, answer_format)
    return offered


def format_among(word: str, candidates: Iterable[Format]) -> Format | None:
    """The candidate a `format=` value names (its name, one of its words or media types;
    case and media type parameters aside), if any."""
    wanted = word.partition(";")[0].strip().lower()
    listed = list(candidates)
    for kind in ("name", "words", "media_types"):
        for answer_format in listed:
            value = getattr(answer_format, kind)
            if wanted == value or (isinstance(value, tuple) and wanted in value):
                return answer_format
    return None


def format_named(name: str, answers: Answers | None = None) -> Format:
    """The registered format `name`, of the given kind of answer if one is given; an
    InputError listing the choices if there is none."""
    candidates = list(FORMATS.values()) if answers is None else formats_for(answers)
    found = format_among(name, candidates)
    if found is None:
        known = ", ".join(f.name for f in candidates)
        raise InputError(f"unknown format {name!r}; use one of {known}")
    return found


def choices(offered: dict[str, Format]) -> list[str]:
    """Every value `format=` takes among `offered` (see `offers`): names, words and media
    types."""
    values = []
    for answer_format in dict.fromkeys(offered.values()):
        values += [answer_format.name, *answer_format.words, *answer_format.media_types]
    return list(dict.fromkeys(values))


def chosen_format(offered: dict[str, Format], override: list[str], accept: str | None) -> Format:
    """The format the first usable `format=` value names (a name, a word clients use, or
    a media type), else the one `Accept` prefers among `offered` (see `offers`). A
    `format` that names nothing this answer comes in gives way to an `Accept` that names
    a type it does; else it is a 400."""
    for wanted in override:
        found = format_among(wanted, offered.values())
        if found is not None:
            return found
    if override:
        stated = negotiate(accept, list(offered), stated=True)
        if stated is None:
            names = ", ".join(sorted({f.name for f in offered.values()}))
            raise InputError(f"format must be one of {names} for this answer, not {override[0]!r}")
        return offered[stated]
    chosen = negotiate(accept, list(offered))
    if chosen is None:
        raise NotAcceptableError(
            f"none of the accepted types fits this answer; offered: {', '.join(offered)}"
        )
    return offered[chosen]


def serialize_solutions(solutions: Solutions, name: str) -> bytes:
    """Solutions read through the store interface, in the result format `name`, written
    as a worker writes them."""
    writer = format_named(name, Answers.SOLUTIONS).writer
    if not isinstance(writer, SolutionsWriter):
        raise InputError(f"{name} is not written as solutions")
    return solutions_bytes(solutions, writer)


# The SPARQL 1.1 result formats, then the RDF ones. SPARQLWrapper sends `json` and `xml`
# for results and graphs alike, so those words name a format of each kind.
for entry in (
    Format("json", "SPARQL 1.1 Query Results JSON", Answers.SOLUTIONS,
           "application/sparql-results+json", "srj", SolutionsWriter(JSON_LAYOUT, "JSON"),
           w3c="SPARQL_Results_JSON", also_media_types=("application/json",)),
    Format("xml", "SPARQL 1.1 Query Results XML", Answers.SOLUTIONS,
           "application/sparql-results+xml", "srx", SolutionsWriter(XML_LAYOUT, "XML"),
           w3c="SPARQL_Results_XML", also_media_types=("application/xml", "text/xml")),
    Format("csv", "SPARQL 1.1 Query Results CSV", Answers.SOLUTIONS, "text/csv", "csv",
           SolutionsWriter(CSV_LAYOUT, "CSV"), w3c="SPARQL_Results_CSV"),
    Format("tsv", "SPARQL 1.1 Query Results TSV", Answers.SOLUTIONS,
           "text/tab-separated-values", "tsv", SolutionsWriter(TSV_LAYOUT, "TSV"),
           w3c="SPARQL_Results_TSV"),
    Format("turtle", "Turtle", Answers.GRAPH, "text/turtle", "ttl", TriplesWriter("TURTLE"),
           w3c="Turtle", also_media_types=("application/x-turtle",),
           words=("ttl", "n3", "text/n3", "text/rdf+n3", "application/turtle"), rdflib="turtle"),
    Format("ntriples", "N-Triples", Answers.GRAPH, "application/n-triples", "nt",
           TriplesWriter("N_TRIPLES"), w3c="N-Triples", also_media_types=("text/plain",),
           words=("nt", "n-triples"), rdflib="nt"),
    # A graph's N-Triples lines are N-Quads of the default graph (rdflib's own N-Quads
    # writer refuses a graph that is not a dataset).
    Format("nquads", "N-Quads", Answers.GRAPH, "application/n-quads", "nq",
           TriplesWriter("N_QUADS", as_quads=True), w3c="N-Quads", words=("nq", "n-quads"),
           rdflib="nt"),
    Format("jsonld", "JSON-LD", Answers.GRAPH, "application/ld+json", "jsonld",
           TriplesWriter("JSON_LD"), w3c="JSON-LD", words=("json", "json-ld")),
    Format("rdfxml", "RDF/XML", Answers.GRAPH, "application/rdf+xml", "rdf",
           TriplesWriter("RDF_XML"), w3c="RDF_XML", also_media_types=("application/xml",),
           words=("xml", "rdf", "rdf+xml", "rdf/xml"), rdflib="xml"),
):  # fmt: skip
    register(entry)
