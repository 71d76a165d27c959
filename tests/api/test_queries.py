"""GET /queries and /queries/{name}: listing, parameters, formats, errors."""

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from accordkg.sparql.named_queries import named_queries
from tests import live
from tests.api.sparql_server import sparql_server

EXPECTED = Path(__file__).parents[1] / "sparql" / "named_queries"


@pytest.fixture(scope="module")
def capped(tmp_path_factory: pytest.TempPathFactory, built_data: Path) -> Iterator[str]:
    """A live server whose answers carry at most 10 rows."""
    directory = tmp_path_factory.mktemp("capped") / "var"
    with sparql_server(built_data, directory, ACCORDKG_ROW_LIMIT="10") as url:
        yield url


def test_list_names_every_query_with_its_parameters(client: TestClient) -> None:
    queries = {q["name"]: q for q in client.get("/queries").json()}
    assert len(queries) >= 10
    dates = queries["instruments-by-date"]
    assert dates["parameters"][0] == {
        "name": "from",
        "type": "date",
        "default": "1945-01-01",
        "description": "first day",
    }
    assert dates["url"].endswith("/queries/instruments-by-date")
    assert dates["text"].endswith("/queries/instruments-by-date/text")


def test_the_text_binds_the_parameters_given_and_runs_as_the_named_query(
    client: TestClient,
) -> None:
    unbound = client.get("/queries/parties-and-instruments/text")
    assert unbound.status_code == 200
    assert unbound.headers["content-type"].startswith("application/sparql-query")
    assert unbound.text == named_queries()["parties-and-instruments"].text
    bound = client.get("/queries/parties-and-instruments/text?party=state/united-states")
    assert "VALUES (?party) { (<https://w3id.org/accordkg/id/state/united-states>) }" in bound.text
    sent = client.post(
        "/sparql",
        content=bound.text,
        headers={"Content-Type": "application/sparql-query", "Accept": "application/json"},
    )
    named = client.get("/queries/parties-and-instruments?party=state/united-states")
    assert sent.json()["results"] == named.json()["results"]
    # A default is bound as /queries/{name} binds it: the text says what runs.
    dated = client.get("/queries/instruments-by-date/text?to=2020-12-31")
    assert (
        'VALUES (?from ?to) { ("1945-01-01"^^<http://www.w3.org/2001/XMLSchema#date> '
        '"2020-12-31"^^<http://www.w3.org/2001/XMLSchema#date>) }'
    ) in dated.text


def test_the_text_refuses_what_running_refuses(client: TestClient) -> None:
    assert client.get("/queries/nope/text").status_code == 404
    bad_value = client.get("/queries/instruments-by-date/text?from=yesterday")
    assert bad_value.status_code == 400
    assert "YYYY-MM-DD" in bad_value.json()["detail"]
    assert client.get("/queries/signatories/text?who=me").status_code == 400
    repeated = client.get("/queries/signatories/text?instrument=a/b&instrument=c/d")
    assert "more than once" in repeated.json()["detail"]
    # format is a parameter of running, not of the text.
    assert client.get("/queries/signatories/text?format=csv").status_code == 400


def test_default_format_is_sparql_json(client: TestClient) -> None:
    response = client.get("/queries/signatories")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    assert "Accept" in response.headers["vary"]
    assert len(response.json()["results"]["bindings"]) == 3


def test_accept_and_format_choose_the_serialization(client: TestClient) -> None:
    as_csv = client.get("/queries/signatories", headers={"Accept": "text/csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(as_csv.text)))
    assert rows[0][:2] == ["instrument", "name"]
    as_tsv = client.get("/queries/signatories?format=tsv", headers={"Accept": "text/csv"})
    assert as_tsv.headers["content-type"].startswith("text/tab-separated-values")
    assert as_tsv.text.startswith("?instrument\t?name")
    as_xml = client.get("/queries/signatories", headers={"Accept": "application/xml"})
    assert "<sparql" in as_xml.text


def test_parameters_bind_and_narrow(client: TestClient) -> None:
    response = client.get("/queries/parties-and-instruments?party=state/united-states")
    parties = {b["party"]["value"] for b in response.json()["results"]["bindings"]}
    assert parties == {"https://w3id.org/accordkg/id/state/united-states"}


def test_errors(client: TestClient) -> None:
    unknown = client.get("/queries/nope")
    assert unknown.status_code == 404
    assert "no named query 'nope'" in unknown.json()["detail"]
    bad_value = client.get("/queries/instruments-by-date?from=yesterday")
    assert bad_value.status_code == 400
    assert "YYYY-MM-DD" in bad_value.json()["detail"]
    unknown_parameter = client.get("/queries/signatories?who=me")
    assert unknown_parameter.status_code == 400
    repeated = client.get("/queries/signatories?instrument=a/b&instrument=c/d")
    assert repeated.status_code == 400
    assert "more than once" in repeated.json()["detail"]
    refused = client.get("/queries/signatories", headers={"Accept": "text/html"})
    assert refused.status_code == 406
    bad_format = client.get("/queries/signatories?format=html")
    assert bad_format.status_code == 400


def test_live_server_runs_a_named_query(server: str) -> None:
    response = live.get(f"{server}/queries/themes", headers={"Accept": "text/csv"})
    assert response.status_code == 200
    assert "public-data-sets" in response.text


def _rows(text: str) -> list[list[str]]:
    """CSV rows, a GROUP_CONCAT's values (the `links` column) as a sorted list: SPARQL
    leaves the order of concatenated values to the store."""
    rows = [row for row in csv.reader(io.StringIO(text)) if row]
    column = rows[0].index("links") if "links" in rows[0] else None
    for row in rows[1:]:
        if column is not None:
            row[column] = " ".join(sorted(row[column].split()))
    return rows


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_every_named_query_answers_its_expected_rows_over_http(server: str, name: str) -> None:
    response = live.get(f"{server}/queries/{name}", params={"format": "csv"})
    assert response.status_code == 200, response.text
    assert _rows(response.text) == _rows((EXPECTED / f"{name}.csv").read_text("utf-8"))


def test_a_named_query_is_held_to_the_row_limit_and_says_so(capped: str) -> None:
    """Named queries run as /sparql queries do: the row limit cuts them, visibly."""
    cut = live.get(f"{capped}/queries/evidence")
    assert len(cut.json()["results"]["bindings"]) == 10  # of 19
    assert cut.headers["x-accordkg-truncated"] == "true; limit=10"
    whole = live.get(f"{capped}/queries/signatories")
    assert len(whole.json()["results"]["bindings"]) == 3
    assert "x-accordkg-truncated" not in whole.headers
    narrowed = live.get(
        f"{capped}/queries/evidence",
        params={"resource": "commitment/us-uk-ai-research-declaration-2020-5"},
    )
    assert len(narrowed.json()["results"]["bindings"]) == 1
    assert "x-accordkg-truncated" not in narrowed.headers


def test_output_is_a_synonym_of_format(server: str) -> None:
    as_csv = live.get(f"{server}/queries/signatories", params={"output": "csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    as_xml = live.get(
        f"{server}/queries/signatories", params={"format": "application/sparql-results+xml"}
    )
    assert as_xml.headers["content-type"].startswith("application/sparql-results+xml")
