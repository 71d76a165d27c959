"""/sparql's `format=` and `output=`: the names and aliases clients send, by kind of answer,
and SPARQLWrapper itself, as it asks, against the live server."""

import warnings
from typing import Any
from xml.dom.minidom import Document

import httpx2 as httpx
import pytest
from rdflib import Graph
from SPARQLWrapper import CSV, GET, JSON, JSONLD, N3, POST, RDFXML, TSV, TURTLE, SPARQLWrapper

from tests import live

NAME = "<http://xmlns.com/foaf/0.1/name>"
SELECT = f"SELECT ?name WHERE {{ ?s {NAME} ?name }} ORDER BY ?name"
ASK = f"ASK {{ ?s {NAME} ?name }}"
CONSTRUCT = f"CONSTRUCT {{ ?s {NAME} ?n }} WHERE {{ ?s {NAME} ?n }}"
DESCRIBE = "DESCRIBE <https://w3id.org/accordkg/id/state/united-kingdom>"
NAMES = ["Alok Sharma", "Michael J.K. Kratsios", "Oliver Dowden"]


def _media_type(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    return response.headers["content-type"].split(";")[0]


def test_sparqlwrapper_default_construct_request(sparql: str) -> None:
    """SPARQLWrapper's CONSTRUCT without a chosen format, byte for byte as it asks."""
    response = live.get(
        f"{sparql}?query={CONSTRUCT}&format=xml&output=xml&results=xml",
        headers={"Accept": "application/rdf+xml"},
    )
    assert _media_type(response) == "application/rdf+xml"
    assert len(Graph().parse(data=response.text, format="xml")) == 3


@pytest.mark.parametrize(
    ("query", "value", "media_type"),
    [
        (SELECT, "xml", "application/sparql-results+xml"),
        (SELECT, "json", "application/sparql-results+json"),
        (SELECT, "JSON", "application/sparql-results+json"),
        (SELECT, "csv", "text/csv"),
        (SELECT, "tsv", "text/tab-separated-values"),
        (SELECT, "text/csv; charset=utf-8", "text/csv"),
        (SELECT, "application/sparql-results+xml", "application/sparql-results+xml"),
        (ASK, "xml", "application/sparql-results+xml"),
        (CONSTRUCT, "xml", "application/rdf+xml"),
        (CONSTRUCT, "rdf+xml", "application/rdf+xml"),
        (CONSTRUCT, "rdf", "application/rdf+xml"),
        (CONSTRUCT, "json", "application/ld+json"),
        (CONSTRUCT, "json-ld", "application/ld+json"),
        (CONSTRUCT, "n3", "text/turtle"),
        (CONSTRUCT, "ttl", "text/turtle"),
        (CONSTRUCT, "nt", "application/n-triples"),
        (CONSTRUCT, "application/n-quads", "application/n-quads"),
        (DESCRIBE, "xml", "application/rdf+xml"),
    ],
)
@pytest.mark.parametrize("parameter", ["format", "output"])
def test_format_names_aliases_and_media_types_by_kind(
    sparql: str, query: str, value: str, media_type: str, parameter: str
) -> None:
    """`xml` is SPARQL XML for SELECT and ASK, RDF/XML for CONSTRUCT and DESCRIBE;
    `output=` is a synonym of `format=`."""
    response = live.get(sparql, params={"query": query, parameter: value})
    assert _media_type(response) == media_type


@pytest.mark.parametrize(
    ("query", "value", "accept", "media_type"),
    [
        (SELECT, "turtle", "text/csv", "text/csv"),  # a format of the other kind
        (SELECT, "html", "application/sparql-results+xml", "application/sparql-results+xml"),
        (CONSTRUCT, "csv", "text/turtle", "text/turtle"),
        (CONSTRUCT, "bogus", "application/ld+json, */*;q=0.1", "application/ld+json"),
    ],
)
def test_a_format_that_cannot_be_served_gives_way_to_accept(
    sparql: str, query: str, value: str, accept: str, media_type: str
) -> None:
    response = live.get(
        sparql, params={"query": query, "format": value}, headers={"Accept": accept}
    )
    assert _media_type(response) == media_type


@pytest.mark.parametrize("accept", [None, "*/*", "text/html"])
def test_a_format_that_cannot_be_served_and_no_stated_type_is_400(
    sparql: str, accept: str | None
) -> None:
    headers = {"Accept": accept} if accept else {}
    response = live.get(sparql, params={"query": SELECT, "format": "turtle"}, headers=headers)
    assert response.status_code == 400
    assert (
        "format must be one of csv, json, tsv, xml for this answer, not 'turtle'"
        in (response.json()["detail"])
    )


def test_a_servable_format_wins_over_accept(sparql: str) -> None:
    response = live.get(
        sparql, params={"query": SELECT, "format": "csv"}, headers={"Accept": "text/html"}
    )
    assert _media_type(response) == "text/csv"


def _wrapper_result(sparql: str, query: str, return_format: str | None, method: str) -> Any:
    """What SPARQLWrapper hands its caller; it warns when the answer is not in the format
    it asked for, and that is an error here."""
    client = SPARQLWrapper(sparql)
    client.setQuery(query)
    client.setMethod(method)
    if return_format is not None:
        client.setReturnFormat(return_format)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        return client.query().convert()


def _xml_texts(document: Document, tag: str) -> list[str]:
    return [node.firstChild.data for node in document.getElementsByTagName(tag)]  # type: ignore[union-attr]


@pytest.mark.parametrize("method", [GET, POST])
@pytest.mark.parametrize(
    ("query", "return_format"),
    [
        (SELECT, None),  # SPARQLWrapper's default: XML
        (SELECT, JSON),
        (SELECT, CSV),
        (SELECT, TSV),
        (ASK, None),
        (ASK, JSON),
        (CONSTRUCT, None),
        (CONSTRUCT, RDFXML),
        (CONSTRUCT, TURTLE),
        (CONSTRUCT, N3),
        (CONSTRUCT, JSONLD),
        (DESCRIBE, None),
    ],
)
def test_sparqlwrapper_gets_each_answer_in_the_format_it_asks_for(
    sparql: str, query: str, return_format: str | None, method: str
) -> None:
    result = _wrapper_result(sparql, query, return_format, method)
    if query == SELECT:
        if return_format is None:
            assert _xml_texts(result, "literal") == NAMES
        elif return_format == JSON:
            assert [b["name"]["value"] for b in result["results"]["bindings"]] == NAMES
        else:
            assert result.decode("utf-8").splitlines()[1:] == (
                NAMES if return_format == CSV else [f'"{n}"' for n in NAMES]
            )
    elif query == ASK:
        answer = _xml_texts(result, "boolean") if return_format is None else [result["boolean"]]
        assert answer in (["true"], [True])
    elif query == CONSTRUCT:
        if return_format in (TURTLE, N3):
            result = Graph().parse(data=result.decode("utf-8"), format="turtle")
        assert len(result) == 3
    else:
        assert len(result) > 5
