"""`accordkg build`: the whole graph from the packaged ontology and the inputs in data/.

Everything is extracted, corrected (the curator's corrections beside a source, see
`corrections`) and validated before anything is written to the store; then the
ontology, the curated records, the mappings and the graph of every document that
extracted and validated replace what the store held, in one transaction. A document that fails is
reported with its reason and keeps the graph it had (a corpus is never blocked by one
text); with `strict`, one failure stops the build and the store keeps its state.
A document whose inputs are those of the graph the store holds for it is neither
extracted nor validated again: its graph stays (see `build_cache`; `full` rebuilds all).
Imported graphs (`{base}graph/import/...`) are not the build's: they stay as they are.
Dumps are not the build's to write: they take longer than loading a changed document,
and the server brings them up to date for the store's content when they are asked for
(`accordkg dump` writes them on purpose). The text of a web page or PDF whose text
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
from accordkg.extraction.sources import (
    SourceText,
    read_source_text,
    source_files,
    store_source_text,
)
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
from accordkg.pipeline.build_cache import (
    CachedDocument,
    cached_documents,
    document_key,
    inputs_digest,
    read_cache,
    write_cache,
)
from accordkg.pipeline.corrections import apply_corrections, unapplied_corrections
from accordkg.pipeline.validation import validate, violations
from accordkg.resources import ontology_graph
from accordkg.settings import Settings
from accordkg.store import Store, open_store

ONTOLOGY_PAGE = "ontology.html"
T = TypeVar("T")


@dataclass(frozen=True)
class BuildSummary:
    """What a build put into the store, for the CLI to report."""

    documents: int
    graphs: int
    triples: int
    warnings: dict[str, tuple[str, ...]] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    # Of `documents`, those kept as the store held them: how the build got there, not
    # what it built, so two builds of the same inputs compare equal.
    reused: int = field(default=0, compare=False)


@dataclass(frozen=True)
class _Extracted:
    """A document extracted in this build, with its cache key."""

    source: str
    key: str
    document: ExtractedDocument


@dataclass
class _Outcome:
    """What became of each source: extracted and valid, reused, or failed (and why)."""

    extracted: list[_Extracted] = field(default_factory=list)
    reused: dict[str, CachedDocument] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    failed_graphs: set[URIRef] = field(default_factory=set)


def corpus_sources(settings: Settings) -> list[Path]:
    """The sources under data/sources/ (texts, web pages, PDFs), in a stable order."""
    return source_files(settings.sources_dir)


def extract_checked(
    path: Path, registry: Registry, settings: Settings, *, store: bool = False
) -> ExtractedDocument:
    """One document extracted, corrected and validated together with the records it links
    to; with `store`, a text derived now from a web page or PDF is stored beside it first."""
    source = read_source_text(path, settings.max_source_bytes)
    if store:
        store_source_text(source)
    document = extract_corrected(source, registry, settings.base_iri)
    validate(document.graph + registry.graph)
    return document


def extract_corrected(source: SourceText, registry: Registry, base_iri: str) -> ExtractedDocument:
    """A source's text extracted, with the curator's corrections beside it applied."""
    return apply_corrections(extract_source(source, registry, base_iri), source, registry, base_iri)


def build(
    settings: Settings,
    progress: Callable[[Path], None] = lambda _: None,
    *,
    strict: bool = False,
    full: bool = False,
) -> BuildSummary:
    """Extract, validate and load every document that can be (or keep its graph, when
    its inputs have not changed since; with `full`, every one is extracted again);
    return what was loaded and which documents failed, and why. With `strict`, the first
    failure is raised."""
    registry = Registry.load(settings.input_dir, settings.base_iri)
    inputs = inputs_digest(settings)
    cached = {} if full else read_cache(settings.build_cache_file, settings)
    outcome = _Outcome()
    names: dict[str, Path] = {}
    for path in freezing(corpus_sources(settings)):
        entry = cached.get(str(path))
        try:
            other = names.setdefault(slug(path.stem), path)
            if other != path:
                raise InputError(f"{path}: {other.name} has the same name; keep one of them")
            key = document_key(path, inputs)
            if entry is not None and entry.key == key:
                outcome.reused[str(path)] = entry
            else:
                source = read_source_text(path, settings.max_source_bytes)
                store_source_text(source)
                document = extract_corrected(source, registry, settings.base_iri)
                outcome.extracted.append(_Extracted(str(path), key, document))
        except InputError as exc:
            if strict:
                raise
            outcome.failures[str(path)] = str(exc)
            outcome.failed_graphs.add(document_graph_iri(settings.base_iri, slug(path.stem)))
        progress(path)
    _validate_batch(outcome, registry, strict=strict)
    return _load(settings, registry, outcome)


def _validate_batch(outcome: _Outcome, registry: Registry, *, strict: bool) -> None:
    """Validate the documents extracted, in one batch; those that fail move to the
    failures (with `strict`, the first is raised)."""
    graphs = {number: each.document.graph for number, each in enumerate(outcome.extracted)}
    found = violations(graphs, registry.graph)
    valid = []
    for number, each in enumerate(outcome.extracted):
        if not found[number]:
            valid.append(each)
        elif strict:
            raise ValidationError(found[number])
        else:
            outcome.failures[each.source] = str(ValidationError(found[number]))
            outcome.failed_graphs.add(each.document.graph_iri)
    outcome.extracted = valid


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


def _load(settings: Settings, registry: Registry, outcome: _Outcome) -> BuildSummary:
    """Write what a build extracted, with the ontology, records and mappings; the
    graphs of reused documents stay as they are."""
    with closing(open_store(settings)) as store:
        return _write(settings, store, registry, outcome)


def _write(settings: Settings, store: Store, registry: Registry, outcome: _Outcome) -> BuildSummary:
    extracted, reused = outcome.extracted, outcome.reused
    ontology = ontology_graph()
    documents = [each.document for each in extracted]
    graphs: dict[URIRef, Graph] = {
        ONTOLOGY_IRI: ontology,
        records_graph_iri(settings.base_iri): with_supertypes(registry.graph),
        **{document.graph_iri: document.graph for document in documents},
    }
    kept = {URIRef(entry.graph_iri) for entry in reused.values()}
    warnings = dict(
        sorted(
            [
                *((source, entry.warnings) for source, entry in reused.items()),
                *((each.source, each.document.warnings) for each in extracted),
            ]
        )
    )
    warnings = {source: found for source, found in warnings.items() if found}
    for path in unapplied_corrections(settings.sources_dir, corpus_sources(settings)):
        warnings[str(path)] = ("beside no source (NAME.txt, .html or .pdf): nothing applied",)
    if settings.mappings_file.is_file():
        mapping_set = read_mappings(settings.mappings_file, settings)
        subjects = sorted({subject for subject, _, _ in mapping_set.links()})
        entities = _entities(store, kept, subjects)
        for graph in graphs.values():  # what the new graphs say of the subjects, no more
            for subject in subjects:
                entities += graph.triples((subject, None, None))
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
    stale = [
        URIRef(name)
        for name in store.graph_names()
        if is_built_by_build(settings.base_iri, name)
        and URIRef(name) not in graphs
        and URIRef(name) not in kept
        and URIRef(name) not in outcome.failed_graphs  # a failed document keeps its last graph
    ]
    settings.build_cache_file.unlink(missing_ok=True)  # stale from here until rewritten
    store.replace_graphs(graphs, drop=stale)
    written = ((e.source, e.key, e.document.graph_iri, e.document.warnings) for e in extracted)
    write_cache(settings.build_cache_file, {**reused, **dict(cached_documents(written, store))})
    return BuildSummary(
        documents=len(documents) + len(reused),
        graphs=len(store.graph_names()),
        triples=store.triple_count(),
        warnings=warnings,
        failures=outcome.failures,
        reused=len(reused),
    )


def _entities(store: Store, graphs: set[URIRef], subjects: list[URIRef]) -> Graph:
    """What the kept `graphs` say about `subjects`, for checking the mappings."""
    if not graphs or not subjects:
        return Graph()
    return store.construct(
        "CONSTRUCT { ?s ?p ?o } WHERE { VALUES ?g { "
        + " ".join(g.n3() for g in sorted(graphs))
        + " } VALUES ?s { "
        + " ".join(s.n3() for s in subjects)
        + " } GRAPH ?g { ?s ?p ?o } }"
    )
