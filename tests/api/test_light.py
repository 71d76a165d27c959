"""Light queries answered in front of the application (accordkg.api.light): the same
status, headers and body as the full path, byte for byte, and the limits kept.

The full path is the application without LightQueries in front: `FastAPI.__call__` on
the same app, which runs a light query on the durable store just as LightQueries does.
The framework marks the scope of every request it sees with its app, so a scope without
the mark was answered in front of it."""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx2 as httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr
from starlette.types import ASGIApp, Message

from accordkg.api import create_app
from tests.api.conftest import TOKEN
from tests.conftest import copy_built

ROW_LIMIT = 2
MAX_BODY = 4000
NAME = "<http://xmlns.com/foaf/0.1/name>"
ONE_NAME = f"SELECT ?name WHERE {{ ?s {NAME} ?name }} ORDER BY ?name LIMIT 1"
NAMES = f"SELECT ?name WHERE {{ ?s {NAME} ?name }} ORDER BY ?name"  # 3: cut by the row limit
ASK = "ASK { ?s ?p ?o }"
CONSTRUCT = f"CONSTRUCT {{ ?s {NAME} ?n }} WHERE {{ ?s {NAME} ?n }} ORDER BY ?n LIMIT 1"
GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g LIMIT 1"
ORIGIN = {"origin": "https://example.org"}
FORM = {"content-type": "application/x-www-form-urlencoded"}
DIRECT = {"content-type": "application/sparql-query"}


@dataclass(frozen=True)
class Answer:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    framework: bool  # whether the request reached the framework
    messages_read: int


async def call(
    app: ASGIApp,
    method: str,
    query: dict[str, str],
    headers: dict[str, str],
    chunks: tuple[bytes, ...] = (),
) -> Answer:
    """One request straight to the ASGI app, its body in `chunks`; the answer as sent."""
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": "/sparql",
        "raw_path": b"/sparql",
        "query_string": urlencode(query).encode(),
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1:8000")]
        + [(k.encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    body = list(chunks) or [b""]
    read = 0

    async def receive() -> Message:
        nonlocal read
        read += 1
        if read > len(body):
            return {"type": "http.disconnect"}
        return {"type": "http.request", "body": body[read - 1], "more_body": read < len(body)}

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    start = sent[0]
    content = b"".join(m.get("body", b"") for m in sent[1:])
    headers_sent = [(bytes(k), bytes(v)) for k, v in start["headers"]]
    return Answer(start["status"], headers_sent, content, "app" in scope, read)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, built_data: Path) -> Iterator[TestClient]:
    """The app on a built store, writable with TOKEN, with one query worker, a row limit
    of 2 and small query bodies only; its requests are sent on the event loop its pool
    runs on."""
    settings = copy_built(built_data, tmp_path_factory.mktemp("light") / "var")
    updated = {
        "query_workers": 1,
        "row_limit": ROW_LIMIT,
        "max_query_bytes": MAX_BODY,
        "update_token": SecretStr(TOKEN),
    }
    with TestClient(create_app(settings.model_copy(update=updated))) as test_client:
        yield test_client


def front(client: TestClient, *request: Any) -> Answer:
    """The app's answer, LightQueries in front of it."""
    return _on_loop(client, call, client.app, *request)


def full_path(client: TestClient, *request: Any) -> Answer:
    """The app's answer without LightQueries."""
    app = client.app

    async def framework(scope: Any, receive: Any, send: Any) -> None:
        await FastAPI.__call__(app, scope, receive, send)  # type: ignore[arg-type]

    return _on_loop(client, call, framework, *request)


def _on_loop(client: TestClient, function: Any, *arguments: Any) -> Answer:
    assert client.portal is not None  # the client is open
    answer: Answer = client.portal.call(function, *arguments)
    return answer


def answered_in_front(client: TestClient, *request: Any) -> Answer:
    """The request's answer once LightQueries answers it (the pool finds a query light
    after a worker has answered it quickly, which a busy machine may delay)."""
    for _ in range(100):
        answer = front(client, *request)
        if not answer.framework:
            return answer
    raise AssertionError(f"never answered in front of the app: {request}")


def form(fields: dict[str, str], charset: str = "utf-8") -> bytes:
    return urlencode(fields, encoding=charset).encode("ascii")


SAME_ANSWERS = [
    ("GET", {"query": ASK}, {}),
    ("GET", {"query": ASK}, ORIGIN),
    ("GET", {"query": ONE_NAME}, {"accept": "text/csv"}),
    ("GET", {"query": ONE_NAME}, {"accept": "text/csv", **ORIGIN}),
    ("GET", {"query": ONE_NAME, "format": "xml"}, {}),
    ("GET", {"query": ONE_NAME}, {"accept": "application/xml;q=0.5, text/tab-separated-values"}),
    ("GET", {"query": ONE_NAME, "output": "json"}, {"accept": "text/csv"}),
    ("GET", {"query": NAMES}, ORIGIN),  # truncated: the header says so, and CORS exposes it
    ("GET", {"query": CONSTRUCT}, {"accept": "text/turtle"}),
    ("GET", {"query": CONSTRUCT}, {"accept": "application/n-triples", **ORIGIN}),
    ("GET", {"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", "default-graph-uri": ""}, {}),
]


@pytest.mark.parametrize(("method", "query", "headers"), SAME_ANSWERS)
def test_an_answer_in_front_is_the_full_paths_byte_for_byte(
    client: TestClient, method: str, query: dict[str, str], headers: dict[str, str]
) -> None:
    if query.get("default-graph-uri") == "":
        graph = (front(client, "GET", {"query": GRAPHS}, {"accept": "text/csv"})).body
        query = {**query, "default-graph-uri": graph.decode().splitlines()[1]}
    fast = answered_in_front(client, method, query, headers)
    full = full_path(client, method, query, headers)
    assert full.framework
    assert (fast.status, fast.headers, fast.body) == (full.status, full.headers, full.body)
    assert fast.status == 200


@pytest.mark.parametrize(
    ("headers", "chunks"),
    [
        (FORM, (form({"query": ASK}),)),
        ({**FORM, **ORIGIN}, (form({"query": ONE_NAME}),)),
        (
            {"content-type": "application/x-www-form-urlencoded; charset=latin-1"},
            (form({"query": f"{ONE_NAME} # Zoë"}, "latin-1"),),
        ),
        (DIRECT, (b"ASK {", b" ?s ?p ?o }")),  # a body in two chunks
        ({**DIRECT, "accept": "text/csv"}, (ONE_NAME.encode(),)),
    ],
)
def test_a_posted_query_in_front_is_answered_as_the_full_path_answers_it(
    client: TestClient, headers: dict[str, str], chunks: tuple[bytes, ...]
) -> None:
    fast = answered_in_front(client, "POST", {}, headers, chunks)
    full = full_path(client, "POST", {}, headers, chunks)
    assert (fast.status, fast.headers, fast.body) == (full.status, full.headers, full.body)
    assert fast.status == 200


@pytest.mark.parametrize(
    ("query", "headers", "status"),
    [
        ({"query": "ASK {"}, {}, 400),  # not a query
        ({"query": ASK}, {"accept": "image/png"}, 406),
        ({"query": ASK, "update": "CLEAR ALL"}, {}, 400),
        ({}, {"accept": "text/turtle"}, 200),  # the service description
    ],
)
def test_what_is_not_a_light_query_reaches_the_app(
    client: TestClient, query: dict[str, str], headers: dict[str, str], status: int
) -> None:
    for _ in range(3):
        answer = front(client, "GET", query, {**headers, **ORIGIN})
        assert answer.framework
        assert answer.status == status
        assert (b"access-control-allow-origin", b"*") in answer.headers


def test_a_body_over_the_limit_reaches_the_app_and_is_a_413(client: TestClient) -> None:
    query = ASK + " #" + "x" * MAX_BODY
    declared = front(
        client, "POST", {}, {**DIRECT, "content-length": str(len(query))}, (query.encode(),)
    )
    assert (declared.status, declared.framework) == (413, True)
    chunks = tuple(query[i : i + 1000].encode() for i in range(0, len(query), 1000))
    streamed = front(client, "POST", {}, DIRECT, chunks)
    assert (streamed.status, streamed.framework) == (413, True)
    assert streamed.messages_read == MAX_BODY // 1000 + 1  # not one chunk past the limit
    small = answered_in_front(client, "POST", {}, DIRECT, (ASK.encode(),))
    assert small.status == 200


def test_an_answer_in_front_holds_until_the_store_changes(client: TestClient) -> None:
    """The same request again is answered in front, from its last answer, until a write
    changes the store: the next answer is the new data's, and in front again."""
    request: tuple[Any, ...] = ("GET", {"query": "ASK { <urn:light:s> <urn:light:p> ?o }"}, {})
    before = answered_in_front(client, *request)
    assert before.body == b'{"head":{},"boolean":false}'
    assert front(client, *request) == before
    auth = {"Authorization": f"Bearer {TOKEN}"}
    insert = "INSERT DATA { GRAPH <urn:light:g> { <urn:light:s> <urn:light:p> 1 } }"
    client.post("/sparql/update", data={"update": insert}, headers=auth).raise_for_status()
    after = answered_in_front(client, *request)
    assert after.body == b'{"head":{},"boolean":true}'
    full = full_path(client, *request)
    assert (after.status, after.headers, after.body) == (full.status, full.headers, full.body)
    client.post("/sparql/update", data={"update": "DROP GRAPH <urn:light:g>"}, headers=auth)
    assert answered_in_front(client, *request).body == before.body


HTTP_REQUESTS = [  # each query new to the server (its comment)
    ("GET", {"query": f"{ASK} # 1"}, {}, b""),
    ("GET", {"query": f"{ASK} # 2"}, {"Origin": "https://example.org"}, b""),
    ("GET", {"query": f"{ONE_NAME} # 3"}, {"Accept": "text/csv"}, b""),
    ("POST", {}, {"Content-Type": "application/sparql-query"}, f"{ASK} # 4".encode()),
    (
        "POST",
        {},
        {"Content-Type": FORM["content-type"], "Origin": "https://example.org"},
        form({"query": f"{ONE_NAME} # 5"}),
    ),
]


def test_over_http_the_answer_in_front_is_the_first_answers(server: str) -> None:
    """A new query's first answer comes by the full path (a worker); once the pool knows
    it light, the answer comes in front of the app, and is the same but for the Date."""

    def light_count(client: httpx.Client) -> int:
        return int(client.get(f"{server}/health").json()["query_workers"]["light_queries"])

    def answer(client: httpx.Client, method: str, query: Any, headers: Any, body: bytes) -> Any:
        response = client.request(method, f"{server}/sparql", params=query, headers=headers,
                                  content=body or None)  # fmt: skip
        kept = [(k, v) for k, v in response.headers.raw if k.lower() != b"date"]
        return response.status_code, kept, response.content

    with httpx.Client(timeout=30) as client:
        for request in HTTP_REQUESTS:
            light_before = light_count(client)
            first = answer(client, *request)
            assert first[0] == 200
            for _ in range(100):
                if light_count(client) > light_before:
                    break
                assert answer(client, *request) == first
            assert answer(client, *request) == first
