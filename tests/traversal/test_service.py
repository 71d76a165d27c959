"""The traversal service: its status, as /health reports it, and the answers it keeps."""

from contextlib import closing
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from accordkg.namespaces import DEFAULT_BASE_IRI
from accordkg.store import EmbeddedStore
from accordkg.traversal import operations
from accordkg.traversal.operations import GraphSource, View
from accordkg.traversal.service import Traversal, WalkedAnswers


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


def _labelled(store: EmbeddedStore, label: str) -> None:
    graph = Graph()
    graph.add((URIRef(f"{DEFAULT_BASE_IRI}state/s"), RDFS.label, Literal(label)))
    store.replace_graphs({URIRef(f"{DEFAULT_BASE_IRI}graph/g"): graph})


def test_a_walked_answer_asked_again_is_kept_until_the_store_changes(tmp_path: Path) -> None:
    walks: list[str] = []

    def label(graph: GraphSource) -> bytes:
        found = operations.node_detail(graph, "state/s", View(include=frozenset({"data"})))
        walks.append(found.nodes["state/s"].label)
        return found.nodes["state/s"].label.encode()

    with closing(EmbeddedStore(tmp_path)) as store:
        _labelled(store, "Before")
        walked = Traversal(store, DEFAULT_BASE_IRI, projected_at_most=0)
        answers = [walked.answer("detail", label), walked.answer("detail", label)]
        _labelled(store, "After")
        answers.append(walked.answer("detail", label))
        projected = Traversal(store, DEFAULT_BASE_IRI)
        answers += [projected.answer("detail", label), projected.answer("detail", label)]
    assert answers == [b"Before", b"Before", b"After", b"After", b"After"]
    assert walks == ["Before", "After", "After", "After"]  # walked once per generation


def test_walked_answers_are_bounded_and_of_one_generation() -> None:
    kept = WalkedAnswers(most_bytes=10)
    kept.put(1, "a", b"12345")
    kept.put(1, "b", b"12345")
    assert (kept.get(1, "a"), kept.get(1, "b")) == (b"12345", b"12345")
    kept.put(1, "c", b"1")  # over the bound: the least recently asked, a, is forgotten
    assert (kept.get(1, "a"), kept.get(1, "b"), kept.get(1, "c")) == (None, b"12345", b"1")
    kept.put(1, "huge", b"x" * 11)
    assert kept.get(1, "huge") is None
    kept.put(2, "d", b"2")  # a later generation forgets the earlier one's answers
    assert (kept.get(2, "b"), kept.get(2, "d"), kept.get(1, "b")) == (None, b"2", None)
    kept.put(1, "late", b"1")  # a walk of the earlier generation that ends late
    assert (kept.get(1, "late"), kept.get(2, "d")) == (None, b"2")
