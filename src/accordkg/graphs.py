"""Every named graph's IRI, in one place: what a build owns and what it leaves alone.

All instance data lives in named graphs under `{base}graph/`: one per source document,
the curated records, the mappings, and imported or uploaded graphs (under `import/` and
`upload-`), which a build never touches. The ontology has its own graph, its IRI. A
remote store also keeps an empty graph whose name changes on every write: no data.
"""

from uuid import uuid4

from rdflib import URIRef

# Names of the empty graph by which a remote store's writers tell other processes that the
# data changed (accordkg.store.remote). Being empty, it is in no answer to a triple pattern.
CHANGE_MARKER_PREFIX = "urn:x-accordkg:change:"


def built_prefix(base_iri: str) -> str:
    """Where every instance graph is named: a query scoped to it leaves the ontology out."""
    return f"{base_iri}graph/"


def document_graph_iri(base_iri: str, doc_id: str) -> URIRef:
    """The named graph that holds one source document's facts."""
    return URIRef(f"{built_prefix(base_iri)}{doc_id}")


def records_graph_iri(base_iri: str) -> URIRef:
    """The named graph of the curated records and themes."""
    return URIRef(f"{built_prefix(base_iri)}records")


def mappings_graph_iri(base_iri: str) -> URIRef:
    """The named graph of the curated links out."""
    return URIRef(f"{built_prefix(base_iri)}mappings")


def imports_prefix(base_iri: str) -> str:
    """Where imported graphs are named; a build leaves every graph under it alone."""
    return f"{built_prefix(base_iri)}import/"


def upload_graph_iri(base_iri: str) -> URIRef:
    """A new graph for a Graph Store POST that names none."""
    return URIRef(f"{built_prefix(base_iri)}upload-{uuid4()}")


def is_built_by_build(base_iri: str, name: str) -> bool:
    """Whether a build makes (and so may replace or drop) the graph `name`."""
    return name.startswith(built_prefix(base_iri)) and not name.startswith(imports_prefix(base_iri))
