"""Errors as HTTP answers: every error body is built by `error_response`, so an accordkg
error, a routing error and a parameter of the wrong shape all reach a client alike, as
JSON naming the kind of error and what is wrong, with the status the error's class
carries (accordkg.errors)."""

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException
from starlette.routing import BaseRoute, Match, Route
from starlette.types import Scope

from accordkg.errors import AccordError, InputError, NotAcceptableError, UnauthorizedError

ERROR_BODY = "#/components/schemas/ErrorBody"


class ErrorBody(BaseModel):
    """How every error is answered."""

    error: str = Field(description="The kind of error: an accordkg error class, e.g. InputError.")
    detail: str = Field(description="What is wrong.")


def error_response(
    error: AccordError | HTTPException, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """The answer to `error`: an accordkg error with its class's status, or one of
    routing's own (no such path, a method the path does not take) named by its status."""
    if isinstance(error, HTTPException):
        kind, detail, status = HTTPStatus(error.status_code).phrase, error.detail, error.status_code
        answer_headers = dict(error.headers or {})
    else:
        kind, detail, status = type(error).__name__, str(error), error.status
        answer_headers = {}
        if isinstance(error, UnauthorizedError):
            answer_headers["WWW-Authenticate"] = "Bearer"
        elif isinstance(error, NotAcceptableError):
            answer_headers["Vary"] = "Accept"  # what was refused depends on Accept
    answer_headers.update(headers or {})
    body = {"error": kind.replace(" ", ""), "detail": detail}  # an ErrorBody
    return JSONResponse(body, status_code=status, headers=answer_headers)


def error_responses(*errors: type[AccordError]) -> dict[str, Any]:
    """The OpenAPI responses for routes that raise `errors` (bad parameters are always
    among them: the app answers them as an InputError): each status with the errors
    answered with it and the JSON ErrorBody."""
    raised: list[type[AccordError]] = [InputError, *errors]
    by_status: dict[int, list[type[AccordError]]] = {}
    for error in dict.fromkeys(raised):
        by_status.setdefault(error.status, []).append(error)
    return {
        str(status): {
            "description": " ".join(
                f"{kind.__name__}: {(kind.__doc__ or '').splitlines()[0]}" for kind in kinds
            ),
            "content": {"application/json": {"schema": {"$ref": ERROR_BODY}}},
        }
        for status, kinds in sorted(by_status.items())
    }


def answer_errors(app: FastAPI, routes: list[BaseRoute]) -> None:
    """Answer every error the app's routes (`routes`: with those of its routers, which
    FastAPI keeps to itself once included) let through with `error_response`."""

    @app.exception_handler(AccordError)
    async def accord_error(_: Request, exc: AccordError) -> JSONResponse:
        return error_response(exc)

    @app.exception_handler(HTTPException)
    async def routing_error(request: Request, exc: HTTPException) -> JSONResponse:
        if exc.status_code != 405:
            return error_response(exc)
        return error_response(exc, {"Allow": _allowed(routes, request.scope)})

    @app.exception_handler(RequestValidationError)
    async def bad_parameters(_: Request, exc: RequestValidationError) -> JSONResponse:
        """Parameters of the wrong shape are the caller's error: 400, naming each one."""
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc'][1:]) or error['loc'][0]}: {error['msg']}"
            for error in exc.errors()
        )
        return error_response(InputError(problems))


def _allowed(routes: list[BaseRoute], scope: Scope) -> str:
    """The Allow header of a 405: every method the path takes (Starlette names only those
    of the first route that matched it). Documented routes decide: a hidden one may be
    there only to refuse a method."""
    matching = [
        route
        for route in routes
        if isinstance(route, Route) and route.matches(scope)[0] is not Match.NONE
    ]
    documented = [route for route in matching if route.include_in_schema]
    return ", ".join(sorted({m for route in documented or matching for m in route.methods or ()}))
