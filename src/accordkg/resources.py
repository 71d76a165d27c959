"""Packaged files (ontology, shapes, queries), read through importlib.resources only."""

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any
from xml.sax import SAXParseException

from rdflib import Graph
from rdflib.plugins.parsers.notation3 import BadSyntax

from accordkg.errors import AccordError, InputError
from accordkg.namespaces import PREFIXES

CORE_MODULE = "accordkg.ttl"
ONTOLOGY_MODULES = (CORE_MODULE, "alignments.ttl")
SHAPES = "shapes.ttl"


def ontology_resource(name: str) -> Traversable:
    """A file of the `accordkg.ontology` package, e.g. `shapes.ttl`."""
    return files("accordkg.ontology").joinpath(name)


def new_graph() -> Graph:
    """An empty graph with the project's prefixes bound, for readable serializations."""
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def read_text(path: Path) -> str:
    """A UTF-8 text file from outside, or an InputError naming it and saying why not."""
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: not UTF-8 text (byte {exc.start} is 0x{exc.object[exc.start]:02x}); "
            "convert it to UTF-8 first"
        ) from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot be read: {exc.strerror or exc}") from exc


def parse_turtle(text: str, graph: Graph, name: str, base: str | None = None) -> Graph:
    """Parse Turtle into `graph` (relative IRIs against `base`), turning the parser's
    exception into an InputError."""
    return parsed(graph, f"{name}: not valid Turtle, ", data=text, format="turtle", publicID=base)


def parsed(
    graph: Graph, problem: str, error: type[AccordError] = InputError, **arguments: Any
) -> Graph:
    """`graph` with what rdflib parses from `arguments` (those of Graph.parse) added; a
    parser's exception (rdflib raises many unrelated types for bad syntax) becomes an
    `error` of one line: `problem`, then what the parser said."""
    try:
        graph.parse(**arguments)
    except Exception as exc:
        raise error(f"{problem}{syntax_problem(exc)}") from exc
    return graph


def syntax_problem(exc: Exception) -> str:
    """What a parser says is wrong, on one line and with the line number where the parser
    knows it (rdflib's Turtle error otherwise quotes the input as Python bytes)."""
    if isinstance(exc, BadSyntax):
        return f"line {exc.lines + 1}: {exc._why}"
    if isinstance(exc, SAXParseException):
        return f"line {exc.getLineNumber()}, column {exc.getColumnNumber()}: {exc.getMessage()}"
    return " ".join(str(exc).split())


def ontology_graph(modules: tuple[str, ...] = ONTOLOGY_MODULES) -> Graph:
    """The ontology with its alignment module (never owl:imports: both are packaged)."""
    graph = new_graph()
    for name in modules:
        parse_turtle(ontology_resource(name).read_text("utf-8"), graph, name)
    return graph


def shapes_graph() -> Graph:
    """The SHACL shapes every graph must conform to before it is loaded."""
    return parse_turtle(ontology_resource(SHAPES).read_text("utf-8"), new_graph(), SHAPES)
