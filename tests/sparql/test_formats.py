"""The format registry: what it offers, how words and media types name formats, and that
a format registered at run time is negotiated, written by a worker, described in the
service description and listed in the OpenAPI document."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef

from accordkg.api import create_app
from accordkg.errors import InputError, NotAcceptableError
from accordkg.pipeline.build import build
from accordkg.settings import Settings
from accordkg.sparql.formats import (
    FORMATS,
    Answers,
    Format,
    choices,
    chosen_format,
    format_among,
    offers,
    register,
)
from accordkg.sparql.writers import SolutionLayout, SolutionsWriter
from tests.conftest import INPUTS

SD_RESULT_FORMAT = URIRef("http://www.w3.org/ns/sparql-service-description#resultFormat")
NDJSON = "application/x-ndjson"


def test_offers_keep_the_order_of_preference_and_every_media_type() -> None:
    solutions = offers(Answers.SOLUTIONS)
    assert next(iter(solutions)) == "application/sparql-results+json"
    assert solutions["application/json"].name == "json"
    assert {f.name for f in solutions.values()} == {"json", "xml", "csv", "tsv"}
    graphs = offers(Answers.GRAPH)
    assert next(iter(graphs)) == "text/turtle"
    assert graphs["text/plain"].name == "ntriples"
    assert graphs["application/xml"].name == "rdfxml"


@pytest.mark.parametrize(
    ("word", "answers", "expected"),
    [
        ("json", Answers.SOLUTIONS, "json"),
        ("json", Answers.GRAPH, "jsonld"),  # SPARQLWrapper's word for both
        ("XML", Answers.GRAPH, "rdfxml"),
        ("ttl", Answers.GRAPH, "turtle"),
        ("text/csv; charset=utf-8", Answers.SOLUTIONS, "csv"),
        ("n-triples", Answers.GRAPH, "ntriples"),
        ("turtle", Answers.SOLUTIONS, None),
    ],
)
def test_words_and_media_types_name_formats(
    word: str, answers: Answers, expected: str | None
) -> None:
    found = format_among(word, offers(answers).values())
    assert (found.name if found else None) == expected


def test_choosing_follows_format_then_accept_and_says_what_is_wrong() -> None:
    solutions = offers(Answers.SOLUTIONS)
    assert chosen_format(solutions, ["tsv"], "application/json").name == "tsv"
    assert chosen_format(solutions, [], "text/csv;q=0.5, text/tab-separated-values").name == "tsv"
    assert chosen_format(solutions, ["turtle"], "text/csv").name == "csv"  # Accept steps in
    with pytest.raises(InputError, match="format must be one of csv, json, tsv, xml"):
        chosen_format(solutions, ["turtle"], None)
    with pytest.raises(NotAcceptableError, match="offered: application/sparql-results"):
        chosen_format(solutions, [], "image/png")


def test_every_format_has_its_own_name_extension_and_choices() -> None:
    assert len({f.extension for f in FORMATS.values()}) == len(FORMATS)
    assert "ttl" in choices(offers(Answers.GRAPH))
    assert "tsv" not in choices(offers(Answers.GRAPH))


# A format a deployment might add: solutions as JSON Lines, one object per row. Its
# layout's parts are functions of this module, as a job's format goes to the workers.
def _lines_head(variables: list[str]) -> str:
    return ""


def _lines_binding(name: str, term: Any) -> str:
    return f"{json.dumps(name)}: {json.dumps(term.value)}"


LINES = Format(
    "ndjson",
    "Solutions as JSON Lines",
    Answers.SOLUTIONS,
    NDJSON,
    "ndjson",
    SolutionsWriter(
        SolutionLayout(
            head=_lines_head,
            binding=_lines_binding,
            unbound=None,
            row_start="{",
            separator=", ",
            row_end="}\n",
            between_rows="",
            tail="",
        ),
        "JSON",
    ),
    words=("jsonl",),
)


@pytest.fixture
def with_lines() -> Iterator[Format]:
    register(LINES)
    yield LINES
    del FORMATS[LINES.name]


@pytest.fixture
def built(tmp_path: Path) -> Settings:
    settings = Settings(data_dir=tmp_path, input_dir=INPUTS, query_workers=1)
    build(settings)
    return settings


def test_a_registered_format_is_negotiated_written_described_and_listed(
    with_lines: Format, built: Settings
) -> None:
    query = "SELECT ?s WHERE { ?s a <https://w3id.org/accordkg/ontology#Declaration> }"
    with TestClient(create_app(built)) as client:
        for request in ({"headers": {"Accept": NDJSON}}, {"params": {"format": "jsonl"}}):
            response = client.get("/sparql", params={"query": query, **request.get("params", {})},
                                  headers=request.get("headers"))  # fmt: skip
            assert response.status_code == 200, response.text
            assert response.headers["content-type"] == NDJSON
            rows = [json.loads(line) for line in response.text.splitlines()]
            assert rows
            assert all(set(row) == {"s"} for row in rows)
            assert any(row["s"].endswith("us-uk-ai-research-declaration-2020") for row in rows)
        described = Graph().parse(data=client.get("/sparql").text, format="turtle")
        formats = set(described.objects(None, SD_RESULT_FORMAT))
        assert URIRef(f"https://www.iana.org/assignments/media-types/{NDJSON}") in formats
        assert URIRef("http://www.w3.org/ns/formats/SPARQL_Results_TSV") in formats
        document = client.get("/openapi.json").json()
        parameters = document["paths"]["/sparql"]["get"]["parameters"]
        (format_parameter,) = [p for p in parameters if p["name"] == "format"]
        assert {"ndjson", "jsonl", NDJSON} <= set(format_parameter["schema"]["enum"])
        answers = document["paths"]["/sparql"]["get"]["responses"]["200"]["content"]
        assert NDJSON in answers
