"""Counting what a SPARQL answer holds, in any of the result formats."""

import csv
import io
import json

from rdflib import Dataset, Graph

GRAPH_FORMATS = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml"}


def count_rows(text: str, result_format: str) -> int:
    """Rows of a SELECT answer, or triples of a CONSTRUCT answer."""
    if result_format == "json":
        return len(json.loads(text)["results"]["bindings"])
    if result_format == "xml":
        return text.count("<result>")
    if result_format in ("csv", "tsv"):
        delimiter = "," if result_format == "csv" else "\t"
        return len(list(csv.reader(io.StringIO(text), delimiter=delimiter))) - 1
    if result_format == "nquads":
        return len(Dataset().parse(data=text, format="nquads"))
    return len(Graph().parse(data=text, format=GRAPH_FORMATS[result_format]))
