"""A curator's corrections (NAME.corrections.toml): applied by a real build on a store on
disk, recorded as provenance, validated with the corrected graph, kept by rebuilds, and
failing their document alone, in one line, when the source no longer matches them.

The sources and their corrections are in corrections/ beside this file (copies of two
texts of the genre corpus), with the provenance the build must record for them."""

import os
import re
import shutil
import subprocess
from contextlib import closing
from pathlib import Path
from typing import NamedTuple

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, XSD

from accordkg.api import create_app
from accordkg.errors import InputError
from accordkg.extraction import extract_source
from accordkg.extraction.registry import Registry
from accordkg.extraction.sources import read_source_text
from accordkg.namespaces import AK, DEFAULT_BASE_IRI
from accordkg.pipeline.build import BuildSummary, build, extract_corrected
from accordkg.pipeline.corrections import apply_corrections, read_corrections
from accordkg.pipeline.validation import validate
from accordkg.settings import Settings
from accordkg.sparql.formats import serialize_solutions
from accordkg.sparql.named_queries import named_query, run_named_query
from accordkg.store import Store, open_store
from tests import live
from tests.conftest import INPUTS, TESTS
from tests.graphs import isomorphic
from tests.pipeline.test_validation import _reference
from tests.servers import BIN, free_port, running

CORRECTIONS = Path(__file__).parent / "corrections"
SOURCES = ("baltic-statement", "nrc-astar-mou")
ID = DEFAULT_BASE_IRI
MOU = URIRef(f"{ID}instrument/nrc-astar-mou")
BALTIC = URIRef(f"{ID}instrument/baltic-statement")
README = TESTS.parent / "README.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


class Corpus(NamedTuple):
    """A data directory built from data/ with the two corrected sources added."""

    settings: Settings
    summary: BuildSummary


def _corpus(directory: Path) -> Settings:
    inputs = directory / "inputs"
    shutil.copytree(INPUTS, inputs)
    for name in SOURCES:
        for suffix in (".txt", ".corrections.toml"):
            shutil.copy(CORRECTIONS / f"{name}{suffix}", inputs / "sources")
    return Settings(data_dir=directory / "var", input_dir=inputs)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    settings = _corpus(tmp_path_factory.mktemp("corrected"))
    return Corpus(settings, build(settings, strict=True))


@pytest.fixture
def copied(corpus: Corpus, tmp_path: Path) -> Settings:
    """The built corpus copied, for a test that changes its inputs and builds again."""
    root = corpus.settings.data_dir.parent
    shutil.copytree(root, tmp_path / "copy")
    return corpus.settings.model_copy(
        update={"data_dir": tmp_path / "copy" / "var", "input_dir": tmp_path / "copy" / "inputs"}
    )


def _corrections_csv(store: Store) -> str:
    solutions = run_named_query(store, named_query("corrections"), {}, ID)
    return serialize_solutions(solutions, "csv").decode("utf-8").replace("\r\n", "\n")


def _graph(store: Store, name: str) -> Graph:
    return store.construct(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{ID}graph/{name}> {{ ?s ?p ?o }} }}"
    )


def test_every_correction_is_recorded_as_provenance(corpus: Corpus) -> None:
    with closing(open_store(corpus.settings)) as store:
        found = _corrections_csv(store)
    assert found == (CORRECTIONS / "corrections.expected.csv").read_text("utf-8")


def test_the_corrected_facts_are_the_graph_s(corpus: Corpus) -> None:
    with closing(open_store(corpus.settings)) as store:
        mou, baltic = _graph(store, "nrc-astar-mou"), _graph(store, "baltic-statement")
        union = store.construct("CONSTRUCT WHERE { ?s ?p ?o }")
    signature = URIRef(f"{ID}signature/nrc-astar-mou-2")
    assert set(mou.objects(signature, AK.officeTitle)) == {
        Literal("Executive Director, Institute of High Performance Computing")
    }
    assert (signature, AK.evidence, URIRef(f"{ID}evidence/nrc-astar-mou-signature-2")) in mou
    commitment = URIRef(f"{ID}commitment/nrc-astar-mou-4")
    assert set(mou.objects(commitment, AK.modality)) == {AK.intention}
    assert (commitment, AK.evidence, URIRef(f"{ID}evidence/nrc-astar-mou-commitment-4")) in mou
    assert str(mou.value(MOU, RDFS.label)).startswith("Memorandum of Understanding between")
    assert set(mou.objects(MOU, AK.dateSigned)) == {Literal("2023-11-22", datatype=XSD.date)}
    assert set(mou.objects(MOU, AK.date)) == {Literal("2023-11-22", datatype=XSD.date)}
    singapore = URIRef(f"{ID}state/singapore")
    assert (MOU, AK.party, singapore) in mou
    assert {AK.State, AK.Party} <= set(union.objects(singapore, RDF.type))
    assert union.value(singapore, RDFS.label) == Literal("Singapore", lang="en")
    assert {str(v) for v in mou.objects(MOU, DCTERMS.language)} == {"en", "fr"}
    latvia = URIRef(f"{ID}state/latvia")
    assert not set(baltic.predicates(BALTIC, latvia))  # ak:party and ak:issuedBy
    assert not set(baltic.predicate_objects(latvia))  # no longer described there
    types = set(baltic.objects(BALTIC, RDF.type))
    assert {AK.Declaration, AK.Instrument} <= types
    assert AK.JointStatement not in types
    assert set(baltic.objects(BALTIC, AK.legalForce)) == {AK.binding}
    assert set(baltic.objects(BALTIC, AK.legalForceBasis)) == {AK.correctedByCurator}
    assert not set(baltic.objects(BALTIC, AK.legalForceEvidence))
    assert not set(baltic.predicate_objects(URIRef(f"{ID}evidence/baltic-statement-legal-force")))
    assert set(baltic.objects(BALTIC, AK.placeOfSigning)) == {URIRef(f"{ID}place/tallinn")}


def test_a_correction_already_read_so_warns(corpus: Corpus) -> None:
    source = str(corpus.settings.sources_dir / "nrc-astar-mou.txt")
    assert (
        "nrc-astar-mou.corrections.toml: correction 6: already read so ('2'); the correction can go"
    ) in corpus.summary.warnings[source]


@pytest.mark.slow
def test_the_corrected_graphs_conform_as_pyshacl_reads_the_shapes(corpus: Corpus) -> None:
    registry = Registry.load(corpus.settings.input_dir, ID)
    with closing(open_store(corpus.settings)) as store:
        for name in SOURCES:
            assert _reference(_graph(store, name) + registry.graph) == set(), name


def test_an_unchanged_rebuild_keeps_the_corrected_graphs(corpus: Corpus) -> None:
    summary = build(corpus.settings)
    assert (summary.reused, summary.failures) == (3, {})
    assert summary == corpus.summary
    with closing(open_store(corpus.settings)) as store:
        assert _corrections_csv(store) == (CORRECTIONS / "corrections.expected.csv").read_text()


@pytest.mark.parametrize(
    ("edit", "failure"),
    [
        (
            ("nrc-astar-mou.txt", "Canadian and Singaporean research", "Canadian research"),
            "nrc-astar-mou.corrections.toml: correction 4: the text no longer has "
            "'Canadian and Singaporean research'",
        ),
        (
            ("nrc-astar-mou.corrections.toml", "value = 2\n", "value = 2.5\n"),
            "nrc-astar-mou.corrections.toml: correction 6: 2.5 is not a value (a string, a "
            "number or a date)",
        ),
    ],
    ids=["stale", "malformed"],
)
def test_a_failing_correction_fails_its_document_alone(
    copied: Settings, edit: tuple[str, str, str], failure: str
) -> None:
    name, old, new = edit
    changed = copied.sources_dir / name
    changed.write_text(changed.read_text("utf-8").replace(old, new), "utf-8")
    with closing(open_store(copied)) as store:
        before = _graph(store, "nrc-astar-mou")
    source = str(copied.sources_dir / "nrc-astar-mou.txt")
    summary = build(copied)
    assert summary.failures == {source: f"{copied.sources_dir}/{failure}"}
    assert summary.documents == 2  # the seed and the Baltic statement, built
    with closing(open_store(copied)) as store:
        assert isomorphic(_graph(store, "nrc-astar-mou"), before)  # its previous graph
        assert len(_graph(store, "baltic-statement")) > 0
    with pytest.raises(InputError, match="correction"):
        build(copied, strict=True)


def test_corrections_beside_no_source_are_warned_about(copied: Settings) -> None:
    """A source renamed away from its corrections: the build says they went unapplied."""
    source = copied.sources_dir / "nrc-astar-mou.txt"
    source.rename(source.with_name("nrc-astar-mou-2019.txt"))
    summary = build(copied)
    orphan = str(copied.sources_dir / "nrc-astar-mou.corrections.toml")
    assert summary.warnings[orphan] == (
        "beside no source (NAME.txt, .html or .pdf): nothing applied",
    )
    assert summary.failures == {}


def _described(turtle: str) -> Graph:
    return Graph().parse(data=turtle, format="turtle")


def test_corrections_and_what_they_changed_resolve_as_linked_data(
    corpus: Corpus, copied: Settings
) -> None:
    settings = copied.model_copy(update={"query_workers": 1})
    with TestClient(create_app(settings)) as client:
        moved = client.get(
            "/id/correction/nrc-astar-mou-2",
            headers={"accept": "text/turtle"},
            follow_redirects=False,
        )
        assert (moved.status_code, moved.headers["location"]) == (
            303,
            "/doc/correction/nrc-astar-mou-2.ttl",
        )
        correction = _described(client.get(moved.headers["location"]).text)
        iri = URIRef(f"{ID}correction/nrc-astar-mou-2")
        signature = URIRef(f"{ID}signature/nrc-astar-mou-2")
        assert correction.value(iri, AK.correctedResource) == signature
        assert str(correction.value(iri, AK.reason)).startswith("The institute is part")
        curator = correction.value(iri, PROV.wasAttributedTo)
        assert curator == URIRef(f"{ID}curator/ann-curator")
        described = _described(client.get("/doc/signature/nrc-astar-mou-2.ttl").text)
        assert (iri, AK.correctedResource, signature) in described  # the link coming in
        assert (signature, AK.evidence, None) in described
        person = _described(client.get("/doc/curator/ann-curator.ttl").text)
        assert person.value(curator, FOAF.name) == Literal("Ann Curator")
        page = client.get("/doc/state/singapore.html")
        assert page.status_code == 200
        assert "Singapore" in page.text


@pytest.mark.slow
def test_a_correction_resolves_over_http(corpus: Corpus, copied: Settings) -> None:
    port = free_port()
    environment = {**os.environ, "ACCORDKG_DATA_DIR": str(copied.data_dir)}
    url = f"http://127.0.0.1:{port}"
    command = [str(BIN / "accordkg"), "serve", "--port", str(port)]
    with running(command, f"{url}/health", environment):
        response = live.get(
            f"{url}/id/correction/baltic-statement-3",
            headers={"accept": "text/turtle"},
            follow_redirects=True,
        )
    assert response.status_code == 200
    correction = _described(response.text)
    iri = URIRef(f"{ID}correction/baltic-statement-3")
    assert set(correction.objects(iri, AK.assertedValue)) == {AK.binding}
    assert set(correction.objects(iri, AK.retractedValue)) == {AK.nonBinding}


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load(INPUTS, ID)


def _corrected(tmp_path: Path, registry: Registry, name: str, corrections: str) -> Graph:
    source = tmp_path / f"{name}.txt"
    shutil.copy(CORRECTIONS / f"{name}.txt", source)
    (tmp_path / f"{name}.corrections.toml").write_text(
        'curator = "Ann Curator"\ndate = 2026-12-02\n' + corrections, "utf-8"
    )
    return extract_corrected(read_source_text(source, 1_000_000), registry, ID).graph


@pytest.mark.parametrize(
    ("correction", "found"),
    [
        (
            'set = "title"\nwas = "A Memorandum"\nvalue = "B"',
            "title was to read 'A Memorandum', found 'MEMORANDUM OF UNDERSTANDING BETWEEN THE "
            "NATIONAL RESEARCH COUNCIL OF CANADA AND THE AGENCY FOR SCIENCE, TECHNOLOGY AND "
            "RESEARCH CONCERNING COOPERATION IN ARTIFICIAL INTELLIGENCE FOR ADVANCED "
            "MANUFACTURING'",
        ),
        (
            'set = "date-signed"\nwas = "2023-11"\nvalue = 2023-11-22',
            "date-signed was to read '2023-11', found '2023-11-21'",
        ),
        (
            'set = "form"\nwas = "declaration"\nvalue = "agreement"',
            "form was to read 'declaration', found 'memorandum-of-understanding'",
        ),
        (
            'set = "place"\nwas = "Ottawa"\nvalue = "Singapore City"',
            "place was to read Ottawa, found Singapore",
        ),
        (
            'office = 2\nwas = "Director"\nvalue = "President"',
            "the office of signature 2 (Lim Wei Jie) was to read 'Director', found 'Executive "
            "Director'",
        ),
        ('office = 3\nvalue = "President"', "no signature 3; the text has 2"),
        (
            'signatory = "Mireille Drummond"\nvalue = "President"',
            "no signature by 'Mireille Drummond'; the signatories: Mireille Ouellet-Drummond; "
            "Lim Wei Jie",
        ),
        (
            'modality = 4\nquote = "joint workshops"\nvalue = "intention"',
            "commitment 4 no longer has 'joint workshops': it reads 'joint research projects;'",
        ),
        (
            'modality = 4\nquote = "joint research"\nwas = "obligation"\nvalue = "intention"',
            "commitment 4 was to read 'obligation', found permission",
        ),
        (
            'modality = 40\nquote = "joint"\nvalue = "intention"',
            "no commitment 40; the text has 16",
        ),
        (
            'remove = "party"\nvalue = "Latvia"',
            "no party 'Latvia'; the parties: Agency for Science, Technology and Research; "
            "National Research Council of Canada",
        ),
        (
            'remove = "party"\nvalue = "National Research Council of Canada"',
            "party 'National Research Council of Canada' signs signature 1 (Mireille "
            "Ouellet-Drummond): a party with a signature stays",
        ),
        (
            'add = "party"\nvalue = "Japan"\nquote = "the Government of Japan"',
            "the text no longer has 'the Government of Japan'",
        ),
    ],
    ids=[
        "title-was",
        "date-was",
        "form-was",
        "place-was",
        "office-was",
        "no-signature",
        "no-signatory",
        "quote-gone",
        "modality-was",
        "no-commitment",
        "not-a-party",
        "party-signs",
        "add-quote-gone",
    ],
)
def test_a_stale_correction_says_what_it_found(
    tmp_path: Path, registry: Registry, correction: str, found: str
) -> None:
    with pytest.raises(InputError) as caught:
        _corrected(
            tmp_path, registry, "nrc-astar-mou", f"[[correction]]\n{correction}\nreason = 'r'\n"
        )
    assert str(caught.value) == f"{tmp_path}/nrc-astar-mou.corrections.toml: correction 1: {found}"


def test_removing_all_but_one_party_makes_the_instrument_unilateral(
    tmp_path: Path, registry: Registry
) -> None:
    removals = "".join(
        f'[[correction]]\nremove = "party"\nvalue = "{name}"\nreason = "r"\n'
        for name in ("Latvia", "Lithuania")
    )
    graph = _corrected(tmp_path, registry, "baltic-statement", removals)
    assert (BALTIC, RDF.type, AK.UnilateralInstrument) in graph
    validate(graph + registry.graph)
    added = _corrected(
        tmp_path,
        registry,
        "baltic-statement",
        removals
        + '[[correction]]\nadd = "party"\nvalue = "Latvia"\nquote = "Latvia"\nreason = "r"\n',
    )
    assert (BALTIC, RDF.type, AK.UnilateralInstrument) not in added
    assert (BALTIC, AK.party, URIRef(f"{ID}state/latvia")) in added


def test_without_a_corrections_file_the_document_is_the_extracted_one(registry: Registry) -> None:
    source = read_source_text(CORRECTIONS / "baltic-statement.txt", 1_000_000)
    document = extract_source(source, registry, ID)
    moved = source.__class__(**{**source.__dict__, "path": Path("/nonexistent/baltic.txt")})
    assert apply_corrections(document, moved, registry, ID) is document


HEAD = 'curator = "A"\ndate = 2026-12-02\n[[correction]]\n'
NO_DATE = "correction 1: needs a date (YYYY-MM-DD, unquoted), its own or the file's"
KIND_KEYS = "set, add, remove, office, signatory, modality"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "curator = [",
            "not a valid TOML corrections file: ",
        ),
        (
            'curator = "A"\nauthor = "B"\n',
            "unknown keys ['author']; known: ['correction', 'curator', 'date']",
        ),
        (
            'curator = "A"\n',
            "no corrections: write each as a [[correction]] table",
        ),
        (
            '[[correction]]\nset = "title"\nvalue = "T"\ndate = 2026-12-02\nreason = "r"',
            "correction 1: needs a curator",
        ),
        (
            '[[correction]]\nset = "title"\nvalue = "T"\ncurator = "A"\ndate = 2026-12-02',
            "correction 1: needs a reason",
        ),
        (
            HEAD + 'set = "title"\nvalue = "T"\nreason = " "',
            "correction 1: the reason must be a non-empty string",
        ),
        (
            '[[correction]]\nset = "title"\nvalue = "T"\ncurator = "A"\nreason = "r"',
            NO_DATE,
        ),
        (
            'date = "2026-12-02"\n[[correction]]\nset = "title"\nvalue = "T"\ncurator = "A"\n'
            'reason = "r"',
            NO_DATE,
        ),
        (
            HEAD + 'set = "title"\nvalu = "T"\nreason = "r"',
            "correction 1: unknown keys ['valu'] for set; known: "
            "['curator', 'date', 'reason', 'set', 'value', 'was']",
        ),
        (
            HEAD + 'reason = "r"\nvalue = "T"',
            f"correction 1: needs exactly one of {KIND_KEYS} (found none)",
        ),
        (
            HEAD + 'set = "title"\noffice = 1\nreason = "r"\nvalue = "T"',
            f"correction 1: needs exactly one of {KIND_KEYS} (found ['office', 'set'])",
        ),
        (
            HEAD + 'set = "colour"\nvalue = "red"\nreason = "r"',
            "correction 1: set 'colour': not a fact a correction sets; known: title, "
            "date-signed, place, legal-force, form, language, number-of-originals",
        ),
        (
            HEAD + 'set = "legal-force"\nvalue = "sort-of"\nreason = "r"',
            "correction 1: legal-force 'sort-of': not one of binding, non-binding",
        ),
        (
            HEAD + 'set = "form"\nvalue = "treaty"\nreason = "r"',
            "correction 1: form 'treaty': not one of declaration, joint-statement, "
            "memorandum-of-understanding, agreement",
        ),
        (
            HEAD + 'set = "date-signed"\nvalue = "12 May 2020"\nreason = "r"',
            "correction 1: date-signed '12 May 2020': a date (YYYY-MM-DD, unquoted), or a "
            "YYYY-MM or YYYY",
        ),
        (
            HEAD + 'set = "language"\nvalue = "eng"\nreason = "r"',
            "correction 1: language 'eng': an ISO 639-1 code such as \"en\"",
        ),
        (
            HEAD + 'set = "number-of-originals"\nvalue = 0\nreason = "r"',
            "correction 1: number-of-originals 0: a whole number, 1 or more",
        ),
        (
            HEAD + 'set = "title"\nvalue = ["A", "B"]\nreason = "r"',
            "correction 1: title takes one value, not a list",
        ),
        (
            HEAD + 'add = "signature"\nvalue = "X"\nreason = "r"',
            "correction 1: add 'signature': only \"party\" can be added",
        ),
        (
            HEAD + 'add = "party"\nvalue = "Japan"\nreason = "r"',
            "correction 1: needs a quote: words of the text that show it",
        ),
        (
            HEAD + 'office = 0\nvalue = "President"\nreason = "r"',
            "correction 1: office must be the number of a signature (1, 2, ...)",
        ),
        (
            HEAD + 'modality = 2\nquote = "q"\nvalue = "wish"\nreason = "r"',
            "correction 1: 'wish' is not a modality; known: endeavour, intention, obligation, "
            "permission, recommendation, undertaking",
        ),
        (
            HEAD
            + 'set = "title"\nvalue = "T"\nreason = "r"\n'
            + '[[correction]]\nremove = "party"\nreason = "r"',
            "correction 2: needs a value",
        ),
    ],
    ids=[
        "toml",
        "file-key",
        "no-corrections",
        "no-curator",
        "no-reason",
        "blank-reason",
        "no-date",
        "quoted-date",
        "unknown-key",
        "no-kind",
        "two-kinds",
        "unknown-fact",
        "unknown-legal-force",
        "unknown-form",
        "bad-date",
        "bad-language",
        "no-originals",
        "list",
        "add-what",
        "no-quote",
        "office-zero",
        "unknown-modality",
        "second",
    ],
)
def test_a_malformed_corrections_file_is_one_line(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "x.corrections.toml"
    path.write_text(content, "utf-8")
    with pytest.raises(InputError) as caught:
        read_corrections(path)
    assert str(caught.value).startswith(f"{path}: {message}")
    assert "\n" not in str(caught.value)


@pytest.mark.slow
def test_the_readme_example_works_as_printed(tmp_path: Path) -> None:
    """The shell blocks of README's "Correcting what was read", run as a reader would
    (from the repository, on a copy of data/ elsewhere), print what its output blocks say."""
    text = README.read_text("utf-8")
    start = text.index("### Correcting what was read\n")
    blocks = FENCE.findall(text[start : text.index("\n## ", start)])
    here = str(tmp_path / "fix")
    script = "\n".join(body for kind, body in blocks if kind == "sh")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ACCORDKG_")}
    result = subprocess.run(
        ["bash", "-c", script.replace("/tmp/accordkg-fix", here)],
        check=False,
        cwd=README.parent,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = {line.rstrip() for line in (result.stdout + result.stderr).splitlines()}
    printed = [body.replace("/tmp/accordkg-fix", here) for kind, body in blocks if not kind]
    assert len(printed) == 3
    for line in (line.rstrip() for body in printed for line in body.splitlines()):
        assert line in output, result.stdout + result.stderr
    assert not (tmp_path / "fix").exists()  # and it cleans up after itself
