"""What a SPARQL request is, read off its text before anything runs.

The form (SELECT, ASK, CONSTRUCT, DESCRIBE, or an update) decides the formats to
negotiate; dataset clauses decide whether the default graph may be the union; SERVICE
clauses are refused unless their IRI is on the allow-list. Keywords are looked for in
the text with comments, strings and IRIs blanked out, so none can hide in or be faked
by them. The full parse happens where the query runs.
"""

import re
from dataclasses import dataclass

from accordkg.errors import InputError

LEXICAL_NOISE = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
    r"|<[^<>\"{}|^`\\\s]*>|#[^\n]*"
)
KEYWORD_START = r"(?<![\w:?$])"
FORM = re.compile(
    KEYWORD_START + r"(SELECT|ASK|CONSTRUCT|DESCRIBE|INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|"
    r"COPY|MOVE|ADD|WITH)(?![\w:])",
    re.IGNORECASE,
)
DATASET_CLAUSE = re.compile(KEYWORD_START + r"FROM(?![\w:])", re.IGNORECASE)
SERVICE = re.compile(KEYWORD_START + r"SERVICE(?![\w:])", re.IGNORECASE)
LOAD = re.compile(KEYWORD_START + r"LOAD(?![\w:])", re.IGNORECASE)
OWN_DATASET = re.compile(KEYWORD_START + r"(USING|WITH)(?![\w:])", re.IGNORECASE)
BRACE_OR_WHERE = re.compile(r"[{}]|" + KEYWORD_START + r"WHERE(?![\w:])", re.IGNORECASE)
DELETE_BEFORE = re.compile(KEYWORD_START + r"DELETE\s*$", re.IGNORECASE)
SERVICE_TARGET = re.compile(r"(?<![\w:?$])SERVICE\s+(?:SILENT\s+)?<([^<>\s]*)>", re.IGNORECASE)
READ_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
VARYING = re.compile(KEYWORD_START + r"(RAND|NOW|UUID|STRUUID|SERVICE)(?![\w:])", re.IGNORECASE)


@dataclass(frozen=True)
class QueryShape:
    """What a query is, as far as the HTTP layer needs to know before running it."""

    form: str
    has_dataset: bool


def inspect_query(text: str, service_allowlist: tuple[str, ...] = ()) -> QueryShape:
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
    _check_services(text, code, service_allowlist)
    return QueryShape(form=keyword, has_dataset=DATASET_CLAUSE.search(code) is not None)


def runs_alike(text: str) -> bool:
    """Whether every run of the query on the same data does the same work: it calls none
    of RAND, NOW, UUID and STRUUID (a filter on their values can make one run much
    longer than another) and no SERVICE (another server's time)."""
    return VARYING.search(LEXICAL_NOISE.sub(" ", text)) is None


def inspect_update(text: str, service_allowlist: tuple[str, ...] = ()) -> None:
    """InputError unless `text` is an update that loads nothing from anywhere."""
    code = LEXICAL_NOISE.sub(" ", text)
    form = FORM.search(code)
    if form is None or form[1].upper() in READ_FORMS:
        raise InputError("not a SPARQL update: send queries to /sparql")
    if LOAD.search(code):
        raise InputError("LOAD is refused: this server fetches nothing from the network")
    _check_services(text, code, service_allowlist)


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


def _check_services(text: str, code: str, allowlist: tuple[str, ...]) -> None:
    """Refuse SERVICE unless every target is an IRI under an allowed prefix."""
    uses = len(SERVICE.findall(code))
    if uses == 0:
        return
    if not allowlist:
        raise InputError(
            "SERVICE (federated query) is disabled on this endpoint; "
            "the operator can allow given endpoints with ACCORDKG_SERVICE_ALLOWLIST"
        )
    targets = SERVICE_TARGET.findall(LEXICAL_NOISE.sub(_keep_iris, text))
    if len(targets) != uses:
        raise InputError("SERVICE needs a full IRI here (<https://...>), not a variable or prefix")
    refused = [t for t in targets if not any(t.startswith(prefix) for prefix in allowlist)]
    if refused:
        raise InputError(f"SERVICE <{refused[0]}> is not on this endpoint's allow-list")


def _keep_iris(match: re.Match[str]) -> str:
    token = match[0]
    return token if token.startswith("<") else " "
