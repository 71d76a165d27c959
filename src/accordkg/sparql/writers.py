"""SELECT results in the SPARQL 1.1 result formats: JSON, XML, CSV and TSV.

rdflib writes JSON, XML and CSV; TSV (which rdflib cannot write) is written here: a
header of `?variables`, then one line per row with each term in N-Triples syntax, which
escapes tabs and newlines inside literals.
"""

from rdflib import Variable
from rdflib.query import Result

from accordkg.errors import InputError
from accordkg.store import Solutions

# Every answer format accordkg writes, by name, with the media type it is served as.
MEDIA_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8",
    "ntriples": "application/n-triples",
    "nquads": "application/n-quads",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
SOLUTION_FORMATS = ("json", "xml", "csv", "tsv")


def serialize_solutions(solutions: Solutions, result_format: str) -> bytes:
    """`solutions` in `result_format` (one of SOLUTION_FORMATS), UTF-8 encoded."""
    if result_format == "tsv":
        lines = ["\t".join(f"?{name}" for name in solutions.variables)]
        for row in solutions.rows:
            terms = (row[name].n3() if name in row else "" for name in solutions.variables)
            lines.append("\t".join(terms))
        return ("\n".join(lines) + "\n").encode("utf-8")
    if result_format not in SOLUTION_FORMATS:
        raise InputError(f"unknown result format {result_format!r}; use one of {SOLUTION_FORMATS}")
    result = Result("SELECT")
    result.vars = [Variable(name) for name in solutions.variables]
    result.bindings = [{Variable(k): v for k, v in row.items()} for row in solutions.rows]
    return result.serialize(format=result_format, encoding="utf-8") or b""
