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

import pyoxigraph
from rdflib import Graph, URIRef
from rdflib.namespace import FOAF, OWL, RDF, RDFS, SKOS, XSD

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
    """`graph` as compacted JSON-LD with the accordkg context inline, UTF-8 encoded."""
    triples = pyoxigraph.parse(
        graph.serialize(format="nt", encoding="utf-8"), pyoxigraph.RdfFormat.N_TRIPLES
    )
    return _compacted(pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.JSON_LD))


def default_graph_jsonld(store: pyoxigraph.Store) -> bytes:
    """The default graph of an Oxigraph store as `to_jsonld` writes a graph."""
    default = pyoxigraph.DefaultGraph()
    return _compacted(store.dump(format=pyoxigraph.RdfFormat.JSON_LD, from_graph=default))


def _compacted(expanded: bytes | None) -> bytes:
    """Expanded JSON-LD, as Oxigraph writes it fast, compacted with the context: one node
    object per subject, in a stable order (IRIs, then blank nodes), each value under the
    term whose coercion it fits, else under the property's compact IRI."""
    nodes = _compactor().nodes(json.loads(expanded or b"[]"))
    document: dict[str, Any] = nodes[0] if len(nodes) == 1 else {"@graph": nodes}
    document["@context"] = context()
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False).encode("utf-8")


@cache
def _compactor() -> "_Compactor":
    return _Compactor(context())


class _Compactor:
    """Expanded JSON-LD as Oxigraph writes it from RDF (flat node objects, rdf:type as a
    property, xsd:string values without a type) compacted with a context whose entries
    are prefixes, plain terms (classes) and property terms with at most one coercion."""

    def __init__(self, terms: dict[str, Any]) -> None:
        self.prefixes = [(t, d) for t, d in terms.items() if t in PREFIXES]
        self.plain = {d: t for t, d in terms.items() if isinstance(d, str) and t not in PREFIXES}
        # property IRI -> (term, the key and value a value object must have to fit it)
        self.properties: dict[str, tuple[str, tuple[str, str | None] | None]] = {}
        for term, definition in terms.items():
            if isinstance(definition, dict):
                coercion = definition.get("@type")
                fits = (
                    ("@id", None)
                    if coercion == "@id"
                    else ("@type", coercion)
                    if coercion
                    else ("@language", definition["@language"])
                    if "@language" in definition
                    else None
                )
                self.properties.setdefault(definition["@id"], (term, fits))

    def nodes(self, expanded: list[dict[str, Any]]) -> list[dict[str, Any]]:
        merged: dict[str, dict[str, list[Any]]] = {}
        for node in expanded:
            members = merged.setdefault(node["@id"], {})
            for predicate, values in node.items():
                if predicate != "@id":
                    for value in values:
                        key, compacted = self._entry(predicate, value)
                        members.setdefault(key, []).append(compacted)
        ordered = sorted(merged.items(), key=lambda item: (item[0].startswith("_:"), item[0]))
        return [
            {"@id": self.iri(node), **{k: _one_or_all(v) for k, v in members.items()}}
            for node, members in ordered
        ]

    def _entry(self, predicate: str, value: dict[str, Any]) -> tuple[str, Any]:
        """The key a value goes under and the value as written there."""
        if predicate == str(RDF.type) and "@id" in value and not value["@id"].startswith("_:"):
            return "@type", self.iri(value["@id"], vocabulary=True)
        term, fits = self.properties.get(predicate, (None, None))
        if term is None:
            return self.iri(predicate, vocabulary=True), self._value(value)
        if fits is None:
            return term, self._value(value)
        key, expected = fits
        if key in value and (expected is None or value[key] == expected):
            return term, self.iri(value["@id"]) if key == "@id" else value["@value"]
        return self.iri(predicate), self._value(value)  # a compact IRI: no coercion

    def _value(self, value: dict[str, Any]) -> Any:
        if "@id" in value:
            return {"@id": self.iri(value["@id"])}
        if "@type" in value:
            return {"@value": value["@value"], "@type": self.iri(value["@type"], vocabulary=True)}
        return value if "@language" in value else value["@value"]

    def iri(self, iri: str, *, vocabulary: bool = False) -> str:
        """`iri` as a plain term (for vocabulary positions), else its shortest compact IRI,
        else whole."""
        if vocabulary and iri in self.plain:
            return self.plain[iri]
        compact = [
            f"{prefix}:{iri[len(namespace) :]}"
            for prefix, namespace in self.prefixes
            if iri.startswith(namespace) and len(iri) > len(namespace)
        ]
        return min(compact, key=lambda c: (len(c), c), default=iri)


def _one_or_all(values: list[Any]) -> Any:
    if len(values) == 1:
        return values[0]
    return sorted(values, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))


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
