"""Light-query benchmark: accordkg's light queries beside the HTTP floor and `oxigraph serve`.

Run with `make bench-light`. It generates bench/sparql.py's corpus (fixed seed), serves it
with accordkg and `oxigraph serve`, starts the HTTP floor (uvicorn answering a fixed body
with no work, bench/http_floor.py), and measures in one run, over HTTP with the same
client, the median latency of light queries on each, the servers' requests interleaved
(bench/sparql.py's `median_latencies`), in several rounds. Before the rounds each query is
sent to accordkg until the pool knows it as light (answered in the server's own process
on the durable store: see accordkg.sparql.pool), which is the case measured. Target:
accordkg within 1.25x of the floor. Prints Markdown; `--write` appends it to
bench/RESULTS.md.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

import httpx2 as httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.extraction import machine_line, publish  # noqa: E402
from bench.sparql import (  # noqa: E402
    ID,
    PREFIX,
    QUERIES,
    accordkg,
    generate,
    http_floor,
    median_latencies,
    oxigraph,
)

LIGHT = {
    "ASK": QUERIES["ASK"],
    "label of one instrument": PREFIX
    + f"SELECT ?label WHERE {{ <{ID}instrument/i42> rdfs:label ?label }}",
    "lookup of one instrument": QUERIES["lookup of one instrument"],
}
TARGET = 1.25  # accordkg's light queries within this many times the floor


def make_light(sparql_url: str, queries: list[str]) -> None:
    """Send each query until accordkg's pool knows every one of them as light."""
    health_url = sparql_url.removesuffix("/sparql") + "/health"
    with httpx.Client(timeout=60) as client:
        for _ in range(200):
            for query in queries:
                client.get(sparql_url, params={"query": query}).raise_for_status()
            if client.get(health_url).json()["query_workers"]["light_queries"] >= len(queries):
                return
            time.sleep(0.05)
    raise RuntimeError("accordkg did not find the queries light (is the machine too busy?)")


def run(size: int, rounds: int, runs: int) -> str:
    with tempfile.TemporaryDirectory(prefix="accordkg-light-") as tmp, ExitStack() as stack:
        quads, triples = generate(size, Path(tmp))
        urls = {  # the floor last, started when the others are warm
            server: stack.enter_context(start(quads, Path(tmp, server)))
            for server, start in (("accordkg", accordkg), ("oxigraph serve", oxigraph))
        }
        urls["floor"] = stack.enter_context(http_floor())
        make_light(urls["accordkg"], list(LIGHT.values()))
        load_before = os.getloadavg()
        medians: dict[str, dict[str, list[float]]] = {
            name: {server: [] for server in urls} for name in LIGHT
        }
        for _ in range(rounds):
            for name, query in LIGHT.items():
                for server, median in median_latencies(urls, query, runs, 60).items():
                    medians[name][server].append(median)
        load_after = os.getloadavg()
        count = sum(1 for _ in triples.open())
    rows = []
    for name, by_server in medians.items():
        ours, oxigraph_s, floor = (statistics.median(by_server[s]) for s in urls)
        rows.append(
            f"| {name} | {floor * 1000:.2f} | {ours * 1000:.2f} | {oxigraph_s * 1000:.2f} | "
            f"{ours / floor:.2f} | {'yes' if ours <= TARGET * floor else 'no'} |"
        )
    return (
        f"\n## Light queries at the HTTP floor — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n\n"
        f"Command: `make bench-light` (`python bench/light.py --size {size} --rounds {rounds} "
        f"--runs {runs}`)\n{machine_line()}\nLoad average (1, 5, 15 min) before the rounds "
        f"{', '.join(f'{v:.1f}' for v in load_before)}, after "
        f"{', '.join(f'{v:.1f}' for v in load_after)}.\n\n"
        f"{count:,} triples. Median over {rounds} rounds of the median latency over HTTP on "
        f"loopback ({runs} requests per server and round, the servers' requests "
        "interleaved, one client). *HTTP floor* is uvicorn answering every request with a "
        "fixed answer and no work (bench/http_floor.py). Target: accordkg within "
        f"{TARGET:g}x of the floor.\n\n"
        "| light query | HTTP floor ms | accordkg ms | oxigraph serve ms | accordkg / floor | "
        "within target |\n|---|---|---|---|---|---|\n" + "\n".join(rows) + "\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=10_000, help="triples in the corpus")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--runs", type=int, default=200, help="requests per server and round")
    parser.add_argument("--write", action="store_true", help="append to bench/RESULTS.md")
    arguments = parser.parse_args()
    publish(run(arguments.size, arguments.rounds, arguments.runs), arguments.write)


if __name__ == "__main__":
    main()
