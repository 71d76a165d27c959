"""What a build may keep: the documents whose graph in the store came from the same inputs.

A document's key hashes everything its graph depends on: the source file's bytes, its
metadata record and curator's corrections beside it (`NAME.toml`,
`NAME.corrections.toml`), the curated records and themes it is linked and validated
with, the base IRI and size limit, and the software: accordkg's version and the bytes
of every file of the package (code, ontology, shapes). Hashing the whole package
re-extracts everything after any change to it, which is simpler than knowing which code
a graph depends on, and never keeps a stale graph. A changed record re-extracts every
document, for the same reason.

The cache is a JSON file in the data directory. An entry is trusted only while the
store holds that document's graph with the number of triples it had when written; a
missing, unreadable or foreign cache is no cache (a full build), never a wrong graph.
"""

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import closing
from dataclasses import asdict, dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from rdflib import URIRef

import accordkg
from accordkg.errors import InputError, StoreError
from accordkg.extraction.registry import Registry
from accordkg.settings import Settings
from accordkg.store import Store, open_store

CACHE_FORMAT = 1
GRAPH_SIZES = """
SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g
"""


@dataclass(frozen=True)
class CachedDocument:
    """A document as the last build that extracted it left it in the store."""

    key: str
    graph_iri: str
    warnings: tuple[str, ...]
    triples: int


def inputs_digest(settings: Settings) -> str:
    """The hash of what every document's graph depends on besides its own files."""
    digest = hashlib.sha256(f"{CACHE_FORMAT}\n{accordkg.__version__}\n".encode())
    digest.update(f"{settings.base_iri}\n{settings.max_source_bytes}\n".encode())
    for resource in sorted(_package_files(files("accordkg")), key=str):
        digest.update(resource.name.encode() + b"\0" + resource.read_bytes())
    for path in Registry.files(settings.input_dir):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def document_key(path: Path, inputs: str) -> str:
    """The key of one source file: its bytes and those of the files beside it that
    change its graph, with the inputs every document shares."""
    digest = hashlib.sha256(inputs.encode())
    for companion in (path, path.with_suffix(".toml"), path.with_suffix(".corrections.toml")):
        try:
            digest.update(f"\0{companion.name}\0".encode() + companion.read_bytes())
        except FileNotFoundError:
            digest.update(f"\0{companion.name} absent\0".encode())
        except OSError as exc:
            raise InputError(f"{companion}: cannot be read: {exc.strerror or exc}") from exc
    return digest.hexdigest()


def read_cache(cache_file: Path, settings: Settings) -> dict[str, CachedDocument]:
    """The cached documents, by source path, whose graph the store still holds as it was
    written; nothing when the file is missing or unreadable (the store is not opened)."""
    try:
        entries = json.loads(cache_file.read_text("utf-8"))
        cached = {
            source: CachedDocument(
                key=str(entry["key"]),
                graph_iri=str(entry["graph_iri"]),
                warnings=tuple(str(w) for w in entry["warnings"]),
                triples=int(entry["triples"]),
            )
            for source, entry in entries["documents"].items()
        }
        if entries["format"] != CACHE_FORMAT:
            return {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}
    if not cached:
        return {}
    with closing(open_store(settings)) as store:
        sizes = graph_sizes(store)
    return {s: c for s, c in cached.items() if sizes.get(c.graph_iri) == c.triples}


def graph_sizes(store: Store) -> dict[str, int]:
    """The number of triples in each named graph of the store."""
    return {str(row["g"]): int(row["n"]) for row in store.select(GRAPH_SIZES).rows}


def write_cache(cache_file: Path, documents: Mapping[str, CachedDocument]) -> None:
    """Replace the cache file whole (written beside it, then renamed)."""
    content = {"format": CACHE_FORMAT, "documents": {s: asdict(d) for s, d in documents.items()}}
    partial = cache_file.with_name(cache_file.name + ".partial")
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(json.dumps(content, indent=1, sort_keys=True), "utf-8")
        partial.replace(cache_file)
    except OSError as exc:
        raise StoreError(f"{cache_file}: cannot be written: {exc.strerror or exc}") from exc


def cached_documents(
    written: Iterable[tuple[str, str, URIRef, tuple[str, ...]]], store: Store
) -> Iterator[tuple[str, CachedDocument]]:
    """Cache entries for documents just written: (source, key, graph, warnings) each,
    with the size the store now gives its graph."""
    sizes = graph_sizes(store)
    for source, key, graph_iri, warnings in written:
        yield source, CachedDocument(key, str(graph_iri), warnings, sizes.get(str(graph_iri), -1))


def _package_files(root: Traversable) -> Iterator[Traversable]:
    for child in root.iterdir():
        if child.is_dir():
            if child.name != "__pycache__":
                yield from _package_files(child)
        elif child.name.endswith((".py", ".ttl", ".rq", ".html")):
            yield child
