"""SHACL validation: the example conforms; each kind of breakage is rejected by name."""

from collections.abc import Callable
from contextlib import closing

import pytest
from rdflib import BNode, Graph, Literal, Node, URIRef
from rdflib.namespace import RDF, XSD

from accordkg.errors import ValidationError
from accordkg.namespaces import AK, OA
from accordkg.pipeline.validation import validate
from accordkg.settings import Settings
from accordkg.store import EmbeddedStore

ID = "https://w3id.org/accordkg/id/"
DECLARATION = URIRef(ID + "instrument/example-declaration")
SIGNATURE = URIRef(ID + "signature/example-declaration-1")
RECITAL = URIRef(ID + "recital/example-declaration-1")
COMMITMENT = URIRef(ID + "commitment/example-declaration-1")
EVIDENCE = URIRef(ID + "evidence/example-declaration-recital-1")


def test_example_conforms(example: Graph) -> None:
    validate(example)


Breakage = Callable[[Graph], None]


def _remove(subject: URIRef, predicate: URIRef) -> Breakage:
    def breakage(graph: Graph) -> None:
        graph.remove((subject, predicate, None))

    return breakage


def _set(subject: URIRef, predicate: URIRef, value: Node) -> Breakage:
    def breakage(graph: Graph) -> None:
        graph.set((subject, predicate, value))

    return breakage


def _add(subject: URIRef, predicate: URIRef, value: Node) -> Breakage:
    def breakage(graph: Graph) -> None:
        graph.add((subject, predicate, value))

    return breakage


def _one_party(graph: Graph) -> None:
    graph.remove((DECLARATION, AK.party, URIRef(ID + "party/freedonia")))


def _unilateral_with_one_party(graph: Graph) -> None:
    _one_party(graph)
    graph.add((DECLARATION, RDF.type, AK.UnilateralInstrument))


def _start_at(start: Literal) -> Breakage:
    def breakage(graph: Graph) -> None:
        target = graph.value(EVIDENCE, OA.hasTarget)
        for selector in graph.objects(target, OA.hasSelector):
            if (selector, RDF.type, OA.TextPositionSelector) in graph:
                graph.set((selector, OA.start, start))

    return breakage


def _evidence_without_target(graph: Graph) -> None:
    graph.remove((EVIDENCE, OA.hasTarget, None))
    graph.add((EVIDENCE, OA.hasTarget, BNode()))


BREAKAGES = [
    ("no title", _remove(DECLARATION, AK.title), "needs a title"),
    ("untagged title", _set(DECLARATION, AK.title, Literal("Plain")), "needs a title"),
    ("one party", _one_party, "two parties (ak:party) or more"),
    ("string date", _set(DECLARATION, AK.dateSigned, Literal("2022-03-03")), "date signed"),
    (
        "date out of range",
        _set(DECLARATION, AK.dateSigned, Literal("1750-01-01", datatype=XSD.date)),
        "date signed",
    ),
    (
        "two dates",
        _add(DECLARATION, AK.dateSigned, Literal("2022-03-04", datatype=XSD.date)),
        "date signed",
    ),
    ("zero originals", _set(DECLARATION, AK.numberOfOriginals, Literal(0)), "number of originals"),
    ("unknown legal force", _set(DECLARATION, AK.legalForce, AK.intention), "legal force"),
    (
        "three-letter language",
        _set(DECLARATION, URIRef("http://purl.org/dc/terms/language"), Literal("eng")),
        "ISO 639-1",
    ),
    ("signature without signatory", _remove(SIGNATURE, AK.signatory), "signatory"),
    ("signature without party", _remove(SIGNATURE, AK.onBehalfOf), "ak:onBehalfOf"),
    ("signature without evidence", _remove(SIGNATURE, AK.evidence), "signature needs evidence"),
    ("recital without text", _remove(RECITAL, AK.text), "non-empty text"),
    ("recital with empty text", _set(RECITAL, AK.text, Literal("")), "non-empty text"),
    ("recital without position", _remove(RECITAL, AK.position), "1-based position"),
    ("recital at position zero", _set(RECITAL, AK.position, Literal(0)), "1-based position"),
    ("recital without evidence", _remove(RECITAL, AK.evidence), "needs evidence"),
    ("recital without opening word", _remove(RECITAL, AK.openingWord), "opening word"),
    ("commitment without text", _remove(COMMITMENT, AK.text), "non-empty text"),
    ("commitment without position", _remove(COMMITMENT, AK.position), "1-based position"),
    ("commitment without evidence", _remove(COMMITMENT, AK.evidence), "needs evidence"),
    ("commitment with two modalities", _add(COMMITMENT, AK.modality, AK.obligation), "modality"),
    (
        "evidence span ends before it starts",
        _start_at(Literal(500, datatype=XSD.nonNegativeInteger)),
        "before its oa:end",
    ),
    ("negative offset", _start_at(Literal(-1, datatype=XSD.integer)), "before its oa:end"),
    ("offset as text", _start_at(Literal("10")), "before its oa:end"),
    ("evidence without selectors", _evidence_without_target, "Evidence needs a target"),
]


@pytest.mark.parametrize(
    ("breakage", "expected"),
    [(b, e) for _, b, e in BREAKAGES],
    ids=[name for name, _, _ in BREAKAGES],
)
def test_each_breakage_is_rejected_with_its_message(
    example: Graph, breakage: Breakage, expected: str
) -> None:
    breakage(example)
    with pytest.raises(ValidationError) as caught:
        validate(example)
    messages = [v.message for v in caught.value.violations]
    assert any(expected in message for message in messages), messages


def test_a_unilateral_instrument_may_have_one_party(example: Graph) -> None:
    _unilateral_with_one_party(example)
    validate(example)


def test_violation_names_the_focus_node_and_path(example: Graph) -> None:
    example.remove((SIGNATURE, AK.signatory, None))
    with pytest.raises(ValidationError) as caught:
        validate(example)
    (violation,) = caught.value.violations
    assert violation.focus_node == SIGNATURE.n3()
    assert violation.path == AK.signatory.n3()
    assert SIGNATURE.n3() in str(caught.value)


def test_what_the_store_gives_back_conforms(built_settings: Settings) -> None:
    """Oxigraph keeps an xsd:nonNegativeInteger offset as the xsd:integer of the same
    value: the graph read back from the store (as dumps and exports read it) must still
    conform."""
    with closing(EmbeddedStore(built_settings.store_dir)) as store:
        graph = store.construct("CONSTRUCT WHERE { ?s ?p ?o }")
    offsets = {o.datatype for o in graph.objects(None, OA.start) if isinstance(o, Literal)}
    assert offsets == {XSD.integer}
    validate(graph)
