"""`accordkg add`: a new source into data/sources/, read and reviewed before it is built.

The file is copied under a slug of its name (`Joint Statement (final).PDF` becomes
`joint-statement-final.pdf`) with a metadata record of what the curator knows about it
and, for a web page or a PDF, the text derived from it. All of it is first written to a
staging directory beside data/sources/, then read, extracted and validated there; it
moves into data/sources/ only when that succeeded, so a file that cannot be read leaves
data/sources/ as it was. The store is not touched: building is the caller's choice.
"""

import datetime
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import RDF, RDFS

from accordkg.errors import InputError
from accordkg.extraction import ExtractedDocument
from accordkg.extraction.clean import read_bytes
from accordkg.extraction.registry import Registry, slug
from accordkg.extraction.sources import (
    SOURCE_SUFFIXES,
    derived_text_path,
    is_derived_text,
    is_source,
    record_path,
    write_record,
)
from accordkg.iris import checked_iri
from accordkg.namespaces import AK
from accordkg.pipeline.build import extract_checked
from accordkg.settings import Settings

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
INSTRUMENT_FORMS = (AK.MemorandumOfUnderstanding, AK.JointStatement, AK.Declaration, AK.Agreement)
SUFFIX_NAMES = {".htm": ".html"}  # one spelling per kind of file


@dataclass(frozen=True)
class Review:
    """What a curator checks before building a new source: what was read, and what not."""

    form: str
    title: str
    date: str | None
    parties: tuple[tuple[str, str], ...]  # (name, "state" or "organization")
    recitals: int
    articles: int
    commitments: int
    signatures: int
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Added:
    """The files written into the sources directory, and the review of the document."""

    source: Path
    text: Path  # the text evidence offsets count into (the source itself for a text)
    record: Path
    review: Review


def add_source(
    settings: Settings,
    file: Path,
    *,
    publisher: str | None = None,
    url: str | None = None,
    retrieved: str | None = None,
    force: bool = False,
) -> Added:
    """Copy `file` into the sources directory with its record (and derived text), once it
    has been read, extracted and validated; an existing source of the same name is
    replaced only with `force`."""
    suffix = file.suffix.lower()
    if not is_source(file):
        known = ", ".join(sorted(SOURCE_SUFFIXES))
        kind = "a text derived from another source" if is_derived_text(file) else "not a source"
        raise InputError(f"{file}: {kind}; sources are files ending in {known}")
    metadata: dict[str, str | datetime.date | None] = {
        "publisher": publisher,
        "url": str(checked_iri(url, "--url")) if url else None,
        "retrieved": _date(retrieved) if retrieved else None,
    }
    name = slug(file.stem)
    directory = settings.sources_dir
    target = directory / f"{name}{SUFFIX_NAMES.get(suffix, suffix)}"
    data = read_bytes(file, settings.max_source_bytes)
    clashes = [path for path in _files_named(directory, name) if path != file.resolve()]
    if clashes and not force:
        raise InputError(
            f"{directory / clashes[0].name}: a source named {name} is there already; "
            "--force replaces it"
        )
    registry = Registry.load(settings.input_dir, settings.base_iri)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".adding-", dir=directory))
    except OSError as exc:
        raise InputError(f"{directory}: cannot be written: {exc.strerror or exc}") from exc
    try:
        staged = staging / target.name
        staged.write_bytes(data)
        write_record(
            record_path(staged),
            f"What is known about {target.name}, as recorded by `accordkg add`.",
            metadata,
        )
        document = extract_checked(staged, registry, settings, store=True)
        for clash in clashes:
            clash.unlink()
        written = [staged, record_path(staged)]
        if staged.suffix != ".txt":
            written.append(derived_text_path(staged))
        for path in written:
            path.replace(directory / path.name)
        if file.resolve().parent == directory.resolve() and file.name != target.name:
            file.unlink()  # a source dropped in by hand, now under its slug name
    except OSError as exc:
        raise InputError(f"{directory}: cannot be written: {exc.strerror or exc}") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    text = target if target.suffix == ".txt" else derived_text_path(target)
    return Added(target, text, record_path(target), review(document, registry))


def review(document: ExtractedDocument, registry: Registry) -> Review:
    """The summary of a document graph a curator reads (with the records it links to:
    the names and kinds of the parties they hold)."""
    graph = document.graph + registry.graph
    (instrument,) = {s for s in graph.subjects(AK.source, None) if isinstance(s, URIRef)}
    form = next((f for f in INSTRUMENT_FORMS if (instrument, RDF.type, f) in graph), AK.Instrument)
    parties = tuple(
        sorted(
            (
                str(graph.value(party, RDFS.label)),
                "state" if (party, RDF.type, AK.State) in graph else "organization",
            )
            for party in graph.objects(instrument, AK.party)
        )
    )
    date = graph.value(instrument, AK.date)

    def count(link: URIRef) -> int:
        return len(set(graph.objects(instrument, link)))

    return Review(
        form=form.removeprefix(str(AK)),
        title=str(graph.value(instrument, AK.title)),
        date=None if date is None else str(date),
        parties=parties,
        recitals=count(AK.recital),
        articles=count(AK.article),
        commitments=count(AK.commitment),
        signatures=count(AK.signature),
        warnings=document.warnings,
    )


def _files_named(directory: Path, name: str) -> list[Path]:
    """The files of a source named `name`: the source, its derived text, its record."""
    if not directory.is_dir():
        return []
    found = [path.resolve() for path in directory.iterdir() if _name_of(path) == name]
    return sorted(found, key=lambda path: (not is_source(path), path.name))


def _name_of(path: Path) -> str | None:
    """The name of the source a file of the sources directory belongs to, if any."""
    if not path.is_file():
        return None
    if is_derived_text(path):
        return slug(Path(path.stem).stem)
    if is_source(path) or path.suffix == ".toml":
        return slug(path.stem)
    return None


def _date(value: str) -> datetime.date:
    """A --retrieved date, YYYY-MM-DD."""
    try:
        if ISO_DATE.fullmatch(value):
            return datetime.date.fromisoformat(value)
    except ValueError:
        pass
    raise InputError(f"--retrieved {value!r}: not a date as YYYY-MM-DD")
