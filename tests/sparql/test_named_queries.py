"""Named queries: headers read, parameters bound as typed terms, results as expected.

Expected results on the seed data are the CSV files in tests/named_queries/; every query
runs against both store implementations and must give exactly those rows.
"""

import csv
import io
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from accordkg.errors import InputError, NotFoundError
from accordkg.pipeline.build import build
from accordkg.settings import Settings
from accordkg.sparql.formats import serialize_solutions
from accordkg.sparql.named_queries import named_queries, named_query, run_named_query
from accordkg.store import Store, open_store
from tests.conftest import INPUTS, emptied_remote

EXPECTED = Path(__file__).parent / "named_queries"
BASE = "https://w3id.org/accordkg/id/"


@pytest.fixture(scope="module", params=["embedded", "remote"])
def store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, oxigraph_url: str
) -> Iterator[Store]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("named"), input_dir=INPUTS)
    if request.param == "remote":
        settings = emptied_remote(settings, oxigraph_url)
    build(settings)
    with closing(open_store(settings)) as opened:
        yield opened


def _rows(store: Store, name: str, values: dict[str, str] | None = None) -> list[list[str]]:
    solutions = run_named_query(store, named_query(name), values or {}, BASE)
    text = serialize_solutions(solutions, "csv").decode("utf-8")
    return list(csv.reader(io.StringIO(text)))


def test_there_are_at_least_ten_documented_queries() -> None:
    queries = named_queries()
    assert len(queries) >= 10
    for query in queries.values():
        assert query.title
        assert len(query.description) > 20
        for parameter in query.parameters:
            assert f"?{parameter.name}" in query.text


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_named_query_gives_its_expected_result(store: Store, name: str) -> None:
    expected = list(csv.reader(io.StringIO((EXPECTED / f"{name}.csv").read_text("utf-8"))))
    assert _rows(store, name) == [row for row in expected if row]


def test_an_iri_parameter_accepts_a_short_id(store: Store) -> None:
    rows = _rows(store, "parties-and-instruments", {"party": "state/united-states"})
    assert {row[0] for row in rows[1:]} == {BASE + "state/united-states"}
    assert len(rows) == 3


def test_an_iri_parameter_narrows_the_evidence_to_one_resource(store: Store) -> None:
    rows = _rows(store, "evidence", {"resource": "commitment/us-uk-ai-research-declaration-2020-5"})
    ((resource, _, _, start, end, quote),) = rows[1:]
    assert resource.endswith("commitment/us-uk-ai-research-declaration-2020-5")
    assert quote.startswith("We intend to establish a bilateral government-to-government dialogue")
    assert int(end) - int(start) == len(quote)


def test_a_string_parameter(store: Store) -> None:
    assert _rows(store, "recitals-by-opening-word", {"word": "Desiring"})[1:] == [
        ["Desiring", "1", "1"]
    ]


@pytest.mark.parametrize(
    ("values", "found"),
    [({}, 1), ({"from": "2020-09-25", "to": "2020-09-25"}, 1), ({"to": "2020-09-24"}, 0)],
)
def test_date_parameters_with_defaults(store: Store, values: dict[str, str], found: int) -> None:
    assert len(_rows(store, "instruments-by-date", values)) - 1 == found


def test_a_hostile_string_is_only_ever_a_string(store: Store) -> None:
    hostile = 'Desiring" } ; DROP ALL ; SELECT * { ?s ?p "'
    assert _rows(store, "recitals-by-opening-word", {"word": hostile})[1:] == []
    assert store.triple_count() > 1000


@pytest.mark.parametrize(
    ("name", "values", "message"),
    [
        ("parties-and-instruments", {"party": "not an iri"}, "must be an absolute IRI"),
        ("parties-and-instruments", {"party": "http://x/<y>"}, "must be an absolute IRI"),
        ("instruments-by-date", {"from": "25/09/2020"}, "must be a date written YYYY-MM-DD"),
        ("signatories", {"nobody": "x"}, "has no parameter nobody"),
    ],
)
def test_bad_parameters_are_input_errors(
    store: Store, name: str, values: dict[str, str], message: str
) -> None:
    with pytest.raises(InputError, match=message):
        run_named_query(store, named_query(name), values, BASE)


def test_an_unknown_query_is_not_found() -> None:
    with pytest.raises(NotFoundError, match="there are: citation-network"):
        named_query("no-such-query")
