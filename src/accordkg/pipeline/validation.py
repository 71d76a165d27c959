"""SHACL validation against ontology/shapes.ttl, before anything reaches the store."""

from functools import cache
from typing import cast

import pyshacl
from rdflib import Graph, Node
from rdflib.namespace import SH

from accordkg.errors import ValidationError, Violation
from accordkg.resources import ontology_graph, shapes_graph


def validate(data: Graph) -> None:
    """Raise ValidationError listing every violation if `data` breaks the shapes.

    The ontology is passed as `ont_graph` with RDFS inference: without it a node typed
    with a subclass (ak:Declaration) is never checked by a shape on its superclass
    (ak:Instrument) and bad data passes as conforming.
    """
    shapes, ontology = _rules()
    conforms, report, _ = pyshacl.validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="rdfs",
        allow_warnings=True,
    )
    if not conforms:
        raise ValidationError(_violations(cast(Graph, report)))


@cache
def _rules() -> tuple[Graph, Graph]:
    """The shapes and the ontology, parsed once per process (pySHACL only reads them)."""
    return shapes_graph(), ontology_graph()


def _violations(report: Graph) -> list[Violation]:
    violations = []
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        path = report.value(result, SH.resultPath)
        violations.append(
            Violation(
                focus_node=_show(report.value(result, SH.focusNode)),
                path=_show(path) if path is not None else None,
                message=str(report.value(result, SH.resultMessage) or "constraint violated"),
            )
        )
    return sorted(violations, key=str)


def _show(node: Node | None) -> str:
    return node.n3() if node is not None else "?"
