"""Traversals over the seed data and over a generated graph with a hub of 5,000
neighbours, each with the embedded store projected whole, with the embedded store walked
by pattern (as a large one is), and with a real Oxigraph server (read per request): all
three modes must pass the same tests."""

import shutil
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from accordkg.namespaces import AK, DEFAULT_BASE_IRI
from accordkg.pipeline.build import build
from accordkg.settings import Settings
from accordkg.store import EmbeddedStore, RemoteStore, Store
from accordkg.traversal.service import Traversal
from tests import live
from tests.conftest import INPUTS
from tests.servers import oxigraph_server

HUB_SIZE = 5_000
SMALL_PARTIES = 10
FETCH_LIMIT = 50_000
# The remote mode reads the server per request: slow, by the round trips it makes.
REMOTE = pytest.param("remote", marks=pytest.mark.slow)
# So does the embedded store walked by pattern, on the hub's thousands of neighbours.
WALKED_HUB = pytest.param("walked", marks=pytest.mark.slow)


def hub_graph() -> Graph:
    """A state that is party to 5,000 instruments, each shared with one of ten others,
    each instrument building on the one before."""
    graph = Graph()
    hub = URIRef(f"{DEFAULT_BASE_IRI}state/hub")
    parties = [URIRef(f"{DEFAULT_BASE_IRI}state/p{n}") for n in range(SMALL_PARTIES)]
    for party in [hub, *parties]:
        graph.add((party, RDF.type, AK.State))
        graph.add((party, RDF.type, AK.Party))
        graph.add((party, RDFS.label, Literal(f"Party {party.rsplit('/', 1)[1]}")))
    for n in range(HUB_SIZE):
        instrument = URIRef(f"{DEFAULT_BASE_IRI}instrument/h{n:04d}")
        graph.add((instrument, RDF.type, AK.Declaration))
        graph.add((instrument, RDF.type, AK.Instrument))
        graph.add((instrument, RDFS.label, Literal(f"Instrument {n}")))
        graph.add((instrument, AK.party, hub))
        graph.add((instrument, AK.party, parties[n % SMALL_PARTIES]))
        if n:
            previous = URIRef(f"{DEFAULT_BASE_IRI}instrument/h{n - 1:04d}")
            graph.add((instrument, AK.buildsOn, previous))
    return graph


@pytest.fixture(scope="session")
def seed_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = Settings(data_dir=tmp_path_factory.mktemp("seed"), input_dir=INPUTS)
    build(settings)
    _write_quads(settings.store_dir)
    return settings


@pytest.fixture(scope="session")
def hub_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("hub")
    with closing(EmbeddedStore(directory)) as store:
        store.replace_graphs({URIRef(f"{DEFAULT_BASE_IRI}graph/generated"): hub_graph()})
    _write_quads(directory)
    return directory


def _write_quads(store_dir: Path) -> None:
    """The store's quads, written beside it before any test opens it: a read-only handle
    beside an open store can find its files compacted away."""
    with _quads_of(store_dir).open("wb") as output:
        pyoxigraph.Store.read_only(str(store_dir)).dump(output, pyoxigraph.RdfFormat.N_QUADS)


def _quads_of(store_dir: Path) -> Path:
    return store_dir.with_name(f"{store_dir.name}.nq")


@pytest.fixture(scope="session")
def seed_embedded(seed_settings: Settings) -> Iterator[Traversal]:
    """The embedded traversal of the built seed data, projected once for the session (the
    tests only read it: a test that writes works on a copy)."""
    with closing(EmbeddedStore(seed_settings.store_dir)) as store:
        yield Traversal(store, seed_settings.base_iri)


@pytest.fixture(scope="session")
def hub_embedded(hub_dir: Path) -> Iterator[Traversal]:
    """The embedded traversal of the hub graph, projected once for the session."""
    with closing(EmbeddedStore(hub_dir)) as store:
        yield Traversal(store, DEFAULT_BASE_IRI)


@pytest.fixture(scope="session")
def seed_walked(seed_embedded: Traversal) -> Traversal:
    """The embedded traversal of the seed data, walked as a store too large to project."""
    return Traversal(seed_embedded.store, seed_embedded.base_iri, projected_at_most=0)


@pytest.fixture(scope="session")
def hub_walked(hub_embedded: Traversal) -> Traversal:
    """The embedded traversal of the hub graph, walked."""
    return Traversal(hub_embedded.store, DEFAULT_BASE_IRI, projected_at_most=0)


@pytest.fixture(scope="session")
def seed_remote(
    seed_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Traversal]:
    """The traversal of the seed data on an Oxigraph server of its own, loaded once (the
    shared server is emptied by other tests)."""
    yield from _remote(seed_settings.store_dir, tmp_path_factory.mktemp("seed-oxigraph"))


@pytest.fixture(scope="session")
def hub_remote(hub_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Traversal]:
    """The traversal of the hub graph on an Oxigraph server of its own, loaded once."""
    yield from _remote(hub_dir, tmp_path_factory.mktemp("hub-oxigraph"))


def _remote(store_dir: Path, server_dir: Path) -> Iterator[Traversal]:
    """The traversal of a copy of the store in `store_dir` on an Oxigraph server in
    `server_dir`, read per request."""
    quads = _quads_of(store_dir).read_bytes()
    with oxigraph_server(server_dir) as url:
        response = live.post(
            f"{url}/store",
            content=quads,
            headers={"Content-Type": "application/n-quads"},
            timeout=120,
        )
        response.raise_for_status()
        remote: Store = RemoteStore(f"{url}/query", f"{url}/update", 60, change_check_s=2)
        with closing(remote):
            yield Traversal(remote, DEFAULT_BASE_IRI, remote_fetch_limit=FETCH_LIMIT)


@pytest.fixture(params=["embedded", "walked", REMOTE])
def seed(request: pytest.FixtureRequest) -> Traversal:
    """The traversal of the built seed data, in each store mode."""
    traversal: Traversal = request.getfixturevalue(f"seed_{request.param}")
    return traversal


@pytest.fixture(params=["embedded", WALKED_HUB, REMOTE])
def hub(request: pytest.FixtureRequest) -> Traversal:
    """The traversal of the generated hub graph, in each store mode."""
    traversal: Traversal = request.getfixturevalue(f"hub_{request.param}")
    return traversal


@pytest.fixture
def seed_projection(seed_embedded: Traversal) -> Traversal:
    """The embedded traversal of the seed data, for what only the projection has."""
    return seed_embedded


@pytest.fixture
def hub_projection(hub_embedded: Traversal) -> Traversal:
    """The embedded traversal of the hub graph."""
    return hub_embedded


@pytest.fixture
def seed_copy(seed_settings: Settings, tmp_path: Path) -> Settings:
    """Settings on a copy of the built seed data, for a test that writes to it."""
    shutil.copytree(seed_settings.data_dir, tmp_path / "seed")
    return seed_settings.model_copy(update={"data_dir": tmp_path / "seed"})
