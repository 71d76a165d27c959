"""The genre, not one document: variants written the ways such instruments are published.

Each variant is extracted and validated without code changes, and its facts checked:
three parties, a missing preamble, "3 March 2022", numbered and lettered items, other
recital verbs and lead-ins, "Done at", honorific-less signature blocks, a statement of
non-binding character, a unilateral declaration, a page with chrome and release notes.
"""

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, XSD

from accordkg.extraction import ExtractedDocument, extract_file
from accordkg.extraction.registry import Registry
from accordkg.namespaces import AK, DEFAULT_BASE_IRI
from accordkg.pipeline.validation import validate
from tests.conftest import INPUTS
from tests.graphs import one, spans, text

VARIANTS = Path(__file__).parent / "variants"
MINTED = "is not in the gazetteer or the records: minted from its name"
ID = DEFAULT_BASE_IRI


@dataclass(frozen=True)
class Expected:
    form: URIRef
    parties: dict[str, URIRef]  # IRI tail -> class
    recital_words: list[str]
    modalities: list[URIRef]
    date_signed: Literal
    places: set[str]
    originals: int | None
    languages: set[str]
    legal_force: URIRef
    signatures: list[tuple[str, str | None, str | None, str | None]]  # name, honorific, office, org
    warnings: list[str] = field(default_factory=list)
    mechanisms: set[str] = field(default_factory=set)
    references: dict[str, tuple[URIRef, Literal | None]] = field(default_factory=dict)
    unilateral: bool = False


CASES = {
    "trilateral-joint-statement": Expected(
        form=AK.JointStatement,
        parties={
            "state/republic-of-ruritania": AK.State,
            "state/kingdom-of-freedonia": AK.State,
            "state/federal-republic-of-sylvania": AK.State,
        },
        recital_words=["Affirming", "Noting", "Acknowledging", "Welcoming"],
        modalities=[AK.intention] * 3,
        date_signed=Literal("2022-03-03", datatype=XSD.date),
        places={"Geneva"},
        originals=3,
        languages={"en", "fr", "es"},
        legal_force=AK.nonBinding,
        signatures=[
            ("Anna Kovac", None, "Minister of Science and Education", None),
            (
                "Pierre Laval",
                "Dr.",
                "Secretary of State for Research",
                "Ministry of Higher Education",
            ),
            ("Maria Lopez", None, "Ambassador to the Conference on Disarmament", None),
        ],
        mechanisms={"trilateral working group"},
        warnings=[
            f"party 'the Republic of Ruritania' {MINTED}",
            f"party 'the Kingdom of Freedonia' {MINTED}",
            f"party 'the Federal Republic of Sylvania' {MINTED}",
        ],
        references={
            "instrument/memorandum-of-understanding-between-the-ruritanian-science"
            "-council-1873fd38": (
                AK.MemorandumOfUnderstanding,
                Literal("2021-06", datatype=XSD.gYearMonth),
            )
        },
    ),
    "agency-mou-without-preamble": Expected(
        form=AK.MemorandumOfUnderstanding,
        parties={
            "organization/national-research-council-of-ruritania": AK.Organization,
            "organization/freedonian-space-agency": AK.Organization,
        },
        recital_words=[],
        modalities=[AK.undertaking] * 3 + [AK.permission],
        date_signed=Literal("2022-03-03", datatype=XSD.date),
        places={"Ottawa"},
        originals=2,
        languages={"en"},
        legal_force=AK.nonBinding,
        signatures=[
            ("Jana Novak", None, "President", None),
            ("Lin Wei", "Professor", "Director General", None),
        ],
        warnings=[
            f"party 'the National Research Council of Ruritania' {MINTED}",
            f"party 'the Freedonian Space Agency' {MINTED}",
            "preamble: none found",
        ],
    ),
    "published-bilateral-declaration": Expected(
        form=AK.Declaration,
        parties={"state/united-states": AK.State, "state/republic-of-ruritania": AK.State},
        recital_words=["Bearing", "Mindful", "Reaffirming"],
        modalities=[AK.undertaking] * 3 + [AK.endeavour],
        date_signed=Literal("2023-07-14", datatype=XSD.date),
        places={"Washington"},
        originals=2,
        languages={"en"},
        legal_force=AK.nonBinding,
        signatures=[
            (
                "John Smith",
                "His Excellency",
                "Under Secretary of State for Economic Growth",
                "U.S. Department of State",
            ),
            ("Elena Markovic", "Her Excellency", "Minister of Innovation", None),
        ],
        warnings=[f"party 'the Republic of Ruritania' {MINTED}"],
        references={
            "instrument/agreement-on-scientific-cooperation-between-the-united-states"
            "-of-america-b513e822": (
                AK.Agreement,
                Literal("2015", datatype=XSD.gYear),
            )
        },
    ),
    "unilateral-declaration": Expected(
        form=AK.Declaration,
        parties={"state/ruritania": AK.State},
        recital_words=["Recognizing"],
        modalities=[AK.intention],
        date_signed=Literal("2024-05-01", datatype=XSD.date),
        places={"Zenda"},
        originals=None,
        languages={"en"},
        legal_force=AK.nonBinding,
        signatures=[("Rudolf Rassendyll", "Dr.", "Prime Minister", None)],
        unilateral=True,
        warnings=[f"party 'the Government of Ruritania' {MINTED}"],
    ),
}


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load(INPUTS, DEFAULT_BASE_IRI)


@pytest.fixture(scope="module", params=sorted(CASES))
def case(
    request: pytest.FixtureRequest, registry: Registry
) -> tuple[Expected, ExtractedDocument, Graph]:
    name = request.param
    document = extract_file(VARIANTS / f"{name}.txt", registry, DEFAULT_BASE_IRI, 1_000_000)
    return CASES[name], document, document.graph + registry.graph


def _instrument(graph: Graph) -> URIRef:
    (instrument,) = {s for s in graph.subjects(AK.source, None) if isinstance(s, URIRef)}
    return instrument


def _ordered(graph: Graph, instrument: URIRef, link: URIRef) -> list[URIRef]:
    items = [i for i in graph.objects(instrument, link) if isinstance(i, URIRef)]
    return sorted(items, key=lambda i: int(str(graph.value(i, AK.position))))


def test_variant_conforms_to_the_shapes(case: tuple[Expected, ExtractedDocument, Graph]) -> None:
    _, _, graph = case
    validate(graph)


def test_variant_form_parties_and_legal_force(
    case: tuple[Expected, ExtractedDocument, Graph],
) -> None:
    expected, _, graph = case
    instrument = _instrument(graph)
    assert (instrument, RDF.type, expected.form) in graph
    assert ((instrument, RDF.type, AK.UnilateralInstrument) in graph) == expected.unilateral
    parties = {str(p).removeprefix(ID): p for p in graph.objects(instrument, AK.party)}
    assert set(parties) == set(expected.parties)
    for tail, cls in expected.parties.items():
        assert (parties[tail], RDF.type, cls) in graph
    assert graph.value(instrument, AK.legalForce) == expected.legal_force


def test_variant_provisions(case: tuple[Expected, ExtractedDocument, Graph]) -> None:
    expected, _, graph = case
    instrument = _instrument(graph)
    recitals = _ordered(graph, instrument, AK.recital)
    assert [str(graph.value(r, AK.openingWord)) for r in recitals] == expected.recital_words
    commitments = _ordered(graph, instrument, AK.commitment)
    assert [graph.value(c, AK.modality) for c in commitments] == expected.modalities
    for commitment in commitments:  # item numbers and letters are not part of the text
        assert not str(graph.value(commitment, AK.text)).startswith(("1.", "(a)"))
    mechanisms = {
        str(graph.value(m, RDFS.label))
        for c in commitments
        for m in graph.objects(c, AK.establishes)
    }
    assert mechanisms == expected.mechanisms


def test_variant_signing(case: tuple[Expected, ExtractedDocument, Graph]) -> None:
    expected, _, graph = case
    instrument = _instrument(graph)
    assert graph.value(instrument, AK.dateSigned) == expected.date_signed
    places = {str(graph.value(p, RDFS.label)) for p in graph.objects(instrument, AK.placeOfSigning)}
    assert places == expected.places
    originals = text(graph, instrument, AK.numberOfOriginals)
    assert (int(originals) if originals else None) == expected.originals
    assert {str(v) for v in graph.objects(instrument, DCTERMS.language)} == expected.languages


def test_variant_signatures(case: tuple[Expected, ExtractedDocument, Graph]) -> None:
    expected, _, graph = case
    instrument = _instrument(graph)
    signatures = sorted(s for s in graph.objects(instrument, AK.signature) if isinstance(s, URIRef))
    found = []
    for signature in signatures:
        organization = graph.value(signature, AK.organization)
        found.append(
            (
                text(graph, one(graph, signature, AK.signatory), FOAF.name),
                text(graph, signature, AK.honorific),
                text(graph, signature, AK.officeTitle),
                text(graph, organization, RDFS.label) if organization else None,
            )
        )
    assert found == expected.signatures


def test_variant_references(case: tuple[Expected, ExtractedDocument, Graph]) -> None:
    expected, _, graph = case
    instrument = _instrument(graph)
    cited = {str(i).removeprefix(ID): i for i in graph.objects(instrument, AK.cites)}
    assert set(cited) == set(expected.references)
    for tail, (form, date) in expected.references.items():
        assert (cited[tail], RDF.type, form) in graph
        assert graph.value(cited[tail], AK.dateSigned) == date


def test_variant_warnings_name_the_missing_part(
    case: tuple[Expected, ExtractedDocument, Graph],
) -> None:
    expected, document, _ = case
    assert list(document.warnings) == expected.warnings


def test_variant_evidence_quotes_its_span(case: tuple[Expected, ExtractedDocument, Graph]) -> None:
    _, document, graph = case
    raw = document.path.read_text("utf-8")
    evidences = list(graph.subjects(RDF.type, AK.Evidence))
    assert len(evidences) > 5
    for evidence in evidences:
        for start, end, quote in spans(graph, evidence):
            assert raw[start:end] == quote
