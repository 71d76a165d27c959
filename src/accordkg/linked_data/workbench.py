"""The SPARQL workbench page: YASGUI on this endpoint (api/web/workbench.js), given what
it would otherwise fetch from other hosts: our prefixes (instead of prefix.cc), the
classes and properties of our ontology (instead of Linked Open Vocabularies' search), and
the named queries as examples to open in a tab (their text, with parameters bound, comes
from /queries/{name}/text). All of it is in the page, as JSON."""

from dataclasses import asdict

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from accordkg.linked_data.pages import VOID_PATH
from accordkg.linked_data.templating import template
from accordkg.namespaces import PREFIXES
from accordkg.sparql.named_queries import named_queries

CLASS_TYPES = (OWL.Class, RDFS.Class)
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)
# Declared in the query a new tab starts with; the autocompleter adds any other prefix
# of PREFIXES as soon as it is typed.
STARTING_PREFIXES = ("ak", "rdfs", "foaf", "xsd")
STARTING_QUERY = """SELECT ?instrument ?label ?date WHERE {
  ?instrument a ak:Instrument ;
              rdfs:label ?label .
  OPTIONAL { ?instrument ak:date ?date }
}
ORDER BY ?date
LIMIT 100"""


def workbench_data(ontology: Graph) -> dict[str, object]:
    """What the page needs, beside the endpoint: prefixes, the ontology's terms, the query
    a new tab starts with, and the named queries with their parameters (for their forms)."""
    prefixes = {prefix: str(namespace) for prefix, namespace in sorted(PREFIXES.items())}
    declared = "".join(f"PREFIX {p}: <{prefixes[p]}>\n" for p in STARTING_PREFIXES)
    return {
        "prefixes": prefixes,
        "classes": _terms(ontology, CLASS_TYPES),
        "properties": _terms(ontology, PROPERTY_TYPES),
        "startingQuery": f"{declared}\n{STARTING_QUERY}\n",
        "examples": [
            {
                "name": query.name,
                "title": query.title,
                "description": query.description,
                "parameters": [asdict(parameter) for parameter in query.parameters],
            }
            for query in named_queries().values()
        ],
    }


def workbench_page(
    data: dict[str, object], endpoint: str, alternates: list[tuple[str, str, str]]
) -> str:
    """The workbench for the endpoint at URL `endpoint`, whose service description is in
    `alternates` (media type, name, URL)."""
    return template("workbench.html").render(
        label="SPARQL workbench",
        iri=endpoint,
        types=[],
        alternates=alternates,
        void=VOID_PATH,
        truncated=False,
        data=data,
    )


def _terms(ontology: Graph, types: tuple[URIRef, ...]) -> list[str]:
    """The IRIs the ontology declares with one of `types`, sorted."""
    return sorted(
        {
            str(t)
            for kind in types
            for t in ontology.subjects(RDF.type, kind)
            if isinstance(t, URIRef)
        }
    )
