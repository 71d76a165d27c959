"""The writes of the OpenAPI document against a writable server of their own (see
tests/api/schemathesis_run.py)."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.conftest import TOKEN
from tests.api.schemathesis_run import run_schemathesis
from tests.api.sparql_server import sparql_server

pytestmark = pytest.mark.slow(seconds=15)  # schemathesis runs hundreds of requests


@pytest.fixture
def writable_alone(tmp_path: Path, built_data: Path) -> Iterator[str]:
    """A server of its own that takes writes: the run writes anything the schema allows."""
    with sparql_server(built_data, tmp_path / "data", ACCORDKG_UPDATE_TOKEN=TOKEN) as url:
        yield url


def test_writes_answer_as_documented(writable_alone: str, tmp_path: Path) -> None:
    authorization = f"Authorization: Bearer {TOKEN}"
    run_schemathesis(
        writable_alone, tmp_path, "--include-tag", "writes", "-H", authorization, examples=100
    )
