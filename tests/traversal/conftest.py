"""Traversals over the seed data and over a generated graph with a hub of 5,000 neighbours."""

from collections.abc import Iterator
from contextlib import closing

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from accordkg.build import build
from accordkg.namespaces import AK, DEFAULT_BASE_IRI
from accordkg.settings import Settings
from accordkg.store import EmbeddedStore, open_store
from accordkg.traversal.service import Traversal
from tests.conftest import INPUTS

HUB_SIZE = 5_000
SMALL_PARTIES = 10


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
            graph.add(
                (instrument, AK.buildsOn, URIRef(f"{DEFAULT_BASE_IRI}instrument/h{n - 1:04d}"))
            )
    return graph


@pytest.fixture(scope="session")
def seed_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = Settings(data_dir=tmp_path_factory.mktemp("seed"), input_dir=INPUTS)
    build(settings)
    return settings


@pytest.fixture
def seed(seed_settings: Settings) -> Iterator[Traversal]:
    """The traversal of the built seed data."""
    with closing(open_store(seed_settings)) as store:
        yield Traversal(store, seed_settings.base_iri)


@pytest.fixture(scope="session")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Traversal]:
    """The traversal of the generated hub graph (read-only: shared by the session)."""
    with closing(EmbeddedStore(tmp_path_factory.mktemp("hub"))) as store:
        store.replace_graphs({URIRef(f"{DEFAULT_BASE_IRI}graph/generated"): hub_graph()})
        yield Traversal(store, DEFAULT_BASE_IRI)
