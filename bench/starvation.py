"""Starvation benchmark: do short queries keep their latency while others abuse the server?

Run with `make bench-starvation`. On the seed store (built by `accordkg build`), with the
default two query workers and a 30 s time limit, for a fixed window: 4 heavy clients send,
one after another, queries that run to the time limit; 2 slow readers ask for answers
large enough to stream and take 1 KB every 100 ms; 8 short clients send queries no one
sent before (each names another IRI, so none is a known light query) and each request's
latency is recorded. Every client has its own loopback address (127.0.0.N), as clients on
a network would. The same load is sent, in the same run, to `oxigraph serve` on the same
data with the same time limit. Prints Markdown; `--write` appends it to bench/RESULTS.md.
"""

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx2 as httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.extraction import machine_line, publish  # noqa: E402
from tests.servers import BIN, free_port, running  # noqa: E402

TIMEOUT_S = 30
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE {{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }} # {n}"
LARGE = "SELECT ?a ?d WHERE {{ ?a ?b ?c . ?d ?e ?f }} # {n}"
SHORT = "SELECT ?p ?o WHERE {{ <https://w3id.org/accordkg/id/instrument/probe-{n}> ?p ?o }}"


@contextmanager
def accordkg(data_dir: Path) -> Iterator[str]:
    port = free_port()
    environment = {
        **os.environ,
        "ACCORDKG_DATA_DIR": str(data_dir),
        "ACCORDKG_QUERY_TIMEOUT_S": str(TIMEOUT_S),
        "ACCORDKG_ROW_LIMIT": "1000000",  # so that the large answers stream
    }
    os.spawnve(os.P_WAIT, str(BIN / "accordkg"), [str(BIN / "accordkg"), "build"], environment)
    command = [str(BIN / "accordkg"), "serve", "--port", str(port)]
    with running(command, f"http://127.0.0.1:{port}/health", environment, 120):
        yield f"http://127.0.0.1:{port}/sparql"


@contextmanager
def oxigraph(data_dir: Path) -> Iterator[str]:
    """`oxigraph serve` on a copy of the same data, with the same time limit."""
    dump = data_dir / "all.nq"
    dump_command = [str(BIN / "oxigraph"), "dump", "--location", str(data_dir / "store"),
                    "--file", str(dump)]  # fmt: skip
    os.spawnv(os.P_WAIT, dump_command[0], dump_command)
    location = data_dir / "peer"
    load = [str(BIN / "oxigraph"), "load", "--location", str(location), "--file", str(dump)]
    os.spawnv(os.P_WAIT, load[0], load)
    port = free_port()
    command = [str(BIN / "oxigraph"), "serve", "--location", str(location),
               "--bind", f"127.0.0.1:{port}", "--union-default-graph",
               "--timeout-s", str(TIMEOUT_S)]  # fmt: skip
    with running(command, f"http://127.0.0.1:{port}/"):
        yield f"http://127.0.0.1:{port}/query"


def client(address: str) -> httpx.Client:
    return httpx.Client(
        transport=httpx.HTTPTransport(local_address=address), timeout=TIMEOUT_S + 30
    )


def load(url: str, seconds: float) -> dict[str, object]:
    """Run the three kinds of client against `url` for `seconds`; the short ones' latencies."""
    stop = time.monotonic() + seconds
    latencies: list[tuple[float, float]] = []  # (when, seconds)
    failures = {"short": 0, "heavy": 0, "slow": 0}
    lock = threading.Lock()

    def heavy(index: int) -> None:
        with client(f"127.0.0.{11 + index}") as http:
            n = 0
            while time.monotonic() < stop:
                n += 1
                status = http.post(url, data={"query": HEAVY.format(n=f"{index}-{n}")}).status_code
                if status != 200:
                    with lock:
                        failures["heavy"] += 1

    def slow(index: int) -> None:
        with client(f"127.0.0.{21 + index}") as http:
            n = 0
            while time.monotonic() < stop:
                n += 1
                query = {"query": LARGE.format(n=f"{index}-{n}")}
                try:
                    with http.stream("GET", url, params=query) as response:
                        for _ in response.iter_raw(1024):
                            if time.monotonic() > stop:
                                break
                            time.sleep(0.1)
                except httpx.HTTPError:
                    with lock:
                        failures["slow"] += 1

    def short(index: int) -> None:
        with client(f"127.0.0.{31 + index}") as http:
            n = 0
            while time.monotonic() < stop:
                n += 1
                started = time.monotonic()
                query = {"query": SHORT.format(n=f"{index}-{n}-{started}")}
                response = http.get(url, params=query, headers={"Accept": "text/csv"})
                took = time.monotonic() - started
                with lock:
                    latencies.append((started, took))
                    if response.status_code != 200:
                        failures["short"] += 1
                time.sleep(0.01)

    started_at = time.monotonic()
    threads = [threading.Thread(target=heavy, args=(i,)) for i in range(4)]
    threads += [threading.Thread(target=slow, args=(i,)) for i in range(2)]
    threads += [threading.Thread(target=short, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    after_warm_up = [took for when, took in latencies if when - started_at > 10]
    return {
        "all": _summary([took for _, took in latencies]),
        "after 10 s": _summary(after_warm_up),
        "failures": failures,
    }


def _summary(latencies: list[float]) -> str:
    if len(latencies) < 2:
        return f"{len(latencies)} answered"
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (
        f"{len(ordered)} answered, p50 {statistics.median(ordered) * 1000:.0f} ms, "
        f"p99 {p99 * 1000:.0f} ms"
    )


def run(seconds: float) -> str:
    with tempfile.TemporaryDirectory() as directory:
        data_dir = Path(directory)
        results: dict[str, dict[str, object]] = {}
        with accordkg(data_dir) as url:
            results["accordkg"] = load(url, seconds)
        with oxigraph(data_dir) as url:
            results["oxigraph serve"] = load(url, seconds)
    lines = [
        f"\n## Starvation: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n",
        f"Command: `make bench-starvation` (`python bench/starvation.py --seconds {seconds:g}`). "
        + machine_line(),
        f"Seed store; {seconds:g} s per server; time limit {TIMEOUT_S} s; 4 heavy clients "
        "(queries that run to the limit), 2 slow readers of streamed answers, 8 clients of "
        "short first-time queries, each client on its own loopback address. Target: the "
        "short queries' p50 under 50 ms and p99 under 500 ms.\n",
        "| server | short queries, whole window | short queries, after 10 s | non-200s |",
        "|---|---|---|---|",
    ]
    for name, result in results.items():
        lines.append(
            f"| {name} | {result['all']} | {result['after 10 s']} | {result['failures']} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--write", action="store_true", help="append to bench/RESULTS.md")
    arguments = parser.parse_args()
    publish(run(arguments.seconds), arguments.write)


if __name__ == "__main__":
    main()
