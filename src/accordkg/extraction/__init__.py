"""Source text to RDF: clean → segment → extract → RDF, each stage a module of its own.

`extract_file` runs the stages on one file; validation and loading are the caller's
(see `accordkg.pipeline.build`), so a document can be checked before anything is written.
"""

import hashlib
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import Graph, Node, URIRef
from rdflib.namespace import RDF, RDFS

import accordkg
from accordkg.errors import InputError
from accordkg.extraction.clean import clean, read_source
from accordkg.extraction.facts import extract
from accordkg.extraction.rdf import Source, to_rdf
from accordkg.extraction.registry import Registry, slug
from accordkg.extraction.segment import segment
from accordkg.graphs import document_graph_iri
from accordkg.resources import CORE_MODULE, ontology_graph, read_text

METADATA_KEYS = frozenset({"publisher", "issuing_bureau", "release_type", "release_date"})


@dataclass(frozen=True)
class ExtractedDocument:
    """One source file's graph, the named graph it belongs in, and what went imperfectly."""

    path: Path
    graph_iri: URIRef
    graph: Graph
    warnings: tuple[str, ...]


def extract_file(
    path: Path, registry: Registry, base_iri: str, max_bytes: int
) -> ExtractedDocument:
    """Run every extraction stage on one source file."""
    raw = read_source(path, max_bytes)
    document = clean(raw)
    facts = extract(segment(document), str(path))
    doc_id = slug(path.stem)
    source = Source(
        doc_id=doc_id,
        file_name=path.name,
        raw=raw,
        sha256=hashlib.sha256(raw.encode("utf-8")).hexdigest(),  # strict UTF-8: the same bytes
        publisher=_metadata(path).get("publisher"),
        software_version=accordkg.__version__,
        warnings=(*document.repairs, *facts.warnings),
    )
    graph = with_supertypes(to_rdf(facts, source, registry, base_iri))
    return ExtractedDocument(
        path=path,
        graph_iri=document_graph_iri(base_iri, doc_id),
        graph=graph,
        warnings=source.warnings,
    )


def with_supertypes(graph: Graph) -> Graph:
    """`graph` with every rdf:type extended up the core ontology's class hierarchy and
    every statement up its property hierarchy, so plain SPARQL finds a declaration as an
    ak:Instrument, and a party that signs (ak:signedBy) or a date signed (ak:dateSigned)
    as an ak:party or an ak:date, without a reasoner."""
    superclasses = _ancestors(RDFS.subClassOf)
    superproperties = _ancestors(RDFS.subPropertyOf)
    for subject, predicate, value in list(graph):
        if predicate == RDF.type:
            for superclass in superclasses.get(value, ()):
                graph.add((subject, RDF.type, superclass))
        for superproperty in superproperties.get(predicate, ()):
            graph.add((subject, superproperty, value))
    return graph


@cache
def _ancestors(link: URIRef) -> dict[Node, frozenset[Node]]:
    """Each class (or property) of the core ontology with all its superclasses (or
    superproperties), parsed once."""
    ontology = ontology_graph((CORE_MODULE,))
    return {
        term: frozenset(s for s in ontology.transitive_objects(term, link) if s and s != term)
        for term in set(ontology.subjects(link))
    }


def _metadata(path: Path) -> dict[str, str]:
    """The optional metadata record beside a source file (`<name>.toml`)."""
    record = path.with_suffix(".toml")
    if not record.is_file():
        return {}
    try:
        values = tomllib.loads(read_text(record))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{record}: not a valid TOML metadata record: {exc}") from exc
    unknown = set(values) - METADATA_KEYS
    if unknown:
        raise InputError(
            f"{record}: unknown keys {sorted(unknown)}; known: {sorted(METADATA_KEYS)}"
        )
    return {key: str(value) for key, value in values.items()}
