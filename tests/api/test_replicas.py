"""Two `accordkg serve` replicas on one `oxigraph serve` stay consistent: a write through
one, or by another program straight to the server, reaches the other's derived data
(reconcile index, dumps, VoID, /graph) within the change-check bound, and the writer's at
once. Real processes on loopback; the server is this module's own."""

import json
import os
import statistics
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, ExitStack, contextmanager
from functools import partial
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import DCAT, RDF, VOID

from accordkg.store.remote import COUNTS_APART, QUADS_QUERY
from tests import live
from tests.conftest import INPUTS
from tests.servers import BIN, free_port, oxigraph_server, running

pytestmark = pytest.mark.slow

CHECK_S = 0.5  # ACCORDKG_CHANGE_CHECK_S of the replicas
SLACK_S = 2.0  # on top of the bound: a rebuild, the requests, a loaded machine
TOKEN = "replica-writer"
BASE = "https://w3id.org/accordkg/id/"
RURITANIA = f"{BASE}state/ruritania"
FREEDONIA = f"{BASE}state/freedonia"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
STATE = "<https://w3id.org/accordkg/ontology#State>"


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An `oxigraph serve` of this module's own, holding one state: small, so that the
    replicas' rebuilds take no time to speak of."""
    with oxigraph_server(tmp_path_factory.mktemp("replicas-engine")) as url:
        _write_around(url, f"{BASE}state/graustark", "Graustark")
        yield url


def _inserted(state: str, label: str) -> str:
    """An update that adds a state in a graph of its own, under the imports."""
    graph = f"{BASE}graph/import/{state.rsplit('/', 1)[1]}"
    return f'INSERT DATA {{ GRAPH <{graph}> {{ <{state}> a {STATE} ; {LABEL} "{label}"@en }} }}'


def _write_around(engine: str, state: str, label: str) -> None:
    """Another program's write, straight to the engine."""
    response = live.post(
        f"{engine}/update",
        content=_inserted(state, label),
        headers={"Content-Type": "application/sparql-update"},
    )
    response.raise_for_status()


@contextmanager
def _replica(engine: str, data_dir: Path) -> Iterator[str]:
    port = free_port()
    environment = {
        **os.environ,
        "ACCORDKG_STORE": "remote",
        "ACCORDKG_SPARQL_QUERY_URL": f"{engine}/query",
        "ACCORDKG_SPARQL_UPDATE_URL": f"{engine}/update",
        "ACCORDKG_UPDATE_TOKEN": TOKEN,
        "ACCORDKG_CHANGE_CHECK_S": str(CHECK_S),
        "ACCORDKG_DATA_DIR": str(data_dir),
        "ACCORDKG_INPUT_DIR": str(INPUTS),
    }
    command = [str(BIN / "accordkg"), "serve", "--port", str(port)]
    url = f"http://127.0.0.1:{port}"
    with running(command, f"{url}/health", environment):
        yield url


@pytest.fixture(scope="module")
def replicas(tmp_path_factory: pytest.TempPathFactory, engine: str) -> Iterator[list[str]]:
    """Two replicas on the engine, each with its own data directory (dumps), started side
    by side (each takes seconds)."""

    def entered(context: AbstractContextManager[str]) -> str:
        url = context.__enter__()
        stack.push(context)  # stopped with the stack, even if the other failed to start
        return url

    with ExitStack() as stack, ThreadPoolExecutor(2) as pool:
        directories = [tmp_path_factory.mktemp(name) / "var" for name in ("a", "b")]
        yield list(pool.map(entered, [_replica(engine, d) for d in directories]))


class View:
    """What one replica's derived data say of the data."""

    def __init__(self, url: str) -> None:
        self.url = url

    def reconciled(self, name: str) -> dict[str, str]:
        """Entity id -> name of the candidates for `name`."""
        queries = json.dumps({"q": {"query": name, "type": "State"}})
        response = live.post(f"{self.url}/reconcile", data={"queries": queries})
        assert response.status_code == 200, response.text
        return {c["id"]: c["name"] for c in response.json()["q"]["result"]}

    def dump(self) -> str:
        response = live.get(f"{self.url}/dumps/accordkg.nq", timeout=30)
        assert response.status_code == 200, response.text
        return response.text

    def void_triples(self) -> int:
        response = live.get(f"{self.url}/.well-known/void", headers={"Accept": "text/turtle"})
        assert response.status_code == 200, response.text
        void = Graph().parse(data=response.text, format="turtle")
        [dataset] = list(void.subjects(RDF.type, DCAT.Dataset))
        triples = void.value(dataset, VOID.triples)
        assert isinstance(triples, Literal)
        return int(triples)

    def graph_node(self, node: str) -> str | None:
        """The node's /graph answer, or None if /graph has no such node."""
        response = live.get(f"{self.url}/graph/nodes/{node}")
        if response.status_code == 404:
            return None
        assert response.status_code == 200, response.text
        return response.text


def _seen_within(bound_s: float, seen: Callable[[], bool]) -> float:
    """How long after now `seen()` first holds; a failure past `bound_s`."""
    started = time.monotonic()
    while not seen():
        elapsed = time.monotonic() - started
        assert elapsed < bound_s, f"not seen within {bound_s:g} s"
        time.sleep(0.05)
    return time.monotonic() - started


def _sees_state(view: View, iri: str, label: str, triples: int | None = None) -> bool:
    """Whether every derived view of `view` has the state `iri` labelled `label` (and the
    VoID statistics `triples` triples, if given)."""
    node = iri.removeprefix(BASE)
    return (
        view.reconciled(label).get(node) == label
        and f'<{iri}> {LABEL} "{label}"@en' in view.dump()
        and label in (view.graph_node(node) or "")
        and (triples is None or view.void_triples() == triples)
    )


def _update(url: str, update: str) -> None:
    response = live.post(
        f"{url}/sparql/update",
        content=update,
        headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code == 204, response.text


def _count_s(engine: str) -> float:
    """How long the engine takes to count its quads, as a replica's check does."""
    taken = []
    for _ in range(3):
        started = time.perf_counter()
        live.post(
            f"{engine}/query",
            content=QUADS_QUERY,
            headers={"Content-Type": "application/sparql-query"},
        ).raise_for_status()
        taken.append(time.perf_counter() - started)
    return statistics.median(taken)


def test_writes_through_a_replica_and_around_them_reach_every_replica(
    engine: str, replicas: list[str]
) -> None:
    a, b = map(View, replicas)
    # The replicas' caches are built before each write: they must notice they went stale.
    triples = b.void_triples()
    for view in (a, b):
        assert view.void_triples() == triples
        assert view.reconciled("Freedonia") == {}
        assert FREEDONIA not in view.dump()
        assert view.graph_node("state/freedonia") is None

    # Another program writes straight to the server: both replicas notice by the count.
    _write_around(engine, FREEDONIA, "Freedonia")
    bound_s = max(CHECK_S, COUNTS_APART * _count_s(engine)) + SLACK_S
    for view in (a, b):
        _seen_within(bound_s, partial(_sees_state, view, FREEDONIA, "Freedonia", triples + 2))

    # A SPARQL update through A: the writer sees it at once, B within the check interval.
    assert b.reconciled("Ruritania") == {}
    _update(a.url, _inserted(RURITANIA, "Ruritania"))
    assert a.reconciled("Ruritania") == {"state/ruritania": "Ruritania"}
    _seen_within(CHECK_S + SLACK_S, lambda: _sees_state(b, RURITANIA, "Ruritania", triples + 4))

    # One that leaves the number of triples as it was, so that only the change marker
    # tells B; with a prologue, which the marker's renaming must follow.
    renamed = "Ruritanian Republic"
    graph = f"{BASE}graph/import/ruritania"
    _update(
        a.url,
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        f'DELETE DATA {{ GRAPH <{graph}> {{ <{RURITANIA}> rdfs:label "Ruritania"@en }} }} ;\n'
        f'INSERT DATA {{ GRAPH <{graph}> {{ <{RURITANIA}> rdfs:label "{renamed}"@en }} }}',
    )
    assert a.reconciled(renamed) == {"state/ruritania": renamed}
    _seen_within(CHECK_S + SLACK_S, lambda: _sees_state(b, RURITANIA, renamed))


def test_the_change_marker_is_in_no_answer(engine: str, replicas: list[str]) -> None:
    """The marker is an empty graph: what accordkg and SPARQL report of the data leave it
    out, though the server holds it."""
    a = View(replicas[0])
    _update(
        a.url, f'INSERT DATA {{ GRAPH <urn:test:replica-note> {{ <urn:test:a> {LABEL} "note" }} }}'
    )
    listed = live.post(
        f"{engine}/query",
        content="SELECT ?g WHERE { GRAPH ?g { } }",
        headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"},
    ).text.split()[1:]
    markers = [name for name in listed if name.startswith("urn:x-accordkg:change:")]
    assert len(markers) == 1
    health = live.get(f"{a.url}/health").json()
    assert markers[0] not in health["graphs"]
    assert markers[0] not in a.dump()
    everything = live.get(
        f"{a.url}/sparql",
        params={"query": "SELECT ?g ?s WHERE { GRAPH ?g { ?s ?p ?o } }"},
        headers={"Accept": "text/csv"},
    )
    assert everything.status_code == 200
    assert "urn:x-accordkg:change:" not in everything.text
