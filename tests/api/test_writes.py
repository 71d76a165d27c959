"""Writes over real HTTP: SPARQL updates and the Graph Store protocol, behind a token.

The update cases of the W3C protocol manifest are encoded (named in docstrings; the
update-dataset ones are in test_update_datasets), and so are the Graph Store cases.
"""

import json
import re
import select
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from rdflib import Graph, Literal, URIRef

from accordkg.api import create_app
from accordkg.pipeline.rdf_input import MAX_DEPTH
from accordkg.settings import Settings
from tests import live
from tests.api.conftest import TOKEN
from tests.api.slow_store import DELAY_S
from tests.api.sparql_server import sparql_server
from tests.recorder import recording_listener

AUTH = {"Authorization": f"Bearer {TOKEN}"}
UPDATE_CONTENT = "application/sparql-update"
UPDATE = {"Content-Type": UPDATE_CONTENT, **AUTH}
TURTLE = {"Content-Type": "text/turtle", **AUTH}
PERSON = "urn:test:person1"


def _ask(base: str, query: str) -> bool:
    return bool(live.get(f"{base}/sparql", params={"query": query}).json()["boolean"])


@pytest.fixture
def base(writable: str) -> Iterator[str]:
    yield writable
    live.post(
        f"{writable}/sparql/update", content=b"DROP SILENT GRAPH <urn:test:g>", headers=UPDATE
    )
    live.post(f"{writable}/sparql/update", content=b"DROP SILENT DEFAULT", headers=UPDATE)


def test_update_post_form(base: str) -> None:
    """update_post_form: update via URL-encoded POST."""
    response = live.post(
        f"{base}/sparql/update",
        data={"update": "INSERT DATA { GRAPH <urn:test:g> { <urn:a> <urn:b> <urn:c> } }"},
        headers=AUTH,
    )
    assert response.status_code == 204
    assert _ask(base, "ASK { GRAPH <urn:test:g> { <urn:a> <urn:b> <urn:c> } }")


def test_update_post_direct(base: str) -> None:
    """update_post_direct: update via POST directly; query workers see it at once."""
    update = b"INSERT DATA { GRAPH <urn:test:g> { <urn:a> <urn:b> 'direct' } }"
    assert live.post(f"{base}/sparql/update", content=update, headers=UPDATE).status_code == 204
    assert _ask(base, "ASK { <urn:a> <urn:b> 'direct' }")


def test_update_base_uri(base: str) -> None:
    """update_base_uri: relative IRIs resolve against the service's own URL."""
    update = b"INSERT DATA { GRAPH <urn:test:g> { <relative> <urn:b> <urn:c> } }"
    assert live.post(f"{base}/sparql/update", content=update, headers=UPDATE).status_code == 204
    assert _ask(base, f"ASK {{ <{base}/sparql/relative> <urn:b> <urn:c> }}")


def test_multi_operation_updates_keep_their_prefixes(base: str) -> None:
    update = (
        b"PREFIX dc: <http://purl.org/dc/elements/1.1/> "
        b'INSERT DATA { GRAPH <urn:test:g> { <urn:a> dc:title "one" } } ; '
        b'INSERT DATA { GRAPH <urn:test:g> { <urn:b> dc:title "two" } }'
    )
    assert live.post(f"{base}/sparql/update", content=update, headers=UPDATE).status_code == 204
    assert _ask(base, 'ASK { <urn:b> <http://purl.org/dc/elements/1.1/title> "two" }')


def test_a_failing_update_changes_nothing(base: str) -> None:
    live.post(f"{base}/sparql/update", content=b"CREATE GRAPH <urn:test:g>", headers=UPDATE)
    update = (
        b"INSERT DATA { GRAPH <urn:test:h> { <urn:x> <urn:y> <urn:z> } } ; "
        b"CREATE GRAPH <urn:test:g>"
    )
    response = live.post(f"{base}/sparql/update", content=update, headers=UPDATE)
    assert response.status_code == 400
    assert "changed nothing" in response.json()["detail"]
    assert not _ask(base, "ASK { <urn:x> <urn:y> <urn:z> }")


@pytest.mark.parametrize(
    ("headers", "body", "status"),
    [
        ({}, b"CLEAR ALL", 401),
        ({"Authorization": "Bearer wrong"}, b"CLEAR ALL", 403),
        ({"Authorization": f"Basic {TOKEN}"}, b"CLEAR ALL", 401),
    ],
)
def test_updates_need_the_token(
    base: str, headers: dict[str, str], body: bytes, status: int
) -> None:
    response = live.post(
        f"{base}/sparql/update",
        content=body,
        headers={"Content-Type": "application/sparql-update", **headers},
    )
    assert response.status_code == status
    if status == 401:
        assert response.headers["www-authenticate"] == "Bearer"
    assert _ask(base, "ASK { ?s ?p ?o }")  # nothing was cleared


def test_a_read_only_server_refuses_updates(sparql: str) -> None:
    response = live.post(f"{sparql}/update", content=b"CLEAR ALL", headers=UPDATE)
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]


def test_bad_update_get(base: str) -> None:
    """bad_update_get: an update by GET is a 4xx."""
    response = live.get(f"{base}/sparql/update", params={"update": "CLEAR ALL"}, headers=AUTH)
    assert response.status_code == 405


def test_bad_multiple_updates(base: str) -> None:
    """bad_multiple_updates: more than one update string is a 4xx."""
    body = "update=CLEAR%20NAMED&update=CLEAR%20DEFAULT"
    headers = {"Content-Type": "application/x-www-form-urlencoded", **AUTH}
    response = live.post(f"{base}/sparql/update", content=body.encode(), headers=headers)
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("content_type", "body"),
    [("text/plain", b"CLEAR NAMED"), (None, b"update=CLEAR%20NAMED"), (None, b"CLEAR NAMED")],
    ids=["bad_update_wrong_media_type", "bad_update_missing_form_type", "missing_direct_type"],
)
def test_bad_update_media_types(base: str, content_type: str | None, body: bytes) -> None:
    """bad_update_wrong_media_type / bad_update_missing_form_type: 4xx."""
    headers = {**AUTH, **({"Content-Type": content_type} if content_type else {})}
    assert live.post(f"{base}/sparql/update", content=body, headers=headers).status_code == 415


def test_bad_update_non_utf8(base: str) -> None:
    """bad_update_non_utf8: a direct POST in another encoding is a 4xx."""
    headers = {**AUTH, "Content-Type": "application/sparql-update; charset=UTF-16"}
    response = live.post(
        f"{base}/sparql/update", content="CLEAR NAMED".encode("utf-16"), headers=headers
    )
    assert response.status_code == 415


def test_bad_update_syntax(base: str) -> None:
    """bad_update_syntax: invalid syntax is a 4xx that says where."""
    response = live.post(f"{base}/sparql/update", content=b"INSERT DATA {", headers=UPDATE)
    assert response.status_code == 400
    assert "SPARQL syntax error at 1:" in response.json()["detail"]


@pytest.mark.parametrize(
    ("update", "message"),
    [
        ("LOAD <http://example.org/data.ttl>", "LOAD is refused"),
        ("INSERT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }", "SERVICE"),
        ("SELECT * WHERE { ?s ?p ?o }", "not a SPARQL update"),
    ],
)
def test_updates_that_would_reach_out_are_refused(base: str, update: str, message: str) -> None:
    response = live.post(f"{base}/sparql/update", content=update.encode(), headers=UPDATE)
    assert response.status_code == 400
    assert message in response.json()["detail"]


PERSON_TTL = f'<{PERSON}> <http://xmlns.com/foaf/0.1/name> "Jane Doe" .'
MORE_TTL = f'<{PERSON}> <http://xmlns.com/foaf/0.1/nick> "JD" .'


def _graph(base: str, graph: str = "urn:test:g") -> Graph:
    response = live.get(f"{base}/store", params={"graph": graph}, headers={"Accept": "text/turtle"})
    assert response.status_code == 200, response.text
    return Graph().parse(data=response.text, format="turtle")


def test_graph_store_put_get_post_delete(base: str) -> None:
    """PUT - Initial state, GET of PUT, PUT - graph already in store, POST - existing
    graph, GET of POST, DELETE - existing graph, GET of DELETE."""
    store = f"{base}/store?graph=urn:test:g"
    assert live.put(store, content=PERSON_TTL.encode(), headers=TURTLE).status_code == 201
    assert set(_graph(base).objects(URIRef(PERSON), None)) == {Literal("Jane Doe")}
    assert live.put(store, content=PERSON_TTL.encode(), headers=TURTLE).status_code == 204
    assert len(_graph(base)) == 1
    assert live.post(store, content=MORE_TTL.encode(), headers=TURTLE).status_code == 204
    assert set(_graph(base).objects(URIRef(PERSON), None)) == {Literal("Jane Doe"), Literal("JD")}
    assert live.delete(store, headers=AUTH).status_code == 204
    assert live.get(store).status_code == 404


def test_graph_store_default_graph_is_the_union_and_read_only(base: str) -> None:
    """GET of the default graph: the union of the named graphs, as at /sparql. PUT, POST
    and DELETE of it are refused (400) and change nothing: a write there would be left out
    of the dumps and of the counts."""
    live.put(f"{base}/store?graph=urn:test:g", content=PERSON_TTL.encode(), headers=TURTLE)
    triples = live.get(f"{base}/health").json()["triples"]
    store = f"{base}/store?default"
    for method in ("PUT", "POST", "DELETE"):
        refused = live.request(method, store, content=MORE_TTL.encode(), headers=TURTLE)
        assert refused.status_code == 400, method
        assert "union of the named graphs" in refused.json()["detail"]
    assert live.get(f"{base}/health").json()["triples"] == triples
    assert not _ask(base, f"ASK {{ <{PERSON}> <http://xmlns.com/foaf/0.1/nick> ?nick }}")
    response = live.get(store, headers={"Accept": "application/n-triples"})
    assert response.headers["content-type"].startswith("application/n-triples")
    union = Graph().parse(data=response.text, format="nt")
    assert (URIRef(PERSON), URIRef("http://xmlns.com/foaf/0.1/name"), Literal("Jane Doe")) in union


def test_an_update_that_would_write_the_stored_default_graph_is_refused(base: str) -> None:
    """The default graph is the union of the named graphs: an update without GRAPH would
    write one that queries see and the dumps and counts leave out. Refused, and nothing is
    written; with GRAPH, the same triple goes in."""
    triples = live.get(f"{base}/health").json()["triples"]
    update = b"INSERT DATA { <urn:test:a> <urn:test:b> <urn:test:c> }"
    refused = live.post(f"{base}/sparql/update", content=update, headers=UPDATE)
    assert refused.status_code == 400
    assert "name the graph to write" in refused.json()["detail"]
    assert live.get(f"{base}/health").json()["triples"] == triples
    assert not _ask(base, "ASK { <urn:test:a> <urn:test:b> <urn:test:c> }")
    named = b"INSERT DATA { GRAPH <urn:test:g> { <urn:test:a> <urn:test:b> <urn:test:c> } }"
    assert live.post(f"{base}/sparql/update", content=named, headers=UPDATE).status_code == 204
    assert live.get(f"{base}/health").json()["triples"] == triples + 1


def test_graph_store_missing_graphs(base: str) -> None:
    """DELETE - non-existent graph, HEAD on a non-existing graph: 404."""
    store = f"{base}/store?graph=urn:test:nowhere"
    assert live.delete(store, headers=AUTH).status_code == 404
    assert live.head(store).status_code == 404


def test_graph_store_head_on_an_existing_graph(base: str) -> None:
    """HEAD on an existing graph: 200, a content type, no body."""
    live.put(f"{base}/store?graph=urn:test:g", content=PERSON_TTL.encode(), headers=TURTLE)
    response = live.head(f"{base}/store?graph=urn:test:g")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    assert response.content == b""


def test_graph_store_rejects_bad_rdf_whole(base: str) -> None:
    store = f"{base}/store?graph=urn:test:g"
    live.put(store, content=PERSON_TTL.encode(), headers=TURTLE)
    bad = live.put(store, content=b"<urn:a> <urn:b> .", headers=TURTLE)
    assert bad.status_code == 400
    assert "not valid text/turtle" in bad.json()["detail"]
    assert len(_graph(base)) == 1
    wrong_type = live.put(
        store, content=PERSON_TTL.encode(), headers={**AUTH, "Content-Type": "image/png"}
    )
    assert wrong_type.status_code == 415
    unauthorized = live.put(
        store, content=PERSON_TTL.encode(), headers={"Content-Type": "text/turtle"}
    )
    assert unauthorized.status_code == 401


@pytest.mark.parametrize("query", ["", "?graph=a&graph=b", "?graph=not an iri", "?graph=x&default"])
def test_graph_store_needs_exactly_one_graph(base: str, query: str) -> None:
    assert live.get(f"{base}/store{query}").status_code == 400


def test_graph_store_post_multipart_form_data(base: str) -> None:
    """POST - multipart/form-data, GET of POST - multipart/form-data: each file merged."""
    files = [
        ("person", ("person.ttl", PERSON_TTL.encode(), "text/turtle")),
        ("nick", ("nick.nt", MORE_TTL.encode(), "application/n-triples")),
    ]
    response = live.post(f"{base}/store?graph=urn:test:g", files=files, headers=AUTH)
    assert response.status_code == 201
    assert set(_graph(base).objects(URIRef(PERSON), None)) == {Literal("Jane Doe"), Literal("JD")}


def test_graph_store_post_creates_a_new_graph(base: str) -> None:
    """POST - create new graph, GET of POST - create new graph, GET of POST - after noop."""
    response = live.post(f"{base}/store", content=PERSON_TTL.encode(), headers=TURTLE)
    assert response.status_code == 201
    location = response.headers["location"]
    assert "graph=" in location
    created = live.get(location, headers={"Accept": "text/turtle"})
    assert created.status_code == 200, created.text
    assert len(Graph().parse(data=created.text, format="turtle")) == 1
    noop = live.post(location, content=b"", headers=TURTLE)
    assert noop.status_code == 204
    again = live.get(location, headers={"Accept": "text/turtle"})
    assert len(Graph().parse(data=again.text, format="turtle")) == 1
    assert live.delete(location, headers=AUTH).status_code == 204


JSONLD = {"Content-Type": "application/ld+json", **AUTH}
CONTEXT = json.dumps({"@context": {"name": "http://xmlns.com/foaf/0.1/name"}}).encode()
REMOTE_CONTEXTS: dict[str, Callable[[str], dict[str, object]]] = {
    "string": lambda url: {"@context": f"{url}/c.jsonld", "@id": PERSON, "name": "x"},
    "array": lambda url: {
        "@context": [{"nick": "http://xmlns.com/foaf/0.1/nick"}, f"{url}/c.jsonld"],
        "@id": PERSON,
        "name": "x",
    },
    "scoped": lambda url: {
        "@context": {"knows": {"@id": "urn:test:knows", "@context": f"{url}/c.jsonld"}},
        "@id": PERSON,
        "knows": {"@id": "urn:test:other", "name": "x"},
    },
    "nested node": lambda url: {
        "@id": PERSON,
        "urn:test:knows": {"@context": f"{url}/c.jsonld", "@id": "urn:test:other", "name": "x"},
    },
    "@import": lambda url: {
        "@context": {"@import": f"{url}/c.jsonld"},
        "@id": PERSON,
        "name": "x",
    },
}


@pytest.mark.parametrize("form", list(REMOTE_CONTEXTS))
def test_graph_store_uploads_fetch_no_json_ld_context(base: str, form: str) -> None:
    """A context to fetch is refused whole (PUT, POST, multipart): nothing is fetched."""
    store = f"{base}/store?graph=urn:test:g"
    live.put(store, content=PERSON_TTL.encode(), headers=TURTLE)
    with recording_listener(CONTEXT, "application/ld+json") as (url, hits):
        document = json.dumps(REMOTE_CONTEXTS[form](url)).encode()
        files = [("data", ("data.jsonld", document, "application/ld+json"))]
        for response in (
            live.put(store, content=document, headers=JSONLD),
            live.post(store, content=document, headers=JSONLD),
            live.post(store, files=files, headers=AUTH),
        ):
            assert response.status_code == 400, response.text
            detail = response.json()["detail"]
            assert "would have to be fetched" in detail
            assert "\n" not in detail
        assert hits == []
    assert len(_graph(base)) == 1


LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n<!ENTITY a "' + "a" * 40 + '">\n'
    + "".join(
        f'<!ENTITY {name} "{("&" + previous + ";") * 10}">\n'
        for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + ']>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    'xmlns:ex="urn:test:"><rdf:Description rdf:about="urn:test:a"><ex:p>&i;</ex:p>'
    "</rdf:Description></rdf:RDF>"
)  # fmt: skip
RDF_XML = {"Content-Type": "application/rdf+xml", **AUTH}


def test_graph_store_refuses_xml_entities_at_once(base: str) -> None:
    """A 'billion laughs' body (nested entities: 4 GB of text from 700 bytes) is refused
    at once, and so is an external entity, which is not fetched either."""
    store = f"{base}/store?graph=urn:test:g"
    live.put(store, content=PERSON_TTL.encode(), headers=TURTLE)
    assert len(LAUGHS) < 800
    started = time.monotonic()
    response = live.put(store, content=LAUGHS.encode(), headers=RDF_XML, timeout=20)
    assert response.status_code == 400
    assert "DOCTYPE" in response.json()["detail"]
    assert time.monotonic() - started < 5
    with recording_listener(b"fetched", "text/plain") as (url, hits):
        external = LAUGHS.replace('"' + "a" * 40 + '"', f'SYSTEM "{url}/entity"')
        response = live.put(store, content=external.replace("&i;", "&a;").encode(),
                             headers=RDF_XML)  # fmt: skip
        assert response.status_code == 400
        assert hits == []
    assert len(_graph(base)) == 1


DEEP = 4000
NESTED = {
    "turtle blank nodes": (
        "text/turtle",
        f"<{PERSON}> <urn:test:p> " + "[ <urn:test:p> " * DEEP + "1" + " ]" * DEEP + " .",
    ),
    "turtle collections": (
        "text/turtle",
        f"<{PERSON}> <urn:test:p> " + "( " * DEEP + "1" + " )" * DEEP + " .",
    ),
    "json-ld objects": (
        "application/ld+json",
        f'{{"@id": "{PERSON}", ' + '"urn:test:p": {' * DEEP + '"@id": "urn:test:x"' + "}" * DEEP
        + "}",
    ),
    "json-ld lists": (
        "application/ld+json",
        f'{{"@id": "{PERSON}", "urn:test:p": ' + '{"@list": [' * DEEP + "1" + "]}" * DEEP + "}",
    ),
    "rdf/xml": (
        "application/rdf+xml",
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="urn:test:">'
        + f'<rdf:Description rdf:about="{PERSON}">'
        + "<ex:p><rdf:Description>" * DEEP + "</rdf:Description></ex:p>" * DEEP
        + "</rdf:Description></rdf:RDF>",
    ),
}  # fmt: skip


@pytest.mark.parametrize("kind", list(NESTED))
def test_graph_store_refuses_deep_nesting(base: str, kind: str) -> None:
    """4,000 levels of nesting: a 400 that says so, and the graph as it was."""
    store = f"{base}/store?graph=urn:test:g"
    live.put(store, content=PERSON_TTL.encode(), headers=TURTLE)
    media_type, body = NESTED[kind]
    response = live.put(store, content=body.encode(), headers={**AUTH, "Content-Type": media_type})
    assert response.status_code == 400, response.text
    assert f"nested more than {MAX_DEPTH} levels deep" in response.json()["detail"]
    assert len(_graph(base)) == 1
    assert live.get(f"{base}/health").status_code == 200


def _many_objects(count: int) -> bytes:
    """Compact Turtle that is slow to parse for its size: one subject, `count` objects."""
    return (f"<{PERSON}> <urn:test:n> " + ", ".join(map(str, range(count))) + " .").encode()


@pytest.mark.slow
def test_health_answers_while_an_upload_is_parsed(base: str) -> None:
    """A large upload (seconds of parsing) holds no other request."""
    with ThreadPoolExecutor(1) as pool:
        upload = pool.submit(
            live.put, f"{base}/store?graph=urn:test:g", content=_many_objects(60_000),
            headers=TURTLE, timeout=120,
        )  # fmt: skip
        time.sleep(0.5)
        for _ in range(3):
            started = time.monotonic()
            assert live.get(f"{base}/health", timeout=5).status_code == 200
            assert time.monotonic() - started < 2
            time.sleep(0.2)
        assert not upload.done()  # the answers came while the upload was being parsed
        assert upload.result().status_code == 201


LIMIT = 1_000_000


@pytest.fixture(scope="module")
def tight(tmp_path_factory: pytest.TempPathFactory, built_data: Path) -> Iterator[str]:
    """A live writable server with small limits: 1 MB bodies, 1 s of parsing."""
    with sparql_server(
        built_data,
        tmp_path_factory.mktemp("tight") / "var",
        ACCORDKG_UPDATE_TOKEN=TOKEN,
        ACCORDKG_MAX_IMPORT_BYTES=str(LIMIT),
        ACCORDKG_UPLOAD_TIMEOUT_S="1",
    ) as url:
        yield url


def _partial_request(base: str, head: str, chunks: Iterable[bytes] = ()) -> tuple[int, bytes]:
    """Send a request's head, then `chunks` one by one until the server answers, and never
    the end of the body: the status and body of the answer (a timeout if none comes)."""
    address = urlsplit(base)
    with socket.create_connection((address.hostname, address.port), timeout=10) as connection:
        connection.sendall(head.encode())
        for chunk in chunks:
            if select.select([connection], [], [], 0.05)[0]:
                break
            connection.sendall(chunk)
        answer = b""
        while not _complete(answer) and (received := connection.recv(65536)):
            answer += received
    status_line, _, rest = answer.partition(b"\r\n")
    return int(status_line.split()[1]), rest.partition(b"\r\n\r\n")[2]


def _complete(answer: bytes) -> bool:
    head, separator, body = answer.partition(b"\r\n\r\n")
    length = re.search(rb"content-length: *(\d+)", head, re.IGNORECASE)
    return bool(separator) and length is not None and len(body) >= int(length[1])


@pytest.mark.parametrize(
    ("path", "content_type"),
    [("/store?graph=urn:test:big", "text/turtle"), ("/sparql/update", UPDATE_CONTENT)],
)
def test_a_body_over_the_limit_is_refused_unread(tight: str, path: str, content_type: str) -> None:
    """Content-Length over the limit: 413 at once, without waiting for the body."""
    head = (
        f"POST {path} HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer {TOKEN}\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {LIMIT + 1}\r\n\r\n"
    )
    status, body = _partial_request(tight, head)
    assert status == 413
    assert "larger than this server takes (1000000 bytes)" in json.loads(body)["detail"]


@pytest.mark.parametrize(
    ("path", "content_type"),
    [("/store?graph=urn:test:big", "text/turtle"), ("/sparql/update", UPDATE_CONTENT)],
)
def test_a_chunked_body_is_refused_as_it_passes_the_limit(
    tight: str, path: str, content_type: str
) -> None:
    """No Content-Length: the bytes are counted as they come, and 413 once they pass the
    limit, though the body has not ended."""
    head = (
        f"POST {path} HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer {TOKEN}\r\n"
        f"Content-Type: {content_type}\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    piece = b"#" * 65536
    chunks = [f"{len(piece):x}\r\n".encode() + piece + b"\r\n"] * (LIMIT // len(piece) + 4)
    status, body = _partial_request(tight, head, chunks)
    assert status == 413
    assert "larger than this server takes" in json.loads(body)["detail"]
    assert live.get(f"{tight}/store?graph=urn:test:big").status_code == 404


def test_a_parse_past_the_time_limit_is_stopped(tight: str) -> None:
    """A body under the size limit that takes seconds to parse: stopped after 1 s (413),
    and the graph keeps what it had."""
    store = f"{tight}/store?graph=urn:test:slow"
    assert live.put(store, content=PERSON_TTL.encode(), headers=TURTLE).status_code == 201
    body = _many_objects(130_000)
    assert len(body) < LIMIT
    started = time.monotonic()
    response = live.put(store, content=body, headers=TURTLE, timeout=60)
    assert response.status_code == 413
    assert "took longer than 1 s and was stopped" in response.json()["detail"]
    assert time.monotonic() - started < 4
    kept = live.get(store, headers={"Accept": "text/turtle"})
    assert len(Graph().parse(data=kept.text, format="turtle")) == 1
    assert live.delete(store, headers=AUTH).status_code == 204


SLOW_UPDATE = b"INSERT DATA { GRAPH <urn:test:g> { <urn:a> <urn:b> <urn:c> } }"
SLOW_REQUESTS = {
    "update": ("POST", "/sparql/update", UPDATE, SLOW_UPDATE),
    "put": ("PUT", "/store?graph=urn:test:g", TURTLE, PERSON_TTL.encode()),
    "post": ("POST", "/store?graph=urn:test:g", TURTLE, MORE_TTL.encode()),
    "get": ("GET", "/store?graph=urn:test:g", {}, b""),
}  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(SLOW_REQUESTS))
def test_a_write_waiting_for_a_slow_store_holds_no_other_request(
    slow_store: str, kind: str
) -> None:
    """With a remote store that takes seconds per call, other requests are answered while
    a write (or a Graph Store read) waits for it."""
    method, path, headers, body = SLOW_REQUESTS[kind]
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(
            live.request, method, f"{slow_store}{path}", content=body, headers=headers,
            timeout=60,
        )  # fmt: skip
        time.sleep(0.5)
        assert live.get(f"{slow_store}/queries", timeout=DELAY_S / 2).status_code == 200
        assert not pending.done()
        assert pending.result().status_code < 500


def test_the_asgi_app_applies_the_same_limits(built_settings: Settings) -> None:
    writable = built_settings.model_copy(
        update={"update_token": SecretStr(TOKEN), "max_import_bytes": 1000, "query_workers": 1}
    )
    store = "/store?graph=urn:test:g"
    with TestClient(create_app(writable)) as client:
        assert client.put(store, content=PERSON_TTL.encode(), headers=TURTLE).status_code == 201
        too_large = client.put(store, content=PERSON_TTL.encode() * 20, headers=TURTLE)
        assert too_large.status_code == 413
        assert client.put("/store?default", content=b"", headers=TURTLE).status_code == 400
        with recording_listener(CONTEXT, "application/ld+json") as (url, hits):
            document = json.dumps(REMOTE_CONTEXTS["@import"](url)).encode()
            assert client.put(store, content=document, headers=JSONLD).status_code == 400
            assert hits == []
        deep = "( " * (MAX_DEPTH + 1) + "1" + " )" * (MAX_DEPTH + 1)
        deep_body = f"<{PERSON}> <urn:test:p> {deep} .".encode()
        assert client.put(store, content=deep_body, headers=TURTLE).status_code == 400
        assert client.get(store, headers={"Accept": "text/turtle"}).text.count("Jane Doe") == 1


def test_an_emptied_graph_answers_alike_wherever_the_query_runs(writable: str) -> None:
    """After its only triple is deleted, a graph is still there, empty (Oxigraph keeps it),
    for the worker that answers first and for the store that answers once it is light."""
    graph = "urn:accordkg:test:emptied"
    headers = {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"}
    for update in (
        f"INSERT DATA {{ GRAPH <{graph}> {{ <urn:a> <urn:b> <urn:c> }} }}",
        f"DELETE DATA {{ GRAPH <{graph}> {{ <urn:a> <urn:b> <urn:c> }} }}",
    ):
        response = live.post(f"{writable}/sparql/update", content=update, headers=headers)
        assert response.status_code == 204
    ask = {"query": f"ASK {{ GRAPH <{graph}> {{}} }}"}
    answers = [live.get(f"{writable}/sparql", params=ask).json()["boolean"] for _ in range(6)]
    assert answers == [True] * 6


@pytest.mark.parametrize(
    "document",
    [
        '{{"@id": "_:a <urn:p> <urn:o> }} }} ; LOAD <{U}> INTO GRAPH <urn:stolen> ; '
        'INSERT DATA {{ GRAPH <urn:g> {{ _:b", "urn:p": {{"@id": "urn:o"}}}}',
        '{{"@id": "urn:s", "urn:p": {{"@value": "v", "@type": "urn:t> }} }} ; '
        "LOAD <{U}> INTO GRAPH <urn:stolen> ; INSERT DATA {{ GRAPH <urn:g> {{ <urn:a> <urn:b> "
        '\\"c\\"^^<urn:t"}}}}',
    ],
)
def test_uploaded_terms_cannot_end_the_data_and_start_other_operations(
    writable: str, document: str
) -> None:
    """JSON-LD takes any text as a blank node's name or a datatype; written as they came
    into an update's text, they could close the data block and LOAD from anywhere."""
    with recording_listener(b"<urn:a> <urn:b> <urn:c> .", "application/n-triples") as (url, hits):
        response = live.put(
            f"{writable}/store?graph=urn:test:injected",
            content=document.format(U=f"{url}/load").encode(),
            headers={"Content-Type": "application/ld+json", "Authorization": f"Bearer {TOKEN}"},
        )
    assert response.status_code == 400
    assert "not valid RDF" in response.json()["detail"]
    assert hits == []
    assert not _ask(writable, "ASK { GRAPH <urn:stolen> { ?s ?p ?o } }")
