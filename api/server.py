"""The HTTP server `accordkg serve` runs: uvicorn, with a bound on the time to send a head.

uvicorn bounds the wait between requests on a kept-alive connection, but not the wait for
a request's head: a client that connects and sends nothing, or half a request line and a
few headers, holds its connection (and a file descriptor) for ever, and a few hundred such
clients exhaust the server. Here every connection has `header_timeout_s` from when it
opens, and again from the end of each answer, to finish sending a request's head; past
it, the connection is closed. The body and the answer are not bounded by this.
"""

import asyncio
from typing import Any

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from accordkg.api.app import create_app
from accordkg.settings import Settings


class HeadTimeoutProtocol(HttpToolsProtocol):
    """uvicorn's HTTP/1.1 protocol, closing a connection whose request head is late."""

    head_timeout_s = 10.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_head()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._await_head()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None
        super().connection_lost(exc)

    def _await_head(self) -> None:
        """Give the client `head_timeout_s` from now to complete its next request's head."""
        if self._head_timer is not None:
            self._head_timer.cancel()
        self._head_timer = self.loop.call_later(self.head_timeout_s, self._head_overdue)

    def _head_overdue(self) -> None:
        self._head_timer = None
        waiting_for_head = self.cycle is None or self.cycle.response_complete
        if waiting_for_head and not self.transport.is_closing():
            self.transport.close()


def serve(settings: Settings) -> None:
    """Serve the app for `settings` until interrupted."""

    class Protocol(HeadTimeoutProtocol):
        head_timeout_s = settings.header_timeout_s

    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, http=Protocol)
