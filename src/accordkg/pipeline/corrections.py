"""A curator's corrections of what extraction read, kept beside the source and applied by
every build.

`NAME.corrections.toml` beside `NAME.txt` (`.html`, `.pdf`) lists corrections in file
order, each with a reason, a curator and a day (its own or the file's):

- `set = FACT` with `value` (and optionally `was`, what the machine read): an instrument
  fact, one of `FACTS`;
- `add = "party"` with `value` (a name, resolved as extraction resolves party names) and
  `quote` (where the text names it);
- `remove = "party"` with `value` (the party's name as the graph labels it);
- `office = N` (or `signatory = NAME`) with `value` and optionally `was`: the office of
  signature N as printed;
- `modality = N` with `value` (a modality of the ontology), `quote` (words of commitment
  N) and optionally `was`.

Corrections change the document's own graph after extraction and before validation, and
each is recorded there as an `ak:Correction` (see the ontology). One that no longer
matches the text (the source changed) fails the document with one line that says what
it found instead; one the machine now reads itself is a warning, and still recorded.
"""

import datetime
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import BNode, Literal, Namespace, Node, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, XSD

from accordkg.errors import InputError
from accordkg.extraction import ExtractedDocument, ontology_ancestors, with_supertypes
from accordkg.extraction.facts import Party
from accordkg.extraction.gazetteer import find_party
from accordkg.extraction.rdf import GraphWriter
from accordkg.extraction.registry import Registry, name_key, slug
from accordkg.extraction.sources import SourceText
from accordkg.namespaces import AK
from accordkg.resources import CORE_MODULE, ontology_graph, read_text

SUFFIX = ".corrections.toml"
Value = str | int | datetime.date

# The instrument facts a correction may set, by the name a curator writes.
FACTS: dict[str, URIRef] = {
    "title": AK.title,
    "date-signed": AK.dateSigned,
    "place": AK.placeOfSigning,
    "legal-force": AK.legalForce,
    "form": RDF.type,
    "language": DCTERMS.language,
    "number-of-originals": AK.numberOfOriginals,
}
MANY_VALUED = frozenset({"place", "language"})
FORMS = {
    "declaration": AK.Declaration,
    "joint-statement": AK.JointStatement,
    "memorandum-of-understanding": AK.MemorandumOfUnderstanding,
    "agreement": AK.Agreement,
}
LEGAL_FORCES = {"binding": AK.binding, "non-binding": AK.nonBinding}
# What a curator writes for a term, to show a term back in the curator's words.
CURATORS_NAMES: dict[Node, str] = {term: name for name, term in {**FORMS, **LEGAL_FORCES}.items()}
YEAR_MONTH = re.compile(r"^(18|19|20)[0-9]{2}-(0[1-9]|1[0-2])$")
YEAR_VALUE = re.compile(r"^(18|19|20)[0-9]{2}$")
LANGUAGE = re.compile(r"^[a-z]{2}$")

# The key that says what a correction changes, and the keys it may have besides.
KINDS = {
    "set": frozenset({"value", "was"}),
    "add": frozenset({"value", "quote"}),
    "remove": frozenset({"value"}),
    "office": frozenset({"value", "was"}),
    "signatory": frozenset({"value", "was"}),
    "modality": frozenset({"value", "quote", "was"}),
}
ATTRIBUTION = frozenset({"reason", "curator", "date"})
FILE_KEYS = frozenset({"curator", "date", "correction"})
QUOTED_TEXT_CHARS = 60  # characters of a text quoted back in a message


@dataclass(frozen=True)
class Correction:
    """One correction as the curator wrote it, checked."""

    number: int  # 1-based, in file order
    kind: str  # a key of KINDS
    target: Value  # the fact set, "party", the signature's number or signatory, the commitment's
    values: tuple[Value, ...]
    was: tuple[Value, ...] | None
    quote: str | None
    reason: str
    curator: str
    date: datetime.date


@dataclass(frozen=True)
class Change:
    """What a correction does to the graph: statements of one subject and property."""

    subject: URIRef
    property: URIRef
    retracted: tuple[Node, ...]
    asserted: tuple[Node, ...]


def corrections_path(source: Path) -> Path:
    return source.with_suffix(SUFFIX)


def unapplied_corrections(directory: Path, sources: list[Path]) -> list[Path]:
    """The corrections files in `directory` beside no source (renamed or removed), whose
    corrections no build applies."""
    applied = {corrections_path(source) for source in sources}
    return sorted(path for path in directory.glob(f"*{SUFFIX}") if path not in applied)


def read_corrections(path: Path) -> list[Correction]:
    """The corrections in a file, checked; none when there is no file (nothing is read)."""
    if not path.is_file():
        return []
    try:
        content = tomllib.loads(read_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: not a valid TOML corrections file: {exc}") from exc
    unknown = set(content) - FILE_KEYS
    if unknown:
        raise InputError(f"{path}: unknown keys {sorted(unknown)}; known: {sorted(FILE_KEYS)}")
    tables = content.get("correction")
    if not isinstance(tables, list) or not tables or not all(isinstance(t, dict) for t in tables):
        raise InputError(f"{path}: no corrections: write each as a [[correction]] table")
    defaults: dict[str, object] = {k: content[k] for k in ("curator", "date") if k in content}
    return [_correction(path, n, {**defaults, **t}) for n, t in enumerate(tables, start=1)]


def _correction(path: Path, number: int, table: dict[str, object]) -> Correction:
    def fail(message: str) -> InputError:
        return InputError(f"{path}: correction {number}: {message}")

    kinds = sorted(set(table) & set(KINDS))
    if len(kinds) != 1:
        raise fail(f"needs exactly one of {', '.join(KINDS)} (found {kinds or 'none'})")
    (kind,) = kinds
    unknown = set(table) - KINDS[kind] - ATTRIBUTION - {kind}
    if unknown:
        known = sorted(KINDS[kind] | ATTRIBUTION | {kind})
        raise fail(f"unknown keys {sorted(unknown)} for {kind}; known: {known}")
    for key in ("reason", "curator", "value"):
        if key not in table:
            raise fail(f"needs a {key}")
    reason, curator, date = table["reason"], table["curator"], table.get("date")
    if not isinstance(reason, str) or not reason.strip():
        raise fail("the reason must be a non-empty string")
    if not isinstance(curator, str) or not curator.strip():
        raise fail("the curator must be a non-empty string (a name)")
    if not isinstance(date, datetime.date) or isinstance(date, datetime.datetime):
        raise fail("needs a date (YYYY-MM-DD, unquoted), its own or the file's")
    target = _target(kind, table[kind], fail)
    quote = table.get("quote")
    if kind in ("add", "modality") and (not isinstance(quote, str) or not quote.strip()):
        raise fail("needs a quote: words of the text that show it")
    values = _values(table["value"], target, fail)
    was = None if "was" not in table else _values(table["was"], target, fail)
    for value in (*values, *(was or ())):
        _check(kind, target, value, fail)
    return Correction(
        number,
        kind,
        target,
        values,
        was,
        quote if isinstance(quote, str) else None,
        reason.strip(),
        curator.strip(),
        date,
    )


def _target(kind: str, target: object, fail: Callable[[str], InputError]) -> Value:
    """What a correction changes: a fact, "party", a signatory's name, or a number."""
    if kind == "set":
        if not isinstance(target, str) or target not in FACTS:
            raise fail(f"set {target!r}: not a fact a correction sets; known: {', '.join(FACTS)}")
        return target
    if kind in ("add", "remove"):
        if target != "party":
            raise fail(f'{kind} {target!r}: only "party" can be {kind}ed')
        return "party"
    if kind == "signatory":
        return _text(target, "the signatory's name", fail)
    if not isinstance(target, int) or isinstance(target, bool) or target < 1:
        what = "commitment" if kind == "modality" else "signature"
        raise fail(f"{kind} must be the number of a {what} (1, 2, ...)")
    return target


def _check(kind: str, target: Value, value: Value, fail: Callable[[str], InputError]) -> None:
    """A value the correction can give, or a line saying what it takes."""
    if kind == "set":
        _check_fact(str(target), value, fail)
    elif kind in ("add", "remove"):
        _text(value, "a party's name", fail)
    elif kind == "modality" and value not in modalities():
        raise fail(f"{value!r} is not a modality; known: {', '.join(sorted(modalities()))}")
    elif kind in ("office", "signatory"):
        _text(value, "an office", fail)


def _values(value: object, target: Value, fail: Callable[[str], InputError]) -> tuple[Value, ...]:
    if isinstance(value, list) and target in MANY_VALUED and value:
        items: list[object] = value
    elif isinstance(value, list):
        raise fail(f"{target} takes one value, not a list")
    else:
        items = [value]
    if not all(isinstance(item, str | int | datetime.date) for item in items):
        raise fail(f"{value!r} is not a value (a string, a number or a date)")
    return tuple(item for item in items if isinstance(item, str | int | datetime.date))


def _text(value: object, what: str, fail: Callable[[str], InputError]) -> str:
    if not isinstance(value, str) or not value.strip():
        raise fail(f"{value!r} is not {what} (a non-empty string)")
    return value


def _check_fact(fact: str, value: Value, fail: Callable[[str], InputError]) -> None:
    """A value a fact can take, or a line saying what it takes."""
    allowed = {"form": FORMS, "legal-force": LEGAL_FORCES}.get(fact)
    if allowed is not None and value not in allowed:
        raise fail(f"{fact} {value!r}: not one of {', '.join(allowed)}")
    if fact == "date-signed" and not (
        (isinstance(value, datetime.date) and not isinstance(value, datetime.datetime))
        or (isinstance(value, str) and (YEAR_MONTH.match(value) or YEAR_VALUE.match(value)))
    ):
        raise fail(f"date-signed {value!r}: a date (YYYY-MM-DD, unquoted), or a YYYY-MM or YYYY")
    if fact == "language" and not (isinstance(value, str) and LANGUAGE.match(value)):
        raise fail(f'language {value!r}: an ISO 639-1 code such as "en"')
    if fact == "number-of-originals" and (
        not isinstance(value, int) or isinstance(value, bool) or value < 1
    ):
        raise fail(f"number-of-originals {value!r}: a whole number, 1 or more")
    if fact in ("title", "place"):
        _text(value, f"a {fact}", fail)


@cache
def modalities() -> dict[str, URIRef]:
    """The ontology's modalities by local name ("intention": ak:intention)."""
    graph = ontology_graph((CORE_MODULE,))
    return {
        str(term).removeprefix(str(AK)): term
        for term in graph.subjects(RDF.type, AK.Modality)
        if isinstance(term, URIRef)
    }


def apply_corrections(
    document: ExtractedDocument, source: SourceText, registry: Registry, base_iri: str
) -> ExtractedDocument:
    """`document` with the corrections beside its source applied and recorded (itself
    when there are none); raises InputError naming the first that no longer matches."""
    path = corrections_path(source.path)
    corrections = read_corrections(path)
    if not corrections:
        return document
    corrector = _Corrector(document, source, registry, Namespace(base_iri), path)
    for correction in corrections:
        corrector.apply(correction)
    return corrector.result()


class _Corrector:
    """The corrections of one document, applied in file order to its graph."""

    def __init__(
        self,
        document: ExtractedDocument,
        source: SourceText,
        registry: Registry,
        base: Namespace,
        path: Path,
    ) -> None:
        self.document = document
        self.graph = document.graph
        self.writer = GraphWriter(self.graph, registry, base)
        self.registry = registry
        self.base = base
        self.path = path
        self.text = source.text
        self.doc = slug(source.path.stem)
        self.instrument = base[f"instrument/{self.doc}"]
        self.source_iri = base[f"source/{self.doc}"]
        self.warnings: list[str] = []
        self.detached: set[Node] = set()

    def apply(self, correction: Correction) -> None:
        change = {
            "set": self.set_fact,
            "add": self.add_party,
            "remove": self.remove_party,
            "office": self.office,
            "signatory": self.office,
            "modality": self.modality,
        }[correction.kind](correction)
        if change.retracted or set(change.asserted) - set(self.current(change)):
            for value in change.retracted:
                self.retract(change.subject, change.property, value)
            for value in change.asserted:
                self.graph.add((change.subject, change.property, value))
        else:
            self.warnings.append(
                f"{self.path.name}: correction {correction.number}: already read so "
                f"({self.shown(change.asserted)}); the correction can go"
            )
        self.record(correction, change)

    def result(self) -> ExtractedDocument:
        """The corrected document: detached resources no longer described, types and
        super-properties materialized again, the warnings on its source."""
        unilateral = (self.instrument, RDF.type, AK.UnilateralInstrument)
        if len(set(self.graph.objects(self.instrument, AK.party))) == 1:
            self.graph.add(unilateral)
        elif unilateral in self.graph:
            self.retract(*unilateral)
        for node in self.detached:
            self.forget(node)
        for warning in self.warnings:
            self.graph.add((self.source_iri, AK.extractionWarning, Literal(warning)))
        with_supertypes(self.graph)
        warnings = (*self.document.warnings, *self.warnings)
        return ExtractedDocument(self.document.path, self.document.graph_iri, self.graph, warnings)

    def fail(self, correction: Correction, message: str) -> InputError:
        return InputError(f"{self.path}: correction {correction.number}: {message}")

    def current(self, change: Change) -> list[Node]:
        values = self.graph.objects(change.subject, change.property)
        if change.property == RDF.type:
            return [value for value in values if value in FORMS.values()]
        return sorted(values, key=str)

    def set_fact(self, correction: Correction) -> Change:
        fact = str(correction.target)
        predicate = FACTS[fact]
        asserted = tuple(self.fact_value(fact, value) for value in correction.values)
        change = Change(self.instrument, predicate, (), asserted)
        current = self.current(change)
        if set(current) == set(asserted):
            return change
        if correction.was is not None:
            was = {self.fact_value(fact, value) for value in correction.was}
            if set(current) != was:
                raise self.fail(
                    correction,
                    f"{fact} was to read {self.shown(was)}, found {self.shown(current)}",
                )
        if fact == "title":
            label = str(correction.values[0]).split(": ", 1)[0]
            self.graph.set((self.instrument, RDFS.label, Literal(label, lang="en")))
        if fact == "legal-force":
            self.graph.set((self.instrument, AK.legalForceBasis, AK.correctedByCurator))
            for evidence in list(self.graph.objects(self.instrument, AK.legalForceEvidence)):
                self.retract(self.instrument, AK.legalForceEvidence, evidence)
        retracted = tuple(value for value in current if value not in asserted)
        return Change(self.instrument, predicate, retracted, asserted)

    def fact_value(self, fact: str, value: Value) -> Node:
        """The RDF value of an instrument fact as the curator wrote it (checked)."""
        if fact == "form":
            return FORMS[str(value)]
        if fact == "legal-force":
            return LEGAL_FORCES[str(value)]
        if fact == "title":
            return Literal(value, lang="en")
        if fact == "place":
            return self.writer.place(str(value))
        if fact == "date-signed" and isinstance(value, str):
            return Literal(value, datatype=XSD.gYearMonth if "-" in value else XSD.gYear)
        return Literal(value)

    def add_party(self, correction: Correction) -> Change:
        quote, name = str(correction.quote), str(correction.values[0])
        if quote not in self.text:
            raise self.fail(correction, f"the text no longer has {quote!r}")
        party = self.writer.party(Party(name, find_party(name), [name]))
        return Change(self.instrument, AK.party, (), (party,))

    def remove_party(self, correction: Correction) -> Change:
        name = str(correction.values[0])
        parties = sorted(self.graph.objects(self.instrument, AK.party), key=str)
        found = [p for p in parties if name_key(name) in map(name_key, self.names(p))]
        if not found:
            raise self.fail(correction, f"no party {name!r}; the parties: {self.shown(parties)}")
        (party,) = found[:1]
        signatures = sorted(self.graph.subjects(AK.onBehalfOf, party), key=str)
        if signatures:
            raise self.fail(
                correction,
                f"party {name!r} signs {'; '.join(map(self.signature_named, signatures))}: a "
                "party with a signature stays",
            )
        return Change(self.instrument, AK.party, (party,), ())

    def office(self, correction: Correction) -> Change:
        signature = self.signature(correction)
        office = Literal(str(correction.values[0]))
        change = Change(signature, AK.officeTitle, (), (office,))
        current = self.current(change)
        if current == [office]:
            return change
        if correction.was is not None and current != [Literal(str(correction.was[0]))]:
            raise self.fail(
                correction,
                f"the office of {self.signature_named(signature)} was to read "
                f"{self.shown([Literal(str(correction.was[0]))])}, found {self.shown(current)}",
            )
        return Change(signature, AK.officeTitle, tuple(current), (office,))

    def signature(self, correction: Correction) -> URIRef:
        signatures = sorted(
            (s for s in self.graph.objects(self.instrument, AK.signature) if isinstance(s, URIRef)),
            key=str,
        )
        if correction.kind == "office":
            iri = self.base[f"signature/{self.doc}-{correction.target}"]
            if iri not in signatures:
                raise self.fail(
                    correction,
                    f"no signature {correction.target}; the text has {len(signatures)}",
                )
            return iri
        name = name_key(str(correction.target))
        for signature in signatures:
            person = self.graph.value(signature, AK.signatory)
            if person is not None and name in map(name_key, self.names(person)):
                return signature
        people = [self.graph.value(s, AK.signatory) for s in signatures]
        raise self.fail(
            correction,
            f"no signature by {correction.target!r}; the signatories: "
            f"{self.shown([p for p in people if p is not None])}",
        )

    def signature_named(self, signature: Node) -> str:
        """ "signature 2 (Lim Wei Jie)": a signature as the curator numbers it."""
        number = str(signature).rsplit("-", 1)[-1]
        return f"signature {number} ({self.shown(self.graph.objects(signature, AK.signatory))})"

    def modality(self, correction: Correction) -> Change:
        commitment = self.base[f"commitment/{self.doc}-{correction.target}"]
        text = self.graph.value(commitment, AK.text)
        if text is None:
            count = len(set(self.graph.objects(self.instrument, AK.commitment)))
            raise self.fail(correction, f"no commitment {correction.target}; the text has {count}")
        if str(correction.quote) not in str(text):
            raise self.fail(
                correction,
                f"commitment {correction.target} no longer has {correction.quote!r}: it reads "
                f"{_abridged(str(text))!r}",
            )
        modality = modalities()[str(correction.values[0])]
        change = Change(commitment, AK.modality, (), (modality,))
        current = self.current(change)
        if current == [modality]:
            return change
        if correction.was is not None:
            was = modalities().get(str(correction.was[0]))
            if current != [was]:
                raise self.fail(
                    correction,
                    f"commitment {correction.target} was to read {correction.was[0]!r}, "
                    f"found {self.shown(current)}",
                )
        return Change(commitment, AK.modality, tuple(current), (modality,))

    def retract(self, subject: URIRef, predicate: URIRef, value: Node) -> None:
        """Remove a statement with those it entailed up the hierarchies (put back at the
        end where something else still entails them)."""
        self.graph.remove((subject, predicate, value))
        if predicate == RDF.type:
            for superclass in ontology_ancestors(RDFS.subClassOf).get(value, ()):
                self.graph.remove((subject, RDF.type, superclass))
        for superproperty in ontology_ancestors(RDFS.subPropertyOf).get(predicate, ()):
            self.graph.remove((subject, superproperty, value))
        for other in list(self.graph.predicates(subject, value)):
            if predicate in ontology_ancestors(RDFS.subPropertyOf).get(other, ()):
                self.graph.remove((subject, other, value))  # ak:signedBy, for ak:party
        if isinstance(value, URIRef | BNode) and predicate != RDF.type:
            self.detached.add(value)

    def forget(self, node: Node) -> None:
        """A resource no statement of the graph refers to any more but a correction's,
        no longer described there (a party removed, a place replaced, the evidence of a
        withdrawn reading): a party misread is not left behind as an entity."""
        if any(
            (s, RDF.type, AK.Correction) not in self.graph for s in self.graph.subjects(None, node)
        ):
            return
        for _, _, value in list(self.graph.triples((node, None, None))):
            self.graph.remove((node, None, value))
            if isinstance(value, BNode):
                self.forget(value)

    def record(self, correction: Correction, change: Change) -> None:
        """The correction as provenance in the document's graph (the vocabulary contract)."""
        iri = self.base[f"correction/{self.doc}-{correction.number}"]
        curator = self.base[f"curator/{slug(correction.curator)}"]
        graph = self.graph
        for cls in (AK.Correction, PROV.Entity):
            graph.add((iri, RDF.type, cls))
        graph.add(
            (iri, RDFS.label, Literal(f"Correction {correction.number} of {self.doc}", lang="en"))
        )
        graph.add((iri, AK.correctionOf, self.source_iri))
        graph.add((iri, AK.correctedResource, change.subject))
        graph.add((iri, AK.correctedProperty, change.property))
        for value in change.asserted:
            graph.add((iri, AK.assertedValue, value))
        for value in change.retracted:
            graph.add((iri, AK.retractedValue, value))
        graph.add((iri, AK.reason, Literal(correction.reason)))
        graph.add((iri, DCTERMS.date, Literal(correction.date)))
        graph.add((iri, PROV.wasAttributedTo, curator))
        for cls in (PROV.Agent, PROV.Person):
            graph.add((curator, RDF.type, cls))
        graph.add((curator, FOAF.name, Literal(correction.curator)))
        graph.add((curator, RDFS.label, Literal(correction.curator)))

    def names(self, resource: Node) -> list[str]:
        """The names a resource goes by, in this graph and in the records."""
        predicates = (RDFS.label, SKOS.altLabel, FOAF.name)
        return [
            str(name)
            for graph in (self.graph, self.registry.graph)
            for predicate in predicates
            for name in graph.objects(resource, predicate)
        ]

    def shown(self, values: Iterable[Node]) -> str:
        """Values as a message shows them: a resource by its first label, a literal as
        written; "nothing" for none."""
        shown = []
        for value in values:
            if isinstance(value, Literal):
                shown.append(repr(str(value)))
            elif value in CURATORS_NAMES:
                shown.append(repr(CURATORS_NAMES[value]))
            else:
                names = sorted(self.names(value))
                shown.append(names[0] if names else str(value).rsplit("/", 1)[-1].rsplit("#")[-1])
        return "; ".join(shown) or "nothing"


def _abridged(text: str) -> str:
    return text if len(text) <= QUOTED_TEXT_CHARS else text[: QUOTED_TEXT_CHARS - 1] + "\u2026"
