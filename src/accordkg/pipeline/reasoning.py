"""Consistency checking with HermiT (through owlready2, which runs it on Java).

HermiT accepts only the OWL 2 datatype map, which lacks xsd:date, xsd:gYear and
xsd:gYearMonth. Literals of those types and the range axioms naming them are left out
of what the reasoner sees; SHACL checks dates instead. owlready2 cannot read Turtle,
so the graph is handed over as N-Triples.
"""

import shutil
import tempfile
from pathlib import Path

import owlready2
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from accordkg.errors import InconsistencyError, ReasonerError
from accordkg.resources import ontology_graph

OUTSIDE_OWL2_DATATYPE_MAP = frozenset({XSD.date, XSD.gYear, XSD.gYearMonth})


def check_consistency(data: Graph) -> None:
    """Raise InconsistencyError if the ontology plus `data` has no model."""
    java = shutil.which("java")
    if java is None:
        raise ReasonerError("HermiT needs Java, and no `java` is on the PATH")
    owlready2.JAVA_EXE = java
    merged = _reasoner_view(ontology_graph() + data)
    with tempfile.TemporaryDirectory(prefix="accordkg-hermit-") as tmp:
        path = Path(tmp) / "merged.nt"
        merged.serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        try:
            world.get_ontology(path.as_uri()).load()
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as exc:
            raise InconsistencyError("HermiT: the ontology and data are inconsistent") from exc
        except (owlready2.OwlReadyJavaError, OSError) as exc:
            raise ReasonerError(f"HermiT could not run: {exc}") from exc
        finally:
            world.close()


def _reasoner_view(graph: Graph) -> Graph:
    """`graph` without what HermiT rejects: unsupported literals and axioms naming them."""
    view = Graph()
    dropped: set[BNode] = set()
    for node in graph.subjects():
        if isinstance(node, BNode) and _names_unsupported_datatype(graph, node):
            dropped.add(node)
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype in OUTSIDE_OWL2_DATATYPE_MAP:
            continue
        if s in dropped or o in dropped or o in OUTSIDE_OWL2_DATATYPE_MAP:
            continue
        view.add((s, p, o))
    return view


def _names_unsupported_datatype(graph: Graph, node: BNode) -> bool:
    """Whether the blank-node structure under `node` mentions an unsupported datatype."""
    seen: set[BNode] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        seen.add(current)
        for value in graph.objects(current):
            if isinstance(value, URIRef) and value in OUTSIDE_OWL2_DATATYPE_MAP:
                return True
            if isinstance(value, BNode) and value not in seen:
                stack.append(value)
    return False
