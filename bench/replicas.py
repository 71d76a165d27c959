"""Change-check benchmark: what it costs a remote SPARQL server to answer the check by which
`accordkg serve` replicas find out that its data changed.

Run with `make bench-replicas`. For each corpus size it generates the agreements of
bench/sparql.py, bulk-loads them into `oxigraph serve` with a change marker, and measures
over HTTP the median latency of the two queries of the remote store's check (the marker's
name, the number of quads) and of alternatives. The share of the server's time one
replica's checks take is a query's latency over the interval between two of them. Prints
Markdown; `--write` appends it to bench/RESULTS.md.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from uuid import uuid4

import httpx2 as httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from accordkg.graphs import CHANGE_MARKER_PREFIX  # noqa: E402
from accordkg.settings import Settings  # noqa: E402
from accordkg.store.remote import CHANGE_QUERY, COUNTS_APART, QUADS_QUERY  # noqa: E402
from bench.extraction import machine_line, publish  # noqa: E402
from bench.sparql import generate, oxigraph  # noqa: E402

QUERIES = {
    "the change marker's name": CHANGE_QUERY,
    "the number of quads": QUADS_QUERY,
    "quads per graph": "SELECT ?g (COUNT(*) AS ?quads) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    "the graphs' names": "SELECT ?g WHERE { GRAPH ?g { } }",
}


def median_latency(client: httpx.Client, url: str, query: str, runs: int) -> float:
    """The median of `runs` answers, after one that is not counted (it warms the caches)."""
    taken = []
    for _ in range(runs + 1):
        started = time.perf_counter()
        response = client.post(
            url,
            content=query.encode(),
            headers={
                "Content-Type": "application/sparql-query",
                "Accept": "application/sparql-results+json",
            },
        )
        taken.append(time.perf_counter() - started)
        response.raise_for_status()
    return statistics.median(taken[1:])


def run(sizes: list[int], runs: int) -> str:
    check_s = Settings().change_check_s
    sections = []
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="accordkg-bench-") as tmp:
            directory = Path(tmp)
            quads, triples = generate(size, directory)
            count = sum(1 for _ in triples.open())
            with (
                oxigraph(quads, directory / "oxigraph") as url,
                httpx.Client(timeout=600) as client,
            ):
                client.post(
                    url.removesuffix("/query") + "/update",
                    content=f"CREATE SILENT GRAPH <{CHANGE_MARKER_PREFIX}{uuid4()}>",
                    headers={"Content-Type": "application/sparql-update"},
                ).raise_for_status()
                medians = {
                    name: median_latency(client, url, q, runs) for name, q in QUERIES.items()
                }
        count_s = max(check_s, COUNTS_APART * medians["the number of quads"])
        intervals = {"the change marker's name": check_s, "the number of quads": count_s}
        rows = []
        for name, median in medians.items():
            interval = intervals.get(name, check_s)
            used = f"every {interval:.1f} s" if name in intervals else f"(every {check_s:g} s)"
            rows.append(f"| {name} | {median * 1000:.1f} | {used} | {median / interval:.1%} |")
        sections.append(
            f"### {count:,} triples\n\n"
            "| query | median ms | run by each busy replica | share of the server's time |\n"
            "|---|---|---|---|\n" + "\n".join(rows) + "\n\n"
            f"Bound: a write through accordkg is seen by the other replicas within "
            f"{check_s:g} s; one around it that changes the number of quads within "
            f"{count_s:.1f} s.\n"
        )
    return (
        f"\n## Change check of the remote store — {time.strftime('%Y-%m-%d %H:%M', time.gmtime())}"
        f" UTC\n\nCommand: `make bench-replicas` (`python bench/replicas.py --sizes "
        f"{' '.join(map(str, sizes))} --runs {runs}`)\n{machine_line()}\n\n"
        "Median latency over HTTP on loopback of the queries by which an `accordkg serve` "
        "replica on a remote store finds out that the data changed, on `oxigraph serve` "
        "with the generated corpus bulk-loaded: the change marker's name, looked up at most "
        "every ACCORDKG_CHANGE_CHECK_S, and the number of quads, counted at most every "
        f"{COUNTS_APART} times the count's duration (and once after the marker's name "
        "changed). Rows in parentheses are alternatives, not run, costed at one per "
        "ACCORDKG_CHANGE_CHECK_S. The share is per replica, and only while it is asked for "
        "derived data (reconciliation, dumps, VoID, /graph): N busy replicas cost N times "
        "as much.\n\n" + "\n".join(sections)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--write", action="store_true", help="append to bench/RESULTS.md")
    arguments = parser.parse_args()
    publish(run(arguments.sizes, arguments.runs), arguments.write)


if __name__ == "__main__":
    main()
