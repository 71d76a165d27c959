"""Traversals over the seed data and over a generated graph with a hub of 5,000
neighbours, each with the embedded store (projected whole) and with a real Oxigraph
server (read per request): both modes must pass the same tests."""

from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import httpx2 as httpx
import pyoxigraph
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from accordkg.namespaces import AK, DEFAULT_BASE_IRI
from accordkg.pipeline.build import build
from accordkg.settings import Settings
from accordkg.store import EmbeddedStore, RemoteStore, Store
from accordkg.traversal.service import Traversal
from tests.conftest import INPUTS

HUB_SIZE = 5_000
SMALL_PARTIES = 10
FETCH_LIMIT = 50_000


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
    return settings


@pytest.fixture(scope="session")
def hub_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("hub")
    with closing(EmbeddedStore(directory)) as store:
        store.replace_graphs({URIRef(f"{DEFAULT_BASE_IRI}graph/generated"): hub_graph()})
    return directory


def _traversal(mode: str, store_dir: Path, oxigraph_url: str) -> Iterator[Traversal]:
    """The traversal of the store in `store_dir`, or of a copy of it on the Oxigraph server."""
    if mode == "embedded":
        with closing(EmbeddedStore(store_dir)) as embedded:
            yield Traversal(embedded, DEFAULT_BASE_IRI)
        return
    quads = pyoxigraph.Store.read_only(str(store_dir)).dump(format=pyoxigraph.RdfFormat.N_QUADS)
    for path, body, media_type in [
        ("update", b"DROP ALL", "application/sparql-update"),
        ("store", quads, "application/n-quads"),
    ]:
        response = httpx.post(
            f"{oxigraph_url}/{path}",
            content=body,
            headers={"Content-Type": media_type},
            timeout=120,
        )
        response.raise_for_status()
    remote: Store = RemoteStore(f"{oxigraph_url}/query", f"{oxigraph_url}/update", 60)
    with closing(remote):
        yield Traversal(remote, DEFAULT_BASE_IRI, remote_fetch_limit=FETCH_LIMIT)


@pytest.fixture(params=["embedded", "remote"])
def seed(
    request: pytest.FixtureRequest, seed_settings: Settings, oxigraph_url: str
) -> Iterator[Traversal]:
    """The traversal of the built seed data, in each store mode."""
    yield from _traversal(request.param, seed_settings.store_dir, oxigraph_url)


@pytest.fixture(params=["embedded", "remote"])
def hub(request: pytest.FixtureRequest, hub_dir: Path, oxigraph_url: str) -> Iterator[Traversal]:
    """The traversal of the generated hub graph, in each store mode."""
    yield from _traversal(request.param, hub_dir, oxigraph_url)


@pytest.fixture
def seed_projection(seed_settings: Settings) -> Iterator[Traversal]:
    """The embedded traversal of the seed data, for what only the projection has."""
    with closing(EmbeddedStore(seed_settings.store_dir)) as store:
        yield Traversal(store, seed_settings.base_iri)


@pytest.fixture
def hub_projection(hub_dir: Path) -> Iterator[Traversal]:
    """The embedded traversal of the hub graph."""
    with closing(EmbeddedStore(hub_dir)) as store:
        yield Traversal(store, DEFAULT_BASE_IRI)
