"""`accordkg import`: another dataset's RDF, or an SSSOM table of links, into a named
graph of its own.

A file is read whole, parsed and validated before anything is written, and then replaces
its graph in one transaction: a bad file is refused with every problem named and the
store keeps what it had. Validation: the syntax; every `ak:` term must be one the
ontology defines; the SHACL shapes, over the file together with what the store says about
the entities it mentions; for SSSOM, the table's own rules and that each mapping touches
an entity of this graph. RDF is read as accordkg.pipeline.rdf_input reads it: nothing is fetched
(a JSON-LD context must be inline), no XML entities, no deep nesting.
"""

import re
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import Graph, Node, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from accordkg.errors import InputError, ValidationError
from accordkg.extraction.registry import slug
from accordkg.graphs import built_prefix, imports_prefix, is_built_by_build
from accordkg.iris import checked_iri, is_absolute_iri
from accordkg.linking.sssom import MAPPING_PREDICATES, parse_sssom, to_graph
from accordkg.namespaces import AK, ONTOLOGY_IRI
from accordkg.pipeline.rdf_input import parse_rdf
from accordkg.pipeline.validation import validate
from accordkg.resources import ontology_graph, shapes_graph
from accordkg.settings import Settings
from accordkg.store import Store, open_store

# Formats by name, with the rdflib parser for each (SSSOM is read by accordkg.linking.sssom).
PARSERS = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml"}
IMPORT_FORMATS = (*PARSERS, "sssom")
EXTENSIONS = {
    ".ttl": "turtle",
    ".nt": "ntriples",
    ".jsonld": "jsonld",
    ".json": "jsonld",
    ".rdf": "rdfxml",
    ".owl": "rdfxml",
    ".xml": "rdfxml",
    ".tsv": "sssom",
}
# A saved web page: the document starts (after an XML declaration, a BOM, comments) with
# an HTML doctype or element. The RDF/XML parser would take one for data.
SAVED_WEB_PAGE = re.compile(
    r"\ufeff?\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html)[\s>]",
    re.IGNORECASE | re.DOTALL,
)
DESCRIPTION_QUERY = "SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {nodes} }} ?s ?p ?o }}"
NODES_PER_DESCRIPTION_QUERY = 200


@dataclass(frozen=True)
class ImportReport:
    """What an import put into the store: the graph and its size; the entities (IRIs the
    file types, or for an SSSOM table the subjects it maps); the links (SKOS mappings and
    owl:sameAs); whether the graph held an earlier import; and what to look at."""

    graph: str
    format: str
    triples: int
    entities: int
    links: int
    replaced: bool
    warnings: tuple[str, ...]


def import_file(
    settings: Settings, path: Path, graph: str | None = None, file_format: str | None = None
) -> ImportReport:
    """Load `path` into its own named graph (default `{base}graph/import/{file name}`)."""
    file_format = file_format or format_of(path)
    if file_format not in IMPORT_FORMATS:
        raise InputError(f"unknown format {file_format!r}; use one of {', '.join(IMPORT_FORMATS)}")
    target = checked_iri(graph, "--graph") if graph else default_graph(settings, path)
    _check_target(settings, target)
    data = _read(path, settings.max_import_bytes)
    warnings: list[str] = []
    with closing(open_store(settings)) as store:
        if file_format == "sssom":
            mapping_set = parse_sssom(_utf8(data, path), str(path), settings.base_iri)
            content = to_graph(mapping_set)
            warnings += mapping_set.warnings
            _check_links_touch_the_graph(store, mapping_set.links(), path)
            entities = len({subject for subject, _, _ in mapping_set.links()})
        else:
            content = _parse_rdf(data, file_format, path, settings.base_iri)
            _check_terms(content, path)
            _validate(store, content)
            entities = len({s for s in content.subjects(RDF.type) if isinstance(s, URIRef)})
        if any(content.triples((None, OWL.sameAs, None))):
            warnings.append("owl:sameAs links: accordkg links with skos:exactMatch")
        replaced = str(target) in store.graph_names()
        store.replace_graphs({target: content})
    return ImportReport(
        graph=str(target),
        format=file_format,
        triples=len(content),
        entities=entities,
        links=sum(1 for _, p, _ in content if p in MAPPING_PREDICATES or p == OWL.sameAs),
        replaced=replaced,
        warnings=tuple(warnings),
    )


def format_of(path: Path) -> str:
    """The format a file name says (`.sssom.tsv` and `.tsv` are SSSOM)."""
    found = EXTENSIONS.get(path.suffix.lower())
    if found is None:
        known = ", ".join(sorted(EXTENSIONS))
        raise InputError(f"{path}: cannot tell the format from {path.suffix or 'no extension'} "
                         f"({known}); give it with --format")  # fmt: skip
    return found


def default_graph(settings: Settings, path: Path) -> URIRef:
    """`{base}graph/import/{slug of the file name}`: importing the same file again replaces
    what it loaded before."""
    name = path.name.lower().removesuffix(".sssom.tsv").rsplit(".", 1)[0]
    return URIRef(f"{imports_prefix(settings.base_iri)}{slug(name)}")


def _check_target(settings: Settings, target: URIRef) -> None:
    built = built_prefix(settings.base_iri)
    if target == ONTOLOGY_IRI or is_built_by_build(settings.base_iri, target):
        raise InputError(
            f"{target} is a graph `accordkg build` makes; import into a graph under "
            f"{imports_prefix(settings.base_iri)} (the default) or outside {built}"
        )


def _read(path: Path, limit: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > limit:
            raise InputError(f"{path}: {size} bytes, over the import limit of {limit}")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read: {exc}") from exc
    if not data.strip():
        raise InputError(f"{path}: the file is empty")
    return data


def _utf8(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8: {exc}") from exc


def _parse_rdf(data: bytes, file_format: str, path: Path, base_iri: str) -> Graph:
    """The file's triples; relative IRIs resolve against the base IRI, as in data/records.
    Parsed as the server parses uploads: nothing fetched, no entities, bounded nesting."""
    if SAVED_WEB_PAGE.match(data[:4096].decode("utf-8", "replace")):
        raise InputError(f"{path}: this is an HTML page, not {file_format}")
    try:
        graph = parse_rdf(data, PARSERS[file_format], base_iri, file_format)
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from exc
    if not graph:
        raise InputError(f"{path}: no triples in the file")
    return graph


def _check_terms(content: Graph, path: Path) -> None:
    """Every ak: property and class the file uses is defined by the ontology."""
    defined = set(ontology_graph().subjects())
    used = {*content.predicates(), *content.objects(None, RDF.type)}
    unknown = sorted(
        t for t in used if isinstance(t, URIRef) and t.startswith(str(AK)) and t not in defined
    )
    if unknown:
        names = ", ".join(f"ak:{t.removeprefix(str(AK))}" for t in unknown)
        raise InputError(f"{path}: terms the accordkg ontology does not define: {names}")


def _validate(store: Store, content: Graph) -> None:
    """The shapes, over the part of the file they target: the nodes typed (in the file or
    in the store) with a class a shape targets, with what the file says of them and of the
    nodes it reaches from them, what the store already says of them, and the types of
    everything they point at. Only violations on the file's own nodes count; the rest of
    the store was validated when it was built. (SHACL with RDFS inference over a whole
    large file would take minutes for nothing the shapes look at.)"""
    targeted = _targeted_classes()
    typed = _descriptions(store, _iris(content.subjects()), RDF.type)
    typed += content.triples((None, RDF.type, None))
    if any(o in targeted for o in content.objects(None, RDFS.subClassOf)):
        focus = set(content.subjects())  # the file extends the ontology: check all of it
    else:
        focus = {node for node, cls in typed.subject_objects(RDF.type) if cls in targeted}
    if not focus:
        return
    context = _reachable(content, focus)
    context += _descriptions(store, _iris(focus))
    context += _descriptions(store, _iris(context.objects()) - _iris(focus), RDF.type)
    try:
        validate(context)
    except ValidationError as error:
        own = {node.n3() for node in focus if (node, None, None) in content}
        violations = [v for v in error.violations if v.focus_node in own]
        if violations:
            raise ValidationError(violations) from error


@cache
def _targeted_classes() -> frozenset[Node]:
    """The classes the shapes target, with every subclass the ontology gives them."""
    ontology = ontology_graph()
    found = set(shapes_graph().objects(None, SH.targetClass))
    pending = list(found)
    while pending:
        for subclass in ontology.subjects(RDFS.subClassOf, pending.pop()):
            if subclass not in found:
                found.add(subclass)
                pending.append(subclass)
    return frozenset(found)


def _reachable(content: Graph, start: Iterable[Node]) -> Graph:
    """The triples of the file about `start` and about every node reached from them."""
    part = Graph()
    seen, pending = set(start), list(start)
    while pending:
        for triple in content.triples((pending.pop(), None, None)):
            part.add(triple)
            if triple[2] not in seen and (triple[2], None, None) in content:
                seen.add(triple[2])
                pending.append(triple[2])
    return part


def _iris(nodes: Iterable[Node]) -> set[URIRef]:
    return {n for n in nodes if isinstance(n, URIRef) and is_absolute_iri(n)}


def _descriptions(store: Store, nodes: Iterable[URIRef], only: URIRef | None = None) -> Graph:
    """What the store says about `nodes` (everything, or only the property `only`)."""
    found = Graph()
    ordered = sorted(nodes)
    for start in range(0, len(ordered), NODES_PER_DESCRIPTION_QUERY):
        batch = " ".join(node.n3() for node in ordered[start : start + NODES_PER_DESCRIPTION_QUERY])
        query = DESCRIPTION_QUERY.format(nodes=batch)
        rows = store.select(query, {"p": only} if only is not None else None).rows
        for row in rows:
            subject, predicate = row["s"], row["p"]
            if isinstance(subject, URIRef) and isinstance(predicate, URIRef):
                found.add((subject, predicate, row["o"]))
    return found


def _check_links_touch_the_graph(
    store: Store, links: Iterable[tuple[URIRef, URIRef, URIRef]], path: Path
) -> None:
    """Each mapping must have this graph's entity on one side, or it links nothing here."""
    links = list(links)
    known = _descriptions(store, {node for s, _, o in links for node in (s, o)}, RDF.type)
    stray = [
        f"{s} {o}"
        for s, _, o in links
        if (s, RDF.type, None) not in known and (o, RDF.type, None) not in known
    ]
    if stray:
        raise InputError(
            f"{path}: mappings with no entity of this graph on either side: {'; '.join(stray)}"
        )
