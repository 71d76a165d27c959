"""Stage 4: the facts of one document as an RDF graph under the vocabulary contract.

IRIs are deterministic: `{base}{kind}/{slug}`, with slugs from the document id (the
source file's name) for the document's own resources (people among them: a person is a
node per document unless the curated records name them), and from names for shared ones
(places, parties not in the registry, referenced instruments), so the same input gives
the same IRIs everywhere. Every recital, commitment, article, clause, signature and the
instrument itself get evidence: a Web Annotation with the character span in the source
file and its quote. Blank nodes get labels made from the document id, and no run time
enters the graph, so the same input and software give the same bytes.
"""

from dataclasses import dataclass
from typing import NamedTuple

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, XSD

from accordkg.extraction.facts import (
    Clause,
    ExtractedProvision,
    InstrumentFacts,
    Party,
    Reference,
    party_label,
)
from accordkg.extraction.registry import Registry, slug
from accordkg.extraction.sources import TEXT, Derivation
from accordkg.extraction.text import Text
from accordkg.graphs import document_graph_iri
from accordkg.namespaces import AK, OA, SCHEMA
from accordkg.resources import new_graph


@dataclass(frozen=True)
class Source:
    """The source file and the run that read it."""

    doc_id: str
    file_name: str
    raw: str
    sha256: str
    publisher: str | None
    software_version: str
    warnings: tuple[str, ...]
    url: str | None = None  # where the source was retrieved from, and when
    retrieved: str | None = None
    derivation: Derivation | None = None  # how the text was derived from a published file


def to_rdf(facts: InstrumentFacts, source: Source, registry: Registry, base: str) -> Graph:
    """The RDF of one document's facts."""
    return _Builder(facts, source, registry, Namespace(base)).build()


class ClauseKind(NamedTuple):
    """A kind of clause: its IRI suffix, its name, how it is linked and its class."""

    suffix: str
    name: str
    link: URIRef
    cls: URIRef


LEAD_IN_KIND = ClauseKind("lead-in", "operative lead-in", AK.operativeLeadIn, AK.OperativeLeadIn)
SIGNING_CLAUSE_KIND = ClauseKind(
    "signing-clause", "signing clause", AK.signingClause, AK.SigningClause
)
DATELINE_KIND = ClauseKind("dateline", "dateline", AK.dateline, AK.Dateline)
PARTICIPATION = {"signs": AK.signedBy, "endorses": AK.endorsedBy, "issues": AK.issuedBy}


class GraphWriter:
    """Statements into one document's graph, with the shared resources (places, parties,
    organizations) minted from their names as extraction mints them: a curator's
    correction that adds a party or a place writes with it too."""

    def __init__(self, graph: Graph, registry: Registry, base: Namespace) -> None:
        self.graph = graph
        self.registry = registry
        self.base = base

    def add(
        self, subject: URIRef | BNode, predicate: URIRef, value: URIRef | Literal | BNode
    ) -> None:
        self.graph.add((subject, predicate, value))

    def label(self, subject: URIRef, text: str, language: str | None = "en") -> None:
        self.add(subject, RDFS.label, Literal(text, lang=language))

    def named(self, kind: str, cls: URIRef, name: str) -> URIRef:
        """A shared resource minted from its name (`{base}{kind}/{slug}`), typed and
        labelled, so that every document that names it mints the same IRI."""
        iri = self.base[f"{kind}/{slug(name)}"]
        self.add(iri, RDF.type, cls)
        self.label(iri, name)
        return iri

    def literals(self, subject: URIRef, values: list[tuple[URIRef, str | None]]) -> None:
        """A plain literal for each value that was read; none for those that were not."""
        for predicate, value in values:
            if value:
                self.add(subject, predicate, Literal(value))

    def place(self, name: str) -> URIRef:
        return self.named("place", AK.Place, name)

    def party(self, party: Party) -> URIRef:
        """The entity a party denotes: the registry's, found by any name it is printed
        under or, for a state or organisation the gazetteer knows, by the gazetteer's
        names; else one minted from the gazetteer's name or the printed one."""
        known = party.known
        names = [*party.names, *([known.name] if known else [])]
        iri = next((i for n in names if (i := self.registry.party(n)) is not None), None)
        if iri is None:
            label = known.name if known else party.name
            iri = self.named(
                party.kind, AK.State if party.kind == "state" else AK.Organization, label
            )
            labels = {label}
        else:
            labels = {str(n) for n in self.registry.names(iri)}
        # How this document prints the party, where that is not already one of its names.
        printed_names = {party_label(name, party.kind == "state") for name in party.names}
        for printed in sorted(printed_names - labels):
            self.add(iri, SKOS.altLabel, Literal(printed, lang="en"))
        if known is not None and known.alpha3 is not None:
            self.literals(
                iri,
                [
                    (AK.iso3166Alpha2, known.alpha2),
                    (AK.iso3166Alpha3, known.alpha3),
                    (AK.iso3166Numeric, known.numeric),
                ],
            )
        return iri

    def organization(self, name: str) -> URIRef:
        known = self.registry.party(name)
        if known is not None:
            return known
        return self.named("organization", AK.Organization, name)


class _Builder(GraphWriter):
    def __init__(
        self, facts: InstrumentFacts, source: Source, registry: Registry, base: Namespace
    ) -> None:
        super().__init__(new_graph(), registry, base)
        self.facts = facts
        self.source = source
        self.doc = source.doc_id
        self.instrument = base[f"instrument/{self.doc}"]
        self.source_iri = base[f"source/{self.doc}"]
        self.party_iris: list[URIRef] = []

    def build(self) -> Graph:
        self._instrument()
        self._parties()
        self._articles()
        self._provisions("recital", AK.recital, self.facts.recitals)
        self._provisions("commitment", AK.commitment, self.facts.commitments)
        self._clauses()
        self._signatures()
        self._release()
        self._provenance()
        return self.graph

    def _instrument(self) -> None:
        facts, iri = self.facts, self.instrument
        self.add(iri, RDF.type, AK[facts.form])
        if len(facts.parties) == 1:
            self.add(iri, RDF.type, AK.UnilateralInstrument)
        self.label(iri, facts.title.split(": ", 1)[0])
        self.add(iri, AK.title, Literal(facts.title, lang="en"))
        if facts.subtitle:
            self.add(iri, AK.subtitle, Literal(facts.subtitle, lang="en"))
        self.add(iri, AK.source, self.source_iri)
        self.add(iri, AK.evidence, self.evidence("title", facts.title_source, "the title"))
        if facts.legal_force:
            self.add(iri, AK.legalForce, AK[facts.legal_force])
            basis = AK.statedInText if facts.legal_force_stated else AK.inferredFromModalities
            self.add(iri, AK.legalForceBasis, basis)
        if facts.legal_force_source is not None:
            evidence = self.evidence("legal-force", facts.legal_force_source, "the legal force")
            self.add(iri, AK.legalForceEvidence, evidence)
        signing = facts.signing
        # The text read is English; the signing clause may name further authentic languages.
        for language in signing.languages if signing and signing.languages else ("en",):
            self.add(iri, DCTERMS.language, Literal(language))
        if signing is None:
            return
        if signing.date is not None:
            self.add(iri, AK.dateSigned if signing.signed else AK.dateIssued, signing.date)
        place_link = AK.placeOfSigning if signing.signed else AK.placeOfIssue
        for place in signing.places:
            self.add(iri, place_link, self.place(place))
        if signing.originals is not None:
            self.add(iri, AK.numberOfOriginals, Literal(signing.originals))

    def _parties(self) -> None:
        for party in self.facts.parties:
            iri = self.party(party)
            self.party_iris.append(iri)
            self.add(self.instrument, AK.party, iri)
            for role in sorted(party.roles):
                self.add(self.instrument, PARTICIPATION[role], iri)

    def _articles(self) -> None:
        for article in self.facts.articles:
            iri = self.article_iri(article.position)
            self.add(self.instrument, AK.article, iri)
            self.add(iri, RDF.type, AK.Article)
            self.label(iri, f"Article {article.number}")
            self.add(iri, AK.number, Literal(article.number))
            self.add(iri, AK.position, Literal(article.position))
            if article.heading:
                self.add(iri, AK.heading, Literal(article.heading, lang="en"))
            suffix = f"article-{article.position}"
            self.add(
                iri, AK.evidence, self.evidence(suffix, article.source, f"article {article.number}")
            )
            if article.lead_in is not None:
                self.clause(iri, LEAD_IN_KIND, article.lead_in, f"{suffix}-")

    def article_iri(self, position: int) -> URIRef:
        return self.base[f"article/{self.doc}-{position}"]

    def _provisions(
        self, kind: str, link: URIRef, provisions: tuple[ExtractedProvision, ...]
    ) -> None:
        for provision in provisions:
            iri = self.base[f"{kind}/{self.doc}-{provision.position}"]
            self.add(self.instrument, link, iri)
            self.add(iri, RDF.type, AK.Recital if kind == "recital" else AK.Commitment)
            self.label(iri, f"{kind.capitalize()} {provision.position}")
            self.add(iri, AK.position, Literal(provision.position))
            self.add(iri, AK.text, Literal(provision.text))
            label = f"{kind} {provision.position}"
            evidence = self.evidence(f"{kind}-{provision.position}", provision.source, label)
            self.add(iri, AK.evidence, evidence)
            if provision.opening_word:
                self.add(iri, AK.openingWord, Literal(provision.opening_word))
            if provision.modality:
                self.add(iri, AK.modality, AK[provision.modality])
            if provision.number:
                self.add(iri, AK.number, Literal(provision.number))
            if provision.article is not None:
                self.add(iri, AK.inArticle, self.article_iri(provision.article + 1))
            for name in provision.mechanisms:
                mechanism = self.base[f"mechanism/{self.doc}-{slug(name)}"]
                self.add(mechanism, RDF.type, AK.CooperationMechanism)
                self.label(mechanism, name)
                self.add(iri, AK.establishes, mechanism)
            for theme in self.registry.themes_in(provision.text):
                self.add(iri, AK.theme, theme)
            self._references(iri, provision.references)

    def _clauses(self) -> None:
        facts = self.facts
        if facts.lead_in is not None:
            self.clause(self.instrument, LEAD_IN_KIND, facts.lead_in)
        signing = facts.signing
        if signing is not None and signing.clause is not None:
            self.clause(self.instrument, SIGNING_CLAUSE_KIND, signing.clause)
        elif signing is not None and signing.date_source is not None:
            dateline = Clause(signing.date_source.value, signing.date_source)
            self.clause(self.instrument, DATELINE_KIND, dateline)

    def clause(self, owner: URIRef, kind: ClauseKind, clause: Clause, prefix: str = "") -> None:
        """A clause of `owner` (the instrument, or an article for its own lead-in)."""
        suffix = prefix + kind.suffix
        iri = self.base[f"clause/{self.doc}-{suffix}"]
        self.add(owner, kind.link, iri)
        self.add(iri, RDF.type, kind.cls)
        self.label(iri, kind.name.capitalize())
        self.add(iri, AK.text, Literal(clause.text))
        self.add(iri, AK.evidence, self.evidence(suffix, clause.source, f"the {kind.name}"))
        self._references(iri, clause.references)

    def _references(self, provision: URIRef, references: tuple[Reference, ...]) -> None:
        for reference in references:
            iri = self.registry.instrument(reference.name)
            if iri is None:
                iri = self.named("instrument", AK[reference.form or "Instrument"], reference.name)
                self.add(iri, AK.title, Literal(reference.name, lang="en"))
                if reference.date is not None:
                    self.add(iri, AK.dateSigned, reference.date)
                if reference.place is not None:
                    self.add(iri, AK.placeOfSigning, self.place(reference.place))
            self.add(provision, AK.refersTo, iri)
            self.add(self.instrument, AK.buildsOn if reference.builds_on else AK.cites, iri)

    def _signatures(self) -> None:
        for number, signatory in enumerate(self.facts.signatories, start=1):
            iri = self.base[f"signature/{self.doc}-{number}"]
            recorded = self.registry.person(signatory.name)
            person = recorded or self.base[f"person/{self.doc}-{slug(signatory.name)}"]
            party = self.party_iris[signatory.party]
            self.add(self.instrument, AK.signature, iri)
            self.add(iri, RDF.type, AK.Signature)
            self.label(iri, f"Signature of {signatory.name} for {signatory.party_name}")
            self.add(iri, AK.signatory, person)
            self.add(iri, AK.onBehalfOf, party)
            if recorded is None:  # a recorded person is described by the records
                self.add(person, RDF.type, AK.Person)
                self.label(person, signatory.name, None)
                self.add(person, FOAF.name, Literal(signatory.name))
            self.literals(
                iri,
                [
                    (AK.honorific, signatory.honorific),
                    (AK.postNominals, signatory.post_nominals),
                    (AK.officeTitle, signatory.office),
                ],
            )
            if signatory.organization:
                self.add(iri, AK.organization, self.organization(signatory.organization))
            label = f"signature {number}"
            self.add(
                iri, AK.evidence, self.evidence(f"signature-{number}", signatory.source, label)
            )

    def _release(self) -> None:
        release, source = self.facts.release, self.source_iri
        self.add(source, RDF.type, AK.SourceDocument)
        self.label(source, f"Source text {self.source.file_name}")
        self.add(source, DCTERMS.format, Literal(TEXT))
        self.add(source, AK.sha256, Literal(self.source.sha256))
        if self.source.publisher:
            self.add(source, DCTERMS.publisher, self.organization(self.source.publisher))
        if release.issuer:
            self.add(source, DCTERMS.creator, self.organization(release.issuer))
        if release.release_type:
            self.add(source, AK.releaseType, Literal(release.release_type))
        if release.date is not None:
            self.add(source, DCTERMS.issued, release.date)
        if release.event:
            event = self.base[f"event/{self.doc}-release"]
            self.add(event, RDF.type, AK.Event)
            self.label(event, release.event)
            if release.event_date is not None:
                self.add(event, AK.eventDate, release.event_date)
            self.add(self.instrument, AK.releasedAt, event)
        for warning in self.source.warnings:
            self.add(source, AK.extractionWarning, Literal(warning))

    def _provenance(self) -> None:
        source = self.source
        activity = self.base[f"activity/extract-{self.doc}"]
        graph = document_graph_iri(str(self.base), self.doc)
        self.activity(activity, f"Extraction of {source.file_name}", self.source_iri)
        self.add(
            activity, PROV.wasAssociatedWith, self.software("accordkg", source.software_version)
        )
        self.add(graph, PROV.wasGeneratedBy, activity)
        self.add(graph, PROV.wasDerivedFrom, self.source_iri)
        retrieved = self.source_iri
        if source.derivation is not None:
            retrieved = self._derivation(source.derivation)
        if source.url:
            self.add(retrieved, AK.retrievedFrom, URIRef(source.url))
        if source.retrieved:
            self.add(retrieved, AK.retrievedOn, Literal(source.retrieved, datatype=XSD.date))

    def _derivation(self, derivation: Derivation) -> URIRef:
        """The published file a source text was derived from, and the derivation: the text
        `prov:wasDerivedFrom` the file and `prov:wasGeneratedBy` an activity that used it,
        run by the library that read it."""
        original = self.base[f"file/{self.doc}"]
        name = derivation.original.name
        self.add(original, RDF.type, AK.PublishedFile)
        self.label(original, f"Published file {name}")
        self.add(original, DCTERMS.format, Literal(derivation.media_type))
        self.add(original, AK.sha256, Literal(derivation.original_sha256))
        activity = self.base[f"activity/derive-{self.doc}"]
        self.activity(activity, f"Text derivation from {name}", original)
        tool, _, version = derivation.tool.partition(" ")
        self.add(activity, PROV.wasAssociatedWith, self.software(tool, version))
        self.add(self.source_iri, PROV.wasDerivedFrom, original)
        self.add(self.source_iri, PROV.wasGeneratedBy, activity)
        return original

    def activity(self, iri: URIRef, label: str, used: URIRef) -> None:
        self.add(iri, RDF.type, PROV.Activity)
        self.label(iri, label)
        self.add(iri, PROV.used, used)

    def software(self, name: str, version: str) -> URIRef:
        """A program at one version, as the agent of an activity."""
        agent = self.base[f"agent/{slug(f'{name} {version}')}"]
        self.add(agent, RDF.type, PROV.SoftwareAgent)
        self.label(agent, f"{name} {version}")
        self.add(agent, SCHEMA.softwareVersion, Literal(version))
        return agent

    def evidence(self, suffix: str, text: Text, what: str) -> URIRef:
        """An evidence annotation for the span of the source `text` came from."""
        start, end = text.span
        iri = self.base[f"evidence/{self.doc}-{suffix}"]
        target, position, quote = (BNode(f"{self.doc}-{suffix}-{n}") for n in ("t", "p", "q"))
        self.add(iri, RDF.type, AK.Evidence)
        self.label(iri, f"Evidence for {what}")
        self.add(iri, OA.hasTarget, target)
        self.add(target, OA.hasSource, self.source_iri)
        self.add(target, OA.hasSelector, position)
        self.add(target, OA.hasSelector, quote)
        self.add(position, RDF.type, OA.TextPositionSelector)
        self.add(position, OA.start, Literal(start, datatype=XSD.nonNegativeInteger))
        self.add(position, OA.end, Literal(end, datatype=XSD.nonNegativeInteger))
        self.add(quote, RDF.type, OA.TextQuoteSelector)
        self.add(quote, OA.exact, Literal(self.source.raw[start:end]))
        return iri
