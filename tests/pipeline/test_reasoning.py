"""HermiT on the ontology plus instance data: consistent examples pass, contradictions fail."""

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from accordkg.errors import InconsistencyError
from accordkg.namespaces import AK
from accordkg.pipeline.reasoning import check_consistency

ID = "https://w3id.org/accordkg/id/"
DECLARATION = URIRef(ID + "instrument/example-declaration")
PERSON = URIRef(ID + "person/ann-example")
SIGNATURE = URIRef(ID + "signature/example-declaration-1")


def test_example_graph_with_dates_is_consistent(example: Graph) -> None:
    assert (DECLARATION, AK.dateSigned, Literal("2022-03-03", datatype=XSD.date)) in example
    check_consistency(example)


@pytest.mark.parametrize(
    ("description", "extra"),
    [
        ("a person that is also a state", [(PERSON, RDF.type, AK.State)]),
        ("a declaration that is also an agreement", [(DECLARATION, RDF.type, AK.Agreement)]),
        ("binding and non-binding at once", [(DECLARATION, AK.legalForce, AK.binding)]),
        ("a state as a signatory", [(SIGNATURE, AK.signatory, URIRef(ID + "party/freedonia"))]),
        (
            "a modality on an instrument, not a commitment",
            [(DECLARATION, AK.modality, AK.intention)],
        ),
    ],
)
def test_contradictions_are_found(
    example: Graph, description: str, extra: list[tuple[URIRef, URIRef, URIRef]]
) -> None:
    for triple in extra:
        example.add(triple)
    with pytest.raises(InconsistencyError):
        check_consistency(example)
