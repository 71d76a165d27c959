"""What every router reads from a request the same way: a body capped in size, its media
type and charset, its text, and fields that may repeat."""

from fastapi import Request
from starlette.types import Message

from accordkg.errors import ContentTooLargeError, InputError

FORM_CONTENT = "application/x-www-form-urlencoded"  # an HTML form, which several routes read


def capped_body(request: Request, limit: int) -> Request:
    """The request, its body refused (413) once it is over `limit` bytes: at once if its
    Content-Length says so, else as soon as the bytes that arrived pass it (a chunked
    body), so no more than one chunk past the limit is ever read."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    received = 0

    async def receive() -> Message:
        nonlocal received
        message = await request.receive()
        received += len(message.get("body", b""))
        if received > limit:
            raise _too_large(limit)
        return message

    return Request(request.scope, receive)


def _too_large(limit: int) -> ContentTooLargeError:
    return ContentTooLargeError(
        f"the request body is larger than this server takes ({limit} bytes); "
        "send it in smaller parts"
    )


def media_type_and_charset(request: Request) -> tuple[str, str]:
    """The request body's media type (lower case) and charset (UTF-8 unless said)."""
    media_type, _, parameters = request.headers.get("content-type", "").partition(";")
    return media_type.strip().lower(), _charset(parameters)


def _charset(parameters: str) -> str:
    for parameter in parameters.split(";"):
        key, _, value = parameter.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"').lower()
    return "utf-8"


def decode_body(body: bytes, charset: str) -> str:
    """A request body's text; an unknown charset or bytes it cannot read are a 400."""
    try:
        return body.decode(charset)
    except LookupError as exc:
        raise InputError(f"unknown charset {charset!r}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(
            f"the request body is not valid {charset} (byte {exc.start}); "
            "say its charset in the Content-Type"
        ) from exc


def multi(items: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Fields (of a query string or form) by name, each with every value it is given."""
    fields: dict[str, list[str]] = {}
    for key, value in items:
        fields.setdefault(key, []).append(value)
    return fields
