"""Linked Data over HTTP: IRIs that resolve, their documents and pages, the ontology, the
JSON-LD context; through the ASGI client and against a live server."""

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from accordkg.api import create_app
from accordkg.extraction import extract_file
from accordkg.extraction.registry import Registry
from accordkg.linked_data.jsonld import context
from accordkg.namespaces import AK, DEFAULT_BASE_IRI
from accordkg.pipeline.build import build
from accordkg.resources import ontology_graph
from accordkg.settings import Settings
from tests import live
from tests.conftest import INPUTS, SEED, copy_built
from tests.graphs import isomorphic, spans
from tests.html_tree import Element, parse_html

ID = DEFAULT_BASE_IRI
DECLARATION_PATH = "instrument/us-uk-ai-research-declaration-2020"
DECLARATION = URIRef(ID + DECLARATION_PATH)
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
RDF_DOCUMENTS = {  # media type asked for: (extension, rdflib parser)
    "text/turtle": ("ttl", "turtle"),
    "application/ld+json": ("jsonld", "json-ld"),
    "application/n-triples": ("nt", "nt"),
    "application/rdf+xml": ("rdf", "xml"),
}


@pytest.fixture(scope="module")
def ld(tmp_path_factory: pytest.TempPathFactory, built_data: Path) -> Iterator[TestClient]:
    settings = copy_built(built_data, tmp_path_factory.mktemp("ld") / "var")
    with TestClient(create_app(settings.model_copy(update={"query_workers": 1}))) as client:
        yield client


@pytest.fixture(scope="module")
def extracted() -> Graph:
    registry = Registry.load(INPUTS, DEFAULT_BASE_IRI)
    return extract_file(SEED, registry, DEFAULT_BASE_IRI, 5_000_000).graph


def page(client: TestClient, path: str) -> Element:
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    return parse_html(response.text)


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(("accept", "extension"), [(k, v[0]) for k, v in RDF_DOCUMENTS.items()])
def test_each_rdf_format_is_a_303_to_its_document(
    ld: TestClient, extracted: Graph, accept: str, extension: str
) -> None:
    response = ld.get(f"/id/{DECLARATION_PATH}", headers={"Accept": accept}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["vary"].startswith("Accept")
    assert response.headers["location"] == f"/doc/{DECLARATION_PATH}.{extension}"
    document = ld.get(response.headers["location"])
    assert document.status_code == 200
    assert document.headers["content-type"].split(";")[0] == accept
    graph = Graph().parse(data=document.content, format=RDF_DOCUMENTS[accept][1])
    own = list(extracted.triples((DECLARATION, None, None)))
    assert len(own) > 30
    assert [t for t in own if t not in graph] == []


def test_every_instance_iri_resolves_to_a_page_and_turtle(ld: TestClient) -> None:
    query = "SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) }"
    listed = ld.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})
    iris = [line for line in listed.text.splitlines()[1:] if line.startswith(ID)]
    assert len(iris) > 60
    for iri in iris:
        path = iri.removeprefix(ID)
        resolved = ld.get(f"/id/{path}", headers={"Accept": "text/turtle"}, follow_redirects=False)
        assert resolved.status_code == 303, iri
        graph = Graph().parse(data=ld.get(resolved.headers["location"]).text, format="turtle")
        assert (URIRef(iri), None, None) in graph
        tree = page(ld, f"/doc/{path}.html")
        assert words(tree.all("h1")[0].text), iri


@pytest.mark.parametrize(
    ("accept", "extension"),
    [
        (None, "html"),
        (BROWSER, "html"),
        ("*/*", "html"),
        ("application/json", "jsonld"),
        ("text/turtle;q=0.5, application/ld+json", "jsonld"),
        ("text/html;q=0.1, application/n-triples;q=0.9", "nt"),
        ("application/rdf+xml, text/html;q=0", "rdf"),
        ("text/plain", "nt"),  # N-Triples' old media type, as /sparql answers it
        ("text/plain, */*;q=0.1", "nt"),  # what rdflib asks for to read N-Triples
    ],
)
def test_negotiation_follows_q_values_and_wildcards(
    ld: TestClient, accept: str | None, extension: str
) -> None:
    headers = {"Accept": accept or ""}  # empty: as if the client sent no Accept at all
    response = ld.get("/id/state/united-kingdom", headers=headers, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/doc/state/united-kingdom.{extension}"
    assert "Accept" in response.headers["vary"]


def test_nothing_acceptable_is_406_with_vary(ld: TestClient) -> None:
    response = ld.get(f"/id/{DECLARATION_PATH}", headers={"Accept": "image/png, text/html;q=0"})
    assert response.status_code == 406
    assert response.json()["error"] == "NotAcceptableError"
    assert "Accept" in response.headers["vary"]


def test_head_answers_like_get_without_a_body(ld: TestClient) -> None:
    resolved = ld.head(
        f"/id/{DECLARATION_PATH}", headers={"Accept": "text/turtle"}, follow_redirects=False
    )
    assert resolved.status_code == 303
    assert resolved.headers["location"] == f"/doc/{DECLARATION_PATH}.ttl"
    document = ld.head(f"/doc/{DECLARATION_PATH}.ttl")
    assert document.status_code == 200
    assert document.headers["content-type"] == "text/turtle; charset=utf-8"
    assert document.content == b""
    assert ld.head("/id/state/atlantis").status_code == 404


def test_unknown_ids_get_a_page_for_browsers_and_json_for_machines(ld: TestClient) -> None:
    for path in ("/id/state/atlantis", "/doc/state/atlantis.html"):
        response = ld.get(path, headers={"Accept": BROWSER})
        assert response.status_code == 404
        tree = parse_html(response.text)
        assert words(tree.all("h1")[0].text) == "Not found"
        assert ID + "state/atlantis" in tree.all("main")[0].text
        assert "/sparql" in {a.attrs["href"] for a in tree.all("a")}
    for path, accept in [("/id/state/atlantis", "text/turtle"), ("/doc/state/atlantis.ttl", "")]:
        response = ld.get(path, headers={"Accept": accept})
        assert response.status_code == 404
        assert response.json()["error"] == "NotFoundError"
    assert ld.get(f"/doc/{DECLARATION_PATH}.exe").status_code == 404
    assert ld.get("/id/state/no%20such").status_code == 404
    malformed = ld.get("/id/state/%3Cscript%3E", headers={"Accept": BROWSER})
    assert malformed.status_code == 404
    assert "<script>" not in malformed.text
    assert "&lt;script&gt;" in malformed.text  # named on the page, escaped


def test_the_declaration_page_shows_parties_signatures_and_provisions_in_order(
    ld: TestClient, extracted: Graph
) -> None:
    tree = page(ld, f"/doc/{DECLARATION_PATH}.html")
    assert tree.all("html")[0].attrs["lang"] == "en"
    assert words(tree.all("h1")[0].text) == str(extracted.value(DECLARATION, RDFS.label))
    assert [m.attrs.get("role") for m in tree.all("main")] == [None]  # one main landmark
    parties = {a.attrs["href"]: words(a.text) for a in tree.by_id("parties").all("a")}
    assert parties == {
        "/id/state/united-kingdom": "United Kingdom of Great Britain and Northern Ireland",
        "/id/state/united-states": "United States of America",
    }
    signatures = tree.by_id("signatures").all("li", "signature")
    assert [words(s.all(class_="signatory")[0].text) for s in signatures] == [
        "Michael J.K. Kratsios",
        "Alok Sharma",
        "Oliver Dowden",
    ]
    assert [words(s.all(class_="party")[0].text) for s in signatures] == [
        "United States of America",
        "United Kingdom of Great Britain and Northern Ireland",
        "United Kingdom of Great Britain and Northern Ireland",
    ]
    assert "Chief Technology Officer of the United States" in signatures[0].text
    for kind, predicate in (("recitals", AK.recital), ("commitments", AK.commitment)):
        provisions = sorted(
            extracted.objects(DECLARATION, predicate),
            key=lambda p: int(str(extracted.value(p, AK.position))),
        )
        shown = [words(li.all(class_="text")[0].text) for li in tree.by_id(kind).all("li")]
        assert shown == [words(str(extracted.value(p, AK.text))) for p in provisions]
        assert len(shown) == {"recitals": 7, "commitments": 5}[kind]
    assert [a.attrs["href"] for a in tree.by_id("builds-on").all("a")] == [
        "/id/instrument/us-uk-science-and-technology-agreement-2017"
    ]
    assert [a.attrs["href"] for a in tree.by_id("cites").all("a")] == [
        "/id/instrument/nsf-ukri-mou-research-cooperation"
    ]


def test_pages_link_their_alternates_and_the_void_description(ld: TestClient) -> None:
    tree = page(ld, f"/doc/{DECLARATION_PATH}.html")
    alternates = {
        link.attrs["type"]: link.attrs["href"]
        for link in tree.all("link")
        if link.attrs.get("rel") == "alternate"
    }
    assert alternates == {
        media: f"/doc/{DECLARATION_PATH}.{extension}"
        for media, (extension, _) in RDF_DOCUMENTS.items()
    }
    assert "/.well-known/void" in {a.attrs["href"] for a in tree.all("a")}
    for href in alternates.values():
        assert ld.get(href).status_code == 200
    header = ld.get(f"/doc/{DECLARATION_PATH}.html").headers["link"]
    assert f'</doc/{DECLARATION_PATH}.ttl>; rel="alternate"; type="text/turtle"' in header
    assert tree.all("style")
    assert not tree.all("script")
    assert all(not e.attrs.get("src") for e in tree.walk())  # no external assets


def test_a_recital_page_marks_its_evidence_in_the_source_text(
    ld: TestClient, extracted: Graph
) -> None:
    recital = URIRef(ID + "recital/us-uk-ai-research-declaration-2020-3")
    [(start, end, quote)] = spans(extracted, extracted.value(recital, AK.evidence) or recital)
    source = SEED.read_text("utf-8")
    tree = page(ld, "/doc/recital/us-uk-ai-research-declaration-2020-3.html")
    [quoted] = tree.by_id("evidence").all("blockquote")
    assert (quoted.attrs["data-start"], quoted.attrs["data-end"]) == (str(start), str(end))
    [mark] = quoted.all("mark")
    assert mark.text == quote == source[start:end]
    before, after = quoted.children[0], quoted.children[2]
    assert isinstance(before, str)
    assert isinstance(after, str)
    assert before.startswith("…")
    assert source[:start].endswith(before.removeprefix("…"))
    assert source[end:].startswith(after.removesuffix("…"))
    assert "Desiring to harness AI technologies" in before  # recital 2 is its context
    incoming = tree.by_id("incoming")
    assert f"/id/{DECLARATION_PATH}" in {a.attrs["href"] for a in incoming.all("a")}


def test_an_evidence_page_quotes_its_own_span(ld: TestClient) -> None:
    tree = page(ld, "/doc/evidence/us-uk-ai-research-declaration-2020-legal-force.html")
    [mark] = tree.by_id("evidence").all("mark")
    assert mark.text == "intend"
    assert SEED.read_text("utf-8")[2572:2578] == "intend"


def test_a_changed_source_file_leaves_the_quote_alone(tmp_path: Path) -> None:
    inputs = tmp_path / "data"
    shutil.copytree(INPUTS, inputs)
    settings = Settings(data_dir=tmp_path / "var", input_dir=inputs)
    build(settings)
    source = inputs / "sources" / SEED.name
    source.write_text("Preface.\n" + source.read_text("utf-8"), "utf-8")
    with TestClient(create_app(settings)) as client:
        tree = page(client, "/doc/recital/us-uk-ai-research-declaration-2020-3.html")
    [quoted] = tree.by_id("evidence").all("blockquote")
    assert quoted.text.startswith("Recognizing the value of shared best practice")
    assert "changed since it was extracted" in tree.by_id("evidence").text


def test_the_2017_agreement_is_built_on_by_the_declaration(ld: TestClient) -> None:
    tree = page(ld, "/doc/instrument/us-uk-science-and-technology-agreement-2017.html")
    built_on_by = tree.by_id("built-on-by").all("a")
    assert [(a.attrs["href"], words(a.text)) for a in built_on_by] == [
        (
            f"/id/{DECLARATION_PATH}",
            "Declaration of the United States of America and the United Kingdom of Great "
            "Britain and Northern Ireland on Cooperation in Artificial Intelligence Research "
            "and Development",
        )
    ]


def test_external_identifiers_are_external_links(ld: TestClient) -> None:
    values = page(ld, "/doc/state/united-kingdom.html").by_id("properties").all("td")
    links = [a for td in values for a in td.all("a")]
    external = {a.attrs["href"] for a in links if a.attrs.get("rel") == "external"}
    assert external == {"http://www.wikidata.org/entity/Q145"}


def test_the_ontology_negotiates_with_vary(ld: TestClient) -> None:
    ontology = ontology_graph()
    for media, (extension, parser) in RDF_DOCUMENTS.items():
        response = ld.get("/ontology", headers={"Accept": media})
        assert response.status_code == 200
        assert response.headers["vary"].startswith("Accept")
        assert response.headers["content-location"] == f"/ontology.{extension}"
        assert isomorphic(Graph().parse(data=response.content, format=parser), ontology)
        direct = ld.get(f"/ontology.{extension}")
        assert direct.content == response.content
    html = ld.get("/ontology", headers={"Accept": BROWSER})
    assert html.headers["content-type"] == "text/html; charset=utf-8"
    assert html.headers["content-location"] == "/ontology.html"
    assert ld.get("/ontology", headers={"Accept": "image/png"}).status_code == 406
    assert ld.get("/ontology.exe").status_code == 404


def test_every_term_of_the_ontology_has_an_anchor_and_resolves(ld: TestClient) -> None:
    ontology = ontology_graph()
    anchors = {e.attrs["id"] for e in page(ld, "/ontology").walk() if "id" in e.attrs}
    terms = {
        term
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for term in ontology.subjects(RDF.type, kind)
        if isinstance(term, URIRef) and term in AK
    }
    assert len(terms) > 40
    for term in terms:
        assert term.fragment in anchors
        response = ld.get(f"/ontology/{term.fragment}", follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == f"/ontology#{term.fragment}"
    assert ld.get("/ontology/NoSuchTerm", follow_redirects=False).status_code == 404


def test_the_context_is_served_and_json_ld_documents_round_trip(ld: TestClient) -> None:
    served = ld.get("/context/v1.jsonld")
    assert served.headers["content-type"] == "application/ld+json"
    assert served.json() == {"@context": context()}
    turtle = Graph().parse(data=ld.get(f"/doc/{DECLARATION_PATH}.ttl").text, format="turtle")
    body = ld.get(f"/doc/{DECLARATION_PATH}.jsonld").content
    assert json.loads(body)["@context"] == context()
    assert isomorphic(Graph().parse(data=body, format="json-ld"), turtle)


def test_any_base_iri_resolves_under_id(tmp_path: Path) -> None:
    base = "http://example.test/kg/"
    settings = Settings(data_dir=tmp_path / "var", input_dir=INPUTS, base_iri=base)
    build(settings)
    with TestClient(create_app(settings)) as client:
        resolved = client.get(
            "/id/state/united-kingdom", headers={"Accept": "text/turtle"}, follow_redirects=False
        )
        assert resolved.headers["location"] == "/doc/state/united-kingdom.ttl"
        graph = Graph().parse(data=client.get(resolved.headers["location"]).text, format="turtle")
        assert (URIRef(base + "state/united-kingdom"), RDF.type, AK.State) in graph
        tree = page(client, f"/doc/{DECLARATION_PATH}.html")
        assert "/id/state/united-kingdom" in {a.attrs["href"] for a in tree.all("a")}
        assert client.get(f"/id/{DECLARATION_PATH}").status_code == 200  # followed to HTML


def test_a_live_server_resolves_iris(server: str) -> None:
    resolved = live.get(f"{server}/id/{DECLARATION_PATH}", headers={"Accept": "text/turtle"})
    assert resolved.status_code == 303
    assert resolved.headers["vary"].startswith("Accept")
    document = live.get(server + resolved.headers["location"])
    graph = Graph().parse(data=document.text, format="turtle")
    assert (
        DECLARATION,
        AK.buildsOn,
        URIRef(ID + "instrument/us-uk-science-and-technology-agreement-2017"),
    ) in graph
    html = live.get(
        f"{server}/id/{DECLARATION_PATH}", headers={"Accept": BROWSER}, follow_redirects=True
    )
    assert html.status_code == 200
    assert len(parse_html(html.text).by_id("recitals").all("li")) == 7
    head = live.head(f"{server}/doc/{DECLARATION_PATH}.jsonld")
    assert head.status_code == 200
    assert head.headers["content-type"] == "application/ld+json"
    assert head.content == b""
    missing = live.get(f"{server}/id/state/atlantis", headers={"Accept": BROWSER})
    assert missing.status_code == 404
    assert "Not found" in missing.text


def test_rdflib_reads_an_iri_as_n_triples(server: str) -> None:
    """rdflib's own `Graph.parse(url, format="nt")`, following the 303 like any client."""
    graph = Graph().parse(f"{server}/id/{DECLARATION_PATH}", format="nt")
    assert (
        DECLARATION,
        AK.buildsOn,
        URIRef(ID + "instrument/us-uk-science-and-technology-agreement-2017"),
    ) in graph
    ontology = Graph().parse(f"{server}/ontology", format="nt")
    assert isomorphic(ontology, ontology_graph())
