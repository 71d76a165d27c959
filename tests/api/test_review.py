"""The review page of a source (`/doc/source/{slug}.html`): the text as ingested with every
fact's evidence span marked by kind and linked to the fact, the warnings of the
extraction and the corrections applied; through the ASGI client and a live server."""

import shutil
import tomllib
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import NamedTuple

import lxml.html
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef

from accordkg.api import create_app
from accordkg.graphs import document_graph_iri
from accordkg.namespaces import AK, DEFAULT_BASE_IRI
from accordkg.pipeline.build import build
from accordkg.settings import Settings
from accordkg.store import open_store
from tests import live
from tests.conftest import INPUTS, SEED, VIRTUOSO, copy_built
from tests.extraction import pdfs
from tests.extraction.test_genre import GENRE
from tests.html_tree import parse_html
from tests.pipeline.test_corrections import CORRECTIONS

ID = DEFAULT_BASE_IRI
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
SEED_SOURCE = "source/us-uk-ai-research-declaration-2020"
SEED_PAGE = f"/doc/{SEED_SOURCE}.html"
MOU = "nrf-cnrs-mou"
MOU_PAGE = f"/doc/source/{MOU}.html"
# The legend of the seed's page: each kind of fact read and its number of spans.
SEED_KINDS = {
    "instrument": 1,
    "recital": 7,
    "operative lead-in": 1,
    "legal force evidence": 1,
    "commitment: intention": 5,
    "signing clause": 1,
    "signature": 3,
}
EVIDENCE = """
PREFIX ak: <https://w3id.org/accordkg/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?fact ?evidence ?start ?end WHERE {
  ?target oa:hasSource <SOURCE> ; oa:hasSelector ?position .
  ?evidence a ak:Evidence ; oa:hasTarget ?target .
  ?fact ?link ?evidence .
  ?position a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
}"""
CORRECTION = f"""
PREFIX ak: <https://w3id.org/accordkg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
INSERT DATA {{ GRAPH <{document_graph_iri(ID, MOU)}> {{
  <{ID}correction/{MOU}-1> a ak:Correction , prov:Entity ;
    rdfs:label "Correction 1 of {MOU}"@en ;
    ak:correctionOf <{ID}source/{MOU}> ;
    ak:correctedResource <{ID}signature/{MOU}-1> ;
    ak:correctedProperty ak:officeTitle ;
    ak:assertedValue "President" ;
    ak:retractedValue "President <of> the Foundation" ;
    ak:reason "The office is printed on two lines & the second was read as the name" ;
    dct:date "2026-11-30"^^xsd:date ;
    prov:wasAttributedTo <{ID}curator/jane-doe> .
  <{ID}curator/jane-doe> a prov:Agent , prov:Person ; foaf:name "Jane Doe" ;
    rdfs:label "Jane Doe" .
}} }}"""


class Mark(NamedTuple):
    """A highlight as the page shows it: the fact it links to, its evidence, its span,
    its kind and its text (the pieces of a span that crosses another joined)."""

    href: str
    evidence: str
    start: int
    end: int
    kind: str
    text: str


Span = tuple[str, str, int, int]  # the fact's page, the evidence, start and end


class Served(NamedTuple):
    """The app on a built store, the text of the source reviewed, and its evidence spans
    as SPARQL answers them."""

    client: TestClient
    text_file: Path
    text: str
    spans: set[Span]


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory, built_data: Path) -> Iterator[Served]:
    """The built seed, its inputs a copy (a test changes the source file and restores it)."""
    root = tmp_path_factory.mktemp("review")
    shutil.copytree(INPUTS, root / "data")
    settings = copy_built(built_data, root / "var").model_copy(update={"input_dir": root / "data"})
    yield from served(settings, SEED_SOURCE, settings.sources_dir / SEED.name)


@pytest.fixture(scope="module")
def seed_page(seed: Served) -> lxml.html.HtmlElement:
    return review_page(seed.client, SEED_PAGE)


@pytest.fixture(scope="module")
def mou(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A store built from a PDF of an agency MoU (its text derived and stored beside it),
    with one correction of what was read inserted as the vocabulary contract writes it."""
    root = tmp_path_factory.mktemp("review-pdf")
    inputs = root / "data"
    shutil.copytree(INPUTS, inputs, ignore=shutil.ignore_patterns("sources"))
    (inputs / "sources").mkdir()
    layout = (GENRE / "nrf-cnrs-mou-pdf.txt").read_text("utf-8")
    (inputs / "sources" / f"{MOU}.pdf").write_bytes(pdfs.printed(layout))
    settings = Settings(data_dir=root / "var", input_dir=inputs)
    assert not build(settings).failures
    text_file = inputs / "sources" / f"{MOU}.pdf.txt"
    yield from served(settings, f"source/{MOU}", text_file, CORRECTION)


def served(
    settings: Settings, source: str, text_file: Path, update: str | None = None
) -> Iterator[Served]:
    """The app on `settings`' store (after `update`), with the evidence spans in `source`
    as the store answers the query EVIDENCE."""
    with closing(open_store(settings)) as store:
        if update is not None:
            store.update(update)
        rows = store.select(EVIDENCE.replace("SOURCE", f"{ID}{source}")).rows
    spans = {
        (
            "/id/" + str(r["fact"]).removeprefix(ID),
            str(r["evidence"]),
            int(r["start"]),
            int(r["end"]),
        )
        for r in rows
    }
    app = create_app(settings.model_copy(update={"query_workers": 1}))
    with TestClient(app) as client:
        yield Served(client, text_file, text_file.read_text("utf-8"), spans)


def review_page(client: TestClient, path: str) -> lxml.html.HtmlElement:
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    parse_html(response.text)  # every element closed in order
    return lxml.html.document_fromstring(response.text)


def marks(page: lxml.html.HtmlElement) -> list[Mark]:
    """The highlights of the page's source text, in document order of their starts."""
    found: dict[tuple[str, str], Mark] = {}
    for mark in page.get_element_by_id("source-text").iter("mark"):
        key = (mark.get("data-evidence"), mark.get("data-start"))
        if "continued" in mark.classes:
            found[key] = found[key]._replace(text=found[key].text + mark.text_content())
            continue
        [link] = [a for a in mark if a.tag == "a"][:1]
        assert link.text_content() == ""  # the key is the style sheet's: the text stays the text
        assert link.get("aria-label").startswith(mark.get("title").rsplit(" (", 1)[0])
        found[key] = Mark(
            link.get("href"),
            mark.get("data-evidence"),
            int(mark.get("data-start")),
            int(mark.get("data-end")),
            mark.get("data-kind"),
            mark.text_content(),
        )
    return list(found.values())


def legend(page: lxml.html.HtmlElement) -> dict[str, int]:
    return {
        item.get("data-kind"): int(item.find_class("count")[0].text_content())
        for item in page.get_element_by_id("legend").iter("li")
    }


def test_the_seed_page_holds_the_text_exactly(
    seed: Served, seed_page: lxml.html.HtmlElement
) -> None:
    assert seed_page.get_element_by_id("source-text").text_content() == seed.text
    assert seed.text == SEED.read_text("utf-8")


def test_every_evidence_span_is_a_highlight_of_its_kind_linking_its_fact(
    seed: Served, seed_page: lxml.html.HtmlElement
) -> None:
    shown = marks(seed_page)
    assert {(m.href, m.evidence, m.start, m.end) for m in shown} == seed.spans
    assert len(shown) == len(seed.spans) == sum(SEED_KINDS.values())
    assert legend(seed_page) == SEED_KINDS
    kinds = {m.href.split("/")[2]: m.kind for m in shown if "commitment" in m.href}
    assert kinds == {"commitment": "commitment: intention"}
    for href in {m.kind: m.href for m in shown}.values():  # one of each kind
        assert seed.client.get(href, follow_redirects=False).status_code == 303  # its page


def test_nested_spans_are_well_formed_and_hold_their_text(
    seed: Served, seed_page: lxml.html.HtmlElement
) -> None:
    for mark in marks(seed_page):
        assert mark.text == seed.text[mark.start : mark.end]
    nested = [
        m
        for m in seed_page.get_element_by_id("source-text").iter("mark")
        if next(m.iterancestors("mark"), None) is not None
    ]
    assert [m.get("data-kind") for m in nested] == ["legal force evidence"]  # "intend"


def test_each_highlight_is_reached_by_keyboard_and_named_without_colour(
    seed_page: lxml.html.HtmlElement,
) -> None:
    links = seed_page.get_element_by_id("source-text").find_class("fact")
    assert len(links) == sum(SEED_KINDS.values())
    assert all(a.tag == "a" and a.get("href", "").startswith("/id/") for a in links)
    keys = {a.get("data-key") for a in links}
    assert keys == {
        k.text_content() for k in seed_page.get_element_by_id("legend").find_class("key")
    }
    assert not seed_page.xpath("//script | //*[@src]")  # nothing from another host
    assert seed_page.xpath("//meta[@name='viewport']")


def test_warnings_and_corrections_are_listed(
    seed: Served, seed_page: lxml.html.HtmlElement
) -> None:
    warnings = [li.text_content() for li in seed_page.get_element_by_id("warnings").iter("li")]
    turtle = Graph().parse(data=seed.client.get(f"/doc/{SEED_SOURCE}.ttl").text, format="turtle")
    recorded = turtle.objects(URIRef(ID + SEED_SOURCE), AK.extractionWarning)
    assert warnings == sorted(str(w) for w in recorded)
    assert warnings  # the seed is a scraped page: its repairs are warned about
    assert seed_page.get_element_by_id("corrections").text_content().split()[-1] == "None."


def test_the_rdf_documents_of_a_source_are_unchanged(seed: Served) -> None:
    turtle = seed.client.get(f"/doc/{SEED_SOURCE}.ttl")
    assert turtle.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert (URIRef(ID + SEED_SOURCE), AK.sha256, None) in graph
    resolved = seed.client.get(
        f"/id/{SEED_SOURCE}", headers={"Accept": BROWSER}, follow_redirects=False
    )
    assert (resolved.status_code, resolved.headers["location"]) == (303, SEED_PAGE)


def test_the_instrument_page_links_to_its_review(seed: Served) -> None:
    response = seed.client.get("/doc/instrument/us-uk-ai-research-declaration-2020.html")
    page = lxml.html.document_fromstring(response.text)
    [link] = [a for a in page.iter("a") if a.text_content() == "Review what was read"]
    assert link.get("href") == SEED_PAGE


def test_an_unknown_source_is_a_404_page(seed: Served) -> None:
    response = seed.client.get("/doc/source/no-such-source.html", headers={"Accept": BROWSER})
    assert response.status_code == 404
    assert "Not found" in response.text


def test_a_changed_source_file_shows_the_notice_and_no_marks(seed: Served) -> None:
    seed.text_file.write_text(seed.text.replace("Recognizing", "Recognising"), "utf-8")
    try:
        page = review_page(seed.client, SEED_PAGE)
    finally:
        seed.text_file.write_text(seed.text, "utf-8")
    notice = page.get_element_by_id("text-problem").text_content()
    assert "the source file has changed since it was extracted" in notice
    assert not page.xpath("//mark")
    assert not page.xpath("//*[@id='source-text']")
    assert page.get_element_by_id("warnings").xpath(".//li")  # still listed
    assert marks(review_page(seed.client, SEED_PAGE))  # the file as it was: marked again


def test_a_pdf_source_shows_its_derived_text_with_highlights(mou: Served) -> None:
    page = review_page(mou.client, MOU_PAGE)
    assert page.get_element_by_id("source-text").text_content() == mou.text
    shown = marks(page)
    assert {(m.href, m.evidence, m.start, m.end) for m in shown} == mou.spans
    assert all(m.text == mou.text[m.start : m.end] for m in shown)
    assert {"article", "recital", "signature"} <= set(legend(page))


def test_the_evidence_of_a_pdf_source_is_quoted_in_its_text(mou: Served) -> None:
    """A fact's own page quotes its span from the derived text, as for a text source."""
    response = mou.client.get(f"/doc/recital/{MOU}-1.html")
    evidence = lxml.html.document_fromstring(response.text).get_element_by_id("evidence")
    [quoted] = evidence.iter("blockquote")
    start, end = int(quoted.get("data-start")), int(quoted.get("data-end"))
    assert [m.text_content() for m in quoted.iter("mark")] == [mou.text[start:end]]
    assert "quote only" not in evidence.text_content()


def test_the_warnings_and_the_correction_of_a_pdf_source_appear(mou: Served) -> None:
    page = review_page(mou.client, MOU_PAGE)
    warnings = [li.text_content() for li in page.get_element_by_id("warnings").iter("li")]
    assert any("minted from its name" in w for w in warnings)
    [correction] = page.get_element_by_id("corrections").find_class("correction")
    shown = {dd.get("class"): " ".join(dd.text_content().split()) for dd in correction.iter("dd")}
    assert shown == {
        "resource": shown["resource"],
        "property": "office title",
        "asserted": "President",
        "retracted": "President <of> the Foundation",
        "reason": "The office is printed on two lines & the second was read as the name",
        "date": "2026-11-30",
        "curator": "Jane Doe",
    }
    assert shown["resource"].startswith("Signature of")
    links = {a.get("href") for a in correction.iter("a")}
    assert {f"/id/signature/{MOU}-1", "/id/curator/jane-doe", f"/id/correction/{MOU}-1"} <= links


def test_a_live_server_serves_the_review_page(server: str) -> None:
    response = live.get(
        f"{server}/id/{SEED_SOURCE}", headers={"Accept": BROWSER}, follow_redirects=True
    )
    assert response.status_code == 200
    page = lxml.html.document_fromstring(response.text)
    assert page.get_element_by_id("source-text").text_content() == SEED.read_text("utf-8")
    assert legend(page) == SEED_KINDS


@pytest.mark.slow  # an app of its own on a server loaded with the seed: seconds
@pytest.mark.parametrize("any_settings", ["remote", VIRTUOSO], indirect=True)
def test_the_review_page_reads_a_remote_store(any_built_settings: Settings) -> None:
    """The same page from a SPARQL server holding the built data (the embedded store is
    the other tests')."""
    app = create_app(any_built_settings.model_copy(update={"query_workers": 1}))
    with TestClient(app) as client:
        page = review_page(client, SEED_PAGE)
    assert page.get_element_by_id("source-text").text_content() == SEED.read_text("utf-8")
    assert legend(page) == SEED_KINDS
    assert all(m.text == SEED.read_text("utf-8")[m.start : m.end] for m in marks(page))


@pytest.mark.slow  # a build
def test_the_corrections_a_build_applied_are_on_the_review_page(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """End to end: a corrections file beside a source, a real build, and the page lists
    each correction the build recorded, by its reason, curator and date."""
    root = tmp_path_factory.mktemp("review-corrected")
    inputs = root / "data"
    shutil.copytree(INPUTS, inputs, ignore=shutil.ignore_patterns("sources"))
    (inputs / "sources").mkdir()
    for suffix in (".txt", ".corrections.toml"):
        shutil.copy(CORRECTIONS / f"baltic-statement{suffix}", inputs / "sources")
    settings = Settings(data_dir=root / "var", input_dir=inputs)
    assert not build(settings).failures
    written = tomllib.loads((CORRECTIONS / "baltic-statement.corrections.toml").read_text())
    source = inputs / "sources" / "baltic-statement.txt"
    for reviewed in served(settings, "source/baltic-statement", source):  # the app, open
        page = review_page(reviewed.client, "/doc/source/baltic-statement.html")
    shown = [
        {dd.get("class"): " ".join(dd.text_content().split()) for dd in item.iter("dd")}
        for item in page.get_element_by_id("corrections").find_class("correction")
    ]
    assert sorted(each["reason"] for each in shown) == sorted(
        c["reason"] for c in written["correction"]
    )
    assert {(each["curator"], each["date"]) for each in shown} == {("Ann Curator", "2026-12-02")}
