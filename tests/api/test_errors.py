"""The error table: every accordkg error class carries its HTTP status, and an error of
each class reaches a client with that status and the one body shape of every error."""

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from accordkg.api.errors import answer_errors
from accordkg.errors import (
    AccordError,
    InputError,
    NotAcceptableError,
    UnauthorizedError,
    ValidationError,
    Violation,
)


def _error_classes(root: type[AccordError] = AccordError) -> list[type[AccordError]]:
    """`root` and every class below it."""
    return [root, *(c for sub in root.__subclasses__() for c in _error_classes(sub))]


ERRORS = _error_classes()


def _error(kind: type[AccordError]) -> AccordError:
    if kind is ValidationError:
        return ValidationError([Violation("urn:x", None, "needs a label")])
    return kind(f"a {kind.__name__}")


@pytest.fixture(scope="module")
def raising() -> TestClient:
    """An app whose route raises the error its path names, answered as the app answers."""
    app = FastAPI()
    by_name = {kind.__name__: kind for kind in ERRORS}

    @app.get("/raise/{name}")
    def raise_error(name: str) -> None:
        raise _error(by_name[name])

    answer_errors(app, app.router.routes)
    return TestClient(app)


def test_the_tree_is_what_the_table_covers() -> None:
    assert len(ERRORS) == 15
    assert {InputError, NotAcceptableError, UnauthorizedError, ValidationError} < set(ERRORS)


@pytest.mark.parametrize("kind", ERRORS, ids=lambda kind: kind.__name__)
def test_every_error_class_states_its_own_status(kind: type[AccordError]) -> None:
    assert isinstance(vars(kind).get("status"), int)  # on the class itself, not inherited
    assert 400 <= kind.status < 600


@pytest.mark.parametrize("kind", ERRORS, ids=lambda kind: kind.__name__)
def test_an_error_reaches_the_client_with_its_status_and_body(
    raising: TestClient, kind: type[AccordError]
) -> None:
    response = raising.get(f"/raise/{kind.__name__}")
    assert response.status_code == kind.status
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"error": kind.__name__, "detail": str(_error(kind))}


def test_statuses_follow_the_classes_not_an_order() -> None:
    """A subclass answers with its own status, whichever way a table would be ordered."""
    statuses = {kind.__name__: kind.status for kind in ERRORS}
    assert statuses["InputError"] == 400
    assert statuses["UnsupportedMediaTypeError"] == 415
    assert statuses["ContentTooLargeError"] == 413
    assert statuses["AccordError"] == 500


def test_errors_carry_the_headers_their_status_needs(raising: TestClient) -> None:
    assert raising.get("/raise/UnauthorizedError").headers["www-authenticate"] == "Bearer"
    assert raising.get("/raise/NotAcceptableError").headers["vary"] == "Accept"


def test_routing_and_parameter_errors_have_the_same_body(raising: TestClient) -> None:
    missing = raising.get("/nowhere")
    assert (missing.status_code, missing.json()) == (
        404,
        {"error": "NotFound", "detail": "Not Found"},
    )
    refused = raising.post("/raise/InputError")
    assert (refused.status_code, refused.headers["allow"]) == (405, "GET")
    assert refused.json() == {"error": "MethodNotAllowed", "detail": "Method Not Allowed"}
