"""HTML pages for people: one per entity, rendered on the server from its description.

A page shows what the RDF says, in an order a reader expects: label and types, the
properties with linked values, the links coming in, and for an instrument its parties,
signatures, recitals and commitments in document order and the instruments it builds on,
cites, or is built on and cited by. Evidence is shown as the quoted source text with the
span marked inside its surroundings.

The source text is read from the input directory, not the store: the store keeps each
source document's SHA-256 but not its text, and the offsets of evidence index code points
of the file exactly as ingested. The file is used only while its checksum still equals
the one recorded at extraction; otherwise the page shows the quote alone and says why.
"""

import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from rdflib import Graph, Literal, Node, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from accordkg.linked_data.describe import PATH_SEGMENT, Description
from accordkg.linked_data.documents import RDF_DOCUMENT_FORMATS
from accordkg.linked_data.templating import template
from accordkg.namespaces import AK, OA, ONTOLOGY_IRI
from accordkg.store import Store

VOID_PATH = "/.well-known/void"
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


class Pages:
    """Renders entity pages; knows the base IRI (to link within the site), the ontology
    (to name properties and types), the store and the sources directory (for evidence)."""

    def __init__(self, base_iri: str, ontology: Graph, store: Store, sources_dir: Path) -> None:
        self._base = base_iri
        self._ontology = ontology
        self._store = store
        self._sources_dir = sources_dir
        self._entity = template("entity.html")
        self._not_found = template("not_found.html")

    def entity(self, description: Description, document_path: str) -> str:
        """The page of the described entity; `document_path` is its path without extension."""
        graph, iri = description.graph, description.iri
        types = sorted((self._link(graph, t) for t in graph.objects(iri, RDF.type)), key=_by_text)
        is_instrument = (iri, RDF.type, AK.Instrument) in graph
        return self._entity.render(
            iri=str(iri),
            label=self._label(graph, iri),
            types=types,
            properties=self._properties(graph, iri),
            incoming=self._incoming(graph, iri),
            instrument=self._instrument(graph, iri) if is_instrument else None,
            excerpts=self._excerpts(graph, iri),
            alternates=[
                (f.media_type, f.name, f"{document_path}.{f.extension}")
                for f in RDF_DOCUMENT_FORMATS
            ],
            void=VOID_PATH,
            truncated=description.truncated,
        )

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
        source = graph.value(target, OA.hasSource)
        start = end = quote = None
        for selector in graph.objects(target, OA.hasSelector):
            if (selector, RDF.type, OA.TextPositionSelector) in graph:
                start, end = graph.value(selector, OA.start), graph.value(selector, OA.end)
            if (selector, RDF.type, OA.TextQuoteSelector) in graph:
                quote = graph.value(selector, OA.exact)
        if not isinstance(source, URIRef) or start is None or end is None or quote is None:
            return None
        first, last, exact = int(str(start)), int(str(end)), str(quote)
        excerpt = Excerpt(
            evidence=self._link(graph, annotation),
            source=self._link(graph, source),
            start=first,
            end=last,
            before="",
            quote=exact,
            after="",
        )
        text, problem = self._source_text(source)
        if text is None:
            return replace(excerpt, problem=problem)
        if text[first:last] != exact:
            return replace(excerpt, problem="the source text no longer holds this quote there")
        return replace(
            excerpt,
            before=_tail(text[max(0, first - CONTEXT_CHARS) : first], first > CONTEXT_CHARS),
            after=_head(text[last : last + CONTEXT_CHARS], last + CONTEXT_CHARS < len(text)),
        )

    def _source_text(self, source: URIRef) -> tuple[str | None, str]:
        """The text of a source document as ingested, or None and the reason."""
        kind, _, name = str(source).removeprefix(self._base).partition("/")
        if kind != SOURCE_KIND or not PATH_SEGMENT.fullmatch(name) or "/" in name:
            return None, "the source is not one of this graph's documents"
        query = f"SELECT ?sha WHERE {{ ?source {AK.sha256.n3()} ?sha }}"
        rows = self._store.select(query, {"source": source}).rows
        path = self._sources_dir / f"{name}.txt"
        if not rows or not path.is_file():
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
