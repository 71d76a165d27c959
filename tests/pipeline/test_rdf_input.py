"""RDF from outside: parsed with nothing fetched, no XML entities, bounded nesting, and
in a worker process that a time limit stops."""

import json
import time
from collections.abc import Callable

import pytest
from rdflib import Graph, Literal, URIRef

from accordkg.errors import ContentTooLargeError, InputError
from accordkg.pipeline.rdf_input import MAX_DEPTH, RdfPart, parse_in_worker, parse_rdf
from tests.recorder import recording_listener

BASE = "https://example.org/upload/"
NAME = URIRef("http://xmlns.com/foaf/0.1/name")
CONTEXT = json.dumps({"@context": {"name": str(NAME)}}).encode()
CONTEXTS: dict[str, Callable[[str], object]] = {
    "string": lambda url: {"@context": f"{url}/c", "@id": "urn:x", "name": "x"},
    "array": lambda url: {"@context": [{"p": "urn:p"}, f"{url}/c"], "@id": "urn:x"},
    "scoped": lambda url: {"@context": {"p": {"@id": "urn:p", "@context": f"{url}/c"}}},
    "@import": lambda url: {"@context": {"@import": f"{url}/c"}, "@id": "urn:x"},
    "in a graph": lambda url: [{"@id": "urn:x"}, {"@graph": [{"@context": f"{url}/c"}]}],
}


@pytest.mark.parametrize("form", list(CONTEXTS))
def test_no_json_ld_context_is_fetched(form: str) -> None:
    with recording_listener(CONTEXT, "application/ld+json") as (url, hits):
        document = json.dumps(CONTEXTS[form](url))
        with pytest.raises(InputError, match="would have to be fetched"):
            parse_rdf(document, "json-ld", BASE, "JSON-LD")
        assert hits == []


def test_inline_contexts_and_relative_iris_are_read() -> None:
    document = {"@context": {"name": str(NAME)}, "@id": "person/1", "name": "Jane"}
    graph = parse_rdf(json.dumps(document).encode(), "json-ld", BASE, "JSON-LD")
    assert set(graph) == {(URIRef(f"{BASE}person/1"), NAME, Literal("Jane"))}


RDF_XML = (
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="urn:ex:">'
    '<rdf:Description rdf:about="urn:a"><ex:p>{}</ex:p></rdf:Description></rdf:RDF>'
)


def test_xml_with_a_doctype_is_refused_at_once() -> None:
    entities = (
        '<!ENTITY a "'
        + "a" * 40
        + '">'
        + "".join(
            f'<!ENTITY {name} "{("&" + previous + ";") * 10}">'
            for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
        )
    )
    laughs = f'<?xml version="1.0"?><!DOCTYPE rdf:RDF [{entities}]>' + RDF_XML.format("&i;")
    started = time.monotonic()
    with pytest.raises(InputError, match="DOCTYPE is refused"):
        parse_rdf(laughs, "xml", BASE, "RDF/XML")
    assert time.monotonic() - started < 1
    with recording_listener(b"text", "text/plain") as (url, hits):
        external = f'<!DOCTYPE rdf:RDF [<!ENTITY e SYSTEM "{url}/e">]>' + RDF_XML.format("&e;")
        with pytest.raises(InputError, match="DOCTYPE is refused"):
            parse_rdf(external.encode(), "xml", BASE, "RDF/XML")
        dtd = f'<!DOCTYPE rdf:RDF SYSTEM "{url}/dtd">' + RDF_XML.format("x")
        with pytest.raises(InputError, match="DOCTYPE is refused"):
            parse_rdf(dtd.encode(), "xml", BASE, "RDF/XML")
        assert hits == []


def _turtle_blank_nodes(depth: int) -> str:
    return "<urn:a> <urn:p> " + "[ <urn:p> " * depth + "1" + " ]" * depth + " ."


def _turtle_collections(depth: int) -> str:
    return "<urn:a> <urn:p> " + "( " * depth + "1" + " )" * depth + " ."


def _json_objects(depth: int) -> str:
    return '{"@id": "urn:a", ' + '"urn:p": {' * (depth - 1) + '"@id": "urn:x"' + "}" * depth


def _json_arrays(depth: int) -> str:
    return '{"@id": "urn:a", "urn:p": ' + "[" * (depth - 1) + "1" + "]" * (depth - 1) + "}"


def _xml_elements(depth: int) -> str:
    levels = (depth - 2) // 2  # rdf:RDF, then a property and a node per level
    inner = "<ex:p><rdf:Description>" * levels + "</rdf:Description></ex:p>" * levels
    return RDF_XML.replace("<ex:p>{}</ex:p>", inner)


NESTED: dict[str, tuple[str, Callable[[int], str]]] = {
    "turtle blank nodes": ("turtle", _turtle_blank_nodes),
    "turtle collections": ("turtle", _turtle_collections),
    "json-ld objects": ("json-ld", _json_objects),
    "json-ld arrays": ("json-ld", _json_arrays),
    "rdf/xml elements": ("xml", _xml_elements),
}


@pytest.mark.parametrize("kind", list(NESTED))
def test_nesting_is_read_to_the_limit_and_refused_past_it(kind: str) -> None:
    parser, document = NESTED[kind]
    assert len(parse_rdf(document(MAX_DEPTH), parser, BASE, kind)) > 0
    for depth in (MAX_DEPTH + 2, 4000, 100_000):
        with pytest.raises(InputError, match=f"nested more than {MAX_DEPTH} levels deep"):
            parse_rdf(document(depth), parser, BASE, kind)


def test_brackets_in_strings_iris_and_comments_are_not_nesting() -> None:
    deep = "[(" * 100
    turtle = (
        f'<urn:a{deep.replace("[", "%5B")}> <urn:p> "1{deep}", \'2{deep}\', """3{deep}\n""" . '
        f"# {deep}\n<urn:a> <urn:q> '''{deep}''' ."
    )
    assert len(parse_rdf(turtle, "turtle", BASE, "Turtle")) == 4


def test_a_syntax_error_is_one_line() -> None:
    with pytest.raises(InputError) as refused:
        parse_rdf("<urn:a> <urn:b> .", "turtle", BASE, "text/turtle")
    assert str(refused.value) == "not valid text/turtle, line 1: objectList expected"


def test_the_worker_merges_parts_and_names_the_one_that_fails() -> None:
    parts = [
        RdfPart("<urn:a> <urn:b> <urn:c> .", "turtle", "text/turtle", "one.ttl"),
        RdfPart(b'{"@id": "urn:d", "urn:e": "f"}', "json-ld", "application/ld+json", "two"),
    ]
    triples = Graph().parse(data=parse_in_worker(parts, BASE, 30), format="nt")
    assert len(triples) == 2
    broken = RdfPart("<urn:a> <urn:b> .", "turtle", "text/turtle", "three.ttl")
    with pytest.raises(InputError, match=r"^three\.ttl: not valid text/turtle"):
        parse_in_worker([*parts, broken], BASE, 30)


def test_the_worker_is_stopped_past_the_time_limit() -> None:
    body = "<urn:a> <urn:p> " + ", ".join(map(str, range(200_000))) + " ."
    started = time.monotonic()
    with pytest.raises(ContentTooLargeError, match=r"took longer than 0\.5 s"):
        parse_in_worker([RdfPart(body, "turtle", "text/turtle", "the body")], BASE, 0.5)
    assert time.monotonic() - started < 3
