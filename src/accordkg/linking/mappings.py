"""Links out as data: the SSSOM table in data/ becomes the mappings graph, and any graph
holding an SSSOM mapping set is exported back to SSSOM/TSV."""

from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from accordkg.errors import InputError, NotFoundError
from accordkg.extraction.registry import name_key
from accordkg.linking.sssom import MappingSet, from_graph, parse_sssom, write_sssom
from accordkg.namespaces import SSSOM
from accordkg.settings import Settings
from accordkg.store import Store

GRAPH_TRIPLES = "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
MAPPING_SETS = f"SELECT ?set WHERE {{ GRAPH ?g {{ ?set a {SSSOM.MappingSet.n3()} }} }} LIMIT 2"
ANY_TRIPLE = "SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1"


def read_mappings(path: Path, settings: Settings) -> MappingSet:
    """An SSSOM/TSV file from disk, decoded strictly as UTF-8 (as the format demands)."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: SSSOM/TSV is UTF-8, and this file is not: {exc}") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot be read: {exc}") from exc
    return parse_sssom(text.removeprefix("\ufeff"), str(path), settings.base_iri)


def checked_against(mapping_set: MappingSet, entities: Graph, name: str) -> list[str]:
    """Raise unless every subject is an entity of `entities` (typed there); warnings for
    subject labels that are none of the entity's names."""
    unknown, warnings = [], []
    for mapping, (subject, _, _) in zip(mapping_set.mappings, mapping_set.links(), strict=True):
        if (subject, RDF.type, None) not in entities:
            unknown.append(mapping["subject_id"][0])
            continue
        label = mapping.get("subject_label", ("",))[0]
        names = {name_key(str(n)) for n in _names(entities, subject)}
        if label and name_key(label) not in names:
            warnings.append(
                f"{mapping['subject_id'][0]}: subject_label {label!r} is none of its names"
            )
    if unknown:
        listed = ", ".join(sorted(set(unknown)))
        raise InputError(f"{name}: mapping subjects that are not entities of the graph: {listed}")
    return warnings


def graph_content(store: Store, graph: URIRef) -> Graph:
    """Every triple of one named graph, read through the store's SELECT."""
    content = Graph()
    for row in store.select(GRAPH_TRIPLES, {"g": graph}).rows:
        subject, predicate, value = row["s"], row["p"], row["o"]
        if isinstance(predicate, URIRef) and not isinstance(subject, Literal):
            content.add((subject, predicate, value))
    return content


def export_mappings(store: Store, graph: URIRef) -> str:
    """The mapping set held in `graph`, as SSSOM/TSV. Two bounded queries first make sure
    that the graph holds one mapping set, so no other graph is ever read whole."""
    sets = len(store.select(MAPPING_SETS, {"g": graph}).rows)
    if sets == 0:  # no table to give: whether the graph is there or not, it is not one
        if not store.select(ANY_TRIPLE, {"g": graph}).rows:
            raise NotFoundError(f"no graph {graph} in the store")
        raise NotFoundError(f"{graph} holds no SSSOM mapping set")
    if sets != 1:
        raise InputError(f"{graph} holds more than one SSSOM mapping set: no one table")
    return write_sssom(from_graph(graph_content(store, graph)))


def _names(graph: Graph, entity: URIRef) -> list[Literal]:
    return [
        value
        for predicate in (RDFS.label, SKOS.prefLabel, SKOS.altLabel)
        for value in graph.objects(entity, predicate)
        if isinstance(value, Literal)
    ]
