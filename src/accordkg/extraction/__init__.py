"""Source text to RDF: clean → segment → extract → RDF, each stage a module of its own.

`extract_file` runs the stages on one file (`extract_source` on a source's text, read by
`accordkg.extraction.sources`: a text file, or the text derived from a web page or a PDF);
validation and loading are the caller's (see `accordkg.pipeline.build`), so a document
can be checked before anything is written.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import Graph, Node, URIRef
from rdflib.namespace import RDF, RDFS

import accordkg
from accordkg.extraction.clean import clean
from accordkg.extraction.facts import extract, minted_warning
from accordkg.extraction.rdf import Source, to_rdf
from accordkg.extraction.registry import Registry, slug
from accordkg.extraction.segment import segment
from accordkg.extraction.sources import SourceText, read_source_text
from accordkg.graphs import document_graph_iri
from accordkg.resources import CORE_MODULE, ontology_graph


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
    """Run every extraction stage on one source file (a text derived now, where the file
    is a web page or a PDF whose text is not stored beside it)."""
    return extract_source(read_source_text(path, max_bytes), registry, base_iri)


def extract_source(source: SourceText, registry: Registry, base_iri: str) -> ExtractedDocument:
    """Run every extraction stage on a source's text."""
    document = clean(source.text)
    facts = extract(segment(document), str(source.path))
    recorded = {  # parties the gazetteer does not know but the records do: none is minted
        minted_warning(party.names[0])
        for party in facts.parties
        if party.known is None and any(registry.party(name) for name in party.names)
    }
    doc_id = slug(source.path.stem)
    described = Source(
        doc_id=doc_id,
        file_name=source.text_file.name,
        raw=source.text,
        sha256=source.sha256,
        publisher=source.metadata.get("publisher"),
        software_version=accordkg.__version__,
        warnings=(
            *source.warnings,
            *document.repairs,
            *(warning for warning in facts.warnings if warning not in recorded),
        ),
        url=source.metadata.get("url"),
        retrieved=source.metadata.get("retrieved"),
        derivation=source.derivation,
    )
    graph = with_supertypes(to_rdf(facts, described, registry, base_iri))
    return ExtractedDocument(
        path=source.path,
        graph_iri=document_graph_iri(base_iri, doc_id),
        graph=graph,
        warnings=described.warnings,
    )


def with_supertypes(graph: Graph) -> Graph:
    """`graph` with every rdf:type extended up the core ontology's class hierarchy and
    every statement up its property hierarchy, so plain SPARQL finds a declaration as an
    ak:Instrument, and a party that signs (ak:signedBy) or a date signed (ak:dateSigned)
    as an ak:party or an ak:date, without a reasoner."""
    superclasses = ontology_ancestors(RDFS.subClassOf)
    superproperties = ontology_ancestors(RDFS.subPropertyOf)
    for subject, predicate, value in list(graph):
        if predicate == RDF.type:
            for superclass in superclasses.get(value, ()):
                graph.add((subject, RDF.type, superclass))
        for superproperty in superproperties.get(predicate, ()):
            graph.add((subject, superproperty, value))
    return graph


@cache
def ontology_ancestors(link: URIRef) -> dict[Node, frozenset[Node]]:
    """Each class (or property) of the core ontology with all its superclasses (or
    superproperties), parsed once."""
    ontology = ontology_graph((CORE_MODULE,))
    return {
        term: frozenset(s for s in ontology.transitive_objects(term, link) if s and s != term)
        for term in set(ontology.subjects(link))
    }
