"""Answers written out: solutions (SELECT, ASK) and graphs (CONSTRUCT, DESCRIBE) in every
registered format, streamed in pieces to any sink with write() and flush().

Solutions are written here rather than by the engine: one pass that makes each term's
text once, several times faster than pyoxigraph's writers on answers that repeat terms,
and the same text wherever the query ran. Booleans and graphs are the engine's to write.
The command line writes rdflib solutions with the same writers (`solutions_bytes`).
"""

import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from json.encoder import encode_basestring_ascii as json_string
from typing import IO, Any, Protocol, cast
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph
from rdflib import BNode, Literal, URIRef

from accordkg.store import Solutions, Term

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
WRITE_BYTES = 8 * 1024  # serialized rows are written in pieces of about this size
XML_TEXT = {"\r": "&#13;"}  # else XML parsers read a carriage return as a line feed


class Sink(Protocol):
    """Where serialized answers are written: pyoxigraph and the writers call only these."""

    def write(self, data: bytes) -> int: ...

    def flush(self) -> None: ...


Rows = Callable[[Iterable[Any]], Iterator[Any]]  # what passes rows on (the row limit)


@dataclass(frozen=True)
class SolutionLayout:
    """How one result format lays out solutions: a head naming the variables, each row
    as its bindings between `row_start` and `row_end`, and a tail."""

    head: Callable[[list[str]], str]
    binding: Callable[[str, Any], str]  # a bound variable's text: (name, term) -> text
    unbound: str | None  # an unbound variable's text, or None to leave it out
    row_start: str
    separator: str  # between the bindings of a row
    row_end: str
    between_rows: str
    tail: str


def write_solutions(
    layout: SolutionLayout, variables: list[str], rows: Iterable[Any], output: Sink
) -> None:
    """Write solutions in `layout`. Each term's text is made once per variable and then
    looked up: answers repeat terms (the same party in many rows), and making the text
    costs several times more than finding it."""
    texts: list[dict[Any, str]] = [{} for _ in variables]
    columns = list(enumerate(variables))

    def row_text(row: Any) -> str:
        parts = []
        for index, name in columns:
            term = row[index]
            if term is None:
                if layout.unbound is not None:
                    parts.append(layout.unbound)
                continue
            text = texts[index].get(term)
            if text is None:
                text = texts[index][term] = layout.binding(name, term)
            parts.append(text)
        return layout.row_start + layout.separator.join(parts) + layout.row_end

    rows_text = _separated(map(row_text, rows), layout.between_rows)
    _write_batched(output, layout.head(variables), rows_text, layout.tail)


def _separated(items: Iterable[str], separator: str) -> Iterator[str]:
    for index, item in enumerate(items):
        yield item if index == 0 else separator + item


def _write_batched(output: Sink, head: str, parts: Iterable[str], tail: str) -> None:
    """Write `head`, the parts and `tail` in pieces of about WRITE_BYTES: a write per row
    would cost more than the row."""
    batch = [head]
    size = 0
    for part in parts:
        batch.append(part)
        size += len(part)
        if size >= WRITE_BYTES:
            output.write("".join(batch).encode("utf-8"))
            batch.clear()
            size = 0
    batch.append(tail)
    output.write("".join(batch).encode("utf-8"))


def _json_term(term: Any) -> dict[str, str]:
    if isinstance(term, pyoxigraph.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, pyoxigraph.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, pyoxigraph.Literal):
        value = {"type": "literal", "value": term.value}
        if term.language:
            value["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            value["datatype"] = term.datatype.value
        return value
    return {"type": "triple", "value": str(term)}


def _json_value(term: Any) -> str:
    """The term as a SPARQL JSON binding value: what json.dumps(_json_term(term)) writes,
    several times faster."""
    value = _json_term(term)
    members = [f"{json_string(key)}: {json_string(text)}" for key, text in value.items()]
    return "{" + ", ".join(members) + "}"


def _xml_binding(name: str, term: Any) -> str:
    value = _json_term(term)
    if value["type"] == "literal":
        attributes = "".join(
            f" {key}={quoteattr(value[key])}" for key in ("xml:lang", "datatype") if key in value
        )
        inner = f"<literal{attributes}>{escape(value['value'], XML_TEXT)}</literal>"
    else:
        inner = f"<{value['type']}>{escape(value['value'])}</{value['type']}>"
    return f"<binding name={quoteattr(name)}>{inner}</binding>"


def _csv_field(_: str, term: Any) -> str:
    if isinstance(term, pyoxigraph.BlankNode):
        return _csv_text(f"_:{term.value}")
    return _csv_text(str(term.value) if hasattr(term, "value") else str(term))


def _csv_text(text: str) -> str:
    """RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled."""
    if any(character in text for character in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


# Heads and bindings are functions of the module, not lambdas: a job names its format's
# writer, and jobs are pickled on their way to a worker.
def _json_head(variables: list[str]) -> str:
    return json.dumps({"head": {"vars": variables}})[:-1] + ', "results": {"bindings": ['


def _json_binding(name: str, term: Any) -> str:
    return f"{json_string(name)}: {_json_value(term)}"


def _xml_head(variables: list[str]) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>'
        + "".join(f"<variable name={quoteattr(name)}/>" for name in variables)
        + "</head><results>"
    )


def _csv_head(variables: list[str]) -> str:
    return ",".join(map(_csv_text, variables)) + "\r\n"


def _tsv_head(variables: list[str]) -> str:
    return "\t".join(f"?{name}" for name in variables) + "\n"


def _tsv_field(_: str, term: Any) -> str:
    return str(term)


JSON_LAYOUT = SolutionLayout(
    head=_json_head,
    binding=_json_binding,
    unbound=None,
    row_start="{",
    separator=", ",
    row_end="}",
    between_rows=", ",
    tail="]}}",
)
XML_LAYOUT = SolutionLayout(
    head=_xml_head,
    binding=_xml_binding,
    unbound=None,
    row_start="<result>",
    separator="",
    row_end="</result>",
    between_rows="",
    tail="</results></sparql>\n",
)
CSV_LAYOUT = SolutionLayout(
    head=_csv_head,
    binding=_csv_field,
    unbound="",
    row_start="",
    separator=",",
    row_end="\r\n",
    between_rows="",
    tail="",
)
TSV_LAYOUT = SolutionLayout(
    head=_tsv_head,
    binding=_tsv_field,
    unbound="",
    row_start="",
    separator="\t",
    row_end="\n",
    between_rows="",
    tail="",
)


@dataclass(frozen=True)
class SolutionsWriter:
    """Writes a SELECT's solutions in its layout and an ASK's boolean with the engine's
    writer of the same format (named, so that a job carrying it can be pickled)."""

    layout: SolutionLayout
    boolean: str  # the pyoxigraph.QueryResultsFormat member

    def write(self, result: Any, rows: Rows, output: Sink) -> None:
        if isinstance(result, pyoxigraph.QueryBoolean):
            engine_format = getattr(pyoxigraph.QueryResultsFormat, self.boolean)
            result.serialize(cast(IO[bytes], output), format=engine_format)
            return
        write_solutions(self.layout, [v.value for v in result.variables], rows(result), output)


@dataclass(frozen=True)
class TriplesWriter:
    """Writes a graph with the engine's writer (named, as above); `as_quads` for a quad
    format, the triples then being the default graph's."""

    engine: str  # the pyoxigraph.RdfFormat member
    as_quads: bool = False

    def write(self, result: Any, rows: Rows, output: Sink) -> None:
        triples: Iterable[Any] = rows(result)
        if self.as_quads:
            triples = (pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in triples)
        engine_format = getattr(pyoxigraph.RdfFormat, self.engine)
        pyoxigraph.serialize(triples, cast(IO[bytes], output), format=engine_format)


def solutions_bytes(solutions: Solutions, writer: SolutionsWriter) -> bytes:
    """Solutions read through the store interface (rdflib terms), written as a worker
    writes them."""
    held = io.BytesIO()
    rows = [
        [_to_oxigraph(row[name]) if name in row else None for name in solutions.variables]
        for row in solutions.rows
    ]
    write_solutions(writer.layout, solutions.variables, rows, held)
    return held.getvalue()


def _to_oxigraph(term: Term) -> Any:
    if isinstance(term, URIRef):
        return pyoxigraph.NamedNode(term)
    if isinstance(term, BNode):
        return pyoxigraph.BlankNode(term)
    if isinstance(term, Literal) and term.language:
        return pyoxigraph.Literal(str(term), language=term.language)
    datatype = term.datatype if isinstance(term, Literal) else None
    return pyoxigraph.Literal(str(term), datatype=pyoxigraph.NamedNode(datatype or XSD_STRING))
