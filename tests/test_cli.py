"""The `accordkg` command line, run as a user runs it."""

import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from accordkg.cli import app
from accordkg.store import EmbeddedStore

ACCORDKG = Path(sys.executable).parent / "accordkg"


def test_build_reports_what_it_loaded(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["build", "--data-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "1 graph(s)" in result.output
    assert (tmp_path / "store").is_dir()


def test_build_fails_cleanly_while_the_store_is_in_use(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "store"):
        result = CliRunner().invoke(app, ["build", "--data-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "error: cannot open the store" in result.output


def test_console_script_is_installed_and_takes_settings_from_the_environment(
    tmp_path: Path,
) -> None:
    environment = {**os.environ, "ACCORDKG_DATA_DIR": str(tmp_path / "elsewhere")}
    completed = subprocess.run(
        [str(ACCORDKG), "build"],
        env=environment,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert (tmp_path / "elsewhere" / "store").is_dir()
