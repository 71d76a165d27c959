"""A remote store that answers slowly: `oxigraph serve` behind a proxy that holds every
request for DELAY_S, and a live `accordkg serve` on it. A handler that waits for such a
store in the event loop holds every other request as long."""

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests import live
from tests.servers import BIN, free_port, oxigraph_server, running

DELAY_S = 2.0
FORWARDED = ("content-type", "accept")


@contextmanager
def slow_remote_server(directory: Path, **extra_settings: str) -> Iterator[str]:
    """A live accordkg on the slow store; its base URL (ready once /queries answers,
    which reads nothing from the store)."""
    with oxigraph_server(directory / "oxigraph") as upstream, delaying(upstream) as proxy:
        port = free_port()
        environment = {
            **os.environ,
            "ACCORDKG_DATA_DIR": str(directory / "var"),
            "ACCORDKG_STORE": "remote",
            "ACCORDKG_SPARQL_QUERY_URL": f"{proxy}/query",
            "ACCORDKG_SPARQL_UPDATE_URL": f"{proxy}/update",
            **extra_settings,
        }
        command = [str(BIN / "accordkg"), "serve", "--port", str(port)]
        url = f"http://127.0.0.1:{port}"
        with running(command, f"{url}/queries", environment):
            yield url


@contextmanager
def delaying(upstream: str) -> Iterator[str]:
    """A proxy in front of `upstream` that waits DELAY_S before forwarding each POST."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            time.sleep(DELAY_S)
            headers = {name: value for name in FORWARDED if (value := self.headers.get(name))}
            answer = live.post(f"{upstream}{self.path}", content=body, headers=headers)
            self.send_response(answer.status_code)
            if "content-type" in answer.headers:
                self.send_header("Content-Type", answer.headers["content-type"])
            self.send_header("Content-Length", str(len(answer.content)))
            self.end_headers()
            self.wfile.write(answer.content)

        def log_message(self, *_: object) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
