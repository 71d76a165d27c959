"""Named SPARQL queries: the `.rq` files of `queries/`, their headers, and safe parameters.

A file starts with a header of comment lines::

    # title: Parties and their instruments
    # description: Each party with every instrument it is party to.
    # param: party (iri): only this party
    # param: from (date, default 1945-01-01): first day

A parameter is a variable of the query. Values arrive as text, are parsed into RDF terms
of the declared type (an IRI, a string, an integer, a date) and bound as terms; a
parameter left out stays unbound, so the query matches everything, unless it has a
default.
"""

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.resources import files

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from accordkg.errors import InputError, NotFoundError
from accordkg.iris import is_absolute_iri
from accordkg.store import Solutions, Store, Term, with_values

HEADER_LINE = re.compile(r"^#\s*(?P<key>title|description|param):\s*(?P<value>.+?)\s*$")
PARAMETER = re.compile(
    r"^(?P<name>[A-Za-z_]\w*)\s+\((?P<type>iri|string|integer|date)"
    r"(?:,\s*default\s+(?P<default>[^)]+))?\):\s*(?P<description>.+)$"
)
RELATIVE_ID = re.compile(r"^[a-z]+/[A-Za-z0-9._~-]+$")


@dataclass(frozen=True)
class Parameter:
    """A variable of a named query that callers may bind."""

    name: str
    type: str
    default: str | None
    description: str


@dataclass(frozen=True)
class NamedQuery:
    """One `.rq` file: its name (the file name), header and SPARQL text."""

    name: str
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    text: str


@cache
def named_queries() -> dict[str, NamedQuery]:
    """Every packaged named query, by name, read once."""
    queries = {}
    for resource in sorted(files("accordkg.queries").iterdir(), key=lambda r: r.name):
        if resource.name.endswith(".rq"):
            name = resource.name.removesuffix(".rq")
            try:
                text = resource.read_text("utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(f"{resource.name}: not UTF-8 text: {exc.reason}") from exc
            queries[name] = _parse(name, text)
    return queries


def named_query(name: str) -> NamedQuery:
    """The named query `name`, or NotFoundError listing the names there are."""
    query = named_queries().get(name)
    if query is None:
        raise NotFoundError(f"no named query {name!r}; there are: {', '.join(named_queries())}")
    return query


def run_named_query(
    store: Store, query: NamedQuery, values: dict[str, str], base_iri: str
) -> Solutions:
    """Run `query` with `values` (text, as given by a caller) bound as typed RDF terms."""
    return store.select(query.text, _bindings(query, values, base_iri))


def bound_query(query: NamedQuery, values: dict[str, str], base_iri: str) -> str:
    """The text of `query` with `values` bound as typed RDF terms, to run as any query."""
    return with_values(query.text, _bindings(query, values, base_iri))


def _bindings(query: NamedQuery, values: dict[str, str], base_iri: str) -> dict[str, Term]:
    """`values` checked against the query's parameters and parsed, defaults filled in."""
    unknown = set(values) - {p.name for p in query.parameters}
    if unknown:
        known = ", ".join(p.name for p in query.parameters) or "none"
        raise InputError(
            f"{query.name} has no parameter {', '.join(sorted(unknown))}; it has: {known}"
        )
    bindings: dict[str, Term] = {}
    for parameter in query.parameters:
        value = values.get(parameter.name, parameter.default)
        if value is not None:
            bindings[parameter.name] = _term(parameter, value, base_iri)
    return bindings


def _parse(name: str, text: str) -> NamedQuery:
    header: dict[str, str] = {}
    parameters = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = HEADER_LINE.match(line)
        if match is None:
            continue
        if match["key"] == "param":
            parameter = PARAMETER.match(match["value"])
            if parameter is None:
                raise InputError(f"{name}.rq: cannot read parameter line {line!r}")
            parameters.append(
                Parameter(
                    parameter["name"],
                    parameter["type"],
                    parameter["default"],
                    parameter["description"],
                )
            )
        else:
            header[match["key"]] = match["value"]
    if "title" not in header or "description" not in header:
        raise InputError(f"{name}.rq: the header needs a title and a description")
    return NamedQuery(name, header["title"], header["description"], tuple(parameters), text)


def _term(parameter: Parameter, value: str, base_iri: str) -> Term:
    """`value` as an RDF term of the parameter's type, or an InputError saying why not."""
    problem = f"parameter {parameter.name} must be {_EXPECTED[parameter.type]}, not {value!r}"
    if parameter.type == "iri":
        if RELATIVE_ID.match(value):
            return URIRef(base_iri + value)
        if is_absolute_iri(value):
            return URIRef(value)
        raise InputError(problem)
    if parameter.type == "integer":
        if not re.fullmatch(r"[+-]?\d{1,18}", value):
            raise InputError(problem)
        return Literal(int(value))
    if parameter.type == "date":
        try:
            return Literal(date.fromisoformat(value).isoformat(), datatype=XSD.date)
        except ValueError as exc:
            raise InputError(problem) from exc
    return Literal(value, datatype=XSD.string)


_EXPECTED = {
    "iri": "an absolute IRI or an id such as state/united-states",
    "string": "a string",
    "integer": "an integer",
    "date": "a date written YYYY-MM-DD",
}
