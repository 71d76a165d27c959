"""What enters the store: the build (sources and records into validated named graphs),
imports of other datasets' RDF and SSSOM tables into graphs of their own, SHACL
validation, OWL consistency checking, and RDF from outside parsed safely."""
