"""Reading a query's form and dataset use before running it (SERVICE: test_federation)."""

import pytest

from accordkg.errors import InputError
from accordkg.sparql.text import (
    LEXICAL_NOISE,
    check_nesting,
    inspect_query,
    inspect_update,
    runs_alike,
    with_protocol_dataset,
)


@pytest.mark.parametrize(
    ("query", "form", "has_dataset"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT", False),
        ("PREFIX select: <urn:x> # SELECT\n ASK { select:a ?p ?o }", "ASK", False),
        ("BASE <http://x/> CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT", False),
        ("describe <urn:a>", "DESCRIBE", False),
        ("SELECT * FROM <urn:g> WHERE { ?s ?p ?o }", "SELECT", True),
        ("SELECT * FROM NAMED <urn:g> WHERE { GRAPH ?g { ?s ?p ?o } }", "SELECT", True),
        ('SELECT ?from WHERE { BIND("FROM <x>" AS ?from) }', "SELECT", False),
    ],
)
def test_form_and_dataset(query: str, form: str, has_dataset: bool) -> None:
    shape = inspect_query(query)
    assert (shape.form, shape.has_dataset) == (form, has_dataset)


@pytest.mark.parametrize(
    "update",
    ["INSERT DATA { <a> <b> <c> }", "PREFIX x: <urn:x> DELETE WHERE { ?s ?p ?o }", "DROP ALL",
     "LOAD <http://example.org/data.ttl>", "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"],
)  # fmt: skip
def test_updates_are_not_queries(update: str) -> None:
    with pytest.raises(InputError, match="update endpoint"):
        inspect_query(update)


def test_keywords_in_strings_comments_and_iris_do_not_count() -> None:
    query = 'SELECT * WHERE { ?s <urn:SERVICE> "SERVICE <http://x/>" } # SERVICE <http://y/>'
    assert inspect_query(query).form == "SELECT"


def test_text_without_a_query_form() -> None:
    with pytest.raises(InputError, match="not a SPARQL query"):
        inspect_query("PREFIX x: <urn:x>")


def test_protocol_dataset_is_written_before_each_operations_where() -> None:
    update = (
        "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o FILTER EXISTS { SELECT * WHERE { ?a ?b ?c } } } ;"
        ' DELETE WHERE { ?a ?b ?c } ; INSERT { ?x ?y "WHERE" } WHERE { ?x ?y ?z } ;'
        " INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    )
    rewritten = with_protocol_dataset(update, ["urn:d"], ["urn:n"])
    assert rewritten.count(" USING <urn:d> USING NAMED <urn:n> WHERE") == 2
    assert "DELETE WHERE { ?a" in rewritten  # the short form takes no USING
    assert 'INSERT { ?x ?y "WHERE" }' in rewritten
    assert with_protocol_dataset(update, [], []) == update


def test_protocol_dataset_conflicts_with_using_or_with() -> None:
    with pytest.raises(InputError, match="conflict"):
        with_protocol_dataset("WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", ["urn:d"], [])


@pytest.mark.parametrize(
    ("query", "alike"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", True),
        ('SELECT * WHERE { ?s ?p "RAND() NOW()" } # UUID()', True),
        ("PREFIX now: <urn:now#> SELECT * WHERE { now:a ?p <urn:rand> }", True),
        ("SELECT * WHERE { ?s ?p ?o FILTER(rand() < 0.5) }", False),
        ("ASK { FILTER(NOW() > '2030-01-01T00:00:00Z'^^<urn:dt>) }", False),
        ("SELECT (STRUUID() AS ?u) WHERE {}", False),
        ("SELECT * WHERE { BIND(UUID() AS ?u) }", False),
        ("SELECT * WHERE { SERVICE <https://example.org/sparql> { ?s ?p ?o } }", False),
    ],
)
def test_runs_alike_unless_it_calls_something_that_varies(query: str, alike: bool) -> None:
    assert runs_alike(query) is alike


DEEP = {
    "10,000 nested groups": "SELECT * WHERE " + "{" * 10_000 + " ?s ?p ?o " + "}" * 10_000,
    "40,000 UNIONs": "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 40_000) + " }",
    "5,000 OPTIONALs": "SELECT * { ?s ?p ?o " + " ".join(["OPTIONAL { ?s ?p ?o }"] * 5_000) + " }",
    "brackets in what looks like an IRI": (
        "SELECT * { FILTER(?a<" + "(" * 1_000 + "1" + ")" * 1_000 + ">?b) }"
    ),
    "IRIs that close brackets": "SELECT * { FILTER(" + "(<)>=" * 1_000 + "1" + ")" * 1_001 + " }",
    "a chain of ||": "ASK { FILTER(" + " || ".join(["?a"] * 1_000) + ") }",
    "escaped brackets in local names": (
        "SELECT * { " + "{ ex:s ex:p ex:o\\) . " * 5_000 + "}" * 5_000 + " }"
    ),
    "escaped # in local names": "SELECT * { " + "{ ex:s ex:p ex:a\\# \n" * 5_000 + "}" * 5_001,
    "a chain of +": "SELECT * { FILTER(" + "1 + " * 5_000 + "1) }",
    "a chain of !": "ASK { FILTER(" + "!" * 5_000 + "true) }",
    "a path of 5,000 steps": "SELECT * { ?s " + "<urn:p>/" * 5_000 + "<urn:p> ?o }",
    "true-true-...": "ASK { FILTER(" + "true-" * 5_000 + "true) }",
}
NOT_DEEP = {
    "100 UNIONs": "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 100) + " }",
    "5,000 VALUES rows": (
        "SELECT * { VALUES (?a ?b) { " + " ".join(['(<urn:a(1)> "(")'] * 5_000) + " } }"
    ),
    "IRIs with brackets": (
        "SELECT * { " + " ".join(["<http://en.wikipedia.org/wiki/A_(b)> ?p ?o ."] * 500) + " }"
    ),
    "brackets in strings and comments": 'SELECT * { ?s ?p "' + "{" * 1_000 + '" } # ' + "(" * 999,
    "names with the letters of keywords": (
        "SELECT * { " + "?labourunion ?p ex:optional . " * 300 + "}"
    ),
    "language tags and datatypes": (
        "SELECT * { VALUES ?x { " + '"a"@en-GB "1"^^xsd:integer ' * 3_000 + "} }"
    ),
    "local names with hyphens": (
        "SELECT * { " + "ex:us-uk-ai-research-declaration-2020 ?p ?o . " * 300 + "}"
    ),
}


@pytest.mark.parametrize("query", DEEP.values(), ids=DEEP.keys())
def test_deep_nesting_is_refused_before_it_runs(query: str) -> None:
    with pytest.raises(InputError, match=r"levels deep .* at most 256 are taken"):
        inspect_query(query)


@pytest.mark.parametrize("query", NOT_DEEP.values(), ids=NOT_DEEP.keys())
def test_long_but_shallow_queries_pass(query: str) -> None:
    assert inspect_query(query).form == "SELECT"


def test_deep_updates_are_refused_before_they_run() -> None:
    with pytest.raises(InputError, match="4000 levels deep"):
        inspect_update("INSERT { <urn:a> <urn:b> <urn:c> } WHERE " + "{" * 4_000 + "}" * 4_000)


def test_an_unterminated_string_runs_to_the_end_of_its_line() -> None:
    """So that a scan never retries a failed string at every later quote (80 KB of quotes
    and backslashes once took 25 s): one match per quote, to the end of its line (a long
    string: of the text)."""
    assert LEXICAL_NOISE.sub("_", '"a\\" b\nASK {}') == "_\nASK {}"
    assert LEXICAL_NOISE.sub("_", "'''a\n\nASK {}") == "_"
    check_nesting('"\\' * 40_000)


WRITES_THE_DEFAULT_GRAPH = [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } <urn:x> <urn:y> <urn:z> }",
    "INSERT { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "DELETE { ?s ?p ?o } INSERT { ?s <urn:p> 1 } WHERE { ?s ?p ?o }",
    "INSERT DATA { [ <urn:b> 1 ] }",
    "INSERT DATA { ( 1 2 ) <urn:b> 1 }",
    "INSERT DATA { _:b <urn:b> 1 }",
    "PREFIX ex: <http://example.org/> INSERT DATA { ex:a ex:b ex:c }",
    "WITH <urn:g> DELETE {} WHERE {} ; INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "ADD <urn:g> TO DEFAULT",
    "copy silent <urn:g> to default",
    "MOVE <urn:g> TO DEFAULT",
]
LEAVES_THE_DEFAULT_GRAPH = [
    "INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> . [ <urn:b> 1 ] } }",
    "WITH <urn:g> INSERT { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "INSERT { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } }",
    "PREFIX ex: <http://example.org/> INSERT DATA { GRAPH ex:g { ex:a ex:b ex:c ; ex:d ex:e } }",
    'INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> "INSERT DATA { <x> <y> <z> }" } } # INSERT {',
    "DELETE DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "DROP ALL",
    "CLEAR DEFAULT",
    "ADD DEFAULT TO <urn:g>",
]


@pytest.mark.parametrize("update", WRITES_THE_DEFAULT_GRAPH)
def test_updates_that_would_write_the_stores_own_default_graph_are_refused(update: str) -> None:
    with pytest.raises(InputError, match="default graph, which this server does not keep"):
        inspect_update(update)


@pytest.mark.parametrize("update", LEAVES_THE_DEFAULT_GRAPH)
def test_updates_that_name_their_graphs_pass(update: str) -> None:
    inspect_update(update)
