"""Graph traversal for visualization tools: the RDF projected into a networkx graph of
labelled nodes and edges, bounded walks over it, and the formats the tools read."""
