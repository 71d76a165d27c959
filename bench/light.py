"""Light-query benchmark: accordkg's light queries beside the HTTP floor and `oxigraph serve`.

Run with `make bench-light`. It generates bench/sparql.py's corpus (fixed seed), serves it
with accordkg and `oxigraph serve`, starts the HTTP floor (uvicorn answering a fixed body
with no work, bench/http_floor.py), and measures in one run, over HTTP with the same
client, the median latency of light queries on each, the servers' requests interleaved
(bench/sparql.py's `median_latencies`), in several rounds. Before the rounds each query is
sent to accordkg until the pool knows it as light (answered in the server's own process
on the durable store: see accordkg.sparql.pool), which is the case measured. Target:
accordkg within 1.25x of the floor. Beside the latency, the CPU time each server's
process spends per request (read from /proc, over `--cpu-requests` requests one after
another), which the load of a shared machine disturbs less. Prints Markdown; `--write`
appends it to bench/RESULTS.md.
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
ACCEPT = {"Accept": "application/sparql-results+json"}  # as median_latencies asks


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


def listening_pid(url: str) -> int:
    """The process listening on the loopback port of `url` (Linux: read from /proc)."""
    port = int(url.split(":")[2].split("/", maxsplit=1)[0])
    sockets = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[3] == "0A" and int(fields[1].split(":")[1], 16) == port:  # 0A: listening
            sockets.add(f"socket:[{fields[9]}]")
    for descriptors in Path("/proc").glob("[0-9]*/fd"):
        try:
            if any(str(fd.readlink()) in sockets for fd in descriptors.iterdir()):
                return int(descriptors.parent.name)
        except OSError:  # gone, or not ours to read
            continue
    raise RuntimeError(f"no process listens on port {port}")


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of the process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_per_request(url: str, query: str, requests: int) -> float:
    """The CPU time the server's process spends per request of `query`."""
    pid = listening_pid(url)
    with httpx.Client(timeout=60) as client:
        before = cpu_seconds(pid)
        for _ in range(requests):
            client.get(url, params={"query": query}, headers=ACCEPT).raise_for_status()
        return (cpu_seconds(pid) - before) / requests


def run(size: int, rounds: int, runs: int, cpu_requests: int) -> str:
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
        cpu = {
            name: {
                server: cpu_per_request(url, query, cpu_requests) for server, url in urls.items()
            }
            for name, query in LIGHT.items()
        }
        load_after = os.getloadavg()
        count = sum(1 for _ in triples.open())
    rows, cpu_rows = [], []
    for name, seconds in cpu.items():
        ours, oxigraph_s, floor = (seconds[s] * 1e6 for s in urls)
        cpu_rows.append(
            f"| {name} | {floor:.0f} | {ours:.0f} | {oxigraph_s:.0f} | {ours / floor:.2f} |"
        )
    for name, by_server in medians.items():
        ours, oxigraph_s, floor = (statistics.median(by_server[s]) for s in urls)
        rows.append(
            f"| {name} | {floor * 1000:.2f} | {ours * 1000:.2f} | {oxigraph_s * 1000:.2f} | "
            f"{ours / floor:.2f} | {'yes' if ours <= TARGET * floor else 'no'} |"
        )
    return (
        f"\n## Light queries at the HTTP floor — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n\n"
        f"Command: `make bench-light` (`python bench/light.py --size {size} --rounds {rounds} "
        f"--runs {runs} --cpu-requests {cpu_requests}`)\n{machine_line()}\n"
        "Load average (1, 5, 15 min) before the rounds "
        f"{', '.join(f'{v:.1f}' for v in load_before)}, after "
        f"{', '.join(f'{v:.1f}' for v in load_after)}.\n\n"
        f"{count:,} triples. Median over {rounds} rounds of the median latency over HTTP on "
        f"loopback ({runs} requests per server and round, the servers' requests "
        "interleaved, one client). *HTTP floor* is uvicorn answering every request with a "
        "fixed answer and no work (bench/http_floor.py). Target: accordkg within "
        f"{TARGET:g}x of the floor.\n\n"
        "| light query | HTTP floor ms | accordkg ms | oxigraph serve ms | accordkg / floor | "
        "within target |\n|---|---|---|---|---|---|\n" + "\n".join(rows) + "\n\n"
        f"CPU time of each server's process per request ({cpu_requests} requests one after "
        "another, after the rounds):\n\n"
        "| light query | HTTP floor us | accordkg us | oxigraph serve us | accordkg / floor |\n"
        "|---|---|---|---|---|\n" + "\n".join(cpu_rows) + "\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=10_000, help="triples in the corpus")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--runs", type=int, default=200, help="requests per server and round")
    parser.add_argument("--cpu-requests", type=int, default=2000, help="per server and query")
    parser.add_argument("--write", action="store_true", help="append to bench/RESULTS.md")
    arguments = parser.parse_args()
    report = run(arguments.size, arguments.rounds, arguments.runs, arguments.cpu_requests)
    publish(report, arguments.write)


if __name__ == "__main__":
    main()
