"""The dataset described for machines: VoID (with statistics and linksets) and DCAT 3
(catalog, distributions, data services), in one RDF graph.

The statistics are counted by SPARQL over the store (the queries are in `statistics/`)
and kept until the store's data changes (its generation moves). The description itself
is cheap and made per request, because its URLs are those the client reached this server
by. The dataset's title, description, licence and publisher come from the settings
(`ACCORDKG_DATASET_*`).
"""

import threading
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from rdflib import BNode, Graph, Literal, Node, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, VOID, XSD

from accordkg.namespaces import (
    MEDIA_TYPE,
    ROR_HOMEPAGE,
    ROR_ID,
    SPARQL_PROTOCOL,
    SPDX,
    WIKIDATA_ENTITY,
    WIKIDATA_HOMEPAGE,
)
from accordkg.publishing.dumps import DumpFile
from accordkg.resources import new_graph
from accordkg.settings import Settings
from accordkg.store import Store


@dataclass(frozen=True)
class LinkedDataset:
    """An external dataset the graph links to with skos:exactMatch."""

    name: str
    title: str
    homepage: URIRef
    uri_space: str


LINKED_DATASETS = (
    LinkedDataset("wikidata", "Wikidata", WIKIDATA_HOMEPAGE, WIKIDATA_ENTITY),
    LinkedDataset("ror", "Research Organization Registry (ROR)", ROR_HOMEPAGE, ROR_ID),
)


@dataclass(frozen=True)
class DatasetStatistics:
    """What SPARQL counts in the store: the numbers VoID publishes."""

    triples: int
    distinct_subjects: int
    distinct_objects: int
    entities: int
    classes: dict[str, int]  # class IRI -> distinct resources of that type
    properties: dict[str, int]  # property IRI -> distinct triples using it
    links: dict[str, int]  # LinkedDataset.name -> skos:exactMatch links into it
    examples: list[str]  # instruments extracted from a source text

    @property
    def vocabularies(self) -> list[str]:
        """The namespaces of every class and property used."""
        return sorted({_namespace(iri) for iri in [*self.classes, *self.properties]})


@dataclass(frozen=True)
class Urls:
    """Where this server publishes what the description points to (absolute URLs)."""

    description: str
    sparql: str
    dumps: dict[str, str]  # dump file name -> its URL
    openapi: str
    graph_api: str


def count_statistics(store: Store, base_iri: str) -> DatasetStatistics:
    """Count everything VoID says about the store's content."""
    totals = store.select(_query("totals")).rows[0]
    entities = store.select(_query("entities"), {"space": Literal(base_iri)}).rows[0]
    classes = store.select(_query("classes")).rows
    properties = store.select(_query("properties")).rows
    examples = store.select(_query("examples")).rows
    links = {
        linked.name: int(
            store.select(_query("links"), {"space": Literal(linked.uri_space)}).rows[0]["links"]
        )
        for linked in LINKED_DATASETS
    }
    return DatasetStatistics(
        triples=int(totals["triples"]),
        distinct_subjects=int(totals["subjects"]),
        distinct_objects=int(totals["objects"]),
        entities=int(entities["entities"]),
        classes={str(row["class"]): int(row["entities"]) for row in classes},
        properties={str(row["property"]): int(row["triples"]) for row in properties},
        links=links,
        examples=[str(row["instrument"]) for row in examples],
    )


class CurrentStatistics:
    """The statistics of the store's content, counted again only after it changed."""

    def __init__(self, store: Store, base_iri: str) -> None:
        self._store = store
        self._base_iri = base_iri
        self._lock = threading.Lock()
        self._statistics: DatasetStatistics | None = None
        self._generation: int | None = None

    def get(self) -> DatasetStatistics:
        with self._lock:
            generation = self._store.generation
            if self._statistics is None or generation != self._generation:
                self._statistics = count_statistics(self._store, self._base_iri)
                self._generation = generation
            return self._statistics


def describe_dataset(
    settings: Settings, statistics: DatasetStatistics, dumps: list[DumpFile], urls: Urls
) -> Graph:
    """The VoID and DCAT 3 description of the dataset as served at `urls`."""
    description = _Description(urls.description)
    dataset = description.node("dataset")
    description.catalog(settings, dataset)
    description.void(settings, statistics, dataset, URIRef(urls.sparql))
    description.linksets(statistics, dataset)
    licence = URIRef(settings.dataset_license)
    for dump in dumps:
        description.distribution(dump, URIRef(urls.dumps[dump.file_name]), dataset, licence)
    services = [
        ("sparql", "SPARQL 1.1 endpoint", urls.sparql, urls.sparql),
        ("graph-api", "Graph traversal API", urls.graph_api, urls.openapi),
    ]
    for name, title, endpoint, endpoint_description in services:
        service = description.service(name, title, URIRef(endpoint), dataset)
        description.add(service, DCAT.endpointDescription, URIRef(endpoint_description))
        if name == "sparql":
            description.add(service, DCTERMS.conformsTo, SPARQL_PROTOCOL)
    return description.graph


class _Description:
    """The description graph being written; its nodes are fragments of its own URL."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.graph = new_graph()
        self.graph.bind("dcat", DCAT)
        self.graph.bind("spdx", SPDX)

    def node(self, name: str) -> URIRef:
        return URIRef(f"{self.url}#{name}")

    def add(self, subject: Node, predicate: URIRef, *objects: Node) -> None:
        for value in objects:
            self.graph.add((subject, predicate, value))

    def catalog(self, settings: Settings, dataset: URIRef) -> None:
        publisher, catalog = self.node("publisher"), self.node("catalog")
        self.add(publisher, RDF.type, FOAF.Agent)
        self.add(publisher, FOAF.name, Literal(settings.dataset_publisher))
        self.add(catalog, RDF.type, DCAT.Catalog)
        self.add(catalog, DCTERMS.title, Literal(f"{settings.dataset_title} (catalog)", lang="en"))
        self.add(catalog, DCTERMS.publisher, publisher)
        self.add(catalog, DCAT.dataset, dataset)
        self.add(dataset, RDF.type, VOID.Dataset, DCAT.Dataset)
        self.add(dataset, DCTERMS.title, Literal(settings.dataset_title, lang="en"))
        self.add(dataset, DCTERMS.description, Literal(settings.dataset_description, lang="en"))
        self.add(dataset, DCTERMS.license, URIRef(settings.dataset_license))
        self.add(dataset, DCTERMS.publisher, publisher)

    def void(
        self, settings: Settings, statistics: DatasetStatistics, dataset: URIRef, sparql: URIRef
    ) -> None:
        self.add(dataset, VOID.uriSpace, Literal(settings.base_iri))
        self.add(dataset, VOID.sparqlEndpoint, sparql)
        self.add(dataset, VOID.exampleResource, *(URIRef(iri) for iri in statistics.examples))
        self.add(dataset, VOID.vocabulary, *(URIRef(iri) for iri in statistics.vocabularies))
        self.add(dataset, VOID.triples, _count(statistics.triples))
        self.add(dataset, VOID.entities, _count(statistics.entities))
        self.add(dataset, VOID.distinctSubjects, _count(statistics.distinct_subjects))
        self.add(dataset, VOID.distinctObjects, _count(statistics.distinct_objects))
        self.add(dataset, VOID.classes, _count(len(statistics.classes)))
        self.add(dataset, VOID.properties, _count(len(statistics.properties)))
        for class_iri, entities in statistics.classes.items():
            partition = BNode()
            self.add(dataset, VOID.classPartition, partition)
            self.add(partition, VOID["class"], URIRef(class_iri))
            self.add(partition, VOID.entities, _count(entities))
        for property_iri, triples in statistics.properties.items():
            partition = BNode()
            self.add(dataset, VOID.propertyPartition, partition)
            self.add(partition, VOID.property, URIRef(property_iri))
            self.add(partition, VOID.triples, _count(triples))

    def linksets(self, statistics: DatasetStatistics, dataset: URIRef) -> None:
        for linked in LINKED_DATASETS:
            target, linkset = self.node(linked.name), self.node(f"links-{linked.name}")
            self.add(target, RDF.type, VOID.Dataset)
            self.add(target, DCTERMS.title, Literal(linked.title, lang="en"))
            self.add(target, FOAF.homepage, linked.homepage)
            self.add(target, VOID.uriSpace, Literal(linked.uri_space))
            self.add(dataset, VOID.subset, linkset)
            self.add(linkset, RDF.type, VOID.Linkset)
            self.add(linkset, VOID.linkPredicate, SKOS.exactMatch)
            self.add(linkset, VOID.target, dataset, target)
            self.add(linkset, VOID.subjectsTarget, dataset)
            self.add(linkset, VOID.objectsTarget, target)
            self.add(linkset, VOID.triples, _count(statistics.links[linked.name]))

    def distribution(self, dump: DumpFile, url: URIRef, dataset: URIRef, licence: URIRef) -> None:
        distribution, checksum = self.node(dump.file_name), BNode()
        gzipped = ", gzipped" if dump.compressed else ""
        self.add(dataset, VOID.dataDump, url)
        self.add(dataset, DCAT.distribution, distribution)
        self.add(distribution, RDF.type, DCAT.Distribution)
        self.add(
            distribution, DCTERMS.title, Literal(f"{dump.format.title} dump{gzipped}", lang="en")
        )
        self.add(distribution, DCAT.downloadURL, url)
        self.add(distribution, DCAT.accessURL, url)
        self.add(distribution, DCAT.mediaType, MEDIA_TYPE[dump.format.media_type])
        if dump.compressed:
            self.add(distribution, DCAT.compressFormat, MEDIA_TYPE[dump.media_type])
        self.add(distribution, DCAT.byteSize, Literal(dump.size, datatype=XSD.nonNegativeInteger))
        self.add(distribution, DCTERMS.license, licence)
        self.add(distribution, SPDX.checksum, checksum)
        self.add(checksum, RDF.type, SPDX.Checksum)
        self.add(checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256)
        self.add(checksum, SPDX.checksumValue, Literal(dump.sha256, datatype=XSD.hexBinary))

    def service(self, name: str, title: str, endpoint: URIRef, dataset: URIRef) -> URIRef:
        service = self.node(name)
        self.add(self.node("catalog"), DCAT.service, service)
        self.add(service, RDF.type, DCAT.DataService)
        self.add(service, DCTERMS.title, Literal(title, lang="en"))
        self.add(service, DCAT.endpointURL, endpoint)
        self.add(service, DCAT.servesDataset, dataset)
        return service


@cache
def _query(name: str) -> str:
    return files("accordkg.publishing").joinpath(f"statistics/{name}.rq").read_text("utf-8")


def _count(number: int) -> Literal:
    return Literal(number, datatype=XSD.integer)


def _namespace(iri: str) -> str:
    """The IRI up to and including its last `#`, or else its last `/`."""
    cut = iri.rfind("#") if "#" in iri else iri.rfind("/")
    return iri[: cut + 1]
