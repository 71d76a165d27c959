"""GET /queries and /queries/{name}: listing, parameters, formats, errors."""

import csv
import io

import httpx2 as httpx
from fastapi.testclient import TestClient


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
    response = httpx.get(f"{server}/queries/themes", headers={"Accept": "text/csv"})
    assert response.status_code == 200
    assert "public-data-sets" in response.text
