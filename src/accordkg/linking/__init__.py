"""Links to other datasets: SSSOM mapping tables, the mappings graph, imports of other
datasets' RDF, and entity reconciliation."""
