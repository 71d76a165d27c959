"""The update-dataset cases of the W3C SPARQL 1.1 Protocol tests (using-graph-uri and
using-named-graph-uri), on a server of their own: their updates start with DROP ALL."""

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests import live
from tests.api.conftest import TOKEN
from tests.api.sparql_server import sparql_server

KASEI = "http://kasei.us/2009/09/sparql/data/"
HEADERS = {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"}
PREFIXES = "PREFIX dc: <http://purl.org/dc/terms/>\nPREFIX foaf: <http://xmlns.com/foaf/0.1/>\n"
THREE_DOCUMENTS = (
    "DROP ALL ;\nINSERT DATA {\n"
    + "".join(
        f"  GRAPH <{KASEI}data{n}.rdf> {{ <{KASEI}data{n}.rdf> a foaf:Document }}\n"
        for n in (1, 2, 3)
    )
    + "} ;\n"
)
MARK = "INSERT {{ GRAPH <{target}> {{ ?s a dc:BibliographicResource }} }}\n"
TWO_NOT_THREE = (
    "ASK {{ GRAPH <{target}> {{ <{k}data1.rdf> a dc:BibliographicResource . "
    "<{k}data2.rdf> a dc:BibliographicResource . }} "
    "FILTER NOT EXISTS {{ GRAPH <{target}> {{ <{k}data3.rdf> a dc:BibliographicResource }} }} }}"
)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, built_data: Path) -> Iterator[str]:
    directory = tmp_path_factory.mktemp("datasets") / "var"
    with sparql_server(built_data, directory, ACCORDKG_UPDATE_TOKEN=TOKEN) as url:
        yield url


def _update(base: str, update: str, params: list[tuple[str, str]]) -> int:
    url = f"{base}/sparql/update?{urlencode(params)}"
    return live.post(url, content=update.encode(), headers=HEADERS).status_code


def _ask(base: str, query: str) -> bool:
    response = live.get(f"{base}/sparql", params={"query": PREFIXES + query})
    return bool(response.json()["boolean"])


def test_update_dataset_default_graph(base: str) -> None:
    """update_dataset_default_graph: using-graph-uri sets the WHERE's default graph."""
    target = "http://example.org/protocol-update-dataset-test/"
    update = (
        f"{PREFIXES}CLEAR ALL ;\nINSERT DATA {{ GRAPH <{KASEI}data1.rdf> "
        f"{{ <{KASEI}data1.rdf> a foaf:Document }} }} ;\n"
        + MARK.format(target=target)
        + "WHERE { ?s a foaf:Document }"
    )
    assert _update(base, update, [("using-graph-uri", f"{KASEI}data1.rdf")]) == 204
    assert _ask(
        base, f"ASK {{ GRAPH <{target}> {{ <{KASEI}data1.rdf> a dc:BibliographicResource }} }}"
    )


def test_update_dataset_default_graphs(base: str) -> None:
    """update_dataset_default_graphs: two using-graph-uri merge into the default graph."""
    target = "http://example.org/protocol-update-dataset-graphs-test/"
    update = (
        PREFIXES + THREE_DOCUMENTS + MARK.format(target=target) + "WHERE { ?s a foaf:Document }"
    )
    params = [("using-graph-uri", f"{KASEI}data1.rdf"), ("using-graph-uri", f"{KASEI}data2.rdf")]
    assert _update(base, update, params) == 204
    assert _ask(base, TWO_NOT_THREE.format(target=target, k=KASEI))


def test_update_dataset_named_graphs(base: str) -> None:
    """update_dataset_named_graphs: using-named-graph-uri sets the WHERE's named graphs."""
    target = "http://example.org/protocol-update-dataset-named-graphs-test/"
    update = (
        PREFIXES + THREE_DOCUMENTS + MARK.format(target=target)
        + "WHERE { GRAPH ?g { ?s a foaf:Document } }"
    )  # fmt: skip
    params = [
        ("using-named-graph-uri", f"{KASEI}data1.rdf"),
        ("using-named-graph-uri", f"{KASEI}data2.rdf"),
    ]
    assert _update(base, update, params) == 204
    assert _ask(base, TWO_NOT_THREE.format(target=target, k=KASEI))


def test_update_dataset_full(base: str) -> None:
    """update_dataset_full: both parameters at once."""
    target = "http://example.org/protocol-update-dataset-full-test/"
    update = (
        PREFIXES + THREE_DOCUMENTS
        + f"INSERT {{ GRAPH <{target}> {{ ?s <http://example.org/in> ?in }} }}\n"
        "WHERE { { GRAPH ?g { ?s a foaf:Document } BIND(?g AS ?in) } UNION "
        '{ ?s a foaf:Document . BIND("default" AS ?in) } }'
    )  # fmt: skip
    params = [
        ("using-graph-uri", f"{KASEI}data1.rdf"),
        ("using-named-graph-uri", f"{KASEI}data2.rdf"),
    ]
    assert _update(base, update, params) == 204
    ask = (
        f'ASK {{ GRAPH <{target}> {{ <{KASEI}data1.rdf> <http://example.org/in> "default" . '
        f"<{KASEI}data2.rdf> <http://example.org/in> <{KASEI}data2.rdf> . }} "
        f"FILTER NOT EXISTS {{ GRAPH <{target}> {{ <{KASEI}data3.rdf> ?p ?o }} }} }}"
    )
    assert _ask(base, ask)


def test_bad_update_dataset_conflict(base: str) -> None:
    """bad_update_dataset_conflict: using-named-graph-uri with WITH in the update is a 4xx."""
    update = (
        "PREFIX foaf: <http://xmlns.com/foaf/0.1/>\nWITH <http://example/addresses>\n"
        "DELETE { ?person foaf:givenName 'Bill' } INSERT { ?person foaf:givenName 'William' }\n"
        "WHERE { ?person foaf:givenName 'Bill' }"
    )
    assert _update(base, update, [("using-named-graph-uri", "http://example/people")]) == 400


@pytest.mark.parametrize("parameter", ["using-graph-uri", "using-named-graph-uri"])
def test_a_dataset_iri_cannot_become_part_of_the_update(base: str, parameter: str) -> None:
    """The IRI is written into the update as `USING <iri>`: one that ends the IRI early
    and adds an operation of its own is refused, and nothing is written."""
    injected = "http://example.org/injected/"
    update = "INSERT { <urn:s> <urn:p> ?o } WHERE { ?s ?p ?o FILTER(false) }"
    operation = f"INSERT DATA {{ GRAPH <{injected}> {{ <urn:a> <urn:b> <urn:c> }} }}"
    iri = f"urn:a> WHERE {{}} ; {operation} #"
    response = live.post(
        f"{base}/sparql/update?{urlencode([(parameter, iri)])}",
        content=update.encode(),
        headers=HEADERS,
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith(f"{parameter} must be an absolute IRI, not ")
    assert not _ask(base, f"ASK {{ GRAPH <{injected}> {{ ?s ?p ?o }} }}")
