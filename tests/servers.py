"""Real server processes for tests: started on a free loopback port, stopped after."""

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2 as httpx

from tests import live

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
                if live.get(url, timeout=1).status_code != 503:  # 503: still starting
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


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {directory}/virtuoso.db
ErrorLogFile = {directory}/virtuoso.log
LockFile = {directory}/virtuoso.lck
TransactionFile = {directory}/virtuoso.trx
xa_persistent_file = {directory}/virtuoso.pxa
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {directory}/virtuoso-temp.db
TransactionFile = {directory}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
CheckpointInterval = 0
DirsAllowed = {directory}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {directory}
ServerThreads = 10

[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 0
"""
PRIVATE_GRAPHS = "http://www.openlinksw.com/schemas/virtrdf#PrivateGraphs"
# What the anonymous /sparql endpoint may do: update (a loopback test server), and not see
# Virtuoso's own graphs (its RDF view metadata; the LDP and service description triples).
VIRTUOSO_SETUP = f"""\
GRANT SPARQL_UPDATE TO "SPARQL";
DB.DBA.RDF_GRAPH_GROUP_CREATE ('{PRIVATE_GRAPHS}', 1);
DB.DBA.RDF_GRAPH_GROUP_INS ('{PRIVATE_GRAPHS}', 'http://www.openlinksw.com/schemas/virtrdf#');
DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 0, 1);
SPARQL DROP SILENT GRAPH <http://www.w3.org/ns/ldp#>;
SPARQL DROP SILENT GRAPH <http://localuriqaserver/sparql>;
"""


@contextmanager
def virtuoso_server(directory: Path) -> Iterator[str]:
    """Virtuoso Open Source (`virtuoso-t`) on a database of its own in `directory`, its
    SQL and HTTP listeners on free loopback ports, set up as `VIRTUOSO_SETUP` says; yields
    the URL of its SPARQL endpoint, which takes queries and updates."""
    sql_port, http_port = free_port(), free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(directory=directory, sql_port=sql_port, http_port=http_port))
    command = [_program("virtuoso-t"), "+configfile", str(ini), "+foreground"]
    url = f"http://127.0.0.1:{http_port}/sparql"
    with running(command, f"{url}?query=ASK%7B%7D", startup_s=120):
        isql = [_program("isql-vt"), f"127.0.0.1:{sql_port}", "dba", "dba", "ERRORS=STDOUT"]
        setup = subprocess.run(
            isql, check=False, input=VIRTUOSO_SETUP.encode(), capture_output=True, timeout=60
        )
        if setup.returncode or b"*** Error" in setup.stdout:
            raise RuntimeError(
                f"setting Virtuoso up failed: {setup.stdout.decode(errors='replace')}"
            )
        yield url


def _program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(f"{name} is not installed: `make test` installs it")
    return path
