"""SSSOM mapping tables, read and written here (the format is a small TSV with a header).

An SSSOM/TSV file is a YAML metadata block, each line prefixed with `#`, then a table of
mappings. In RDF, following the SSSOM/RDF rules, the set is a `sssom:MappingSet` named by
its `mapping_set_id` and each mapping an `owl:Axiom` blank node that annotates its
subject, predicate and object with who, when, how and how sure; the plain
`subject predicate object` link is asserted as well, so SPARQL and VoID see the links
without knowing SSSOM. The CURIE map is kept as SHACL prefix declarations (`sh:declare`)
on the set, so an export writes the CURIEs the table was written with.

IRIs under the public base (`https://w3id.org/accordkg/id/`) name this dataset's
entities wherever it is deployed: they are read as IRIs under the configured base.
"""

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

import yaml
from rdflib import BNode, Graph, Node, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS, XSD

from accordkg.errors import InputError
from accordkg.iris import is_absolute_iri
from accordkg.namespaces import DEFAULT_BASE_IRI, PAV, SEMAPV, SSSOM

SlotKind = Literal["id", "uri", "date", "double", "string"]
Values = tuple[str, ...]

# Prefixes every SSSOM table may use without declaring them.
BUILTIN_PREFIXES = {
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "semapv": str(SEMAPV),
    "skos": str(SKOS),
    "sssom": str(SSSOM),
}
# Links accordkg publishes: the SKOS mapping properties (never owl:sameAs).
MAPPING_PREDICATES = frozenset(
    {SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch}
)
JUSTIFICATIONS = frozenset(
    SEMAPV[name]
    for name in (
        "ManualMappingCuration",
        "MappingReview",
        "LogicalReasoning",
        "LexicalMatching",
        "CompositeMatching",
        "UnspecifiedMatching",
        "SemanticSimilarityThresholdMatching",
        "LexicalSimilarityThresholdMatching",
        "MappingChaining",
        "MappingInversion",
        "StructuralMatching",
        "InstanceBasedMatching",
        "BackgroundKnowledgeBasedMatching",
    )
)
REQUIRED_COLUMNS = ("subject_id", "predicate_id", "object_id", "mapping_justification")
MAX_PROBLEMS = 20


@dataclass(frozen=True)
class Slot:
    """One SSSOM slot: its name, the RDF property it is written as, and its value type."""

    name: str
    predicate: URIRef
    kind: SlotKind
    multivalued: bool = False


def _slot(name: str, predicate: URIRef | None, kind: SlotKind, multivalued: bool = False) -> Slot:
    return Slot(name, predicate if predicate is not None else SSSOM[name], kind, multivalued)


# The slots accordkg reads and writes, in the order of the SSSOM model (the column order).
MAPPING_SLOTS = (
    _slot("subject_id", OWL.annotatedSource, "id"),
    _slot("subject_label", None, "string"),
    _slot("predicate_id", OWL.annotatedProperty, "id"),
    _slot("predicate_label", None, "string"),
    _slot("object_id", OWL.annotatedTarget, "id"),
    _slot("object_label", None, "string"),
    _slot("mapping_justification", None, "id"),
    _slot("author_id", PAV.authoredBy, "id", multivalued=True),
    _slot("author_label", None, "string", multivalued=True),
    _slot("reviewer_id", None, "id", multivalued=True),
    _slot("reviewer_label", None, "string", multivalued=True),
    _slot("creator_id", DCTERMS.creator, "id", multivalued=True),
    _slot("creator_label", None, "string", multivalued=True),
    _slot("license", DCTERMS.license, "uri"),
    _slot("subject_source", None, "id"),
    _slot("object_source", None, "id"),
    _slot("mapping_provider", None, "uri"),
    _slot("mapping_tool", None, "string"),
    _slot("mapping_date", DCTERMS.created, "date"),
    _slot("publication_date", DCTERMS.issued, "date"),
    _slot("review_date", None, "date"),
    _slot("confidence", None, "double"),
    _slot("see_also", RDFS.seeAlso, "uri", multivalued=True),
    _slot("comment", RDFS.comment, "string"),
)
SET_SLOTS = (
    _slot("mapping_set_version", OWL.versionInfo, "string"),
    _slot("mapping_set_title", DCTERMS.title, "string"),
    _slot("mapping_set_description", DCTERMS.description, "string"),
    _slot("creator_id", DCTERMS.creator, "id", multivalued=True),
    _slot("creator_label", None, "string", multivalued=True),
    _slot("license", DCTERMS.license, "uri"),
    _slot("subject_source", None, "id"),
    _slot("object_source", None, "id"),
    _slot("mapping_provider", None, "uri"),
    _slot("mapping_tool", None, "string"),
    _slot("mapping_date", DCTERMS.created, "date"),
    _slot("publication_date", DCTERMS.issued, "date"),
    _slot("see_also", RDFS.seeAlso, "uri", multivalued=True),
    _slot("comment", RDFS.comment, "string"),
)
MAPPING_SLOT = {slot.name: slot for slot in MAPPING_SLOTS}
SET_SLOT = {slot.name: slot for slot in SET_SLOTS}


@dataclass(frozen=True)
class MappingSet:
    """One SSSOM mapping set; values as written in SSSOM/TSV (identifiers as CURIEs)."""

    id: str
    curie_map: dict[str, str]
    metadata: dict[str, Values]
    mappings: list[dict[str, Values]]
    warnings: tuple[str, ...] = field(default=(), compare=False)

    def expand(self, curie: str) -> URIRef:
        """The IRI a CURIE of this set stands for."""
        prefix, _, local = curie.partition(":")
        namespace = self.curie_map.get(prefix, BUILTIN_PREFIXES.get(prefix))
        if namespace is None:
            raise InputError(f"the prefix of {curie!r} is not declared in the curie_map")
        return URIRef(namespace + local)

    def links(self) -> Iterator[tuple[URIRef, URIRef, URIRef]]:
        """Each mapping as the plain (subject, predicate, object) link it asserts."""
        for mapping in self.mappings:
            yield (
                self.expand(mapping["subject_id"][0]),
                self.expand(mapping["predicate_id"][0]),
                self.expand(mapping["object_id"][0]),
            )


def parse_sssom(text: str, name: str, base_iri: str = DEFAULT_BASE_IRI) -> MappingSet:
    """Read an SSSOM/TSV table (embedded metadata), checking everything accordkg relies on;
    every problem found is listed in one InputError."""
    lines = text.splitlines()
    header_at = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    metadata = _metadata_block(lines[:header_at], name)
    problems: list[str] = []
    warnings: list[str] = []
    curie_map = _curie_map(metadata.pop("curie_map", None), base_iri, problems)
    set_id = _rebased(str(metadata.pop("mapping_set_id", "") or ""), base_iri)
    if not is_absolute_iri(set_id):
        problems.append("mapping_set_id must be an absolute IRI")
    set_metadata: dict[str, Values] = {}
    for key, value in metadata.items():
        slot = SET_SLOT.get(str(key))
        if slot is None:
            warnings.append(f"metadata {key!r} is not an SSSOM slot accordkg reads; ignored")
            continue
        values = _yaml_values(value)
        _check_values(slot, values, curie_map, f"metadata {key}", problems)
        set_metadata[slot.name] = values
    if "license" not in set_metadata:
        problems.append("the metadata must give the license of the mapping set")
    mappings = _mapping_rows(lines, header_at, curie_map, problems, warnings)
    if problems:
        shown = "\n".join(f"  - {problem}" for problem in problems[:MAX_PROBLEMS])
        more = len(problems) - MAX_PROBLEMS
        tail = f"\n  … and {more} more" if more > 0 else ""
        raise InputError(
            f"{name}: not a valid SSSOM table ({len(problems)} problem(s)):\n{shown}{tail}"
        )
    return MappingSet(set_id, curie_map, set_metadata, mappings, tuple(warnings))


def to_graph(mapping_set: MappingSet) -> Graph:
    """The set in SSSOM/RDF, with each plain link asserted as well."""
    graph = Graph(bind_namespaces="none")
    graph.bind("skos", SKOS)
    graph.bind("sssom", SSSOM)
    the_set = URIRef(mapping_set.id)
    graph.add((the_set, RDF.type, SSSOM.MappingSet))
    for prefix, namespace in sorted(mapping_set.curie_map.items()):
        declaration = BNode()
        graph.add((the_set, SH.declare, declaration))
        graph.add((declaration, SH.prefix, RdfLiteral(prefix)))
        graph.add((declaration, SH.namespace, RdfLiteral(namespace, datatype=XSD.anyURI)))
    for slot_name, values in mapping_set.metadata.items():
        slot = SET_SLOT[slot_name]
        for value in values:
            graph.add((the_set, slot.predicate, _term(slot, value, mapping_set)))
    for mapping, link in zip(mapping_set.mappings, mapping_set.links(), strict=True):
        axiom = BNode()
        graph.add((the_set, SSSOM.mappings, axiom))
        graph.add((axiom, RDF.type, OWL.Axiom))
        for slot_name, values in mapping.items():
            slot = MAPPING_SLOT[slot_name]
            for value in values:
                graph.add((axiom, slot.predicate, _term(slot, value, mapping_set)))
        graph.add(link)
    return graph


def from_graph(graph: Graph) -> MappingSet:
    """The one mapping set a graph holds, back in SSSOM form (mappings in canonical order)."""
    sets = sorted(s for s in graph.subjects(RDF.type, SSSOM.MappingSet) if isinstance(s, URIRef))
    if len(sets) != 1:
        raise InputError(f"the graph holds {len(sets)} SSSOM mapping sets, not one")
    (the_set,) = sets
    curie_map = {}
    for declaration in graph.objects(the_set, SH.declare):
        prefix, namespace = (
            graph.value(declaration, SH.prefix),
            graph.value(declaration, SH.namespace),
        )
        if prefix is not None and namespace is not None:
            curie_map[str(prefix)] = str(namespace)
    compact = _compactor(curie_map)
    metadata = {
        slot.name: values
        for slot in SET_SLOTS
        if (values := _values(graph, the_set, slot, compact))
    }
    mappings = [
        {
            slot.name: values
            for slot in MAPPING_SLOTS
            if (values := _values(graph, axiom, slot, compact))
        }
        for axiom in graph.objects(the_set, SSSOM.mappings)
    ]
    mappings.sort(key=lambda mapping: [_cell(mapping.get(slot.name, ())) for slot in MAPPING_SLOTS])
    return MappingSet(str(the_set), dict(sorted(curie_map.items())), metadata, mappings)


def write_sssom(mapping_set: MappingSet) -> str:
    """The set as SSSOM/TSV: metadata in the model's slot order, only the columns used."""
    lines = ["#curie_map:"]
    lines += [
        f"#  {prefix}: {_yaml_scalar(iri, 'uri')}" for prefix, iri in mapping_set.curie_map.items()
    ]
    lines.append(f"#mapping_set_id: {_yaml_scalar(mapping_set.id, 'uri')}")
    for slot in SET_SLOTS:
        values = mapping_set.metadata.get(slot.name)
        if not values:
            continue
        if slot.multivalued:
            lines.append(f"#{slot.name}:")
            lines += [f"#  - {_yaml_scalar(value, slot.kind)}" for value in values]
        else:
            lines.append(f"#{slot.name}: {_yaml_scalar(values[0], slot.kind)}")
    columns = [s.name for s in MAPPING_SLOTS if any(s.name in m for m in mapping_set.mappings)]
    lines.append("\t".join(columns))
    for mapping in mapping_set.mappings:
        lines.append("\t".join(_tsv_cell(_cell(mapping.get(column, ()))) for column in columns))
    return "\n".join(lines) + "\n"


def _metadata_block(lines: list[str], name: str) -> dict[Any, Any]:
    if not lines:
        raise InputError(f"{name}: no SSSOM metadata block (lines starting with #) at the top")
    bodies = [line[1:] for line in lines]
    indent = min((len(b) - len(b.lstrip(" ")) for b in bodies if b.strip()), default=0)
    try:
        metadata = yaml.safe_load("\n".join(body[indent:] for body in bodies))
    except yaml.YAMLError as exc:
        raise InputError(f"{name}: the metadata block is not valid YAML: {exc}") from exc
    if not isinstance(metadata, dict):
        raise InputError(f"{name}: the metadata block must be a YAML mapping of slots")
    return metadata


def _curie_map(value: object, base_iri: str, problems: list[str]) -> dict[str, str]:
    if not isinstance(value, dict):
        problems.append("the metadata must have a curie_map of prefixes to IRIs")
        return {}
    curie_map = {}
    for prefix, namespace in value.items():
        if not isinstance(prefix, str) or not re.fullmatch(r"[A-Za-z_][\w.-]*", prefix):
            problems.append(f"curie_map: {prefix!r} is not a prefix name")
        elif not isinstance(namespace, str) or not is_absolute_iri(namespace):
            problems.append(f"curie_map: {prefix} must map to an absolute IRI, not {namespace!r}")
        elif prefix in BUILTIN_PREFIXES and namespace != BUILTIN_PREFIXES[prefix]:
            problems.append(f"curie_map: {prefix} is built in as {BUILTIN_PREFIXES[prefix]}")
        else:
            curie_map[prefix] = _rebased(namespace, base_iri)
    return dict(sorted(curie_map.items()))


def _mapping_rows(
    lines: list[str],
    header_at: int,
    curie_map: dict[str, str],
    problems: list[str],
    warnings: list[str],
) -> list[dict[str, Values]]:
    reader = csv.reader(
        io.StringIO("\n".join(lines[header_at:])), delimiter="\t", quotechar='"', strict=True
    )
    try:
        header = next(reader)
    except (csv.Error, StopIteration):
        problems.append("no table of mappings after the metadata block")
        return []
    problems += _header_problems(header)
    warnings += [
        f"column {column!r} is not an SSSOM slot accordkg reads; ignored"
        for column in header
        if column not in MAPPING_SLOT
    ]
    if problems:
        return []
    mappings: list[dict[str, Values]] = []
    seen: dict[tuple[str, ...], int] = {}
    try:
        for row in reader:
            line = header_at + reader.line_num
            mapping = _mapping(header, row, curie_map, f"line {line}", problems)
            if mapping is None:
                continue
            key = tuple(mapping[c][0] for c in ("subject_id", "predicate_id", "object_id"))
            if key in seen:
                problems.append(f"line {line}: the same mapping as line {seen[key]}")
            seen[key] = line
            mappings.append(mapping)
    except csv.Error as exc:
        problems.append(f"line {header_at + reader.line_num}: {exc}")
    return mappings


def _header_problems(header: list[str]) -> list[str]:
    problems = [f"the table has no {c} column" for c in REQUIRED_COLUMNS if c not in header]
    if len(set(header)) != len(header):
        problems.append("a column appears twice in the header")
    return problems


def _mapping(
    header: list[str], row: list[str], curie_map: dict[str, str], where: str, problems: list[str]
) -> dict[str, Values] | None:
    """One row as a mapping, or None (blank, or wrong: then `problems` says why)."""
    if not any(cell.strip() for cell in row):
        return None
    if len(row) != len(header):
        problems.append(f"{where}: {len(row)} fields where the header has {len(header)}")
        return None
    mapping: dict[str, Values] = {}
    for column, cell in zip(header, row, strict=True):
        slot = MAPPING_SLOT.get(column)
        if slot is None or not cell.strip():
            continue
        values = tuple(v.strip() for v in cell.split("|")) if slot.multivalued else (cell.strip(),)
        _check_values(slot, values, curie_map, f"{where}: {column}", problems)
        mapping[column] = values
    missing = [column for column in REQUIRED_COLUMNS if column not in mapping]
    if missing:
        problems.append(f"{where}: no value for {', '.join(missing)}")
        return None
    return mapping


def _check_values(
    slot: Slot, values: Values, curie_map: dict[str, str], where: str, problems: list[str]
) -> None:
    if len(values) > 1 and not slot.multivalued:
        problems.append(f"{where}: takes one value")
    for value in values:
        problem = (
            _id_problem(slot, value, curie_map) if slot.kind == "id" else _problem(slot, value)
        )
        if problem:
            problems.append(f"{where}: {problem}")


def _id_problem(slot: Slot, value: str, curie_map: dict[str, str]) -> str | None:
    """What is wrong with an identifier (a CURIE), or None."""
    prefix, colon, local = value.partition(":")
    namespace = curie_map.get(prefix, BUILTIN_PREFIXES.get(prefix))
    if not colon or namespace is None:
        hint = " (identifiers are CURIEs)" if local.startswith("//") else ""
        return f"{value!r} has no prefix declared in the curie_map{hint}"
    iri = URIRef(namespace + local)
    if not is_absolute_iri(iri):
        return f"{value!r} does not expand to an IRI"
    if slot.name == "predicate_id" and iri not in MAPPING_PREDICATES:
        allowed = ", ".join(sorted(f"skos:{p.removeprefix(str(SKOS))}" for p in MAPPING_PREDICATES))
        return f"{value} is not a mapping predicate accordkg publishes ({allowed})"
    if slot.name == "mapping_justification" and iri not in JUSTIFICATIONS:
        return f"{value} is not a semapv mapping justification"
    return None


def _problem(slot: Slot, value: str) -> str | None:
    """What is wrong with a value that is not an identifier, or None."""
    if slot.kind == "uri" and not is_absolute_iri(value):
        return f"{value!r} is not an absolute IRI"
    if slot.kind == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            return f"{value!r} is not a date (YYYY-MM-DD)"
    if slot.kind == "double":
        try:
            number = float(value)
        except ValueError:
            return f"{value!r} is not a number"
        if not 0.0 <= number <= 1.0:  # NaN compares false: refused too
            return f"{value} is not between 0 and 1"
    return None


def _yaml_values(value: object) -> Values:
    """A metadata value as strings: YAML reads dates and numbers as such, SSSOM as text."""
    items = value if isinstance(value, list) else [value]
    return tuple(str(item) for item in items if item is not None)


def _rebased(iri: str, base_iri: str) -> str:
    return (
        base_iri + iri.removeprefix(DEFAULT_BASE_IRI) if iri.startswith(DEFAULT_BASE_IRI) else iri
    )


def _term(slot: Slot, value: str, mapping_set: MappingSet) -> Node:
    if slot.kind == "id":
        return mapping_set.expand(value)
    if slot.kind == "uri":
        return URIRef(value)
    if slot.kind == "date":
        return RdfLiteral(value, datatype=XSD.date)
    if slot.kind == "double":
        return RdfLiteral(float(value))
    return RdfLiteral(value)


def _compactor(curie_map: dict[str, str]) -> "Compactor":
    namespaces = sorted({**BUILTIN_PREFIXES, **curie_map}.items(), key=lambda p: -len(p[1]))
    return Compactor(namespaces)


@dataclass(frozen=True)
class Compactor:
    """IRIs back to CURIEs, by the longest namespace that fits."""

    namespaces: list[tuple[str, str]]

    def __call__(self, iri: str) -> str:
        for prefix, namespace in self.namespaces:
            if iri.startswith(namespace):
                return f"{prefix}:{iri.removeprefix(namespace)}"
        raise InputError(f"no prefix in the curie_map covers {iri}; SSSOM needs CURIEs")


def _values(graph: Graph, node: Node, slot: Slot, compact: Compactor) -> Values:
    found = []
    for value in graph.objects(node, slot.predicate):
        if slot.kind == "id":
            found.append(compact(str(value)))
        elif slot.kind == "double":
            found.append(_number(float(str(value))))
        else:
            found.append(str(value))
    return tuple(sorted(found))


def _number(value: float) -> str:
    """A confidence as SSSOM writes it: at most three decimals, no trailing zeros."""
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _cell(values: Iterable[str]) -> str:
    return "|".join(values)


def _tsv_cell(value: str) -> str:
    if any(c in value for c in '\t\n\r"'):
        return '"' + value.replace('"', '""') + '"'
    return value


def _yaml_scalar(value: str, kind: SlotKind) -> str:
    """A YAML scalar in plain style when that reads back as the same value, else quoted."""
    if kind in ("date", "double"):  # checked on reading: an ISO date, a number
        return value
    if value and value == value.strip() and _plain_reads_as(value, str):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _plain_reads_as(value: str, kind: type) -> bool:
    try:
        loaded = yaml.safe_load(value)
    except yaml.YAMLError:
        return False
    return isinstance(loaded, kind) and loaded == value
