"""The OpenAPI document against the server: schemathesis's default checks over real HTTP
(status codes, media types, headers and bodies as documented; no 500s; what the schema
allows is accepted and what it refuses is refused). tests/api/schemathesis.toml lists the
rules a schema cannot express. The example count is bounded so that CI stays fast."""

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.conftest import TOKEN
from tests.api.sparql_server import sparql_server
from tests.servers import BIN

CONFIG = Path(__file__).with_name("schemathesis.toml")

pytestmark = pytest.mark.slow  # schemathesis runs hundreds of requests


def _schemathesis(url: str, work: Path, *options: str, examples: int) -> None:
    """A schemathesis run, reproducible (a fixed seed), that must find nothing."""
    completed = subprocess.run(
        [
            str(BIN / "schemathesis"), "--config-file", str(CONFIG), "--no-color",
            "run", f"{url}/openapi.json", "--max-examples", str(examples), "--seed", "13",
            "--generation-database", "none", "--request-timeout", "30", "--workers", "1",
            *options,
        ],
        cwd=work,  # whatever it leaves behind stays out of the repository
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout[-30_000:] + completed.stderr[-5_000:]


def test_every_operation_answers_as_documented(server: str, tmp_path: Path) -> None:
    _schemathesis(server, tmp_path, examples=30)


@pytest.fixture
def writable_alone(tmp_path: Path, built_data: Path) -> Iterator[str]:
    """A server of its own that takes writes: the run writes anything the schema allows."""
    with sparql_server(built_data, tmp_path / "data", ACCORDKG_UPDATE_TOKEN=TOKEN) as url:
        yield url


def test_writes_answer_as_documented(writable_alone: str, tmp_path: Path) -> None:
    authorization = f"Authorization: Bearer {TOKEN}"
    _schemathesis(
        writable_alone, tmp_path, "--include-tag", "writes", "-H", authorization, examples=100
    )
