"""Scale benchmark: a restarted `accordkg serve` on a large store, beside `oxigraph serve`.

Run with `make bench-scale`. For each size it generates bench/sparql.py's synthetic
agreements, bulk-loads them into an accordkg data directory and into `oxigraph serve`,
then starts `accordkg serve` cold and measures, in seconds since its start: the first
/health answer, the first 200 from it, the first ASK, the first aggregate and the first
/graph/neighborhood answer; then the steady-state median latency of bench/sparql.py's
queries, each asked anew every time (a unique comment, so no kept answer serves it) and
asked again unchanged (kept answers and the in-process fast path serve it), beside
`oxigraph serve` and the HTTP floor (uvicorn answering a fixed body); and the memory of
the server with all its child processes, summed from /proc (RSS, and PSS, which counts
pages shared between processes once). Prints Markdown; `--write` appends it to
bench/RESULTS.md.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx2 as httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.extraction import machine_line, publish  # noqa: E402
from bench.sparql import (  # noqa: E402
    QUERIES,
    bulk_load,
    generate,
    http_floor,
    median_latencies,
    oxigraph,
    serve_command,
)
from tests.servers import free_port  # noqa: E402

AGGREGATE = "aggregate per theme per party"
HEAVY = ["date-range join", AGGREGATE, "co-party self-join"]
NEIGHBORHOOD = {"node": "instrument/i42", "depth": "2"}
SPARQL_JSON = "application/sparql-results+json"
START_S = 3600  # the longest a first answer is waited for


def memory_mib(root_pid: int) -> dict[str, int]:
    """RSS and PSS in MiB of a process and all its descendants, and how many there are."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            pid, rest = stat.read_text().split(" (", 1)
        except OSError:
            continue  # gone meanwhile
        children.setdefault(int(rest.rsplit(") ", 1)[1].split()[1]), []).append(int(pid))
    pending, totals = [root_pid], {"rss": 0, "pss": 0, "processes": 0}
    while pending:
        process = pending.pop()
        pending += children.get(process, [])
        try:
            rollup = Path(f"/proc/{process}/smaps_rollup").read_text().splitlines()
        except OSError:
            continue
        fields = {line.split()[0]: int(line.split()[1]) for line in rollup[1:]}
        totals["rss"] += fields["Rss:"] // 1024
        totals["pss"] += fields["Pss:"] // 1024
        totals["processes"] += 1
    return totals


def first_answer(
    client: httpx.Client, url: str, params: dict[str, str], since: float, accept: str
) -> float:
    """Seconds from `since` until `url` answers 200 (asked again while it is not up)."""
    deadline = time.monotonic() + START_S
    while time.monotonic() < deadline:
        try:
            response = client.get(url, params=params, headers={"Accept": accept})
            if response.status_code == 200:
                return time.monotonic() - since
            if response.status_code != 503:
                raise RuntimeError(f"{url}: {response.status_code} {response.text[:200]}")
        except httpx.TransportError:
            pass
        time.sleep(0.02)
    raise RuntimeError(f"{url} did not answer within {START_S} s")


@contextmanager
def cold_accordkg(data_dir: Path) -> Iterator[tuple[str, int, dict[str, float]]]:
    """`accordkg serve` started on `data_dir`, its first answers timed as it comes up."""
    port = free_port()
    command, environment = serve_command(data_dir, port)
    base = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    process = subprocess.Popen(
        command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        with httpx.Client(timeout=START_S) as client:
            while True:
                try:
                    client.get(f"{base}/health")
                    break
                except httpx.TransportError:
                    time.sleep(0.02)
            firsts = {"/health answers": time.monotonic() - started}
            firsts["/health 200"] = first_answer(client, f"{base}/health", {}, started, "*/*")
            for name in ("ASK", AGGREGATE):
                query = {"query": QUERIES[name]}
                firsts[f"first {name}"] = first_answer(
                    client, f"{base}/sparql", query, started, SPARQL_JSON
                )
            firsts["first /graph/neighborhood"] = first_answer(
                client, f"{base}/graph/neighborhood", NEIGHBORHOOD, started, "application/json"
            )
        yield f"{base}/sparql", process.pid, firsts
    finally:
        process.terminate()
        process.wait(timeout=60)


def uncached_medians(urls: dict[str, str], query: str, runs: int, budget_s: float) -> list[float]:
    """Each server's median latency of `query` asked with a new comment every time, the
    servers' requests interleaved, `runs` times or as many as fit in `budget_s` each."""
    timings: list[dict[str, float]] = []
    while len(timings) < runs and (not timings or sum(t["accordkg"] for t in timings) < budget_s):
        timings.append(median_latencies(urls, f"{query}\n# run {time.time_ns()}", 1, budget_s))
    return [statistics.median(t[server] for t in timings) for server in urls]


def measure(size: int, runs: int, budget_s: float) -> str:
    with tempfile.TemporaryDirectory(prefix="accordkg-scale-") as tmp, ExitStack() as stack:
        directory = Path(tmp)
        started = time.monotonic()
        quads, triples = generate(size, directory)
        generated = time.monotonic()
        bulk_load(quads, directory / "accordkg")
        loaded = time.monotonic()
        oxigraph_url = stack.enter_context(oxigraph(quads, directory / "oxigraph"))
        serving = f"serve --location {directory / 'oxigraph'}"
        oxigraph_pid = int(subprocess.check_output(["pgrep", "-n", "-f", serving]))
        load = os.getloadavg()[0]
        url, pid, firsts = stack.enter_context(cold_accordkg(directory / "accordkg"))
        cold_memory = memory_mib(pid)
        print(f"{size:,}: {firsts}, {cold_memory}", file=sys.stderr, flush=True)
        floor_url = stack.enter_context(http_floor())
        urls = {"accordkg": url, "oxigraph serve": oxigraph_url}
        rows = []
        for name, query in QUERIES.items():
            anew, oxigraph_anew = uncached_medians(urls, query, runs, budget_s)
            again = median_latencies({**urls, "floor": floor_url}, query, runs, budget_s)
            ours, theirs, floor = again.values()
            print(f"{size:,}: {name}: {anew, ours, oxigraph_anew, theirs}", file=sys.stderr)
            rows.append(
                f"| {name} | {anew * 1000:.1f} | {ours * 1000:.1f} | "
                f"{oxigraph_anew * 1000:.1f} | {theirs * 1000:.1f} | {floor * 1000:.1f} | "
                f"{oxigraph_anew / anew:.2f} | {theirs / ours:.2f} |"
            )
        steady = memory_mib(pid)
        theirs_memory = memory_mib(oxigraph_pid)
        count = sum(1 for _ in triples.open())
        return (
            f"### {count:,} triples\n\n"
            f"Generated in {generated - started:.0f} s, bulk-loaded into accordkg's store in "
            f"{loaded - generated:.0f} s; load average {load:.2f} as the server started.\n\n"
            "Cold start, seconds since `accordkg serve` was started (each asked after the "
            "one before answered):\n\n"
            + " · ".join(f"{what} **{seconds:.2f} s**" for what, seconds in firsts.items())
            + f"\n\nMemory of accordkg serve and its {cold_memory['processes'] - 1} child "
            f"processes: after the first answers RSS {cold_memory['rss']:,} MiB, PSS "
            f"{cold_memory['pss']:,} MiB; after the queries below RSS {steady['rss']:,} MiB, "
            f"PSS {steady['pss']:,} MiB. `oxigraph serve`: RSS {theirs_memory['rss']:,} MiB, "
            f"PSS {theirs_memory['pss']:,} MiB.\n\n"
            "| query | accordkg anew ms | accordkg again ms | oxigraph serve anew ms | "
            "oxigraph serve again ms | HTTP floor ms | oxigraph / accordkg anew | "
            "oxigraph / accordkg again |\n|---|---|---|---|---|---|---|---|\n"
            + "\n".join(rows)
            + "\n"
        )


def run(sizes: list[int], runs: int, budget_s: float) -> str:
    uptime = subprocess.check_output(["uptime"], text=True).strip()
    sections = [measure(size, runs, budget_s) for size in sizes]
    return (
        f"\n## Scale: cold start and memory — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n\n"
        f"Command: `make bench-scale` (`python bench/scale.py --sizes "
        f"{' '.join(map(str, sizes))} --runs {runs} --budget {budget_s:g}`)\n"
        f"{machine_line()}\n`uptime` at the start: `{uptime}`; at the end: "
        f"`{subprocess.check_output(['uptime'], text=True).strip()}`\n\n"
        "Median latency over HTTP on loopback, same run, same data, the servers' requests "
        "interleaved; ratios above 1 mean accordkg is faster. *Anew*: the query text made "
        "unique every time by a comment, so accordkg runs it on a worker every time (no "
        "kept answer, no in-process run); *again*: the same text every time, as a "
        "dashboard sends it. `oxigraph serve` keeps no answers: its two columns differ "
        "by noise only.\n\n" + "\n".join(sections)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--budget", type=float, default=60.0, help="seconds per query and server")
    parser.add_argument("--write", action="store_true", help="append to bench/RESULTS.md")
    arguments = parser.parse_args()
    publish(run(arguments.sizes, arguments.runs, arguments.budget), arguments.write)


if __name__ == "__main__":
    main()
