"""schemathesis's default checks against the server's OpenAPI document, over real HTTP
(status codes, media types, headers and bodies as documented; no 500s; what the schema
allows is accepted and what it refuses is refused). tests/api/schemathesis.toml lists the
rules a schema cannot express. The example count is bounded so that CI stays fast."""

import subprocess
from pathlib import Path

from tests.servers import BIN

CONFIG = Path(__file__).with_name("schemathesis.toml")


def run_schemathesis(url: str, work: Path, *options: str, examples: int) -> None:
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
