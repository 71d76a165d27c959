"""Entity reconciliation: match names from a spreadsheet to the graph's entities.

This is the matching behind the Reconciliation Service API (W3C Entity Reconciliation
Community Group, v0.2, what OpenRefine speaks); the HTTP side is `accordkg.api.reconcile`.
Names come from the store (rdfs:label, skos:prefLabel, skos:altLabel, foaf:name, ak:title)
and are indexed once per version of the data: the index is rebuilt on the first query
after the store's generation moved (a write through it, or one a remote store found).

Names are compared as words: case, accents, punctuation and dashes (hyphens, en and em
dashes) ignored, word order free, small words ("the", "of") left out. An entity also
answers to the initials of its names' phrases ("AI" for artificial intelligence, "UK"),
and an instrument to the names of its parties, its kind and the year it was signed, so
"UK-US AI declaration 2020", however dashed, finds the 2020 declaration.

A query may also give only properties (v0.2 makes `query` optional): its candidates are
the entities that have a value of at least one of them, scored by the share they have,
and a match when one entity alone has them all; none at all gives no candidates. The
same properties can be read back for reconciled entities (data extension).
"""

import re
import threading
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any

from accordkg.errors import InputError, NotFoundError
from accordkg.namespaces import AK
from accordkg.store import Store

# Types a query may name, by id (the class's local name); the first five are the defaults.
TYPES = {
    name: AK[name]
    for name in (
        "Instrument",
        "State",
        "Organization",
        "Person",
        "Party",
        "Declaration",
        "JointStatement",
        "MemorandumOfUnderstanding",
        "Agreement",
    )
}
DEFAULT_TYPES = ("Instrument", "State", "Organization", "Person", "Party")
PROPERTIES = {
    "party": "party (a state or organization, by name or id)",
    "year": "year signed",
}
STOP_WORDS = frozenset({"a", "an", "and", "between", "for", "in", "of", "on", "the", "to"})
DASHES = re.compile(r"[\u2010-\u2015\u2212/_-]")
DEFAULT_LIMIT = 5
MAX_LIMIT = 50
MATCH_SCORE = 60
MAX_QUERIES = 100
MAX_EXTENDED = 1000  # entity ids in one data extension request

NAMES = f"""
PREFIX ak: <https://w3id.org/accordkg/ontology#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?entity ?type ?property ?name WHERE {{
  VALUES ?type {{ {" ".join(f"ak:{name}" for name in TYPES)} }}
  ?entity a ?type ; ?property ?name .
  FILTER(?property IN (rdfs:label, skos:prefLabel, skos:altLabel, foaf:name, ak:title)
         && isLiteral(?name))
}}
"""
FACTS_QUERY = """
PREFIX ak: <https://w3id.org/accordkg/ontology#>
SELECT ?entity ?party ?date WHERE {
  { ?entity a ak:Instrument ; ak:party ?party }
  UNION { ?entity a ak:Instrument ; ak:dateSigned ?date }
  UNION { ?entity a ak:Person . ?signature ak:signatory ?entity ; ak:onBehalfOf ?party }
}
"""


@dataclass
class Entity:
    """One entity as the index holds it: what it is called and what it is known by."""

    iri: str
    id: str
    label: str = ""
    types: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    parties: set[str] = field(default_factory=set)
    years: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)  # everything it answers to


@dataclass(frozen=True)
class Query:
    """One query of a batch, checked."""

    text: str
    types: tuple[str, ...]
    limit: int
    properties: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Index:
    """The entities by id, and the base their ids are relative to."""

    base_iri: str
    entities: Mapping[str, Entity]


@dataclass(frozen=True)
class Candidate:
    entity: Entity
    score: int
    complete: bool  # every word of the query found, every property satisfied
    exact: bool  # the query is one of its names, word order aside


def words(text: str) -> list[str]:
    """Comparable words: dashes split, accents and case dropped, "U.K." read as "uk"."""
    text = DASHES.sub(" ", text).replace("&", " and ")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.findall(r"[a-z0-9]+", text.replace(".", ""))


def key(text: str) -> str:
    """A name as compared whole: its significant words in order."""
    return " ".join(w for w in words(text) if w not in STOP_WORDS)


def initials(text: str) -> set[str]:
    """The initials of every run of two to five words: "UK", "AI", "MoU", "USA"."""
    found = set()
    for tokens in (words(text), [w for w in words(text) if w not in STOP_WORDS]):
        for size in range(2, 6):
            for start in range(len(tokens) - size + 1):
                found.add("".join(t[0] for t in tokens[start : start + size]))
    return found


class Reconciler:
    """Reconciliation over a store, with an index rebuilt when the data changes."""

    def __init__(self, store: Store, base_iri: str) -> None:
        self._store = store
        self._base_iri = base_iri
        self._lock = threading.Lock()
        self._indexed: tuple[int, dict[str, Entity]] | None = None

    def entities(self) -> dict[str, Entity]:
        """The index, by entity id (the IRI without the base), of the store as it is."""
        with self._lock:
            generation = self._store.generation
            if self._indexed is None or self._indexed[0] != generation:
                self._indexed = (generation, self._index())
            return self._indexed[1]

    def entity(self, entity_id: str) -> Entity:
        """One entity by id, or NotFoundError."""
        found: Entity | None = self.entities().get(entity_id)
        if found is None:
            raise NotFoundError(f"no entity {entity_id!r} to reconcile against")
        return found

    def reconcile(self, batch: Mapping[str, Query]) -> dict[str, list[Candidate]]:
        """The candidates of each query of a batch, best first."""
        entities = self.entities()
        return {name: self._candidates(query, entities) for name, query in batch.items()}

    def extend(self, ids: Iterable[str], pids: Iterable[str]) -> dict[str, dict[str, list[str]]]:
        """The values of properties `pids` of each entity: party ids, years signed (an
        entity this service does not know has none)."""
        entities = self.entities()
        rows: dict[str, dict[str, list[str]]] = {}
        for entity_id in ids:
            entity = entities.get(entity_id)
            rows[entity_id] = {
                pid: sorted(_values(entity, pid)) if entity is not None else [] for pid in pids
            }
        return rows

    def suggest(self, prefix: str, limit: int = 10) -> list[Entity]:
        """Entities with a name (or a word of one) starting with `prefix`, for autocomplete."""
        wanted = key(prefix)
        if not wanted:
            return []
        found = [
            entity
            for entity in self.entities().values()
            if any(key(n).startswith(wanted) or f" {wanted}" in f" {key(n)}" for n in entity.names)
        ]
        return sorted(found, key=lambda e: (len(e.label), e.label))[:limit]

    def _index(self) -> dict[str, Entity]:
        entities: dict[str, Entity] = {}
        for row in self._store.select(NAMES).rows:
            iri = str(row["entity"])
            if not iri.startswith(self._base_iri):
                continue
            entity = entities.setdefault(iri, Entity(iri, iri.removeprefix(self._base_iri)))
            entity.types.add(str(row["type"]).removeprefix(str(AK)))
            entity.names.add(str(row["name"]))
            if str(row["property"]).endswith("#label"):
                entity.label = str(row["name"])
        for row in self._store.select(FACTS_QUERY).rows:
            known = entities.get(str(row["entity"]))
            if known is not None and "party" in row:
                known.parties.add(str(row["party"]).removeprefix(self._base_iri))
            if known is not None and "date" in row:
                known.years.add(str(row["date"])[:4])
        by_id = {entity.id: entity for entity in entities.values()}
        for entity in by_id.values():
            entity.label = entity.label or min(entity.names, key=len, default=entity.id)
            entity.words = _words_of(entity, by_id)
        return by_id

    def _candidates(self, query: Query, entities: Mapping[str, Entity]) -> list[Candidate]:
        asked = [w for w in words(query.text) if w not in STOP_WORDS]
        whole = sorted(asked)
        index = Index(self._base_iri, entities)
        candidates = []
        for entity in entities.values():
            if query.types and not entity.types.intersection(query.types):
                continue
            if query.text:
                candidate = _score(entity, asked, whole, query.properties, index)
            else:
                candidate = _score_properties(entity, query.properties, index)
            if candidate is not None:
                candidates.append(candidate)
        candidates.sort(key=lambda c: (-c.score, c.entity.label))
        return candidates[: query.limit]


def is_match(candidates: list[Candidate], at: int) -> bool:
    """A candidate matches when it is strong and nothing else comes close: the only exact
    name among the candidates, or the only one that accounts for the whole query."""
    candidate = candidates[at]
    others = candidates[:at] + candidates[at + 1 :]
    if candidate.exact and candidate.complete:
        return not any(other.exact and other.complete for other in others)
    return (
        candidate.complete
        and candidate.score >= MATCH_SCORE
        and not any(other.complete or other.exact for other in others)
    )


def parse_batch(batch: object) -> dict[str, Query]:
    """The queries of a request (`{"q0": {"query": ..., "type": ..., ...}, ...}`), checked;
    anything malformed is an InputError naming the query and the problem. An empty batch
    is a batch: it has no answers."""
    if not isinstance(batch, dict):
        raise InputError('queries must be a JSON object of queries: {"q0": {"query": "..."}}')
    if len(batch) > MAX_QUERIES:
        raise InputError(f"at most {MAX_QUERIES} queries in one batch, not {len(batch)}")
    return {str(name): _query(str(name), query) for name, query in batch.items()}


def parse_extension(document: object) -> tuple[list[str], list[str]]:
    """The entity ids and property ids of a data extension request
    (`{"ids": [...], "properties": [{"id": ...}, ...]}`), checked."""
    if not isinstance(document, dict):
        raise InputError('extend must be a JSON object: {"ids": [...], "properties": [...]}')
    ids = document.get("ids")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise InputError("extend: `ids` must be a list of entity ids")
    if len(ids) > MAX_EXTENDED:
        raise InputError(f"extend: at most {MAX_EXTENDED} ids in one request, not {len(ids)}")
    properties = document.get("properties")
    if not isinstance(properties, list) or not all(
        isinstance(p, dict) and isinstance(p.get("id"), str) for p in properties
    ):
        raise InputError('extend: `properties` must be a list of {"id": ...} objects')
    pids = [str(p["id"]) for p in properties]
    for pid in pids:
        if pid not in PROPERTIES:
            raise InputError(
                f"extend: unknown property {pid!r}; the properties are {', '.join(PROPERTIES)}"
            )
    return ids, pids


def _query(name: str, query: object) -> Query:
    if not isinstance(query, dict):
        raise InputError(f"{name}: a query is a JSON object with a `query` string")
    text = query.get("query", "" if query.get("properties") else None)
    if not isinstance(text, str) or ("query" in query and not text.strip()):
        raise InputError(f"{name}: `query` must be a non-empty string (or give `properties` alone)")
    types = query.get("type", [])
    types = [types] if isinstance(types, str) else types
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        raise InputError(f"{name}: `type` must be a type id or a list of them")
    resolved = tuple(_type(name, t) for t in types)
    limit = query.get("limit", DEFAULT_LIMIT)
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise InputError(f"{name}: `limit` must be a positive integer")
    return Query(
        text, resolved, min(limit, MAX_LIMIT), _properties(name, query.get("properties", []))
    )


def _type(name: str, type_id: str) -> str:
    local = type_id.removeprefix(str(AK)).removeprefix("ak:")
    if local not in TYPES:
        raise InputError(f"{name}: unknown type {type_id!r}; the types are {', '.join(TYPES)}")
    return local


def _properties(name: str, properties: object) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(properties, list):
        raise InputError(f"{name}: `properties` must be a list of {{pid, v}} objects")
    checked = []
    for constraint in properties:
        if not isinstance(constraint, dict) or "v" not in constraint:
            raise InputError(f"{name}: each property is an object with `pid` and `v`")
        pid = constraint.get("pid")
        if pid not in PROPERTIES:
            raise InputError(
                f"{name}: unknown property {pid!r}; the properties are {', '.join(PROPERTIES)}"
            )
        values = constraint["v"] if isinstance(constraint["v"], list) else [constraint["v"]]
        checked.append((str(pid), tuple(_property_value(name, v) for v in values)))
    return tuple(checked)


def _property_value(name: str, value: Any) -> str:
    """A property value as text: a string, a number, or `{"id": ...}` as OpenRefine sends."""
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return str(value["id"])
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return str(value)
    raise InputError(f'{name}: a property value is a string, a number or {{"id": ...}}')


def _words_of(entity: Entity, by_id: Mapping[str, Entity]) -> set[str]:
    """Every word the entity answers to (see the module's description)."""
    found: set[str] = set()
    texts = set(entity.names)
    if "Instrument" in entity.types:
        texts |= entity.types - set(DEFAULT_TYPES)
        texts |= {name for party in entity.parties if party in by_id for name in by_id[party].names}
        found |= entity.years
    for text in texts:
        found.update(words(text))
        found |= initials(text)
    return found - STOP_WORDS


def _score(
    entity: Entity,
    asked: list[str],
    whole: list[str],
    properties: Iterable[tuple[str, tuple[str, ...]]],
    index: "Index",
) -> Candidate | None:
    """How well an entity answers a query, 0-100, or None when it shares nothing with it."""
    exact = any(sorted(key(name).split()) == whole for name in entity.names)
    found = [w for w in asked if _known(w, entity.words)]
    if not found:
        return None
    coverage = len(found) / len(asked)
    closest = max(_overlap(asked, name) for name in entity.names)
    score = 100.0 if exact else 100 * (0.6 * coverage + 0.4 * closest)
    satisfied = all(_satisfies(entity, pid, values, index) for pid, values in properties)
    if not satisfied:
        score /= 2
    return Candidate(entity, round(score), coverage == 1 and satisfied, exact and satisfied)


def _score_properties(
    entity: Entity, properties: tuple[tuple[str, tuple[str, ...]], ...], index: "Index"
) -> Candidate | None:
    """How well an entity answers a query of properties alone: the share of them it has a
    value of, 0-100, or None when it has none."""
    satisfied = sum(1 for pid, values in properties if _satisfies(entity, pid, values, index))
    if not satisfied:
        return None
    complete = satisfied == len(properties)
    return Candidate(entity, round(100 * satisfied / len(properties)), complete, complete)


def _values(entity: Entity, pid: str) -> set[str]:
    """An entity's values of a property, as a query gives them: party ids, years."""
    return entity.parties if pid == "party" else entity.years


def _known(word: str, known: set[str]) -> bool:
    """A word of the query is known if it is one of the entity's, or a near spelling of a
    long one (a typo)."""
    if word in known:
        return True
    return len(word) >= 5 and any(_near(word, k) for k in known)


@lru_cache(maxsize=65536)
def _near(word: str, other: str) -> bool:
    """Two long words that differ by a typo or two (cheap bounds first)."""
    if len(other) < 5 or abs(len(word) - len(other)) > 2:
        return False
    matcher = SequenceMatcher(None, word, other)
    return matcher.quick_ratio() >= 0.85 and matcher.ratio() >= 0.85


def _overlap(asked: list[str], name: str) -> float:
    """Shared words over all words of the query and the name."""
    named = {w for w in words(name) if w not in STOP_WORDS}
    if not named:
        return 0.0
    shared = sum(1 for w in set(asked) if _known(w, named))
    return shared / len(named | set(asked))


def _satisfies(entity: Entity, pid: str, values: tuple[str, ...], index: "Index") -> bool:
    """Whether the entity has one of the values of a property: a year it was signed in, or
    a party given by id, IRI or any of the party's names."""
    if pid == "year":
        return any(value.strip()[:4] in entity.years for value in values)
    for value in values:
        if value.removeprefix(index.base_iri) in entity.parties:
            return True
        parties = (index.entities[p] for p in entity.parties if p in index.entities)
        if any(key(value) in {key(name) for name in party.names} for party in parties):
            return True
    return False
