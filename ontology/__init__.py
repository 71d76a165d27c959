"""The accordkg ontology, its alignments and SHACL shapes, as packaged Turtle files."""
