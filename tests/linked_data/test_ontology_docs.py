"""The generated ontology documentation: every term documented, anchored, self-contained."""

from html import unescape
from html.parser import HTMLParser

import pytest
from rdflib import URIRef
from rdflib.namespace import OWL, RDF, RDFS

from accordkg.linked_data.ontology_docs import render_ontology_html
from accordkg.namespaces import AK
from accordkg.resources import ontology_graph


class _Page(HTMLParser):
    """Collects element ids and every attribute that would load something."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.loads: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            if name == "id" and value:
                self.ids.append(value)
            if name == "src" or (tag == "link" and name == "href"):
                self.loads.append(f"{tag} {name}={value}")


@pytest.fixture(scope="module")
def page() -> _Page:
    parser = _Page()
    parser.feed(render_ontology_html(ontology_graph()))
    return parser


def test_every_class_and_property_has_an_anchor(page: _Page) -> None:
    ontology = ontology_graph()
    terms = {
        t.fragment
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property)
        for t in ontology.subjects(RDF.type, kind)
        if isinstance(t, URIRef) and t in AK
    }
    assert {"Instrument", "dateSigned", "evidence", "assertedValue"} <= terms
    assert terms <= set(page.ids)


def test_anchors_are_unique(page: _Page) -> None:
    assert len(page.ids) == len(set(page.ids))


def test_page_loads_nothing_from_anywhere(page: _Page) -> None:
    assert page.loads == []
    assert "script" not in page.tags


def test_labels_and_comments_are_shown() -> None:
    ontology = ontology_graph()
    html = unescape(render_ontology_html(ontology))
    comment = " ".join(str(ontology.value(AK.Signature, RDFS.comment)).split())
    assert "signature" in html
    assert comment in html
    assert "xsd:date or xsd:gYearMonth or xsd:gYear" in html
