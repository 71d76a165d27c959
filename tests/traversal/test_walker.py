"""The embedded store walked by pattern answers as its whole projection does."""

from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import orjson
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from accordkg.errors import InputError
from accordkg.namespaces import AK, DEFAULT_BASE_IRI
from accordkg.store import EmbeddedStore
from accordkg.traversal import operations
from accordkg.traversal.operations import GraphSource, Subgraph, View
from accordkg.traversal.projection import Projection
from accordkg.traversal.service import Traversal
from accordkg.traversal.walker import StoreWalk

UK = "state/united-kingdom"
DECLARATION = "instrument/us-uk-ai-research-declaration-2020"
KRATSIOS = "person/michael-jk-kratsios"
COLLAPSED = View(collapse=frozenset({"signature", "evidence"}))
EVERYTHING = View(include=frozenset({"data", "types", "schema", "provenance"}))
Ask = Callable[[GraphSource], Subgraph]
QUESTIONS: dict[str, Ask] = {
    "detail": lambda s: operations.node_detail(s, DECLARATION, EVERYTHING),
    "neighbours": lambda s: operations.neighbors(s, UK, View(), limit=2, cursor=None),
    "neighbourhood": lambda s: operations.neighborhood(
        s, [DECLARATION], COLLAPSED, depth=2, limit=None, max_nodes=None, max_edges=None
    ),
    "everything around": lambda s: operations.neighborhood(
        s, [UK], EVERYTHING, depth=2, limit=None, max_nodes=None, max_edges=None
    ),
    "expand": lambda s: operations.expand(
        s, [KRATSIOS], [UK, DECLARATION], COLLAPSED, limit=None, max_nodes=None, max_edges=None
    ),
    "paths": lambda s: operations.paths(
        s, UK, KRATSIOS, View(), k=3, max_length=None, max_degree=None
    ),
    "paths around hubs": lambda s: operations.paths(
        s, UK, KRATSIOS, View(), k=3, max_length=None, max_degree=12
    ),
    "subgraph": lambda s: operations.subgraph(
        s, {str(AK.Instrument), str(AK.State)}, View(), max_nodes=None, max_edges=None
    ),
    "induced": lambda s: operations.induced(s, [UK, DECLARATION, KRATSIOS], COLLAPSED, None),
    "stats": lambda s: operations.statistics(
        s, View(), top=5, centrality=["degree", "pagerank"], types=(), max_nodes=None
    ),
}


@pytest.mark.parametrize("question", list(QUESTIONS))
def test_a_walk_answers_as_the_projection_does(
    seed_embedded: Traversal, seed_walked: Traversal, question: str
) -> None:
    projected, walked = seed_embedded.source(), seed_walked.source()
    assert isinstance(projected, Projection)
    assert isinstance(walked, StoreWalk)
    ask = QUESTIONS[question]
    ours = orjson.loads(seed_walked.renderer.render(ask(walked), "cytoscape"))
    theirs = orjson.loads(seed_embedded.renderer.render(ask(projected), "cytoscape"))
    assert ours == theirs


def test_statistics_of_a_collapsed_view_need_a_projection(seed_walked: Traversal) -> None:
    with pytest.raises(InputError, match="collapsed view"):
        operations.statistics(
            seed_walked.source(), COLLAPSED, top=5, centrality=(), types=(), max_nodes=None
        )


def test_a_store_larger_than_the_limit_is_walked_and_ready(tmp_path: Path) -> None:
    with closing(EmbeddedStore(tmp_path)) as store:
        traversal = Traversal(store, DEFAULT_BASE_IRI, projected_at_most=1)
        graph = Graph()
        graph.add((URIRef(f"{DEFAULT_BASE_IRI}state/s"), RDFS.label, Literal("S")))
        store.replace_graphs({URIRef(f"{DEFAULT_BASE_IRI}graph/g"): graph})
        assert isinstance(traversal.source(), Projection)  # one triple: projected
        graph.add((URIRef(f"{DEFAULT_BASE_IRI}state/t"), RDFS.label, Literal("T")))
        store.replace_graphs({URIRef(f"{DEFAULT_BASE_IRI}graph/g"): graph})
        assert traversal.status() == "pending"
        walked = traversal.source()
        assert isinstance(walked, StoreWalk)
        assert traversal.status() == "ready"
        record = walked.record("state/t")
        assert record is not None
        assert record.label == "T"


def test_hubs_with_no_triples_of_their_own_are_found_within_the_fetch_limit(
    tmp_path: Path,
) -> None:
    """Two themes only pointed at, each by more instruments than one request may read."""
    graph = Graph()
    for n in range(150):
        instrument = URIRef(f"{DEFAULT_BASE_IRI}instrument/i{n}")
        for theme in ("t1", "t2"):
            graph.add((instrument, AK.theme, URIRef(f"{DEFAULT_BASE_IRI}theme/{theme}")))
    with closing(EmbeddedStore(tmp_path)) as store:
        store.replace_graphs({URIRef(f"{DEFAULT_BASE_IRI}graph/g"): graph})
        traversal = Traversal(store, DEFAULT_BASE_IRI, projected_at_most=0, fetch_limit=100)
        found = operations.statistics(
            traversal.source(), View(), top=2, centrality=["degree"], types=(), max_nodes=None
        )
    assert [hub["id"] for hub in found.meta["hubs"]] == ["theme/t1", "theme/t2"]
    assert {"theme/t1", "theme/t2"} <= set(found.nodes)


def test_what_walks_read_is_kept_for_one_store_generation(tmp_path: Path) -> None:
    iri = URIRef(f"{DEFAULT_BASE_IRI}state/s")
    with closing(EmbeddedStore(tmp_path)) as store:
        traversal = Traversal(store, DEFAULT_BASE_IRI, projected_at_most=0)
        labels = []
        for label in ("Before", "After"):
            graph = Graph()
            graph.add((iri, RDFS.label, Literal(label)))
            store.replace_graphs({URIRef(f"{DEFAULT_BASE_IRI}graph/g"): graph})
            for _ in range(2):  # the second walk reads what the first one kept
                record = traversal.source().record("state/s")
                assert record is not None
                labels.append(record.label)
    assert labels == ["Before", "Before", "After", "After"]
