"""HTML pages for people: one per entity, rendered on the server from its description.

A page shows what the RDF says, in an order a reader expects: label and types, the
properties with linked values, the links coming in, and for an instrument its parties,
signatures, recitals and commitments in document order and the instruments it builds on,
cites, or is built on and cited by. Evidence is shown as the quoted source text with the
span marked inside its surroundings.

A source document's page is its review page, for a curator checking what was read: the
whole text with every fact's span marked by kind (`accordkg.linked_data.review`), the
warnings of the extraction and the corrections applied.

The source text is read from the input directory, not the store: the store keeps each
source document's SHA-256 but not its text, and the offsets of evidence index code points
of the file exactly as ingested (`NAME.txt`, or the text derived from `NAME.pdf` or
`NAME.html` and stored beside it). The file is used only while its checksum still equals
the one recorded at extraction; otherwise the page shows the quote alone and says why.
"""

import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlencode

from rdflib import Graph, Literal, Node, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SKOS

from accordkg.extraction.published import MEDIA_TYPES
from accordkg.extraction.registry import slug
from accordkg.extraction.sources import derived_text_path, source_files
from accordkg.linked_data.describe import PATH_SEGMENT, Description
from accordkg.linked_data.documents import RDF_DOCUMENT_FORMATS
from accordkg.linked_data.review import Highlight, marked_up
from accordkg.linked_data.templating import template
from accordkg.namespaces import AK, OA, ONTOLOGY_IRI
from accordkg.store import Store

VOID_PATH = "/.well-known/void"
EXPLORE = "/explore"  # the graph explorer, drawing an entity with its neighbours
# Properties first in this order; the rest follow by label.
PROPERTY_ORDER = (
    RDF.type,
    RDFS.label,
    SKOS.prefLabel,
    SKOS.altLabel,
    AK.title,
    AK.subtitle,
    AK.text,
    AK.openingWord,
    AK.position,
    AK.modality,
    AK.legalForce,
    AK.dateSigned,
    AK.placeOfSigning,
    AK.party,
    AK.signatory,
    AK.honorific,
    AK.postNominals,
    AK.officeTitle,
    AK.organization,
    AK.onBehalfOf,
    AK.buildsOn,
    AK.cites,
)
CONTEXT_CHARS = 240
SOURCE_KIND = "source"
HIGHLIGHT_STYLES = 8  # colour and underline pairs in _style.html; kinds beyond reuse them


@dataclass(frozen=True)
class PageLink:
    """A resource as shown: its label, and where it leads (None: nowhere to go)."""

    text: str
    href: str | None = None
    external: bool = False


@dataclass(frozen=True)
class Provision:
    """A recital or commitment in document order."""

    position: int
    link: PageLink
    text: str
    note: str


@dataclass(frozen=True)
class SignatureRow:
    link: PageLink
    signatory: PageLink | None
    honorific: str
    post_nominals: str
    office: str
    organization: PageLink | None
    party: PageLink | None


@dataclass(frozen=True)
class Excerpt:
    """The source text around one evidence span, the span itself marked."""

    evidence: PageLink
    source: PageLink
    start: int
    end: int
    before: str
    quote: str
    after: str
    problem: str = ""


@dataclass
class InstrumentParts:
    parties: list[PageLink] = field(default_factory=list)
    signatures: list[SignatureRow] = field(default_factory=list)
    recitals: list[Provision] = field(default_factory=list)
    commitments: list[Provision] = field(default_factory=list)
    builds_on: list[PageLink] = field(default_factory=list)
    cites: list[PageLink] = field(default_factory=list)
    built_on_by: list[PageLink] = field(default_factory=list)
    cited_by: list[PageLink] = field(default_factory=list)
    sources: list[PageLink] = field(default_factory=list)  # their review pages


@dataclass(frozen=True)
class Selection:
    """Where an evidence target points: the source document, the span and its quote."""

    source: URIRef
    start: int
    end: int
    quote: str


@dataclass(frozen=True)
class Kind:
    """A kind of fact in the review's legend: its key and style, and how many spans."""

    name: str
    key: str
    style: int
    count: int


@dataclass(frozen=True)
class Unplaced:
    """A span the review cannot mark, and why."""

    highlight: Highlight
    problem: str


@dataclass(frozen=True)
class CorrectionRow:
    """A curator's correction as recorded: who, when, why, what was changed and how."""

    link: PageLink
    resources: list[PageLink]
    properties: list[PageLink]
    asserted: list[PageLink]
    retracted: list[PageLink]
    reason: str
    date: str
    curators: list[PageLink]


@dataclass(frozen=True)
class ReviewPage:
    """What a source's review page shows besides its description."""

    text: str | None  # the source text marked up, escaped; None when it cannot be shown
    problem: str  # why it cannot
    kinds: list[Kind]
    unplaced: list[Unplaced]
    warnings: list[str]
    corrections: list[CorrectionRow]
    instruments: list[PageLink]  # the instruments read from this source


class Pages:
    """Renders entity pages; knows the base IRI (to link within the site), the ontology
    (to name properties and types), the store and the sources directory (for evidence)."""

    def __init__(self, base_iri: str, ontology: Graph, store: Store, sources_dir: Path) -> None:
        self._base = base_iri
        self._ontology = ontology
        self._store = store
        self._sources_dir = sources_dir
        self._entity = template("entity.html")
        self._review = template("review.html")
        self._not_found = template("not_found.html")

    def entity(self, description: Description, document_path: str) -> str:
        """The page of the described entity; `document_path` is its path without extension."""
        graph, iri = description.graph, description.iri
        is_instrument = (iri, RDF.type, AK.Instrument) in graph
        drawn = is_instrument or (iri, RDF.type, AK.Party) in graph
        return self._entity.render(
            **self._page(description, document_path),
            explore=self._explore(iri) if drawn else None,
            incoming=self._incoming(graph, iri),
            instrument=self._instrument(graph, iri) if is_instrument else None,
            excerpts=self._excerpts(graph, iri),
        )

    def review(self, description: Description, document_path: str) -> str:
        """The review page of a source document: its text with every fact's span marked,
        the warnings of its extraction and the corrections applied to what was read."""
        graph, source = description.graph, description.iri
        text, problem = self._source_text(source)
        highlights = self._highlights(source)
        unplaced = [] if text is None else _unplaced(text, highlights)
        placed = [h for h in highlights if h not in {u.highlight for u in unplaced}]
        review = ReviewPage(
            text=None if text is None else marked_up(text, placed),
            problem=problem,
            kinds=_kinds(highlights),
            unplaced=unplaced,
            warnings=sorted(str(w) for w in graph.objects(source, AK.extractionWarning)),
            corrections=self._corrections(source),
            instruments=sorted(
                (self._link(graph, i) for i in graph.subjects(AK.source, source)), key=_by_text
            ),
        )
        return self._review.render(**self._page(description, document_path), review=review)

    def _page(self, description: Description, document_path: str) -> dict[str, object]:
        """What every entity page shows: the entity, its properties and its documents."""
        graph, iri = description.graph, description.iri
        types = sorted((self._link(graph, t) for t in graph.objects(iri, RDF.type)), key=_by_text)
        return {
            "iri": str(iri),
            "label": self._label(graph, iri),
            "types": types,
            "properties": self._properties(graph, iri),
            "alternates": [
                (f.media_type, f.name, f"{document_path}.{f.extension}")
                for f in RDF_DOCUMENT_FORMATS
            ],
            "void": VOID_PATH,
            "truncated": description.truncated,
        }

    def _explore(self, iri: URIRef) -> str:
        """The graph explorer with this entity as its seed (its node id: the IRI less the base)."""
        return f"{EXPLORE}?{urlencode({'seed': iri.removeprefix(self._base)})}"

    def not_found(self, iri: str) -> str:
        """The page for an identifier the graph knows nothing about."""
        return self._not_found.render(iri=iri, void=VOID_PATH)

    def _properties(self, graph: Graph, iri: URIRef) -> list[tuple[PageLink, list[PageLink]]]:
        predicates = set(graph.predicates(iri, None))
        ranked = sorted(
            predicates,
            key=lambda p: (
                PROPERTY_ORDER.index(p) if p in PROPERTY_ORDER else len(PROPERTY_ORDER),
                self._label(graph, p).lower(),
            ),
        )
        return [
            (
                self._link(graph, predicate),
                sorted(
                    (self._value(graph, o) for o in graph.objects(iri, predicate)), key=_by_text
                ),
            )
            for predicate in ranked
        ]

    def _incoming(self, graph: Graph, iri: URIRef) -> list[tuple[PageLink, PageLink]]:
        rows = [
            (self._link(graph, subject), self._link(graph, predicate))
            for subject, predicate in graph.subject_predicates(iri)
            if subject != iri
        ]
        return sorted(rows, key=lambda row: (row[1].text, _natural(row[0].text)))

    def _instrument(self, graph: Graph, iri: URIRef) -> InstrumentParts:
        def links(nodes: list[Node]) -> list[PageLink]:
            return sorted((self._link(graph, n) for n in nodes), key=_by_text)

        return InstrumentParts(
            parties=links(list(graph.objects(iri, AK.party))),
            signatures=[
                self._signature(graph, s)
                for s in sorted(graph.objects(iri, AK.signature), key=lambda s: _natural(str(s)))
            ],
            recitals=self._provisions(graph, iri, AK.recital, AK.openingWord),
            commitments=self._provisions(graph, iri, AK.commitment, AK.modality),
            builds_on=links(list(graph.objects(iri, AK.buildsOn))),
            cites=links(list(graph.objects(iri, AK.cites))),
            built_on_by=links(list(graph.subjects(AK.buildsOn, iri))),
            cited_by=links(list(graph.subjects(AK.cites, iri))),
            sources=[
                replace(self._link(graph, s), href=f"/doc/{SOURCE_KIND}/{name}.html")
                for s in sorted(graph.objects(iri, AK.source), key=str)
                if (name := self._source_name(s)) is not None
            ],
        )

    def _provisions(self, graph: Graph, iri: URIRef, link: URIRef, note: URIRef) -> list[Provision]:
        provisions = []
        for node in graph.objects(iri, link):
            position = graph.value(node, AK.position)
            noted = graph.value(node, note)
            provisions.append(
                Provision(
                    position=int(position) if isinstance(position, Literal) else 0,
                    link=self._link(graph, node),
                    text=str(graph.value(node, AK.text) or ""),
                    note="" if noted is None else self._value(graph, noted).text,
                )
            )
        return sorted(provisions, key=lambda p: p.position)

    def _signature(self, graph: Graph, signature: Node) -> SignatureRow:
        def linked(predicate: URIRef) -> PageLink | None:
            node = graph.value(signature, predicate)
            return None if node is None else self._link(graph, node)

        def literal(predicate: URIRef) -> str:
            return str(graph.value(signature, predicate) or "")

        return SignatureRow(
            link=self._link(graph, signature),
            signatory=linked(AK.signatory),
            honorific=literal(AK.honorific),
            post_nominals=literal(AK.postNominals),
            office=literal(AK.officeTitle),
            organization=linked(AK.organization),
            party=linked(AK.onBehalfOf),
        )

    def _excerpts(self, graph: Graph, iri: URIRef) -> list[Excerpt]:
        candidates = [iri, *graph.objects(iri, None)]  # an annotation shows its own target
        evidence = {node for node in candidates if (node, RDF.type, AK.Evidence) in graph}
        excerpts = []
        for annotation in sorted(evidence, key=str):
            for target in graph.objects(annotation, OA.hasTarget):
                excerpt = self._excerpt(graph, annotation, target)
                if excerpt is not None:
                    excerpts.append(excerpt)
        return excerpts

    def _excerpt(self, graph: Graph, annotation: Node, target: Node) -> Excerpt | None:
        selection = _selection(graph, target)
        if selection is None:
            return None
        first, last, exact = selection.start, selection.end, selection.quote
        excerpt = Excerpt(
            evidence=self._link(graph, annotation),
            source=self._link(graph, selection.source),
            start=first,
            end=last,
            before="",
            quote=exact,
            after="",
        )
        text, problem = self._source_text(selection.source)
        if text is None:
            return replace(excerpt, problem=problem)
        if text[first:last] != exact:
            return replace(excerpt, problem="the source text no longer holds this quote there")
        return replace(
            excerpt,
            before=_tail(text[max(0, first - CONTEXT_CHARS) : first], first > CONTEXT_CHARS),
            after=_head(text[last : last + CONTEXT_CHARS], last + CONTEXT_CHARS < len(text)),
        )

    def _highlights(self, source: URIRef) -> list[Highlight]:
        """Every fact's evidence span in `source`, of the kind its node's types say (one
        SELECT of plain values: building RDF terms took most of the page's time)."""
        found: dict[tuple[str, str], Highlight] = {}
        for row in self._store.rows(_evidence_query(source)):
            fact, link, evidence, start, end, quote, label, types, modality = row
            if (
                fact is None
                or link is None
                or evidence is None
                or start is None
                or end is None
                or quote is None
            ):
                continue  # bound by the pattern: the check is the type checker's
            fact_iri = URIRef(fact)
            highlight = Highlight(
                start=int(start),
                end=int(end),
                quote=quote,
                evidence=evidence,
                fact=label or self._label(self._ontology, fact_iri),
                href=self._href(fact_iri)[0],
                kind=self._kind(URIRef(link), (types or "").split(), modality),
                key="",
                style=0,
            )
            known = found.get((fact, evidence))  # a fact linked by ak:evidence and more
            if known is None or link == str(AK.evidence):
                found[fact, evidence] = highlight
        return _keyed(list(found.values()))

    def _kind(self, link: URIRef, types: list[str], modality: str | None) -> str:
        """The kind of a fact, by its most general classes of the ontology (a declaration
        is an instrument), a commitment with its modality; or by the property linking it
        to the evidence, when that is not ak:evidence (the legal force's words)."""
        if link != AK.evidence:
            return self._label(self._ontology, link)
        roots = sorted(
            self._label(self._ontology, URIRef(t))
            for t in types
            if not any(str(s) in AK for s in self._ontology.objects(URIRef(t), RDFS.subClassOf))
        )
        name = " / ".join(roots) or "other"
        if modality is None:
            return name
        return f"{name}: {self._label(self._ontology, URIRef(modality))}"

    def _corrections(self, source: URIRef) -> list[CorrectionRow]:
        graph = self._store.construct(_corrections_query(source))

        def values(correction: Node, predicate: URIRef) -> list[PageLink]:
            return sorted(
                (self._value(graph, v) for v in graph.objects(correction, predicate)), key=_by_text
            )

        return [
            CorrectionRow(
                link=self._link(graph, correction),
                resources=values(correction, AK.correctedResource),
                properties=values(correction, AK.correctedProperty),
                asserted=values(correction, AK.assertedValue),
                retracted=values(correction, AK.retractedValue),
                reason=" ".join(str(r) for r in graph.objects(correction, AK.reason)),
                date=" ".join(str(d) for d in graph.objects(correction, DCTERMS.date)),
                curators=values(correction, PROV.wasAttributedTo),
            )
            for correction in sorted(
                set(graph.subjects(AK.correctionOf, source)), key=lambda c: _natural(str(c))
            )
        ]

    def _source_name(self, source: Node) -> str | None:
        """The slug of one of this graph's source documents, from its IRI."""
        if not isinstance(source, URIRef) or not source.startswith(self._base):
            return None
        kind, _, name = source.removeprefix(self._base).partition("/")
        return name if kind == SOURCE_KIND and PATH_SEGMENT.fullmatch(name) else None

    def _source_text(self, source: URIRef) -> tuple[str | None, str]:
        """The text of a source document as ingested, or None and the reason."""
        name = self._source_name(source)
        if name is None:
            return None, "the source is not one of this graph's documents"
        query = f"SELECT ?sha WHERE {{ ?source {AK.sha256.n3()} ?sha }}"
        rows = self._store.select(query, {"source": source}).rows
        path = source_text_file(self._sources_dir, name)
        if not rows or path is None or not path.is_file():
            return None, "the source text is not available here"
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != str(rows[0]["sha"]):
            return None, "the source file has changed since it was extracted"
        return data.decode("utf-8"), ""

    def _link(self, graph: Graph, node: Node) -> PageLink:
        if not isinstance(node, URIRef):
            return PageLink(self._label(graph, node))
        href, external = self._href(node)
        return PageLink(self._label(graph, node), href, external)

    def _value(self, graph: Graph, node: Node) -> PageLink:
        return PageLink(str(node)) if isinstance(node, Literal) else self._link(graph, node)

    def _href(self, iri: URIRef) -> tuple[str | None, bool]:
        """Where a link to `iri` goes: its page here, its ontology entry, or outside."""
        if iri.startswith(self._base):
            kind, _, slug = iri.removeprefix(self._base).partition("/")
            if PATH_SEGMENT.fullmatch(kind) and PATH_SEGMENT.fullmatch(slug):
                return f"/id/{kind}/{slug}", False
        if iri == ONTOLOGY_IRI:
            return "/ontology", False
        if iri in AK:
            return f"/ontology#{iri.fragment}", False
        if str(iri).startswith(("http://", "https://")):
            return str(iri), True
        return None, False

    def _label(self, graph: Graph, node: Node) -> str:
        for source in (graph, self._ontology):
            labels = [v for v in source.objects(node, RDFS.label) if isinstance(v, Literal)]
            english = [v for v in labels if v.language in (None, "en")]
            if english or labels:
                return str((english or labels)[0])
        if isinstance(node, URIRef):
            return graph.namespace_manager.normalizeUri(node)
        return "(anonymous node)"


def source_text_file(sources_dir: Path, name: str) -> Path | None:
    """The file holding the text of the source document `name` (its slug): `NAME.txt`
    itself, or for a web page or PDF the text derived from it and stored beside it
    (`NAME.pdf.txt`); None when no source in the directory has that name."""
    for path in source_files(sources_dir):
        if slug(path.stem) == name:
            return derived_text_path(path) if path.suffix.lower() in MEDIA_TYPES else path
    return None


def _selection(graph: Graph, target: Node) -> Selection | None:
    """The source, span and quote an evidence target selects; None when one is missing."""
    source = graph.value(target, OA.hasSource)
    start = end = quote = None
    for selector in graph.objects(target, OA.hasSelector):
        if (selector, RDF.type, OA.TextPositionSelector) in graph:
            start, end = graph.value(selector, OA.start), graph.value(selector, OA.end)
        if (selector, RDF.type, OA.TextQuoteSelector) in graph:
            quote = graph.value(selector, OA.exact)
    if not isinstance(source, URIRef) or start is None or end is None or quote is None:
        return None
    return Selection(source, int(str(start)), int(str(end)), str(quote))


def _evidence_query(source: URIRef) -> str:
    """The evidence spans in `source`, each with the fact it is the evidence of (by which
    property), the fact's label, its classes of the ontology and its modality."""
    label = RDFS.label.n3()
    return f"""
SELECT ?fact ?link ?evidence ?start ?end ?exact (SAMPLE(?name) AS ?label)
       (GROUP_CONCAT(DISTINCT STR(?type); separator=" ") AS ?types)
       (SAMPLE(?mode) AS ?modality)
WHERE {{
  ?target {OA.hasSource.n3()} {source.n3()} ; {OA.hasSelector.n3()} ?position , ?quote .
  ?evidence {OA.hasTarget.n3()} ?target ; a {AK.Evidence.n3()} .
  ?fact ?link ?evidence .
  ?position a {OA.TextPositionSelector.n3()} ; {OA.start.n3()} ?start ; {OA.end.n3()} ?end .
  ?quote a {OA.TextQuoteSelector.n3()} ; {OA.exact.n3()} ?exact .
  OPTIONAL {{ ?fact a ?type FILTER(STRSTARTS(STR(?type), "{AK}")) }}
  OPTIONAL {{ ?fact {AK.modality.n3()} ?mode }}
  OPTIONAL {{ ?fact {label} ?name FILTER(LANGMATCHES(LANG(?name), "en") || LANG(?name) = "") }}
}} GROUP BY ?fact ?link ?evidence ?start ?end ?exact"""


def _corrections_query(source: URIRef) -> str:
    """The corrections of what was read from `source`, with the labels of what they name."""
    label, name = RDFS.label.n3(), FOAF.name.n3()
    return f"""
CONSTRUCT {{ ?correction ?p ?o . ?o {label} ?label . ?o {name} ?name }} WHERE {{
  ?correction {AK.correctionOf.n3()} {source.n3()} ; a {AK.Correction.n3()} ; ?p ?o .
  OPTIONAL {{ ?o {label} ?label }}
  OPTIONAL {{ ?o {name} ?name }}
}}"""


def _keyed(highlights: list[Highlight]) -> list[Highlight]:
    """The highlights with the key and style of their kind: kinds numbered in the order
    they first appear in the text."""
    ordered = sorted(highlights, key=lambda h: (h.start, -h.end, h.evidence, h.kind))
    numbers: dict[str, int] = {}
    for highlight in ordered:
        numbers.setdefault(highlight.kind, len(numbers))
    return [
        replace(h, key=str(numbers[h.kind] + 1), style=numbers[h.kind] % HIGHLIGHT_STYLES)
        for h in ordered
    ]


def _kinds(highlights: list[Highlight]) -> list[Kind]:
    """The legend: each kind once, in key order, with its number of spans."""
    kinds: dict[str, Kind] = {}
    for h in highlights:
        known = kinds.get(h.kind)
        count = 1 if known is None else known.count + 1
        kinds[h.kind] = Kind(h.kind, h.key, h.style, count)
    return sorted(kinds.values(), key=lambda k: int(k.key))


def _unplaced(text: str, highlights: list[Highlight]) -> list[Unplaced]:
    """The spans that do not hold their quote in `text` (or lie outside it): marking
    them would show a fact where the text does not say it."""
    unplaced = []
    for h in highlights:
        if not 0 <= h.start < h.end <= len(text):
            unplaced.append(
                Unplaced(h, f"characters {h.start} to {h.end} are not a span of the text")
            )
        elif text[h.start : h.end] != h.quote:
            unplaced.append(Unplaced(h, "the text there is not the quote recorded"))
    return unplaced


def _tail(text: str, cut: bool) -> str:
    """The end of `text`, starting at a word boundary when the start was cut off."""
    if cut and " " in text:
        text = text[text.index(" ") + 1 :]
    return f"…{text}" if cut else text


def _head(text: str, cut: bool) -> str:
    """The start of `text`, ending at a word boundary when the end was cut off."""
    if cut and " " in text:
        text = text[: text.rindex(" ")]
    return f"{text}…" if cut else text


def _by_text(link: PageLink) -> tuple[str, ...]:
    return _natural(link.text)


def _natural(text: str) -> tuple[str, ...]:
    """A sort key that puts "Recital 2" before "Recital 10"."""
    return tuple(
        part.zfill(12) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", text)
    )
