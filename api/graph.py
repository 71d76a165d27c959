"""/graph: traversal endpoints that visualization tools read directly (all read-only)."""

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Body, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from accordkg.api.openapi import (
    NAME_PATTERN,
    NAMES_OR_NONE_PATTERN,
    NAMES_PATTERN,
    answers,
    listed,
    strings,
)
from accordkg.errors import InputError, NotAcceptableError
from accordkg.sparql.negotiation import negotiate
from accordkg.traversal import operations
from accordkg.traversal.formats import GRAPH_FORMATS, negotiated_graph_formats
from accordkg.traversal.operations import MAX_COUNT, GraphSource, Subgraph, View
from accordkg.traversal.service import Traversal

GraphFormatParameter = Annotated[
    str | None,
    Query(
        alias="format",
        description=", ".join(GRAPH_FORMATS),
        json_schema_extra={"enum": list(GRAPH_FORMATS)},
    ),
]
SUBGRAPH_ANSWERS = answers(
    (f.media_type for f in GRAPH_FORMATS.values()), "The subgraph, in the format asked for."
)
# Examples are nodes of the seed data: the OpenAPI document's readers, and tools that
# test the API from it, start from nodes that are there.
EXAMPLES = ["state/united-kingdom", "instrument/us-uk-ai-research-declaration-2020"]
Name = Annotated[str, Query(examples=EXAMPLES, json_schema_extra={"pattern": NAME_PATTERN})]
NodeInPath = Annotated[str, Path(examples=EXAMPLES, json_schema_extra={"pattern": NAME_PATTERN})]
# Lists default to empty rather than None: a query string cannot say null.
Names = Annotated[
    list[str],
    Query(default_factory=list, json_schema_extra=strings(NAMES_OR_NONE_PATTERN)),
]
Count = Annotated[int | None, Query(json_schema_extra={"minimum": 1, "maximum": MAX_COUNT})]
CENTRALITY_PATTERN = listed("degree|pagerank", at_least_one=False)
NodeId = Annotated[str, Field(examples=EXAMPLES, json_schema_extra={"pattern": NAME_PATTERN})]


class Canvas(BaseModel):
    """An expansion request: what the canvas shows, and which of its nodes to expand."""

    visible: list[NodeId] = Field(default_factory=list, description="Node ids already drawn.")
    expand: list[NodeId] = Field(min_length=1, description="Node ids to expand.")


class NodeSet(BaseModel):
    nodes: list[NodeId] = Field(min_length=1, description="Node ids (short ids or IRIs).")


def graph_router(traversal: Traversal) -> APIRouter:
    router = APIRouter(prefix="/graph", tags=["graph"])
    negotiated = negotiated_graph_formats()  # node-link and d3 share JSON's: by name only

    def view(request: Request, default_direction: str = "both") -> View:
        """The edge groups, collapsing and filters a request asks for."""
        params = request.query_params
        return View(
            include=frozenset({"data", *_names(params.getlist("include"))}),
            collapse=frozenset(_names(params.getlist("collapse"))),
            predicates=traversal.predicates(_names(params.getlist("predicate"))),
            direction=params.get("direction", default_direction),
            neighbour_types=traversal.types(_names(params.getlist("type"))),
        )

    def answer(
        request: Request,
        make: Callable[[GraphSource], Subgraph],
        override: str | None,
        body: BaseModel | None = None,
    ) -> Response:
        """The subgraph `make` finds, in the format asked for (kept by the traversal for a
        walked store, by the request's path, parameters, body and format)."""
        if override is not None:
            if override not in GRAPH_FORMATS:
                raise InputError(
                    f"format must be one of {', '.join(GRAPH_FORMATS)}, not {override!r}"
                )
            chosen = GRAPH_FORMATS[override]
        else:
            media_type = negotiate(request.headers.get("accept"), list(negotiated))
            if media_type is None:
                raise NotAcceptableError(f"offered: {', '.join(negotiated)}")
            chosen = negotiated[media_type]
        asked = (
            request.url.path,
            tuple(sorted(request.query_params.multi_items())),
            None if body is None else body.model_dump_json(),
            chosen.name,
        )
        rendered = traversal.answer(
            asked, lambda graph: traversal.renderer.render(make(graph), chosen.name)
        )
        return Response(rendered, media_type=chosen.media_type, headers={"Vary": "Accept"})

    @router.get("/nodes/{node:path}/neighbors", response_class=Response, responses=SUBGRAPH_ANSWERS)
    def node_neighbors(
        node: NodeInPath,
        request: Request,
        limit: Count = None,
        cursor: str | None = None,
        format_override: GraphFormatParameter = None,
    ) -> Response:
        """One page of a node's neighbours (filter by `predicate`, `direction`, `type`),
        with counts per predicate and neighbour type; `cursor` pages on."""
        return answer(
            request,
            lambda graph: operations.neighbors(
                graph, traversal.node(node), view(request), limit=limit, cursor=cursor
            ),
            format_override,
        )

    @router.get("/nodes/{node:path}", response_class=Response, responses=SUBGRAPH_ANSWERS)
    def node_detail(
        node: NodeInPath,
        request: Request,
        format_override: GraphFormatParameter = None,
    ) -> Response:
        """A node: label, types, literal properties, external links, degree per predicate."""
        return answer(
            request,
            lambda graph: operations.node_detail(graph, traversal.node(node), view(request)),
            format_override,
        )

    @router.get("/neighborhood", response_class=Response, responses=SUBGRAPH_ANSWERS)
    def neighborhood(
        *,
        request: Request,
        node: Annotated[
            list[str],
            Query(
                description="Seed node ids (repeat for several).",
                examples=[EXAMPLES[:1]],
                json_schema_extra=strings(NAME_PATTERN),
            ),
        ],
        depth: Count = None,
        limit: Count = None,
        max_nodes: Count = None,
        max_edges: Count = None,
        format_override: GraphFormatParameter = None,
    ) -> Response:
        """The ego graph around seed nodes (depth 1 to 3), capped per node and in all."""
        return answer(
            request,
            lambda graph: operations.neighborhood(
                graph,
                [traversal.node(name) for name in node],
                view(request),
                depth=depth,
                limit=limit,
                max_nodes=max_nodes,
                max_edges=max_edges,
            ),
            format_override,
        )

    @router.post("/expand", response_class=Response, responses=SUBGRAPH_ANSWERS)
    def expand(
        *,
        request: Request,
        canvas: Annotated[Canvas, Body()],
        limit: Count = None,
        max_nodes: Count = None,
        max_edges: Count = None,
        format_override: GraphFormatParameter = None,
    ) -> Response:
        """Only what expanding some nodes adds to a canvas: new nodes and their edges."""
        return answer(
            request,
            lambda graph: operations.expand(
                graph,
                [traversal.node(name) for name in canvas.expand],
                {traversal.node(name) for name in canvas.visible},
                view(request),
                limit=limit,
                max_nodes=max_nodes,
                max_edges=max_edges,
            ),
            format_override,
            body=canvas,
        )

    @router.get("/paths", response_class=Response, responses=SUBGRAPH_ANSWERS)
    def paths(
        *,
        request: Request,
        source: Name,
        target: Name,
        k: Count = None,
        max_length: Count = None,
        max_degree: Annotated[
            int | None,
            Query(
                description="Avoid hubs: skip nodes with more edges than this.",
                json_schema_extra={"minimum": 1, "maximum": MAX_COUNT},
            ),
        ] = None,
        format_override: GraphFormatParameter = None,
    ) -> Response:
        """The k shortest paths between two nodes, edges read in either direction."""
        return answer(
            request,
            lambda graph: operations.paths(
                graph,
                traversal.node(source),
                traversal.node(target),
                view(request),
                k=k,
                max_length=max_length,
                max_degree=max_degree,
            ),
            format_override,
        )

    @router.get("/subgraph", response_class=Response, responses=SUBGRAPH_ANSWERS)
    def subgraph(
        request: Request,
        types: Annotated[
            list[str],
            Query(json_schema_extra=strings(NAMES_PATTERN)),
        ],
        max_nodes: Count = None,
        max_edges: Count = None,
        format_override: GraphFormatParameter = None,
    ) -> Response:
        """Every node of the given types (e.g. `types=Instrument,State`) and their edges."""
        return answer(
            request,
            lambda graph: operations.subgraph(
                graph,
                traversal.types(_names(types)),
                view(request),
                max_nodes=max_nodes,
                max_edges=max_edges,
            ),
            format_override,
        )

    @router.post("/subgraph/induced", response_class=Response, responses=SUBGRAPH_ANSWERS)
    def induced(
        request: Request,
        selection: Annotated[NodeSet, Body()],
        max_edges: Count = None,
        format_override: GraphFormatParameter = None,
    ) -> Response:
        """The given nodes and every edge among them."""
        return answer(
            request,
            lambda graph: operations.induced(
                graph,
                [traversal.node(name) for name in selection.nodes],
                view(request),
                max_edges=max_edges,
            ),
            format_override,
            body=selection,
        )

    @router.get("/stats", response_class=Response, responses=SUBGRAPH_ANSWERS)
    def stats(
        *,
        request: Request,
        top: Count = None,
        centrality: Annotated[
            list[str], Query(default_factory=list, json_schema_extra=strings(CENTRALITY_PATTERN))
        ],
        types: Names,
        max_nodes: Count = None,
        format_override: GraphFormatParameter = None,
    ) -> Response:
        """Node types and predicates with counts, the top hubs; `centrality=degree,pagerank`
        adds those measures over the hubs or over the subgraph of `types`."""
        return answer(
            request,
            lambda graph: operations.statistics(
                graph,
                view(request),
                top=top,
                centrality=_names(centrality),
                types=traversal.types(_names(types)),
                max_nodes=max_nodes,
            ),
            format_override,
        )

    return router


def _names(values: list[str]) -> list[str]:
    """Names given repeated or comma-separated, blanks dropped."""
    return [name.strip() for value in values for name in value.split(",") if name.strip()]
