"""`build`: ontology, records and every source's graph that extracts and validates land in
the store; a failing source is reported and keeps its last graph (with `strict`, nothing
lands)."""

import shutil
from contextlib import closing
from pathlib import Path

import pytest
from rdflib.compare import IsomorphicGraph, to_isomorphic

from accordkg.errors import InputError, ValidationError
from accordkg.namespaces import ONTOLOGY_IRI
from accordkg.pipeline.build import ONTOLOGY_PAGE, build
from accordkg.publishing.dumps import PublishedDumps, read_dump_set
from accordkg.settings import Settings
from accordkg.store import open_store
from tests.conftest import INPUTS, SEED, Built
from tests.extraction import pdfs
from tests.extraction.test_genre import GENRE

SEED_GRAPH = "https://w3id.org/accordkg/id/graph/us-uk-ai-research-declaration-2020"
RECORDS_GRAPH = "https://w3id.org/accordkg/id/graph/records"
MAPPINGS_GRAPH = "https://w3id.org/accordkg/id/graph/mappings"
BUILT = [MAPPINGS_GRAPH, RECORDS_GRAPH, SEED_GRAPH, str(ONTOLOGY_IRI)]


def test_build_loads_ontology_records_and_documents(any_settings: Settings) -> None:
    settings = any_settings
    summary = build(settings)
    assert summary.documents == 1
    assert summary.graphs == 4
    with closing(open_store(settings)) as store:
        assert store.graph_names() == BUILT
        assert store.triple_count() == summary.triples
    assert "<h1>accordkg ontology</h1>" in (settings.site_dir / ONTOLOGY_PAGE).read_text()


def test_the_seed_warns_about_its_repaired_duplicate(settings: Settings) -> None:
    (warnings,) = build(settings).warnings.values()
    assert any("page-break duplicate" in warning for warning in warnings)


def test_building_twice_gives_the_same_store(any_settings: Settings) -> None:
    first = build(any_settings)
    assert build(any_settings) == first


def _inputs_with(tmp_path: Path, name: str, content: bytes) -> Path:
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS, inputs)
    (inputs / "sources" / name).write_bytes(content)
    return inputs


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"", InputError),
        (b"\xff\xfeD\x00e\x00", InputError),
        (b"Notes\n\nnothing here resembles an instrument.", InputError),
    ],
    ids=["empty", "utf-16", "no-title"],
)
def test_strict_a_bad_document_leaves_the_store_as_it_was(
    any_built_settings: Settings,
    seed_build: Built,
    tmp_path: Path,
    content: bytes,
    error: type[Exception],
) -> None:
    settings = any_built_settings
    before = seed_build.summary
    inputs = _inputs_with(tmp_path, "bad.txt", content)
    broken = settings.model_copy(update={"input_dir": inputs})
    with pytest.raises(error):
        build(broken, strict=True)
    with closing(open_store(settings)) as store:
        assert store.triple_count() == before.triples
        assert len(store.graph_names()) == before.graphs


def test_a_failing_document_is_reported_and_does_not_block_the_rest(
    settings: Settings, tmp_path: Path
) -> None:
    inputs = _inputs_with(tmp_path, "bad.txt", b"Notes\n\nnothing here resembles an instrument.")
    (inputs / "sources" / "extra.txt").write_bytes(SEED.read_bytes())
    summary = build(Settings(data_dir=settings.data_dir, input_dir=inputs))
    assert summary.documents == 2
    assert list(summary.failures) == [str(inputs / "sources" / "bad.txt")]
    assert "no recognisable title" in summary.failures[str(inputs / "sources" / "bad.txt")]
    with closing(open_store(settings)) as store:
        assert f"{SEED_GRAPH.rsplit('/', 1)[0]}/extra" in store.graph_names()


def test_a_document_that_fails_keeps_its_previous_graph(settings: Settings, tmp_path: Path) -> None:
    inputs = _inputs_with(tmp_path, "extra.txt", SEED.read_bytes())
    with_extra = Settings(data_dir=settings.data_dir, input_dir=inputs)
    build(with_extra)
    extra = f"{SEED_GRAPH.rsplit('/', 1)[0]}/extra"
    with closing(open_store(settings)) as store:
        before = store.construct(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{extra}> {{ ?s ?p ?o }} }}"
        )
    (inputs / "sources" / "extra.txt").write_bytes(b"")  # the source broke
    summary = build(with_extra)
    assert list(summary.failures) == [str(inputs / "sources" / "extra.txt")]
    with closing(open_store(settings)) as store:
        after = store.construct(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{extra}> {{ ?s ?p ?o }} }}"
        )
    assert len(after) == len(before) > 0


def test_an_invalid_document_is_rejected_with_its_violations(
    settings: Settings, tmp_path: Path
) -> None:
    text = (
        b"Joint Statement of Ruritania and Freedonia on Science\n\nWe will meet yearly.\n\n"
        b"Done at Geneva on 3 March 1750, in two originals.\n"
    )
    inputs = _inputs_with(tmp_path, "bad.txt", text)
    with pytest.raises(ValidationError, match="date signed"):
        build(Settings(data_dir=settings.data_dir, input_dir=inputs), strict=True)
    assert not settings.store_dir.exists()
    summary = build(Settings(data_dir=settings.data_dir, input_dir=inputs))
    assert "date signed" in summary.failures[str(inputs / "sources" / "bad.txt")]


def test_a_removed_source_loses_its_graph(settings: Settings, tmp_path: Path) -> None:
    inputs = _inputs_with(tmp_path, "extra.txt", SEED.read_bytes())
    with_extra = Settings(data_dir=settings.data_dir, input_dir=inputs)
    assert build(with_extra).documents == 2
    (inputs / "sources" / "extra.txt").unlink()
    build(with_extra)
    with closing(open_store(settings)) as store:
        assert store.graph_names() == BUILT


def test_the_default_graph_answers_as_the_union_of_all_graphs(
    any_built_settings: Settings,
) -> None:
    settings = any_built_settings
    query = """
        PREFIX ak: <https://w3id.org/accordkg/ontology#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?party ?link WHERE {
          ?instrument a ak:Declaration ; ak:party ?party .
          ?party skos:exactMatch ?link .
          ak:Declaration a ?owlClass .
        } ORDER BY ?link
    """
    with closing(open_store(settings)) as store:
        rows = store.select(query)
    assert [str(row["link"]) for row in rows.rows] == [
        "http://www.wikidata.org/entity/Q145",
        "http://www.wikidata.org/entity/Q30",
    ]


def test_a_bad_query_is_an_input_error(built_settings: Settings) -> None:
    with closing(open_store(built_settings)) as store, pytest.raises(InputError, match="SPARQL"):
        store.select("SELECT WHERE {")


def test_the_dumps_served_after_a_build_hold_what_it_loaded(settings: Settings) -> None:
    """A build leaves the dumps to the server, which writes them when they are asked for."""
    summary = build(settings)
    assert read_dump_set(settings.dumps_dir) is None
    with closing(open_store(settings)) as store:
        served = PublishedDumps(store, settings.dumps_dir).current()
    assert read_dump_set(settings.dumps_dir) == served
    assert len(served) == 8
    nquads = (settings.dumps_dir / "accordkg.nq").read_text("utf-8")
    assert len(nquads.splitlines()) == summary.triples
    assert f"<{SEED_GRAPH}> .\n" in nquads


@pytest.mark.slow  # two builds
def test_a_pdf_is_built_from_its_text_derived_once_and_a_bad_one_keeps_its_graph(
    settings: Settings, tmp_path: Path
) -> None:
    """A PDF dropped into data/sources/ is derived at its first build and stored beside
    it; a PDF that stops being readable (encrypted, here) fails alone and keeps the
    graph it had, and the rest builds."""
    mou = GENRE / "nrf-cnrs-mou-pdf.txt"
    inputs = _inputs_with(tmp_path, "mou.pdf", pdfs.printed(mou.read_text("utf-8")))
    sources = inputs / "sources"
    (sources / "page.html").write_bytes(b"<html><body><nav>Home</nav><p>Sorry.</p></body></html>")
    with_pdf = Settings(data_dir=settings.data_dir, input_dir=inputs)
    summary = build(with_pdf)
    assert summary.documents == 2
    assert list(summary.failures) == [str(sources / "page.html")]
    assert "no main text in this HTML page" in summary.failures[str(sources / "page.html")]
    assert (sources / "mou.pdf.txt").is_file()
    assert "[text]" in (sources / "mou.toml").read_text("utf-8")
    mou_graph = f"{SEED_GRAPH.rsplit('/', 1)[0]}/mou"
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{mou_graph}> {{ ?s ?p ?o }} }}"
    with closing(open_store(settings)) as store:
        before = store.construct(query)
    (sources / "mou.pdf").write_bytes(pdfs.encrypted("MoU", user_password="secret"))
    summary = build(with_pdf)
    assert "the PDF is encrypted" in summary.failures[str(sources / "mou.pdf")]
    assert summary.documents == 1
    with closing(open_store(settings)) as store:
        assert len(store.construct(query)) == len(before) > 400


def _graphs(settings: Settings) -> dict[str, IsomorphicGraph]:
    """Every named graph of the store, for comparison up to blank node names."""
    with closing(open_store(settings)) as store:
        return {
            name: to_isomorphic(
                store.construct(
                    f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}"
                )
            )
            for name in store.graph_names()
        }


@pytest.fixture
def two_sources(settings: Settings, tmp_path: Path) -> Settings:
    """Settings whose inputs hold the seed and a second source, built once."""
    inputs = _inputs_with(tmp_path, "extra.txt", SEED.read_bytes())
    with_extra = Settings(data_dir=settings.data_dir, input_dir=inputs)
    first = build(with_extra)
    assert (first.documents, first.reused) == (2, 0)
    return with_extra


@pytest.mark.slow
def test_an_unchanged_document_is_not_extracted_again(two_sources: Settings) -> None:
    extra = two_sources.sources_dir / "extra.txt"
    extra.write_bytes(extra.read_bytes() + b"\n")
    changed = build(two_sources)
    assert (changed.documents, changed.reused, changed.failures) == (2, 1, {})
    assert build(two_sources).reused == 2
    (two_sources.sources_dir / "extra.corrections.toml").write_text("# none yet\n")
    assert build(two_sources).reused == 1


def test_a_changed_record_extracts_every_document_again(two_sources: Settings) -> None:
    records = two_sources.input_dir / "records" / "instruments.ttl"
    records.write_bytes(records.read_bytes() + b"\n# reviewed\n")
    assert build(two_sources).reused == 0


@pytest.mark.slow
def test_without_the_cache_a_build_is_full_and_gives_the_same_graphs(
    two_sources: Settings,
) -> None:
    before = _graphs(two_sources)
    two_sources.build_cache_file.unlink()
    assert build(two_sources).reused == 0
    two_sources.build_cache_file.write_text('{"format": 1, "documents": {"a": 1}}')
    assert build(two_sources).reused == 0
    assert build(two_sources, full=True).reused == 0
    assert _graphs(two_sources) == before


def test_a_graph_missing_from_the_store_is_extracted_again(two_sources: Settings) -> None:
    shutil.rmtree(two_sources.store_dir)
    summary = build(two_sources)
    assert (summary.documents, summary.reused) == (2, 0)
    with closing(open_store(two_sources)) as store:
        assert f"{SEED_GRAPH.rsplit('/', 1)[0]}/extra" in store.graph_names()
