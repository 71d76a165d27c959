"""An ASGI app that answers every request with a fixed ASK answer and does no work.

Served by uvicorn next to the endpoints in bench/sparql.py, it measures the least a
Python endpoint on uvicorn takes per request on the machine, with the same client.
"""

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Message = MutableMapping[str, Any]
ANSWER = b'{"head":{},"boolean":true}'
HEADERS = [(b"content-type", b"application/sparql-results+json")]


async def app(
    scope: Message,
    receive: Callable[[], Awaitable[Message]],
    send: Callable[[Message], Awaitable[None]],
) -> None:
    if scope["type"] == "http":
        await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
        await send({"type": "http.response.body", "body": ANSWER})
