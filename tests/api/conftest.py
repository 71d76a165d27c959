"""A built data directory, the ASGI test client on it, and a real uvicorn serving it."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
from accordkg.api import create_app
from fastapi.testclient import TestClient

from accordkg.build import build
from accordkg.settings import Settings
from tests.conftest import INPUTS


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    build(settings)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`accordkg serve` in its own process, as `make run` starts it."""
    data_dir = tmp_path_factory.mktemp("served")
    build(Settings(data_dir=data_dir, input_dir=INPUTS))
    port = _free_port()
    command = [str(Path(sys.executable).parent / "accordkg"), "serve", "--port", str(port)]
    environment = {**os.environ, "ACCORDKG_DATA_DIR": str(data_dir)}
    process = subprocess.Popen(command, env=environment, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {process.stderr and process.stderr.read()!r}")
        try:
            httpx.get(f"{url}/health", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError("server did not come up within 30 s")
