"""Every fact the issue lists, checked exactly against the 2020 US-UK declaration."""

import json
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from accordkg.extraction import ExtractedDocument, extract_file
from accordkg.extraction.registry import Registry
from accordkg.linking.sssom import parse_sssom, to_graph
from accordkg.namespaces import AK, DEFAULT_BASE_IRI
from tests.conftest import INPUTS, SEED
from tests.graphs import one, spans, text

ID = DEFAULT_BASE_IRI
DECLARATION = URIRef(ID + "instrument/us-uk-ai-research-declaration-2020")
US = URIRef(ID + "state/united-states")
UK = URIRef(ID + "state/united-kingdom")
NSF = URIRef(ID + "organization/us-national-science-foundation")
UKRI = URIRef(ID + "organization/uk-research-and-innovation")
AGREEMENT_2017 = URIRef(ID + "instrument/us-uk-science-and-technology-agreement-2017")
MOU = URIRef(ID + "instrument/nsf-ukri-mou-research-cooperation")
WIKIDATA = "http://www.wikidata.org/entity/"
EXPECTED = json.loads((Path(__file__).parent / "seed_provisions.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load(INPUTS, DEFAULT_BASE_IRI)


@pytest.fixture(scope="module")
def document(registry: Registry) -> ExtractedDocument:
    return extract_file(SEED, registry, DEFAULT_BASE_IRI, 5_000_000)


@pytest.fixture(scope="module")
def graph(document: ExtractedDocument, registry: Registry) -> Graph:
    """The document's graph with the curated records and the links out of data/."""
    links = parse_sssom((INPUTS / "mappings.sssom.tsv").read_text("utf-8"), "mappings")
    return document.graph + registry.graph + to_graph(links)


def _ordered(graph: Graph, link: URIRef) -> list[URIRef]:
    items = [i for i in graph.objects(DECLARATION, link) if isinstance(i, URIRef)]
    return sorted(items, key=lambda i: int(str(one(graph, i, AK.position))))


def _quote(graph: Graph, resource: URIRef) -> str:
    ((_, _, quote),) = spans(graph, one(graph, resource, AK.evidence))
    return quote


def test_the_instrument(graph: Graph) -> None:
    assert (DECLARATION, RDF.type, AK.Declaration) in graph
    assert (DECLARATION, RDF.type, AK.Instrument) in graph
    title = (
        "Declaration of the United States of America and the United Kingdom of Great Britain "
        "and Northern Ireland on Cooperation in Artificial Intelligence Research and "
        "Development: A Shared Vision for Driving Technological Breakthroughs in Artificial "
        "Intelligence"
    )
    assert one(graph, DECLARATION, AK.title) == Literal(title, lang="en")
    assert one(graph, DECLARATION, AK.subtitle) == Literal(
        "A Shared Vision for Driving Technological Breakthroughs in Artificial Intelligence",
        lang="en",
    )
    assert one(graph, DECLARATION, AK.dateSigned) == Literal("2020-09-25", datatype=XSD.date)
    places = {str(one(graph, p, RDFS.label)) for p in graph.objects(DECLARATION, AK.placeOfSigning)}
    assert places == {"London", "Washington"}
    assert one(graph, DECLARATION, AK.numberOfOriginals) == Literal(2)
    assert one(graph, DECLARATION, DCTERMS.language) == Literal("en")
    assert _quote(graph, DECLARATION) == title


def test_legal_force_is_non_binding_because_the_parties_intend(graph: Graph) -> None:
    assert one(graph, DECLARATION, AK.legalForce) == AK.nonBinding
    ((start, end, quote),) = spans(graph, one(graph, DECLARATION, AK.legalForceEvidence))
    assert quote == "intend"
    assert end - start == len("intend")


def test_the_parties_are_the_two_states_with_wikidata_links(graph: Graph) -> None:
    assert set(graph.objects(DECLARATION, AK.party)) == {US, UK}
    for state, qid in [(US, "Q30"), (UK, "Q145")]:
        assert (state, RDF.type, AK.State) in graph
        assert (state, SKOS.exactMatch, URIRef(WIKIDATA + qid)) in graph
    assert one(graph, US, RDFS.label) == Literal("United States of America", lang="en")
    assert one(graph, UK, RDFS.label) == Literal(
        "United Kingdom of Great Britain and Northern Ireland", lang="en"
    )


def test_the_release_and_its_event(graph: Graph) -> None:
    source = one(graph, DECLARATION, AK.source)
    assert one(graph, source, AK.releaseType) == Literal("Other Release")
    assert one(graph, source, DCTERMS.issued) == Literal("2020-09-25", datatype=XSD.date)
    bureau = one(graph, source, DCTERMS.creator)
    assert one(graph, bureau, RDFS.label) == Literal(
        "Bureau of Oceans and International Environmental and Scientific Affairs", lang="en"
    )
    publisher = one(graph, source, DCTERMS.publisher)
    assert one(graph, publisher, RDFS.label) == Literal("U.S. Department of State", lang="en")
    event = one(graph, DECLARATION, AK.releasedAt)
    assert one(graph, event, RDFS.label) == Literal(
        "Inaugural meeting of the Special Relationship Economic Working Group", lang="en"
    )
    assert one(graph, event, AK.eventDate) == Literal("2020-09-25", datatype=XSD.date)


def test_seven_recitals_in_order(graph: Graph) -> None:
    recitals = _ordered(graph, AK.recital)
    assert [str(one(graph, r, AK.text)) for r in recitals] == EXPECTED["recitals"]
    words = [str(one(graph, r, AK.openingWord)) for r in recitals]
    assert words == ["Recognizing", "Desiring", *["Recognizing"] * 5]


def test_the_operative_lead_in_is_repaired(graph: Graph) -> None:
    lead_in = one(graph, DECLARATION, AK.operativeLeadIn)
    assert str(one(graph, lead_in, AK.text)) == EXPECTED["lead_in"]


def test_five_commitments_in_order_all_intentions(graph: Graph) -> None:
    commitments = _ordered(graph, AK.commitment)
    assert [str(one(graph, c, AK.text)) for c in commitments] == EXPECTED["commitments"]
    assert {one(graph, c, AK.modality) for c in commitments} == {AK.intention}
    established = [list(graph.objects(c, AK.establishes)) for c in commitments]
    assert established[:4] == [[], [], [], []]
    (dialogue,) = established[4]
    assert (dialogue, RDF.type, AK.CooperationMechanism) in graph
    assert one(graph, dialogue, RDFS.label) == Literal(
        "bilateral government-to-government dialogue", lang="en"
    )


def test_the_signing_clause(graph: Graph) -> None:
    clause = one(graph, DECLARATION, AK.signingClause)
    assert str(one(graph, clause, AK.text)) == EXPECTED["signing_clause"]


def test_builds_on_the_2017_agreement(graph: Graph) -> None:
    assert list(graph.objects(DECLARATION, AK.buildsOn)) == [AGREEMENT_2017]
    assert (AGREEMENT_2017, RDF.type, AK.Agreement) in graph
    assert one(graph, AGREEMENT_2017, AK.dateSigned) == Literal("2017-09", datatype=XSD.gYearMonth)
    lead_in = one(graph, DECLARATION, AK.operativeLeadIn)
    assert (lead_in, AK.refersTo, AGREEMENT_2017) in graph


def test_cites_the_nsf_ukri_mou_from_the_first_commitment(graph: Graph) -> None:
    assert list(graph.objects(DECLARATION, AK.cites)) == [MOU]
    assert (MOU, RDF.type, AK.MemorandumOfUnderstanding) in graph
    first = _ordered(graph, AK.commitment)[0]
    assert list(graph.objects(first, AK.refersTo)) == [MOU]
    assert set(graph.objects(MOU, AK.party)) == {NSF, UKRI}
    assert (NSF, RDF.type, AK.Organization) in graph
    assert (UKRI, RDF.type, AK.Organization) in graph
    assert set(graph.objects(NSF, SKOS.exactMatch)) == {
        URIRef(WIKIDATA + "Q304878"),
        URIRef("https://ror.org/021nxhr62"),
    }
    assert set(graph.objects(UKRI, SKOS.exactMatch)) == {URIRef("https://ror.org/001aqnf71")}


SIGNATURES = [
    # name, honorific, post-nominals, office, organization, party
    ("Michael J.K. Kratsios", "The Honorable", None,
     "Chief Technology Officer of the United States", "The White House", US),
    ("Alok Sharma", "The Right Honorable", "MP", "Secretary of State",
     "Department for Business, Energy, and Industrial Strategy", UK),
    ("Oliver Dowden", "The Right Honorable", "CBE MP", "Secretary of State",
     "Department for Digital, Culture, Media, and Sport", UK),
]  # fmt: skip


def test_three_signatures(graph: Graph) -> None:
    signatures = sorted(
        s for s in graph.objects(DECLARATION, AK.signature) if isinstance(s, URIRef)
    )
    assert len(signatures) == 3
    found = []
    for signature in signatures:
        person = one(graph, signature, AK.signatory)
        organization = one(graph, signature, AK.organization)
        found.append(
            (
                text(graph, person, FOAF.name),
                text(graph, signature, AK.honorific),
                text(graph, signature, AK.postNominals),
                text(graph, signature, AK.officeTitle),
                text(graph, organization, RDFS.label),
                one(graph, signature, AK.onBehalfOf),
            )
        )
        assert (person, RDF.type, AK.Person) in graph
        assert (organization, RDF.type, AK.Organization) in graph
    assert found == SIGNATURES


THEMES = {
    "recital-3": {"public-data-sets", "regulatory-frameworks"},
    "recital-5": {"trust"},
    "recital-6": {"workforce", "stem-education"},
    "recital-7": {"public-private-partnerships", "technology-commercialization"},
    "commitment-2": {"interdisciplinary-research", "intelligent-systems"},
    "commitment-3": {"public-private-partnerships", "researcher-mobility"},
}


@pytest.mark.parametrize("provision", sorted(THEMES))
def test_themes_are_linked_from_the_provisions_that_name_them(graph: Graph, provision: str) -> None:
    kind, number = provision.rsplit("-", 1)
    iri = URIRef(f"{ID}{kind}/us-uk-ai-research-declaration-2020-{number}")
    themes = {str(t).rsplit("/", 1)[1] for t in graph.objects(iri, AK.theme)}
    assert THEMES[provision] <= themes
    for theme in graph.objects(iri, AK.theme):
        assert (theme, RDF.type, SKOS.Concept) in graph
        assert (theme, SKOS.prefLabel, None) in graph


def test_the_source_is_the_scraped_page_byte_for_byte() -> None:
    scraped = INPUTS.parent.parent / "shared" / "seed" / "000_ee7004e97d7c9f67.txt"
    assert SEED.read_bytes() == scraped.read_bytes()
