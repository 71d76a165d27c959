"""The `accordkg` command line, run as a user runs it."""

import ctypes
import hashlib
import json
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from rdflib import Graph
from typer.testing import CliRunner, Result

from accordkg.cli import app
from accordkg.linked_data.jsonld import context
from accordkg.pipeline.build import ONTOLOGY_PAGE
from accordkg.publishing.dumps import CHECKSUMS, DUMP_FORMATS, dump_file_names
from accordkg.sparql.named_queries import named_queries
from accordkg.store import EmbeddedStore
from tests.conftest import INPUTS, SEED
from tests.extraction import pdfs
from tests.extraction.test_genre import GENRE
from tests.extraction.test_published import PUBLISHED

MOU = GENRE / "nrf-cnrs-mou-pdf.txt"

ACCORDKG = Path(sys.executable).parent / "accordkg"
ENVIRONMENT = {"ACCORDKG_INPUT_DIR": str(INPUTS)}
PR_CAPBSET_DROP = 24  # from <linux/prctl.h>
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2  # from <linux/capability.h>


def _run(*arguments: str) -> Result:
    return CliRunner().invoke(app, list(arguments), env=ENVIRONMENT)


def test_build_reports_what_it_loaded(tmp_path: Path) -> None:
    result = _run("build", "--data-dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "1 document(s), 4 graph(s)" in result.output
    assert "2 warning(s), 0 failed" in result.output
    assert "warning: " in result.output
    assert "page-break duplicate" in result.output
    assert (tmp_path / "store").is_dir()


def test_build_fails_cleanly_while_the_store_is_in_use(tmp_path: Path) -> None:
    with closing(EmbeddedStore(tmp_path / "store")):
        result = _run("build", "--data-dir", str(tmp_path))
    assert result.exit_code == 1
    assert "error: cannot open the store" in result.output
    assert "is `accordkg serve` running?" in result.output


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
}


def test_a_text_that_names_no_party_is_read_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "no-parties.txt"
    path.write_bytes(b"Declaration on Ethics in Science and Research\n\nWe will act.\n")
    result = _run("extract", str(path))
    assert result.exit_code == 0, result.output
    assert "parties: none named" in result.output


def test_build_loads_what_it_can_reports_what_failed_and_exits_1(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS, inputs)
    (inputs / "sources" / "broken.txt").write_bytes(b"\xff\xfe not UTF-8")
    result = CliRunner().invoke(
        app, ["build", "--data-dir", str(tmp_path)], env={"ACCORDKG_INPUT_DIR": str(inputs)}
    )
    assert result.exit_code == 1
    assert f"failed: {inputs / 'sources' / 'broken.txt'}: not UTF-8 text" in result.output
    assert "1 document(s)" in result.output
    assert "1 failed" in result.output
    strict = CliRunner().invoke(
        app,
        ["build", "--data-dir", str(tmp_path / "strict"), "--strict"],
        env={"ACCORDKG_INPUT_DIR": str(inputs)},
    )
    assert strict.exit_code == 1
    assert "not UTF-8 text" in strict.output
    assert not (tmp_path / "strict" / "store").exists()


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
    assert not (tmp_path / "dumps").exists()  # the build leaves them to `dump` and the server
    result = _run("dump", "--data-dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "dumps").iterdir()) == sorted(
        [CHECKSUMS, *dump_file_names()]
    )


def test_dump_format_choices_are_the_dump_formats() -> None:
    listed = _run("dump", "--help").output
    assert f"One of {', '.join(DUMP_FORMATS)}." in " ".join(listed.replace("│", " ").split())
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


# Where the disk or the data directory refuses a write, or an input cannot be read, the
# command says so on one line naming the file, exits 1, and the store keeps its content.


def _accordkg(
    *arguments: str, preexec: Callable[[], None] | None = None
) -> "subprocess.CompletedProcess[str]":
    """The console script in a process of its own (which `preexec` may restrict)."""
    return subprocess.run(
        [str(ACCORDKG), *arguments],
        env={**os.environ, **ENVIRONMENT},
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=preexec,
    )


def _unprivileged() -> None:
    """Run without root's power to read or write where file modes forbid it
    (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), so that a read-only directory is read-only,
    and an unreadable file unreadable, to this process as to any other user's."""
    if os.geteuid() == 0:
        libc = ctypes.CDLL(None, use_errno=True)
        for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
            if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), f"prctl(PR_CAPBSET_DROP, {capability})")


def _set_writable(root: Path, writable: bool) -> None:
    for path in [root, *root.rglob("*")]:
        mode = path.stat().st_mode
        path.chmod(mode | stat.S_IWUSR if writable else mode & ~0o222)


def _triples(data_dir: Path) -> int:
    with closing(EmbeddedStore(data_dir / "store")) as store:
        return store.triple_count()


@pytest.mark.skipif(sys.platform != "linux", reason="drops a Linux capability when root")
@pytest.mark.parametrize(
    ("command", "read_only", "named"),
    [
        ("build", "site", "site/ontology.html: cannot be written: Permission denied"),
        ("build", "store", "cannot open the store at {data}/store: "),
        ("dump", "dumps", "cannot write the dumps in {data}/dumps: "),
        ("serve", "store", "cannot open the store at {data}/store: "),
    ],
)
def test_a_read_only_data_directory_is_one_line(
    tmp_path: Path, command: str, read_only: str, named: str
) -> None:
    assert _run("build", "--data-dir", str(tmp_path)).exit_code == 0
    triples = _triples(tmp_path)
    (tmp_path / read_only).mkdir(exist_ok=True)  # dumps/: `dump` writes it, not `build`
    _set_writable(tmp_path / read_only, writable=False)
    try:
        refused = _accordkg(command, "--data-dir", str(tmp_path), preexec=_unprivileged)
    finally:
        _set_writable(tmp_path / read_only, writable=True)
    assert refused.returncode == 1
    (line,) = refused.stderr.splitlines()
    assert line.startswith("error: ")
    assert named.format(data=tmp_path) in line
    assert "Permission denied" in line
    assert _triples(tmp_path) == triples


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_is_one_line_naming_the_file(tmp_path: Path) -> None:
    page = tmp_path / "site" / ONTOLOGY_PAGE
    page.parent.mkdir()
    page.symlink_to("/dev/full")  # every write to it fails with ENOSPC, as on a full disk
    result = _run("build", "--data-dir", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr == f"error: {page}: cannot be written: No space left on device\n"


def test_a_store_that_cannot_grow_is_one_line_and_keeps_its_content(tmp_path: Path) -> None:
    """The kernel refuses to let the store's files grow (RLIMIT_FSIZE, as a full disk
    would): its write-ahead log of the whole graph is larger than the ontology page,
    so the build gets as far as writing the store, and fails there."""
    assert _run("build", "--data-dir", str(tmp_path)).exit_code == 0
    triples = _triples(tmp_path)
    limit = (tmp_path / "site" / ONTOLOGY_PAGE).stat().st_size + 64 * 1024

    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    refused = _accordkg("build", "--data-dir", str(tmp_path), preexec=small_files)
    assert refused.returncode == 1
    (line,) = refused.stderr.splitlines()
    assert line.startswith(f"error: cannot write the store at {tmp_path / 'store'}: ")
    assert "File too large" in line
    assert _triples(tmp_path) == triples


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("# Québec\n".encode("latin-1"), "not UTF-8 text (byte {at} is 0xe9); convert it"),
        (b'<urn:a> <urn:b> "unterminated .\n', "not valid Turtle, line {line}: newline found"),
    ],
)
def test_a_records_file_that_cannot_be_read_is_one_line(
    tmp_path: Path, content: bytes, problem: str
) -> None:
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS, inputs)
    records = inputs / "records" / "entities.ttl"
    before = records.read_bytes()
    records.write_bytes(before + content)
    expected = problem.format(at=len(before) + 4, line=before.count(b"\n") + 1)
    for command in ("build", "extract"):
        arguments = [command, "--data-dir", str(tmp_path)] if command == "build" else [command]
        result = CliRunner().invoke(
            app, [*arguments, *([str(SEED)] if command == "extract" else [])],
            env={"ACCORDKG_INPUT_DIR": str(inputs)},
        )  # fmt: skip
        assert result.exit_code == 1
        assert result.stderr.startswith(f"error: {records}: {expected}")
        assert len(result.stderr.splitlines()) == 1


def test_queries_with_a_bad_header_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "broken.rq").write_text(
        "# title: Broken\n# description: A parameter of no known type.\n"
        "# param: x (colour): what\nSELECT * WHERE { ?x ?p ?o }\n",
        "utf-8",
    )
    monkeypatch.setattr("accordkg.sparql.named_queries.files", lambda _: tmp_path)
    named_queries.cache_clear()
    try:
        result = _run("queries")
    finally:
        named_queries.cache_clear()
    assert result.exit_code == 1
    assert (
        result.stderr
        == "error: broken.rq: cannot read parameter line '# param: x (colour): what'\n"
    )


HTML_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>AI</title></head><body><p>Text</p></body></html>\n"
)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("page.ttl", HTML_PAGE, "this is an HTML page, not turtle"),
        ("page.rdf", HTML_PAGE, "this is an HTML page, not rdfxml"),
        ("page.jsonld", HTML_PAGE, "this is an HTML page, not jsonld"),
        (
            "broken.ttl",
            b'@prefix ex: <http://example.org/> .\nex:a ex:b "unterminated .\nex:c ex:d ex:e .\n',
            "not valid turtle, line 2: newline found in string literal",
        ),
        (
            "broken.rdf",
            b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            b'\n<rdf:Description rdf:about="http://example.org/a">\n</rdf:RDF>\n',
            "not valid rdfxml, line 4, column 2: mismatched tag",
        ),
    ],
)
def test_import_of_a_page_or_broken_rdf_says_what_is_wrong_in_one_line(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = _run("import", str(path), "--data-dir", str(tmp_path / "var"))
    assert result.exit_code == 1
    assert result.stderr == f"error: {path}: {message}\n"


def test_a_setting_it_refuses_is_one_line_naming_it(tmp_path: Path) -> None:
    environment = {**ENVIRONMENT, "ACCORDKG_BASE_IRI": "https://example.org/<id>/"}
    built = CliRunner().invoke(app, ["build", "--data-dir", str(tmp_path)], env=environment)
    assert built.exit_code == 1
    assert built.stderr == (
        "error: ACCORDKG_BASE_IRI: 'https://example.org/<id>/' is not an absolute IRI\n"
    )
    served = _run("serve", "--port", "0", "--data-dir", str(tmp_path))
    assert served.exit_code == 1
    assert served.stderr == "error: ACCORDKG_PORT: Input should be greater than or equal to 1\n"


# `accordkg add`: a source copied in under a slug name with its record, read and reviewed;
# the store untouched unless --build; a refusal is one line, exit 1, data/sources/ as it was.


def _inputs(tmp_path: Path) -> Path:
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS, inputs)
    return inputs


def _add(inputs: Path, *arguments: str) -> Result:
    return CliRunner().invoke(app, ["add", *arguments], env={"ACCORDKG_INPUT_DIR": str(inputs)})


def test_add_copies_a_pdf_under_a_slug_with_its_record_and_prints_a_review(
    tmp_path: Path,
) -> None:
    inputs = _inputs(tmp_path)
    pdf = tmp_path / "NRF CNRS MoU (signed).PDF"
    pdf.write_bytes(pdfs.printed(MOU.read_text("utf-8")))
    result = _add(
        inputs, str(pdf), "--publisher", "National Research Foundation of Korea",
        "--url", "https://www.nrf.re.kr/mou.pdf", "--retrieved", "2024-06-03",
        "--data-dir", str(tmp_path / "var"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    sources = inputs / "sources"
    assert (sources / "nrf-cnrs-mou-signed.pdf").read_bytes() == pdf.read_bytes()
    assert (sources / "nrf-cnrs-mou-signed.pdf.txt").is_file()
    record = (sources / "nrf-cnrs-mou-signed.toml").read_text("utf-8")
    assert 'publisher = "National Research Foundation of Korea"' in record
    assert "retrieved = 2024-06-03" in record
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"added {sources / 'nrf-cnrs-mou-signed.pdf'} "
        "(text nrf-cnrs-mou-signed.pdf.txt, record nrf-cnrs-mou-signed.toml)"
    )
    assert "form:        MemorandumOfUnderstanding" in lines
    assert "date:        2024-05-14" in lines
    assert (
        "parties:     Centre National de la Recherche Scientifique (organization); "
        "National Research Foundation of Korea (organization)"
    ) in lines
    assert (
        "read:        3 recital(s), 7 article(s), 13 commitment(s), 2 signature(s), 9 warning(s)"
    ) in lines
    assert "warning: " in result.stderr
    assert "removed 4 page numbers" in result.stderr
    assert not (tmp_path / "var").exists()  # the store is not touched


def test_add_of_a_web_page_reviews_a_declaration_between_states(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path)
    page = PUBLISHED / "us-uk-ai-research-declaration-2020.html"
    (inputs / "sources" / "us-uk-ai-research-declaration-2020.txt").unlink()
    (inputs / "sources" / "us-uk-ai-research-declaration-2020.toml").unlink()
    result = _add(inputs, str(page))
    assert result.exit_code == 0, result.output
    assert "form:        Declaration" in result.stdout
    assert (
        "parties:     United Kingdom of Great Britain and Northern Ireland (state); "
        "United States of America (state)"
    ) in result.stdout
    assert "7 recital(s), 0 article(s), 5 commitment(s), 3 signature(s)" in result.stdout


@pytest.mark.slow  # a build, in a process of its own
def test_add_with_build_loads_it_into_the_store(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path)
    page = tmp_path / "Declaration.htm"
    page.write_bytes((PUBLISHED / "nrf-cnrs-mou.html").read_bytes())
    completed = subprocess.run(
        [str(ACCORDKG), "add", str(page), "--build", "--data-dir", str(tmp_path / "var")],
        env={**os.environ, "ACCORDKG_INPUT_DIR": str(inputs)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "2 document(s)" in completed.stdout
    assert (inputs / "sources" / "declaration.html").is_file()
    with closing(EmbeddedStore(tmp_path / "var" / "store")) as store:
        assert "https://w3id.org/accordkg/id/graph/declaration" in store.graph_names()


ADD_REFUSALS: dict[str, tuple[Callable[[Path], list[str]], str]] = {
    "bad date": (
        lambda tmp: [str(_mou_pdf(tmp)), "--retrieved", "03/06/2024"],
        "error: --retrieved '03/06/2024': not a date as YYYY-MM-DD",
    ),
    "impossible date": (
        lambda tmp: [str(_mou_pdf(tmp)), "--retrieved", "2024-02-30"],
        "error: --retrieved '2024-02-30': not a date as YYYY-MM-DD",
    ),
    "bad url": (
        lambda tmp: [str(_mou_pdf(tmp)), "--url", "www.example.org"],
        "error: --url must be an absolute IRI",
    ),
    "missing file": (lambda tmp: [str(tmp / "nowhere.pdf")], "no such file"),
    "encrypted": (
        lambda tmp: [str(_write(tmp / "e.pdf", pdfs.encrypted("MoU", user_password="x")))],
        "e.pdf: the PDF is encrypted",
    ),
    "scanned": (
        lambda tmp: [str(_write(tmp / "scan.pdf", pdfs.scanned(1)))],
        "scan.pdf: the PDF has no text layer",
    ),
    "existing name": (
        lambda tmp: [
            str(_write(tmp / "US-UK AI Research Declaration 2020.txt", SEED.read_bytes()))
        ],
        "us-uk-ai-research-declaration-2020.txt: a source named "
        "us-uk-ai-research-declaration-2020 is there already; --force replaces it",
    ),
    "not a source": (
        lambda tmp: [str(_write(tmp / "notes.docx", b"PK"))],
        "notes.docx: not a source; sources are files ending in",
    ),
}


@pytest.mark.parametrize("case", sorted(ADD_REFUSALS))
def test_add_refuses_in_one_line_and_leaves_the_sources_as_they_were(
    tmp_path: Path, case: str
) -> None:
    inputs = _inputs(tmp_path)
    arguments, message = ADD_REFUSALS[case]
    before = sorted((inputs / "sources").iterdir())
    result = _add(inputs, *arguments(tmp_path))
    assert result.exit_code == 1
    assert message in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert sorted((inputs / "sources").iterdir()) == before


def test_add_force_replaces_a_source_of_the_same_name(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path)
    page = tmp_path / "us-uk-ai-research-declaration-2020.html"
    page.write_bytes((PUBLISHED / page.name).read_bytes())
    result = _add(inputs, str(page), "--force", "--publisher", "U.S. Department of State")
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in (inputs / "sources").iterdir()) == [
        "us-uk-ai-research-declaration-2020.html",
        "us-uk-ai-research-declaration-2020.html.txt",
        "us-uk-ai-research-declaration-2020.toml",
    ]


@pytest.mark.slow  # a process of its own, without root's powers
def test_add_of_an_unreadable_file_is_one_line(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path)
    pdf = _mou_pdf(tmp_path)
    pdf.chmod(0)
    completed = subprocess.run(
        [str(ACCORDKG), "add", str(pdf)],
        env={**os.environ, "ACCORDKG_INPUT_DIR": str(inputs)},
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=_unprivileged,
    )
    assert completed.returncode == 1
    assert completed.stderr == f"error: {pdf}: cannot be read: Permission denied\n"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("scan.pdf", lambda: pdfs.scanned(1), "the PDF has no text layer"),
        ("broken.pdf", lambda: b"%PDF-1.4\n1 0 obj <<", "not a readable PDF"),
        ("menu.html", lambda: b"<nav>Home</nav><p>Menu</p>", "no main text in this HTML page"),
    ],
)
def test_extract_of_a_file_that_cannot_be_read_is_one_line(
    tmp_path: Path, name: str, content: Callable[[], bytes], message: str
) -> None:
    path = _write(tmp_path / name, content())
    result = _run("extract", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {path}: {message}")
    assert len(result.stderr.splitlines()) == 1


def _mou_pdf(directory: Path) -> Path:
    return _write(directory / "mou.pdf", pdfs.printed(MOU.read_text("utf-8")))


def _write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path
