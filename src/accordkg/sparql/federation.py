"""Whether a SPARQL request may make this server fetch anything: SERVICE and LOAD.

The decision is taken on a parse of the request, never on a search of its text: a lexical
filter in front of a different parser always has gaps (a comment that the engine ends at
a carriage return, an IRI written with codepoint escapes, a `<` that is an operator).
Oxigraph matches the keywords SERVICE and LOAD in ASCII letters only, so a request whose
text has no such letters (in any case, under Unicode folding) needs no parse; any other is
parsed with rdflib's SPARQL grammar. Where the two parsers could disagree on where a
string, comment or IRI ends (an escape, a carriage return), the request is refused or
made plain before it is parsed.

A SERVICE target is allowed when it is written as a full IRI (no prefix, no variable, no
BASE-relative reference) and matches an allow-list entry by scheme, host, port and path
prefix, after the host has been read the way a resolver reads it (`127.1`, `0x7f000001`,
full-width digits, a trailing dot), and only while every address its host resolves to is
public.
"""

import ipaddress
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from pyparsing import ParseBaseException, ParseResults
from rdflib import URIRef, Variable
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from accordkg.errors import InputError

SERVICE_LETTERS = re.compile("service", re.IGNORECASE)
LOAD_LETTERS = re.compile("load", re.IGNORECASE)
CHECKED_CHARACTERS = 10_000  # rdflib's parser takes about 2 s for this many
LOCAL_NAMES = ("localhost", "localdomain", "local", "internal", "home.arpa", "test")
DOT_SEGMENT = re.compile(r"(^|/)\.\.?(/|$)")


@dataclass(frozen=True)
class Endpoint:
    """A SERVICE endpoint (or an allow-list entry) reduced to what decides where a request
    goes: scheme, canonical host, port, path."""

    scheme: str
    host: str
    port: int
    path: str

    def covers(self, other: "Endpoint") -> bool:
        """Whether `other` is this allow-list entry or under it."""
        same_origin = (self.scheme, self.host, self.port) == (other.scheme, other.host, other.port)
        return same_origin and other.path.startswith(self.path)


def endpoint(iri: str) -> Endpoint:
    """The endpoint an http(s) IRI names; InputError for anything that could reach another
    host than it seems to (user info, dot segments) or is not http(s) with a host."""
    try:
        parts = urlsplit(iri)
        hostname = parts.hostname
    except ValueError as exc:  # an authority such as [x
        raise InputError(f"<{iri}> has no valid authority") from exc
    if parts.scheme not in ("http", "https") or not hostname:
        raise InputError(f"<{iri}> is not an http(s) IRI with a host")
    if "@" in parts.netloc:
        raise InputError(f"<{iri}> has user info in its authority")
    if DOT_SEGMENT.search(parts.path):
        raise InputError(f"<{iri}> has . or .. path segments")
    return Endpoint(parts.scheme, canonical_host(hostname), _port(parts), parts.path or "/")


def canonical_host(host: str) -> str:
    """`host` as a resolver reads it: IDNA-mapped (full-width digits and letters become
    ASCII, case folds), without a trailing dot, and an IPv4 address in any of the forms
    inet_aton takes (`127.1`, `0x7f000001`, `2130706433`, `0177.0.0.1`) written out in
    dotted decimal. InputError when it is no valid host name at all."""
    try:
        ascii_host = host.rstrip(".").encode("idna").decode("ascii").lower()
    except UnicodeError as exc:
        raise InputError(f"{host!r} is not a valid host name") from exc
    try:
        return str(ipaddress.ip_address(ascii_host))
    except ValueError:
        pass
    try:
        return socket.inet_ntoa(socket.inet_aton(ascii_host))
    except OSError:
        return ascii_host


def is_public_host(host: str) -> bool:
    """Whether a canonical host is a public address, or a name of more than one label
    outside the reserved local domains. What a name resolves to is checked when it is
    used (`resolves_publicly`)."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        local = any(host == name or host.endswith("." + name) for name in LOCAL_NAMES)
        return "." in host and not local  # a single label is a name on the local network
    return _is_global(address)


def resolves_publicly(host: str) -> bool:
    """Whether `host` resolves now, and only to public addresses."""
    try:
        infos = socket.getaddrinfo(host, None)
    except (OSError, UnicodeError):
        return False
    return bool(infos) and all(_is_global(ipaddress.ip_address(info[4][0])) for info in infos)


def check_query(text: str, allowlist: tuple[Endpoint, ...]) -> None:
    """InputError unless every SERVICE in the query is allowed."""
    if not may_call_service(text):
        return
    tree = _parsed(text, parseQuery)
    for target in _targets(tree, "ServiceGraphPattern", "term"):
        _check_service(target, allowlist)


def check_update(text: str, allowlist: tuple[Endpoint, ...]) -> None:
    """InputError unless the update LOADs nothing and every SERVICE in it is allowed."""
    if not may_call_service(text) and LOAD_LETTERS.search(text) is None:
        return
    tree = _parsed(text, parseUpdate)
    if next(_targets(tree, "Load", "iri"), None) is not None:
        raise InputError("LOAD is refused: this server fetches nothing from the network")
    for target in _targets(tree, "ServiceGraphPattern", "term"):
        _check_service(target, allowlist)


def may_call_service(text: str) -> bool:
    """Whether the text could name SERVICE at all: a cheap bound, with no parse."""
    return SERVICE_LETTERS.search(text) is not None


def _parsed(text: str, parse: object) -> object:
    """The parse tree of `text`, read so that rdflib ends comments, strings and IRIs where
    Oxigraph does. rdflib ends a comment only at a line feed (Oxigraph also at a carriage
    return), and it expands codepoint escapes, in more forms than the grammar's, all over
    the text before parsing (Oxigraph only inside strings and IRIs): an escape could move
    a boundary. So a request that names SERVICE or LOAD may hold no backslash at all."""
    if len(text) > CHECKED_CHARACTERS:
        raise InputError(
            f"a request that names SERVICE or LOAD may be at most {CHECKED_CHARACTERS} "
            "characters long here"
        )
    if "\\" in text:
        raise InputError(
            "a request that names SERVICE or LOAD may not hold backslashes (escapes) here: "
            "write the characters themselves"
        )
    try:
        return parse(text.replace("\r", "\n"))  # type: ignore[operator]
    except (ParseBaseException, ValueError, TypeError, RecursionError) as exc:
        raise InputError(
            f"this request names SERVICE or LOAD, and it could not be checked: {exc}"
        ) from exc


def _targets(tree: object, name: str, key: str) -> Iterator[object]:
    """The `key` of every parse-tree node called `name`, anywhere in `tree`."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            if node.name == name:
                yield node.get(key)
            stack.extend(node.values())
        elif isinstance(node, list | tuple | ParseResults):
            stack.extend(node)


def _check_service(target: object, allowlist: tuple[Endpoint, ...]) -> None:
    if not allowlist:
        raise InputError(
            "SERVICE (federated query) is disabled on this endpoint; "
            "the operator can allow given endpoints with ACCORDKG_SERVICE_ALLOWLIST"
        )
    if isinstance(target, Variable) or not isinstance(target, URIRef):
        raise InputError("SERVICE needs a full IRI here (<https://...>), not a variable or prefix")
    try:
        wanted = endpoint(str(target))
    except InputError as exc:
        raise InputError(f"SERVICE refused: {exc}") from None
    if not any(entry.covers(wanted) for entry in allowlist):
        raise InputError(f"SERVICE <{target}> is not on this endpoint's allow-list")
    if not resolves_publicly(wanted.host):
        raise InputError(f"SERVICE <{target}>: its host does not resolve to public addresses")


def _port(parts: SplitResult) -> int:
    try:
        port = parts.port
    except ValueError as exc:
        raise InputError(f"{parts.geturl()!r} has an invalid port") from exc
    return port if port is not None else (443 if parts.scheme == "https" else 80)


NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))


def _is_global(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether an address is public, an IPv6 one that carries an IPv4 address (mapped,
    6to4, NAT64) only if that one is."""
    if isinstance(address, ipaddress.IPv6Address):
        carried = address.ipv4_mapped or address.sixtofour
        if carried is None and any(address in network for network in NAT64):
            carried = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if carried is not None:
            return carried.is_global
    return address.is_global
