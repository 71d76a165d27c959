"""SHACL validation against ontology/shapes.ttl, before anything reaches the store.

The shapes are compiled once into one SPARQL query that selects every violation, and a
batch of graphs is checked by Oxigraph in memory: each graph in a named graph of its
own, queried together with what every graph is checked with (the ontology and the
curated records), so a violation belongs to the graph it was found in and a bad
document fails alone. pySHACL took half a second per document, most of it spent on RDFS
inference; here the RDFS closure is materialized once per triple, in Python, before the
query runs (without it a node typed with a subclass, ak:Declaration, would never be
checked by a shape on its superclass, ak:Instrument). The tests hold this validator to
pySHACL's verdicts on a broken graph for every kind of constraint the shapes use.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from itertools import chain
from typing import TypeVar

import pyoxigraph
from rdflib import BNode, Graph, Literal, Node, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH

from accordkg.errors import InputError, ValidationError, Violation
from accordkg.resources import SHAPES, ontology_graph, shapes_graph

K = TypeVar("K")
Triple = tuple[Node, Node, Node]
OxigraphTerm = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal

# An ill-typed literal ("abc"^^xsd:integer) is checked under this datatype, so that no
# sh:datatype accepts it and no comparison succeeds, as SHACL requires.
ILL_TYPED = pyoxigraph.NamedNode("urn:accordkg:validation:ill-typed")
DOCUMENTS_PER_QUERY = 200  # documents validated by one query
RDFS_AXIOM_PREDICATES = frozenset({RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range})


def validate(data: Graph) -> None:
    """Raise ValidationError listing every violation if `data` breaks the shapes."""
    found = violations({None: data}, Graph())[None]
    if found:
        raise ValidationError(found)


def violations(graphs: Mapping[K, Graph], context: Graph) -> dict[K, list[Violation]]:
    """The violations of each graph, read together with `context` (and the ontology).

    Each graph goes into a named graph of its own with its RDFS closure and the part of
    the context's it reaches (the records and ontology terms it names, and what they
    name), and one query finds the violations of a batch of them. The query's time grows
    faster than the batch: 1,000 documents took 23 s in one batch and 16 s in batches of
    200 (of 50, 17 s: each batch has its own start); copying the whole context into each
    graph, not the part reached, made the query twice as slow."""
    with_context = _ontology() + context
    base = _Entailment.of(with_context)
    shared = _BySubject(base.closure(iter(with_context)))
    terms = _Terms()
    store = pyoxigraph.Store()
    found: dict[K, list[Violation]] = {key: [] for key in graphs}
    items = list(graphs.items())
    for start in range(0, len(items), DOCUMENTS_PER_QUERY):
        store.clear()
        names = {}
        for number, (key, graph) in enumerate(items[start : start + DOCUMENTS_PER_QUERY]):
            name = pyoxigraph.NamedNode(f"urn:accordkg:validation:graph:{number}")
            schema = Graph()
            for predicate in RDFS_AXIOM_PREDICATES:
                schema += graph.triples((None, predicate, None))
            if schema:  # the graph extends the ontology: its context is closed anew with it
                entailment = _Entailment.of(with_context + schema)
                store.extend(terms.quads(entailment.closure(chain(graph, with_context)), name))
            else:
                closed = base.closure(iter(graph))
                store.extend(terms.quads(closed | shared.reached(closed), name))
            names[name] = key
        solutions = store.query(_query())
        if isinstance(solutions, pyoxigraph.QuerySolutions):
            for row in solutions:
                found[names[row["g"]]].append(_violation(row))
    return {key: sorted(each, key=str) for key, each in found.items()}


class _BySubject:
    """The context's triples by subject, to take what a graph reaches of them."""

    def __init__(self, triples: set[Triple]) -> None:
        self.triples: dict[Node, list[Triple]] = {}
        for triple in triples:
            self.triples.setdefault(triple[0], []).append(triple)

    def reached(self, graph: set[Triple]) -> set[Triple]:
        """The triples about the nodes `graph` names, and about the nodes they name, on:
        the records and ontology terms used as values (ak:intention), not the classes and
        properties, whose entailments the closure holds already."""
        reached: set[Triple] = set()
        seen: set[Node] = set()
        waiting = [node for triple in graph for node in _nodes(triple)]
        while waiting:
            node = waiting.pop()
            if node in seen:
                continue
            seen.add(node)
            for triple in self.triples.get(node, ()):
                reached.add(triple)
                waiting.extend(_nodes(triple)[1:])
        return reached


def _nodes(triple: Triple) -> tuple[Node, ...]:
    """A triple's subject, and its object unless a literal or a class (of rdf:type)."""
    subject, predicate, value = triple
    if predicate == RDF.type or isinstance(value, Literal):
        return (subject,)
    return (subject, value)


def _violation(row: pyoxigraph.QuerySolution) -> Violation:
    focus, path, message = row["focus"], row["path"], row["message"]
    return Violation(
        focus_node=_n3(focus),
        path=path.value if isinstance(path, pyoxigraph.Literal) else None,
        message=message.value if isinstance(message, pyoxigraph.Literal) else "",
    )


def _n3(term: object) -> str:
    if isinstance(term, pyoxigraph.NamedNode):
        return f"<{term.value}>"
    if isinstance(term, pyoxigraph.BlankNode):
        return f"_:{term.value}"
    return str(term)


@dataclass(frozen=True)
class _Entailment:
    """What RDFS entails from the ontology: each class with its superclasses, each
    property with its superproperties, and the classes its domain and range give."""

    superclasses: dict[Node, frozenset[Node]]
    superproperties: dict[Node, frozenset[Node]]
    domains: dict[Node, frozenset[Node]]
    ranges: dict[Node, frozenset[Node]]

    @staticmethod
    def of(ontology: Graph) -> "_Entailment":
        superclasses = _ancestors(ontology, RDFS.subClassOf)
        superproperties = _ancestors(ontology, RDFS.subPropertyOf)

        def classes(link: URIRef) -> dict[Node, frozenset[Node]]:
            return {
                term: frozenset(
                    ancestor
                    for parent in superproperties.get(term, frozenset({term}))
                    for declared in ontology.objects(parent, link)
                    for ancestor in superclasses.get(declared, frozenset({declared}))
                )
                for term in {*ontology.subjects(link), *superproperties}
            }

        return _Entailment(superclasses, superproperties, classes(RDFS.domain), classes(RDFS.range))

    def closure(self, triples: Iterator[Triple]) -> set[Triple]:
        """`triples` with what RDFS entails from them and the ontology (rules rdfs2, 3,
        7 and 9: domains, ranges, superproperties and superclasses)."""
        closed: set[Triple] = set()
        rdf_type = RDF.type  # looked up once: a namespace attribute costs a call
        for subject, predicate, value in triples:
            for ancestor in self.superproperties.get(predicate, (predicate,)):
                closed.add((subject, ancestor, value))
            for domain in self.domains.get(predicate, ()):
                closed.add((subject, rdf_type, domain))
            if not isinstance(value, Literal):
                for range_class in self.ranges.get(predicate, ()):
                    closed.add((value, rdf_type, range_class))
        for subject, predicate, value in list(closed):
            if predicate == rdf_type:
                for superclass in self.superclasses.get(value, ()):
                    closed.add((subject, rdf_type, superclass))
        return closed


def _ancestors(graph: Graph, link: URIRef) -> dict[Node, frozenset[Node]]:
    """Each term with every term above it by `link`, itself included."""
    terms = {*graph.subjects(link), *graph.objects(link)}
    return {
        term: frozenset(t for t in graph.transitive_objects(term, link) if t is not None)
        for term in terms
    }


class _Terms:
    """rdflib terms as Oxigraph's, each converted once per batch."""

    def __init__(self) -> None:
        self.converted: dict[
            Node, pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal
        ] = {}

    def quads(
        self, triples: set[Triple], graph: pyoxigraph.NamedNode | pyoxigraph.DefaultGraph
    ) -> list[pyoxigraph.Quad]:
        term = self.term
        return [pyoxigraph.Quad(term(s), term(p), term(o), graph) for s, p, o in triples]  # type: ignore[arg-type]

    def term(self, node: Node) -> OxigraphTerm:
        found = self.converted.get(node)
        if found is None:
            found = self.converted[node] = _term(node)
        return found


def _term(node: Node) -> OxigraphTerm:
    if isinstance(node, URIRef):
        return pyoxigraph.NamedNode(str(node))
    if isinstance(node, BNode):
        return pyoxigraph.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return pyoxigraph.Literal(str(node), language=node.language)
        if node.ill_typed:
            return pyoxigraph.Literal(str(node), datatype=ILL_TYPED)
        datatype = pyoxigraph.NamedNode(str(node.datatype)) if node.datatype else None
        return pyoxigraph.Literal(str(node), datatype=datatype)
    raise InputError(f"{node!r} cannot be validated: not an RDF term")


def path_text(shapes: Graph, path: Node) -> str:
    """A SHACL property path (in `shapes`) as violations name it: SPARQL syntax."""
    return _Compiler(shapes).path(path)


@cache
def _ontology() -> Graph:
    """The ontology, parsed once per process: every graph is checked with it."""
    return ontology_graph()


@cache
def _query() -> str:
    """The shapes as one SELECT of every violation's focus node, path and message."""
    return _Compiler(shapes_graph()).query()


# What a shape may say besides its constraints, and parameters read with another one.
DESCRIPTIVE = frozenset({RDF.type, SH.message, SH.name, SH.description, RDFS.comment, RDFS.label})
READ_WITH_OTHERS = frozenset({SH.flags, SH.qualifiedMinCount, SH.qualifiedMaxCount})
COMPARISONS: dict[Node, str] = {
    SH.minInclusive: ">=",
    SH.maxInclusive: "<=",
    SH.minExclusive: ">",
    SH.maxExclusive: "<",
}
LENGTHS: dict[Node, str] = {SH.minLength: "<", SH.maxLength: ">"}
TARGETS = frozenset({SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode})


class _Compiler:
    """SHACL Core shapes into SPARQL, one constraint at a time. A constraint becomes a
    group of patterns (a body) that has a solution exactly when the focus node bound
    before it violates the constraint; a nested shape (sh:node, sh:or,
    sh:not, sh:qualifiedValueShape) is conformed to when no body of its own has a solution.
    Anything the compiler does not know is refused, never skipped."""

    def __init__(self, shapes: Graph) -> None:
        self.shapes = shapes
        self.count = 0

    def query(self) -> str:
        branches = []
        for shape in sorted({s for t in TARGETS for s in self.shapes.subjects(t)}, key=str):
            targets = [self._target(p, o) for p, o in self.shapes.predicate_objects(shape)]
            for path, body, source in self._node(shape, "?focus"):
                message = self.shapes.value(source, SH.message) or self.shapes.value(
                    shape, SH.message
                )
                binds = f"BIND({Literal(str(message or 'constraint violated')).n3()} AS ?message)"
                if path is not None:
                    binds += f" BIND({Literal(path).n3()} AS ?path)"
                for target in filter(None, targets):
                    branches.append(f"{{ {target} {body} {binds} }}")
        union = "\nUNION ".join(branches)
        return f"SELECT DISTINCT ?g ?focus ?path ?message WHERE {{ GRAPH ?g {{\n{union}\n}} }}"

    def _target(self, parameter: Node, value: Node) -> str | None:
        if parameter == SH.targetClass:
            return f"?focus a {value.n3()} ."
        if parameter == SH.targetSubjectsOf:
            return f"?focus {value.n3()} [] ."
        if parameter == SH.targetObjectsOf:
            return f"[] {value.n3()} ?focus ."
        if parameter == SH.targetNode:
            return f"VALUES ?focus {{ {value.n3()} }}"
        return None

    def _var(self) -> str:
        self.count += 1
        return f"?v{self.count}"

    def _node(self, shape: Node, focus: str) -> list[tuple[str | None, str, Node]]:
        """(path, body, the shape the constraint is in) of every constraint of `shape`."""
        found: list[tuple[str | None, str, Node]] = []
        for parameter, value in sorted(self.shapes.predicate_objects(shape), key=str):
            if parameter in DESCRIPTIVE or parameter in TARGETS or parameter in READ_WITH_OTHERS:
                continue
            if parameter == SH.property:
                found += self._property(value, focus)
            else:
                found.append((None, self._fails(parameter, value, shape, focus), shape))
        return found

    def _property(self, shape: Node, focus: str) -> list[tuple[str | None, str, Node]]:
        path_node = self.shapes.value(shape, SH.path)
        if path_node is None:
            raise self._unsupported(SH.property, "a property shape without sh:path")
        path = self.path(path_node)
        found: list[tuple[str | None, str, Node]] = []
        for parameter, value in sorted(self.shapes.predicate_objects(shape), key=str):
            if parameter in DESCRIPTIVE or parameter in READ_WITH_OTHERS or parameter == SH.path:
                continue
            if parameter == SH.minCount:
                body = f"FILTER NOT EXISTS {{ {self._values(focus, path, _count(value))} }}"
            elif parameter == SH.maxCount:
                body = self._values(focus, path, _count(value) + 1)
            elif parameter == SH.qualifiedValueShape:
                body = self._qualified(shape, value, focus, path)
            elif parameter == SH.lessThan:
                low, high = self._var(), self._var()
                body = (
                    f"{focus} {path} {low} . {focus} {value.n3()} {high} . "
                    f"FILTER(!COALESCE({low} < {high}, false))"
                )
            else:
                each = self._var()
                body = f"{focus} {path} {each} . {self._fails(parameter, value, shape, each)}"
            found.append((path, body, shape))
        return found

    def _qualified(self, shape: Node, qualified: Node, focus: str, path: str) -> str:
        if self.shapes.value(shape, SH.qualifiedMaxCount) is not None:
            raise self._unsupported(SH.qualifiedMaxCount, "")
        least = self.shapes.value(shape, SH.qualifiedMinCount)
        if least is None:
            raise self._unsupported(SH.qualifiedValueShape, "without sh:qualifiedMinCount")
        names = [self._var() for _ in range(_count(least))]
        conforming = " ".join(
            f"{focus} {path} {name} . FILTER NOT EXISTS {{ {self._union(qualified, name)} }}"
            for name in names
        )
        return f"FILTER NOT EXISTS {{ {conforming} {_distinct(names)} }}"

    def _values(self, focus: str, path: str, count: int) -> str:
        """A body with a solution when `focus` has `count` distinct values or more."""
        names = [self._var() for _ in range(count)]
        return " ".join(f"{focus} {path} {name} ." for name in names) + _distinct(names)

    def _union(self, shape: Node, focus: str) -> str:
        """A pattern with a solution when `focus` violates `shape`."""
        bodies = [body for _, body, _ in self._node(shape, focus)]
        return " UNION ".join(f"{{ {body} }}" for body in bodies) or "FILTER(false)"

    def _fails(self, parameter: Node, value: Node, shape: Node, node: str) -> str:
        """A body with a solution when the value node `node` fails one constraint."""
        if parameter == SH["class"]:
            return f"FILTER NOT EXISTS {{ {node} a {value.n3()} }}"
        if parameter in COMPARISONS:
            return f"FILTER(!COALESCE({node} {COMPARISONS[parameter]} {value.n3()}, false))"
        if parameter in LENGTHS:
            length = f"STRLEN(STR({node})) {LENGTHS[parameter]} {_count(value)}"
            return f"FILTER(isBlank({node}) || {length})"
        return f"FILTER({self._failing(parameter, value, shape, node)})"

    def _failing(self, parameter: Node, value: Node, shape: Node, node: str) -> str:
        """An expression true when the value node `node` fails one constraint."""
        if parameter == SH.datatype:
            if value == RDF.langString:
                return f'!(isLiteral({node}) && lang({node}) != "")'
            return f"!(isLiteral({node}) && sameTerm(datatype({node}), {value.n3()}))"
        if parameter == SH["in"]:
            allowed = " || ".join(f"sameTerm({node}, {item.n3()})" for item in self._list(value))
            return f"!({allowed or 'false'})"
        if parameter == SH.pattern:
            flags = self.shapes.value(shape, SH.flags)
            regex = Literal(str(value)).n3() + (f", {flags.n3()}" if flags else "")
            return f"isBlank({node}) || !REGEX(STR({node}), {regex})"
        if parameter in (SH.node, SH["not"], SH["or"]):
            return self._nested(parameter, value, node)
        raise self._unsupported(parameter, f"in {shape.n3()}")

    def _nested(self, parameter: Node, value: Node, node: str) -> str:
        """An expression true when `node` fails a constraint made of other shapes."""
        if parameter == SH.node:
            return f"EXISTS {{ {self._union(value, node)} }}"
        if parameter == SH["not"]:
            return f"NOT EXISTS {{ {self._union(value, node)} }}"
        each = [f"EXISTS {{ {self._union(s, node)} }}" for s in self._list(value)]
        return " && ".join(each) or "true"

    def path(self, node: Node) -> str:
        """A SHACL property path as a SPARQL property path."""
        if isinstance(node, URIRef):
            return node.n3()
        alternatives = self.shapes.value(node, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(self.path(step) for step in self._list(alternatives)) + ")"
        inverse = self.shapes.value(node, SH.inversePath)
        if inverse is not None:
            return f"^{self.path(inverse)}"
        if self.shapes.value(node, RDF.first) is not None:
            return "(" + "/".join(self.path(step) for step in self._list(node)) + ")"
        raise self._unsupported(SH.path, f"{node.n3()} is a path of a kind not compiled")

    def _list(self, node: Node) -> list[Node]:
        return list(Collection(self.shapes, node))

    def _unsupported(self, parameter: Node, where: str) -> InputError:
        return InputError(f"{SHAPES}: {parameter.n3()} {where} is not supported by the validator")


def _count(value: Node) -> int:
    if not isinstance(value, Literal) or not isinstance(value.value, int):
        raise InputError(f"{SHAPES}: {value!r} is not a count")
    return value.value


def _distinct(names: list[str]) -> str:
    pairs = [f"!sameTerm({a}, {b})" for i, a in enumerate(names) for b in names[i + 1 :]]
    return f" FILTER({' && '.join(pairs)})" if pairs else ""
