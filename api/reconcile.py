"""/reconcile: the Reconciliation Service API v0.2 (what OpenRefine speaks) over HTTP.

GET without queries answers the service manifest; queries come as `queries=<JSON>` in
the URL (GET) or a form (POST), or as a JSON body. Data extension requests (the values of
`party` and `year` for reconciled entities) come as `extend=<JSON>` the same ways, but for
the JSON body. GET answers honour `callback=` (JSONP), as OpenRefine's browser side asks.
Matching itself is `accordkg.linking.reconcile`.
"""

import json
import re
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from accordkg.api._http import FORM_CONTENT, decode_body, media_type_and_charset
from accordkg.api.openapi import answers, body, form
from accordkg.errors import InputError, UnsupportedMediaTypeError
from accordkg.linked_data.templating import template
from accordkg.linking.reconcile import (
    DEFAULT_TYPES,
    PROPERTIES,
    TYPES,
    Candidate,
    Entity,
    Reconciler,
    is_match,
    parse_batch,
    parse_extension,
)
from accordkg.namespaces import AK

PREVIEW = template("reconcile_preview.html")  # the card OpenRefine shows on hover

# A JSONP callback is a dotted path of JavaScript names (jQuery's `jQuery123_456`, `a.b`).
CALLBACK = re.compile(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*", re.ASCII)
CALLBACK_LENGTH = 100
JSON_CONTENT = "application/json"
PREVIEW_SIZE = {"width": 400, "height": 200}
Callback = Annotated[
    str | None,
    Query(
        description="JSONP: the answer as a call of this JavaScript function.",
        json_schema_extra={"pattern": f"^{CALLBACK.pattern}$", "maxLength": CALLBACK_LENGTH},
    ),
]
JSON_ANSWERS = answers(["application/json", "application/javascript"], "JSON, or JSONP.")


def reconcile_router(reconciler: Reconciler, base_iri: str) -> APIRouter:
    """The /reconcile routes over one reconciler."""
    router = APIRouter(prefix="/reconcile", tags=["reconciliation"])

    @router.get("", response_class=Response, responses=JSON_ANSWERS)
    def manifest_or_queries(
        request: Request,
        queries: str | None = None,
        extend: str | None = None,
        callback: Callback = None,
    ) -> Response:
        """The service manifest, or (with `queries=`) the answers to a batch of queries,
        or (with `extend=`) the property values of entities."""
        if queries is not None and extend is not None:
            raise InputError("give `queries` or `extend`, not both")
        if extend is not None:
            return _json(_extension(reconciler, _parsed_json("extend", extend)), callback)
        if queries is None:
            return _json(_manifest(str(request.base_url).rstrip("/"), base_iri), callback)
        return _json(_answers(reconciler, _parsed_json("queries", queries)), callback)

    @router.post(
        "",
        response_class=Response,
        responses=answers([JSON_CONTENT], "The answers."),
        openapi_extra=body(
            {
                FORM_CONTENT: form(["queries"], queries={"type": "string"}),
                JSON_CONTENT: {"schema": {"type": "object"}},
            }
        ),
    )
    async def post_queries(request: Request) -> Response:
        """A batch of queries as a form field `queries`, or as a JSON body; or a data
        extension request as a form field `extend`."""
        field, document = await _posted(request)
        answer = _extension if field == "extend" else _answers
        return _json(await run_in_threadpool(answer, reconciler, document), None)

    @router.get("/suggest/entity", response_class=Response, responses=JSON_ANSWERS)
    def suggest_entity(
        prefix: str, cursor: Annotated[int, Query(ge=0)] = 0, callback: Callback = None
    ) -> Response:
        """Entities whose names start with (a word starting with) `prefix`."""
        found = reconciler.suggest(prefix, limit=cursor + 10)[cursor:]
        result = [{"id": e.id, "name": e.label, "description": _description(e)} for e in found]
        return _json({"result": result}, callback)

    @router.get("/suggest/type", response_class=Response, responses=JSON_ANSWERS)
    def suggest_type(prefix: str, callback: Callback = None) -> Response:
        """Types whose names start with `prefix`."""
        wanted = prefix.strip().lower()
        result = [_type(t) for t in TYPES if _type(t)["name"].lower().startswith(wanted)]
        return _json({"result": result}, callback)

    @router.get("/suggest/property", response_class=Response, responses=JSON_ANSWERS)
    def suggest_property(prefix: str, callback: Callback = None) -> Response:
        """Properties a query may constrain, whose names start with `prefix`."""
        wanted = prefix.strip().lower()
        result = [
            {"id": pid, "name": name}
            for pid, name in PROPERTIES.items()
            if pid.startswith(wanted) or name.startswith(wanted)
        ]
        return _json({"result": result}, callback)

    @router.get("/properties", response_class=Response, responses=JSON_ANSWERS)
    def propose_properties(
        type_id: Annotated[str | None, Query(alias="type")] = None,
        limit: Annotated[int, Query(ge=1)] = 10,
        callback: Callback = None,
    ) -> Response:
        """The properties queries may constrain (the same for every type)."""
        properties = [{"id": pid, "name": name} for pid, name in PROPERTIES.items()][:limit]
        return _json({"type": type_id, "properties": properties}, callback)

    @router.get("/preview", response_class=HTMLResponse)
    def preview(entity_id: Annotated[str, Query(alias="id")]) -> HTMLResponse:
        """A small HTML card of one entity, for OpenRefine's preview pop-up."""
        return HTMLResponse(_preview(reconciler.entity(entity_id), entity_id))

    return router


def _manifest(root: str, base_iri: str) -> dict[str, object]:
    service = {"service_url": root}
    return {
        "versions": ["0.2"],
        "name": "accordkg: international AI research cooperation agreements",
        "identifierSpace": base_iri,
        "schemaSpace": str(AK),
        "defaultTypes": [_type(t) for t in DEFAULT_TYPES],
        "view": {"url": f"{root}/id/{{{{id}}}}"},
        "preview": {"url": f"{root}/reconcile/preview?id={{{{id}}}}", **PREVIEW_SIZE},
        "suggest": {
            kind: {**service, "service_path": f"/reconcile/suggest/{kind}"}
            for kind in ("entity", "type", "property")
        },
        "extend": {
            "propose_properties": {**service, "service_path": "/reconcile/properties"},
        },
    }


def _answers(reconciler: Reconciler, batch: object) -> dict[str, object]:
    answers = reconciler.reconcile(parse_batch(batch))
    return {
        name: {"result": [_result(candidates, at) for at in range(len(candidates))]}
        for name, candidates in answers.items()
    }


def _extension(reconciler: Reconciler, document: object) -> dict[str, object]:
    """A data extension response: the properties asked for, and each entity's values."""
    ids, pids = parse_extension(document)
    rows = reconciler.extend(ids, pids)
    entities = reconciler.entities()
    meta: list[dict[str, object]] = [{"id": pid, "name": PROPERTIES[pid]} for pid in pids]
    for column in meta:
        if column["id"] == "party":
            column["type"] = _type("Party")

    def value(pid: str, text: str) -> dict[str, str]:
        if pid != "party":
            return {"str": text}
        party = entities.get(text)
        return {"id": text, "name": party.label if party is not None else text}

    return {
        "meta": meta,
        "rows": {
            entity_id: {pid: [value(pid, v) for v in values] for pid, values in row.items()}
            for entity_id, row in rows.items()
        },
    }


def _result(candidates: list[Candidate], at: int) -> dict[str, object]:
    candidate = candidates[at]
    return {
        "id": candidate.entity.id,
        "name": candidate.entity.label,
        "type": [_type(t) for t in _types(candidate.entity)],
        "score": candidate.score,
        "match": is_match(candidates, at),
        "description": _description(candidate.entity),
    }


def _types(entity: Entity) -> list[str]:
    """The entity's types, the most specific first."""
    general = ("Instrument", "Party")
    return sorted(entity.types, key=lambda t: (t in general, list(TYPES).index(t)))


def _type(type_id: str) -> dict[str, str]:
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", type_id)
    return {"id": type_id, "name": words[0] + words[1:].lower()}


def _description(entity: Entity) -> str:
    kinds = ", ".join(_type(t)["name"].lower() for t in _types(entity))
    signed = f", signed {', '.join(sorted(entity.years))}" if entity.years else ""
    return f"{kinds}{signed}"


def _parsed_json(field: str, text: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"`{field}` is not valid JSON: {exc}") from exc


async def _posted(request: Request) -> tuple[str, object]:
    """The posted request: which field it came in (`queries` or `extend`) and its JSON."""
    media_type, charset = media_type_and_charset(request)
    body = decode_body(await request.body(), charset)
    if media_type == FORM_CONTENT:
        fields = parse_qs(body, keep_blank_values=True)
        given = [(name, value) for name in ("queries", "extend") for value in fields.get(name, [])]
        if len(given) != 1:
            raise InputError("give exactly one `queries` (or `extend`) field")
        name, text = given[0]
        return name, _parsed_json(name, text)
    if media_type == JSON_CONTENT:
        document = _parsed_json("queries", body)
        if isinstance(document, dict) and "queries" in document:
            return "queries", document["queries"]
        return "queries", document
    raise UnsupportedMediaTypeError(
        f"POST queries as {FORM_CONTENT} (`queries=`) or {JSON_CONTENT}, "
        f"not {media_type or 'no Content-Type'}"
    )


def _json(document: Any, callback: str | None) -> Response:
    """JSON, or JSONP when the caller names a callback (checked: a plain JS name)."""
    text = json.dumps(document, ensure_ascii=False)
    if callback is None:
        return Response(text, media_type="application/json")
    if len(callback) > CALLBACK_LENGTH or not CALLBACK.fullmatch(callback):
        raise InputError("`callback` must be a JavaScript function name (such as a.b_1)")
    return Response(f"{callback}({text});", media_type="application/javascript")


def _preview(entity: Entity, entity_id: str) -> str:
    names = sorted(entity.names - {entity.label})
    rows = [("Type", ", ".join(_type(t)["name"] for t in _types(entity)))]
    if names:
        rows.append(("Also", "; ".join(names)))
    if entity.parties:
        rows.append(("Parties", ", ".join(sorted(entity.parties))))
    if entity.years:
        rows.append(("Signed", ", ".join(sorted(entity.years))))
    return PREVIEW.render(label=entity.label, entity_id=entity_id, rows=rows)
