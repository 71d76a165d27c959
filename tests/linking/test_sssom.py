"""SSSOM/TSV: read, checked, turned into RDF and written back unchanged."""

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, SKOS

from accordkg.errors import InputError
from accordkg.linking.sssom import from_graph, parse_sssom, to_graph, write_sssom
from accordkg.namespaces import SSSOM, WIKIDATA
from tests.conftest import INPUTS

TABLE = (INPUTS / "mappings.sssom.tsv").read_text("utf-8")
UK = URIRef("https://w3id.org/accordkg/id/state/united-kingdom")
HEADER = "subject_id\tpredicate_id\tobject_id\tmapping_justification"
METADATA = (
    "#curie_map:\n#  accordkg: https://w3id.org/accordkg/id/\n"
    "#  wikidata: http://www.wikidata.org/entity/\n"
    "#mapping_set_id: https://example.org/set\n#license: https://example.org/licence\n"
)
ROW = "accordkg:state/united-kingdom\tskos:exactMatch\twikidata:Q145\tsemapv:ManualMappingCuration"


def _table(*rows: str, header: str = HEADER, metadata: str = METADATA) -> str:
    return metadata + "\n".join([header, *rows]) + "\n"


def test_the_table_in_data_goes_to_rdf_and_back_unchanged() -> None:
    graph = to_graph(parse_sssom(TABLE, "mappings"))
    back = Graph().parse(data=graph.serialize(format="nt"), format="nt")
    assert write_sssom(from_graph(back)) == TABLE


def test_the_rdf_is_the_sssom_model_plus_the_plain_links() -> None:
    mapping_set = parse_sssom(TABLE, "mappings")
    graph = to_graph(mapping_set)
    assert (UK, SKOS.exactMatch, WIKIDATA.Q145) in graph
    the_set = URIRef(mapping_set.id)
    assert (the_set, RDF.type, SSSOM.MappingSet) in graph
    axioms = list(graph.objects(the_set, SSSOM.mappings))
    assert len(axioms) == len(mapping_set.mappings) == 5
    (axiom,) = graph.subjects(OWL.annotatedTarget, WIKIDATA.Q145)
    assert graph.value(axiom, OWL.annotatedSource) == UK
    assert str(graph.value(axiom, SSSOM.confidence)) == "1.0"


def test_only_checked_identifiers_are_linked() -> None:
    objects = {str(o) for _, _, o in parse_sssom(TABLE, "mappings").links()}
    assert objects == {
        "http://www.wikidata.org/entity/Q30",
        "http://www.wikidata.org/entity/Q145",
        "http://www.wikidata.org/entity/Q304878",
        "https://ror.org/021nxhr62",
        "https://ror.org/001aqnf71",
    }


def test_a_custom_base_moves_the_subjects() -> None:
    mapping_set = parse_sssom(TABLE, "mappings", base_iri="http://localhost:8000/id/")
    subjects = {str(s) for s, _, _ in mapping_set.links()}
    assert "http://localhost:8000/id/state/united-kingdom" in subjects
    assert mapping_set.id == "http://localhost:8000/id/mapping-set/accordkg"


def test_quoted_cells_and_multiple_values_round_trip() -> None:
    header = HEADER + "\tauthor_label\tcomment"
    text = _table(ROW + '\tAda|Grace\t"said ""yes""\tthen"', header=header)
    mapping_set = parse_sssom(text, "t")
    assert mapping_set.mappings[0]["author_label"] == ("Ada", "Grace")
    assert mapping_set.mappings[0]["comment"] == ('said "yes"\tthen',)
    assert write_sssom(from_graph(to_graph(mapping_set))) == text


def test_unknown_columns_are_ignored_with_a_warning() -> None:
    mapping_set = parse_sssom(_table(ROW + "\tx", header=HEADER + "\tmy_note"), "t")
    assert mapping_set.warnings == (
        "column 'my_note' is not an SSSOM slot accordkg reads; ignored",
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (HEADER + "\n" + ROW + "\n", "no SSSOM metadata block"),
        ("#curie_map: [\n" + HEADER + "\n", "not valid YAML"),
        (_table(ROW, metadata=METADATA.replace("#license: https://example.org/licence\n", "")),
         "license"),
        (_table(ROW.replace("wikidata:Q145", "wd:Q145")), "'wd:Q145' has no prefix declared"),
        (_table(ROW.replace("wikidata:Q145", "http://www.wikidata.org/entity/Q145")),
         "identifiers are CURIEs"),
        (_table(ROW.replace("skos:exactMatch", "owl:sameAs")), "not a mapping predicate"),
        (_table(ROW.replace("semapv:ManualMappingCuration", "semapv:Guessing")),
         "not a semapv mapping justification"),
        (_table(ROW + "\t1.5", header=HEADER + "\tconfidence"), "not between 0 and 1"),
        (_table(ROW + "\t27/11/2026", header=HEADER + "\tmapping_date"), "not a date"),
        (_table(ROW, ROW), "line 8: the same mapping as line 7"),
        (_table("accordkg:state/x\tskos:exactMatch"), "2 fields where the header has 4"),
        (_table(ROW, header="subject_id\tpredicate_id\tobject_id"), "no mapping_justification"),
    ],
    ids=["no-metadata", "bad-yaml", "no-license", "undeclared-prefix", "full-iri", "sameas",
         "justification", "confidence", "date", "duplicate", "short-row", "no-column"],
)  # fmt: skip
def test_a_bad_table_is_refused_naming_the_problem(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_sssom(text, "t")


def test_every_problem_is_listed_at_once() -> None:
    bad = ROW.replace("skos:exactMatch", "owl:sameAs").replace("wikidata:", "wd:")
    with pytest.raises(InputError, match=r"2 problem\(s\)"):
        parse_sssom(_table(bad), "t")
