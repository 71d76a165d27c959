"""/mappings.sssom.tsv over real HTTP."""

import pytest

from tests import live
from tests.conftest import INPUTS


def test_the_mappings_table_is_served(server: str) -> None:
    response = live.get(f"{server}/mappings.sssom.tsv")
    assert response.headers["content-type"].startswith("text/tab-separated-values")
    assert response.text == (INPUTS / "mappings.sssom.tsv").read_text("utf-8")
    missing = live.get(f"{server}/mappings.sssom.tsv", params={"graph": "urn:nothing"})
    assert missing.status_code == 404


def test_a_graph_without_a_mapping_set_is_not_found(server: str) -> None:
    """There is no table for such a graph; the request itself is fine."""
    records = "https://w3id.org/accordkg/id/graph/records"
    response = live.get(f"{server}/mappings.sssom.tsv", params={"graph": records})
    assert response.status_code == 404
    assert "holds no SSSOM mapping set" in response.json()["detail"]


@pytest.mark.parametrize(
    "graph", ["", "a|b", "x", "http://x/a b", "urn:x> } } VALUES ?g { <urn:y", "http://[bad/"]
)
def test_a_graph_that_is_no_absolute_iri_is_a_400_not_a_500(server: str, graph: str) -> None:
    response = live.get(f"{server}/mappings.sssom.tsv", params={"graph": graph})
    assert response.status_code == 400
    assert response.json()["detail"] == f"graph must be an absolute IRI, not {graph!r}"
