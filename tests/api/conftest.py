"""A built data directory, the ASGI test client on it, and a real uvicorn serving it."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from accordkg.api import create_app
from tests.api.slow_store import slow_remote_server
from tests.api.sparql_server import sparql_server
from tests.conftest import copy_built


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, built_data: Path) -> Iterator[TestClient]:
    """The ASGI app on a built store, with one query worker, for the tests of a module
    (they only read)."""
    settings = copy_built(built_data, tmp_path_factory.mktemp("client") / "var")
    with TestClient(create_app(settings.model_copy(update={"query_workers": 1}))) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def sparql(tmp_path_factory: pytest.TempPathFactory, built_data: Path) -> Iterator[str]:
    """The live server's /sparql, with the W3C protocol test graphs loaded, and two query
    workers: a slow query takes one while the other answers."""
    directory = tmp_path_factory.mktemp("sparql") / "var"
    with sparql_server(built_data, directory, ACCORDKG_QUERY_WORKERS="2") as url:
        yield f"{url}/sparql"


TOKEN = "s3cret-t0ken"


@pytest.fixture(scope="session")
def writable(tmp_path_factory: pytest.TempPathFactory, built_data: Path) -> Iterator[str]:
    """A live server that takes writes with the bearer token TOKEN; its base URL."""
    directory = tmp_path_factory.mktemp("writable") / "var"
    with sparql_server(built_data, directory, ACCORDKG_UPDATE_TOKEN=TOKEN) as url:
        yield url


@pytest.fixture(scope="session")
def slow_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A live server, writable with TOKEN, on a remote store that takes seconds to answer."""
    with slow_remote_server(tmp_path_factory.mktemp("slow"), ACCORDKG_UPDATE_TOKEN=TOKEN) as url:
        yield url
