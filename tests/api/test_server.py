"""`accordkg serve` over raw TCP: a client that is slow to send a request's head is cut
off after ACCORDKG_HEADER_TIMEOUT_S (here 1 s); a prompt one is not."""

import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.api.sparql_server import sparql_server

LIMIT_S = 1.0
HEALTH = b"GET /health HTTP/1.1\r\nHost: accordkg\r\n\r\n"


@pytest.fixture(scope="module")
def address(
    tmp_path_factory: pytest.TempPathFactory, built_data: Path
) -> Iterator[tuple[str, int]]:
    """The host and port of a live server with a one-second limit on request heads."""
    settings = {"ACCORDKG_HEADER_TIMEOUT_S": str(LIMIT_S)}
    with sparql_server(built_data, tmp_path_factory.mktemp("heads") / "var", **settings) as url:
        parts = urlsplit(url)
        yield str(parts.hostname), int(parts.port or 80)


def _connect(address: tuple[str, int]) -> socket.socket:
    connection = socket.create_connection(address, timeout=10)
    connection.settimeout(10)  # longer than the limit, well short of for ever
    return connection


def _seconds_until_closed(connection: socket.socket) -> float:
    """How long the server takes to close the connection, reading (and dropping) anything
    it answers before that; a socket time-out if it never does."""
    started = time.monotonic()
    while connection.recv(65536):
        pass
    return time.monotonic() - started


def _answer(connection: socket.socket) -> bytes:
    """One whole answer to a request on a kept-alive connection (its head and body)."""
    received = b""
    while b"\r\n\r\n" not in received:
        received += connection.recv(65536)
    head, _, body = received.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        body += connection.recv(65536)
    return head


@pytest.mark.parametrize(
    "sent", [b"", b"GET /health HTTP/1.1\r\n", b"GET /health HTTP/1.1\r\nHost: accordkg\r\n"]
)
def test_a_head_not_sent_in_time_is_cut_off(address: tuple[str, int], sent: bytes) -> None:
    """Nothing, a request line, a request line and a header: closed after the limit."""
    with _connect(address) as connection:
        connection.sendall(sent)
        assert LIMIT_S * 0.8 <= _seconds_until_closed(connection) < LIMIT_S + 3


def test_the_next_head_on_a_kept_alive_connection_is_bounded_too(address: tuple[str, int]) -> None:
    with _connect(address) as connection:
        connection.sendall(HEALTH)
        assert _answer(connection).startswith(b"HTTP/1.1 200")
        connection.sendall(b"GET /health HTTP/1.1\r\n")  # and no more
        assert _seconds_until_closed(connection) < LIMIT_S + 3


def test_a_head_sent_in_parts_within_the_limit_is_answered(address: tuple[str, int]) -> None:
    with _connect(address) as connection:
        connection.sendall(HEALTH[:20])
        time.sleep(LIMIT_S / 2)
        connection.sendall(HEALTH[20:])
        assert _answer(connection).startswith(b"HTTP/1.1 200")


def test_a_slow_body_is_not_cut_off_by_the_head_limit(address: tuple[str, int]) -> None:
    """The limit is on the head: once it is in, the request has its time."""
    body = b"ASK {}"
    head = (
        b"POST /sparql HTTP/1.1\r\nHost: accordkg\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: %d\r\n\r\n" % len(body)
    )
    with _connect(address) as connection:
        connection.sendall(head)
        time.sleep(LIMIT_S * 2)
        connection.sendall(body)
        assert _answer(connection).startswith(b"HTTP/1.1 200")
