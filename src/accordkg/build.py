"""`accordkg build`: everything the server needs, made from the packaged ontology and data/."""

from dataclasses import dataclass

from accordkg.docs import render_ontology_html
from accordkg.namespaces import ONTOLOGY_IRI
from accordkg.resources import ontology_graph
from accordkg.settings import Settings
from accordkg.store import EmbeddedStore

ONTOLOGY_PAGE = "ontology.html"


@dataclass(frozen=True)
class BuildSummary:
    """What a build put into the store, for the CLI to report."""

    graphs: int
    triples: int


def build(settings: Settings) -> BuildSummary:
    """Load the ontology into its named graph and write the ontology documentation."""
    ontology = ontology_graph()
    settings.site_dir.mkdir(parents=True, exist_ok=True)
    (settings.site_dir / ONTOLOGY_PAGE).write_text(render_ontology_html(ontology), "utf-8")
    with EmbeddedStore(settings.store_dir) as store:
        store.replace_graph(ONTOLOGY_IRI, ontology)
        return BuildSummary(graphs=len(store.graph_names()), triples=store.triple_count())
