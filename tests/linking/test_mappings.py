"""The links out: loaded by `build` into their own graph, exported back as SSSOM."""

import shutil
from collections.abc import Mapping
from contextlib import closing
from pathlib import Path

import pytest
from rdflib import URIRef

from accordkg.errors import InputError, NotFoundError
from accordkg.graphs import mappings_graph_iri, records_graph_iri
from accordkg.linking.mappings import export_mappings
from accordkg.pipeline.build import build
from accordkg.settings import Settings
from accordkg.store import EmbeddedStore, Solutions, Term, open_store
from tests.conftest import INPUTS

# The five links that data/records/entities.ttl carried before they became data of their own.
LINKS = [
    ("organization/uk-research-and-innovation", "https://ror.org/001aqnf71"),
    ("organization/us-national-science-foundation", "http://www.wikidata.org/entity/Q304878"),
    ("organization/us-national-science-foundation", "https://ror.org/021nxhr62"),
    ("state/united-kingdom", "http://www.wikidata.org/entity/Q145"),
    ("state/united-states", "http://www.wikidata.org/entity/Q30"),
]
EXACT_MATCHES = """
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    SELECT ?g ?s ?o WHERE { GRAPH ?g { ?s skos:exactMatch ?o } } ORDER BY ?s ?o
"""


def test_build_loads_the_links_into_the_mappings_graph(any_settings: Settings) -> None:
    build(any_settings)
    base = any_settings.base_iri
    with closing(open_store(any_settings)) as store:
        rows = store.select(EXACT_MATCHES).rows
    assert [(str(r["s"]).removeprefix(base), str(r["o"])) for r in rows] == LINKS
    assert {str(r["g"]) for r in rows} == {f"{base}graph/mappings"}


def test_the_mappings_graph_exports_as_the_table_in_data(any_built_settings: Settings) -> None:
    with closing(open_store(any_built_settings)) as store:
        table = export_mappings(store, mappings_graph_iri(any_built_settings.base_iri))
    assert table == (INPUTS / "mappings.sssom.tsv").read_text("utf-8")


def test_exporting_a_graph_that_is_not_there_is_not_found(built_settings: Settings) -> None:
    with closing(open_store(built_settings)) as store, pytest.raises(NotFoundError):
        export_mappings(store, URIRef("urn:nothing"))


class CountingStore(EmbeddedStore):
    """The embedded store, counting the rows its SELECTs answer."""

    rows_read = 0

    def select(self, query: str, bindings: Mapping[str, Term] | None = None) -> Solutions:
        solutions = super().select(query, bindings)
        self.rows_read += len(solutions.rows)
        return solutions


def test_a_graph_that_holds_no_mapping_set_is_refused_before_it_is_read(
    built_settings: Settings,
) -> None:
    with closing(CountingStore(built_settings.store_dir)) as store:
        assert store.triple_count() > 1000
        with pytest.raises(NotFoundError, match="holds no SSSOM mapping set"):
            export_mappings(store, records_graph_iri(built_settings.base_iri))
        assert store.rows_read <= 1  # the check's own answer, never the graph


def _inputs_with_mappings(tmp_path: Path, table: str) -> Path:
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS, inputs)
    (inputs / "mappings.sssom.tsv").write_text(table, "utf-8")
    return inputs


def test_a_mapping_of_an_unknown_subject_stops_the_build(
    any_settings: Settings, tmp_path: Path
) -> None:
    before = build(any_settings)
    table = (INPUTS / "mappings.sssom.tsv").read_text("utf-8")
    broken = table.replace("accordkg:state/united-kingdom\t", "accordkg:state/ruritania\t")
    inputs = _inputs_with_mappings(tmp_path, broken)
    with pytest.raises(InputError, match="not entities of the graph: accordkg:state/ruritania"):
        build(any_settings.model_copy(update={"input_dir": inputs}))
    with closing(open_store(any_settings)) as store:
        assert store.triple_count() == before.triples


def test_a_subject_label_that_is_no_name_of_the_entity_is_a_warning(
    settings: Settings, tmp_path: Path
) -> None:
    table = (INPUTS / "mappings.sssom.tsv").read_text("utf-8")
    renamed = table.replace("\tUnited States of America\t", "\tFreedonia\t")
    summary = build(
        settings.model_copy(update={"input_dir": _inputs_with_mappings(tmp_path, renamed)})
    )
    (warning,) = summary.warnings[str(tmp_path / "inputs" / "mappings.sssom.tsv")]
    assert "'Freedonia' is none of its names" in warning
