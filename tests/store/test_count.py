"""The triple count the service's pages report: made in a thread of its own, once per
store generation, and not waited for longer than COUNT_WAIT_S."""

import time
from contextlib import closing
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from accordkg.store import EmbeddedStore, RemoteStore
from accordkg.store.count import TripleCount
from tests.api.slow_store import delaying
from tests.servers import oxigraph_server


def test_the_count_is_made_once_per_generation(tmp_path: Path) -> None:
    with closing(EmbeddedStore(tmp_path)) as store:
        count = TripleCount(store)
        assert count.get() == 0
        graph = Graph()
        graph.add((URIRef("urn:a"), RDFS.label, Literal("A")))
        graph.add((URIRef("urn:b"), RDFS.label, Literal("B")))
        store.replace_graphs({URIRef("urn:g"): graph})
        assert count.get() == 2 == store.triple_count()


def test_a_slow_count_is_not_waited_for_and_is_given_once_made(tmp_path: Path) -> None:
    with oxigraph_server(tmp_path / "oxigraph") as upstream, delaying(upstream) as proxy:
        store = RemoteStore(f"{proxy}/query", f"{proxy}/update", 60, change_check_s=60)
        with closing(store):
            store.update("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> , <urn:d> } }")
            count = TripleCount(store)
            assert count.get() is None  # the proxy holds each call 2 s
            deadline = time.monotonic() + 30
            while (made := count.get()) is None:
                assert time.monotonic() < deadline
            assert made == 2
