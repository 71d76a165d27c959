"""The `accordkg` command line, run as a user runs it."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from rdflib import Graph
from typer.testing import CliRunner, Result

from accordkg.cli import DumpFormat, app
from accordkg.dumps import CHECKSUMS, DUMP_FORMATS, dump_file_names
from accordkg.jsonld import context
from accordkg.store import EmbeddedStore
from tests.conftest import INPUTS, SEED

ACCORDKG = Path(sys.executable).parent / "accordkg"
ENVIRONMENT = {"ACCORDKG_INPUT_DIR": str(INPUTS)}


def _run(*arguments: str) -> Result:
    return CliRunner().invoke(app, list(arguments), env=ENVIRONMENT)


def test_build_reports_what_it_loaded(tmp_path: Path) -> None:
    result = _run("build", "--data-dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "1 document(s), 4 graph(s)" in result.output
    assert "1 warning(s)" in result.output
    assert "warning: " in result.output
    assert "page-break duplicate" in result.output
    assert (tmp_path / "store").is_dir()


def test_build_fails_cleanly_while_the_store_is_in_use(tmp_path: Path) -> None:
    with closing(EmbeddedStore(tmp_path / "store")):
        result = _run("build", "--data-dir", str(tmp_path))
    assert result.exit_code == 1
    assert "error: cannot open the store" in result.output


@pytest.mark.parametrize(
    ("rdf_format", "parser"), [("turtle", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")]
)
def test_extract_prints_the_document_graph(rdf_format: str, parser: str) -> None:
    result = _run("extract", str(SEED), "--format", rdf_format)
    assert result.exit_code == 0, result.output
    body = result.stdout
    if rdf_format == "jsonld":
        assert json.loads(body)["@context"] == context()  # the project's context, inline
    assert len(Graph().parse(data=body, format=parser)) > 400


def test_extract_writes_a_file(tmp_path: Path) -> None:
    out = tmp_path / "seed.ttl"
    result = _run("extract", str(SEED), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert len(Graph().parse(out)) > 400


BAD_INPUTS = {
    "empty": (b"", "the file is empty"),
    "blank": (b"  \n\n \t\n", "the file is empty"),
    "binary": (bytes(range(256)) * 4, "binary file"),
    "html": (b"<!DOCTYPE html><html><body><p>Declaration</p></body></html>", "HTML page"),
    "latin-1": (
        "Déclaration conjointe de la France et du Québec\n\n".encode("latin-1"),
        "not UTF-8",
    ),
    "no-title": (b"THE END\n\n1234\n", "no recognisable title"),
    "no-parties": (
        b"Declaration on Ethics in Science and Research\n\nWe will act.\n",
        "no recognisable parties",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_extract_rejects_bad_input_naming_file_and_problem(tmp_path: Path, case: str) -> None:
    content, message = BAD_INPUTS[case]
    path = tmp_path / f"{case}.txt"
    path.write_bytes(content)
    result = _run("extract", str(path))
    assert result.exit_code == 1
    assert str(path) in result.output
    assert message in result.output


def test_extract_rejects_a_file_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as huge:
        huge.truncate(50 * 1024 * 1024)  # 50 MB, sparse: no need to write it
    result = _run("extract", str(path))
    assert result.exit_code == 1
    assert "52,428,800 bytes is over the limit" in result.output


def test_extract_of_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    result = _run("extract", str(tmp_path / "nowhere.txt"))
    assert result.exit_code == 1
    assert "no such file" in result.output


def test_console_script_is_installed_and_takes_settings_from_the_environment(
    tmp_path: Path,
) -> None:
    environment = {**os.environ, **ENVIRONMENT, "ACCORDKG_DATA_DIR": str(tmp_path / "elsewhere")}
    completed = subprocess.run(
        [str(ACCORDKG), "build"],
        env=environment,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert (tmp_path / "elsewhere" / "store").is_dir()


def test_query_runs_a_named_query_in_each_format(tmp_path: Path) -> None:
    assert _run("build", "--data-dir", str(tmp_path)).exit_code == 0
    table = _run("query", "signatories", "--data-dir", str(tmp_path))
    assert table.exit_code == 0, table.output
    assert "Oliver Dowden" in table.stdout
    assert "(3 rows)" in table.stdout
    as_json = _run("query", "signatories", "--format", "json", "--data-dir", str(tmp_path))
    assert len(json.loads(as_json.stdout)["results"]["bindings"]) == 3
    tsv = _run("query", "signatories", "--format", "tsv", "--data-dir", str(tmp_path))
    assert tsv.stdout.splitlines()[0].startswith("?instrument\t?name")
    narrowed = _run(
        "query", "parties-and-instruments", "-p", "party=state/united-kingdom",
        "--format", "csv", "--data-dir", str(tmp_path),
    )  # fmt: skip
    assert narrowed.stdout.count("united-kingdom") == 2


def test_query_errors_are_one_clear_line(tmp_path: Path) -> None:
    assert _run("build", "--data-dir", str(tmp_path)).exit_code == 0
    unknown = _run("query", "nope", "--data-dir", str(tmp_path))
    assert unknown.exit_code == 1
    assert "error: no named query 'nope'" in unknown.output
    malformed = _run("query", "signatories", "-p", "instrument", "--data-dir", str(tmp_path))
    assert malformed.exit_code == 1
    assert "write it as NAME=VALUE" in malformed.output


def test_queries_lists_names_and_parameters() -> None:
    result = _run("queries")
    assert result.exit_code == 0
    assert "signatories: Signatories with their offices and parties" in result.stdout
    assert "--param from=<date, default 1945-01-01>" in result.stdout


def test_dump_writes_the_chosen_formats_with_checksums(tmp_path: Path) -> None:
    assert _run("build", "--data-dir", str(tmp_path)).exit_code == 0
    out = tmp_path / "out"
    result = _run(
        "dump", "--data-dir", str(tmp_path), "--out", str(out), "--format", "turtle",
        "--format", "nquads",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    names = ["accordkg.nq", "accordkg.nq.gz", "accordkg.ttl", "accordkg.ttl.gz"]
    assert sorted(p.name for p in out.iterdir()) == sorted([CHECKSUMS, *names])
    for line in (out / CHECKSUMS).read_text().splitlines():
        checksum, name = line.split("  ")
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == checksum
        assert f"{checksum}  " in result.output
    assert len(Graph().parse(out / "accordkg.ttl", format="turtle")) > 1000


def test_dump_writes_every_format_into_the_data_directory(tmp_path: Path) -> None:
    assert _run("build", "--data-dir", str(tmp_path)).exit_code == 0
    shutil.rmtree(tmp_path / "dumps")
    result = _run("dump", "--data-dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "dumps").iterdir()) == sorted(
        [CHECKSUMS, *dump_file_names()]
    )


def test_dump_format_choices_are_the_dump_formats() -> None:
    assert [choice.value for choice in DumpFormat] == list(DUMP_FORMATS)
    result = _run("dump", "--format", "trig")
    assert result.exit_code == 2
    assert "'trig' is not one of" in result.output


def test_dump_fails_cleanly_while_the_store_is_in_use(tmp_path: Path) -> None:
    with closing(EmbeddedStore(tmp_path / "store")):
        result = _run("dump", "--data-dir", str(tmp_path))
    assert result.exit_code == 1
    assert "error: cannot open the store" in result.output


def test_import_reports_what_it_loaded_and_refuses_a_bad_file(tmp_path: Path) -> None:
    assert _run("build", "--data-dir", str(tmp_path)).exit_code == 0
    links = tmp_path / "links.ttl"
    links.write_text(
        "<https://treaties.example.org/t/42> <http://www.w3.org/2004/02/skos/core#exactMatch> "
        "<https://w3id.org/accordkg/id/state/united-kingdom> .\n",
        "utf-8",
    )
    result = _run("import", str(links), "--data-dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "into https://w3id.org/accordkg/id/graph/import/links: 1 triples" in result.output
    assert "1 links" in result.output
    links.write_text("<a> <b> .", "utf-8")
    result = _run("import", str(links), "--format", "turtle", "--data-dir", str(tmp_path))
    assert result.exit_code == 1
    assert "not valid turtle" in result.output


def test_mappings_export_writes_the_sssom_table(tmp_path: Path) -> None:
    assert _run("build", "--data-dir", str(tmp_path)).exit_code == 0
    out = tmp_path / "links.sssom.tsv"
    result = _run("mappings", "export", "-o", str(out), "--data-dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert out.read_text("utf-8") == (INPUTS / "mappings.sssom.tsv").read_text("utf-8")


@pytest.mark.parametrize(
    "command", [("mappings", "export"), ("import", str(INPUTS / "mappings.sssom.tsv"))]
)
def test_a_graph_option_that_is_no_absolute_iri_is_one_line(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    result = _run(*command, "--graph", "a|b", "--data-dir", str(tmp_path))
    assert result.exit_code == 1
    assert result.output == "error: --graph must be an absolute IRI, not 'a|b'\n"
