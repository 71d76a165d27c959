"""Dumps of the whole graph, with SHA-256 checksums, for download and for mirrors.

One set of files in one directory: the named graphs as N-Quads, and the union of all
graphs (each triple once) as N-Triples, Turtle and JSON-LD (compacted with the accordkg
context, inline, never fetched), each also gzipped, and a `SHA256SUMS` file that
`sha256sum -c` checks.

The store streams its quads into the N-Quads file; an in-memory Oxigraph store loads
that file, merges the graphs into its default graph and writes N-Triples, Turtle and
JSON-LD from there (Turtle grouped by subject; JSON-LD written expanded by Oxigraph and
compacted with the context). No Python object per triple is made on the way: at 300k
triples that path took half a minute, this one seconds. Files are written in a private
directory and renamed into place one by one, so a reader sees a whole old file or a
whole new one, never half of one.
"""

import gzip
import hashlib
import shutil
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pyoxigraph

from accordkg.errors import InputError, NotFoundError, StoreError
from accordkg.linked_data.jsonld import default_graph_jsonld
from accordkg.namespaces import PREFIXES
from accordkg.sparql.formats import FORMATS, Format
from accordkg.store import Store

CHECKSUMS = "SHA256SUMS"
GZIP_MEDIA_TYPE = "application/gzip"
CHUNK = 1 << 20
GZIP_LEVEL = 6
PREFIX_IRIS = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


@dataclass(frozen=True)
class DumpFormat:
    """A format of the registry the graph is dumped in, and the file it goes to."""

    rdf: Format

    @property
    def name(self) -> str:
        return self.rdf.name

    @property
    def title(self) -> str:
        return self.rdf.title

    @property
    def media_type(self) -> str:
        return self.rdf.media_type

    @property
    def file_name(self) -> str:
        return f"accordkg.{self.rdf.extension}"


DUMP_FORMATS = {
    name: DumpFormat(FORMATS[name]) for name in ("nquads", "ntriples", "turtle", "jsonld")
}


@dataclass(frozen=True)
class DumpFile:
    """One file of a dump set as written: its format, whether gzipped, size and checksum."""

    format: DumpFormat
    compressed: bool
    size: int
    sha256: str

    @property
    def file_name(self) -> str:
        return self.format.file_name + (".gz" if self.compressed else "")

    @property
    def media_type(self) -> str:
        """The media type the file is served as (a gzipped file is `application/gzip`)."""
        return GZIP_MEDIA_TYPE if self.compressed else self.format.media_type


def dump_file_names() -> list[str]:
    """Every file name a dump set can hold."""
    return [f"{f.file_name}{suffix}" for f in DUMP_FORMATS.values() for suffix in ("", ".gz")]


def write_dumps(
    store: Store, directory: Path, formats: Iterable[str] = tuple(DUMP_FORMATS)
) -> list[DumpFile]:
    """Dump the store into `directory` in `formats` (names of DUMP_FORMATS), plain and
    gzipped, with SHA256SUMS; the directory then holds exactly this set. If the store's
    N-Quads are byte for byte those the directory already holds (and every file checks
    out), the files are left as they are."""
    wanted = _known_formats(formats)
    work = directory / f".partial-{uuid.uuid4().hex}"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        work.mkdir()
        nquads = work / DUMP_FORMATS["nquads"].file_name
        with nquads.open("wb") as output:
            store.dump_nquads(output)
        existing = _unchanged_set(directory, _sha256(nquads), wanted)
        if existing is not None:
            return existing
        _derive(nquads, wanted)
        if "nquads" not in wanted:
            nquads.unlink()
        files = [_compress_and_check(work, DUMP_FORMATS[name]) for name in wanted]
        dump_set = [file for pair in files for file in pair]
        _publish(work, directory, dump_set)
        return dump_set
    except OSError as exc:
        raise StoreError(f"cannot write the dumps in {directory}: {exc}") from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)


def read_dump_set(directory: Path) -> list[DumpFile] | None:
    """The dump set SHA256SUMS in `directory` lists, or None if there is none or any listed
    file is missing or does not match its checksum."""
    try:
        lines = (directory / CHECKSUMS).read_text("ascii").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    by_name = {
        f"{f.file_name}{'.gz' if gz else ''}": (f, gz)
        for f in DUMP_FORMATS.values()
        for gz in (False, True)
    }
    dump_set = []
    for line in lines:
        checksum, _, name = line.partition("  ")
        if name not in by_name:
            return None
        dump_format, compressed = by_name[name]
        path = directory / name
        if not path.is_file() or _sha256(path) != checksum:
            return None
        dump_set.append(DumpFile(dump_format, compressed, path.stat().st_size, checksum))
    return dump_set or None


def checksums_text(dump_set: Iterable[DumpFile]) -> str:
    """SHA256SUMS: one `checksum  file name` line per file, as `sha256sum` writes it."""
    return "".join(f"{file.sha256}  {file.file_name}\n" for file in dump_set)


class PublishedDumps:
    """The dump set a server publishes from one directory, brought up to date on demand
    when the store's data changed since (its generation moved), never on a timer. One
    lock orders refreshing and opening, so a file is always opened with its own
    checksum."""

    def __init__(self, store: Store, directory: Path) -> None:
        self._store = store
        self._directory = directory
        self._lock = threading.Lock()
        self._files: list[DumpFile] = []
        self._generation: int | None = None

    def current(self) -> list[DumpFile]:
        """The dump set as it is for the store's content now, refreshed if need be."""
        with self._lock:
            return self._refreshed()

    def open(self, file_name: str) -> tuple[DumpFile, IO[bytes]]:
        """A current dump file by name, opened for reading (the caller closes it);
        NotFoundError for other names."""
        with self._lock:
            dump = next((f for f in self._refreshed() if f.file_name == file_name), None)
            if dump is None:
                raise NotFoundError(
                    f"no dump {file_name!r}; there are: {', '.join(dump_file_names())}, {CHECKSUMS}"
                )
            return dump, (self._directory / file_name).open("rb")

    def _refreshed(self) -> list[DumpFile]:
        generation = self._store.generation
        if generation != self._generation:
            self._files = write_dumps(self._store, self._directory)
            self._generation = generation
        return self._files


def _known_formats(formats: Iterable[str]) -> list[str]:
    wanted = list(dict.fromkeys(formats))
    unknown = [name for name in wanted if name not in DUMP_FORMATS]
    if unknown or not wanted:
        raise InputError(
            f"dump formats are {', '.join(DUMP_FORMATS)}; not {', '.join(unknown) or 'none'}"
        )
    return wanted


def _unchanged_set(directory: Path, nquads_sha256: str, wanted: list[str]) -> list[DumpFile] | None:
    existing = read_dump_set(directory)
    if existing is None:
        return None
    listed = {(file.format.name, file.compressed): file for file in existing}
    same_formats = {name for name, _ in listed} == set(wanted)
    nquads = listed.get(("nquads", False))
    if same_formats and nquads is not None and nquads.sha256 == nquads_sha256:
        return existing
    return None


def _derive(nquads: Path, wanted: list[str]) -> None:
    """Write the union-graph formats in `wanted` beside the N-Quads file they come from."""
    directory = nquads.parent
    ntriples = directory / DUMP_FORMATS["ntriples"].file_name
    if not {"ntriples", "turtle", "jsonld"} & set(wanted):
        return
    union = pyoxigraph.Store()
    union.bulk_load(path=nquads, format=pyoxigraph.RdfFormat.N_QUADS)
    union.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } } ; DROP NAMED")
    default = pyoxigraph.DefaultGraph()
    union.dump(ntriples, pyoxigraph.RdfFormat.N_TRIPLES, from_graph=default)
    if "turtle" in wanted:
        union.dump(
            directory / DUMP_FORMATS["turtle"].file_name,
            pyoxigraph.RdfFormat.TURTLE,
            from_graph=default,
            prefixes=PREFIX_IRIS,
        )
    if "jsonld" in wanted:
        (directory / DUMP_FORMATS["jsonld"].file_name).write_bytes(default_graph_jsonld(union))
    if "ntriples" not in wanted:
        ntriples.unlink()


def _compress_and_check(directory: Path, dump_format: DumpFormat) -> tuple[DumpFile, DumpFile]:
    """The file of `dump_format` in `directory` gzipped beside it (reproducibly: no time
    or name in the header), and both with their sizes and checksums. Level 6, gzip's
    own default: a quarter of level 9's time for files 6% larger."""
    plain = directory / dump_format.file_name
    packed = directory / f"{dump_format.file_name}.gz"
    with (
        plain.open("rb") as source,
        packed.open("wb") as target,
        gzip.GzipFile(
            filename="", mode="wb", fileobj=target, mtime=0, compresslevel=GZIP_LEVEL
        ) as compressor,
    ):
        shutil.copyfileobj(source, compressor, CHUNK)
    return (
        DumpFile(dump_format, False, plain.stat().st_size, _sha256(plain)),
        DumpFile(dump_format, True, packed.stat().st_size, _sha256(packed)),
    )


def _publish(work: Path, directory: Path, dump_set: list[DumpFile]) -> None:
    """Rename the new files into place, then SHA256SUMS; remove dumps not in the set."""
    for file in dump_set:
        (work / file.file_name).replace(directory / file.file_name)
    (work / CHECKSUMS).write_text(checksums_text(dump_set), "ascii")
    (work / CHECKSUMS).replace(directory / CHECKSUMS)
    kept = {file.file_name for file in dump_set}
    for name in dump_file_names():
        if name not in kept:
            (directory / name).unlink(missing_ok=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
