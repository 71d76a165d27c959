"""The build pipeline: sources and records into validated named graphs in the store
(build), SHACL validation, OWL consistency checking, RDF from outside, and the names of
every named graph."""
