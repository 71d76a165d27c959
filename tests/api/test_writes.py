"""Writes over real HTTP: SPARQL updates and the Graph Store protocol, behind a token.

The update cases of the W3C protocol manifest are encoded (named in docstrings; the
update-dataset ones are in test_update_datasets), and so are the Graph Store cases.
"""

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx2 as httpx
import pytest
from rdflib import Graph, Literal, URIRef

from tests.api.conftest import TOKEN
from tests.api.slow_store import DELAY_S

AUTH = {"Authorization": f"Bearer {TOKEN}"}
UPDATE = {"Content-Type": "application/sparql-update", **AUTH}
TURTLE = {"Content-Type": "text/turtle", **AUTH}
PERSON = "urn:test:person1"


def _ask(base: str, query: str) -> bool:
    return bool(httpx.get(f"{base}/sparql", params={"query": query}).json()["boolean"])


@pytest.fixture
def base(writable: str) -> Iterator[str]:
    yield writable
    httpx.post(
        f"{writable}/sparql/update", content=b"DROP SILENT GRAPH <urn:test:g>", headers=UPDATE
    )
    httpx.post(f"{writable}/sparql/update", content=b"DROP SILENT DEFAULT", headers=UPDATE)


def test_update_post_form(base: str) -> None:
    """update_post_form: update via URL-encoded POST."""
    response = httpx.post(
        f"{base}/sparql/update",
        data={"update": "INSERT DATA { GRAPH <urn:test:g> { <urn:a> <urn:b> <urn:c> } }"},
        headers=AUTH,
    )
    assert response.status_code == 204
    assert _ask(base, "ASK { GRAPH <urn:test:g> { <urn:a> <urn:b> <urn:c> } }")


def test_update_post_direct(base: str) -> None:
    """update_post_direct: update via POST directly; query workers see it at once."""
    update = b"INSERT DATA { GRAPH <urn:test:g> { <urn:a> <urn:b> 'direct' } }"
    assert httpx.post(f"{base}/sparql/update", content=update, headers=UPDATE).status_code == 204
    assert _ask(base, "ASK { <urn:a> <urn:b> 'direct' }")


def test_update_base_uri(base: str) -> None:
    """update_base_uri: relative IRIs resolve against the service's own URL."""
    update = b"INSERT DATA { GRAPH <urn:test:g> { <relative> <urn:b> <urn:c> } }"
    assert httpx.post(f"{base}/sparql/update", content=update, headers=UPDATE).status_code == 204
    assert _ask(base, f"ASK {{ <{base}/sparql/relative> <urn:b> <urn:c> }}")


def test_multi_operation_updates_keep_their_prefixes(base: str) -> None:
    update = (
        b"PREFIX dc: <http://purl.org/dc/elements/1.1/> "
        b'INSERT DATA { GRAPH <urn:test:g> { <urn:a> dc:title "one" } } ; '
        b'INSERT DATA { GRAPH <urn:test:g> { <urn:b> dc:title "two" } }'
    )
    assert httpx.post(f"{base}/sparql/update", content=update, headers=UPDATE).status_code == 204
    assert _ask(base, 'ASK { <urn:b> <http://purl.org/dc/elements/1.1/title> "two" }')


def test_a_failing_update_changes_nothing(base: str) -> None:
    httpx.post(f"{base}/sparql/update", content=b"CREATE GRAPH <urn:test:g>", headers=UPDATE)
    update = (
        b"INSERT DATA { GRAPH <urn:test:h> { <urn:x> <urn:y> <urn:z> } } ; "
        b"CREATE GRAPH <urn:test:g>"
    )
    response = httpx.post(f"{base}/sparql/update", content=update, headers=UPDATE)
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
    response = httpx.post(
        f"{base}/sparql/update",
        content=body,
        headers={"Content-Type": "application/sparql-update", **headers},
    )
    assert response.status_code == status
    if status == 401:
        assert response.headers["www-authenticate"] == "Bearer"
    assert _ask(base, "ASK { ?s ?p ?o }")  # nothing was cleared


def test_a_read_only_server_refuses_updates(sparql: str) -> None:
    response = httpx.post(f"{sparql}/update", content=b"CLEAR ALL", headers=UPDATE)
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]


def test_bad_update_get(base: str) -> None:
    """bad_update_get: an update by GET is a 4xx."""
    response = httpx.get(f"{base}/sparql/update", params={"update": "CLEAR ALL"}, headers=AUTH)
    assert response.status_code == 405


def test_bad_multiple_updates(base: str) -> None:
    """bad_multiple_updates: more than one update string is a 4xx."""
    body = "update=CLEAR%20NAMED&update=CLEAR%20DEFAULT"
    headers = {"Content-Type": "application/x-www-form-urlencoded", **AUTH}
    response = httpx.post(f"{base}/sparql/update", content=body.encode(), headers=headers)
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("content_type", "body"),
    [("text/plain", b"CLEAR NAMED"), (None, b"update=CLEAR%20NAMED"), (None, b"CLEAR NAMED")],
    ids=["bad_update_wrong_media_type", "bad_update_missing_form_type", "missing_direct_type"],
)
def test_bad_update_media_types(base: str, content_type: str | None, body: bytes) -> None:
    """bad_update_wrong_media_type / bad_update_missing_form_type: 4xx."""
    headers = {**AUTH, **({"Content-Type": content_type} if content_type else {})}
    assert httpx.post(f"{base}/sparql/update", content=body, headers=headers).status_code == 415


def test_bad_update_non_utf8(base: str) -> None:
    """bad_update_non_utf8: a direct POST in another encoding is a 4xx."""
    headers = {**AUTH, "Content-Type": "application/sparql-update; charset=UTF-16"}
    response = httpx.post(
        f"{base}/sparql/update", content="CLEAR NAMED".encode("utf-16"), headers=headers
    )
    assert response.status_code == 415


def test_bad_update_syntax(base: str) -> None:
    """bad_update_syntax: invalid syntax is a 4xx that says where."""
    response = httpx.post(f"{base}/sparql/update", content=b"INSERT DATA {", headers=UPDATE)
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
    response = httpx.post(f"{base}/sparql/update", content=update.encode(), headers=UPDATE)
    assert response.status_code == 400
    assert message in response.json()["detail"]


PERSON_TTL = f'<{PERSON}> <http://xmlns.com/foaf/0.1/name> "Jane Doe" .'
MORE_TTL = f'<{PERSON}> <http://xmlns.com/foaf/0.1/nick> "JD" .'


def _graph(base: str, graph: str = "urn:test:g") -> Graph:
    response = httpx.get(
        f"{base}/store", params={"graph": graph}, headers={"Accept": "text/turtle"}
    )
    assert response.status_code == 200, response.text
    return Graph().parse(data=response.text, format="turtle")


def test_graph_store_put_get_post_delete(base: str) -> None:
    """PUT - Initial state, GET of PUT, PUT - graph already in store, POST - existing
    graph, GET of POST, DELETE - existing graph, GET of DELETE."""
    store = f"{base}/store?graph=urn:test:g"
    assert httpx.put(store, content=PERSON_TTL.encode(), headers=TURTLE).status_code == 201
    assert set(_graph(base).objects(URIRef(PERSON), None)) == {Literal("Jane Doe")}
    assert httpx.put(store, content=PERSON_TTL.encode(), headers=TURTLE).status_code == 204
    assert len(_graph(base)) == 1
    assert httpx.post(store, content=MORE_TTL.encode(), headers=TURTLE).status_code == 204
    assert set(_graph(base).objects(URIRef(PERSON), None)) == {Literal("Jane Doe"), Literal("JD")}
    assert httpx.delete(store, headers=AUTH).status_code == 204
    assert httpx.get(store).status_code == 404


def test_graph_store_default_graph_is_the_union_and_read_only(base: str) -> None:
    """GET of the default graph: the union of the named graphs, as at /sparql. PUT, POST
    and DELETE of it are refused (405) and change nothing: a write there would be left out
    of the dumps and of the counts."""
    httpx.put(f"{base}/store?graph=urn:test:g", content=PERSON_TTL.encode(), headers=TURTLE)
    triples = httpx.get(f"{base}/health").json()["triples"]
    store = f"{base}/store?default"
    for method in ("PUT", "POST", "DELETE"):
        refused = httpx.request(method, store, content=MORE_TTL.encode(), headers=TURTLE)
        assert refused.status_code == 405, method
        assert refused.headers["allow"] == "GET, HEAD"
        assert "union of the named graphs" in refused.json()["detail"]
    assert httpx.get(f"{base}/health").json()["triples"] == triples
    assert not _ask(base, f"ASK {{ <{PERSON}> <http://xmlns.com/foaf/0.1/nick> ?nick }}")
    response = httpx.get(store, headers={"Accept": "application/n-triples"})
    assert response.headers["content-type"].startswith("application/n-triples")
    union = Graph().parse(data=response.text, format="nt")
    assert (URIRef(PERSON), URIRef("http://xmlns.com/foaf/0.1/name"), Literal("Jane Doe")) in union


def test_the_triple_count_leaves_out_the_stored_default_graph(base: str) -> None:
    """An update without GRAPH still writes Oxigraph's own default graph; the count (as
    the dumps, and a remote store's count) covers the named graphs only."""
    triples = httpx.get(f"{base}/health").json()["triples"]
    update = b"INSERT DATA { <urn:test:a> <urn:test:b> <urn:test:c> }"
    assert httpx.post(f"{base}/sparql/update", content=update, headers=UPDATE).status_code == 204
    assert httpx.get(f"{base}/health").json()["triples"] == triples


def test_graph_store_missing_graphs(base: str) -> None:
    """DELETE - non-existent graph, HEAD on a non-existing graph: 404."""
    store = f"{base}/store?graph=urn:test:nowhere"
    assert httpx.delete(store, headers=AUTH).status_code == 404
    assert httpx.head(store).status_code == 404


def test_graph_store_head_on_an_existing_graph(base: str) -> None:
    """HEAD on an existing graph: 200, a content type, no body."""
    httpx.put(f"{base}/store?graph=urn:test:g", content=PERSON_TTL.encode(), headers=TURTLE)
    response = httpx.head(f"{base}/store?graph=urn:test:g")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    assert response.content == b""


def test_graph_store_rejects_bad_rdf_whole(base: str) -> None:
    store = f"{base}/store?graph=urn:test:g"
    httpx.put(store, content=PERSON_TTL.encode(), headers=TURTLE)
    bad = httpx.put(store, content=b"<urn:a> <urn:b> .", headers=TURTLE)
    assert bad.status_code == 400
    assert "not valid text/turtle" in bad.json()["detail"]
    assert len(_graph(base)) == 1
    wrong_type = httpx.put(
        store, content=PERSON_TTL.encode(), headers={**AUTH, "Content-Type": "image/png"}
    )
    assert wrong_type.status_code == 415
    unauthorized = httpx.put(
        store, content=PERSON_TTL.encode(), headers={"Content-Type": "text/turtle"}
    )
    assert unauthorized.status_code == 401


@pytest.mark.parametrize("query", ["", "?graph=a&graph=b", "?graph=not an iri", "?graph=x&default"])
def test_graph_store_needs_exactly_one_graph(base: str, query: str) -> None:
    assert httpx.get(f"{base}/store{query}").status_code == 400


def test_graph_store_post_multipart_form_data(base: str) -> None:
    """POST - multipart/form-data, GET of POST - multipart/form-data: each file merged."""
    files = [
        ("person", ("person.ttl", PERSON_TTL.encode(), "text/turtle")),
        ("nick", ("nick.nt", MORE_TTL.encode(), "application/n-triples")),
    ]
    response = httpx.post(f"{base}/store?graph=urn:test:g", files=files, headers=AUTH)
    assert response.status_code == 201
    assert set(_graph(base).objects(URIRef(PERSON), None)) == {Literal("Jane Doe"), Literal("JD")}


def test_graph_store_post_creates_a_new_graph(base: str) -> None:
    """POST - create new graph, GET of POST - create new graph, GET of POST - after noop."""
    response = httpx.post(f"{base}/store", content=PERSON_TTL.encode(), headers=TURTLE)
    assert response.status_code == 201
    location = response.headers["location"]
    assert "graph=" in location
    created = httpx.get(location, headers={"Accept": "text/turtle"})
    assert created.status_code == 200, created.text
    assert len(Graph().parse(data=created.text, format="turtle")) == 1
    noop = httpx.post(location, content=b"", headers=TURTLE)
    assert noop.status_code == 204
    again = httpx.get(location, headers={"Accept": "text/turtle"})
    assert len(Graph().parse(data=again.text, format="turtle")) == 1
    assert httpx.delete(location, headers=AUTH).status_code == 204


SLOW_UPDATE = b"INSERT DATA { GRAPH <urn:test:g> { <urn:a> <urn:b> <urn:c> } }"
SLOW_REQUESTS = {
    "update": ("POST", "/sparql/update", UPDATE, SLOW_UPDATE),
    "put": ("PUT", "/store?graph=urn:test:g", TURTLE, PERSON_TTL.encode()),
    "post": ("POST", "/store?graph=urn:test:g", TURTLE, MORE_TTL.encode()),
    "get": ("GET", "/store?graph=urn:test:g", {}, b""),
}  # fmt: skip


@pytest.mark.parametrize("kind", list(SLOW_REQUESTS))
def test_a_write_waiting_for_a_slow_store_holds_no_other_request(
    slow_store: str, kind: str
) -> None:
    """With a remote store that takes seconds per call, other requests are answered while
    a write (or a Graph Store read) waits for it."""
    method, path, headers, body = SLOW_REQUESTS[kind]
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(
            httpx.request, method, f"{slow_store}{path}", content=body, headers=headers,
            timeout=60,
        )  # fmt: skip
        time.sleep(0.5)
        assert httpx.get(f"{slow_store}/queries", timeout=DELAY_S / 2).status_code == 200
        assert not pending.done()
        assert pending.result().status_code < 500
