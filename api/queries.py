"""/queries: the named queries (accordkg.sparql.named_queries), listed and run."""

from collections.abc import Collection
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response
from starlette.datastructures import QueryParams

from accordkg.api.errors import error_responses
from accordkg.api.openapi import answers, format_parameter
from accordkg.api.sparql import FORMAT_PARAMETERS, QUERY_CONTENT, run_job
from accordkg.errors import InputError, NotAcceptableError, NotFoundError, StoreError
from accordkg.settings import Settings
from accordkg.sparql.formats import Answers, choices, chosen_format, formats_for, offers
from accordkg.sparql.named_queries import bound_query, named_queries, named_query
from accordkg.sparql.runner import QueryJob, QueryRunner


def queries_router(settings: Settings, runner: QueryRunner) -> APIRouter:
    """The routes of the named queries; each documents the errors it answers."""
    router = APIRouter(tags=["queries"])
    result_answers = answers(
        (f.media_type for f in formats_for(Answers.SOLUTIONS)), "The query's results."
    )
    result_choices = choices(offers(Answers.SOLUTIONS))

    @router.get("/queries", openapi_extra={"responses": error_responses()})
    def list_queries(request: Request) -> list[dict[str, object]]:
        """The named queries, with their parameters, to start from."""
        return [
            {
                "name": query.name,
                "title": query.title,
                "description": query.description,
                "parameters": [vars(parameter) for parameter in query.parameters],
                "url": str(request.url_for("run_query", name=query.name)),
                "text": str(request.url_for("query_text", name=query.name)),
            }
            for query in named_queries().values()
        ]

    @router.get(
        "/queries/{name}",
        response_class=Response,
        responses=result_answers,
        openapi_extra={"responses": error_responses(NotFoundError, NotAcceptableError, StoreError)},
    )
    async def run_query(
        name: Annotated[str, Path(json_schema_extra={"enum": list(named_queries())})],
        request: Request,
        format_override: Annotated[str | None, format_parameter(result_choices)] = None,
    ) -> Response:
        """Run a named query; every other query parameter binds one of its parameters.
        The result format follows `Accept`, or `format` (json, xml, csv, tsv) if given.
        It runs as /sparql queries do: time limit, row limit and truncation header."""
        query = named_query(name)
        params = request.query_params
        values = _values(params, FORMAT_PARAMETERS)
        formats = [*([format_override] if format_override else []), *params.getlist("output")]
        offered = offers(Answers.SOLUTIONS)
        result_format = chosen_format(offered, formats, request.headers.get("accept"))
        job = QueryJob(
            query=bound_query(query, values, settings.base_iri),
            result_format=result_format,
            row_limit=settings.row_limit,
            union_default_graph=True,
        )
        return await run_job(runner, job, request, settings.row_limit)

    @router.get(
        "/queries/{name}/text",
        response_class=Response,
        responses={200: {"content": {QUERY_CONTENT: {}}, "description": "The query's text."}},
        openapi_extra={"responses": error_responses(NotFoundError)},
    )
    def query_text(
        name: Annotated[str, Path(json_schema_extra={"enum": list(named_queries())})],
        request: Request,
    ) -> Response:
        """The text of a named query with the parameters given in the URL bound, as
        /queries/{name} would run it: to read, change and send to /sparql."""
        values = _values(request.query_params, ())
        text = bound_query(named_query(name), values, settings.base_iri)
        return Response(text, media_type=QUERY_CONTENT)

    return router


def _values(params: QueryParams, others: Collection[str]) -> dict[str, str]:
    """The query parameters that bind a named query's parameters: all but `others`, each
    given once."""
    values = {k: v for k, v in params.items() if k not in others}
    repeated = [k for k in values if len(params.getlist(k)) > 1]
    if repeated:
        raise InputError(f"parameter {repeated[0]} is given more than once")
    return values
