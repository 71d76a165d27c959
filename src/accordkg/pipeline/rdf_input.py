"""RDF from outside (an `accordkg import` file, a Graph Store upload), parsed by rdflib
with what its parsers would do unasked taken away.

- Nothing is fetched. A JSON-LD context (or an `@import` in one) named by IRI is refused,
  and the JSON is parsed once, here, and handed to rdflib as data: what was checked is
  what rdflib reads. An RDF/XML document may not have a DOCTYPE, so it declares no
  entities (a few hundred bytes of nested entities expand to gigabytes) and names no DTD.
- Nothing nests deeper than MAX_DEPTH (blank nodes and collections in Turtle, objects and
  arrays in JSON-LD, elements in RDF/XML): rdflib's Turtle and JSON-LD parsers recurse,
  and past Python's recursion limit they fail with no useful message.

The server parses in a process of its own (`parse_in_worker`), killed past a time limit,
so a body that is slow to parse holds up nothing else.
"""

import json
import pyexpat
import re
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from rdflib import Graph
from rdflib.parser import PythonInputSource

from accordkg.errors import ContentTooLargeError, InputError
from accordkg.processes import fork_server
from accordkg.resources import parsed

# Deeper than any real data, and shallow enough for rdflib's recursive parsers to finish
# within Python's recursion limit from a deep call stack (each nested Turtle blank node
# costs them eight frames).
MAX_DEPTH = 64
# What opens or closes a level in Turtle, and what may contain brackets without opening
# one: strings, IRIs, comments and escaped characters of local names.
TURTLE_TOKENS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\r\n]|\\.)*"'
    r"|'(?:[^'\\\r\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"
    r"|#[^\r\n]*"
    r"|\\."
    r"|[\[\]()]",
    re.DOTALL,
)


@dataclass(frozen=True)
class RdfPart:
    """One RDF document to parse: its content, the rdflib parser for it (turtle, nt,
    json-ld, xml), and how messages name its format (`label`) and it (`name`: the body,
    a file)."""

    data: str | bytes
    parser: str
    label: str
    name: str


def parse_rdf(data: str | bytes, parser: str, base: str, label: str) -> Graph:
    """The triples of `data`, relative IRIs resolved against `base`; an InputError of one
    line (`label` naming the format) if it is not valid, would need a fetch, or nests
    deeper than MAX_DEPTH. Bytes are UTF-8 (rdflib reads RDF/XML so too, whatever its XML
    declaration says)."""
    text = _text(data, label)
    arguments: dict[str, Any] = {"data": text}
    if parser == "xml":
        _check_xml(text, label)
    elif parser == "json-ld":
        document = _json(text, label)
        _check_json(document)
        arguments = {"source": PythonInputSource(document)}
    elif parser == "turtle":
        _check_turtle(text)
    return parsed(Graph(), f"not valid {label}, ", **arguments, format=parser, publicID=base)


def parse_in_worker(parts: Sequence[RdfPart], base: str, timeout_s: float) -> bytes:
    """The triples of every part, as N-Triples, parsed by `parse_rdf` in a process of its
    own, killed if it takes longer than `timeout_s` (ContentTooLargeError). It blocks its
    caller, so the server calls it in a thread, never in the event loop.

    Processes come from the fork server (accordkg.processes), so each starts in
    milliseconds."""
    context = fork_server()
    ours, theirs = context.Pipe(duplex=False)
    process = context.Process(target=_parse_parts, args=(theirs, parts, base), daemon=True)
    process.start()
    theirs.close()
    try:
        if not ours.poll(timeout_s):
            raise ContentTooLargeError(
                f"parsing the body took longer than {timeout_s:g} s and was stopped; "
                "send it in smaller parts"
            )
        kind, value = ours.recv()
    except EOFError:
        raise ContentTooLargeError(
            "the parser stopped without an answer (out of memory?); send the body in smaller parts"
        ) from None
    finally:
        process.kill()
        process.join()
        ours.close()
    if kind == "error":
        raise InputError(value)
    triples: bytes = value
    return triples


def _parse_parts(connection: Connection, parts: Sequence[RdfPart], base: str) -> None:
    """In the worker: parse each part, and send back their triples or the first error."""
    try:
        merged = Graph()
        for part in parts:
            try:
                graph = parse_rdf(part.data, part.parser, base, part.label)
            except InputError as exc:
                raise InputError(f"{part.name}: {exc}") from exc
            if merged:
                merged += graph
            else:
                merged = graph  # not copied: most uploads are one document
        connection.send(("ok", merged.serialize(format="nt", encoding="utf-8")))
    except InputError as exc:
        connection.send(("error", str(exc)))
    finally:
        connection.close()


def _text(data: str | bytes, label: str) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise InputError(f"not valid {label}: not UTF-8: {exc}") from exc


def _json(text: str, label: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid {label}: not valid JSON: {exc}") from exc
    except RecursionError:  # the decoder recurses too, up to Python's recursion limit
        raise _too_deep() from None


def _check_json(document: Any) -> None:
    """JSON-LD parsers fetch a context named by IRI (a string as `@context`, in an array
    of contexts, in a term's scoped context, or as `@import`); every such string anywhere
    in the document is refused, and so is nesting past MAX_DEPTH."""
    pending = [(document, 1)]
    while pending:
        node, depth = pending.pop()
        if isinstance(node, list | dict) and depth > MAX_DEPTH:
            raise _too_deep()
        if isinstance(node, list):
            pending += [(item, depth + 1) for item in node]
        elif isinstance(node, dict):
            for key, value in node.items():
                if key in ("@context", "@import"):
                    for context in value if isinstance(value, list) else [value]:
                        if isinstance(context, str):
                            raise InputError(
                                f"the JSON-LD context {context!r} would have to be fetched; "
                                "accordkg fetches nothing: put the context inline"
                            )
                pending.append((value, depth + 1))


def _check_turtle(text: str) -> None:
    depth = 0
    for token in TURTLE_TOKENS.finditer(text):
        bracket = token.group()
        if bracket in ("[", "("):
            depth += 1
            if depth > MAX_DEPTH:
                raise _too_deep()
        elif bracket in ("]", ")"):
            depth -= 1


def _check_xml(text: str, label: str) -> None:
    """Read the document once with expat, as rdflib will (in UTF-8), refusing a DOCTYPE
    and elements nested past MAX_DEPTH."""
    parser = pyexpat.ParserCreate("utf-8")
    depth = 0

    def doctype(*_: object) -> None:
        raise InputError(
            "RDF/XML with a DOCTYPE is refused: accordkg declares no entities and reads "
            "no DTD; expand the entities first (or send Turtle)"
        )

    def start(*_: object) -> None:
        nonlocal depth
        depth += 1
        if depth > MAX_DEPTH:
            raise _too_deep()

    def end(*_: object) -> None:
        nonlocal depth
        depth -= 1

    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(text.encode("utf-8"), True)
    except pyexpat.ExpatError as exc:
        where = f"line {exc.lineno}, column {exc.offset}"
        raise InputError(f"not valid {label}, {where}: {pyexpat.ErrorString(exc.code)}") from exc


def _too_deep() -> InputError:
    return InputError(f"nested more than {MAX_DEPTH} levels deep; accordkg reads no deeper")
