"""Every operation of the OpenAPI document, read-only, against `accordkg serve` (see
tests/api/schemathesis_run.py). The writes have a file of their own, so that the two runs,
the longest of the suite, go to different cores."""

from pathlib import Path

import pytest

from tests.api.schemathesis_run import run_schemathesis

# schemathesis runs thousands of requests: the longest test of the suite, handed out first.
pytestmark = pytest.mark.slow(seconds=100)


def test_every_operation_answers_as_documented(server: str, tmp_path: Path) -> None:
    run_schemathesis(server, tmp_path, examples=30)
