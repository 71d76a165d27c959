"""A live `accordkg serve` for the SPARQL protocol tests: the seed plus the three
one-triple graphs of the W3C protocol tests, read from ../shared/w3c/ at test time.
It has one query worker unless told otherwise (ACCORDKG_QUERY_WORKERS)."""

import os
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from rdflib import Graph, URIRef

from accordkg.store import EmbeddedStore
from tests.conftest import INPUTS, copy_built
from tests.servers import BIN, free_port, running

W3C = INPUTS.parent.parent / "shared" / "w3c" / "sparql11-protocol"
KASEI = "http://kasei.us/2009/09/sparql/data/"
LIMITS = {
    "ACCORDKG_QUERY_TIMEOUT_S": "3",
    "ACCORDKG_ROW_LIMIT": "50",
    "ACCORDKG_QUERY_MEMORY_BYTES": str(512 * 1024**2),
    "ACCORDKG_QUERY_WORKERS": "1",
}


@contextmanager
def sparql_server(built_data: Path, data_dir: Path, **extra_settings: str) -> Iterator[str]:
    """Serve a copy of `built_data` in `data_dir`, with the W3C graphs added."""
    copy_built(built_data, data_dir)
    graphs = {
        URIRef(f"{KASEI}data{n}.rdf"): Graph().parse(W3C / f"data{n}.nt", format="nt")
        for n in (1, 2, 3)
    }
    with closing(EmbeddedStore(data_dir / "store")) as store:
        store.replace_graphs(graphs)
    port = free_port()
    command = [str(BIN / "accordkg"), "serve", "--port", str(port)]
    environment = {**os.environ, "ACCORDKG_DATA_DIR": str(data_dir), **LIMITS, **extra_settings}
    url = f"http://127.0.0.1:{port}"
    with running(command, f"{url}/health", environment):
        yield url
