"""Human-readable HTML documentation of the ontology, generated from its Turtle.

Self-contained (inline CSS, no scripts, no external assets) so it can be served at
`/ontology` and opened from disk alike. Every term has an anchor named after its local
name, so `https://w3id.org/accordkg/ontology#Instrument` lands on its entry.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Graph, Literal, Node, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from accordkg.linked_data.templating import template
from accordkg.namespaces import AK, ONTOLOGY_IRI, PREFIXES


@dataclass
class DocumentedTerm:
    """One documented term: what the template shows for a class, property or concept."""

    iri: str
    anchor: str
    label: str
    comment: str
    kinds: list[str] = field(default_factory=list)
    facts: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)


def render_ontology_html(ontology: Graph) -> str:
    """The ontology's documentation page as one HTML string."""
    header = {
        "title": _text(ontology, ONTOLOGY_IRI, DCTERMS.title),
        "description": _text(ontology, ONTOLOGY_IRI, DCTERMS.description),
        "version": _text(ontology, ONTOLOGY_IRI, OWL.versionInfo),
        "version_iri": str(ontology.value(ONTOLOGY_IRI, OWL.versionIRI) or ""),
        "license": str(ontology.value(ONTOLOGY_IRI, DCTERMS.license) or ""),
        "created": _text(ontology, ONTOLOGY_IRI, DCTERMS.created),
        "iri": str(ONTOLOGY_IRI),
        "namespace": str(AK),
    }
    sections = [
        ("classes", "Classes", [_class(ontology, c) for c in _own(ontology, OWL.Class)]),
        (
            "object-properties",
            "Object properties",
            [_property(ontology, p) for p in _own(ontology, OWL.ObjectProperty)],
        ),
        (
            "datatype-properties",
            "Datatype properties",
            [_property(ontology, p) for p in _own(ontology, OWL.DatatypeProperty)],
        ),
        (
            "other-properties",
            "Properties of resources or literals",
            [_property(ontology, p) for p in _own(ontology, RDF.Property)],
        ),
        (
            "code-lists",
            "Code lists",
            [_scheme(ontology, s) for s in _own(ontology, SKOS.ConceptScheme)],
        ),
    ]
    prefixes = sorted((prefix, str(namespace)) for prefix, namespace in PREFIXES.items())
    return template("ontology.html").render(header=header, sections=sections, prefixes=prefixes)


def _own(ontology: Graph, kind: URIRef) -> list[URIRef]:
    """Terms of `kind` in the ak: namespace, in label order."""
    terms = {t for t in ontology.subjects(RDF.type, kind) if isinstance(t, URIRef) and t in AK}
    return sorted(terms, key=lambda t: _text(ontology, t, RDFS.label).lower())


def _class(ontology: Graph, cls: URIRef) -> DocumentedTerm:
    term = _term(ontology, cls, ["class"])
    disjoint = set(ontology.objects(cls, OWL.disjointWith)) | set(
        ontology.subjects(OWL.disjointWith, cls)
    )
    for members_list in ontology.objects(None, OWL.members):
        members = list(ontology.items(members_list))
        if cls in members:
            disjoint.update(m for m in members if m != cls)
    term.facts = [
        ("Subclass of", _links(ontology, ontology.objects(cls, RDFS.subClassOf))),
        ("Superclass of", _links(ontology, ontology.subjects(RDFS.subClassOf, cls))),
        ("Disjoint with", _links(ontology, disjoint)),
        ("In the domain of", _links(ontology, ontology.subjects(RDFS.domain, cls))),
        ("In the range of", _links(ontology, ontology.subjects(RDFS.range, cls))),
        ("Members", _links(ontology, ontology.subjects(RDF.type, cls))),
    ]
    return term


def _property(ontology: Graph, prop: URIRef) -> DocumentedTerm:
    kinds = [
        "object property"
        if (prop, RDF.type, OWL.ObjectProperty) in ontology
        else "datatype property"
        if (prop, RDF.type, OWL.DatatypeProperty) in ontology
        else "property (its values resources or literals)"
    ]
    if (prop, RDF.type, OWL.FunctionalProperty) in ontology:
        kinds.append("functional")
    term = _term(ontology, prop, kinds)
    term.facts = [
        ("Domain", _links(ontology, ontology.objects(prop, RDFS.domain))),
        ("Range", _links(ontology, ontology.objects(prop, RDFS.range))),
        ("Subproperty of", _links(ontology, ontology.objects(prop, RDFS.subPropertyOf))),
    ]
    return term


def _scheme(ontology: Graph, scheme: URIRef) -> DocumentedTerm:
    term = _term(ontology, scheme, ["SKOS concept scheme"])
    term.facts = [("Concepts", _links(ontology, ontology.subjects(SKOS.inScheme, scheme)))]
    return term


def _term(ontology: Graph, iri: URIRef, kinds: list[str]) -> DocumentedTerm:
    return DocumentedTerm(
        iri=str(iri),
        anchor=iri.fragment,
        label=_text(ontology, iri, RDFS.label),
        comment=_text(ontology, iri, RDFS.comment) or _text(ontology, iri, SKOS.definition),
        kinds=kinds,
    )


def _links(ontology: Graph, nodes: Iterable[Node]) -> list[tuple[str, str]]:
    """(text, href) pairs: ak: terms link to their anchor, others to their IRI."""
    links = []
    for node in set(nodes):
        if isinstance(node, URIRef):
            if node in AK:
                label = _text(ontology, node, RDFS.label) or node.fragment
                links.append((label, f"#{node.fragment}"))
            else:
                links.append((ontology.namespace_manager.normalizeUri(node), str(node)))
        else:
            union = ontology.value(node, OWL.unionOf)
            if union is not None:
                names = [
                    ontology.namespace_manager.normalizeUri(str(m)) for m in ontology.items(union)
                ]
                links.append((" or ".join(names), ""))
    return sorted(links)


def _text(ontology: Graph, subject: Node, predicate: URIRef) -> str:
    """The English (or untagged) value of an annotation, whitespace-normalised."""
    values = [v for v in ontology.objects(subject, predicate) if isinstance(v, Literal)]
    english = [v for v in values if v.language in (None, "en")]
    chosen = english or values
    return " ".join(str(chosen[0]).split()) if chosen else ""
