"""/reconcile over real HTTP, with requests shaped as OpenRefine sends them."""

import json
from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from accordkg.api import create_app
from accordkg.settings import Settings
from tests import live
from tests.conftest import INPUTS

DECLARATION = "instrument/us-uk-ai-research-declaration-2020"


def _reconcile(server: str, queries: dict[str, object]) -> dict[str, list[dict[str, Any]]]:
    """A batch as OpenRefine posts it: a form with one `queries` field of JSON."""
    response = live.post(f"{server}/reconcile", data={"queries": json.dumps(queries)})
    assert response.status_code == 200, response.text
    return {name: answer["result"] for name, answer in response.json().items()}


def test_the_manifest_describes_the_service(server: str) -> None:
    manifest = live.get(f"{server}/reconcile").json()
    assert manifest["versions"] == ["0.2"]
    assert manifest["identifierSpace"] == "https://w3id.org/accordkg/id/"
    assert manifest["schemaSpace"] == "https://w3id.org/accordkg/ontology#"
    assert [t["id"] for t in manifest["defaultTypes"]] == [
        "Instrument", "State", "Organization", "Person", "Party",
    ]  # fmt: skip
    assert manifest["view"]["url"] == f"{server}/id/{{{{id}}}}"
    assert manifest["preview"]["url"] == f"{server}/reconcile/preview?id={{{{id}}}}"
    assert manifest["suggest"]["entity"] == {
        "service_url": server, "service_path": "/reconcile/suggest/entity",
    }  # fmt: skip
    assert "propose_properties" not in manifest  # v0.2 has it under `extend`
    assert manifest["extend"]["propose_properties"] == {
        "service_url": server, "service_path": "/reconcile/properties",
    }  # fmt: skip


def test_the_manifest_as_jsonp(server: str) -> None:
    response = live.get(f"{server}/reconcile", params={"callback": "jsonp123"})
    assert response.headers["content-type"].startswith("application/javascript")
    body = response.text
    assert body.startswith("jsonp123(")
    assert body.endswith(");")
    assert json.loads(body[len("jsonp123(") : -2])["versions"] == ["0.2"]


def test_a_batch_finds_each_entity(server: str) -> None:
    results = _reconcile(
        server,
        {
            "q0": {"query": "United Kingdom", "type": "State", "type_strict": "should"},
            "q1": {"query": "UK\u2013US AI declaration 2020", "type": "Instrument"},
            "q2": {"query": "Kratsios"},
            "q3": {"query": "nothing like any name here"},
        },
    )
    assert (results["q0"][0]["id"], results["q0"][0]["match"]) == ("state/united-kingdom", True)
    assert results["q0"][0]["type"] == [
        {"id": "State", "name": "State"},
        {"id": "Party", "name": "Party"},
    ]
    assert (results["q1"][0]["id"], results["q1"][0]["match"]) == (DECLARATION, True)
    assert results["q1"][0]["type"][0] == {"id": "Declaration", "name": "Declaration"}
    assert (results["q2"][0]["id"], results["q2"][0]["match"]) == (
        "person/michael-jk-kratsios",
        True,
    )
    assert results["q3"] == []
    for candidates in results.values():
        assert all(0 <= c["score"] <= 100 for c in candidates)


def test_properties_and_limit(server: str) -> None:
    results = _reconcile(
        server,
        {
            "q0": {
                "query": "US-UK agreement",
                "properties": [{"pid": "party", "v": {"id": "state/united-states"}},
                               {"pid": "year", "v": "2017"}],
            },
            "q1": {"query": "UK", "limit": 1},
        },
    )  # fmt: skip
    assert results["q0"][0]["id"] == "instrument/us-uk-science-and-technology-agreement-2017"
    assert results["q0"][0]["match"] is True
    assert [c["id"] for c in results["q1"]] == ["state/united-kingdom"]


def test_queries_by_get_and_as_a_json_body(server: str) -> None:
    batch = {"q0": {"query": "NSF", "type": "Organization"}}
    by_get = live.get(f"{server}/reconcile", params={"queries": json.dumps(batch)}).json()
    by_json = live.post(f"{server}/reconcile", json={"queries": batch}).json()
    assert by_get == by_json
    assert by_get["q0"]["result"][0]["id"] == "organization/us-national-science-foundation"


@pytest.mark.parametrize(
    ("queries", "message"),
    [
        ("{not json", "not valid JSON"),
        (json.dumps({"q0": {"query": "UK", "type": "Country"}}), "unknown type 'Country'"),
        (json.dumps({"q0": {"type": "State"}}), "non-empty string"),
        (json.dumps(["UK"]), "JSON object of queries"),
    ],
)
def test_malformed_queries_are_400_with_a_message(server: str, queries: str, message: str) -> None:
    response = live.post(f"{server}/reconcile", data={"queries": queries})
    assert response.status_code == 400
    assert message in response.json()["detail"]


@pytest.mark.parametrize(
    "callback", ["alert(1)//", "x\n", "x\nalert(1)", "a..b", "a.", ".a", "1a", "a-b", "x" * 101]
)
def test_a_hostile_callback_is_refused(server: str, callback: str) -> None:
    response = live.get(f"{server}/reconcile", params={"callback": callback})
    assert response.status_code == 400
    assert "JavaScript function name" in response.json()["detail"]


@pytest.mark.parametrize("callback", ["cb", "jQuery3210_1712", "$.x_1", "window.handlers.ok"])
def test_callbacks_that_name_a_function_are_answered(server: str, callback: str) -> None:
    response = live.get(f"{server}/reconcile", params={"callback": callback})
    assert response.text.startswith(f"{callback}(")


def test_an_empty_batch_is_answered_empty(server: str) -> None:
    """An empty batch is valid (v0.2): it has no answers, by each way queries come."""
    assert _reconcile(server, {}) == {}
    assert live.get(f"{server}/reconcile", params={"queries": "{}"}).json() == {}
    assert live.post(f"{server}/reconcile", json={}).json() == {}
    assert live.post(f"{server}/reconcile", json={"queries": {}}).json() == {}


def test_a_query_of_properties_alone(server: str) -> None:
    """A query may give properties and no `query` string (v0.2)."""
    results = _reconcile(
        server,
        {
            "q0": {"properties": [{"pid": "year", "v": "2017"}]},
            "q1": {"properties": [{"pid": "year", "v": "1900"}]},
            "q2": {"type": "Person", "properties": [{"pid": "party", "v": "United States"}]},
        },
    )
    (agreement,) = results["q0"]
    assert agreement["id"] == "instrument/us-uk-science-and-technology-agreement-2017"
    assert (agreement["score"], agreement["match"]) == (100, True)
    assert results["q1"] == []
    assert [(c["id"], c["match"]) for c in results["q2"]] == [("person/michael-jk-kratsios", True)]


def test_data_extension_gives_the_properties_of_entities(server: str) -> None:
    """What `extend` in the manifest announces: the proposed properties' values."""
    request = {"ids": [DECLARATION, "state/ruritania"],
               "properties": [{"id": "party"}, {"id": "year"}]}  # fmt: skip
    posted = live.post(f"{server}/reconcile", data={"extend": json.dumps(request)})
    assert posted.status_code == 200, posted.text
    answer = posted.json()
    assert answer["meta"] == [
        {"id": "party", "name": "party (a state or organization, by name or id)",
         "type": {"id": "Party", "name": "Party"}},
        {"id": "year", "name": "year signed"},
    ]  # fmt: skip
    assert answer["rows"] == {
        DECLARATION: {
            "party": [{"id": "state/united-kingdom",
                       "name": "United Kingdom of Great Britain and Northern Ireland"},
                      {"id": "state/united-states", "name": "United States of America"}],
            "year": [{"str": "2020"}],
        },
        "state/ruritania": {"party": [], "year": []},
    }  # fmt: skip
    by_get = live.get(f"{server}/reconcile", params={"extend": json.dumps(request)})
    assert by_get.json() == answer
    unknown = live.post(
        f"{server}/reconcile",
        data={"extend": json.dumps({"ids": [DECLARATION], "properties": [{"id": "colour"}]})},
    )
    assert unknown.status_code == 400
    assert "unknown property 'colour'" in unknown.json()["detail"]
    both = live.get(f"{server}/reconcile", params={"extend": "{}", "queries": "{}"})
    assert both.status_code == 400


def test_suggest_entity_type_and_property(server: str) -> None:
    entities = live.get(f"{server}/reconcile/suggest/entity", params={"prefix": "krat"}).json()
    assert [e["id"] for e in entities["result"]] == ["person/michael-jk-kratsios"]
    types = live.get(f"{server}/reconcile/suggest/type", params={"prefix": "sta"}).json()
    assert types["result"] == [{"id": "State", "name": "State"}]
    properties = live.get(f"{server}/reconcile/suggest/property", params={"prefix": "ye"}).json()
    assert [p["id"] for p in properties["result"]] == ["year"]
    proposed = live.get(f"{server}/reconcile/properties", params={"type": "Instrument"}).json()
    assert proposed["type"] == "Instrument"
    assert {p["id"] for p in proposed["properties"]} == {"party", "year"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.links += [v or "" for k, v in attrs if tag == "a" and k == "href"]


def test_preview_is_a_small_html_card(server: str) -> None:
    response = live.get(f"{server}/reconcile/preview", params={"id": "state/united-kingdom"})
    assert response.headers["content-type"].startswith("text/html")
    page = _Text()
    page.feed(response.text)
    text = " ".join(page.text)
    assert "United Kingdom of Great Britain and Northern Ireland" in text
    assert "U.K." in text
    assert page.links == ["/id/state/united-kingdom"]
    missing = live.get(f"{server}/reconcile/preview", params={"id": "state/ruritania"})
    assert missing.status_code == 404


def test_a_write_refreshes_the_index(built_settings: Settings) -> None:
    writable = Settings(
        data_dir=built_settings.data_dir,
        input_dir=INPUTS,
        update_token=SecretStr("t0ken"),
        query_workers=1,
    )
    ruritania = f"<{built_settings.base_iri}state/ruritania>"
    batch = {"queries": json.dumps({"q0": {"query": "Ruritania"}})}
    with TestClient(create_app(writable)) as client:
        assert client.post("/reconcile", data=batch).json()["q0"]["result"] == []
        response = client.put(
            "/store",
            params={"graph": "urn:example:more"},
            content=f"{ruritania} a <https://w3id.org/accordkg/ontology#State> ; "
            '<http://www.w3.org/2000/01/rdf-schema#label> "Ruritania"@en .',
            headers={"Content-Type": "text/turtle", "Authorization": "Bearer t0ken"},
        )
        assert response.status_code == 201, response.text
        (candidate,) = client.post("/reconcile", data=batch).json()["q0"]["result"]
    assert (candidate["id"], candidate["match"]) == ("state/ruritania", True)
