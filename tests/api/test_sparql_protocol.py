"""The query cases of the W3C SPARQL 1.1 Protocol tests, over real HTTP to a live server.

Each test encodes one case of ../shared/w3c/sparql11-protocol/manifest.ttl (named in its
docstring): the request as the manifest gives it, the response it expects. The update
cases wait for the update endpoint and are not encoded here.
"""

from urllib.parse import quote

import httpx2 as httpx
import pytest

from tests import live

KASEI = "http://kasei.us/2009/09/sparql/data/"
DATA0 = f"{KASEI}data0.rdf"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
DIRECT = {"Content-Type": "application/sparql-query"}


def _boolean(response: httpx.Response) -> bool:
    assert response.status_code == 200, response.text
    value = response.json()["boolean"]
    assert isinstance(value, bool)
    return value


def test_query_post_form(sparql: str) -> None:
    """query_post_form: query via URL-encoded POST."""
    response = live.post(
        f"{sparql}?default-graph-uri={quote(DATA0, safe='')}",
        content=b"query=ASK%20%7B%7D",
        headers=FORM,
    )
    assert _boolean(response) is True


def test_query_get(sparql: str) -> None:
    """query_get: query via GET."""
    assert _boolean(live.get(sparql, params={"query": "ASK {}"})) is True


def test_query_post_direct(sparql: str) -> None:
    """query_post_direct: query via POST directly."""
    response = live.post(
        f"{sparql}?default-graph-uri={quote(DATA0, safe='')}", content=b"ASK {}", headers=DIRECT
    )
    assert _boolean(response) is True


def test_query_dataset_default_graphs_get(sparql: str) -> None:
    """query_dataset_default_graphs_get: GET query with protocol-specified default graph."""
    query = f"ASK {{ <{KASEI}data1.rdf> a ?type . <{KASEI}data2.rdf> a ?type . }}"
    params = httpx.QueryParams(
        [
            ("query", query),
            ("default-graph-uri", f"{KASEI}data1.rdf"),
            ("default-graph-uri", f"{KASEI}data2.rdf"),
        ]
    )
    assert _boolean(live.get(sparql, params=params)) is True


def test_query_dataset_default_graphs_post(sparql: str) -> None:
    """query_dataset_default_graphs_post: POST query with protocol-specified default graphs."""
    query = f"ASK {{ <{KASEI}data1.rdf> a ?type . <{KASEI}data2.rdf> a ?type . }}"
    params = httpx.QueryParams(
        [("default-graph-uri", f"{KASEI}data1.rdf"), ("default-graph-uri", f"{KASEI}data2.rdf")]
    )
    response = live.post(sparql, params=params, content=query.encode(), headers=DIRECT)
    assert _boolean(response) is True


GRAPH_1 = f"GRAPH ?g1 {{ <{KASEI}data1.rdf> a ?type }}"
GRAPH_2 = f"GRAPH ?g2 {{ <{KASEI}data2.rdf> a ?type }}"
NAMED_QUERY = f"ASK {{ {GRAPH_1} {GRAPH_2} }}"
NAMED = httpx.QueryParams(
    [("named-graph-uri", f"{KASEI}data1.rdf"), ("named-graph-uri", f"{KASEI}data2.rdf")]
)


def test_query_dataset_named_graphs_post(sparql: str) -> None:
    """query_dataset_named_graphs_post: POST query with protocol-specified named graphs."""
    response = live.post(sparql, params=NAMED, content=NAMED_QUERY.encode(), headers=DIRECT)
    assert _boolean(response) is True


def test_query_dataset_named_graphs_get(sparql: str) -> None:
    """query_dataset_named_graphs_get: GET query with protocol-specified named graphs."""
    assert _boolean(live.get(sparql, params=NAMED.add("query", NAMED_QUERY))) is True


def test_query_dataset_full(sparql: str) -> None:
    """query_dataset_full: protocol-specified dataset (both named and default graphs)."""
    query = (
        f"ASK {{ <{KASEI}data3.rdf> a ?type "
        f"GRAPH ?g1 {{ <{KASEI}data1.rdf> a ?type }} GRAPH ?g2 {{ <{KASEI}data2.rdf> a ?type }} }}"
    )
    params = NAMED.add("default-graph-uri", f"{KASEI}data3.rdf")
    response = live.post(sparql, params=params, content=query.encode(), headers=DIRECT)
    assert _boolean(response) is True


def test_query_multiple_dataset(sparql: str) -> None:
    """query_multiple_dataset: the protocol-specified dataset wins over FROM in the query."""
    query = (
        f"ASK FROM <{KASEI}data3.rdf> {{ GRAPH ?g1 {{ <{KASEI}data1.rdf> a ?type }} "
        f"GRAPH ?g2 {{ <{KASEI}data2.rdf> a ?type }} }}"
    )
    response = live.post(sparql, params=NAMED, content=query.encode(), headers=DIRECT)
    assert _boolean(response) is True


def test_protocol_dataset_excludes_graphs_it_does_not_name(sparql: str) -> None:
    """The counterpart of the dataset cases: a graph left out of the dataset is not seen."""
    query = f"ASK {{ <{KASEI}data3.rdf> a ?type }}"
    params = {"query": query, "default-graph-uri": f"{KASEI}data1.rdf"}
    assert _boolean(live.get(sparql, params=params)) is False
    assert _boolean(live.get(sparql, params={"query": query})) is True  # union by default


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
    ],
)
def test_query_content_type_select(sparql: str, accept: str, expected: str) -> None:
    """query_content_type_select: expect one of XML, JSON, CSV, TSV."""
    response = live.post(
        sparql, content=b"SELECT (1 AS ?value) {}", headers={**DIRECT, "Accept": accept}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == expected
    assert "value" in response.text


@pytest.mark.parametrize(
    "accept", ["application/sparql-results+xml", "application/sparql-results+json"]
)
def test_query_content_type_ask(sparql: str, accept: str) -> None:
    """query_content_type_ask: expect one of XML, JSON."""
    response = live.post(sparql, content=b"ASK {}", headers={**DIRECT, "Accept": accept})
    assert response.headers["content-type"].split(";")[0] == accept
    assert "true" in response.text


@pytest.mark.parametrize(
    "query", ["DESCRIBE <http://example.org/>", "CONSTRUCT { <s> <p> 1 } WHERE {}"]
)
@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("application/rdf+xml", "application/rdf+xml"),
        ("text/turtle", "text/turtle"),
        ("application/n-triples", "application/n-triples"),
        (None, "text/turtle"),
    ],
)
def test_query_content_type_describe_and_construct(
    sparql: str, query: str, accept: str | None, expected: str
) -> None:
    """query_content_type_describe / _construct: expect RDF/XML, Turtle or N-Triples."""
    headers = {**DIRECT, **({"Accept": accept} if accept else {})}
    response = live.post(
        f"{sparql}?default-graph-uri={quote(DATA0, safe='')}",
        content=query.encode(),
        headers=headers,
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == expected


def test_bad_query_method(sparql: str) -> None:
    """bad_query_method: a method other than GET or POST is a 4xx."""
    response = live.put(f"{sparql}?query=ASK%20%7B%7D", headers=FORM)
    assert 400 <= response.status_code < 500


def test_bad_multiple_queries(sparql: str) -> None:
    """bad_multiple_queries: more than one query string is a 4xx."""
    response = live.get(sparql, params=[("query", "ASK {}"), ("query", "SELECT * {}")])
    assert response.status_code == 400
    assert "more than once" in response.json()["detail"]


def test_bad_query_wrong_media_type(sparql: str) -> None:
    """bad_query_wrong_media_type: POST of text/plain is a 4xx."""
    response = live.post(sparql, content=b"ASK {}", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415


def test_bad_query_missing_form_type(sparql: str) -> None:
    """bad_query_missing_form_type: a URL-encoded body without its media type is a 4xx."""
    response = live.post(sparql, content=b"query=ASK%20%7B%7D")
    assert response.status_code == 415


def test_bad_query_missing_direct_type(sparql: str) -> None:
    """bad_query_missing_direct_type: a SPARQL body without its media type is a 4xx."""
    response = live.post(sparql, content=b"ASK {}")
    assert response.status_code == 415


def test_bad_query_non_utf8(sparql: str) -> None:
    """bad_query_non_utf8: a direct POST in UTF-16 is a 4xx, not a 500."""
    response = live.post(
        sparql,
        content="ASK {}".encode("utf-16"),
        headers={"Content-Type": "application/sparql-query; charset=UTF-16"},
    )
    assert 400 <= response.status_code < 500
    undeclared = live.post(sparql, content="ASK {}".encode("utf-16"), headers=DIRECT)
    assert undeclared.status_code == 400
    assert "not valid utf-8" in undeclared.json()["detail"]


def test_bad_query_syntax(sparql: str) -> None:
    """bad_query_syntax: invalid syntax is a 4xx that says where."""
    response = live.get(sparql, params={"query": "ASK {"})
    assert response.status_code == 400
    assert "SPARQL syntax error at 1:" in response.json()["detail"]


def test_bad_update_get(sparql: str) -> None:
    """bad_update_get: an update by GET is a 4xx."""
    response = live.get(sparql, params={"update": "CLEAR ALL"})
    assert response.status_code == 400
    assert "update" in response.json()["detail"]
