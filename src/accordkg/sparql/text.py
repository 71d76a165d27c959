"""What a SPARQL request is, read off its text before anything runs.

The form (SELECT, ASK, CONSTRUCT, DESCRIBE, or an update) decides the formats to
negotiate; dataset clauses decide whether the default graph may be the union. Keywords
are looked for in the text with comments, strings and IRIs blanked out. What may fetch
from the network (SERVICE, LOAD) is not decided here, on the text, but on a parse
(accordkg.sparql.federation); the full parse happens where the query runs.
"""

import re
from dataclasses import dataclass

from accordkg.errors import InputError
from accordkg.sparql.federation import Endpoint, check_query, check_update, may_call_service

# The grammar's tokens that can hide others, each matched in time linear in its length: a
# string runs to its end or, unterminated, to the end of its line (long: of the text); a
# backslash outside strings escapes one character of a local name.
STRINGS = (
    r'"""(?:[^"\\]|\\.|"(?!""))*+(?:"""|\Z)'
    r"|'''(?:[^'\\]|\\.|'(?!''))*+(?:'''|\Z)"
    r'|"(?:[^"\\\n\r]|\\.)*+"?'
    r"|'(?:[^'\\\n\r]|\\.)*+'?"
)
IRI = r"<[^<>\"{}|^`\\\x00-\x20]*+>"
COMMENT = r"#[^\r\n]*+"
ESCAPE = r"\\."
LEXICAL_NOISE = re.compile(f"{STRINGS}|{IRI}|{ESCAPE}|{COMMENT}")
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
NAME = r"[\w\u00b7\u00c0-\uffff.\-]"  # what a name goes on with, '-' and '.' among it
NESTING = re.compile(
    f"{STRINGS}|(?P<iri>{IRI})|{ESCAPE}|{COMMENT}|(?P<variable>[?$]\\w+)"
    r"|@[A-Za-z]+(?:-[A-Za-z0-9]+)*+|(?P<separator>;)"
    rf"|(?P<prefixed>(?:[A-Za-z_\u00c0-\uffff]{NAME}*+)?:(?:{NAME}|[:%]|\\.)*+)"
    rf"|(?P<word>[A-Za-z_\u00c0-\uffff]{NAME}*+)|\^\^"
    r"|(?P<open>[{(\[])|(?P<close>[})\]])|(?P<operator>&&|\|\||[!<>]=|[=<>!+\-*/|^])"
)
CHAINING_WORDS = frozenset({"UNION", "OPTIONAL", "MINUS"})
MAX_NESTING = 256  # far beyond real queries, far below what the engine's stack takes
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
    keyword = query_form(text)
    if keyword is None:
        raise InputError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE found")
    if keyword not in READ_FORMS:
        raise InputError(
            f"{keyword} is a SPARQL update; send updates to the update endpoint, not as a query"
        )
    check_nesting(text)
    check_query(text, service_allowlist)
    return QueryShape(form=keyword, has_dataset=DATASET_CLAUSE.search(code) is not None)


def query_form(text: str) -> str | None:
    """The keyword of the query's form or update (upper case), None when there is none."""
    form = FORM.search(LEXICAL_NOISE.sub(" ", text))
    return form[1].upper() if form else None


def runs_alike(text: str) -> bool:
    """Whether every run of the query on the same data does the same work: it calls none
    of RAND, NOW, UUID and STRUUID (a filter on their values can make one run much
    longer than another) and could name no SERVICE (another server's time)."""
    return not may_call_service(text) and VARYING.search(LEXICAL_NOISE.sub(" ", text)) is None


def inspect_update(text: str, service_allowlist: tuple[Endpoint, ...] = ()) -> None:
    """InputError unless `text` is an update that loads nothing from anywhere and leaves
    the store's own default graph alone."""
    code = LEXICAL_NOISE.sub(" ", text)
    form = FORM.search(code)
    if form is None or form[1].upper() in READ_FORMS:
        raise InputError("not a SPARQL update: send queries to /sparql")
    check_nesting(text)
    check_update(text, service_allowlist)
    check_default_graph_untouched(text)


def check_default_graph_untouched(text: str) -> None:
    """InputError when the update could write the store's own default graph, which this
    server does not keep (the default graph is the union of the named graphs: what an
    update wrote there would be queried but left out of the dumps and the counts).

    Read on the grammar's tokens, erring towards a refusal: an INSERT's template or data
    that holds anything outside a GRAPH block, unless the operation names its graph with
    WITH; and ADD, COPY or MOVE ... TO DEFAULT.
    """
    depth = 0
    block: int | None = None  # the depth inside the INSERT block being read
    pending = with_graph = data = False  # INSERT seen; the operation has WITH; INSERT DATA
    graph = 0  # inside the block: 1 after GRAPH, 2 after its graph's name
    previous = ""  # the last keyword outside brackets
    for match in NESTING.finditer(text):
        kind, token = match.lastgroup, match[0]
        at_block = block is not None and depth == block
        if kind == "separator" and depth == 0:
            pending = with_graph = data = False
        elif kind == "open":
            if pending and depth == 0:
                pending = False
                block = None if with_graph and not data else depth + 1
            elif at_block and not (graph == 2 and token == "{"):
                raise _default_graph_write()
            graph = 0
            depth += 1
        elif kind == "close":
            depth -= 1
            if block is not None and depth < block:
                block = None
        elif at_block:
            graph = _graph_in_block(kind, token, graph)
        elif kind == "word" and depth == 0:
            word = token.upper()
            if word == "DEFAULT" and previous == "TO":
                raise _default_graph_write()
            with_graph = with_graph or word == "WITH"
            if word == "INSERT":
                pending, data = True, False
            data = data or (pending and word == "DATA")
            previous = word


def _graph_in_block(kind: str | None, token: str, graph: int) -> int:
    """Where a GRAPH block's start stands after a token at an INSERT block's own level
    (0: none, 1: after GRAPH, 2: after its graph's name); InputError for a token that
    starts a triple there, outside any GRAPH."""
    if kind == "word" and token.upper() == "GRAPH" and graph == 0:
        return 1
    if kind in ("iri", "prefixed", "variable") and graph == 1:
        return 2
    if kind in ("iri", "prefixed", "variable", "word"):
        raise _default_graph_write()
    return graph


def _default_graph_write() -> InputError:
    return InputError(
        "this update would write the store's own default graph, which this server does not "
        "keep (the default graph is the union of the named graphs): name the graph to "
        "write, with GRAPH <IRI> { … } or WITH <IRI>"
    )


def check_nesting(text: str) -> None:
    """InputError when the request nests deeper than MAX_NESTING: groups and brackets
    nest, and so does each operator chained in one group (UNION, OPTIONAL, MINUS, the
    logical, comparison, arithmetic and path operators: the engine builds a chain into a
    tree as deep as it is long).

    The count follows the grammar's tokens, so that none can hide brackets or operators
    (strings, comments, local names with '-' or escaped characters, language tags). A `<`
    may start an IRI or be an operator, and only the parser knows which; so text that
    looks like an IRI counts its opening brackets at their deepest and its closing ones
    only as far as they balance its own, and the count is never lower than the real depth.
    """
    depth = deepest = 0
    frames: list[int] = []  # for each open bracket, the chain links counted inside it
    for match in NESTING.finditer(text):
        kind = match.lastgroup
        links = 0
        if kind == "iri":
            iri = match["iri"]
            opened = sum(iri.count(bracket) for bracket in "([")
            deepest = max(deepest, depth + opened)
            depth += max(0, opened - sum(iri.count(bracket) for bracket in ")]"))
        elif kind == "open":
            frames.append(0)
            depth += 1
        elif kind == "close" and frames:
            depth -= 1 + frames.pop()
        elif kind == "operator":
            links = 1
        elif kind == "word":  # a keyword or a function's name; `true-false` is arithmetic
            word = match["word"]
            links = word.count("-") + (word.upper() in CHAINING_WORDS)
        if links:
            if frames:
                frames[-1] += links
            depth += links
        deepest = max(deepest, depth)
    if deepest > MAX_NESTING:
        raise InputError(
            f"the request nests {deepest} levels deep (groups, brackets and chains of "
            f"operators); at most {MAX_NESTING} are taken: for long lists, use VALUES or IN"
        )


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
