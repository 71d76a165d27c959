"""Stage 4: the facts of one document as an RDF graph under the vocabulary contract.

IRIs are deterministic: `{base}{kind}/{slug}`, with slugs from the document id (the
source file's name) for the document's own resources, and from names for shared ones
(people, places, parties not in the registry), so the same input gives the same IRIs
everywhere. Every recital, commitment, clause, signature and the instrument itself get
evidence: a Web Annotation with the character span in the source file and its quote.
"""

from dataclasses import dataclass
from datetime import datetime

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, XSD

from accordkg.extraction.facts import Clause, InstrumentFacts, Provision, Reference
from accordkg.extraction.registry import Registry, name_key, slug
from accordkg.extraction.segment import ORGANIZATION_WORDS
from accordkg.extraction.text import Text
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
    started: datetime
    ended: datetime


def document_graph_iri(base: str, doc_id: str) -> URIRef:
    """The named graph that holds one source document's facts."""
    return URIRef(f"{base}graph/{doc_id}")


def to_rdf(facts: InstrumentFacts, source: Source, registry: Registry, base: str) -> Graph:
    """The RDF of one document's facts."""
    return _Builder(facts, source, registry, Namespace(base)).build()


class _Builder:
    def __init__(
        self, facts: InstrumentFacts, source: Source, registry: Registry, base: Namespace
    ) -> None:
        self.facts = facts
        self.source = source
        self.registry = registry
        self.base = base
        self.graph = new_graph()
        self.doc = source.doc_id
        self.instrument = base[f"instrument/{self.doc}"]
        self.source_iri = base[f"source/{self.doc}"]
        self.party_iris: dict[str, URIRef] = {}

    def build(self) -> Graph:
        self._instrument()
        self._parties()
        self._provisions("recital", AK.recital, self.facts.recitals)
        self._provisions("commitment", AK.commitment, self.facts.commitments)
        self._clauses()
        self._signatures()
        self._release()
        self._provenance()
        return self.graph

    def add(
        self, subject: URIRef | BNode, predicate: URIRef, value: URIRef | Literal | BNode
    ) -> None:
        self.graph.add((subject, predicate, value))

    def label(self, subject: URIRef, text: str, language: str | None = "en") -> None:
        self.add(subject, RDFS.label, Literal(text, lang=language))

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
            self.add(iri, AK.dateSigned, signing.date)
        for place in signing.places:
            place_iri = self.base[f"place/{slug(place)}"]
            self.add(place_iri, RDF.type, AK.Place)
            self.label(place_iri, place)
            self.add(iri, AK.placeOfSigning, place_iri)
        if signing.originals is not None:
            self.add(iri, AK.numberOfOriginals, Literal(signing.originals))

    def _parties(self) -> None:
        for name in self.facts.parties:
            self.add(self.instrument, AK.party, self.party(name))

    def party(self, name: str) -> URIRef:
        """The party a printed name denotes: the registry's entity, else one minted from
        the name; "the Republic of X" and "the Republic of X and Y" kept apart, but "X" and
        "X of America" taken as the same unknown party."""
        known = self.registry.party(name)
        if known is not None:
            return known
        key = name_key(name)
        for seen_key, iri in self.party_iris.items():
            if key.startswith(seen_key + " ") or seen_key.startswith(key + " "):
                return iri
        # "the Government of X" is the state X acting through its government.
        is_organization = ORGANIZATION_WORDS.search(key.title()) is not None
        kind = "organization" if is_organization else "state"
        iri = self.base[f"{kind}/{slug(name)}"]
        self.add(iri, RDF.type, AK.Organization if is_organization else AK.State)
        self.label(iri, name.removeprefix("the "))
        self.party_iris[key] = iri
        return iri

    def _provisions(self, kind: str, link: URIRef, provisions: tuple[Provision, ...]) -> None:
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
            if provision.mechanism:
                mechanism = self.base[f"mechanism/{self.doc}-{slug(provision.mechanism)}"]
                self.add(mechanism, RDF.type, AK.CooperationMechanism)
                self.label(mechanism, provision.mechanism)
                self.add(iri, AK.establishes, mechanism)
            for theme in self.registry.themes_in(provision.text):
                self.add(iri, AK.theme, theme)
            self._references(iri, provision.references)

    def _clauses(self) -> None:
        facts = self.facts
        clauses: list[tuple[str, str, URIRef, URIRef, Clause]] = []
        if facts.lead_in is not None:
            lead_in = ("lead-in", "operative lead-in", AK.operativeLeadIn, AK.OperativeLeadIn)
            clauses.append((*lead_in, facts.lead_in))
        if facts.signing is not None:
            signing = ("signing-clause", "signing clause", AK.signingClause, AK.SigningClause)
            clauses.append((*signing, facts.signing.clause))
        for suffix, name, link, cls, clause in clauses:
            iri = self.base[f"clause/{self.doc}-{suffix}"]
            self.add(self.instrument, link, iri)
            self.add(iri, RDF.type, cls)
            self.label(iri, name.capitalize())
            self.add(iri, AK.text, Literal(clause.text))
            self.add(iri, AK.evidence, self.evidence(suffix, clause.source, f"the {name}"))
            self._references(iri, clause.references)

    def _references(self, provision: URIRef, references: tuple[Reference, ...]) -> None:
        for reference in references:
            iri = self.registry.instrument(reference.name)
            if iri is None:
                iri = self.base[f"instrument/{slug(reference.name)}"]
                self.add(iri, RDF.type, AK[reference.form or "Instrument"])
                self.label(iri, reference.name)
                self.add(iri, AK.title, Literal(reference.name, lang="en"))
                if reference.date is not None:
                    self.add(iri, AK.dateSigned, reference.date)
            self.add(provision, AK.refersTo, iri)
            self.add(self.instrument, AK.buildsOn if reference.builds_on else AK.cites, iri)

    def _signatures(self) -> None:
        for number, signatory in enumerate(self.facts.signatories, start=1):
            iri = self.base[f"signature/{self.doc}-{number}"]
            person = self.base[f"person/{slug(signatory.name)}"]
            party = self.party(signatory.party)
            self.add(self.instrument, AK.signature, iri)
            self.add(iri, RDF.type, AK.Signature)
            self.label(iri, f"Signature of {signatory.name} for {signatory.party}")
            self.add(iri, AK.signatory, person)
            self.add(iri, AK.onBehalfOf, party)
            self.add(person, RDF.type, AK.Person)
            self.label(person, signatory.name, None)
            self.add(person, FOAF.name, Literal(signatory.name))
            for predicate, value in [
                (AK.honorific, signatory.honorific),
                (AK.postNominals, signatory.post_nominals),
                (AK.officeTitle, signatory.office),
            ]:
                if value:
                    self.add(iri, predicate, Literal(value))
            if signatory.organization:
                self.add(iri, AK.organization, self.organization(signatory.organization))
            label = f"signature {number}"
            self.add(
                iri, AK.evidence, self.evidence(f"signature-{number}", signatory.source, label)
            )

    def organization(self, name: str) -> URIRef:
        known = self.registry.party(name)
        if known is not None:
            return known
        iri = self.base[f"organization/{slug(name)}"]
        self.add(iri, RDF.type, AK.Organization)
        self.label(iri, name)
        return iri

    def _release(self) -> None:
        release, source = self.facts.release, self.source_iri
        self.add(source, RDF.type, AK.SourceDocument)
        self.label(source, f"Source text {self.source.file_name}")
        self.add(source, DCTERMS.format, Literal("text/plain"))
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

    def _provenance(self) -> None:
        source = self.source
        activity = self.base[f"activity/extract-{self.doc}"]
        agent = self.base[f"agent/{slug('accordkg ' + source.software_version)}"]
        graph = document_graph_iri(str(self.base), self.doc)
        self.add(activity, RDF.type, PROV.Activity)
        self.label(activity, f"Extraction of {source.file_name}")
        self.add(activity, PROV.used, self.source_iri)
        self.add(activity, PROV.wasAssociatedWith, agent)
        for predicate, moment in [
            (PROV.startedAtTime, source.started),
            (PROV.endedAtTime, source.ended),
        ]:
            self.add(activity, predicate, Literal(moment.isoformat(), datatype=XSD.dateTime))
        self.add(agent, RDF.type, PROV.SoftwareAgent)
        self.label(agent, f"accordkg {source.software_version}")
        self.add(agent, SCHEMA.softwareVersion, Literal(source.software_version))
        self.add(graph, PROV.wasGeneratedBy, activity)
        self.add(graph, PROV.wasDerivedFrom, self.source_iri)

    def evidence(self, suffix: str, text: Text, what: str) -> URIRef:
        """An evidence annotation for the span of the source `text` came from."""
        start, end = text.span
        iri = self.base[f"evidence/{self.doc}-{suffix}"]
        target, position, quote = BNode(), BNode(), BNode()
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
