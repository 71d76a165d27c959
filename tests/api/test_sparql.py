"""/sparql beyond the W3C cases: negotiation, CORS, service description, limits, safety.

The live server runs with a 3 s query timeout and a 50-row limit (tests/api/sparql_server).
"""

import csv
import io
import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from accordkg.pipeline.build import build
from accordkg.settings import Settings
from tests import live
from tests.answers import count_rows
from tests.api.conftest import TOKEN
from tests.conftest import copy_built
from tests.recorder import Recorded
from tests.servers import BIN, free_port, running, started
from tests.sparql.test_federation import QUERY_FORMS, UPDATE_FORMS, fill
from tests.sparql.test_pool import doubling

SD = "http://www.w3.org/ns/sparql-service-description#"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SIGNATORIES = "SELECT ?name WHERE { ?s <http://xmlns.com/foaf/0.1/name> ?name } ORDER BY ?name"
PAIRS = "SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f }"  # about a million rows from the seed
ASK_TRUE = b'{"head":{},"boolean":true}'


def test_select_results_in_every_format(sparql: str) -> None:
    as_json = live.get(sparql, params={"query": SIGNATORIES})
    names = [b["name"]["value"] for b in as_json.json()["results"]["bindings"]]
    assert names == ["Alok Sharma", "Michael J.K. Kratsios", "Oliver Dowden"]
    as_csv = live.get(sparql, params={"query": SIGNATORIES, "format": "csv"})
    assert as_csv.text.splitlines() == ["name", *names]
    as_tsv = live.get(
        sparql, params={"query": SIGNATORIES}, headers={"Accept": "text/tab-separated-values"}
    )
    assert as_tsv.text.splitlines() == ["?name", *(f'"{n}"' for n in names)]
    as_xml = live.get(sparql, params={"query": SIGNATORIES}, headers={"Accept": "application/xml"})
    assert "<literal>Oliver Dowden</literal>" in as_xml.text


def test_construct_in_graph_formats(sparql: str) -> None:
    name = "<http://xmlns.com/foaf/0.1/name>"
    query = f"CONSTRUCT {{ ?s {name} ?n }} WHERE {{ ?s {name} ?n }}"
    for accept, parser in [
        ("application/ld+json", "json-ld"),
        ("application/n-quads", "nquads"),
        ("text/turtle", "turtle"),
        ("application/rdf+xml", "xml"),
    ]:
        response = live.get(sparql, params={"query": query}, headers={"Accept": accept})
        assert response.headers["content-type"].startswith(accept)
        assert len(Graph().parse(data=response.text, format=parser)) == 3


@pytest.mark.parametrize(
    ("accept", "status", "media_type"),
    [
        ("*/*", 200, "application/sparql-results+json"),
        (
            "text/csv;q=0.2, application/sparql-results+xml;q=0.9",
            200,
            "application/sparql-results+xml",
        ),
        ("text/csv; charset=utf-8", 200, "text/csv"),
        ("text/html", 200, "text/html"),  # a browser: the workbench (tests/api/test_workbench)
        (
            "text/html;q=0.5, application/sparql-results+json",
            200,
            "application/sparql-results+json",
        ),
    ],
)
def test_negotiation(sparql: str, accept: str, status: int, media_type: str) -> None:
    response = live.get(sparql, params={"query": "ASK {}"}, headers={"Accept": accept})
    assert response.status_code == status
    assert response.headers["content-type"].startswith(media_type)
    assert "Accept" in response.headers.get("vary", "") or status == 406


def test_head_and_options(sparql: str) -> None:
    head = live.head(sparql, params={"query": "ASK {}"})
    assert head.status_code == 200
    assert head.headers["content-type"].startswith("application/sparql-results+json")
    assert head.content == b""
    options = live.options(sparql)
    assert options.status_code == 204
    assert "POST" in options.headers["allow"]


def test_cors_for_reads_and_preflight(sparql: str) -> None:
    origin = {"Origin": "https://yasgui.example"}
    response = live.get(sparql, params={"query": "ASK {}"}, headers=origin)
    assert response.headers["access-control-allow-origin"] == "*"
    preflight = live.options(
        sparql,
        headers={
            **origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]


def test_service_description_names_the_real_endpoint(sparql: str) -> None:
    response = live.get(sparql)
    assert response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    (service,) = graph.subjects(RDF.type, URIRef(SD + "Service"))
    assert graph.value(service, URIRef(SD + "endpoint")) == URIRef(sparql)
    features = set(graph.objects(service, URIRef(SD + "feature")))
    assert URIRef(SD + "UnionDefaultGraph") in features
    names = {str(n) for n in graph.objects(None, URIRef(SD + "name"))}
    assert "https://w3id.org/accordkg/ontology" in names
    as_jsonld = live.get(sparql, headers={"Accept": "application/ld+json"})
    assert len(Graph().parse(data=as_jsonld.text, format="json-ld")) == len(graph)


def test_row_limit_is_never_silent(sparql: str) -> None:
    response = live.get(sparql, params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert len(response.json()["results"]["bindings"]) == 50
    assert response.headers["x-accordkg-truncated"] == "true; limit=50"
    small = live.get(sparql, params={"query": SIGNATORIES})
    assert "x-accordkg-truncated" not in small.headers
    graph = live.get(sparql, params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
    assert len(Graph().parse(data=graph.text, format="turtle")) == 50
    assert graph.headers["x-accordkg-truncated"] == "true; limit=50"


@pytest.mark.parametrize(
    "result_format",
    ["json", "xml", "csv", "tsv", "turtle", "ntriples", "nquads", "jsonld", "rdfxml"],
)
def test_truncation_header_at_and_around_the_limit(sparql: str, result_format: str) -> None:
    graph_form = result_format not in ("json", "xml", "csv", "tsv")
    for count in (49, 50, 51):
        values = " ".join(str(n) for n in range(count))
        where = f"{{ VALUES ?n {{ {values} }} }}"
        query = (
            f"CONSTRUCT {{ <urn:s> <urn:p> ?n }} WHERE {where}"
            if graph_form
            else f"SELECT ?n WHERE {where}"
        )
        response = live.get(sparql, params={"query": query, "format": result_format})
        assert response.status_code == 200
        assert count_rows(response.text, result_format) == min(count, 50), count
        truncated = response.headers.get("x-accordkg-truncated")
        assert truncated == ("true; limit=50" if count > 50 else None), count


@contextmanager
def _streaming_server(
    built_data: Path, data_dir: Path, timeout_s: int
) -> Iterator[tuple[str, int]]:
    """A live server on a copy of `built_data` with one query worker, a row limit of a
    million and a 64 KiB answer buffer, so that large answers stream; its URL and process
    id."""
    copy_built(built_data, data_dir)
    port = free_port()
    command = [str(BIN / "accordkg"), "serve", "--port", str(port)]
    environment = {**os.environ, "ACCORDKG_DATA_DIR": str(data_dir),
                   "ACCORDKG_QUERY_WORKERS": "1", "ACCORDKG_ROW_LIMIT": "1000000",
                   "ACCORDKG_ANSWER_BUFFER_BYTES": "65536", "ACCORDKG_QUERY_WAIT_S": "5",
                   "ACCORDKG_QUERY_TIMEOUT_S": str(timeout_s)}  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    with started(command, f"{url}/health", environment) as process:
        _wait_for_idle_workers(url, 1)
        yield url, process.pid


def _wait_for_idle_workers(url: str, count: int) -> None:
    deadline = time.monotonic() + 20
    while live.get(f"{url}/health").json()["query_workers"]["idle"] < count:
        assert time.monotonic() < deadline, "the query workers did not start"
        time.sleep(0.1)


@pytest.fixture(scope="module")
def streaming(
    tmp_path_factory: pytest.TempPathFactory, built_data: Path
) -> Iterator[tuple[str, int]]:
    directory = tmp_path_factory.mktemp("streaming") / "var"
    with _streaming_server(built_data, directory, timeout_s=60) as served:
        yield served


@pytest.fixture(scope="module")
def hasty(tmp_path_factory: pytest.TempPathFactory, built_data: Path) -> Iterator[str]:
    """As `streaming`, with a 3 s time limit."""
    directory = tmp_path_factory.mktemp("hasty") / "var"
    with _streaming_server(built_data, directory, timeout_s=3) as (url, _):
        yield url


def _rss(pid: int) -> int:
    """The resident memory of a process, in bytes."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0]) * 1024


@pytest.mark.slow
def test_a_large_answer_streams_and_the_server_does_not_hold_it(
    streaming: tuple[str, int],
) -> None:
    url, pid = streaming
    assert live.get(f"{url}/sparql", params={"query": "ASK {}"}).status_code == 200
    before = peak = _rss(pid)
    body = bytearray()
    started_at = time.perf_counter()
    query = f"{PAIRS} LIMIT 200000"
    with live.stream("GET", f"{url}/sparql", params={"query": query}, timeout=60) as response:
        assert response.headers["transfer-encoding"] == "chunked"
        assert "x-accordkg-truncated" not in response.headers
        for chunk in response.iter_raw():
            if not body:
                first_chunk_s = time.perf_counter() - started_at
            body += chunk
            peak = max(peak, _rss(pid))
    total_s = time.perf_counter() - started_at
    assert len(json.loads(body)["results"]["bindings"]) == 200_000
    assert len(body) > 20_000_000
    assert peak - before < len(body) / 4, (before, peak, len(body))
    assert first_chunk_s < total_s / 2, (first_chunk_s, total_s)


@pytest.mark.slow
def test_a_large_answer_cut_by_the_row_limit_says_so_before_streaming(
    streaming: tuple[str, int],
) -> None:
    url, _ = streaming
    params = {"query": PAIRS, "format": "tsv"}  # 1047 * 1047 rows, over the limit of 1M
    with live.stream("GET", f"{url}/sparql", params=params, timeout=60) as response:
        assert response.headers["x-accordkg-truncated"] == "true; limit=1000000"
        lines = sum(chunk.count(b"\n") for chunk in response.iter_raw())
    assert lines == 1 + 1_000_000


def test_a_client_that_goes_away_mid_stream_frees_the_worker(hasty: str) -> None:
    query = f"{PAIRS} LIMIT 300000"
    with live.stream("GET", f"{hasty}/sparql", params={"query": query}, timeout=30) as response:
        assert response.status_code == 200
        assert next(response.iter_raw())
    started_at = time.perf_counter()  # the connection is closed; the one worker must be free
    ask = live.get(f"{hasty}/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
    assert ask.status_code == 200
    assert ask.content == ASK_TRUE
    assert time.perf_counter() - started_at < 2.0


@pytest.mark.slow
def test_a_time_out_mid_stream_leaves_the_response_incomplete(hasty: str) -> None:
    query = f"{PAIRS} LIMIT 300000"
    with live.stream("GET", f"{hasty}/sparql", params={"query": query}, timeout=30) as response:
        assert response.status_code == 200
        chunks = response.iter_raw()
        assert next(chunks)
        time.sleep(4)  # longer than the 3 s the answer may take
        with pytest.raises(httpx.RemoteProtocolError, match="incomplete chunked read"):
            b"".join(chunks)
    ask = live.get(f"{hasty}/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
    assert ask.content == ASK_TRUE  # on the replacement worker


def test_errors_before_the_first_chunk_are_json(hasty: str) -> None:
    syntax = live.get(f"{hasty}/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert syntax.status_code == 400
    assert "SPARQL syntax error" in syntax.json()["detail"]
    slow = live.get(f"{hasty}/sparql", params={"query": SLOW}, timeout=30)
    assert slow.status_code == 503
    assert "ran longer than 3 s" in slow.json()["detail"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:7878/query> { ?s ?p ?o } }", "SERVICE"),
        ("SELECT * WHERE { service <https://query.wikidata.org/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "send updates to the update endpoint"),
        ("DROP ALL", "send updates to the update endpoint"),
        ("this is not sparql", "not a SPARQL query"),
        ("SELECT * WHERE " + "{" * 10_000 + "}" * 10_000, "nests 10001 levels deep"),
        ("SELECT * { " + " UNION ".join(["{}"] * 40_000) + " }", "nests 40002 levels deep"),
    ],
)
def test_refused_queries_say_why(sparql: str, query: str, message: str) -> None:
    response = live.post(sparql, data={"query": query})
    assert response.status_code == 400
    assert message in response.json()["detail"]


@pytest.mark.parametrize("form", QUERY_FORMS.values(), ids=QUERY_FORMS.keys())
def test_no_service_form_reaches_another_listener(
    sparql: str, listener: Recorded, form: str
) -> None:
    """Over GET, form POST and direct POST, with no token: a 400 that names SERVICE, and
    nothing reaches the listener."""
    query = fill(form, listener)
    for response in (
        live.get(sparql, params={"query": query}),
        live.post(sparql, data={"query": query}),
        live.post(
            sparql, content=query.encode(), headers={"Content-Type": "application/sparql-query"}
        ),
    ):
        assert response.status_code == 400
        assert "SERVICE" in response.json()["detail"]
    assert listener[1] == []


@pytest.mark.parametrize("form", UPDATE_FORMS.values(), ids=UPDATE_FORMS.keys())
def test_no_update_form_reaches_another_listener(
    writable: str, listener: Recorded, form: str
) -> None:
    update = fill(form, listener)
    response = live.post(
        f"{writable}/sparql/update",
        content=update.encode(),
        headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code == 400
    assert listener[1] == []


@pytest.mark.slow
def test_a_query_past_the_memory_limit_gets_a_503_and_the_next_one_an_answer(
    sparql: str,
) -> None:
    """A 1 KB query that doubles a string until it would fill the machine."""
    response = live.post(sparql, data={"query": doubling(40)})
    assert response.status_code == 503
    assert "more than the 512 MiB a query worker may use" in response.json()["detail"]
    small = live.post(sparql, data={"query": doubling(4)}, headers={"Accept": "text/csv"})
    assert small.text.splitlines() == ["n", "256"]


def test_a_deeply_nested_update_is_refused_and_the_server_lives(writable: str) -> None:
    update = "INSERT { <urn:a> <urn:b> <urn:c> } WHERE " + "{" * 4_000 + "}" * 4_000
    response = live.post(
        f"{writable}/sparql/update",
        content=update.encode(),
        headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code == 400
    assert "nests 4000 levels deep" in response.json()["detail"]
    assert live.get(f"{writable}/health").status_code == 200


def test_dataset_parameters_must_be_iris(sparql: str) -> None:
    response = live.get(sparql, params={"query": "ASK {}", "named-graph-uri": "not an iri"})
    assert response.status_code == 400
    assert "named-graph-uri must be an absolute IRI, not 'not an iri'" in response.json()["detail"]


def test_service_named_in_a_string_or_comment_is_not_a_service_call(sparql: str) -> None:
    query = 'SELECT ?x WHERE { BIND("SERVICE <http://x/>" AS ?x) } # SERVICE'
    assert live.post(sparql, data={"query": query}).status_code == 200


def test_form_body_is_decoded_once(sparql: str) -> None:
    """%2541 in a form body is the three characters %41, not "A" (decoded once only)."""
    query = 'SELECT ?x WHERE { BIND("%41" AS ?x) }'
    body = "query=" + quote(query, safe="")
    assert "%2541" in body
    response = live.post(
        sparql, content=body.encode(), headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.json()["results"]["bindings"][0]["x"]["value"] == "%41"


def test_form_body_in_another_charset(sparql: str) -> None:
    body = 'query=SELECT ?x WHERE { BIND("Zürich" AS ?x) }'.encode("latin-1")
    response = live.post(
        sparql,
        content=body,
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=ISO-8859-1"},
    )
    assert response.json()["results"]["bindings"][0]["x"]["value"] == "Zürich"


@pytest.mark.slow
def test_a_slow_query_is_stopped_and_others_keep_their_latency(sparql: str) -> None:
    outcome: dict[str, object] = {}

    def slow() -> None:
        started = time.monotonic()
        response = live.get(sparql, params={"query": SLOW}, timeout=30)
        outcome["status"] = response.status_code
        outcome["detail"] = response.json()["detail"]
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.5)  # the slow query is running now
    latencies = []
    for _ in range(10):
        started = time.monotonic()
        assert _ask(sparql) is True
        latencies.append(time.monotonic() - started)
    thread.join()
    assert outcome["status"] == 503
    assert "ran longer than 3 s and was stopped" in str(outcome["detail"])
    assert 3 <= float(str(outcome["seconds"])) < 10
    assert max(latencies) < 1.0, latencies  # by the other worker, or in process once light
    health = live.get(sparql.removesuffix("/sparql") + "/health").json()
    deadline = time.monotonic() + 20
    while health["query_workers"]["idle"] < 2 and time.monotonic() < deadline:
        time.sleep(0.2)  # the stopped worker's replacement loads its copy of the store
        health = live.get(sparql.removesuffix("/sparql") + "/health").json()
    assert health["query_workers"]["idle"] == 2


def _ask(sparql: str) -> bool:
    return bool(live.get(sparql, params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"])


def test_the_asgi_app_answers_the_same(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": SIGNATORIES, "format": "csv"})
    assert response.status_code == 200
    assert response.text.splitlines()[1:] == [
        "Alok Sharma",
        "Michael J.K. Kratsios",
        "Oliver Dowden",
    ]
    refused = client.post("/sparql", content=b"ASK {}", headers={"Content-Type": "text/plain"})
    assert refused.status_code == 415


def test_a_query_body_over_the_limit_is_a_413(sparql: str) -> None:
    """The live server takes query bodies up to ACCORDKG_MAX_QUERY_BYTES (1 MB)."""
    query = "ASK { ?s ?p ?o } #" + "x" * 1_000_000
    for response in (
        live.post(sparql, data={"query": query}),
        live.post(sparql, content=query, headers={"Content-Type": "application/sparql-query"}),
    ):
        assert response.status_code == 413
        assert "larger than this server takes (1000000 bytes)" in response.json()["detail"]
    assert live.post(sparql, data={"query": "ASK { ?s ?p ?o }"}).status_code == 200


def test_with_a_remote_store_queries_go_to_the_remote_server(remote_settings: Settings) -> None:
    remote = {
        "ACCORDKG_STORE": "remote",
        "ACCORDKG_SPARQL_QUERY_URL": str(remote_settings.sparql_query_url),
        "ACCORDKG_SPARQL_UPDATE_URL": str(remote_settings.sparql_update_url),
    }
    build(remote_settings)
    port = free_port()
    command = [str(BIN / "accordkg"), "serve", "--port", str(port)]
    environment = {**os.environ, "ACCORDKG_DATA_DIR": str(remote_settings.data_dir), **remote}
    with running(command, f"http://127.0.0.1:{port}/health", environment) as health:
        base = health.removesuffix("/health")
        workers = {"remote": remote_settings.sparql_query_url}
        assert live.get(health).json()["query_workers"] == workers
        response = live.get(f"{base}/sparql", params={"query": SIGNATORIES, "format": "csv"})
        assert response.status_code == 200
        # as CSV reads it: Virtuoso quotes every value
        assert list(csv.reader(io.StringIO(response.text)))[1:] == [
            ["Alok Sharma"],
            ["Michael J.K. Kratsios"],
            ["Oliver Dowden"],
        ]
        for query, expected in (("ASK { ?s ?p ?o }", True), ("ASK { <urn:no> ?p ?o }", False)):
            asked = live.get(f"{base}/sparql", params={"query": query, "format": "json"})
            assert asked.json() == {"head": {}, "boolean": expected}
            as_xml = live.get(f"{base}/sparql", params={"query": query, "format": "xml"})
            assert f"<boolean>{str(expected).lower()}</boolean>" in as_xml.text
        bad = live.get(f"{base}/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o FILTER( }"})
        assert bad.status_code == 400
