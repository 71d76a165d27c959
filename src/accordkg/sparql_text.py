"""What a SPARQL request is, read off its text before anything runs.

The form (SELECT, ASK, CONSTRUCT, DESCRIBE, or an update) decides the formats to
negotiate; dataset clauses decide whether the default graph may be the union. Keywords
are looked for in the text with comments, strings and IRIs blanked out. What may fetch
from the network (SERVICE, LOAD) is not decided here, on the text, but on a parse
(accordkg.federation); the full parse happens where the query runs.
"""

import re
from dataclasses import dataclass

from accordkg.errors import InputError
from accordkg.federation import Endpoint, check_query, check_update, may_call_service

LEXICAL_NOISE = re.compile(  # strings, IRIs and comments, as the SPARQL grammar ends them
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n\r]|\\.)*"|\'(?:[^\'\\\n\r]|\\.)*\''
    r"|<[^<>\"{}|^`\\\x00-\x20]*>|#[^\r\n]*"
)
KEYWORD_START = r"(?<![\w:?$])"
FORM = re.compile(
    KEYWORD_START + r"(SELECT|ASK|CONSTRUCT|DESCRIBE|INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|"
    r"COPY|MOVE|ADD|WITH)(?![\w:])",
    re.IGNORECASE,
)
DATASET_CLAUSE = re.compile(KEYWORD_START + r"FROM(?![\w:])", re.IGNORECASE)
OWN_DATASET = re.compile(KEYWORD_START + r"(USING|WITH)(?![\w:])", re.IGNORECASE)
BRACE_OR_WHERE = re.compile(r"[{}]|" + KEYWORD_START + r"WHERE(?![\w:])", re.IGNORECASE)
DELETE_BEFORE = re.compile(KEYWORD_START + r"DELETE\s*$", re.IGNORECASE)
READ_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
VARYING = re.compile(KEYWORD_START + r"(RAND|NOW|UUID|STRUUID)(?![\w:])", re.IGNORECASE)


@dataclass(frozen=True)
class QueryShape:
    """What a query is, as far as the HTTP layer needs to know before running it."""

    form: str
    has_dataset: bool


def inspect_query(text: str, service_allowlist: tuple[Endpoint, ...] = ()) -> QueryShape:
    """The form and dataset use of a query; InputError for an update or a refused SERVICE."""
    code = LEXICAL_NOISE.sub(" ", text)
    form = FORM.search(code)
    if form is None:
        raise InputError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE found")
    keyword = form[1].upper()
    if keyword not in READ_FORMS:
        raise InputError(
            f"{keyword} is a SPARQL update; send updates to the update endpoint, not as a query"
        )
    check_query(text, service_allowlist)
    return QueryShape(form=keyword, has_dataset=DATASET_CLAUSE.search(code) is not None)


def runs_alike(text: str) -> bool:
    """Whether every run of the query on the same data does the same work: it calls none
    of RAND, NOW, UUID and STRUUID (a filter on their values can make one run much
    longer than another) and could name no SERVICE (another server's time)."""
    return not may_call_service(text) and VARYING.search(LEXICAL_NOISE.sub(" ", text)) is None


def inspect_update(text: str, service_allowlist: tuple[Endpoint, ...] = ()) -> None:
    """InputError unless `text` is an update that loads nothing from anywhere."""
    code = LEXICAL_NOISE.sub(" ", text)
    form = FORM.search(code)
    if form is None or form[1].upper() in READ_FORMS:
        raise InputError("not a SPARQL update: send queries to /sparql")
    check_update(text, service_allowlist)


def with_protocol_dataset(update: str, default_graphs: list[str], named_graphs: list[str]) -> str:
    """`update` with the protocol's using-graph-uri / using-named-graph-uri written in as
    USING / USING NAMED clauses before the WHERE of each of its DELETE/INSERT operations.
    An update that names its own dataset (USING, WITH) conflicts with them: InputError."""
    if not default_graphs and not named_graphs:
        return update
    code = LEXICAL_NOISE.sub(lambda match: " " * len(match[0]), update)
    if OWN_DATASET.search(code):
        raise InputError(
            "the update has USING or WITH; using-graph-uri / using-named-graph-uri would "
            "conflict with it"
        )
    clauses = "".join(f" USING <{iri}>" for iri in default_graphs)
    clauses += "".join(f" USING NAMED <{iri}>" for iri in named_graphs)
    insertions = []
    depth = 0
    for match in BRACE_OR_WHERE.finditer(code):
        token = match[0]
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        elif depth == 0 and not DELETE_BEFORE.search(code[: match.start()]):
            insertions.append(match.start())
    for position in reversed(insertions):
        update = f"{update[:position]}{clauses} {update[position:]}"
    return update
