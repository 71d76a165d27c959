"""`accordkg build`: the whole graph from the packaged ontology and the inputs in data/.

Everything is extracted and validated before anything is written to the store; then the
ontology, the curated records, the mappings and the graph of every document that
extracted and validated replace what the store held, in one transaction. A document
that fails is reported with its reason and keeps the graph it had (a corpus is never
blocked by one text); with `strict`, one failure stops the build and the store keeps
its state.
Imported graphs (`{base}graph/import/...`) are not the build's: they stay as they are.
The dumps of the new content are written last. The text of a web page or PDF whose text
is not yet stored is derived and stored beside it (see `accordkg.extraction.sources`):
the one thing a build writes under the inputs.
"""

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from rdflib import Graph, URIRef

from accordkg.errors import InputError, StoreError, ValidationError
from accordkg.extraction import ExtractedDocument, extract_source, with_supertypes
from accordkg.extraction.registry import Registry, slug
from accordkg.extraction.sources import read_source_text, store_source_text
from accordkg.extraction.sources import source_files as sources_in
from accordkg.graphs import (
    document_graph_iri,
    is_built_by_build,
    mappings_graph_iri,
    records_graph_iri,
)
from accordkg.linked_data.ontology_docs import render_ontology_html
from accordkg.linking.mappings import checked_against, read_mappings
from accordkg.linking.sssom import to_graph
from accordkg.namespaces import ONTOLOGY_IRI
from accordkg.pipeline.validation import validate
from accordkg.publishing.dumps import write_dumps
from accordkg.resources import ontology_graph
from accordkg.settings import Settings
from accordkg.store import open_store

ONTOLOGY_PAGE = "ontology.html"
T = TypeVar("T")


@dataclass(frozen=True)
class BuildSummary:
    """What a build put into the store, for the CLI to report."""

    documents: int
    graphs: int
    triples: int
    dump_files: int
    warnings: dict[str, tuple[str, ...]] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)


def source_files(settings: Settings) -> list[Path]:
    """The sources under data/sources/ (texts, web pages, PDFs), in a stable order."""
    return sources_in(settings.sources_dir)


def extract_checked(
    path: Path, registry: Registry, settings: Settings, *, store: bool = False
) -> ExtractedDocument:
    """One document extracted and validated together with the records it links to; with
    `store`, a text derived now from a web page or PDF is stored beside it first."""
    source = read_source_text(path, settings.max_source_bytes)
    if store:
        store_source_text(source)
    document = extract_source(source, registry, settings.base_iri)
    validate(document.graph + registry.graph)
    return document


def build(
    settings: Settings,
    progress: Callable[[Path], None] = lambda _: None,
    *,
    strict: bool = False,
) -> BuildSummary:
    """Extract, validate and load every document that can be; return what was loaded and
    which documents failed, and why. With `strict`, the first failure is raised."""
    registry = Registry.load(settings.input_dir, settings.base_iri)
    documents = []
    failures: dict[str, str] = {}
    failed_graphs: set[URIRef] = set()
    names: dict[str, Path] = {}
    for path in freezing(source_files(settings)):
        try:
            other = names.setdefault(slug(path.stem), path)
            if other != path:
                raise InputError(f"{path}: {other.name} has the same name; keep one of them")
            documents.append(extract_checked(path, registry, settings, store=True))
        except (InputError, ValidationError) as exc:
            if strict:
                raise
            failures[str(path)] = str(exc)
            failed_graphs.add(document_graph_iri(settings.base_iri, slug(path.stem)))
        progress(path)
    return _load(settings, registry, documents, failures, failed_graphs)


def freezing(items: Iterable[T]) -> Iterator[T]:
    """`items`, with what each step left alive moved out of the cyclic collector's sight
    (`gc.freeze()`): a batch keeps every document's graph until it is written, and
    otherwise each collection scans all of them again (a corpus extracts a third slower).
    They are handed back to the collector when the batch ends."""
    try:
        for item in items:
            yield item
            gc.freeze()
    finally:
        gc.unfreeze()


def _load(
    settings: Settings,
    registry: Registry,
    documents: list[ExtractedDocument],
    failures: dict[str, str],
    failed_graphs: set[URIRef],
) -> BuildSummary:
    """Write what a build extracted, with the ontology, records and mappings."""
    ontology = ontology_graph()
    graphs: dict[URIRef, Graph] = {
        ONTOLOGY_IRI: ontology,
        records_graph_iri(settings.base_iri): with_supertypes(registry.graph),
        **{document.graph_iri: document.graph for document in documents},
    }
    warnings = {str(d.path): d.warnings for d in documents if d.warnings}
    if settings.mappings_file.is_file():
        mapping_set = read_mappings(settings.mappings_file, settings)
        entities = Graph()
        for graph in graphs.values():
            entities += graph
        name = str(settings.mappings_file)
        mapping_warnings = [
            *mapping_set.warnings,
            *checked_against(mapping_set, entities, name),
        ]
        graphs[mappings_graph_iri(settings.base_iri)] = to_graph(mapping_set)
        if mapping_warnings:
            warnings[name] = tuple(mapping_warnings)
    page = settings.site_dir / ONTOLOGY_PAGE
    try:
        settings.site_dir.mkdir(parents=True, exist_ok=True)
        page.write_text(render_ontology_html(ontology), "utf-8")
    except OSError as exc:
        raise StoreError(f"{page}: cannot be written: {exc.strerror or exc}") from exc
    with closing(open_store(settings)) as store:
        stale = [
            URIRef(name)
            for name in store.graph_names()
            if is_built_by_build(settings.base_iri, name)
            and URIRef(name) not in graphs
            and URIRef(name) not in failed_graphs  # a failed document keeps its last graph
        ]
        store.replace_graphs(graphs, drop=stale)
        dumps = write_dumps(store, settings.dumps_dir)
        return BuildSummary(
            documents=len(documents),
            graphs=len(store.graph_names()),
            triples=store.triple_count(),
            dump_files=len(dumps),
            warnings=warnings,
            failures=failures,
        )
