"""The traversal service's status, as /health reports it."""

from contextlib import closing
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from accordkg.namespaces import DEFAULT_BASE_IRI
from accordkg.store import EmbeddedStore
from accordkg.traversal.service import Traversal


def test_the_status_says_whether_the_projection_is_of_the_store_as_it_is(tmp_path: Path) -> None:
    with closing(EmbeddedStore(tmp_path)) as store:
        traversal = Traversal(store, DEFAULT_BASE_IRI)
        seen = [traversal.status()]
        traversal.source()
        seen.append(traversal.status())
        graph = Graph()
        graph.add((URIRef(f"{DEFAULT_BASE_IRI}state/s"), RDFS.label, Literal("S")))
        store.replace_graphs({URIRef(f"{DEFAULT_BASE_IRI}graph/g"): graph})
        seen.append(traversal.status())
        traversal.source()
        seen.append(traversal.status())
    assert seen == ["pending", "ready", "pending", "ready"]


def test_a_remote_store_is_read_per_request(tmp_path: Path) -> None:
    with closing(EmbeddedStore(tmp_path)) as store:
        assert Traversal(store, DEFAULT_BASE_IRI, remote_fetch_limit=100).status() == "per request"
