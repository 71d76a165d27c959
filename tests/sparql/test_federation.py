"""SERVICE and LOAD are decided on a parse: every form that makes Oxigraph fetch is refused.

Each evasion below is first shown to be live (the engine itself, given it, calls a
listener on loopback), then shown to be refused before it reaches the engine.
"""

import ipaddress
import socket
from collections.abc import Callable

import pyoxigraph
import pytest

from accordkg.errors import InputError
from accordkg.sparql.federation import Endpoint, canonical_host, endpoint, is_public_host
from accordkg.sparql.text import inspect_query, inspect_update
from tests.recorder import Recorded

PUBLIC = endpoint("https://8.8.8.8/sparql")  # an address: resolves without DNS


def fill(form: str, listener: Recorded) -> str:
    """A form below with the listener's address in it."""
    url, _ = listener
    return form.format(U=f"{url}/x", H=url.removeprefix("http://"))


# {U} is the listener's IRI, {H} its host and port. Comments end at CR, LF or the end;
# whitespace is space, tab, CR, LF or a comment; IRIs may be written with escapes, as
# BASE-relative references or prefixed names; SERVICE may sit in any group.
QUERY_FORMS = {
    "plain": "SELECT * WHERE {{ SERVICE <{U}> {{ ?a ?b ?c }} }}",
    "lower case": "select * where {{ service <{U}> {{ ?a ?b ?c }} }}",
    "mixed case": "SeLeCt * WhErE {{ sErViCe <{U}> {{ ?a ?b ?c }} }}",
    "silent": "SELECT * WHERE {{ SERVICE SILENT <{U}> {{ ?a ?b ?c }} }}",
    "comment ended by CR": "SELECT * WHERE {{ #x\rSERVICE <{U}> {{ ?a ?b ?c }} }}",
    "comment ended by CRLF": "SELECT * WHERE {{ #x\r\nSERVICE <{U}> {{ ?a ?b ?c }} }}",
    "comment ended by LF": "SELECT * WHERE {{ #x\nSERVICE <{U}> {{ ?a ?b ?c }} }}",
    "comment between keyword and IRI": "SELECT * {{ SERVICE#c\r<{U}>{{?a ?b ?c}} }}",
    "comment after SILENT": "SELECT * {{ SERVICE SILENT#c\r<{U}>{{?a ?b ?c}} }}",
    "tabs": "SELECT\t*\t{{\tSERVICE\t<{U}>\t{{?a ?b ?c}}\t}}",
    "carriage returns": "SELECT\r*\r{{\rSERVICE\r<{U}>\r{{?a ?b ?c}}\r}}",
    "no whitespace": "SELECT*{{SERVICE<{U}>{{?a ?b ?c}}}}",
    "escaped IRI": "SELECT * {{ SERVICE <\\u0068ttp://{H}/x> {{ ?a ?b ?c }} }}",
    "long escape in IRI": "SELECT * {{ SERVICE <\\U00000068ttp://{H}/x> {{ ?a ?b ?c }} }}",
    "BASE-relative IRI": "BASE <http://{H}/> SELECT * {{ SERVICE <x> {{ ?a ?b ?c }} }}",
    "prefixed name": "PREFIX p: <http://{H}/> SELECT * {{ SERVICE p:x {{ ?a ?b ?c }} }}",
    "less-than before a comment": "SELECT * {{ BIND((1<2)AS?z)SERVICE#>\n<{U}>{{?a ?b ?c}} }}",
    "escaped backslash in a string": (
        'SELECT * {{ BIND("\\u005c" AS ?x) SERVICE <{U}> {{?a ?b ?c}} BIND(" AS ?y) '
        'BIND(" AS ?z) }}'
    ),
    "escape in a comment, as rdflib reads escapes": (
        'SELECT * WHERE {{ BIND(1 AS ?one) # \\U000A BIND("""\n SERVICE <{U}> {{ ?a ?b ?c }}\n'
        ' # """ AS ?two)\n}}'
    ),
    "long string with quotes": (
        'SELECT * {{ BIND("""a "b" \'\'c\'\'""" AS ?x) SERVICE <{U}> {{?a ?b ?c}} }}'
    ),
    "subquery": "SELECT * {{ {{ SELECT * {{ SERVICE <{U}> {{?a ?b ?c}} }} }} }}",
    "EXISTS": "ASK {{ FILTER EXISTS {{ SERVICE <{U}> {{?a ?b ?c}} }} }}",
    "NOT EXISTS": "ASK {{ ?s ?p ?o FILTER NOT EXISTS {{ SERVICE <{U}> {{?a ?b ?c}} }} }}",
    "OPTIONAL": "SELECT * {{ ?s ?p ?o OPTIONAL {{ SERVICE <{U}> {{?a ?b ?c}} }} }}",
    "UNION": "SELECT * {{ {{ ?s ?p ?o }} UNION {{ SERVICE <{U}> {{?a ?b ?c}} }} }}",
    "MINUS": "SELECT * {{ ?s ?p ?o MINUS {{ SERVICE <{U}> {{?a ?b ?c}} }} }}",
    "GRAPH": "SELECT * {{ GRAPH ?g {{ ?s ?p ?o }} SERVICE <{U}> {{?a ?b ?c}} }}",
    "CONSTRUCT": "CONSTRUCT {{ ?a ?b ?c }} WHERE {{ SERVICE <{U}> {{ ?a ?b ?c }} }}",
    "DESCRIBE": "DESCRIBE ?a WHERE {{ SERVICE <{U}> {{ ?a ?b ?c }} }}",
}
UPDATE_FORMS = {
    "LOAD": "LOAD <{U}>",
    "LOAD after a CR comment": "#x\rLOAD <{U}>",
    "LOAD SILENT INTO": "load silent <{U}> into graph <urn:g>",
    "LOAD after another operation": "INSERT DATA {{ <urn:a> <urn:b> <urn:c> }} ;\rLOAD <{U}>",
    "SERVICE in a WHERE": (
        "INSERT {{ GRAPH <urn:g> {{ ?a ?b ?c }} }} WHERE {{ #x\rSERVICE <{U}> {{?a ?b ?c}} }}"
    ),
    "SERVICE in a DELETE WHERE": "DELETE {{ ?a ?b ?c }} WHERE {{ SERVICE <{U}> {{?a ?b ?c}} }}",
    "LOAD hidden from rdflib by an escape in a comment": (
        'INSERT DATA {{ <urn:s> <urn:p> <urn:o> # \\U000A . <urn:s> <urn:p> """\n}} ;\n'
        'LOAD <{U}> INTO GRAPH <urn:g> ;\nINSERT DATA {{ <urn:s> <urn:p> <urn:o2>\n# """\n}}'
    ),
}


def _engine() -> pyoxigraph.Store:
    """An engine holding one triple in the default graph and in a named one, so that the
    patterns around a SERVICE match and it is evaluated."""
    store = pyoxigraph.Store()
    s, p, o = pyoxigraph.NamedNode("urn:s"), pyoxigraph.NamedNode("urn:p"), pyoxigraph.Literal("o")
    store.add(pyoxigraph.Quad(s, p, o))
    store.add(pyoxigraph.Quad(s, p, o, pyoxigraph.NamedNode("urn:g")))
    return store


def _hits_when_run(listener: Recorded, run: Callable[[], object]) -> int:
    hits = listener[1]
    before = len(hits)
    try:
        result = run()
        if isinstance(result, pyoxigraph.QuerySolutions | pyoxigraph.QueryTriples):
            list(result)
    except (SyntaxError, RuntimeError, OSError):
        pass  # the listener's answer is no RDF; what counts is that it was asked
    return len(hits) - before


@pytest.mark.parametrize("form", QUERY_FORMS.values(), ids=QUERY_FORMS.keys())
def test_every_service_form_is_live_and_refused(form: str, listener: Recorded) -> None:
    query = fill(form, listener)
    store = _engine()
    assert _hits_when_run(listener, lambda: store.query(query)) > 0
    before = len(listener[1])
    with pytest.raises(InputError, match="SERVICE"):
        inspect_query(query)
    with pytest.raises(InputError, match="SERVICE"):
        inspect_query(query, (PUBLIC,))
    assert len(listener[1]) == before


@pytest.mark.parametrize("form", UPDATE_FORMS.values(), ids=UPDATE_FORMS.keys())
def test_every_load_and_service_form_in_updates_is_live_and_refused(
    form: str, listener: Recorded
) -> None:
    update = fill(form, listener)
    store = _engine()
    assert _hits_when_run(listener, lambda: store.update(update)) > 0
    with pytest.raises(InputError, match=r"SERVICE|LOAD"):
        inspect_update(update)
    with pytest.raises(InputError, match=r"SERVICE|LOAD"):
        inspect_update(update, (PUBLIC,))


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { ?s <urn:service> ?o }",
        'SELECT * WHERE { ?s ?p "SERVICE <http://127.0.0.1/>" }',
        "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://127.0.0.1/> { }",
        "PREFIX sd: <http://www.w3.org/ns/sparql-service-description#> "
        "SELECT * WHERE { ?s a sd:Service }",
    ],
)
def test_the_word_alone_is_not_a_service(query: str) -> None:
    assert inspect_query(query).form == "SELECT"


def test_a_service_on_the_allowlist_passes() -> None:
    query = "SELECT * WHERE { SERVICE SILENT <https://8.8.8.8/sparql/x> { ?s ?p ?o } }"
    assert inspect_query(query, (PUBLIC,)).form == "SELECT"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("SELECT * { SERVICE ?endpoint { ?s ?p ?o } }", "full IRI"),
        ("PREFIX p: <https://8.8.8.8/sparql/> SELECT * { SERVICE p:x {} }", "full IRI"),
        ("SELECT * { SERVICE <https://8.8.8.8/other> {} }", "allow-list"),
        ("SELECT * { SERVICE <http://8.8.8.8/sparql> {} }", "allow-list"),
        ("SELECT * { SERVICE <https://8.8.8.8:8443/sparql> {} }", "allow-list"),
        ("SELECT * { SERVICE <https://8.8.8.8@127.0.0.1/sparql> {} }", "user info"),
        ("SELECT * { SERVICE <https://8.8.8.8/sparql/../admin> {} }", r"\.\. path"),
        ("SELECT * { SERVICE <https://8.8.8.8/sparql/x> {} SERVICE <http://127.1/> {} }",
         "allow-list"),
        ("SELECT * { SERVICE <https://8.8.8.8/sparql/\\u0078> {} }", "backslashes"),
        ("SELECT * { SERVICE <http://[x> {} }", "no valid authority"),
    ],
)  # fmt: skip
def test_services_off_the_allowlist_are_refused(query: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        inspect_query(query, (PUBLIC,))


def test_a_name_that_resolves_to_loopback_is_refused_when_used() -> None:
    name = socket.gethostname()  # the machine's own name, in /etc/hosts
    if ipaddress.ip_address(socket.gethostbyname(name)).is_global:
        pytest.skip(f"{name} resolves to a public address here")
    allowed = Endpoint("https", name, 443, "/")  # as if the allow-list had taken it
    query = f"SELECT * {{ SERVICE <https://{name}/> {{}} }}"
    with pytest.raises(InputError, match="does not resolve to public addresses"):
        inspect_query(query, (allowed,))


def test_a_query_that_cannot_be_parsed_here_is_refused_if_it_names_service() -> None:
    with pytest.raises(InputError, match="could not be checked"):
        inspect_query("SELECT * WHERE { SERVICE <https://8.8.8.8/sparql> { ?s ?p } }", (PUBLIC,))


@pytest.mark.parametrize(
    ("host", "canonical"),
    [
        ("127.1", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),
        ("0", "0.0.0.0"),
        ("0177.0.0.1", "127.0.0.1"),
        ("10.1", "10.0.0.1"),
        ("127.000.000.001", "127.0.0.1"),
        ("\uff11\uff12\uff17.\uff10.\uff10.\uff11", "127.0.0.1"),  # full-width digits
        ("localhost.", "localhost"),
        ("LocalHost", "localhost"),
        ("::ffff:127.0.0.1", "::ffff:7f00:1"),
    ],
)
def test_hosts_are_read_as_a_resolver_reads_them(host: str, canonical: str) -> None:
    assert canonical_host(host) == canonical
    assert not is_public_host(canonical_host(host))


@pytest.mark.parametrize("host", ["query.wikidata.org", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_hosts(host: str) -> None:
    assert is_public_host(canonical_host(host))


def test_a_request_that_names_service_is_checked_up_to_a_length() -> None:
    """rdflib's parser takes seconds for long texts: past 10,000 characters, refused."""
    query = "SELECT * WHERE { ?s ?p ?o } # service " + "x" * 10_000
    with pytest.raises(InputError, match="at most 10000 characters"):
        inspect_query(query)


def test_what_rdflib_cannot_parse_for_depth_is_a_clear_refusal() -> None:
    """rdflib's parser recurses once per triple pattern: a RecursionError is no 500."""
    patterns = " ".join(f"?s <urn:p{n}> ?o{n} ." for n in range(150))
    with pytest.raises(InputError, match="could not be checked"):
        inspect_query(f"SELECT * WHERE {{ {patterns} }} # service")


@pytest.mark.parametrize("host", ["64:ff9b::7f00:1", "64:ff9b:1::a00:1", "2002:7f00:1::1"])
def test_ipv6_addresses_that_carry_a_private_ipv4_one_are_not_public(host: str) -> None:
    """NAT64 and 6to4 addresses reach the IPv4 address inside them."""
    assert not is_public_host(canonical_host(host))
