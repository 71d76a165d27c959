"""`accordkg import`: RDF and SSSOM files into graphs of their own, whole or not at all."""

import json
from contextlib import closing
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from accordkg.errors import InputError, ValidationError
from accordkg.linking.mappings import export_mappings
from accordkg.namespaces import AK
from accordkg.pipeline.build import build
from accordkg.pipeline.imports import import_file
from accordkg.settings import Settings
from accordkg.store import open_store
from tests.conftest import Built

TREATY = URIRef("https://treaties.example.org/t/42")
DECLARATION = "https://w3id.org/accordkg/id/instrument/us-uk-ai-research-declaration-2020"
UK = "https://w3id.org/accordkg/id/state/united-kingdom"
IMPORTS = "https://w3id.org/accordkg/id/graph/import/"


def _dataset() -> Graph:
    graph = Graph()
    graph.add((TREATY, RDF.type, URIRef("https://treaties.example.org/Treaty")))
    graph.add((TREATY, RDFS.label, Literal("US-UK AI declaration", lang="en")))
    graph.add((TREATY, SKOS.exactMatch, URIRef(DECLARATION)))
    return graph


SSSOM_TABLE = (
    "#curie_map:\n#  accordkg: https://w3id.org/accordkg/id/\n"
    "#  tr: https://treaties.example.org/t/\n"
    "#mapping_set_id: https://treaties.example.org/links\n"
    "#license: https://creativecommons.org/publicdomain/zero/1.0/\n"
    "subject_id\tpredicate_id\tobject_id\tmapping_justification\tconfidence\n"
    "tr:42\tskos:exactMatch\taccordkg:instrument/us-uk-ai-research-declaration-2020"
    "\tsemapv:ManualMappingCuration\t0.9\n"
)
FILES = {
    "treaties.ttl": lambda: _dataset().serialize(format="turtle"),
    "treaties.nt": lambda: _dataset().serialize(format="nt"),
    "treaties.jsonld": lambda: _dataset().serialize(format="json-ld"),
    "treaties.rdf": lambda: _dataset().serialize(format="xml"),
}


def _graph(settings: Settings, iri: str) -> Graph:
    graph = Graph()
    with closing(open_store(settings)) as store:
        query = "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
        for row in store.select(query, {"g": URIRef(iri)}).rows:
            graph.add((row["s"], row["p"], row["o"]))
    return graph


@pytest.mark.parametrize("name", list(FILES))
def test_each_rdf_format_imports_into_its_own_graph(
    any_built_settings: Settings, tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    path.write_text(FILES[name](), "utf-8")
    report = import_file(any_built_settings, path)
    assert report.graph == IMPORTS + "treaties"
    assert (report.triples, report.entities, report.links) == (3, 1, 1)
    assert not report.replaced
    assert _graph(any_built_settings, report.graph).isomorphic(_dataset())


def test_the_format_can_be_given_and_the_graph_named(
    built_settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "treaties.txt"
    path.write_text(_dataset().serialize(format="nt"), "utf-8")
    report = import_file(built_settings, path, graph="urn:example:treaties", file_format="ntriples")
    assert report.graph == "urn:example:treaties"
    assert len(_graph(built_settings, "urn:example:treaties")) == 3


def test_an_sssom_table_imports_and_exports_back(
    any_built_settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "treaty-links.sssom.tsv"
    path.write_text(SSSOM_TABLE, "utf-8")
    report = import_file(any_built_settings, path)
    assert report.graph == IMPORTS + "treaty-links"
    assert (report.entities, report.links) == (1, 1)
    with closing(open_store(any_built_settings)) as store:
        assert export_mappings(store, URIRef(report.graph)) == SSSOM_TABLE


def test_importing_again_replaces_the_graph(built_settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "treaties.ttl"
    path.write_text(_dataset().serialize(format="turtle"), "utf-8")
    import_file(built_settings, path)
    smaller = _dataset()
    smaller.remove((TREATY, RDFS.label, None))
    path.write_text(smaller.serialize(format="turtle"), "utf-8")
    report = import_file(built_settings, path)
    assert report.replaced
    assert len(_graph(built_settings, report.graph)) == 2


ENTITIES = '<!ENTITY a "aaaaaaaaaa">' + "".join(  # each ten of the one before: 1 GB
    f'<!ENTITY {name} "{("&" + previous + ";") * 10}">'
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
)
BROKEN = {
    "syntax.ttl": ("<a> <b> .", "not valid turtle"),
    "empty.nt": ("   \n", "empty"),
    "remote-context.jsonld": (
        json.dumps({"@context": "https://schema.org/", "@id": str(TREATY), "name": "x"}),
        "would have to be fetched",
    ),
    "import-context.jsonld": (
        json.dumps({"@context": {"@import": "https://example.org/c.jsonld"}, "@id": "urn:x"}),
        "would have to be fetched",
    ),
    "laughs.rdf": (
        f'<?xml version="1.0"?><!DOCTYPE rdf:RDF [{ENTITIES}]>'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="urn:ex:">'
        '<rdf:Description rdf:about="urn:a"><ex:p>&i;</ex:p></rdf:Description></rdf:RDF>',
        "DOCTYPE is refused",
    ),
    "deep.ttl": (
        "<urn:a> <urn:p> " + "[ <urn:p> " * 4000 + "1" + " ]" * 4000 + " .",
        "nested more than 64 levels deep",
    ),
    "unknown-term.ttl": (
        f"<{TREATY}> <https://w3id.org/accordkg/ontology#tilte> 'x' .",
        "does not define: ak:tilte",
    ),
    "links-nothing.sssom.tsv": (
        SSSOM_TABLE.replace("accordkg:instrument/us-uk-ai-research-declaration-2020", "tr:43"),
        "no entity of this graph on either side",
    ),
    "bad-table.sssom.tsv": (SSSOM_TABLE.replace("0.9", "9"), "not between 0 and 1"),
    "unknown.csv": ("a,b\n", "cannot tell the format"),
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_a_broken_file_is_refused_and_the_store_keeps_its_state(
    any_built_settings: Settings, seed_build: Built, tmp_path: Path, name: str
) -> None:
    content, message = BROKEN[name]
    path = tmp_path / name
    path.write_text(content, "utf-8")
    with pytest.raises(InputError, match=message):
        import_file(any_built_settings, path)
    with closing(open_store(any_built_settings)) as store:
        assert store.triple_count() == seed_build.summary.triples
        assert len(store.graph_names()) == seed_build.summary.graphs


def test_an_instrument_that_breaks_the_shapes_is_refused(
    built_settings: Settings, seed_build: Built, tmp_path: Path
) -> None:
    untitled = Graph()
    untitled.add((TREATY, RDF.type, AK.Agreement))
    untitled.add((TREATY, AK.party, URIRef(UK)))
    path = tmp_path / "untitled.ttl"
    path.write_text(untitled.serialize(format="turtle"), "utf-8")
    with pytest.raises(ValidationError, match="title") as refused:
        import_file(built_settings, path)
    assert {v.focus_node for v in refused.value.violations} == {TREATY.n3()}
    with closing(open_store(built_settings)) as store:
        assert store.triple_count() == seed_build.summary.triples


def test_a_graph_the_build_makes_cannot_be_the_target(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "treaties.ttl"
    path.write_text(_dataset().serialize(format="turtle"), "utf-8")
    with pytest.raises(InputError, match="a graph `accordkg build` makes"):
        import_file(settings, path, graph=settings.base_iri + "graph/records")


def test_imports_survive_a_rebuild(any_built_settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "treaties.ttl"
    path.write_text(_dataset().serialize(format="turtle"), "utf-8")
    report = import_file(any_built_settings, path)
    build(any_built_settings)
    with closing(open_store(any_built_settings)) as store:
        assert report.graph in store.graph_names()
    assert _graph(any_built_settings, report.graph).isomorphic(_dataset())
