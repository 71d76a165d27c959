"""The `accordkg` command: argument parsing plus one library call per subcommand."""

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from enum import StrEnum
from functools import wraps
from pathlib import Path
from typing import Annotated, Any

import pydantic
import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TimeElapsedColumn,
)
from rich.text import Text

from accordkg.errors import AccordError, InputError
from accordkg.extraction.registry import Registry
from accordkg.graphs import mappings_graph_iri
from accordkg.iris import checked_iri
from accordkg.linked_data.documents import serialize_rdf
from accordkg.linking.mappings import export_mappings
from accordkg.pipeline.adding import add_source
from accordkg.pipeline.build import build as build_graph
from accordkg.pipeline.build import corpus_sources, extract_checked
from accordkg.pipeline.imports import import_file
from accordkg.processes import fork_server
from accordkg.publishing.dumps import CHECKSUMS, DUMP_FORMATS, write_dumps
from accordkg.settings import Settings
from accordkg.sparql.formats import (
    Answers,
    Format,
    format_among,
    format_named,
    formats_for,
    serialize_solutions,
)
from accordkg.sparql.named_queries import named_queries, named_query, run_named_query
from accordkg.store import Solutions, open_store

app = typer.Typer(help="accordkg: a knowledge graph of AI research cooperation agreements.")
mappings_app = typer.Typer(help="The SSSOM mapping tables: links out to Wikidata, ROR and others.")
app.add_typer(mappings_app, name="mappings")

DataDir = Annotated[Path | None, typer.Option(help="Where the store lives (ACCORDKG_DATA_DIR).")]


TABLE = "table"  # `accordkg query`'s own output: a table to read


def _format_option(candidates: Iterable[Format], *own: str, help_text: str = "") -> Any:
    """--format, taking formats of the registry (by name or a word clients use) and the
    command's `own` outputs."""
    offered = list(candidates)
    known = ", ".join([*own, *(f.name for f in offered)])

    def parse(value: str) -> str:
        found = format_among(value, offered)
        if value not in own and found is None:
            raise typer.BadParameter(f"{value!r} is not one of {known}")
        return found.name if found else value

    return typer.Option(
        "--format", help=f"{help_text}One of {known}.", parser=parse, metavar="FORMAT"
    )


def _reports_errors(command: Callable[..., None]) -> Callable[..., None]:
    """Turn an AccordError into one line on stderr and exit status 1, not a traceback."""

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> None:
        try:
            command(*args, **kwargs)
        except AccordError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from exc

    return run


@app.command("build")
@_reports_errors
def build_command(
    data_dir: DataDir = None,
    strict: Annotated[
        bool, typer.Option(help="Stop at the first document that fails; load nothing.")
    ] = False,
    full: Annotated[
        bool, typer.Option(help="Extract every document again, changed or not.")
    ] = False,
) -> None:
    """Build the graph from the ontology and data/ into the store.

    Every document that extracts and validates is loaded; one that fails is reported and
    keeps its previous graph, and the exit status is 1. A document whose source, records
    and software are those of its graph in the store keeps that graph (unless --full).
    """
    _build_and_report(_settings(data_dir=data_dir), strict=strict, full=full)


def _build_and_report(settings: Settings, *, strict: bool = False, full: bool = False) -> None:
    """Build, print what was built, warned about and failed; exit 1 if anything failed."""
    with _build_progress(len(corpus_sources(settings))) as progress:
        summary = build_graph(settings, progress=progress, strict=strict, full=full)
    for path, warnings in summary.warnings.items():
        for warning in warnings:
            typer.echo(f"warning: {path}: {warning}", err=True)
    for path, reason in summary.failures.items():
        # a reason naming the source or a file beside it (NAME.toml, NAME.corrections.toml)
        named = reason.startswith(str(Path(path).with_suffix("")))
        typer.echo(f"failed: {reason}" if named else f"failed: {path}: {reason}", err=True)
    typer.echo(
        f"built {settings.store_dir}: {summary.documents} document(s), "
        f"{summary.graphs} graph(s), {summary.triples} triples, "
        f"{sum(len(w) for w in summary.warnings.values())} warning(s), "
        f"{len(summary.failures)} failed, {summary.reused} unchanged (not extracted again)"
    )
    if summary.failures:
        raise typer.Exit(1)


@app.command("add")
@_reports_errors
def add_command(
    file: Annotated[
        Path,
        typer.Argument(
            help="A source: a text (UTF-8), a saved web page or a PDF.",
            readable=False,  # an unreadable file is our one-line error, not a usage box
        ),
    ],
    *,
    publisher: Annotated[
        str | None, typer.Option(help="Who published it, as its page names them.")
    ] = None,
    url: Annotated[str | None, typer.Option(help="Where it was retrieved from.")] = None,
    retrieved: Annotated[
        str | None, typer.Option(help="The day it was retrieved, YYYY-MM-DD.")
    ] = None,
    force: Annotated[
        bool, typer.Option(help="Replace a source of the same name (its text and record too).")
    ] = False,
    then_build: Annotated[
        bool, typer.Option("--build", help="Build the graph afterwards, this source included.")
    ] = False,
    data_dir: DataDir = None,
) -> None:
    """Copy a source into data/sources/ under a slug name with its metadata record, read
    it, and print what was read for review. The store is not touched unless --build."""
    settings = _settings(data_dir=data_dir)
    added = add_source(
        settings, file, publisher=publisher, url=url, retrieved=retrieved, force=force
    )
    review = added.review
    typer.echo(f"added {added.source} (text {added.text.name}, record {added.record.name})")
    typer.echo(f"form:        {review.form}")
    typer.echo(f"title:       {review.title}")
    typer.echo(f"date:        {review.date or '(none read)'}")
    parties = "; ".join(f"{name} ({kind})" for name, kind in review.parties)
    typer.echo(f"parties:     {parties or '(none read)'}")
    typer.echo(
        f"read:        {review.recitals} recital(s), {review.articles} article(s), "
        f"{review.commitments} commitment(s), {review.signatures} signature(s), "
        f"{len(review.warnings)} warning(s)"
    )
    for warning in review.warnings:
        typer.echo(f"warning: {added.source}: {warning}", err=True)
    if then_build:
        _build_and_report(settings)
    else:
        typer.echo("not built: review it, then run `accordkg build`")


@contextmanager
def _build_progress(total: int) -> Iterator[Callable[[Path], None]]:
    """A progress bar with documents per second on a terminal; in a pipe or a log, the
    one line these have always read."""
    if not sys.stdout.isatty():
        with typer.progressbar(length=total, label="extracting") as bar:
            yield lambda _: bar.update(1)
        return
    columns = (BarColumn(), MofNCompleteColumn(), _Rate(), TimeElapsedColumn())
    with Progress("extracting", *columns) as bar:
        task = bar.add_task("extracting", total=total)
        yield lambda _: bar.advance(task)


class _Rate(ProgressColumn):
    """Documents per second, over the last half minute."""

    def render(self, task: Task) -> Text:
        return Text(f"{task.speed or 0:.0f} documents/s")


@app.command()
@_reports_errors
def dump(
    out: Annotated[
        Path | None, typer.Option(help="Write here (default: dumps/ in the data directory).")
    ] = None,
    dump_format: Annotated[
        list[str] | None,
        _format_option(
            (f.rdf for f in DUMP_FORMATS.values()),
            help_text="A format to write; repeat for several (default: all). ",
        ),
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Write dumps of the whole graph, each also gzipped, with SHA256SUMS."""
    settings = _settings(data_dir=data_dir)
    directory = out or settings.dumps_dir
    formats = dump_format or list(DUMP_FORMATS)
    with closing(open_store(settings)) as store:
        written = write_dumps(store, directory, formats)
    for file in written:
        typer.echo(f"{file.sha256}  {file.size:>12}  {directory / file.file_name}")
    typer.echo(f"checksums in {directory / CHECKSUMS}")


@app.command("extract")
@_reports_errors
def extract_command(
    file: Annotated[
        Path, typer.Argument(help="A source: a text (UTF-8), a saved web page or a PDF.")
    ],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write here.")] = None,
    rdf_format: Annotated[str, _format_option(formats_for(Answers.GRAPH))] = "turtle",
) -> None:
    """Extract one document's graph, validated, and print or write it."""
    settings = _settings()
    registry = Registry.load(settings.input_dir, settings.base_iri)
    document = extract_checked(file, registry, settings)
    for warning in document.warnings:
        typer.echo(f"warning: {file}: {warning}", err=True)
    serialized = serialize_rdf(document.graph, format_named(rdf_format)).decode("utf-8")
    if output is None:
        typer.echo(serialized)
    else:
        _write(output, serialized)


class ImportFormat(StrEnum):
    TURTLE = "turtle"
    NTRIPLES = "ntriples"
    JSONLD = "jsonld"
    RDFXML = "rdfxml"
    SSSOM = "sssom"


@app.command("import")
@_reports_errors
def import_(
    file: Annotated[
        Path, typer.Argument(help="RDF (Turtle, N-Triples, JSON-LD, RDF/XML) or SSSOM/TSV.")
    ],
    graph: Annotated[
        str | None, typer.Option(help="The named graph (default: {base}graph/import/{file name}).")
    ] = None,
    file_format: Annotated[
        ImportFormat | None,
        typer.Option("--format", help="Override the format the extension says."),
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Import a dataset or a mapping table into a named graph of its own, validated, whole."""
    settings = _settings(data_dir=data_dir)
    report = import_file(settings, file, graph, file_format.value if file_format else None)
    for warning in report.warnings:
        typer.echo(f"warning: {file}: {warning}", err=True)
    typer.echo(
        f"imported {file} ({report.format}) into {report.graph}"
        f"{' (replacing its previous content)' if report.replaced else ''}: "
        f"{report.triples} triples, {report.entities} entities, {report.links} links, "
        f"{len(report.warnings)} warning(s)"
    )


@mappings_app.command("export")
@_reports_errors
def export_mappings_command(
    graph: Annotated[
        str | None,
        typer.Option(help="A graph holding a mapping set (default: the mappings graph)."),
    ] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write here.")] = None,
    data_dir: DataDir = None,
) -> None:
    """Write a mapping graph of the store as an SSSOM/TSV table."""
    settings = _settings(data_dir=data_dir)
    target = checked_iri(graph, "--graph") if graph else mappings_graph_iri(settings.base_iri)
    with closing(open_store(settings)) as store:
        table = export_mappings(store, target)
    if output is None:
        typer.echo(table, nl=False)
    else:
        _write(output, table)


@app.command()
@_reports_errors
def query(
    name: Annotated[str, typer.Argument(help="A named query; `accordkg queries` lists them.")],
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="A parameter as NAME=VALUE.")
    ] = None,
    result_format: Annotated[str, _format_option(formats_for(Answers.SOLUTIONS), TABLE)] = TABLE,
    data_dir: DataDir = None,
) -> None:
    """Run a named query against the store and print its results."""
    settings = _settings(data_dir=data_dir)
    values = {}
    for pair in param or []:
        key, separator, value = pair.partition("=")
        if not separator:
            raise InputError(f"--param {pair!r}: write it as NAME=VALUE")
        values[key] = value
    with closing(open_store(settings)) as store:
        solutions = run_named_query(store, named_query(name), values, settings.base_iri)
    if result_format == TABLE:
        typer.echo(_table(solutions))
    else:
        typer.echo(serialize_solutions(solutions, result_format).decode("utf-8"))


@app.command()
@_reports_errors
def queries() -> None:
    """List the named queries with their parameters."""
    for named in named_queries().values():
        typer.echo(f"{named.name}: {named.title}")
        for parameter in named.parameters:
            default = f", default {parameter.default}" if parameter.default else ""
            typer.echo(
                f"    --param {parameter.name}=<{parameter.type}{default}>  {parameter.description}"
            )


@app.command("serve")
@_reports_errors
def serve_command(
    host: Annotated[str | None, typer.Option(help="Bind address (ACCORDKG_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (ACCORDKG_PORT).")] = None,
    data_dir: DataDir = None,
) -> None:
    """Serve the graph over HTTP (SPARQL, graph views, Linked Data, docs at /docs)."""
    settings = _settings(host=host, port=port, data_dir=data_dir)
    # The query workers' fork server imports what they run while this process imports
    # the HTTP layer: the first query is answered sooner (2.4 s, was 3.1 s, on the seed).
    fork_server()
    # Imported here so the rest of the core never loads FastAPI: api depends on core.
    from accordkg.api.server import serve as serve_http  # noqa: PLC0415

    serve_http(settings)


def _table(solutions: Solutions) -> str:
    """Results as aligned plain-text columns, for people."""
    rows = [
        [" ".join(str(row.get(name, "")).split()) for name in solutions.variables]
        for row in solutions.rows
    ]
    widths = [
        max([len(name), *(len(r[i]) for r in rows)]) for i, name in enumerate(solutions.variables)
    ]
    lines = ["  ".join(name.ljust(w) for name, w in zip(solutions.variables, widths, strict=True))]
    lines += ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(line.rstrip() for line in lines)


def _write(path: Path, text: str) -> None:
    """Write an --output file; a full disk or a read-only directory is an input error."""
    try:
        path.write_text(text, "utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot be written: {exc.strerror or exc}") from exc


def _settings(**overrides: Any) -> Settings:
    """Environment settings with the options the user gave on the command line on top;
    a value they refuse is an InputError naming the setting."""
    try:
        return Settings(**{name: value for name, value in overrides.items() if value is not None})
    except pydantic.ValidationError as exc:
        problems = "; ".join(
            f"ACCORDKG_{'_'.join(map(str, error['loc'])).upper()}: "
            f"{error['msg'].removeprefix('Value error, ')}"
            for error in exc.errors()
        )
        raise InputError(problems) from exc
