"""Dumps: every file parses back to what the store holds, checksums are those of the
bytes, and files are rewritten exactly when the store's content changed."""

import gzip
import hashlib
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDFS

from accordkg.errors import InputError, NotFoundError
from accordkg.pipeline.build import build
from accordkg.publishing.dumps import (
    CHECKSUMS,
    DUMP_FORMATS,
    PublishedDumps,
    dump_file_names,
    read_dump_set,
    write_dumps,
)
from accordkg.settings import Settings
from accordkg.store import Store, open_store
from tests.conftest import INPUTS, emptied_remote
from tests.graphs import held_graphs, isomorphic, plain_strings, union

PARSERS = {"nquads": "nquads", "ntriples": "nt", "turtle": "turtle", "jsonld": "json-ld"}
NOTE = URIRef("urn:test:notes")


@pytest.fixture(scope="module", params=["embedded", "remote"])
def built(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, oxigraph_url: str
) -> Iterator[tuple[Settings, Store]]:
    """The seed built into each kind of store, and its dumps written."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("dumps"), input_dir=INPUTS)
    if request.param == "remote":
        settings = emptied_remote(settings, oxigraph_url)
    build(settings)
    with closing(open_store(settings)) as store:
        write_dumps(store, settings.dumps_dir)
        yield settings, store


def _parsed(path: Path, dump_format: str) -> Graph:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    parsed = Dataset() if dump_format == "nquads" else Graph()
    return parsed.parse(data=data, format=PARSERS[dump_format])


@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "gzip"])
@pytest.mark.parametrize("dump_format", sorted(DUMP_FORMATS))
def test_every_dump_parses_back_to_what_the_store_holds(
    built: tuple[Settings, Store], dump_format: str, compressed: bool
) -> None:
    settings, store = built
    name = DUMP_FORMATS[dump_format].file_name + (".gz" if compressed else "")
    parsed = _parsed(settings.dumps_dir / name, dump_format)
    held = held_graphs(store)
    assert len(held) == 4  # ontology, records, mappings, the seed
    if isinstance(parsed, Dataset):
        named = {g.identifier: g for g in parsed.graphs() if len(g)}
        assert set(named) == set(held)
        for graph_name, graph in held.items():
            assert isomorphic(plain_strings(named[graph_name]), graph), graph_name
    else:
        expected = union(held.values())
        assert len(parsed) == len(expected)
        assert isomorphic(plain_strings(parsed), expected)


def test_sha256sums_lists_every_file_with_the_checksum_of_its_bytes(
    built: tuple[Settings, Store],
) -> None:
    directory = built[0].dumps_dir
    lines = (directory / CHECKSUMS).read_text("ascii").splitlines()
    listed = {name: checksum for checksum, name in (line.split("  ") for line in lines)}
    assert sorted(listed) == sorted(dump_file_names())
    for name, checksum in listed.items():
        assert hashlib.sha256((directory / name).read_bytes()).hexdigest() == checksum
    for name in dump_file_names():
        if name.endswith(".gz"):
            plain = (directory / name.removesuffix(".gz")).read_bytes()
            assert gzip.decompress((directory / name).read_bytes()) == plain


def test_ntriples_hold_each_triple_of_the_union_once(built: tuple[Settings, Store]) -> None:
    settings, store = built
    lines = (settings.dumps_dir / "accordkg.nt").read_bytes().splitlines()
    assert len(lines) == len(set(lines)) == len(union(held_graphs(store).values()))


def test_unchanged_content_leaves_the_files_alone(
    built: tuple[Settings, Store], tmp_path: Path
) -> None:
    _, store = built
    first = write_dumps(store, tmp_path)
    modified = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    assert write_dumps(store, tmp_path) == first
    assert {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()} == modified


def test_a_subset_of_formats_replaces_the_whole_set(
    built: tuple[Settings, Store], tmp_path: Path
) -> None:
    _, store = built
    write_dumps(store, tmp_path)
    written = write_dumps(store, tmp_path, ["turtle"])
    assert [file.file_name for file in written] == ["accordkg.ttl", "accordkg.ttl.gz"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        CHECKSUMS,
        "accordkg.ttl",
        "accordkg.ttl.gz",
    ]
    assert read_dump_set(tmp_path) == written


def test_an_unknown_format_is_refused(built: tuple[Settings, Store], tmp_path: Path) -> None:
    with pytest.raises(InputError, match="dump formats are nquads, ntriples, turtle, jsonld"):
        write_dumps(built[1], tmp_path, ["nquads", "trig"])


def test_a_file_that_no_longer_matches_its_checksum_is_not_trusted(
    built: tuple[Settings, Store], tmp_path: Path
) -> None:
    write_dumps(built[1], tmp_path)
    with (tmp_path / "accordkg.ttl").open("ab") as file:
        file.write(b"# edited\n")
    assert read_dump_set(tmp_path) is None
    rewritten = write_dumps(built[1], tmp_path)
    assert read_dump_set(tmp_path) == rewritten


def test_published_dumps_follow_writes_to_the_store(
    settings: Settings, example: Graph, tmp_path: Path
) -> None:
    with closing(open_store(settings)) as store:
        store.replace_graphs({URIRef("urn:test:example"): example})
        published = PublishedDumps(store, tmp_path / "published")
        before = {file.file_name: file.sha256 for file in published.current()}
        assert {f.file_name: f.sha256 for f in published.current()} == before
        note = Graph()
        note.add((URIRef("urn:a"), RDFS.comment, Literal("checked")))
        store.replace_graphs({NOTE: note})
        dump, handle = published.open("accordkg.nq")
        with handle:
            body = handle.read()
    assert dump.sha256 != before["accordkg.nq"]
    assert hashlib.sha256(body).hexdigest() == dump.sha256
    assert b'<urn:a> <http://www.w3.org/2000/01/rdf-schema#comment> "checked" <urn:test:notes>' in (
        body
    )


def test_published_dumps_name_what_there_is(settings: Settings, tmp_path: Path) -> None:
    with closing(open_store(settings)) as store:
        published = PublishedDumps(store, tmp_path)
        with pytest.raises(NotFoundError, match=r"accordkg\.nq\.gz"):
            published.open("../store")
