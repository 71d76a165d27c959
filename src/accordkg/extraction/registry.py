"""Curated reference data that extraction links printed names to.

`data/records/*.ttl` holds states, organizations and instruments with the names they
are printed under (rdfs:label, skos:prefLabel, skos:altLabel) and checked external
identifiers; `data/themes.ttl` holds the theme scheme. Relative IRIs in those files
resolve against the configured base IRI, so a deployment with its own base gets its
own IRIs.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from accordkg.namespaces import AK
from accordkg.resources import new_graph, parse_turtle, read_text

PARTY_CLASSES = (AK.State, AK.Organization, AK.Party)
INSTRUMENT_CLASSES = (
    AK.Instrument,
    AK.Declaration,
    AK.JointStatement,
    AK.MemorandumOfUnderstanding,
    AK.Agreement,
)
CONNECTIVES = frozenset({"and", "the", "of", "on", "for", "in", "to", "between", "a", "an"})
LEADING_WORDS = re.compile(r"^(the\s+)?(governments?\s+of\s+)?(the\s+)?")


def name_key(name: str) -> str:
    """How names are compared: case, accents, punctuation and a leading "the" or
    "Government of" ignored ("the U.S." and "US" meet)."""
    spaced = "".join(  # "NSF\u2013UKRI": a dash or space outside ASCII still parts words
        " " if unicodedata.category(c)[0] in "PZS" and ord(c) > 127 else c
        for c in unicodedata.normalize("NFKD", name)
    )
    folded = spaced.encode("ascii", "ignore").decode().lower()
    folded = folded.replace("&", " and ").replace(".", "")
    folded = re.sub(r"[^a-z0-9]+", " ", folded).strip()
    return LEADING_WORDS.sub("", folded).strip()


def slug(name: str, limit: int = 80) -> str:
    """A readable, deterministic IRI segment for a name. A name cut to fit the limit ends
    in a short hash of the whole name, so two names that share their first words do not
    share an IRI."""
    key = name_key(name)
    words: list[str] = []
    for word in key.split():
        if len("-".join([*words, word])) > limit:
            break
        words.append(word)
    cut = len(words) < len(key.split())
    while len(words) > 1 and words[-1] in CONNECTIVES:
        words.pop()
    readable = "-".join(words) or "unnamed"
    if cut:
        return f"{readable}-{hashlib.sha256(key.encode()).hexdigest()[:8]}"
    return readable


@dataclass
class Registry:
    """Reference entities, curated instruments and themes, found by the names they bear."""

    graph: Graph
    parties: dict[str, URIRef] = field(default_factory=dict)
    instruments: dict[str, URIRef] = field(default_factory=dict)
    people: dict[str, URIRef] = field(default_factory=dict)
    themes: list[tuple[re.Pattern[str], URIRef]] = field(default_factory=list)

    @classmethod
    def load(cls, input_dir: Path, base_iri: str) -> "Registry":
        graph = new_graph()
        for path in cls.files(input_dir):
            parse_turtle(read_text(path), graph, str(path), base=base_iri)
        registry = cls(graph)
        for cls_iri, index in [
            *((c, registry.parties) for c in PARTY_CLASSES),
            *((c, registry.instruments) for c in INSTRUMENT_CLASSES),
            (AK.Person, registry.people),
        ]:
            for entity in graph.subjects(RDF.type, cls_iri):
                if isinstance(entity, URIRef):
                    for name in _names(graph, entity):
                        index.setdefault(name_key(name), entity)
        concepts = {c for c in graph.subjects(RDF.type, SKOS.Concept) if isinstance(c, URIRef)}
        for concept in sorted(concepts):
            for name in sorted(set(_names(graph, concept))):
                registry.themes.append((_phrase_pattern(name), concept))
        return registry

    @staticmethod
    def files(input_dir: Path) -> list[Path]:
        """The curated records and the themes, the files a registry is read from."""
        themes_file = input_dir / "themes.ttl"
        records = sorted((input_dir / "records").glob("*.ttl"))
        return [*records, *([themes_file] if themes_file.is_file() else [])]

    def party(self, name: str) -> URIRef | None:
        return self.parties.get(name_key(name))

    def instrument(self, name: str) -> URIRef | None:
        return self.instruments.get(name_key(name))

    def names(self, entity: URIRef) -> list[str]:
        """Every name the records give an entity."""
        return _names(self.graph, entity)

    def person(self, name: str) -> URIRef | None:
        """A person the curated records name: the one way two documents' signatories
        become one node (names alone never merge people)."""
        return self.people.get(name_key(name))

    def themes_in(self, text: str) -> list[URIRef]:
        """The themes whose labels occur in `text`, each once, in IRI order."""
        comparable = _comparable(text)
        return sorted({iri for pattern, iri in self.themes if pattern.search(comparable)})


def _names(graph: Graph, entity: URIRef) -> list[str]:
    return [
        str(value)
        for predicate in (RDFS.label, SKOS.prefLabel, SKOS.altLabel)
        for value in graph.objects(entity, predicate)
        if isinstance(value, Literal)
    ]


def _comparable(text: str) -> str:
    return re.sub(r"[\s\-\u2013]+", " ", text.lower())


def _phrase_pattern(name: str) -> re.Pattern[str]:
    return re.compile(r"\b" + re.escape(_comparable(name)) + r"\b")
