"""The embedded store: atomic graph replacement, persistence on disk, one owner at a time."""

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from accordkg.errors import StoreError
from accordkg.store import EmbeddedStore

GRAPH = URIRef("https://w3id.org/accordkg/graph/example")


def test_replace_graph_persists_across_reopen(tmp_path: Path, example: Graph) -> None:
    with EmbeddedStore(tmp_path) as store:
        store.replace_graphs({GRAPH: example})
    with EmbeddedStore(tmp_path) as store:
        assert store.graph_names() == [str(GRAPH)]
        assert store.triple_count() == len(example)


def test_replacing_twice_leaves_one_copy(tmp_path: Path, example: Graph) -> None:
    with EmbeddedStore(tmp_path) as store:
        store.replace_graphs({GRAPH: example})
        store.replace_graphs({GRAPH: example})
        assert store.triple_count() == len(example)


def test_replacing_with_a_smaller_graph_drops_the_old_triples(
    tmp_path: Path, example: Graph
) -> None:
    smaller = Graph()
    for triple in list(example)[:5]:
        smaller.add(triple)
    with EmbeddedStore(tmp_path) as store:
        store.replace_graphs({GRAPH: example})
        store.replace_graphs({GRAPH: smaller})
        assert store.triple_count() == 5


def test_a_second_owner_gets_a_clear_error(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path), pytest.raises(StoreError, match="cannot open the store"):
        EmbeddedStore(tmp_path)


def test_a_closed_store_refuses_work(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.triple_count()


def test_replacing_several_graphs_and_dropping_one_is_one_step(
    tmp_path: Path, example: Graph
) -> None:
    other = URIRef("https://w3id.org/accordkg/graph/other")
    with EmbeddedStore(tmp_path) as store:
        store.replace_graphs({GRAPH: example, other: example})
        store.replace_graphs({other: example}, drop=[GRAPH])
        assert store.graph_names() == [str(other)]
        assert store.triple_count() == len(example)
