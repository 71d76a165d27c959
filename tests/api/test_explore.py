"""/explore: the graph explorer's page, its assets, and the entity pages that link to it."""

import json
from urllib.parse import parse_qs, urlsplit

from fastapi.testclient import TestClient

from tests import live
from tests.html_tree import Element, parse_html

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
PARTY = "state/united-kingdom"
INSTRUMENT = "instrument/us-uk-ai-research-declaration-2020"


def explorer_links(page: Element) -> list[str]:
    """The links into the explorer with a node to draw (every page's menu links to it)."""
    return [a.attrs["href"] for a in page.all("a") if a.attrs["href"].startswith("/explore?")]


def test_the_page_loads_cytoscape_and_its_script_from_this_server(client: TestClient) -> None:
    response = client.get("/explore", headers={"Accept": BROWSER})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = parse_html(response.text)
    scripts = [s.attrs["src"] for s in page.all("script") if "src" in s.attrs]
    styles = [link.attrs["href"] for link in page.all("link") if link.attrs["rel"] == "stylesheet"]
    assert scripts == ["/assets/vendor/cytoscape.min.js", "/assets/explorer.js"]
    assert styles == ["/assets/explorer.css"]
    for asset in [*scripts, *styles]:
        served = client.get(asset)
        assert served.status_code == 200, asset
        assert len(served.content) > 1_000, asset


def test_the_page_names_the_ontology_terms_it_draws(client: TestClient) -> None:
    terms = json.loads(parse_html(client.get("/explore").text).by_id("terms").text)
    assert terms["ak:MemorandumOfUnderstanding"] == "memorandum of understanding"
    assert terms["ak:onBehalfOf"] == "on behalf of"
    assert terms["signed for"] == "signed for"  # an edge of a collapsed signature


def test_every_control_has_a_label(client: TestClient) -> None:
    page = parse_html(client.get("/explore").text)
    labelled = {label.attrs["for"] for label in page.all("label") if "for" in label.attrs}
    wrapped = {
        control.attrs["id"]
        for label in page.all("label")
        for control in label.walk()
        if control.tag == "input"
    }
    controls = [e for e in page.walk() if e.tag in ("input", "select")]
    assert len(controls) == 7  # search, layout, fold, two years, two path ends
    assert all(c.attrs["id"] in labelled | wrapped for c in controls)


def test_party_and_instrument_pages_link_into_the_explorer(client: TestClient) -> None:
    for node in (PARTY, INSTRUMENT):
        page = parse_html(client.get(f"/doc/{node}.html").text)
        (link,) = explorer_links(page)
        assert parse_qs(urlsplit(link).query) == {"seed": [node]}


def test_other_pages_do_not(client: TestClient) -> None:
    signature = parse_html(client.get(f"/doc/signature/{INSTRUMENT.split('/')[1]}-1.html").text)
    assert signature.by_id("iri").text.endswith("-1")
    assert explorer_links(signature) == []


def test_the_live_server_serves_the_page(server: str) -> None:
    response = live.get(f"{server}/explore", headers={"Accept": BROWSER})
    assert response.status_code == 200
    assert 'id="canvas"' in response.text
