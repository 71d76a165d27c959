"""Dump benchmark: time and peak memory to write the dumps and count the VoID statistics.

Run with `make bench-dumps`. For each corpus size it generates the synthetic agreements
of the SPARQL benchmark (fixed seed) into an embedded store, then, each case in a fresh
process so that its peak memory is its own: writes the dumps in some formats (each also
gzipped, with checksums), writes them again on the unchanged store (which dumps the
N-Quads only to find them equal), and counts the statistics VoID publishes. Prints
Markdown; `--write` appends it to bench/RESULTS.md.
"""

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from accordkg.namespaces import DEFAULT_BASE_IRI  # noqa: E402
from accordkg.publishing.dumps import write_dumps  # noqa: E402
from accordkg.publishing.void import count_statistics  # noqa: E402
from accordkg.store import EmbeddedStore  # noqa: E402
from bench.extraction import machine_line, publish  # noqa: E402
from bench.sparql import generate  # noqa: E402

CASES = {
    "N-Quads": "nquads",
    "N-Quads, N-Triples, Turtle": "nquads,ntriples,turtle",
    "all four (with JSON-LD by rdflib)": "nquads,ntriples,turtle,jsonld",
}


def measure(store_dir: Path, formats: list[str], out: Path) -> dict[str, float]:
    """One case, in this process: seconds to write, to rewrite unchanged, to count; MiB."""
    with closing(EmbeddedStore(store_dir)) as store:
        started = time.perf_counter()
        written = write_dumps(store, out, formats)
        first = time.perf_counter() - started
        started = time.perf_counter()
        write_dumps(store, out, formats)
        unchanged = time.perf_counter() - started
        dumps_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started = time.perf_counter()
        count_statistics(store, DEFAULT_BASE_IRI)
        counting = time.perf_counter() - started
    return {
        "write_s": first,
        "unchanged_s": unchanged,
        "statistics_s": counting,
        "dumps_peak_mib": dumps_peak,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "mib": sum(f.size for f in written if not f.compressed) / 2**20,
        "gz_mib": sum(f.size for f in written if f.compressed) / 2**20,
    }


def run(sizes: list[int]) -> str:
    sections = []
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="accordkg-bench-") as tmp:
            directory = Path(tmp)
            quads, _ = generate(size, directory)
            store = pyoxigraph.Store(str(directory / "store"))
            store.bulk_load(path=quads, format=pyoxigraph.RdfFormat.N_QUADS)
            store.flush()
            del store
            rows = []
            for title, formats in CASES.items():
                child = [sys.executable, __file__, "--case", str(directory), formats]
                result = json.loads(subprocess.run(child, check=True, capture_output=True).stdout)
                rows.append(
                    f"| {title} | {result['write_s']:.1f} | {result['unchanged_s']:.1f} | "
                    f"{result['dumps_peak_mib']:,.0f} | {result['statistics_s']:.1f} | "
                    f"{result['peak_mib']:,.0f} | {result['mib']:,.1f} | {result['gz_mib']:,.1f} |"
                )
            sections.append(
                f"### {size:,} triples\n\n| formats | write s | unchanged s | peak MiB | "
                "statistics s | peak MiB with statistics | plain MiB | gzipped MiB |\n"
                "|---|---|---|---|---|---|---|---|\n" + "\n".join(rows) + "\n"
            )
    return (
        f"\n## Dumps and VoID statistics — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n\n"
        f"Command: `make bench-dumps` (`python bench/dumps.py --sizes "
        f"{' '.join(map(str, sizes))}`)\n{machine_line()}\n\n"
        "Embedded store on disk; each case in a fresh process: it writes the dumps, writes "
        "them again unchanged (*unchanged*: the N-Quads are dumped to compare them, and the "
        "files kept), then counts the statistics. Peak MiB is the process's maximum "
        "resident set, store included, after the dumps and after the statistics.\n\n"
        + "\n".join(sections)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--case", nargs=2, metavar=("DIRECTORY", "FORMATS"), help="internal")
    parser.add_argument("--write", action="store_true", help="append to bench/RESULTS.md")
    arguments = parser.parse_args()
    if arguments.case:
        directory, formats = Path(arguments.case[0]), arguments.case[1].split(",")
        out = directory / f"dumps-{len(formats)}"
        print(json.dumps(measure(directory / "store", formats, out)))
        return
    publish(run(arguments.sizes), arguments.write)


if __name__ == "__main__":
    main()
