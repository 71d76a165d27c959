"""/mappings.sssom.tsv: the links out, as the SSSOM table they were loaded from."""

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from accordkg.api.openapi import answers
from accordkg.graphs import mappings_graph_iri
from accordkg.iris import checked_iri
from accordkg.linking.mappings import export_mappings
from accordkg.settings import Settings
from accordkg.store import Store

SSSOM_TSV = "text/tab-separated-values; charset=utf-8"


def mappings_router(settings: Settings, store: Store) -> APIRouter:
    """The SSSOM export of the store's mapping graphs."""
    router = APIRouter(tags=["linked data"])

    @router.get(
        "/mappings.sssom.tsv",
        response_class=Response,
        responses=answers([SSSOM_TSV], "The SSSOM/TSV table."),
    )
    def mappings_table(
        graph: Annotated[
            str | None, Query(description="An absolute IRI.", json_schema_extra={"format": "iri"})
        ] = None,
    ) -> Response:
        """The links out as an SSSOM/TSV table: the curated mappings graph, or `graph`
        (the graph of an imported mapping table)."""
        table = export_mappings(
            store,
            mappings_graph_iri(settings.base_iri) if graph is None else checked_iri(graph, "graph"),
        )
        return Response(table, media_type=SSSOM_TSV)

    return router
