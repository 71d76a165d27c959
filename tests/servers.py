"""Real server processes for tests: started on a free loopback port, stopped after."""

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2 as httpx

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running(
    command: list[str], url: str, env: dict[str, str] | None = None, startup_s: float = 30
) -> Iterator[str]:
    """Start `command`, wait until `url` answers, yield it, and stop the process."""
    with started(command, url, env, startup_s):
        yield url


@contextmanager
def started(
    command: list[str], url: str, env: dict[str, str] | None = None, startup_s: float = 30
) -> Iterator["subprocess.Popen[bytes]"]:
    """Start `command`, wait until `url` answers other than 503, yield the process, and
    stop it."""
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + startup_s
        while True:
            if process.poll() is not None:
                stderr = process.stderr.read() if process.stderr else b""
                raise RuntimeError(f"{command[0]} exited: {stderr.decode(errors='replace')}")
            try:
                if httpx.get(url, timeout=1).status_code != 503:  # 503: still starting
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} was not ready within {startup_s:g} s") from None
            time.sleep(0.1)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def oxigraph_server(location: Path) -> Iterator[str]:
    """`oxigraph serve` on disk with the default graph as the union, as accordkg needs."""
    port = free_port()
    command = [
        str(BIN / "oxigraph"),
        "serve",
        "--location",
        str(location),
        "--bind",
        f"127.0.0.1:{port}",
        "--union-default-graph",
    ]
    with running(command, f"http://127.0.0.1:{port}/") as url:
        yield url.rstrip("/")
