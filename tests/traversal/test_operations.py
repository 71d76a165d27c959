"""Walks with caps on a hub of 5,000 neighbours, and on the seed data."""

import pytest

from accordkg.errors import InputError, NotFoundError
from accordkg.traversal import operations
from accordkg.traversal.operations import View
from accordkg.traversal.service import Traversal
from tests.traversal.conftest import HUB_SIZE, SMALL_PARTIES

HUB = "state/hub"
DECLARATION = "instrument/us-uk-ai-research-declaration-2020"


def test_neighbours_page_through_the_hub_by_cursor_exactly_once(hub: Traversal) -> None:
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        page = operations.neighbors(hub.source(), HUB, View(), limit=700, cursor=cursor)
        pages += 1
        assert page.meta["total"] == HUB_SIZE
        assert len(page.links) == page.meta["returned"] <= 700
        seen += [link.other(HUB) for link in page.links.values()]
        assert all(
            link.source in page.nodes and link.target in page.nodes for link in page.links.values()
        )
        cursor = page.meta["cursor"]
        if cursor is None:
            assert page.meta["truncated"] is False
            break
        assert page.meta["truncated"] is True
        assert page.meta["omitted"]["neighbors"] == HUB_SIZE - len(seen)
    assert pages == 8
    assert len(seen) == len(set(seen)) == HUB_SIZE


def test_neighbour_counts_per_predicate_and_type_ignore_the_filters(hub: Traversal) -> None:
    view = View(predicates=frozenset({"ak:buildsOn"}))
    page = operations.neighbors(hub.source(), "instrument/h0100", view, limit=None, cursor=None)
    assert page.meta["counts"]["predicates"] == {
        "ak:buildsOn": {"out": 1, "in": 1},
        "ak:party": {"out": 2, "in": 0},
    }
    assert page.meta["counts"]["types"] == {"ak:Declaration": 2, "ak:State": 2}
    assert {link.other("instrument/h0100") for link in page.links.values()} == {
        "instrument/h0099",
        "instrument/h0101",
    }
    incoming = operations.neighbors(
        hub.source(), "instrument/h0100", View(direction="in"), limit=None, cursor=None
    )
    assert [link.source for link in incoming.links.values()] == ["instrument/h0101"]


def test_a_bad_cursor_is_an_input_error(hub: Traversal) -> None:
    with pytest.raises(InputError, match="cursor"):
        operations.neighbors(hub.source(), HUB, View(), limit=10, cursor="not-a-cursor")


def test_neighbourhood_of_the_hub_is_capped_and_says_so(hub: Traversal) -> None:
    found = operations.neighborhood(
        hub.source(), [HUB], View(), depth=2, limit=None, max_nodes=None, max_edges=None
    )
    assert found.meta["limits"]["applied"] == {
        "depth": 2,
        "limit": 100,
        "max_nodes": 500,
        "max_edges": 2_000,
    }
    # the hub, its first 100 instruments, their ten other parties, and h0100 building on h0099
    assert len(found.nodes) == 1 + 100 + SMALL_PARTIES + 1
    assert found.meta["truncated"] is True
    assert found.meta["omitted"]["neighbors"] >= HUB_SIZE - 100
    assert all(
        link.source in found.nodes and link.target in found.nodes for link in found.links.values()
    )


def test_neighbourhood_caps_above_the_ceiling_are_cut_not_refused(hub: Traversal) -> None:
    found = operations.neighborhood(
        hub.source(), [HUB], View(), depth=9, limit=10, max_nodes=5, max_edges=3
    )
    assert found.meta["limits"]["requested"] == {
        "depth": 9,
        "limit": 10,
        "max_nodes": 5,
        "max_edges": 3,
    }
    assert found.meta["limits"]["applied"]["depth"] == 3
    assert len(found.nodes) == 5
    assert len(found.links) == 3
    assert found.meta["omitted"]["edges"] > 0


def test_neighbourhood_filters_by_neighbour_type(hub: Traversal) -> None:
    found = operations.neighborhood(
        hub.source(),
        ["instrument/h0007"],
        View(neighbour_types=frozenset({"https://w3id.org/accordkg/ontology#State"})),
        depth=1,
        limit=None,
        max_nodes=None,
        max_edges=None,
    )
    assert set(found.nodes) == {"instrument/h0007", HUB, "state/p7"}


def test_expand_returns_only_what_is_new_and_its_edges(hub: Traversal) -> None:
    canvas = ["instrument/h0001", "state/p1"]
    found = operations.expand(
        hub.source(),
        ["instrument/h0002"],
        canvas,
        View(),
        limit=None,
        max_nodes=None,
        max_edges=None,
    )
    new = {node for node in found.nodes if node not in found.attributes}
    assert new == {HUB, "instrument/h0003", "state/p2"}
    assert found.meta["on_canvas"] == ["instrument/h0001", "instrument/h0002"]
    assert all(found.attributes[node] == {"on_canvas": True} for node in found.meta["on_canvas"])
    ids = {(link.source, link.predicate, link.target) for link in found.links.values()}
    assert ("instrument/h0002", "ak:buildsOn", "instrument/h0001") not in ids  # both on canvas
    assert ("instrument/h0003", "ak:buildsOn", "instrument/h0002") in ids
    assert ("instrument/h0001", "ak:party", HUB) in ids  # new node to the canvas
    assert ("instrument/h0001", "ak:party", "state/p1") not in ids
    assert all({link.source, link.target} & new for link in found.links.values())


def test_k_shortest_paths_in_order_and_around_hubs(hub: Traversal) -> None:
    found = operations.paths(
        hub.source(),
        "instrument/h0001",
        "instrument/h4000",
        View(),
        k=3,
        max_length=None,
        max_degree=None,
    )
    assert found.meta["paths"][0] == ["instrument/h0001", HUB, "instrument/h4000"]
    assert [len(path) - 1 for path in found.meta["paths"]] == [2, 3, 3]
    assert set(found.nodes) == {node for path in found.meta["paths"] for node in path}
    around = operations.paths(
        hub.source(),
        "instrument/h0001",
        "instrument/h4000",
        View(),
        k=1,
        max_length=None,
        max_degree=600,
    )
    assert around.meta["paths"] == [
        ["instrument/h0001", "state/p1", "instrument/h4001", "instrument/h4000"]
    ]
    short = operations.paths(
        hub.source(),
        "instrument/h0001",
        "instrument/h4000",
        View(),
        k=3,
        max_length=1,
        max_degree=None,
    )
    assert short.meta["paths"] == []


def test_subgraph_by_types_and_induced(hub: Traversal) -> None:
    parties = operations.subgraph(
        hub.source(),
        {"https://w3id.org/accordkg/ontology#State"},
        View(),
        max_nodes=None,
        max_edges=None,
    )
    assert len(parties.nodes) == SMALL_PARTIES + 1
    assert not parties.links
    capped = operations.subgraph(
        hub.source(),
        {
            "https://w3id.org/accordkg/ontology#Instrument",
            "https://w3id.org/accordkg/ontology#State",
        },
        View(),
        max_nodes=50,
        max_edges=None,
    )
    assert len(capped.nodes) == 50
    assert capped.meta["omitted"]["nodes"] == HUB_SIZE + SMALL_PARTIES + 1 - 50
    induced = operations.induced(
        hub.source(), ["instrument/h0001", "instrument/h0002", HUB], View(), max_edges=None
    )
    assert len(induced.links) == 3
    with pytest.raises(NotFoundError, match="nowhere"):
        operations.induced(hub.source(), ["state/nowhere"], View(), max_edges=None)


def test_statistics_count_types_predicates_and_hubs(hub: Traversal) -> None:
    found = operations.statistics(
        hub.source(), View(), top=3, centrality=["degree", "pagerank"], types=(), max_nodes=None
    )
    assert found.meta["types"]["ak:Declaration"] == HUB_SIZE
    assert found.meta["predicates"] == {"ak:buildsOn": HUB_SIZE - 1, "ak:party": 2 * HUB_SIZE}
    assert found.meta["hubs"][0] == {"id": HUB, "degree": HUB_SIZE}
    assert found.attributes[HUB]["degree"] == HUB_SIZE
    assert set(found.attributes[HUB]) == {"degree", "degree_centrality", "pagerank"}
    with pytest.raises(InputError, match="closeness"):
        operations.statistics(
            hub.source(), View(), top=3, centrality=["closeness"], types=(), max_nodes=None
        )


@pytest.mark.parametrize("top", [0, -39944])
def test_statistics_refuse_a_top_that_is_not_positive(hub: Traversal, top: int) -> None:
    with pytest.raises(InputError, match="top must be a positive integer"):
        operations.statistics(
            hub.source(), View(), top=top, centrality=(), types=(), max_nodes=None
        )


def test_node_detail_counts_degree_per_predicate_and_direction(seed: Traversal) -> None:
    found = operations.node_detail(seed.source(), DECLARATION, View())
    assert list(found.nodes) == [DECLARATION]
    degree = found.meta["degree"]
    assert degree["ak:recital"] == {"out": 7, "in": 0}
    assert degree["ak:party"] == {"out": 2, "in": 0}
    assert degree["ak:buildsOn"] == {"out": 1, "in": 0}
    assert "rdf:type" not in degree
    with_types = operations.node_detail(
        seed.source(), DECLARATION, View(include=frozenset({"data", "types"}))
    )
    assert with_types.meta["degree"]["rdf:type"] == {"out": 2, "in": 0}


def test_collapsed_view_hides_signature_nodes(seed: Traversal) -> None:
    found = operations.neighborhood(
        seed.source(),
        ["state/united-kingdom"],
        View(collapse=frozenset({"signature"})),
        depth=1,
        limit=None,
        max_nodes=None,
        max_edges=None,
    )
    assert not any(node.startswith("signature/") for node in found.nodes)
    assert {"person/alok-sharma", "person/oliver-dowden"} <= set(found.nodes)


@pytest.mark.parametrize(
    ("view", "message"),
    [
        ({"include": frozenset({"everything"})}, "include"),
        ({"collapse": frozenset({"recital"})}, "collapse"),
        ({"direction": "sideways"}, "direction"),
    ],
)
def test_nonsense_views_are_input_errors(view: dict[str, object], message: str) -> None:
    with pytest.raises(InputError, match=message):
        View(**view)  # type: ignore[arg-type]


def test_unknown_nodes_are_not_found(seed: Traversal) -> None:
    with pytest.raises(NotFoundError):
        operations.node_detail(seed.source(), "state/atlantis", View())
    with pytest.raises(InputError, match="max_nodes"):
        operations.neighborhood(
            seed.source(), [DECLARATION], View(), depth=1, limit=None, max_nodes=0, max_edges=None
        )
