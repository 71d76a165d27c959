"""Extraction benchmark: the seed stage by stage, the genre corpus, and generated variants.

Run with `make bench-extraction` (or `.venv/bin/python bench/extraction.py`). Prints a
Markdown report; `--write` appends it to bench/RESULTS.md. Besides extraction it measures
the ways of validating the same batch (pySHACL per document and once over the batch, and
the compiled validator), and `accordkg build` itself on the generated corpus, each build a
process of its own: cold, then after changing one document, with the peak memory.
The variants are generated deterministically (fixed seed) in a temporary directory, in
three shapes of the genre:
declarations and joint statements with 2-4 parties, 0-6 recitals, numbered, lettered or
plain items, several date styles and signature blocks with and without honorifics;
agency MoUs with numbered articles, a statement of legal status and signature blocks
side by side; summit declarations in the first person endorsed by a list of states.
"""

import argparse
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyshacl
from rdflib import Graph

from accordkg.extraction import ExtractedDocument, extract_file, with_supertypes
from accordkg.extraction.clean import clean, read_source
from accordkg.extraction.facts import extract
from accordkg.extraction.rdf import Source, to_rdf
from accordkg.extraction.registry import Registry
from accordkg.extraction.segment import segment
from accordkg.namespaces import AK, DEFAULT_BASE_IRI
from accordkg.pipeline.build import freezing
from accordkg.pipeline.validation import validate, violations
from accordkg.resources import ontology_graph, shapes_graph

ROOT = Path(__file__).resolve().parent.parent
GENRE = ROOT / "tests" / "extraction" / "genre"
sys.path.insert(0, str(ROOT))  # the genre corpus is compared as its test compares it
from tests.extraction.test_genre import compared  # noqa: E402

SEED = ROOT / "data" / "sources" / "us-uk-ai-research-declaration-2020.txt"
MAX_BYTES = 5_000_000

STATES = [
    "Ruritania",
    "Freedonia",
    "Sylvania",
    "Grand Fenwick",
    "Latveria",
    "Genovia",
    "Elbonia",
    "Zubrowka",
    "Kerplakistan",
    "Orsinia",
    "Moldavia",
    "Carpania",
]
FORMS = ["Joint Statement", "Declaration", "Joint Declaration"]
TOPICS = [
    "Artificial Intelligence Research",
    "Quantum Information Science",
    "Trustworthy AI",
    "Open Science and Data Sharing",
    "AI Safety Evaluation",
]
RECITAL_VERBS = [
    "Recognizing",
    "Affirming",
    "Noting",
    "Acknowledging",
    "Welcoming",
    "Desiring",
    "Reaffirming",
    "Mindful of",
]
LEAD_INS = [
    "The participants intend to:",
    "The Participants will:",
    "Building on our long friendship, we intend to advance our shared vision by:",
    "The Parties have decided to:",
]
ITEMS = [
    "exchange information on research priorities in intelligent systems",
    "support joint research projects and researcher exchanges",
    "promote public-private partnerships in applied research",
    "share best practice on public data sets",
    "coordinate funding for interdisciplinary research",
    "develop the workforce through apprenticeships and reskilling programs",
]
MONTHS = ["January", "March", "May", "July", "September", "November"]
OFFICES = [
    "Minister of Science",
    "Secretary of State for Research",
    "Director General",
    "Minister of Foreign Affairs",
]
PEOPLE = ["Anna Kovac", "Pierre Laval", "Maria Lopez", "Jana Novak", "Lin Wei", "Omar Haddad"]


AGENCIES = [
    ("National Research Council of Ruritania", "NRCR"),
    ("Freedonian Space Agency", "FSA"),
    ("Sylvanian Institute for Advanced Computing", "SIAC"),
    ("Latverian Science Foundation", "LSF"),
    ("Genovian Academy of Sciences", "GAS"),
]
ARTICLE_HEADINGS = ["Purpose", "Areas of Cooperation", "Forms of Cooperation", "Funding"]
ENDORSERS = [
    "Australia", "Brazil", "Canada", "Chile", "France", "Germany", "India", "Japan", "Kenya",
    "the Republic of Korea", "New Zealand", "Singapore", "South Africa", "Spain",
    "the United Kingdom", "the United States of America",
]  # fmt: skip
SUMMIT_VERBS = ["will", "resolve to", "commit to", "will work towards", "intend to"]


@dataclass(frozen=True)
class Variant:
    """A generated document and what a correct extraction finds in it."""

    path: Path
    parties: int
    recitals: int
    commitments: int
    signatures: int
    date: str
    legal_force: str


def generate(count: int, directory: Path) -> list[Variant]:
    """`count` variant documents, the same ones on every run, in turn of each shape."""
    rng = random.Random(2020)
    shapes = [_declaration, _agency_mou, _summit_declaration]
    variants = []
    for number in range(count):
        lines, variant = shapes[number % len(shapes)](rng)
        path = directory / f"variant-{number:04d}.txt"
        path.write_text("\n".join(lines), "utf-8")
        variants.append(Variant(path, *variant))
    return variants


def _date(rng: random.Random) -> tuple[str, str]:
    day, month, year = rng.randint(1, 28), rng.choice(MONTHS), rng.randint(2015, 2025)
    printed = rng.choice([f"{month} {day}, {year}", f"{day} {month} {year}"])
    return printed, f"{year}-{MONTHS.index(month) * 2 + 1:02d}-{day:02d}"


def _declaration(rng: random.Random) -> tuple[list[str], tuple[int, int, int, int, str, str]]:
    parties = [f"the Republic of {s}" for s in rng.sample(STATES, rng.randint(2, 4))]
    party_list = ", ".join(parties[:-1]) + " and " + parties[-1]
    lines = [f"{rng.choice(FORMS)} of {party_list} on {rng.choice(TOPICS)}", ""]
    recitals = rng.sample(RECITAL_VERBS, rng.randint(0, 6))
    for verb in recitals:
        lines += [f"{verb} the importance of cooperation in {rng.choice(TOPICS)};", ""]
    lines += [rng.choice(LEAD_INS), ""]
    style = rng.choice(["numbered", "lettered", "plain"])
    chosen = rng.sample(ITEMS, rng.randint(2, 6))
    for index, item in enumerate(chosen):
        marker = {"numbered": f"{index + 1}. ", "lettered": f"({'abcdef'[index]}) "}.get(style, "")
        end = "." if index == len(chosen) - 1 else (";" if index < len(chosen) - 2 else "; and")
        lines += [f"{marker}{item.capitalize() if not marker else item}{end}", ""]
    closing = rng.random() < 0.5
    if closing:
        lines += ["We intend to establish a joint working group on research cooperation.", ""]
    printed, iso = _date(rng)
    place = rng.choice(["Geneva", "Zenda", "Ottawa", "Vienna"])
    verb = rng.choice(["Signed in", "Done at"])
    lines += [
        f"{verb} {place} on {printed}, in {len(parties)} originals, in the English language.",
        "",
    ]
    for party in parties:
        honorific = rng.choice(["", "The Honorable ", "Dr. ", "His Excellency "])
        lines += [f"For {party}:", "", f"{honorific}{rng.choice(PEOPLE)}", rng.choice(OFFICES), ""]
    counts = (len(parties), len(recitals), len(chosen) + closing, len(parties))
    return lines, (*counts, iso, "nonBinding")


def _agency_mou(rng: random.Random) -> tuple[list[str], tuple[int, int, int, int, str, str]]:
    (first, first_short), (second, second_short) = rng.sample(AGENCIES, 2)
    lines = [
        "MEMORANDUM OF UNDERSTANDING", "", "BETWEEN", "", f"THE {first.upper()}", "", "AND", "",
        f"THE {second.upper()}", "", f"ON {rng.choice(TOPICS).upper()}", "",
        f'The {first} (hereinafter "{first_short}") and the {second} (hereinafter '
        f'"{second_short}"), hereinafter referred to as "the Participants",', "",
    ]  # fmt: skip
    recitals = rng.sample(RECITAL_VERBS, rng.randint(1, 4))
    for verb in recitals:
        lines += [f"{verb} the importance of cooperation in {rng.choice(TOPICS)};", ""]
    lines += ["Have reached the following understanding:", ""]
    commitments = 0
    for number, heading in enumerate(rng.sample(ARTICLE_HEADINGS, rng.randint(2, 4)), start=1):
        lines += [f"Article {number}", heading, ""]
        for paragraph, item in enumerate(rng.sample(ITEMS, rng.randint(1, 3)), start=1):
            lines += [
                f"{paragraph}. The Participants {rng.choice(['will', 'intend to'])} {item}.",
                "",
            ]
            commitments += 1
    lines += [
        f"Article {number + 1}", "Legal Status", "",
        "This Memorandum is not intended to create legally binding obligations.", "",
    ]  # fmt: skip
    printed, iso = _date(rng)
    lines += [f"Signed in duplicate at Zenda on {printed}, in the English language.", "", ""]
    lines += [f"{'FOR ' + first_short:<40}FOR {second_short}", ""]
    names = rng.sample(PEOPLE, 2)
    lines += [f"{names[0]:<40}{names[1]}", f"{'President':<40}Director General", ""]
    return lines, (2, len(recitals), commitments, 2, iso, "nonBinding")


def _summit_declaration(
    rng: random.Random,
) -> tuple[list[str], tuple[int, int, int, int, str, str]]:
    city = rng.choice(["Geneva", "Zenda", "Ottawa", "Vienna"])
    printed, iso = _date(rng)
    lines = [
        f"{city} Declaration on {rng.choice(TOPICS)}", "", printed, "",
        f"We, the Leaders of the countries listed below, meeting in {city}, declare the following.",
        "",
    ]  # fmt: skip
    recitals = rng.randint(1, 3)
    for _ in range(recitals):
        lines += [f"We recognise the importance of cooperation in {rng.choice(TOPICS)}.", ""]
    chosen = rng.sample(ITEMS, rng.randint(2, 6))
    for number, item in enumerate(chosen, start=1):
        lines += [f"{number}. We {rng.choice(SUMMIT_VERBS)} {item}.", ""]
    endorsers = rng.sample(ENDORSERS, rng.randint(3, 12))
    lines += ["Endorsed by: " + ", ".join(endorsers[:-1]) + " and " + endorsers[-1] + ".", ""]
    return lines, (len(endorsers), recitals, len(chosen), 0, iso, "nonBinding")


def correct(document: ExtractedDocument, variant: Variant) -> bool:
    """Whether the extraction found every party, recital, commitment and signature, the
    date and the legal force, and nothing more."""
    graph = document.graph
    (instrument,) = set(graph.subjects(AK.source, None))
    return (
        len(set(graph.objects(instrument, AK.party))) == variant.parties
        and len(set(graph.objects(instrument, AK.recital))) == variant.recitals
        and len(set(graph.objects(instrument, AK.commitment))) == variant.commitments
        and len(set(graph.objects(instrument, AK.signature))) == variant.signatures
        and str(graph.value(instrument, AK.date)) == variant.date
        and graph.value(instrument, AK.legalForce) == AK[variant.legal_force]
    )


def median_seconds(run: Callable[[], object], repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def seed_stages(registry: Registry, repeat: int) -> list[tuple[str, float]]:
    """Median time of each stage on the seed, run in isolation."""
    raw = read_source(SEED, MAX_BYTES)
    document = clean(raw)
    segments = segment(document)
    facts = extract(segments, str(SEED))
    source = Source("seed", SEED.name, raw, "0" * 64, None, "bench", ())
    graph = to_rdf(facts, source, registry, DEFAULT_BASE_IRI)
    turtle = graph.serialize(format="turtle")
    validate(graph + registry.graph)  # warm the parsed shapes and ontology
    return [
        ("read", median_seconds(lambda: read_source(SEED, MAX_BYTES), repeat)),
        ("clean", median_seconds(lambda: clean(raw), repeat)),
        ("segment", median_seconds(lambda: segment(document), repeat)),
        ("extract facts", median_seconds(lambda: extract(segments, str(SEED)), repeat)),
        (
            "RDF",
            median_seconds(
                lambda: with_supertypes(to_rdf(facts, source, registry, DEFAULT_BASE_IRI)), repeat
            ),
        ),
        (
            "all of the above (extract_file)",
            median_seconds(
                lambda: extract_file(SEED, registry, DEFAULT_BASE_IRI, MAX_BYTES), repeat
            ),
        ),
        ("SHACL validation", median_seconds(lambda: validate(graph + registry.graph), 5)),
        (
            "rdflib: parse the result as Turtle (reference)",
            median_seconds(lambda: Graph().parse(data=turtle, format="turtle"), repeat),
        ),
    ]


def corpus(registry: Registry, count: int, validated: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="accordkg-bench-") as tmp:
        variants = generate(count, Path(tmp))
        start = time.perf_counter()
        documents = [  # kept, as a build keeps them
            extract_file(v.path, registry, DEFAULT_BASE_IRI, MAX_BYTES) for v in freezing(variants)
        ]
        elapsed = time.perf_counter() - start
        warned = sum(1 for d in documents if d.warnings)
        right = sum(1 for d, v in zip(documents, variants, strict=True) if correct(d, v))
        without_preamble = sum(1 for v in variants if v.recitals == 0)
        triples = sum(len(d.graph) for d in documents)
        options = validators(registry, documents, validated)
    return {
        "documents": count,
        "seconds": elapsed,
        "per_second": count / elapsed,
        "warned": warned,
        "triples": triples,
        "validators": options,
        "correct": right,
        "without_preamble": without_preamble,
    }


def validators(
    registry: Registry, documents: list[ExtractedDocument], count: int
) -> list[tuple[str, float]]:
    """Milliseconds per document of each way of validating the first `count` documents
    (and the compiled validator on all of them); each must find them all valid."""
    batch = documents[:count]
    shapes, ontology = shapes_graph(), ontology_graph()

    def pyshacl_on(data: Graph) -> None:
        conforms, _, _ = pyshacl.validate(
            data, shacl_graph=shapes, ont_graph=ontology, inference="rdfs", allow_warnings=True
        )
        assert conforms

    def pyshacl_once() -> None:
        union = Graph()
        for document in batch:
            union += document.graph
        pyshacl_on(union + registry.graph)

    def compiled(chosen: list[ExtractedDocument]) -> None:
        found = violations({n: d.graph for n, d in enumerate(chosen)}, registry.graph)
        assert not any(found.values())

    def pyshacl_each() -> None:
        for document in batch:
            pyshacl_on(document.graph + registry.graph)

    runs = [
        (f"pySHACL, one call per document ({count})", pyshacl_each, count),
        (f"pySHACL, one call over the batch ({count})", pyshacl_once, count),
        (f"compiled SPARQL on Oxigraph, the batch ({count})", lambda: compiled(batch), count),
        (
            f"compiled SPARQL on Oxigraph, the batch ({len(documents)})",
            lambda: compiled(documents),
            len(documents),
        ),
    ]
    return [(name, median_seconds(run, 1) * 1000 / n) for name, run, n in runs]


def builds(count: int) -> dict[str, float]:
    """`accordkg build` on the seed's inputs plus `count` generated documents: a cold
    build, then one after a single source changed; each a process of its own, timed
    from start to exit, and the largest resident size any of them reached."""
    command = Path(sys.executable).parent / "accordkg"
    with tempfile.TemporaryDirectory(prefix="accordkg-bench-") as tmp:
        inputs = Path(tmp) / "data"
        shutil.copytree(ROOT / "data", inputs)
        generate(count, inputs / "sources")
        environment = {**os.environ, "ACCORDKG_INPUT_DIR": str(inputs)}

        def run(subcommand: str) -> tuple[float, str]:
            start = time.perf_counter()
            done = subprocess.run(
                [command, subcommand, "--data-dir", str(Path(tmp) / "var")],
                env=environment, capture_output=True, text=True, check=True,
            )  # fmt: skip
            return time.perf_counter() - start, done.stdout

        cold, _ = run("build")
        changed = inputs / "sources" / "variant-0000.txt"
        changed.write_text(changed.read_text("utf-8") + "\n", "utf-8")
        rebuild, output = run("build")
        dumps, _ = run("dump")  # what the server writes when first asked, timed alone
    unchanged = re.search(r"(\d+) unchanged", output)
    return {
        "documents": count + 1,
        "cold": cold,
        "rebuild": rebuild,
        "dumps": dumps,
        "unchanged": int(unchanged.group(1)) if unchanged else -1,
        "peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def load_line() -> str:
    """How busy the shared machine was, as `uptime` says."""
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


def genre(registry: Registry) -> dict[str, float]:
    """The genre corpus: speed with and without validation, and readings exactly right."""
    paths = sorted(GENRE.glob("*.txt"))
    start = time.perf_counter()
    documents = [extract_file(p, registry, DEFAULT_BASE_IRI, MAX_BYTES) for p in freezing(paths)]
    extracted = time.perf_counter() - start
    start = time.perf_counter()
    for document in documents:
        validate(document.graph + registry.graph)
    validated = time.perf_counter() - start
    exact = 0
    for path, document in zip(paths, documents, strict=True):
        expected = json.loads(path.with_suffix(".expected.json").read_text("utf-8"))
        found, wanted = compared(document, registry, expected)
        exact += found == wanted
    return {
        "documents": len(paths),
        "per_second": len(paths) / extracted,
        "with_validation": len(paths) / (extracted + validated),
        "exact": exact,
    }


def report(count: int, repeat: int, validated: int) -> str:
    registry = Registry.load(ROOT / "data", DEFAULT_BASE_IRI)
    stages = seed_stages(registry, repeat)
    total = dict(stages)["all of the above (extract_file)"]
    reference = dict(stages)["rdflib: parse the result as Turtle (reference)"]
    load_before = load_line()
    built = builds(count)
    run = corpus(registry, count, validated)
    shapes = genre(registry)
    rows = "\n".join(f"| {name} | {seconds * 1000:.2f} |" for name, seconds in stages)
    options = "\n".join(f"| {name} | {ms:.1f} |" for name, ms in run["validators"])
    return f"""
## Extraction — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC

Command: `make bench-extraction` (`python bench/extraction.py --count {count} --repeat {repeat}`)
{machine_line()}
Load (`uptime`) before: {load_before}; after: {load_line()}.

`accordkg build` of the seed's inputs plus {count} generated documents ({built["documents"]}),
validation included, each a process of its own: cold **{built["cold"]:.1f} s**;
after changing one document **{built["rebuild"]:.1f} s** ({built["unchanged"]} kept
unchanged, one extracted and validated); peak resident memory of a build
**{built["peak_mib"]:.0f} MiB** (ru_maxrss of the build processes). Writing the dumps of
the same store (`accordkg dump`, which the server does when they are first asked for)
takes {built["dumps"]:.1f} s.

Seed document ({SEED.name}), median of {repeat} runs per stage:

| stage | ms |
|---|---|
{rows}

Extracting the seed takes {total / reference:.1f} times as long as rdflib takes to parse the
resulting graph back from Turtle.

Generated corpus: {run["documents"]} documents, {run["triples"]:,} triples, extracted in
{run["seconds"]:.2f} s = **{run["per_second"]:.0f} documents/s** (without validation);
{run["correct"]} of {run["documents"]} with every party, recital, commitment, signature, the
date and the legal force found exactly; {run["warned"]} raised warnings (their fictional
parties are minted with a warning; {run["without_preamble"]} were generated without a
preamble, which is warned about too).

SHACL validation of the same documents, each way, per document (every way finds them
all valid):

| validator | ms per document |
|---|---|
{options}

Genre corpus (tests/extraction/genre/): {shapes["documents"]} instruments of distinct
shapes, **{shapes["exact"]} of {shapes["documents"]} read exactly** as their expected
facts; {shapes["per_second"]:.0f} documents/s extracted, {shapes["with_validation"]:.1f}
documents/s with SHACL validation.
"""


def publish(report_text: str, write: bool) -> None:
    """Print a report; with `write`, also append it to bench/RESULTS.md."""
    sys.stdout.write(report_text)
    if write:
        with (ROOT / "bench" / "RESULTS.md").open("a", encoding="utf-8") as results:
            results.write(report_text)


def machine_line() -> str:
    """The machine a result was measured on, for RESULTS.md."""
    return (
        f"Machine: {_cpu()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()} (shared and noisy: compare ratios)."
    )


def _cpu() -> str:
    """The processor's model name, as Linux reports it."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.machine()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--validated", type=int, default=20)
    parser.add_argument("--write", action="store_true", help="append to bench/RESULTS.md")
    arguments = parser.parse_args()
    publish(report(arguments.count, arguments.repeat, arguments.validated), arguments.write)


if __name__ == "__main__":
    main()
