"""Hands each request a consistent graph to walk, and reads node and type names.

With the embedded store the whole store is projected once per store generation: the
first request after a write builds the new projection while later ones wait for it, and
a projection is never changed once published, so no request sees a half-built graph.
With a remote store each request reads what its walk reaches (see `remote`).
"""

import threading
from collections.abc import Iterable

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
from accordkg.traversal.remote import RemoteGraph


class Traversal:
    """The graph behind the /graph endpoints, and the names callers use for its parts."""

    def __init__(self, store: Store, base_iri: str, remote_fetch_limit: int | None = None) -> None:
        """With `remote_fetch_limit`, the store is read per request, never projected whole."""
        self.store = store
        self.base_iri = base_iri
        self.remote_fetch_limit = remote_fetch_limit
        self.vocabulary = Vocabulary(ontology_graph())
        self.renderer = Renderer(self.vocabulary)
        self._projection: Projection | None = None
        self._lock = threading.Lock()

    @classmethod
    def for_settings(cls, store: Store, settings: Settings) -> "Traversal":
        """Projected whole for the embedded store, read per request from a remote one."""
        remote = settings.graph_fetch_limit if settings.store == "remote" else None
        return cls(store, settings.base_iri, remote_fetch_limit=remote)

    def source(self) -> GraphSource:
        if self.remote_fetch_limit is not None:
            return RemoteGraph(self.store, self.vocabulary, self.base_iri, self.remote_fetch_limit)
        current = self._projection
        if current is not None and current.version == self.store.generation:
            return current
        with self._lock:
            current = self._projection
            if current is None or current.version != self.store.generation:
                current = self._projection = self.build()
            return current

    def status(self) -> str:
        """ "ready" when /graph answers from a projection of the store as it is; "pending"
        while the first one, built at start-up, or the one after a change is still to
        come; "per request" with a remote store."""
        if self.remote_fetch_limit is not None:
            return "per request"
        current = self._projection
        return "ready" if current and current.version == self.store.generation else "pending"

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


def _checked(name: str) -> str:
    """A node, type or predicate name as given, if it can name an IRI at all (the remote
    mode writes names into SPARQL, so this is also what keeps a name from being syntax)."""
    if not name:
        raise InputError("a node, type or predicate name is empty")
    if (bad := NOT_IN_IRIS.search(name)) is not None:
        raise InputError(f"{name[:80]!r} cannot name a node, type or predicate: {bad.group()!r}")
    return name
