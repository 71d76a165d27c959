"""What the OpenAPI document says a route answers where FastAPI cannot infer it: routes
that build their own Response (negotiated RDF, tables, pages) declare their media types
here; the errors every route can answer are added by the app (accordkg.api.errors)."""

from collections.abc import Iterable
from typing import Any

from fastapi import FastAPI, Query
from fastapi.openapi.utils import get_openapi

from accordkg.api.errors import ErrorBody


def format_parameter(values: Iterable[str]) -> Any:
    """The `format` query parameter of a negotiated answer: one of `values` (format
    names, words and media types), or empty for `Accept` to decide."""
    return Query(
        alias="format",
        description="A format name or media type; empty or absent: by `Accept`.",
        json_schema_extra={"enum": ["", *sorted(set(values))]},
    )


def answers(
    media_types: Iterable[str], description: str, status: int = 200
) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route whose `status` answer comes in any of `media_types`
    (parameters such as charset left out: they do not change the type)."""
    content: dict[str, dict[str, Any]] = {
        media_type.partition(";")[0].strip(): {} for media_type in media_types
    }
    return {status: {"description": description, "content": content}}


# Patterns for names that stand for IRIs (node, type and predicate names: short ids,
# CURIEs or IRIs), as the code reads them: trimmed, and holding none of the characters
# accordkg.iris refuses. They read alike as JSON Schema (ECMA-262) and Python patterns.
NOT_IN_NAMES = r'\u0000-\u0020\s<>"{}|^`\\\u007f-\u009f'
NAME_PATTERN = rf"^\s*[^{NOT_IN_NAMES}]+\s*$"


def listed(name: str, at_least_one: bool = True) -> str:
    """The pattern of a list of names that `name` (a pattern) matches, comma-separated,
    around spaces and blank entries, which are dropped."""
    names = rf"({name})(\s*,[\s,]*({name}))*"
    return rf"^[\s,]*{names if at_least_one else f'({names})?'}[\s,]*$"


NAMES_PATTERN = listed(f"[^,{NOT_IN_NAMES}]+")
NAMES_OR_NONE_PATTERN = listed(f"[^,{NOT_IN_NAMES}]+", at_least_one=False)


def strings(pattern: str) -> dict[str, Any]:
    """`json_schema_extra` for a list parameter: its items are strings matching `pattern`."""
    return {"items": {"type": "string", "pattern": pattern}}


def body(content: dict[str, dict[str, Any]], required: bool = True) -> dict[str, Any]:
    """`openapi_extra` for a route that reads its body itself: the media types it takes,
    each with the schema of what it reads (a form's fields; the text of a document)."""
    return {"requestBody": {"required": required, "content": content}}


def form(required: list[str], **fields: dict[str, Any]) -> dict[str, Any]:
    """The schema of an HTML form (`application/x-www-form-urlencoded`) with `fields`."""
    return {"schema": {"type": "object", "properties": fields, "required": required}}


TEXT_BODY: dict[str, Any] = {"schema": {"type": "string"}}
IRIS: dict[str, Any] = {"type": "array", "items": {"type": "string", "format": "iri"}}


def openapi_document(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document as the server answers: FastAPI would say that bad parameters
    get its own 422, where they get the app's 400 (a 422 is a graph that breaks the
    shapes), and that an optional parameter may be null, which no URL can say."""
    if app.openapi_schema is None:
        document = get_openapi(
            title=app.title, version=app.version, summary=app.summary, routes=app.routes
        )
        for operation in (op for item in document["paths"].values() for op in item.values()):
            framework = operation["responses"].get("422", {})
            if "HTTPValidationError" in str(framework.get("content")):
                del operation["responses"]["422"]
            for parameter in operation.get("parameters", []):
                schema = parameter["schema"]
                branches = [b for b in schema.get("anyOf", []) if b != {"type": "null"}]
                if len(branches) == 1:
                    del schema["anyOf"]
                    parameter["schema"] = branches[0] | schema
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        for unused in ("HTTPValidationError", "ValidationError"):
            schemas.pop(unused, None)
        schemas["ErrorBody"] = ErrorBody.model_json_schema()
        app.openapi_schema = document
    return app.openapi_schema
