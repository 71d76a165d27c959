"""IRIs that arrive from outside (request parameters, command-line options, file contents).

One check for every value that names an IRI: it must be an absolute IRI (RFC 3987, as the
store parses it) that can be written as `<...>` in SPARQL text as it stands, so a value
that passes can never end the IRI early and become syntax, and never makes the store
fail with something other than a clear error.
"""

import re

import pyoxigraph
from rdflib import URIRef

from accordkg.errors import InputError

# What SPARQL's IRIREF excludes (controls, space and <>"{}|^`\), and what else no IRI can
# hold: the other control characters and spaces, and lone surrogates (not text at all).
NOT_IN_IRIS = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f-\x9f\ud800-\udfff]|\s')
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:.")
QUOTED_VALUE_CHARS = 200  # characters of a refused value quoted back in the error


def is_absolute_iri(value: str) -> bool:
    """Whether `value` is an absolute IRI that is safe to write as `<value>` in SPARQL."""
    if SCHEME.match(value) is None or NOT_IN_IRIS.search(value) is not None:
        return False
    try:
        pyoxigraph.NamedNode(value)
    except ValueError:  # oxiri's full RFC 3987 parse: hosts, ports, percent-encoding
        return False
    return True


def checked_iri(value: str, name: str) -> URIRef:
    """`value` as an IRI term, or an InputError saying that `name` (the parameter or
    option it came in) must be an absolute IRI."""
    if not is_absolute_iri(value):
        raise InputError(f"{name} must be an absolute IRI, not {value[:QUOTED_VALUE_CHARS]!r}")
    return URIRef(value)
