"""The query worker pool on a real built store: answers sent whole or streamed, the row
limit decided before the first byte in every format, and streams that end early (a
closed stream, a reader too slow for the time limit) giving their worker back."""

import asyncio
import csv
import io
import json
from collections.abc import Awaitable, Callable
from contextlib import closing
from pathlib import Path
from typing import TypeVar

import pyoxigraph
import pytest

from accordkg.errors import (
    InputError,
    QueryMemoryError,
    QueryTimeoutError,
    StoreError,
    UnavailableError,
)
from accordkg.pipeline.build import build
from accordkg.settings import Settings
from accordkg.sparql import pool as query_pool
from accordkg.sparql.formats import FORMATS as REGISTRY
from accordkg.sparql.pool import QueryPool, WorkerStream
from accordkg.sparql.runner import QueryAnswer, QueryJob
from accordkg.store import EmbeddedStore
from tests.answers import GRAPH_FORMATS, count_rows
from tests.conftest import INPUTS
from tests.recorder import Recorded

LIMIT = 50
PADDING = "x" * 200  # so that a few rows make an answer larger than a small buffer
SOLUTION_FORMATS = ("json", "xml", "csv", "tsv")
FORMATS = {
    "json": pyoxigraph.QueryResultsFormat.JSON,
    "xml": pyoxigraph.QueryResultsFormat.XML,
    "tsv": pyoxigraph.QueryResultsFormat.TSV,
}
T = TypeVar("T")


def numbered(count: int) -> str:
    """A WHERE clause with `count` solutions, each binding a distinct long ?text."""
    values = " ".join(str(n) for n in range(1, count + 1))
    return f'{{ VALUES ?n {{ {values} }} BIND(CONCAT("{PADDING} ", STR(?n)) AS ?text) }}'


def job(query: str, result_format: str, row_limit: int = LIMIT) -> QueryJob:
    return QueryJob(query, REGISTRY[result_format], row_limit, union_default_graph=True)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    settings = Settings(data_dir=tmp_path_factory.mktemp("pool"), input_dir=INPUTS)
    build(settings)
    return settings.store_dir


def with_pool(
    store_path: Path,
    buffer_bytes: int,
    use: Callable[[QueryPool], Awaitable[T]],
    *,
    timeout_s: float = 10,
    wait_s: float = 30,
    memory_bytes: int = Settings().query_memory_bytes,
    copy_bytes: int = Settings().query_copy_bytes,
    size: int = 1,
    network: bool = False,
) -> T:
    """Run `use` with a started pool (one worker unless said), closed after."""
    return asyncio.run(
        with_store_and_pool(
            store_path,
            buffer_bytes,
            lambda _, pool: use(pool),
            timeout_s=timeout_s,
            wait_s=wait_s,
            memory_bytes=memory_bytes,
            copy_bytes=copy_bytes,
            size=size,
            network=network,
        )
    )


async def with_store_and_pool(
    store_path: Path,
    buffer_bytes: int,
    use: Callable[[EmbeddedStore, QueryPool], Awaitable[T]],
    *,
    timeout_s: float = 10,
    wait_s: float = 30,
    memory_bytes: int = Settings().query_memory_bytes,
    copy_bytes: int = Settings().query_copy_bytes,
    size: int = 1,
    network: bool = False,
) -> T:
    """Run `use` with the store open and a started pool over it, closed after."""
    with closing(EmbeddedStore(store_path)) as store:
        pool = QueryPool(
            store,
            size,
            timeout_s,
            wait_s,
            buffer_bytes,
            memory_bytes=memory_bytes,
            copy_bytes=copy_bytes,
            network=network,
        )
        pool.start(asyncio.get_running_loop())
        while pool.status()["ready"] != size:  # the workers are opening the store
            await asyncio.sleep(0.05)
        try:
            return await use(store, pool)
        finally:
            await pool.close()


async def body_of(answer: QueryAnswer) -> bytes:
    if isinstance(answer.body, bytes):
        return answer.body
    return b"".join([chunk async for chunk in answer.body])


@pytest.mark.parametrize(("buffer_bytes", "streamed"), [(4 * 1024 * 1024, False), (512, True)])
def test_the_truncation_flag_is_right_at_and_around_the_limit_in_every_format(
    store_path: Path, buffer_bytes: int, streamed: bool
) -> None:
    async def use(pool: QueryPool) -> list[tuple[str, int, bool, int, bool]]:
        seen = []
        for result_format in (*SOLUTION_FORMATS, *GRAPH_FORMATS, "nquads"):
            graph_form = result_format not in SOLUTION_FORMATS
            for count in (LIMIT - 1, LIMIT, LIMIT + 1):
                query = (
                    f"CONSTRUCT {{ <urn:s> <urn:p> ?text }} WHERE {numbered(count)}"
                    if graph_form
                    else f"SELECT ?n ?text WHERE {numbered(count)}"
                )
                answer = await pool.run(job(query, result_format))
                stream = isinstance(answer.body, WorkerStream)
                rows = count_rows((await body_of(answer)).decode("utf-8"), result_format)
                seen.append((result_format, count, answer.truncated, rows, stream))
        return seen

    for result_format, count, truncated, rows, stream in with_pool(store_path, buffer_bytes, use):
        assert truncated is (count > LIMIT), (result_format, count)
        assert rows == min(count, LIMIT), (result_format, count)
        assert stream is streamed, (result_format, count)


def test_ask_and_small_answers_come_whole(store_path: Path) -> None:
    async def use(pool: QueryPool) -> QueryAnswer:
        return await pool.run(job("ASK { ?s ?p ?o }", "json"))

    answer = with_pool(store_path, 4 * 1024 * 1024, use)
    assert answer == QueryAnswer(body=b'{"head":{},"boolean":true}', truncated=False)


# Terms that each format must carry exactly: quotes, commas, tabs, line breaks and markup
# in literals; languages and datatypes; blank nodes; unbound variables; and one IRI in two
# variables and several rows (the writers make each term's text once per variable).
AWKWARD = """PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
SELECT ?a ?b ?c WHERE {
  VALUES (?a ?b) {
    (<http://example.org/s> "say \\"hi\\", then\\nleave\\tnow <&> \\r")
    (<http://example.org/s> "chat"@fr)
    (UNDEF 42)
    ("2020-09-25"^^xsd:date <http://example.org/s>)
    (UNDEF UNDEF)
  }
  BIND(IF(BOUND(?b), BNODE(), ?unbound) AS ?c)
}"""


def comparable(term: object) -> object:
    """Blank nodes get fresh labels on every run: compare them by kind."""
    return "blank node" if isinstance(term, pyoxigraph.BlankNode) else term


def csv_text(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, pyoxigraph.BlankNode):
        return f"_:{term.value}"
    assert isinstance(term, pyoxigraph.NamedNode | pyoxigraph.Literal)
    return term.value


def test_every_format_carries_every_kind_of_term_exactly(store_path: Path) -> None:
    solutions = pyoxigraph.Store().query(AWKWARD)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    expected = list(solutions)

    async def use(pool: QueryPool) -> dict[str, bytes]:
        return {f: await body_of(await pool.run(job(AWKWARD, f))) for f in SOLUTION_FORMATS}

    bodies = with_pool(store_path, 4 * 1024 * 1024, use)
    for name in ("json", "xml", "tsv"):
        parsed = pyoxigraph.parse_query_results(bodies[name], format=FORMATS[name])
        assert isinstance(parsed, pyoxigraph.QuerySolutions)
        assert [v.value for v in parsed.variables] == ["a", "b", "c"]
        assert [[comparable(row[i]) for i in range(3)] for row in parsed] == [
            [comparable(row[i]) for i in range(3)] for row in expected
        ], name
    header, *records = csv.reader(io.StringIO(bodies["csv"].decode("utf-8"), newline=""))
    assert header == ["a", "b", "c"]
    assert [record[:2] for record in records] == [
        [csv_text(row[0]), csv_text(row[1])] for row in expected
    ]
    assert [record[2].startswith("_:") for record in records] == [True] * 4 + [False]


def test_a_query_whose_rows_change_between_runs_is_cut_off_not_mislabelled(
    store_path: Path,
) -> None:
    """The header comes from a counting run; a random query can disagree with it."""
    query = f"SELECT ?n ?text WHERE {{ {numbered(2 * LIMIT)} FILTER(RAND() < 0.5) }}"

    async def use(pool: QueryPool) -> tuple[int, list[tuple[bool, int]]]:
        cut_off, consistent = 0, []
        for _ in range(40):
            answer = await pool.run(job(query, "json"))
            try:
                rows = count_rows((await body_of(answer)).decode("utf-8"), "json")
            except StoreError as exc:
                cut_off += "changed between two runs" in str(exc)
            else:
                consistent.append((answer.truncated, rows))
        return cut_off, consistent

    cut_off, consistent = with_pool(store_path, 512, use)
    assert cut_off > 0  # each run disagrees with its count about half of the time
    assert all(rows == LIMIT for truncated, rows in consistent if truncated)


def test_errors_before_the_first_byte_are_raised_as_such(store_path: Path) -> None:
    async def use(pool: QueryPool) -> list[BaseException]:
        errors: list[BaseException] = []
        for query in (
            "SELECT * WHERE { ?s ?p }",
            "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
        ):
            try:
                await pool.run(job(query, "json", row_limit=10_000_000))
            except (InputError, QueryTimeoutError) as exc:
                errors.append(exc)
        return errors

    syntax, timeout = with_pool(store_path, 1024, use, timeout_s=1)
    assert isinstance(syntax, InputError)
    assert "SPARQL syntax error" in str(syntax)
    assert isinstance(timeout, QueryTimeoutError)  # the counting run of 1M rows ran out


def test_a_closed_stream_gives_its_worker_back_at_once(store_path: Path) -> None:
    large = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"  # about a million rows

    async def use(pool: QueryPool) -> tuple[int, float, dict[str, object]]:
        answer = await pool.run(job(large, "json", row_limit=1_000_000))
        assert isinstance(answer.body, WorkerStream)
        chunks = aiter(answer.body)
        first = await anext(chunks)
        answer.body.close()  # as the HTTP layer does when the client goes away
        started = asyncio.get_running_loop().time()
        ask = await pool.run(job("ASK { ?s ?p ?o }", "json"))
        waited = asyncio.get_running_loop().time() - started
        assert ask.body == b'{"head":{},"boolean":true}'
        return len(first), waited, pool.status()

    first, waited, status = with_pool(store_path, 64 * 1024, use)
    assert first > 0
    assert waited < 2.0  # not the ~30 s the rest of the answer would take
    assert status["idle"] == 1


@pytest.mark.slow
def test_a_reader_slower_than_the_time_limit_gets_an_incomplete_stream(store_path: Path) -> None:
    large = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 300000"

    async def use(pool: QueryPool) -> tuple[int, BaseException | None, bytes]:
        answer = await pool.run(job(large, "json", row_limit=1_000_000))
        assert isinstance(answer.body, WorkerStream)
        received, failure = 0, None
        try:
            async for chunk in answer.body:
                received += len(chunk)
                await asyncio.sleep(3)  # far slower than the 2 s limit
        except QueryTimeoutError as exc:
            failure = exc
        after = await pool.run(job("ASK { ?s ?p ?o }", "json"))  # on the replacement
        assert isinstance(after.body, bytes)
        return received, failure, after.body

    received, failure, after = with_pool(store_path, 64 * 1024, use, timeout_s=2)
    assert isinstance(failure, QueryTimeoutError)
    assert 0 < received < 10_000_000
    assert after == b'{"head":{},"boolean":true}'


LARGE = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"  # about a million rows: streamed
ASK = job("ASK { ?s ?p ?o }", "json")


async def answers_while_the_worker_is_busy(pool: QueryPool, light: QueryJob) -> bool:
    """Whether `light` is answered while the only worker is held by an unread stream."""
    held = await pool.run(job(LARGE, "json", row_limit=1_000_000))
    assert isinstance(held.body, WorkerStream)
    try:
        await pool.run(light)
    except UnavailableError:
        return False
    finally:
        held.body.close()
    return True


@pytest.mark.slow
def test_a_query_a_worker_answered_quickly_is_answered_in_process_after(
    store_path: Path,
) -> None:
    """Shown by the only worker being busy: a light query answers at once, an unknown
    one waits for the worker and gives up."""
    unknown = job("ASK { ?s a ?type }", "json")

    async def use(pool: QueryPool) -> tuple[bool, bool, bool]:
        before = await answers_while_the_worker_is_busy(pool, ASK)
        first = await pool.run(ASK)  # on the worker, which finds it light
        after = await answers_while_the_worker_is_busy(pool, ASK)
        assert (await pool.run(ASK)) == first
        assert pool.status()["light_queries"] == 1
        return before, after, await answers_while_the_worker_is_busy(pool, unknown)

    assert with_pool(store_path, 64 * 1024, use, wait_s=0.5) == (False, True, False)


def test_a_query_whose_runs_vary_is_never_run_in_process(store_path: Path) -> None:
    """A quick run of a query with RAND() says nothing about its next run."""
    varying = job("SELECT ?n WHERE { VALUES ?n { 1 2 3 } FILTER(RAND() < 2) }", "json")

    async def use(pool: QueryPool) -> tuple[bool, object]:
        await pool.run(varying)
        return await answers_while_the_worker_is_busy(pool, varying), pool.status()

    in_process, status = with_pool(store_path, 64 * 1024, use, wait_s=0.5)
    assert not in_process
    assert isinstance(status, dict)
    assert status["light_queries"] == 0


@pytest.mark.slow
def test_answers_in_process_are_the_workers_answers_with_the_same_truncation(
    store_path: Path,
) -> None:
    queries = [
        job(f"SELECT ?n ?text WHERE {numbered(LIMIT + 1)}", result_format)
        for result_format in SOLUTION_FORMATS
    ] + [job(AWKWARD.replace("BNODE()", '"b"'), "xml"), ASK]

    async def use(pool: QueryPool) -> list[tuple[QueryAnswer, QueryAnswer, bool]]:
        pairs = []
        for query in queries:
            on_worker = await pool.run(query)
            here = await pool.run(query)
            pairs.append((on_worker, here, await answers_while_the_worker_is_busy(pool, query)))
        return pairs

    pairs = with_pool(store_path, 4 * 1024 * 1024, use, wait_s=0.5)
    for on_worker, here, in_process in pairs:
        assert in_process
        assert here == on_worker
    assert [on_worker.truncated for on_worker, _, _ in pairs] == [True] * 4 + [False, False]


@pytest.mark.slow
def test_a_change_to_the_store_sends_light_queries_back_to_the_workers(
    store_path: Path,
) -> None:
    async def use(pool: QueryPool) -> tuple[bool, bool]:
        await pool.run(ASK)
        light = await answers_while_the_worker_is_busy(pool, ASK)
        pool.invalidate()
        return light, await answers_while_the_worker_is_busy(pool, ASK)

    assert with_pool(store_path, 64 * 1024, use, wait_s=0.5) == (True, False)


@pytest.mark.slow
def test_a_light_query_that_runs_slowly_in_process_goes_back_to_the_workers(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(query_pool, "LIGHT_HERE_S", 0.0)  # every run here is too slow

    async def use(pool: QueryPool) -> tuple[bool, bool]:
        await pool.run(ASK)
        here = await answers_while_the_worker_is_busy(pool, ASK)  # ran here, too slowly
        return here, await answers_while_the_worker_is_busy(pool, ASK)

    assert with_pool(store_path, 64 * 1024, use, wait_s=0.5) == (True, False)


def doubling(times: int) -> str:
    """A short query whose one string doubles in length `times` times."""
    binds = " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(times))
    seed = 'BIND("0123456789abcdef" AS ?a0)'
    return f"SELECT ?n WHERE {{ {seed} {binds} BIND(STRLEN(?a{times}) AS ?n) }}"


def test_a_query_past_the_memory_limit_is_stopped_and_the_worker_replaced(
    store_path: Path,
) -> None:
    async def use(pool: QueryPool) -> tuple[Exception, bytes]:
        try:
            await pool.run(job(doubling(40), "csv"))
        except QueryMemoryError as exc:
            failure: Exception = exc
        small = await pool.run(job(doubling(4), "csv"))
        return failure, await body_of(small)

    failure, small = with_pool(store_path, 1 << 20, use, memory_bytes=512 * 1024**2)
    assert "more than the 512 MiB a query worker may use" in str(failure)
    assert small.splitlines() == [b"n", b"256"]  # a new worker answers the next query


def test_deep_nesting_does_not_kill_a_worker(store_path: Path) -> None:
    """A worker's stack is deep enough for what the nesting limit lets through and more."""
    depth = 6000
    query = "SELECT ?s WHERE " + "{" * depth + " ?s ?p ?o " + "}" * depth + " LIMIT 1"

    async def use(pool: QueryPool) -> bytes:
        return await body_of(await pool.run(job(query, "csv")))

    assert with_pool(store_path, 1 << 20, use).startswith(b"s\r\n")


COUNTING = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # runs for minutes


def ask(n: int) -> QueryJob:
    """An ASK no one asked before: it runs on a worker, not as a known light query."""
    return job(f"ASK {{ ?s ?p ?o }} # {n}", "json")


async def outcome(pool: QueryPool, query: QueryJob, client: str) -> tuple[float, object]:
    """When the query ended, in the loop's time, and its body or its error."""
    try:
        answer = await pool.run(query, client)
        result: object = answer.body
    except (QueryTimeoutError, UnavailableError, InputError, StoreError) as exc:
        result = exc
    return asyncio.get_running_loop().time(), result


@pytest.mark.slow
def test_a_long_query_is_stopped_to_make_room_when_every_worker_is_taken(
    store_path: Path,
) -> None:
    """Two long queries from two clients hold both workers; a third client's short query
    waits until one of them has run for LONG_S, which is then stopped so that the short
    one runs, and its client is heavy: while the other long query holds a worker, that
    client may not take the last one, which stays free for everyone else."""

    async def use(pool: QueryPool) -> dict[str, tuple[float, object]]:
        loop = asyncio.get_running_loop()
        first = loop.create_task(outcome(pool, job(COUNTING, "csv"), "10.0.0.1"))
        await asyncio.sleep(0.5)
        second = loop.create_task(outcome(pool, job(COUNTING, "csv"), "10.0.0.2"))
        await asyncio.sleep(0.2)
        started = loop.time()
        ends = {"short": await outcome(pool, ask(1), "10.0.0.3"), "stopped": await first}
        heavy = loop.create_task(outcome(pool, ask(2), "10.0.0.1"))
        await asyncio.sleep(0.5)
        ends["fresh"] = await outcome(pool, ask(3), "10.0.0.4")
        ends["heavy"] = await heavy
        ends["timed out"] = await second
        return {name: (end - started, result) for name, (end, result) in ends.items()}

    ends = with_pool(store_path, 1 << 20, use, size=2, timeout_s=4, wait_s=10)
    true = b'{"head":{},"boolean":true}'
    assert ends["short"][1] == ends["fresh"][1] == ends["heavy"][1] == true
    assert ends["short"][0] < 2.5  # until the first has run LONG_S, then a new worker starts
    stopped = ends["stopped"][1]
    assert isinstance(stopped, UnavailableError)
    assert "busy with long queries" in str(stopped)
    assert isinstance(ends["timed out"][1], QueryTimeoutError)
    assert ends["fresh"][0] < ends["timed out"][0] < ends["heavy"][0]


def test_a_stream_whose_client_takes_nothing_is_cut_off_when_others_wait(
    store_path: Path,
) -> None:
    async def use(pool: QueryPool) -> tuple[float, bytes, BaseException | None]:
        loop = asyncio.get_running_loop()
        answer = await pool.run(job(LARGE, "json", row_limit=1_000_000), "10.0.0.1")
        assert isinstance(answer.body, WorkerStream)
        chunks = aiter(answer.body)
        await anext(chunks)  # then it takes nothing more for a while
        asked = loop.time()
        short = await pool.run(ask(1), "10.0.0.2")
        waited = loop.time() - asked
        failure = None
        try:
            await anext(chunks)
        except UnavailableError as exc:
            failure = exc
        assert isinstance(short.body, bytes)
        return waited, short.body, failure

    waited, short, failure = with_pool(store_path, 64 * 1024, use, timeout_s=20)
    assert short == b'{"head":{},"boolean":true}'
    assert waited < 2.0  # not the 20 s the stream could hold its worker
    assert failure is not None
    assert "cut off" in str(failure)


@pytest.mark.parametrize("network", [False, True])
def test_workers_reach_no_network_unless_service_may_call_out(
    store_path: Path, listener: Recorded, network: bool
) -> None:
    """Whatever text reaches the engine: with SERVICE off, a worker cannot open an internet
    socket, so even a query that was never checked calls no one (SILENT or not)."""
    url, hits = listener
    before = len(hits)
    queries = [
        f"SELECT * WHERE {{ SERVICE{silent} <{url}/x> {{ ?a ?b ?c }} }}"
        for silent in ("", " SILENT")
    ]

    async def use(pool: QueryPool) -> list[object]:
        return [(await outcome(pool, job(query, "json"), "10.0.0.1"))[1] for query in queries]

    answers = with_pool(store_path, 1 << 20, use, network=network)
    if network:
        assert len(hits) - before == 2  # the listener answers when it may be reached
    else:
        assert len(hits) == before
        assert isinstance(answers[1], bytes)  # SILENT: no rows, and no call


GRAPHS = "SELECT ?g (COUNT(?s) AS ?n) WHERE { GRAPH ?g { OPTIONAL { ?s ?p ?o } } } GROUP BY ?g"
EXAMPLE = "https://example.org/"


def inserted(graph: str) -> str:
    return f"INSERT DATA {{ GRAPH <{EXAMPLE}{graph}> {{ <{EXAMPLE}a> a <{EXAMPLE}B> }} }}"


def values(answer: bytes) -> object:
    """An ASK's boolean, or a SELECT's rows as sorted tuples of values."""
    document = json.loads(answer)
    if "boolean" in document:
        return document["boolean"]
    rows = document["results"]["bindings"]
    return sorted(tuple(row[name]["value"] for name in document["head"]["vars"]) for row in rows)


@pytest.mark.parametrize("copy_bytes", [0, Settings().query_copy_bytes], ids=["disk", "copy"])
def test_workers_answer_alike_from_disk_and_from_a_copy_and_see_each_change(
    tmp_path: Path, copy_bytes: int
) -> None:
    """With no memory for a copy, a worker answers from the store on disk: the same
    answers as from a copy, named graphs (an empty one too) included, and the next query
    sees a change."""
    with closing(EmbeddedStore(tmp_path)) as store:
        store.update(f"CREATE GRAPH <{EXAMPLE}empty> ; {inserted('first')}")
    empty = f"ASK {{ GRAPH <{EXAMPLE}empty> {{}} }}"
    queries = [GRAPHS, empty, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"]

    async def use(store: EmbeddedStore, pool: QueryPool) -> list[object]:
        before = [values(await body_of(await pool.run(job(query, "json")))) for query in queries]
        store.update(inserted("added"))
        pool.invalidate()
        return before + [values(await body_of(await pool.run(job(q, "json")))) for q in queries]

    answers = asyncio.run(with_store_and_pool(tmp_path, 1 << 20, use, copy_bytes=copy_bytes))
    graphs = [(f"{EXAMPLE}empty", "0"), (f"{EXAMPLE}first", "1")]
    assert answers == [
        *(graphs, True, [("1",)]),
        *(sorted([*graphs, (f"{EXAMPLE}added", "1")]), True, [("2",)]),
    ]


@pytest.mark.slow
def test_a_heavier_answer_is_kept_until_the_store_changes(store_path: Path) -> None:
    """A query that took the worker over LIGHT_S is answered again while the only worker
    is busy, until the store changes."""
    heavier = job("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?c }", "json")

    async def use(pool: QueryPool) -> tuple[bool, bool, object]:
        first = await pool.run(heavier)
        kept = await answers_while_the_worker_is_busy(pool, heavier)
        assert (await pool.run(heavier)) == first
        status = pool.status()
        pool.invalidate()
        return kept, await answers_while_the_worker_is_busy(pool, heavier), status

    kept, after_a_change, status = with_pool(store_path, 64 * 1024, use, wait_s=0.5)
    assert (kept, after_a_change) == (True, False)
    assert isinstance(status, dict)
    assert (status["kept_answers"], status["light_queries"]) == (1, 0)


@pytest.mark.slow
def test_a_streamed_answer_read_to_its_end_is_kept_and_one_closed_early_is_not(
    store_path: Path,
) -> None:
    """A stream is copied as it passes: read to its end, it is given again whole (while
    the only worker is busy); closed after its first chunk, it runs again."""
    streamed = job(f"SELECT ?n ?text WHERE {numbered(1000)}", "json", row_limit=1000)
    closed_early = job(f"SELECT ?n ?text WHERE {numbered(999)}", "json", row_limit=1000)

    async def use(pool: QueryPool) -> tuple[bytes, QueryAnswer, bool]:
        first = await pool.run(streamed)
        assert isinstance(first.body, WorkerStream)
        body = await body_of(first)
        again = await pool.run(streamed)
        cut = await pool.run(closed_early)
        assert isinstance(cut.body, WorkerStream)
        await anext(aiter(cut.body))
        cut.body.close()
        return body, again, await answers_while_the_worker_is_busy(pool, closed_early)

    body, again, closed_early_kept = with_pool(store_path, 64 * 1024, use, wait_s=0.5)
    assert count_rows(body.decode("utf-8"), "json") == 1000
    assert again == QueryAnswer(body=body, truncated=False)
    assert not closed_early_kept
