"""Which files are sources, the one text each is read as, and the record beside it.

Naming rule, in a sources directory:

- `NAME.txt` is a source that is its own text; `NAME.html` (or `.htm`, a saved web page)
  and `NAME.pdf` are sources as published.
- The text derived from a published source is stored beside it under the source's full
  name plus `.txt` (`NAME.pdf.txt`, `NAME.html.txt`). Discovery never takes such a file
  for a source of its own: its name, without `.txt`, ends in a published suffix.
- `NAME.toml` is the metadata record of NAME's source (`publisher`, `url`, `retrieved`, as
  its page states them, ...). For a published source its `[text]` table records the
  derivation: the SHA-256 of the original and of the derived text, and the library that
  derived it. The text is derived once: while the original's bytes and the derived text
  match the record, the stored text is read, whatever libraries are installed now.

Evidence offsets count code points into the text, so into `NAME.txt` or `NAME.pdf.txt`.
"""

import datetime
import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomlkit
import tomlkit.exceptions

from accordkg.errors import InputError
from accordkg.extraction.clean import read_bytes, read_source
from accordkg.extraction.published import MEDIA_TYPES, DerivedText, derive_text
from accordkg.iris import is_absolute_iri
from accordkg.resources import read_text

TEXT = "text/plain"
TEXT_SUFFIX = ".txt"
SOURCE_SUFFIXES = frozenset({TEXT_SUFFIX, *MEDIA_TYPES})
METADATA_KEYS = frozenset(
    {"publisher", "issuing_bureau", "release_type", "release_date", "url", "retrieved"}
)
TEXT_TABLE = "text"
TEXT_KEYS = frozenset({"sha256", "original_sha256", "derived_by", "warnings"})


@dataclass(frozen=True)
class Derivation:
    """How a source's text was derived from the file as published."""

    original: Path
    media_type: str
    original_sha256: str
    tool: str  # the library and version that read the original, as "pypdf 5.1.0"


@dataclass(frozen=True)
class SourceText:
    """A source's text (the one evidence offsets count into), where it is stored, what
    its record says, and how it was derived when it was."""

    path: Path  # the source as given: NAME.txt, NAME.html, NAME.pdf
    text: str
    text_file: Path  # where `text` is (to be) stored: the source itself, or NAME.pdf.txt
    metadata: dict[str, str] = field(default_factory=dict)
    derivation: Derivation | None = None
    warnings: tuple[str, ...] = ()  # what the derivation could not read well
    stored: bool = True  # False: derived now, not yet stored beside the original

    @property
    def sha256(self) -> str:
        return _sha256(self.text.encode("utf-8"))


def is_source(path: Path) -> bool:
    """Whether a file's name makes it a source (and not a derived text or a record)."""
    return path.suffix.lower() in SOURCE_SUFFIXES and not is_derived_text(path)


def is_derived_text(path: Path) -> bool:
    return path.suffix.lower() == TEXT_SUFFIX and Path(path.stem).suffix.lower() in MEDIA_TYPES


def derived_text_path(original: Path) -> Path:
    return original.with_name(original.name + TEXT_SUFFIX)


def record_path(source: Path) -> Path:
    return source.with_suffix(".toml")


def source_files(directory: Path) -> list[Path]:
    """The sources in a directory, in a stable order."""
    return sorted(path for path in directory.glob("*") if path.is_file() and is_source(path))


def read_source_text(path: Path, max_bytes: int) -> SourceText:
    """A source file's text and metadata: a text file as it is; a published file's stored
    derived text while it matches its record, else the text derived now (not stored:
    `store_source_text` does that)."""
    metadata, text_record = read_record(record_path(path))
    media_type = MEDIA_TYPES.get(path.suffix.lower())
    if media_type is None:
        if text_record is not None:
            raise InputError(f"{record_path(path)}: a [text] table belongs to a derived text")
        return SourceText(path, read_source(path, max_bytes), path, metadata)
    data = read_bytes(path, max_bytes)
    original_sha256 = _sha256(data)
    stored = derived_text_path(path)
    if text_record is not None and text_record["original_sha256"] == original_sha256:
        text = read_source(stored, max_bytes)
        if _sha256(text.encode("utf-8")) != text_record["sha256"]:
            raise InputError(
                f"{stored}: changed since it was derived from {path.name} (its SHA-256 is not "
                f"the one {record_path(path).name} records); delete it to derive the text again"
            )
        derived = DerivedText(text, text_record["derived_by"], tuple(text_record["warnings"]))
        is_stored = True
    else:
        try:
            derived = derive_text(data, media_type)
        except InputError as exc:
            raise InputError(f"{path}: {exc}") from exc
        is_stored = False
    derivation = Derivation(path, media_type, original_sha256, derived.tool)
    return SourceText(
        path, derived.text, stored, metadata, derivation, derived.warnings, stored=is_stored
    )


def store_source_text(source: SourceText) -> None:
    """Store a text derived now beside its original, and its derivation in the record."""
    if source.stored or source.derivation is None:
        return
    record = record_path(source.path)
    document = _toml_document(record)
    table = tomlkit.table()
    table.comment(f"the text of {source.path.name}, derived once: {source.text_file.name}")
    table.add("sha256", source.sha256)
    table.add("original_sha256", source.derivation.original_sha256)
    table.add("derived_by", source.derivation.tool)
    table.add("warnings", list(source.warnings))
    document[TEXT_TABLE] = table
    _write(source.text_file, source.text)
    _write(record, tomlkit.dumps(document))


def write_record(path: Path, comment: str, metadata: dict[str, str | datetime.date | None]) -> None:
    """A new metadata record: a comment, then the given keys (those with a value)."""
    document = tomlkit.document()
    document.add(tomlkit.comment(comment))
    for key, value in metadata.items():
        if value:
            document.add(key, value)
    _write(path, tomlkit.dumps(document))


def read_record(path: Path) -> tuple[dict[str, str], dict[str, Any] | None]:
    """The metadata record beside a source (empty when there is none) and its [text]
    table, checked."""
    if not path.is_file():
        return {}, None
    try:
        values = tomllib.loads(read_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: not a valid TOML metadata record: {exc}") from exc
    text_record = values.pop(TEXT_TABLE, None)
    unknown = set(values) - METADATA_KEYS
    if unknown:
        raise InputError(f"{path}: unknown keys {sorted(unknown)}; known: {sorted(METADATA_KEYS)}")
    metadata = {key: str(value) for key, value in values.items()}
    if "url" in metadata and not is_absolute_iri(metadata["url"]):
        raise InputError(f"{path}: url {metadata['url']!r} is not an absolute IRI")
    if "retrieved" in values and not isinstance(values["retrieved"], datetime.date):
        raise InputError(f"{path}: retrieved must be a date (YYYY-MM-DD, unquoted)")
    if text_record is not None and (
        not isinstance(text_record, dict) or set(text_record) != TEXT_KEYS
    ):
        raise InputError(f"{path}: the [text] table needs exactly {sorted(TEXT_KEYS)}")
    return metadata, text_record


def _toml_document(path: Path) -> tomlkit.TOMLDocument:
    if not path.is_file():
        return tomlkit.document()
    try:
        return tomlkit.parse(read_text(path))
    except tomlkit.exceptions.TOMLKitError as exc:
        raise InputError(f"{path}: not a valid TOML metadata record: {exc}") from exc


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, "utf-8", newline="")
    except OSError as exc:
        raise InputError(f"{path}: cannot be written: {exc.strerror or exc}") from exc


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
