"""The triple store: one interface, an embedded and a remote implementation.

rdflib stays the programming model for building and validating graphs; the store holds
what was validated, one named graph per document, and answers SPARQL with the default
graph as the union of all named graphs. `open_store` picks the implementation the
settings name: Oxigraph embedded on disk (the default, no server needed), or any SPARQL
1.1 server over the protocol (Oxigraph server, Jena Fuseki, GraphDB, QLever, Virtuoso)
configured to treat its default graph as the union of its named graphs.
"""

from accordkg.errors import StoreError
from accordkg.settings import Settings
from accordkg.store.embedded import EmbeddedStore
from accordkg.store.interface import Row, Solutions, Store, Term, update_triples, with_values
from accordkg.store.remote import RemoteStore

__all__ = [
    "EmbeddedStore",
    "RemoteStore",
    "Row",
    "Solutions",
    "Store",
    "Term",
    "open_store",
    "update_triples",
    "with_values",
]


def open_store(settings: Settings) -> EmbeddedStore | RemoteStore:
    """The store the settings name."""
    if settings.store == "remote":
        if settings.sparql_query_url is None or settings.sparql_update_url is None:
            raise StoreError(
                "a remote store needs ACCORDKG_SPARQL_QUERY_URL and ACCORDKG_SPARQL_UPDATE_URL"
            )
        return RemoteStore(
            settings.sparql_query_url,
            settings.sparql_update_url,
            settings.store_timeout_s,
            settings.change_check_s,
        )
    return EmbeddedStore(settings.store_dir)
