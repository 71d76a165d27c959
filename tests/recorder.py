"""A loopback HTTP listener that records every request it gets, for tests that nothing
is fetched: it answers each with the same document, so a fetch would succeed."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Recorded = tuple[str, list[str]]  # a listener's base URL, and the paths it was asked for


@contextmanager
def recording_listener(body: bytes, content_type: str) -> Iterator[Recorded]:
    """A listener on a free loopback port: its base URL, and the paths requested so far."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_GET  # noqa: N815 (SERVICE calls are POSTed)

        def log_message(self, *_: object) -> None:
            """Quiet: the hits are the record."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()
