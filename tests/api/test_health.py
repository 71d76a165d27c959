"""/health: whether queries can be answered yet, and what the store holds."""

import os
import subprocess
import time
from collections.abc import Iterator

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

import accordkg
from accordkg.api import create_app
from accordkg.namespaces import ONTOLOGY_IRI
from accordkg.resources import ontology_graph
from accordkg.settings import Settings
from tests import live
from tests.api.conftest import TOKEN
from tests.servers import BIN, free_port

QUADS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
GRAPHS = [
    "https://w3id.org/accordkg/id/graph/mappings",
    "https://w3id.org/accordkg/id/graph/records",
    "https://w3id.org/accordkg/id/graph/us-uk-ai-research-declaration-2020",
    str(ONTOLOGY_IRI),
]


@pytest.fixture
def pool_client(built_settings: Settings) -> Iterator[TestClient]:
    """A fresh app with the default pool of query workers, for the tests of what /health
    says of them."""
    with TestClient(create_app(built_settings)) as test_client:
        yield test_client


def test_health_says_starting_until_a_query_worker_is_ready(
    built_settings: Settings,
) -> None:
    """Workers are processes that load a copy of the store: not ready the instant the
    server answers. Until one is, /health is a 503 that says so, then a 200. (A server of
    its own: in a process that has started workers before, they are ready in
    milliseconds, and the first answer could come after.)"""
    port = free_port()
    command = [str(BIN / "accordkg"), "serve", "--port", str(port)]
    environment = {**os.environ, "ACCORDKG_DATA_DIR": str(built_settings.data_dir)}
    url = f"http://127.0.0.1:{port}/health"
    process = subprocess.Popen(command, env=environment, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while (first := _answer(url)) is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert first is not None
        assert (first.status_code, first.json()["status"]) == (503, "starting")
        assert first.json()["query_workers"]["ready"] == 0
        while (response := live.get(url)).status_code == 503 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert (response.status_code, response.json()["status"]) == (200, "ok")
        assert response.json()["query_workers"]["ready"] >= 1
    finally:
        process.terminate()
        process.wait(timeout=10)


def _answer(url: str) -> httpx.Response | None:
    """The server's answer, or None while it does not take connections yet."""
    try:
        return live.get(url, timeout=5)
    except httpx.TransportError:
        return None


def test_health_reports_the_store(pool_client: TestClient) -> None:
    deadline = time.monotonic() + 30
    while (response := pool_client.get("/health")).status_code == 503 and (
        time.monotonic() < deadline
    ):
        time.sleep(0.05)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["version"] == accordkg.__version__
    assert body["graphs"] == GRAPHS
    assert body["triples"] > len(ontology_graph()) + 500
    assert body["query_workers"]["size"] == 2
    pool_client.get("/graph/stats")  # the /graph projection is ready once a request used it
    assert pool_client.get("/health").json()["graph"] == "ready"


def test_live_server_answers_health_and_docs(server: str) -> None:
    health = live.get(f"{server}/health")
    assert health.status_code == 200
    assert health.json()["graphs"] == GRAPHS
    docs = live.get(f"{server}/docs")
    assert docs.status_code == 200
    assert "swagger" in docs.text.lower()
    openapi = live.get(f"{server}/openapi.json").json()
    assert {"/health", "/ontology", "/ontology.{extension}", "/id/{kind}/{slug}"} <= set(
        openapi["paths"]
    )


@pytest.mark.slow(seconds=20)
def test_health_does_not_wait_for_a_slow_count(slow_store: str) -> None:
    """After a write, the store is counted anew in the background: /health says null
    while a count takes longer than it waits, and the count once it is made."""
    headers = {"Content-Type": "text/turtle", "Authorization": f"Bearer {TOKEN}"}
    written = live.put(
        f"{slow_store}/store?graph=urn:test:counted", content=b"<urn:a> <urn:b> <urn:c> .",
        headers=headers, timeout=60,
    )  # fmt: skip
    assert written.status_code in (201, 204)
    try:
        # each of the slow store's answers takes DELAY_S, longer than /health waits
        assert live.get(f"{slow_store}/health", timeout=60).json()["triples"] is None
        deadline = time.monotonic() + 60
        while (triples := live.get(f"{slow_store}/health", timeout=60).json()["triples"]) is None:
            assert time.monotonic() < deadline
            time.sleep(0.2)
        count = live.get(
            f"{slow_store}/sparql", params={"query": QUADS}, timeout=60,
            headers={"Accept": "application/sparql-results+json"},
        ).json()["results"]["bindings"][0]["n"]["value"]  # fmt: skip
        assert triples == int(count) >= 1
    finally:
        live.delete(f"{slow_store}/store?graph=urn:test:counted", headers=headers, timeout=60)
