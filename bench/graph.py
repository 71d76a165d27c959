"""Graph traversal benchmark: the /graph walks against the same questions asked as SPARQL.

Run with `make bench-graph`. On the synthetic corpus of bench/sparql.py (1M triples by
default) it measures, in one run: the first answer of every /graph operation on the store
as opened (a store this large is walked by pattern; with `--projected` it is projected
whole first, as it was before walks), and the resident memory they added; then the
median and p95 latency of four walks with default caps, each rendered as Cytoscape.js
JSON as the endpoint sends it (asked again: a walked store's answer is kept; and walked
anew every time), and of the closest SPARQL query on the embedded
Oxigraph store (in process, on disk, results read in full). Prints Markdown; `--write`
appends it to bench/RESULTS.md.
"""

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import pyoxigraph

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from accordkg.store import EmbeddedStore  # noqa: E402
from accordkg.traversal import operations  # noqa: E402
from accordkg.traversal.operations import GraphSource, View  # noqa: E402
from accordkg.traversal.service import PROJECTED_AT_MOST, Traversal  # noqa: E402
from bench.extraction import machine_line, publish  # noqa: E402
from bench.sparql import AK, ID, generate  # noqa: E402

HUB = "state/s0"  # a party to about 3% of all instruments
LEAF = "recital/i5-1"
OTHER_PARTY = "state/s1"
DEPTH_TWO = """SELECT DISTINCT ?a ?p ?b WHERE {{
  {{ <{n}> ?p ?b BIND(<{n}> AS ?a) }} UNION {{ ?a ?p <{n}> BIND(<{n}> AS ?b) }}
  UNION {{ {{ <{n}> ?q ?m }} UNION {{ ?m ?q <{n}> }}
           {{ ?m ?p ?b BIND(?m AS ?a) }} UNION {{ ?a ?p ?m BIND(?m AS ?b) }} }}
  FILTER(isIRI(?a) && isIRI(?b) && ?p != <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>)
}} LIMIT 2000"""
SPARQL = {
    "depth-2 neighbourhood of a hub": DEPTH_TWO.format(n=f"{ID}{HUB}"),
    "depth-2 neighbourhood of a leaf": DEPTH_TWO.format(n=f"{ID}{LEAF}"),
    "3 shortest paths between two parties": (
        f"SELECT ?i WHERE {{ ?i <{AK}party> <{ID}{HUB}> , <{ID}{OTHER_PARTY}> }} LIMIT 3"
    ),
    "subgraph of instruments and parties": (
        f"SELECT ?i ?p WHERE {{ ?i a <{AK}Instrument> ; <{AK}party> ?p }} LIMIT 2000"
    ),
}


Walk = Callable[[GraphSource], operations.Subgraph]


def walks(traversal: Traversal) -> dict[str, Walk]:
    """Each operation as the endpoint asks it, with default caps."""
    view = View()

    def around(node: str) -> Walk:
        return lambda graph: operations.neighborhood(
            graph, [node], view, depth=2, limit=None, max_nodes=None, max_edges=None
        )

    types = traversal.types(["Instrument", "Party"])
    return {
        "depth-2 neighbourhood of a hub": around(HUB),
        "depth-2 neighbourhood of a leaf": around(LEAF),
        "3 shortest paths between two parties": lambda graph: operations.paths(
            graph, HUB, OTHER_PARTY, view, k=3, max_length=None, max_degree=None
        ),
        "subgraph of instruments and parties": lambda graph: operations.subgraph(
            graph, types, view, max_nodes=None, max_edges=None
        ),
        "node detail of a hub": lambda graph: operations.node_detail(graph, HUB, view),
        "first page of a hub's neighbours": lambda graph: operations.neighbors(
            graph, HUB, view, limit=None, cursor=None
        ),
        "expanding a hub": lambda graph: operations.expand(
            graph, [HUB], [HUB], view, limit=None, max_nodes=None, max_edges=None
        ),
        "induced subgraph of three nodes": lambda graph: operations.induced(
            graph, [HUB, OTHER_PARTY, LEAF], view, None
        ),
        "statistics with degree and PageRank": lambda graph: operations.statistics(
            graph, view, top=None, centrality=["degree", "pagerank"], types=(), max_nodes=None
        ),
    }


def asked(traversal: Traversal, name: str, walk: Walk) -> Callable[[], bytes]:
    """The walk as the endpoint answers it, rendered as Cytoscape.js JSON: a walked
    store's answer asked again for the same data is the one kept."""
    return lambda: traversal.answer(
        name, lambda graph: traversal.renderer.render(walk(graph), "cytoscape")
    )


def anew(traversal: Traversal, walk: Walk) -> Callable[[], bytes]:
    """The walk made every time (the rows read around nodes are still kept)."""
    return lambda: traversal.renderer.render(walk(traversal.source()), "cytoscape")


def first_answers(traversal: Traversal) -> list[str]:
    """Table rows: how long each operation's first answer took, in the order asked."""
    rows = []
    for name, walk in walks(traversal).items():
        started = time.perf_counter()
        asked(traversal, name, walk)()
        rows.append(f"| {name} | {time.perf_counter() - started:.2f} |")
    return rows


def timings(run: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median and 95th percentile, in milliseconds, after one run to warm up (on a
    projection, the first path search on a view builds that view's graph)."""
    run()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), statistics.quantiles(samples, n=20)[-1]


def answer(store: pyoxigraph.Store, query: str) -> int:
    """Run a SELECT and read every row, as a client would."""
    solutions = store.query(query, use_default_graph_as_union=True)
    if not isinstance(solutions, pyoxigraph.QuerySolutions):
        raise TypeError("the benchmark's SPARQL questions are SELECTs")
    return sum(1 for _ in solutions)


def resident_mib() -> float:
    resident_pages = int(Path("/proc/self/statm").read_text().split()[1])
    return resident_pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def run(size: int, runs: int, projected: bool) -> str:
    with tempfile.TemporaryDirectory(prefix="accordkg-bench-") as tmp:
        directory = Path(tmp)
        quads, _ = generate(size, directory)
        loader = pyoxigraph.Store(str(directory / "store"))
        loader.bulk_load(path=str(quads), format=pyoxigraph.RdfFormat.N_QUADS)
        loader.flush()
        count = len(loader)
        del loader
        with closing(EmbeddedStore(directory / "store")) as store:
            limit = count if projected else PROJECTED_AT_MOST
            traversal = Traversal(store, ID, projected_at_most=limit)
            gc.collect()
            before = resident_mib()
            firsts = first_answers(traversal)
            gc.collect()
            memory = resident_mib() - before
            oxigraph = pyoxigraph.Store.read_only(str(directory / "store"))
            rows = []
            for name, walk in list(walks(traversal).items())[: len(SPARQL)]:
                ours = timings(asked(traversal, name, walk), runs)
                made = timings(anew(traversal, walk), runs)
                theirs = timings(partial(answer, oxigraph, SPARQL[name]), runs)
                rows.append(
                    f"| {name} | {ours[0]:.3f} | {ours[1]:.3f} | {made[0]:.1f} | "
                    f"{theirs[0]:.1f} | {theirs[1]:.1f} | {theirs[0] / ours[0]:.1f} | "
                    f"{theirs[0] / made[0]:.1f} |"
                )
            mode = "projected whole" if projected else "walked by pattern"
    flags = " --projected" if projected else ""
    return (
        f"\n## Graph traversal — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n\n"
        f"Command: `make bench-graph` (`python bench/graph.py --size {size} --runs {runs}"
        f"{flags}`)\n{machine_line()}\n\n"
        f"{count:,} triples, {mode}. First answer of each operation on the store as "
        f"opened, in this order (seconds); together they added {memory:,.0f} MiB "
        "resident:\n\n| operation | first answer s |\n|---|---|\n" + "\n".join(firsts) + "\n\n"
        "Walks with default caps (depth 2, 100 neighbours per node, 500 nodes, 2,000 edges), "
        "rendered as Cytoscape.js JSON; SPARQL on the embedded Oxigraph store, in process. "
        "The SPARQL for paths is the length-2 join (the shortest paths here), which SPARQL "
        "can express; k shortest paths in general it cannot.\n\n"
        "*Asked* is the endpoint's answer to a request asked again for the same data (a "
        "walked store's answer is kept); *anew* walks every time (the rows read around "
        "nodes are kept for the data version).\n\n"
        "| question | asked median ms | asked p95 ms | anew median ms | SPARQL median ms | "
        "SPARQL p95 ms | SPARQL / asked | SPARQL / anew |\n|---|---|---|---|---|---|---|---|\n"
        + "\n".join(rows)
        + "\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--projected", action="store_true", help="project the store whole")
    parser.add_argument("--write", action="store_true", help="append to bench/RESULTS.md")
    arguments = parser.parse_args()
    publish(run(arguments.size, arguments.runs, arguments.projected), arguments.write)


if __name__ == "__main__":
    main()
