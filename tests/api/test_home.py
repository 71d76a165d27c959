"""The home page `/`: the instruments and figures for browsers, from the store; the
dataset's description, as /.well-known/void gives it, for every other client."""

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef
from rdflib.namespace import VOID

from tests import live
from tests.graphs import isomorphic
from tests.html_tree import Element, parse_html

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
DECLARATION = "/id/instrument/us-uk-ai-research-declaration-2020"


def _page(client: TestClient) -> Element:
    response = client.get("/", headers={"Accept": BROWSER})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "Accept" in response.headers["vary"]
    return parse_html(response.text)


def _cells(row: Element) -> list[str]:
    return [" ".join(cell.text.split()) for cell in row.all("td")]


def test_the_table_holds_every_instrument_with_its_figures(client: TestClient) -> None:
    rows = _page(client).by_id("instrument-table").all("tbody")[0].all("tr")
    assert [_cells(row) for row in rows] == [
        [
            "Declaration of the United States of America and the United Kingdom of Great "
            "Britain and Northern Ireland on Cooperation in Artificial Intelligence Research "
            "and Development",
            "declaration",
            "2020-09-25",
            "United Kingdom of Great Britain and Northern Ireland; United States of America",
            "7",
            "5",
            "3",
            "non-binding",
        ],
        [
            "US-UK Science and Technology Agreement",
            "agreement",
            "2017-09",
            "United Kingdom of Great Britain and Northern Ireland; United States of America",
            "0",
            "0",
            "0",
            "not stated",
        ],
        [
            "NSF\N{EN DASH}UKRI Memorandum of Understanding on Research Cooperation",
            "memorandum of understanding",
            "",
            "U.S. National Science Foundation; UK Research and Innovation",
            "0",
            "0",
            "0",
            "not stated",
        ],
    ]
    assert rows[0].all("a")[0].attrs["href"] == DECLARATION
    assert client.get(DECLARATION, follow_redirects=False).status_code == 303


def test_the_figures_are_those_void_counts(client: TestClient) -> None:
    figures = _page(client).by_id("figures").all("dl")[0]
    shown = dict(
        zip(
            [dt.text for dt in figures.all("dt")],
            [int(dd.text.replace(",", "")) for dd in figures.all("dd")],
            strict=True,
        )
    )
    void = Graph().parse(data=client.get("/.well-known/void").text, format="turtle")
    dataset = URIRef("http://testserver/.well-known/void#dataset")
    assert shown["Triples"] == int(str(void.value(dataset, VOID.triples)))
    assert shown["Entities"] == int(str(void.value(dataset, VOID.entities)))
    assert shown["Instruments"] == 3
    assert shown["States"] == 2
    assert shown["Signatures"] == 3
    assert shown["Links to Wikidata"] >= 3


def test_the_ways_in_are_linked_and_answer(client: TestClient) -> None:
    page = _page(client)
    links = {a.attrs["href"] for a in page.all("a")}
    expected = {
        "/sparql",
        "/explore",
        "/.well-known/void",
        "/docs",
        "/ontology",
        "/dumps/accordkg.ttl",
    }
    assert expected <= links
    for href in expected - {"/explore"}:  # /explore is the explorer's own route
        assert client.get(href, headers={"Accept": BROWSER}).status_code == 200, href


@pytest.mark.parametrize(
    "accept",
    [
        None,
        "*/*",
        "text/turtle",
        "application/ld+json",
        "application/n-triples",
        "application/rdf+xml",
    ],
)
def test_other_clients_get_the_dataset_description(client: TestClient, accept: str | None) -> None:
    headers = {"Accept": accept} if accept else {}
    home = client.get("/", headers=headers)
    void = client.get("/.well-known/void", headers=headers)
    assert home.status_code == void.status_code == 200
    assert home.headers["content-type"] == void.headers["content-type"]
    assert "Accept" in home.headers["vary"]
    parser = {"text/turtle": "turtle", "application/ld+json": "json-ld",
              "application/n-triples": "nt", "application/rdf+xml": "xml"}  # fmt: skip
    media_type = home.headers["content-type"].split(";")[0]
    as_home = Graph().parse(data=home.text, format=parser[media_type])
    assert len(as_home) > 50
    assert isomorphic(as_home, Graph().parse(data=void.text, format=parser[media_type]))


def test_format_wins_and_what_cannot_be_served_is_refused(client: TestClient) -> None:
    chosen = client.get("/", params={"format": "jsonld"}, headers={"Accept": BROWSER})
    assert chosen.headers["content-type"].startswith("application/ld+json")
    refused = client.get("/", headers={"Accept": "application/json"})
    assert (
        refused.status_code
        == client.get("/.well-known/void", headers={"Accept": "application/json"}).status_code
    )


def test_the_live_server_answers_browsers_and_machines(server: str) -> None:
    assert (
        live.get(server, headers={"Accept": BROWSER})
        .headers["content-type"]
        .startswith("text/html")
    )
    assert live.get(server).headers["content-type"].startswith("text/turtle")
