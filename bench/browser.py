"""Browser benchmark: time to interactive of the workbench (/sparql) and the graph explorer
(/explore) in headless Chromium, on the seed and on a generated 100k-triple store.

Run with `make bench-browser`. For each store it starts `accordkg serve` (warm, as
bench/sparql.py does) and opens each page `--runs` times, each time in a new browser
context (nothing cached), as a shared link would open it: the workbench with a query in
its address, the explorer with a seed. It reads the page's own clock (the Performance
API, from the start of navigation): first contentful paint, the first result drawn (the
query's first table row: the workbench's first rows, drawn before YASGUI is ready; the
explorer's first nodes, listed beside the canvas once drawn), and when YASGUI's own table
shows the answer. The workbench's peer is YASGUI alone, set up as its README shows, on the same
endpoint: the least a YASGUI page takes here. Target: both under 1 s at 100k. Prints
Markdown; `--write` appends it to bench/RESULTS.md.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.extraction import machine_line, publish  # noqa: E402
from bench.sparql import bulk_load, generate, serve_command, wait_until_warm  # noqa: E402
from tests.browser.conftest import CHROMIUM, FLAGS  # noqa: E402
from tests.servers import BIN, free_port, running  # noqa: E402

QUERY = (
    "PREFIX ak: <https://w3id.org/accordkg/ontology#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "SELECT ?instrument ?label ?date WHERE {\n"
    "  ?instrument a ak:Instrument ; rdfs:label ?label ; ak:dateSigned ?date\n"
    "} ORDER BY ?date LIMIT 100"
)
# The peer of the workbench: YASGUI alone, as its README sets it up, on the same endpoint
# (served to the browser by the benchmark itself, at an address of the same server).
BARE_YASGUI = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>YASGUI</title>
<link rel="stylesheet" href="/assets/vendor/yasgui.min.css">
<script src="/assets/vendor/yasgui.min.js"></script></head>
<body><div id="yasgui"></div>
<script>new Yasgui(document.getElementById("yasgui"), {requestConfig: {endpoint: "/sparql"}});
</script></body></html>"""
BARE = "/bench-yasgui-alone.html"
# Each page as a shared link opens it, what is true once its first result is drawn (the
# workbench draws a link's first rows before YASGUI is ready) and, for YASGUI's pages, once
# YASGUI's own table shows the answer.
YASR_ROW = "() => document.querySelector('.tabPanel.active .yasr table tbody tr') !== null"
FIRST_ROW = (
    "() => document.querySelector('#first-rows tbody tr, .tabPanel.active .yasr table tbody tr')"
    " !== null"
)
PAGES = {
    "workbench": (f"/sparql#query={quote(QUERY)}", FIRST_ROW, YASR_ROW),
    "YASGUI alone (peer)": (f"{BARE}#query={quote(QUERY)}", YASR_ROW, YASR_ROW),
    "explorer": (
        "/explore?seed={seed}",
        "() => document.querySelector('#drawing[aria-busy=\"false\"]') !== null"
        " && document.querySelector('#node-list li') !== null",
        None,
    ),
}
SEEDS = {"seed": "state/united-kingdom", "generated": "instrument/i42"}
FIRST_PAINT = "() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null"


@contextmanager
def seed_server(directory: Path) -> Iterator[str]:
    """`accordkg serve` on a build of the repository's data/."""
    data_dir = directory / "var"
    environment = {**os.environ, "ACCORDKG_DATA_DIR": str(data_dir)}
    subprocess.run([str(BIN / "accordkg"), "build"], cwd=ROOT, env=environment, check=True)
    with _served(data_dir) as url:
        yield url


@contextmanager
def generated_server(directory: Path, triples: int) -> Iterator[str]:
    """`accordkg serve` on `triples` generated ones, bulk-loaded (bench/sparql.py's)."""
    quads, _ = generate(triples, directory)
    bulk_load(quads, directory / "var")
    with _served(directory / "var") as url:
        yield url


@contextmanager
def _served(data_dir: Path) -> Iterator[str]:
    port = free_port()
    command, environment = serve_command(data_dir, port)
    base = f"http://127.0.0.1:{port}"
    with running(command, f"{base}/health", environment, 600):
        wait_until_warm(f"{base}/health")
        yield base


def timings(
    browser: Browser, url: str, drawn: str, yasr: str | None
) -> tuple[float, float, float | None]:
    """First contentful paint, first result drawn and YASGUI's table drawn (if `yasr`
    names it), ms from navigation start, of one visit in a new context."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route(
        f"**{BARE}", lambda route: route.fulfill(body=BARE_YASGUI, content_type="text/html")
    )
    try:
        page: Page = context.new_page()
        page.goto(url, wait_until="commit")  # not its load event: the page's own clock
        page.wait_for_function(drawn, timeout=60_000, polling="raf")
        result = float(page.evaluate("() => performance.now()"))
        table = None
        if yasr is not None:
            page.wait_for_function(yasr, timeout=60_000, polling="raf")
            table = float(page.evaluate("() => performance.now()"))
        paint = page.evaluate(FIRST_PAINT)
        return float(paint if paint is not None else result), result, table
    finally:
        context.close()


def measure(browser: Browser, base: str, seed: str, runs: int) -> list[str]:
    rows = []
    for name, (address, drawn, yasr) in PAGES.items():
        url = base + address.format(seed=quote(seed))
        timings(browser, url, drawn, yasr)  # the server's first answer of its kind is not timed
        measured = [timings(browser, url, drawn, yasr) for _ in range(runs)]
        paint = statistics.median(p for p, _, _ in measured)
        result = statistics.median(r for _, r, _ in measured)
        slowest = max(r for _, r, _ in measured)
        tables = [t for _, _, t in measured if t is not None]
        table = f"{statistics.median(tables):.0f}" if tables else "—"
        rows.append(f"| {name} | {paint:.0f} | {result:.0f} | {slowest:.0f} | {table} |")
    return rows


def run(triples: int, runs: int) -> str:
    sections = []
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for store in ("seed", "generated"):
            with tempfile.TemporaryDirectory(prefix="accordkg-bench-") as tmp:
                directory = Path(tmp)
                server = (
                    seed_server(directory)
                    if store == "seed"
                    else generated_server(directory, triples)
                )
                with server as base:
                    rows = measure(browser, base, SEEDS[store], runs)
            title = "the seed's build" if store == "seed" else f"{triples:,} generated triples"
            sections.append(
                f"### {title}\n\n| page | first contentful paint, ms | first result drawn, "
                "ms | slowest result drawn, ms | YASGUI's table drawn, ms |\n"
                "|---|---|---|---|---|\n" + "\n".join(rows) + "\n"
            )
        browser.close()
    return (
        f"\n## Browser pages — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n\n"
        f"Command: `make bench-browser` (`python bench/browser.py --triples {triples} "
        f"--runs {runs}`)\n{machine_line()}\n\n"
        "Headless Chromium (Debian's), a new context per visit; medians of the page's own"
        " clock from the start of navigation until the page shows the result (not until "
        "its load event, which runs before 2026-12-03 09:00 waited for). The workbench "
        "opens with a query in its address and runs it, as does YASGUI alone (its peer: "
        "the library with its defaults, on the same endpoint); the workbench draws the "
        "answer's first rows while YASGUI loads, then hands the answer to YASGUI's table "
        "(the last column); the explorer opens with a seed and draws its neighbourhood. "
        "Target: under 1,000 ms at 100k triples for both.\n\n" + "\n".join(sections)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--write", action="store_true", help="append to bench/RESULTS.md")
    arguments = parser.parse_args()
    publish(run(arguments.triples, arguments.runs), arguments.write)


if __name__ == "__main__":
    main()
