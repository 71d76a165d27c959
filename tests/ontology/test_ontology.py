"""The ontology files themselves: they parse, and they declare the vocabulary contract."""

from importlib.resources import files

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from accordkg.namespaces import AK, ELI, OA, ONTOLOGY_IRI, ORG, SCHEMA
from accordkg.resources import ONTOLOGY_MODULES, SHAPES, ontology_graph

# The vocabulary contract of DESIGN.md, spelled out independently of the ontology file.
CONTRACT_CLASSES = {
    "Instrument": None,
    "Declaration": "Instrument",
    "JointStatement": "Instrument",
    "MemorandumOfUnderstanding": "Instrument",
    "Agreement": "Instrument",
    "Party": None,
    "State": "Party",
    "Organization": "Party",
    "Person": None,
    "Signature": None,
    "Recital": None,
    "Commitment": None,
    "CooperationMechanism": None,
    "Event": None,
    "Place": None,
    "SourceDocument": None,
    "Evidence": None,
}
CONTRACT_OBJECT_PROPERTIES = {
    "placeOfSigning": "Place",
    "party": "Party",
    "signature": "Signature",
    "recital": "Recital",
    "commitment": "Commitment",
    "buildsOn": "Instrument",
    "cites": "Instrument",
    "legalForce": None,
    "releasedAt": "Event",
    "source": "SourceDocument",
    "signatory": "Person",
    "onBehalfOf": "Party",
    "organization": "Organization",
    "modality": None,
    "establishes": "CooperationMechanism",
    "evidence": "Evidence",
}
CONTRACT_DATATYPE_PROPERTIES = [
    "title",
    "subtitle",
    "dateSigned",
    "numberOfOriginals",
    "officeTitle",
    "honorific",
    "text",
    "position",
    "openingWord",
]
CONTRACT_CONCEPTS = {
    "binding": "legalForceScheme",
    "nonBinding": "legalForceScheme",
    "intention": "modalityScheme",
    "obligation": "modalityScheme",
}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return ontology_graph()


@pytest.mark.parametrize("name", [*ONTOLOGY_MODULES, SHAPES])
def test_every_packaged_turtle_file_parses(name: str) -> None:
    text = files("accordkg.ontology").joinpath(name).read_text("utf-8")
    assert len(Graph().parse(data=text, format="turtle")) > 50


def test_header_carries_version_licence_and_dates(ontology: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    for predicate in (
        OWL.versionIRI,
        OWL.versionInfo,
        DCTERMS.title,
        DCTERMS.description,
        DCTERMS.license,
        DCTERMS.created,
    ):
        assert ontology.value(ONTOLOGY_IRI, predicate) is not None, predicate
    assert str(ontology.value(ONTOLOGY_IRI, OWL.versionIRI)).endswith(
        str(ontology.value(ONTOLOGY_IRI, OWL.versionInfo))
    )


@pytest.mark.parametrize("name", sorted(CONTRACT_CLASSES))
def test_contract_class_is_declared_with_its_superclass(ontology: Graph, name: str) -> None:
    cls = AK[name]
    assert (cls, RDF.type, OWL.Class) in ontology
    parent = CONTRACT_CLASSES[name]
    if parent:
        assert (cls, RDFS.subClassOf, AK[parent]) in ontology


@pytest.mark.parametrize("name", sorted(CONTRACT_OBJECT_PROPERTIES))
def test_contract_object_property_is_declared_with_its_range(ontology: Graph, name: str) -> None:
    prop = AK[name]
    assert (prop, RDF.type, OWL.ObjectProperty) in ontology
    expected_range = CONTRACT_OBJECT_PROPERTIES[name]
    if expected_range:
        assert (prop, RDFS.range, AK[expected_range]) in ontology


@pytest.mark.parametrize("name", CONTRACT_DATATYPE_PROPERTIES)
def test_contract_datatype_property_is_declared(ontology: Graph, name: str) -> None:
    assert (AK[name], RDF.type, OWL.DatatypeProperty) in ontology


def test_every_ak_term_has_an_english_label_and_comment(ontology: Graph) -> None:
    terms = {s for s in ontology.subjects() if isinstance(s, URIRef) and s in AK}
    assert len(terms) > 50
    missing = [
        str(term)
        for term in terms
        for predicate in (RDFS.label, RDFS.comment)
        if not any(
            isinstance(v, Literal) and v.language == "en" for v in ontology.objects(term, predicate)
        )
    ]
    assert missing == []


def test_evidence_is_a_web_annotation(ontology: Graph) -> None:
    assert (AK.Evidence, RDFS.subClassOf, OA.Annotation) in ontology


@pytest.mark.parametrize(("concept", "scheme"), sorted(CONTRACT_CONCEPTS.items()))
def test_code_lists_are_skos_concept_schemes(ontology: Graph, concept: str, scheme: str) -> None:
    assert (AK[scheme], RDF.type, SKOS.ConceptScheme) in ontology
    assert (AK[concept], SKOS.inScheme, AK[scheme]) in ontology
    assert (AK[concept], RDF.type, SKOS.Concept) in ontology


def test_persons_are_declared_disjoint_from_parties(ontology: Graph) -> None:
    disjoint_sets = [set(ontology.items(m)) for m in ontology.objects(None, OWL.members)]
    assert any({AK.Person, AK.Party} <= members for members in disjoint_sets)


def test_nothing_is_imported(ontology: Graph) -> None:
    assert list(ontology.objects(None, OWL.imports)) == []


@pytest.mark.parametrize(
    "namespace",
    [
        str(ELI),
        str(SCHEMA),
        "http://xmlns.com/foaf/0.1/",
        str(ORG),
        "http://www.w3.org/ns/prov#",
        str(DCTERMS),
    ],
)
def test_alignment_module_maps_into_each_target_vocabulary(namespace: str) -> None:
    text = files("accordkg.ontology").joinpath("alignments.ttl").read_text("utf-8")
    alignments = Graph().parse(data=text, format="turtle")
    mapped = [
        target
        for predicate in (RDFS.subClassOf, RDFS.subPropertyOf)
        for source, target in alignments.subject_objects(predicate)
        if isinstance(source, URIRef) and source in AK and str(target).startswith(namespace)
    ]
    assert mapped, f"no alignment axiom into {namespace}"
