"""SPARQL endpoint benchmark: accordkg against `oxigraph serve` and rdflib-endpoint.

Run with `make bench-sparql` (which also prepares rdflib-endpoint in its own venv).
For each corpus size it generates the same synthetic agreements (fixed seed), loads them
into all three servers on loopback, and measures in the same run, over HTTP: the median
latency of five queries (the servers' requests interleaved, next to uvicorn answering with
no work at all: the floor under any endpoint it serves), and ASK throughput with 8
concurrent clients. Prints Markdown; `--write` appends it to bench/RESULTS.md.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx2 as httpx
import pyoxigraph

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.extraction import machine_line, publish  # noqa: E402
from tests.servers import BIN, free_port, running  # noqa: E402

AK = "https://w3id.org/accordkg/ontology#"
ID = "https://w3id.org/accordkg/id/"
RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
PREFIX = f"PREFIX ak: <{AK}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
QUERIES = {
    "lookup of one instrument": PREFIX + f"SELECT ?p ?o WHERE {{ <{ID}instrument/i42> ?p ?o }}",
    "date-range join": PREFIX
    + (
        "SELECT ?i ?label ?partyLabel WHERE { ?i ak:dateSigned ?d ; rdfs:label ?label ; "
        "ak:party ?party . ?party rdfs:label ?partyLabel . "
        'FILTER(?d >= "2018-01-01"^^<' + XSD_DATE + '> && ?d < "2020-01-01"^^<' + XSD_DATE + ">) }"
    ),
    "aggregate per theme per party": PREFIX
    + (
        "SELECT ?theme ?party (COUNT(?c) AS ?n) WHERE { ?i ak:party ?party ; ak:commitment ?c . "
        "?c ak:theme ?theme } GROUP BY ?theme ?party"
    ),
    "co-party self-join": PREFIX
    + (
        "SELECT ?a ?b (COUNT(?i) AS ?n) WHERE { ?i ak:party ?a , ?b FILTER(STR(?a) < STR(?b)) } "
        "GROUP BY ?a ?b"
    ),
    "ASK": PREFIX + "ASK { ?i ak:party ?p }",
}


def generate(triples: int, directory: Path) -> tuple[Path, Path]:
    """The corpus as N-Quads (one named graph) and N-Triples: instruments with parties,
    dates, signatures, recitals, commitments with themes, and buildsOn chains."""
    rng = random.Random(2020)
    parties = [f"{ID}state/s{n}" for n in range(60)] + [f"{ID}organization/o{n}" for n in range(40)]
    themes = [f"{ID}theme/t{n}" for n in range(25)]
    lines: list[str] = [f'<{p}> {RDFS_LABEL} "Party {p.rsplit("/", 1)[1]}" .' for p in parties]
    number = 0
    while len(lines) < triples:
        i = f"{ID}instrument/i{number}"
        year, month, day = rng.randint(2000, 2025), rng.randint(1, 12), rng.randint(1, 28)
        lines += [
            f"<{i}> {RDF_TYPE} <{AK}Declaration> .",
            f"<{i}> {RDF_TYPE} <{AK}Instrument> .",
            f'<{i}> {RDFS_LABEL} "Instrument {number}" .',
            f'<{i}> <{AK}dateSigned> "{year}-{month:02d}-{day:02d}"^^<{XSD_DATE}> .',
        ]
        if number:
            lines.append(f"<{i}> <{AK}buildsOn> <{ID}instrument/i{rng.randrange(number)}> .")
        for party in rng.sample(parties, rng.randint(2, 4)):
            lines.append(f"<{i}> <{AK}party> <{party}> .")
            s = f"{ID}signature/i{number}-{party.rsplit('/', 1)[1]}"
            lines += [f"<{i}> <{AK}signature> <{s}> .", f"<{s}> <{AK}onBehalfOf> <{party}> ."]
        for kind in ("recital", "commitment"):
            for position in range(1, rng.randint(2, 6)):
                c = f"{ID}{kind}/i{number}-{position}"
                lines += [
                    f"<{i}> <{AK}{kind}> <{c}> .",
                    f'<{c}> <{AK}text> "{kind} {position} of instrument {number}" .',
                    f"<{c}> <{AK}theme> <{rng.choice(themes)}> .",
                ]
        number += 1
    triples_file = directory / "corpus.nt"
    triples_file.write_text("\n".join(lines) + "\n", "utf-8")
    graph = f"<{ID}graph/bench>"
    quads_file = directory / "corpus.nq"
    quads_file.write_text("\n".join(f"{line[:-2]} {graph} ." for line in lines) + "\n", "utf-8")
    return quads_file, triples_file


def bulk_load(quads: Path, data_dir: Path) -> None:
    """An accordkg data directory whose store holds `quads`, loaded in bulk."""
    (data_dir / "store").mkdir(parents=True)
    store = pyoxigraph.Store(str(data_dir / "store"))
    store.bulk_load(path=str(quads), format=pyoxigraph.RdfFormat.N_QUADS)
    store.flush()
    del store


def serve_command(data_dir: Path, port: int) -> tuple[list[str], dict[str, str]]:
    """`accordkg serve` on `data_dir`, with limits that let every benchmark query finish."""
    environment = {**os.environ, "ACCORDKG_DATA_DIR": str(data_dir),
                   "ACCORDKG_ROW_LIMIT": "10000000", "ACCORDKG_QUERY_TIMEOUT_S": "600"}  # fmt: skip
    return [str(BIN / "accordkg"), "serve", "--port", str(port)], environment


@contextmanager
def accordkg(quads: Path, data_dir: Path) -> Iterator[str]:
    bulk_load(quads, data_dir)
    port = free_port()
    command, environment = serve_command(data_dir, port)
    with running(command, f"http://127.0.0.1:{port}/health", environment, 600) as url:
        wait_until_warm(url)
        yield f"http://127.0.0.1:{port}/sparql"


def wait_until_warm(health_url: str) -> None:
    """Measure the steady state: every query worker has loaded its copy of the store, and
    the /graph projection built at start-up (minutes at 1M triples, competing for the
    CPU and the GIL meanwhile) is done."""
    deadline = time.monotonic() + 1200
    while True:
        health = httpx.get(health_url).json()
        workers = health["query_workers"]
        if workers["idle"] == workers["size"] and health["graph"] == "ready":
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"accordkg did not warm up: {health}")
        time.sleep(0.5)


@contextmanager
def oxigraph(quads: Path, location: Path) -> Iterator[str]:
    load = [str(BIN / "oxigraph"), "load", "--location", str(location), "--file", str(quads)]
    os.spawnv(os.P_WAIT, load[0], load)
    port = free_port()
    command = [str(BIN / "oxigraph"), "serve", "--location", str(location),
               "--bind", f"127.0.0.1:{port}", "--union-default-graph"]  # fmt: skip
    with running(command, f"http://127.0.0.1:{port}/", startup_s=600):
        yield f"http://127.0.0.1:{port}/query"


@contextmanager
def rdflib_endpoint(triples: Path, peer_bin: Path) -> Iterator[str]:
    port = free_port()
    command = [str(peer_bin / "rdflib-endpoint"), "serve", str(triples),
               "--host", "127.0.0.1", "--port", str(port)]  # fmt: skip
    ready = f"http://127.0.0.1:{port}/?query=ASK%7B%7D"
    with running(command, ready, startup_s=1800) as url:  # rdflib parses the whole corpus first
        yield url.split("?")[0]  # rdflib-endpoint 0.6 answers at the root


@contextmanager
def http_floor() -> Iterator[str]:
    """uvicorn serving bench/http_floor.py, with uvicorn's defaults as `accordkg serve`."""
    port = free_port()
    command = [str(BIN / "uvicorn"), "bench.http_floor:app", "--app-dir", str(ROOT),
               "--host", "127.0.0.1", "--port", str(port)]  # fmt: skip
    with running(command, f"http://127.0.0.1:{port}/sparql") as url:
        yield url


def median_latencies(
    urls: dict[str, str], query: str, runs: int, budget_s: float
) -> dict[str, float]:
    """The median latency of `query` on each server, their requests interleaved round by
    round, so that a noisy moment of a shared machine falls on all of them alike. Each
    server gets `runs` requests, or as many as fit in `budget_s` of its own time (one at
    least)."""
    timings: dict[str, list[float]] = {server: [] for server in urls}
    accept = {"Accept": "application/sparql-results+json"}
    with ExitStack() as stack:
        clients = {server: stack.enter_context(httpx.Client(timeout=600)) for server in urls}
        while due := [
            server
            for server, taken in timings.items()
            if len(taken) < runs and (not taken or sum(taken) < budget_s)
        ]:
            for server in due:
                started = time.perf_counter()
                response = clients[server].get(
                    urls[server], params={"query": query}, headers=accept
                )
                timings[server].append(time.perf_counter() - started)
                if response.status_code != 200:
                    raise RuntimeError(f"{server}: {response.status_code} {response.text[:200]}")
    return {server: statistics.median(taken) for server, taken in timings.items()}


def throughput(url: str, query: str, clients: int, seconds: float) -> float:
    counts = [0] * clients
    stop = time.monotonic() + seconds

    def client_loop(index: int) -> None:
        with httpx.Client(timeout=60) as client:
            while time.monotonic() < stop:
                client.get(url, params={"query": query}).raise_for_status()
                counts[index] += 1

    threads = [threading.Thread(target=client_loop, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / seconds


def run(sizes: list[int], runs: int, budget_s: float, peer_bin: Path) -> str:
    sections = []
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="accordkg-bench-") as tmp, ExitStack() as stack:
            directory = Path(tmp)
            quads, triples = generate(size, directory)
            urls = {
                "accordkg": stack.enter_context(accordkg(quads, directory / "accordkg")),
                "oxigraph serve": stack.enter_context(oxigraph(quads, directory / "oxigraph")),
                "rdflib-endpoint": stack.enter_context(rdflib_endpoint(triples, peer_bin)),
            }
            floor_url = stack.enter_context(http_floor())
            rows = []
            for name, query in QUERIES.items():
                medians = median_latencies({**urls, "floor": floor_url}, query, runs, budget_s)
                ours, oxigraph_s, rdflib_s, floor = medians.values()
                rows.append(
                    f"| {name} | {ours * 1000:.1f} | {oxigraph_s * 1000:.1f} | "
                    f"{rdflib_s * 1000:.1f} | {floor * 1000:.1f} | {oxigraph_s / ours:.2f} | "
                    f"{rdflib_s / ours:.1f} |"
                )
            rates = {server: throughput(url, QUERIES["ASK"], 8, 5) for server, url in urls.items()}
            ratio = rates["accordkg"] / rates["oxigraph serve"]
            count = sum(1 for _ in triples.open())
            sections.append(
                f"### {count:,} triples\n\n"
                "| query | accordkg ms | oxigraph serve ms | rdflib-endpoint ms | HTTP floor ms | "
                "oxigraph / accordkg | rdflib-endpoint / accordkg |\n"
                "|---|---|---|---|---|---|---|\n"
                + "\n".join(rows)
                + "\n\nASK with 8 concurrent clients, requests/s: "
                + ", ".join(f"{server} {rate:,.0f}" for server, rate in rates.items())
                + f" (accordkg / oxigraph serve = {ratio:.2f})\n"
            )
    return (
        f"\n## SPARQL endpoints — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n\n"
        f"Command: `make bench-sparql` (`python bench/sparql.py --sizes "
        f"{' '.join(map(str, sizes))} --runs {runs} --budget {budget_s:g}`)\n{machine_line()}\n\n"
        "Median latency over HTTP on loopback, same run, same data, the servers' requests "
        "interleaved; ratios above 1 mean accordkg is faster. *HTTP floor* is uvicorn "
        "answering every request with a fixed answer and no work (bench/http_floor.py), "
        "the least any endpoint served by uvicorn can take here.\n\n" + "\n".join(sections)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--budget", type=float, default=60.0, help="seconds per query and server")
    parser.add_argument("--peer-bin", type=Path, default=ROOT / ".bench-venv" / "bin")
    parser.add_argument("--write", action="store_true", help="append to bench/RESULTS.md")
    arguments = parser.parse_args()
    publish(
        run(arguments.sizes, arguments.runs, arguments.budget, arguments.peer_bin), arguments.write
    )


if __name__ == "__main__":
    main()
