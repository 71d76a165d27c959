"""Hands each request a consistent graph to walk, and reads node and type names.

A small embedded store is projected whole once per store generation: the first request
after a write builds the new projection while later ones wait for it, and a projection is
never changed once published, so no request sees a half-built graph. A larger one, or a
remote store, is walked: each request reads what its walk reaches (see `walker`),
whole-graph counts are made once per generation, and the answers are kept for the
generation (WALKED_ANSWER_BYTES of them), since a walk reads the store anew.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable

from accordkg.errors import InputError
from accordkg.iris import NOT_IN_IRIS
from accordkg.namespaces import AK
from accordkg.resources import ontology_graph
from accordkg.settings import Settings
from accordkg.store import Store
from accordkg.traversal.formats import Renderer
from accordkg.traversal.operations import GraphSource
from accordkg.traversal.projection import (
    COLLAPSED_PREDICATES,
    Projection,
    Projector,
    Vocabulary,
    evidence_query,
    feed,
    triples_query,
)
from accordkg.traversal.walker import Derived, StoreWalk

# Projected whole up to this many triples (a few seconds' work); walked beyond, where a
# projection would take minutes and hundreds of MiB (bench/RESULTS.md).
PROJECTED_AT_MOST = 50_000
DEFAULT_FETCH_LIMIT = 50_000
WALKED_ANSWER_BYTES = 32 * 1024**2


class Traversal:
    """The graph behind the /graph endpoints, and the names callers use for its parts."""

    def __init__(
        self,
        store: Store,
        base_iri: str,
        remote_fetch_limit: int | None = None,
        *,
        fetch_limit: int = DEFAULT_FETCH_LIMIT,
        projected_at_most: int = PROJECTED_AT_MOST,
    ) -> None:
        """With `remote_fetch_limit` every request walks the store, reading at most that
        many triples; without, the store is projected whole while it holds at most
        `projected_at_most` triples and walked (reading at most `fetch_limit`) beyond."""
        self.store = store
        self.base_iri = base_iri
        self.remote = remote_fetch_limit is not None
        self.fetch_limit = remote_fetch_limit or fetch_limit
        self.projected_at_most = projected_at_most
        self.vocabulary = Vocabulary(ontology_graph())
        self.renderer = Renderer(self.vocabulary)
        self._projection: Projection | None = None
        self._walked: int | None = None  # the generation found too large to project
        self._derived = Derived(-1)
        self._lock = threading.Lock()
        self._answers = WalkedAnswers(WALKED_ANSWER_BYTES)

    @classmethod
    def for_settings(cls, store: Store, settings: Settings) -> "Traversal":
        """Walked on a remote store; projected or walked by size on the embedded one."""
        remote = settings.graph_fetch_limit if settings.store == "remote" else None
        return cls(store, settings.base_iri, remote, fetch_limit=settings.graph_fetch_limit)

    def source(self) -> GraphSource:
        current = self._projection
        generation = self.store.generation
        if self.remote or self._walked == generation:
            return self._walk(generation)
        if current is not None and current.version == generation:
            return current
        with self._lock:
            current = self._projection
            if current is None or current.version != self.store.generation:
                generation = self.store.generation
                if self._walked != generation and not self._small():
                    self._walked = generation
                    self._projection = None
                    return self._walk(generation)
                current = self._projection = self.build()
            return current

    def answer(self, request: Hashable, make: Callable[[GraphSource], bytes]) -> bytes:
        """`make`'s answer on the graph as it is. On a walked store, the answer to a request
        asked before for the same generation is given again: the walk would read the
        store again (about a second around a hub at 1M triples)."""
        source = self.source()
        if not isinstance(source, StoreWalk):
            return make(source)
        kept = self._answers.get(source.version, request)
        if kept is None:
            kept = make(source)
            self._answers.put(source.version, request, kept)
        return kept

    def status(self) -> str:
        """ "ready" when /graph answers from the store as it is (projected, or walked
        because it is large); "pending" while the first projection, built at start-up,
        or the one after a change is still to come; "per request" with a remote store."""
        if self.remote:
            return "per request"
        current = self._projection
        generation = self.store.generation
        ready = self._walked == generation or (current and current.version == generation)
        return "ready" if ready else "pending"

    def build(self) -> Projection:
        """Project the whole store (the generation is read first: a write during the
        build leaves the result stale, and the next request builds again)."""
        version = self.store.generation
        projector = feed(
            Projector(self.vocabulary, self.base_iri),
            self.store.rows(triples_query(self.base_iri)),
            self.store.rows(evidence_query(self.base_iri)),
        )
        records, links = projector.finish()
        return Projection(records, links, version)

    def _small(self) -> bool:
        """Whether the store holds few enough triples to project (counted no further)."""
        query = (
            "SELECT (COUNT(*) AS ?n) WHERE { SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } "
            f"LIMIT {self.projected_at_most + 1} }}"
        )
        [(count,)] = list(self.store.rows(query))
        return int(count or 0) <= self.projected_at_most

    def _walk(self, generation: int) -> StoreWalk:
        """A walk for one request, sharing what the generation's walks derived."""
        if self._derived.generation != generation:
            self._derived = Derived(generation)
        derived = self._derived
        return StoreWalk(self.store, self.vocabulary, self.base_iri, self.fetch_limit, derived)

    def node(self, name: str) -> str:
        """A node id from what a caller wrote: the short id of an instance IRI
        (`state/united-kingdom`), the full IRI, or the short name of a vocabulary term."""
        name = _checked(name.strip())
        if name.startswith(self.base_iri):
            return name[len(self.base_iri) :]
        return self.vocabulary.expand(name) if ":" in name else name

    def types(self, names: Iterable[str]) -> frozenset[str]:
        """Class IRIs from `ak:State`, `State` or a full IRI."""
        return frozenset(
            self.vocabulary.expand(name) if ":" in name else f"{AK}{name}"
            for name in map(_checked, names)
        )

    def predicates(self, names: Iterable[str]) -> frozenset[str]:
        """Edge predicates as links name them: `ak:party` (also from `party` or the full
        IRI), or the label of a collapsed edge such as `signed for`."""
        chosen = set()
        for name in names:
            if name in COLLAPSED_PREDICATES:
                chosen.add(name)
            elif _checked(name).startswith(("http://", "https://")):
                chosen.add(self.vocabulary.curie(name))
            elif ":" in name:
                chosen.add(name)
            else:
                chosen.add(f"ak:{name}")
        return frozenset(chosen)


class WalkedAnswers:
    """The answers of one store generation's walks, the least recently asked forgotten
    beyond `most_bytes`; a later generation's answer forgets the others."""

    def __init__(self, most_bytes: int) -> None:
        self.most_bytes = most_bytes
        self._generation: int | None = None
        self._answers: OrderedDict[Hashable, bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, generation: int, request: Hashable) -> bytes | None:
        with self._lock:
            if generation != self._generation or (body := self._answers.get(request)) is None:
                return None
            self._answers.move_to_end(request)
            return body

    def put(self, generation: int, request: Hashable, body: bytes) -> None:
        with self._lock:
            if len(body) > self.most_bytes or generation < (self._generation or 0):
                return  # too large, or made before a write another answer has seen
            if generation != self._generation:
                self._generation, self._answers, self._bytes = generation, OrderedDict(), 0
            if (replaced := self._answers.pop(request, None)) is not None:
                self._bytes -= len(replaced)
            self._answers[request] = body
            self._bytes += len(body)
            while self._bytes > self.most_bytes:
                self._bytes -= len(self._answers.popitem(last=False)[1])


def _checked(name: str) -> str:
    """A node, type or predicate name as given, if it can name an IRI at all (the remote
    mode writes names into SPARQL, so this is also what keeps a name from being syntax)."""
    if not name:
        raise InputError("a node, type or predicate name is empty")
    if (bad := NOT_IN_IRIS.search(name)) is not None:
        raise InputError(f"{name[:80]!r} cannot name a node, type or predicate: {bad.group()!r}")
    return name
