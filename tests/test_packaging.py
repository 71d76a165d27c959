"""The installed distribution: `accordkg.api` imports, and nothing named `api` leaks out."""

import subprocess
import sys
from pathlib import Path

PROBE = """
import importlib.util, accordkg.api, accordkg.ontology, accordkg.queries
from importlib.resources import files
print(importlib.util.find_spec("api"))
print(files("accordkg.ontology").joinpath("accordkg.ttl").is_file())
"""


def test_packages_resolve_from_outside_the_repository(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert completed.stdout.split() == ["None", "True"]
