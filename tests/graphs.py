"""Small typed helpers for reading expected facts out of rdflib graphs in tests."""

from rdflib import Graph, Literal, Node, URIRef
from rdflib.namespace import RDF, XSD

from accordkg.namespaces import OA


def one(graph: Graph, subject: Node, predicate: URIRef) -> Node:
    """The single value of `predicate` on `subject`; fails the test if there are more or none."""
    values = list(graph.objects(subject, predicate))
    assert len(values) == 1, (subject, predicate, values)
    return values[0]


def text(graph: Graph, subject: Node, predicate: URIRef) -> str | None:
    """The value as a string, or None when absent."""
    value = graph.value(subject, predicate)
    return None if value is None else str(value)


def spans(graph: Graph, evidence: Node) -> list[tuple[int, int, str]]:
    """(start, end, quote) of each target of an evidence annotation."""
    found = []
    for target in graph.objects(evidence, OA.hasTarget):
        selectors = list(graph.objects(target, OA.hasSelector))
        position = next(s for s in selectors if (s, RDF.type, OA.TextPositionSelector) in graph)
        quote = next(s for s in selectors if (s, RDF.type, OA.TextQuoteSelector) in graph)
        start, end = one(graph, position, OA.start), one(graph, position, OA.end)
        found.append((int(str(start)), int(str(end)), str(one(graph, quote, OA.exact))))
    return found


def plain_strings(graph: Graph) -> Graph:
    """`graph` with `"x"^^xsd:string` written as `"x"`: the same RDF 1.1 literal, which
    rdflib compares as different (the store answers the first, parsers give the second)."""
    normal = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == XSD.string:
            o = Literal(str(o))
        normal.add((s, p, o))
    return normal
