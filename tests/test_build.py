"""`build`: the ontology lands in its named graph and its documentation is written."""

from accordkg.build import ONTOLOGY_PAGE, build
from accordkg.namespaces import ONTOLOGY_IRI
from accordkg.resources import ontology_graph
from accordkg.settings import Settings
from accordkg.store import EmbeddedStore


def test_build_loads_the_ontology_and_writes_its_page(settings: Settings) -> None:
    summary = build(settings)
    assert summary.graphs == 1
    assert summary.triples == len(ontology_graph())
    with EmbeddedStore(settings.store_dir) as store:
        assert store.graph_names() == [str(ONTOLOGY_IRI)]
    assert "<h1>accordkg ontology</h1>" in (settings.site_dir / ONTOLOGY_PAGE).read_text()


def test_building_twice_gives_the_same_store(settings: Settings) -> None:
    first = build(settings)
    assert build(settings) == first
