"""The `accordkg` command: argument parsing plus one library call per subcommand."""

from pathlib import Path
from typing import Annotated, Any

import typer
import uvicorn

from accordkg.build import build as build_graph
from accordkg.errors import AccordError
from accordkg.settings import Settings

app = typer.Typer(help="accordkg: a knowledge graph of AI research cooperation agreements.")


@app.command()
def build(
    data_dir: Annotated[
        Path | None, typer.Option(help="Where the store lives (ACCORDKG_DATA_DIR).")
    ] = None,
) -> None:
    """Build the graph from the ontology and data/ into the store."""
    settings = _settings(data_dir=data_dir)
    try:
        summary = build_graph(settings)
    except AccordError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"built {settings.store_dir}: {summary.graphs} graph(s), {summary.triples} triples")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (ACCORDKG_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (ACCORDKG_PORT).")] = None,
    data_dir: Annotated[
        Path | None, typer.Option(help="Where the store lives (ACCORDKG_DATA_DIR).")
    ] = None,
) -> None:
    """Serve the graph over HTTP (SPARQL, graph views, Linked Data, docs at /docs)."""
    # Imported here so the rest of the core never loads FastAPI: api depends on core.
    from accordkg.api import create_app  # noqa: PLC0415

    settings = _settings(host=host, port=port, data_dir=data_dir)
    try:
        application = create_app(settings)
    except AccordError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    uvicorn.run(application, host=settings.host, port=settings.port)


def _settings(**overrides: Any) -> Settings:
    """Environment settings with the options the user gave on the command line on top."""
    return Settings(**{name: value for name, value in overrides.items() if value is not None})
