"""Shared fixtures: settings on a temporary data directory, the data directory built
once, and the example graph."""

import io
import os
import shutil
from collections import Counter
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import NamedTuple

import pyoxigraph
import pytest
from rdflib import Dataset, Graph, URIRef

from accordkg.pipeline.build import BuildSummary, build
from accordkg.settings import Settings
from accordkg.store import RemoteStore, open_store
from tests.recorder import Recorded, recording_listener
from tests.servers import BIN, free_port, oxigraph_server, running, virtuoso_server

TESTS = Path(__file__).parent
INPUTS = TESTS.parent / "data"
SEED = INPUTS / "sources" / "us-uk-ai-research-declaration-2020.txt"
# The second remote engine: slower to start and to answer than Oxigraph.
VIRTUOSO = pytest.param("virtuoso", marks=pytest.mark.slow)
# What a slow test takes, about, unless its marker says (see pytest_collection_modifyitems).
SLOW_TEST_S = 2


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest files first: `make test` hands whole files to its worker processes in
    this order (`--dist loadfile --no-loadscope-reorder`), and a long file handed out last
    would keep one core busy after the other has finished. A file's length is guessed from
    its slow tests: SLOW_TEST_S each, or the seconds their marker says (`slow(seconds=…)`)."""
    guessed: Counter[Path] = Counter()
    for item in items:
        if marker := item.get_closest_marker("slow"):
            guessed[item.path] += marker.kwargs.get("seconds", SLOW_TEST_S)
    items.sort(key=lambda item: -guessed[item.path])  # stable: a file's order is kept


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings on a fresh data directory, building from the repository's data/."""
    return Settings(data_dir=tmp_path / "var", input_dir=INPUTS)


class Built(NamedTuple):
    """The data directory `accordkg build` makes from data/, what the build reported, and
    its store as N-Quads (to load a remote store with)."""

    data_dir: Path
    summary: BuildSummary
    quads: bytes


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The seed data built once per session and never opened again: tests that need a
    built store work on a copy (`copy_built`, `built_settings`, `any_built_settings`)."""
    data_dir = tmp_path_factory.mktemp("built") / "var"
    summary = build(Settings(data_dir=data_dir, input_dir=INPUTS))
    quads = io.BytesIO()
    pyoxigraph.Store.read_only(str(data_dir / "store")).dump(quads, pyoxigraph.RdfFormat.N_QUADS)
    return Built(data_dir, summary, quads.getvalue())


@pytest.fixture(scope="session")
def built_data(seed_build: Built) -> Path:
    return seed_build.data_dir


def copy_built(built_data: Path, data_dir: Path) -> Settings:
    """Settings on `data_dir`, a fresh copy of the built data directory: what building
    there would give, without building again."""
    shutil.copytree(built_data, data_dir)
    return Settings(data_dir=data_dir, input_dir=INPUTS)


@pytest.fixture
def built_settings(settings: Settings, built_data: Path) -> Settings:
    """`settings` on a copy of the built data directory, for a test that reads or writes
    a built store of its own."""
    shutil.copytree(built_data, settings.data_dir)
    return settings


@pytest.fixture
def any_built_settings(any_settings: Settings, seed_build: Built) -> Settings:
    """`any_settings` as building would leave them: the embedded store a copy of the
    built one, the remote one loaded with what it holds."""
    if any_settings.store == "embedded":
        shutil.copytree(seed_build.data_dir, any_settings.data_dir)
        return any_settings
    shutil.copytree(
        seed_build.data_dir,
        any_settings.data_dir,
        ignore=lambda directory, _: ["store"] if directory == str(seed_build.data_dir) else [],
    )
    dataset = Dataset().parse(data=seed_build.quads, format="nquads")
    graphs = {URIRef(str(g.identifier)): Graph() + g for g in dataset.graphs() if len(g)}
    # By SPARQL update, which every server takes (Virtuoso's Graph Store takes no N-Quads).
    with closing(open_store(any_settings)) as store:
        store.replace_graphs(graphs)
    return any_settings


@pytest.fixture
def example() -> Graph:
    """The hand-written instance graph that conforms to ontology and shapes."""
    return Graph().parse(TESTS / "ontology" / "example.ttl")


@pytest.fixture(scope="module")
def listener() -> Iterator[Recorded]:
    """A loopback listener answering as a SPARQL endpoint would, for tests that a SERVICE
    or LOAD reaches nothing."""
    solutions = b'{"head": {"vars": []}, "results": {"bindings": [{}]}}'
    with recording_listener(solutions, "application/sparql-results+json") as recorded:
        yield recorded


@pytest.fixture(scope="session")
def oxigraph_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `oxigraph serve` process for the remote-store tests, one per session."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as url:
        yield url


@pytest.fixture(scope="session")
def virtuoso_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Virtuoso Open Source server, the second remote engine, one per session:
    its SPARQL endpoint, for queries and updates."""
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as url:
        yield url


@pytest.fixture(params=["embedded", "remote", VIRTUOSO])
def any_settings(request: pytest.FixtureRequest, settings: Settings) -> Settings:
    """Settings for each store implementation, the remote one on each engine; the remote
    ones start empty."""
    return on_engine(request, settings)


@pytest.fixture(params=["remote", VIRTUOSO])
def remote_settings(request: pytest.FixtureRequest, settings: Settings) -> Settings:
    """`settings` on each remote engine, emptied."""
    return on_engine(request, settings)


def on_engine(request: pytest.FixtureRequest, settings: Settings) -> Settings:
    """`settings` on the store the request's parameter names: "embedded" as they are,
    "remote" on the Oxigraph server, "virtuoso" on the Virtuoso server, emptied."""
    if request.param == "embedded":
        return settings
    if request.param == "virtuoso":
        url: str = request.getfixturevalue("virtuoso_url")
        return emptied(settings, url, url)
    return emptied_remote(settings, request.getfixturevalue("oxigraph_url"))


def emptied_remote(settings: Settings, oxigraph_url: str, **overrides: object) -> Settings:
    """`settings` with the Oxigraph server as the store, after emptying it."""
    return emptied(settings, f"{oxigraph_url}/query", f"{oxigraph_url}/update", **overrides)


def emptied(settings: Settings, query_url: str, update_url: str, **overrides: object) -> Settings:
    """`settings` with a SPARQL server as the store, after dropping every graph it has
    (one by one too: Virtuoso takes DROP ALL and does nothing)."""
    with closing(RemoteStore(query_url, update_url, 60, change_check_s=2)) as store:
        store.update(
            " ;\n".join(["DROP ALL"] + [f"DROP SILENT GRAPH <{g}>" for g in store.graph_names()])
        )
    remote = {"store": "remote", "sparql_query_url": query_url, "sparql_update_url": update_url}
    return settings.model_copy(update=remote | overrides)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory, built_data: Path) -> Iterator[str]:
    """`accordkg serve` in its own process, as `make run` starts it."""
    data_dir = tmp_path_factory.mktemp("served") / "var"
    copy_built(built_data, data_dir)
    port = free_port()
    command = [str(BIN / "accordkg"), "serve", "--port", str(port)]
    environment = {**os.environ, "ACCORDKG_DATA_DIR": str(data_dir)}
    url = f"http://127.0.0.1:{port}"
    with running(command, f"{url}/health", environment):
        yield url
