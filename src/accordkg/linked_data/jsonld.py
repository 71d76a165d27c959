"""The JSON-LD context of accordkg, and the one JSON-LD writer every response uses.

The context is generated from the packaged ontology, so it follows the vocabulary: one
term per ak: class and property (object properties take IRIs, typed datatype properties
their datatype, language-tagged ones English), plus the external terms the data uses and
the project's prefixes. It is versioned (`v1`): a term once published keeps its meaning;
an incompatible change needs a new version beside this one. JSON-LD documents carry it
inline, so no client (and no parser here) ever fetches a context over the network.
"""

import json
from functools import cache
from typing import Any

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import FOAF, OWL, RDF, RDFS, SKOS, XSD
from rdflib.plugins.serializers.jsonld import Converter
from rdflib.plugins.shared.jsonld.context import Context

from accordkg.namespaces import AK, OA, PREFIXES
from accordkg.resources import ontology_graph

CONTEXT_VERSION = "v1"

# Terms from other vocabularies the data uses, with how their values are written.
EXTERNAL_TERMS: dict[str, tuple[URIRef, str | None]] = {
    "label": (RDFS.label, "@en"),
    "comment": (RDFS.comment, "@en"),
    "prefLabel": (SKOS.prefLabel, "@en"),
    "altLabel": (SKOS.altLabel, "@en"),
    "exactMatch": (SKOS.exactMatch, "@id"),
    "inScheme": (SKOS.inScheme, "@id"),
    "name": (FOAF.name, None),
    "hasTarget": (OA.hasTarget, "@id"),
    "hasSource": (OA.hasSource, "@id"),
    "hasSelector": (OA.hasSelector, "@id"),
    "start": (OA.start, str(XSD.nonNegativeInteger)),
    "end": (OA.end, str(XSD.nonNegativeInteger)),
    "exact": (OA.exact, None),
}


@cache
def context() -> dict[str, Any]:
    """The JSON-LD context (the value of `@context`), built once from the ontology."""
    return build_context(ontology_graph())


def build_context(ontology: Graph) -> dict[str, Any]:
    """A context for `ontology`'s ak: terms, the external terms and the prefixes."""
    terms: dict[str, Any] = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    for name, (iri, kind) in EXTERNAL_TERMS.items():
        terms[name] = _definition(iri, kind)
    for cls in sorted(_own(ontology, OWL.Class)):
        terms.setdefault(cls.fragment, str(cls))
    for prop in sorted(_own(ontology, OWL.ObjectProperty)):
        terms.setdefault(prop.fragment, _definition(prop, "@id"))
    for prop in sorted(_own(ontology, OWL.DatatypeProperty)):
        terms.setdefault(prop.fragment, _definition(prop, _value_kind(ontology, prop)))
    return terms


def context_document() -> bytes:
    """The context as a JSON-LD document of its own, as served at /context/v1.jsonld."""
    return json.dumps({"@context": context()}, indent=2, ensure_ascii=False).encode("utf-8")


def to_jsonld(graph: Graph) -> bytes:
    """`graph` as compacted JSON-LD with the accordkg context inline, UTF-8 encoded: one
    node object per subject, in a stable order (IRIs, then blank nodes)."""
    active = Context(context())
    nodes = _EverySubject(active, use_native_types=True, use_rdf_type=False).convert(graph)
    document = nodes if isinstance(nodes, dict) else {active.graph_key: nodes}
    document["@context"] = context()
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False).encode("utf-8")


class _EverySubject(Converter):
    """rdflib's JSON-LD converter, made to write a node object for every subject.

    rdflib writes a blank node's own triples only when it meets the node as a plain value;
    when the property's term coerces values to IRIs (`"@type": "@id"`, as for
    oa:hasTarget) it writes the reference and silently drops the node's triples. Visiting
    every subject first, as here, keeps them. RDF list nodes are the exception: rdflib
    writes them as `@list` where they are plain values, so they get a node object only
    when nothing refers to them that way.
    """

    def from_graph(self, graph: Graph) -> list[dict[str, Any]]:
        coerced = {URIRef(t.id) for t in self.context.terms.values() if t.type == "@id"}
        nodemap: dict[str, dict[str, Any]] = {}
        subjects = {s for s in graph.subjects() if isinstance(s, URIRef | BNode)}
        ordered = sorted(subjects, key=lambda node: (isinstance(node, BNode), str(node)))
        for subject in ordered:
            if (subject, RDF.first, None) in graph:
                referrers = set(graph.predicates(None, subject))
                if referrers and not referrers & coerced:
                    continue
            self.process_subject(graph, subject, nodemap)
        return list(nodemap.values())


def _own(ontology: Graph, kind: URIRef) -> set[URIRef]:
    return {t for t in ontology.subjects(RDF.type, kind) if isinstance(t, URIRef) and t in AK}


def _value_kind(ontology: Graph, prop: URIRef) -> str | None:
    """How the values of a datatype property are written: a datatype, `@en`, or as given
    (plain strings, or a union of datatypes that each value states itself)."""
    value_range = ontology.value(prop, RDFS.range)
    if value_range == RDF.langString:
        return "@en"
    if isinstance(value_range, URIRef) and value_range != XSD.string:
        return str(value_range)
    return None


def _definition(iri: URIRef, kind: str | None) -> dict[str, str]:
    definition = {"@id": str(iri)}
    if kind == "@en":
        definition["@language"] = "en"
    elif kind is not None:
        definition["@type"] = kind
    return definition
