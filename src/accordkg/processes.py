"""Child processes (query workers, upload parsers) start from one fork server that has
imported what they run: each then starts in milliseconds, where a fresh interpreter takes
a second to import rdflib, pyoxigraph and the main script's imports again."""

import multiprocessing
from multiprocessing import forkserver
from multiprocessing.context import ForkServerContext

# `accordkg serve`'s script imports the CLI, which each child would otherwise run again.
PRELOADED = ["accordkg.sparql.worker", "accordkg.pipeline.rdf_input", "accordkg.cli"]


def fork_server() -> ForkServerContext:
    """The fork server's context, the server started with PRELOADED if it is not running:
    its imports take a second, so whoever will need it starts it as early as it can."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOADED)
    forkserver.ensure_running()
    return context
