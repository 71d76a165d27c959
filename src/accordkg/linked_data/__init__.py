"""Linked Data: what an IRI dereferences to (describe), the documents it is served as
(documents, jsonld), the HTML pages for people (pages, templates/) and the ontology's
documentation."""
