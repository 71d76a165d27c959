"""/mappings.sssom.tsv: the links out, as the SSSOM table they were loaded from."""

from fastapi import APIRouter
from fastapi.responses import Response

from accordkg.iris import checked_iri
from accordkg.mappings import export_mappings, mappings_graph_iri
from accordkg.settings import Settings
from accordkg.store import Store


def mappings_router(settings: Settings, store: Store) -> APIRouter:
    """The SSSOM export of the store's mapping graphs."""
    router = APIRouter(tags=["linked data"])

    @router.get("/mappings.sssom.tsv")
    def mappings_table(graph: str | None = None) -> Response:
        """The links out as an SSSOM/TSV table: the curated mappings graph, or `graph`
        (the graph of an imported mapping table)."""
        table = export_mappings(
            store, checked_iri(graph, "graph") if graph else mappings_graph_iri(settings)
        )
        return Response(table, media_type="text/tab-separated-values; charset=utf-8")

    return router
