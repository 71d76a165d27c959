"""The store's behaviour, the same for the embedded store and a real Oxigraph server."""

import io
from contextlib import closing
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDFS, XSD

from accordkg.errors import InputError, StoreError
from accordkg.settings import Settings
from accordkg.store import EmbeddedStore, Store, open_store
from tests.graphs import isomorphic, plain_strings

GRAPH = URIRef("https://w3id.org/accordkg/graph/example")
OTHER = URIRef("https://w3id.org/accordkg/graph/other")
LABELS = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
AFTER = "SELECT ?s WHERE { ?s <urn:p> ?value FILTER(?value > ?floor) } ORDER BY ?s"


@pytest.fixture
def store(any_settings: Settings) -> Store:
    return open_store(any_settings)


def test_replace_graphs_then_read_back(store: Store, example: Graph) -> None:
    with closing(store):
        store.replace_graphs({GRAPH: example})
        assert store.graph_names() == [str(GRAPH)]
        assert store.triple_count() == len(example)


def test_replacing_twice_leaves_one_copy(store: Store, example: Graph) -> None:
    with closing(store):
        store.replace_graphs({GRAPH: example})
        store.replace_graphs({GRAPH: example})
        assert store.triple_count() == len(example)


def test_replacing_with_a_smaller_graph_drops_the_old_triples(store: Store, example: Graph) -> None:
    smaller = Graph()
    for triple in sorted(example)[:5]:
        smaller.add(triple)
    with closing(store):
        store.replace_graphs({GRAPH: example})
        store.replace_graphs({GRAPH: smaller})
        assert store.triple_count() == 5


def test_several_graphs_and_a_drop_in_one_step(store: Store, example: Graph) -> None:
    with closing(store):
        store.replace_graphs({GRAPH: example, OTHER: example})
        store.replace_graphs({OTHER: example}, drop=[GRAPH])
        assert store.graph_names() == [str(OTHER)]
        assert store.triple_count() == len(example)


@pytest.mark.parametrize("filled", [False, True], ids=["empty", "filled"])
def test_a_write_that_fails_leaves_the_store_as_it_was(
    store: Store, example: Graph, filled: bool
) -> None:
    """A graph with a term no store takes (a datatype that is no IRI) fails the whole
    write, whether it fills an empty store or changes a filled one."""
    bad = Graph()
    bad.add((URIRef("urn:s"), URIRef("urn:p"), Literal("x", datatype=URIRef("not an iri"))))
    with closing(store):
        if filled:
            store.replace_graphs({GRAPH: example})
        with pytest.raises(InputError, match="not valid RDF"):
            store.replace_graphs({OTHER: example, URIRef("urn:bad"): bad})
        assert store.graph_names() == ([str(GRAPH)] if filled else [])
        assert store.triple_count() == (len(example) if filled else 0)


def test_select_sees_all_graphs_as_the_default_graph(store: Store) -> None:
    first, second = Graph(), Graph()
    first.add((URIRef("urn:a"), RDFS.label, Literal("A", lang="en")))
    second.add((URIRef("urn:b"), RDFS.label, Literal("B")))
    with closing(store):
        store.replace_graphs({GRAPH: first, OTHER: second})
        solutions = store.select(LABELS + " ORDER BY ?s")
    assert solutions.variables == ["s", "label"]
    assert [(row["s"], row["label"]) for row in solutions.rows] == [
        (URIRef("urn:a"), Literal("A", lang="en")),
        (URIRef("urn:b"), Literal("B", datatype=XSD.string)),
    ]


@pytest.mark.parametrize(
    "value",
    [Literal('quote " and } brace'), Literal("A", lang="en"), Literal(3), URIRef("urn:a")],
    ids=["hostile-string", "tagged", "integer", "iri"],
)
def test_bindings_are_rdf_terms_not_text(store: Store, value: Literal | URIRef) -> None:
    graph = Graph()
    graph.add((URIRef("urn:a"), RDFS.label, value))
    graph.add((URIRef("urn:b"), RDFS.label, Literal("other")))
    with closing(store):
        store.replace_graphs({GRAPH: graph})
        solutions = store.select(LABELS, {"label": value})
    assert [row["s"] for row in solutions.rows] == [URIRef("urn:a")]


def test_bindings_are_seen_by_filters(store: Store) -> None:
    graph = Graph()
    for number in range(5):
        graph.add((URIRef(f"urn:n{number}"), URIRef("urn:p"), Literal(number)))
    with closing(store):
        store.replace_graphs({GRAPH: graph})
        solutions = store.select(AFTER, {"floor": Literal(2)})
    assert [str(row["s"]) for row in solutions.rows] == ["urn:n3", "urn:n4"]


def test_a_malformed_query_is_an_input_error(store: Store) -> None:
    with closing(store), pytest.raises(InputError):
        store.select("SELECT WHERE {")


def test_construct_returns_the_triples_with_terms_intact(store: Store) -> None:
    graph = Graph()
    annotation, target = URIRef("urn:a"), BNode()
    graph.add((annotation, URIRef("urn:target"), target))
    graph.add((target, URIRef("urn:start"), Literal(3)))
    graph.add((target, RDFS.label, Literal("Zielsetzung", lang="de")))
    graph.add((target, RDFS.comment, Literal("a plain string")))
    graph.add((URIRef("urn:b"), RDFS.label, Literal("unrelated")))
    with closing(store):
        store.replace_graphs({GRAPH: graph})
        built = store.construct(
            "CONSTRUCT { <urn:a> ?p ?t . ?t ?q ?v } WHERE { <urn:a> ?p ?t . ?t ?q ?v }"
        )
    kept = Graph()
    for triple in graph.triples((None, None, None)):
        if triple[0] != URIRef("urn:b"):
            kept.add(triple)
    assert isomorphic(built, kept)


def test_a_malformed_construct_is_an_input_error(store: Store) -> None:
    with closing(store), pytest.raises(InputError):
        store.construct("CONSTRUCT { ?s ?p ?o } WHERE {")


def test_embedded_store_persists_across_reopen(tmp_path: Path, example: Graph) -> None:
    with closing(EmbeddedStore(tmp_path)) as store:
        store.replace_graphs({GRAPH: example})
    with closing(EmbeddedStore(tmp_path)) as store:
        assert store.triple_count() == len(example)


def test_a_store_loaded_in_bulk_is_compacted_once_and_reads_the_same(tmp_path: Path) -> None:
    """Four bulk loads leave four overlapping table files, as a large load by Oxigraph's
    loader does; compacting rewrites them (so workers must reopen), and then has no work."""
    loader = pyoxigraph.Store(str(tmp_path))
    for part in range(4):
        loader.bulk_extend(
            pyoxigraph.Quad(
                pyoxigraph.NamedNode(f"urn:s:{part}:{n}"),
                pyoxigraph.NamedNode("urn:p"),
                pyoxigraph.Literal(str(n)),
                pyoxigraph.NamedNode(str(GRAPH)),
            )
            for n in range(500)
        )
    loader.flush()
    del loader
    with closing(EmbeddedStore(tmp_path)) as store:
        assert store.compact() is True
        assert store.compact() is False
        assert store.triple_count() == 2000
        [(count,)] = store.rows("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s <urn:p> ?o } }")
        assert int(count or 0) == 2000


def test_a_second_owner_of_the_embedded_store_gets_a_clear_error(tmp_path: Path) -> None:
    with closing(EmbeddedStore(tmp_path)), pytest.raises(StoreError, match="cannot open the store"):
        EmbeddedStore(tmp_path)


def test_a_closed_store_refuses_work(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.triple_count()


def test_an_unreachable_server_is_a_store_error(settings: Settings) -> None:
    from tests.servers import free_port  # noqa: PLC0415

    url = f"http://127.0.0.1:{free_port()}"
    remote = Settings(
        data_dir=settings.data_dir,
        store="remote",
        sparql_query_url=f"{url}/query",
        sparql_update_url=f"{url}/update",
    )
    with closing(open_store(remote)) as store, pytest.raises(StoreError, match="cannot be reached"):
        store.graph_names()


def test_remote_settings_need_both_urls(settings: Settings) -> None:
    with pytest.raises(StoreError, match="ACCORDKG_SPARQL_QUERY_URL"):
        open_store(Settings(data_dir=settings.data_dir, store="remote"))


def test_rows_are_lexical_values_with_none_when_unbound(store: Store) -> None:
    graph = Graph()
    graph.add((URIRef("urn:a"), RDFS.label, Literal("A", lang="en")))
    graph.add((URIRef("urn:b"), URIRef("urn:p"), Literal(3)))
    with closing(store):
        store.replace_graphs({GRAPH: graph})
        rows = store.rows(
            "SELECT ?s ?label WHERE { ?s ?p ?o OPTIONAL { ?s <http://www.w3.org/2000/01/"
            "rdf-schema#label> ?label } } ORDER BY ?s"
        )
        assert list(rows) == [("urn:a", "A"), ("urn:b", None)]


def test_every_write_moves_the_generation_on(store: Store, example: Graph) -> None:
    with closing(store):
        start = store.generation
        store.replace_graphs({GRAPH: example})
        store.update("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:p> 1 } }")
        with pytest.raises(InputError):
            store.update("INSERT DATA { <urn:a> <urn:p> }")
        store.select(LABELS)
        assert store.generation == start + 3


def _held(store: Store, name: URIRef) -> Graph:
    """One named graph as the store answers a SELECT over it."""
    graph = Graph()
    solutions = store.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}")
    for row in solutions.rows:
        graph.add((row["s"], row["p"], row["o"]))
    return plain_strings(graph)


def _dumped(store: Store) -> Dataset:
    output = io.BytesIO()
    store.dump_nquads(output)
    return Dataset().parse(data=output.getvalue(), format="nquads")


def test_dump_nquads_writes_every_named_graph(store: Store, example: Graph) -> None:
    other = Graph()
    other.add((URIRef("urn:a"), RDFS.label, Literal('line\nbreak "quoted"', lang="en")))
    with closing(store):
        store.replace_graphs({GRAPH: example, OTHER: other})
        dumped = _dumped(store)
        assert sorted(str(g.identifier) for g in dumped.graphs() if len(g)) == sorted(
            [str(GRAPH), str(OTHER)]
        )
        held = {name: _held(store, name) for name in (GRAPH, OTHER)}
    # Compared with what the store holds: Oxigraph stores derived integer types such as
    # the example's xsd:nonNegativeInteger as xsd:integer.
    assert len(held[GRAPH]) == len(example)
    assert isomorphic(dumped.graph(GRAPH), held[GRAPH])
    assert set(dumped.graph(OTHER)) == set(other) == set(held[OTHER])


def test_dump_nquads_of_an_empty_store_is_empty(store: Store) -> None:
    output = io.BytesIO()
    with closing(store):
        store.dump_nquads(output)
    assert output.getvalue() == b""
