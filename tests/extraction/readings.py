"""What the tests of the rule tables (legal force, modality) share: the rule tables are
tested phrase by phrase, for what each reads and the words it quotes as evidence. The
phrases are written in the register of memoranda, declarations and treaties; none is
copied from a published text."""

from rdflib.namespace import SKOS

from accordkg.extraction.reading import Reading
from accordkg.namespaces import AK
from accordkg.resources import ontology_graph


def assert_reading(
    reading: Reading | None, text: str, expected: str | None, quote: str | None
) -> None:
    """The rule read `expected`, quoting `quote` from `text` (nothing, where None)."""
    if expected is None:
        assert reading is None
        return
    assert reading is not None
    assert reading.value == expected
    assert text[reading.start : reading.end] == quote


def ontology_scheme(name: str) -> set[str]:
    """The local names of the top concepts of one of the ontology's concept schemes."""
    concepts = ontology_graph().objects(AK[name], SKOS.hasTopConcept)
    return {str(concept).removeprefix(str(AK)) for concept in concepts}
