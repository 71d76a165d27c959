"""Links to other datasets: SSSOM mapping tables, the mappings graph, and entity
reconciliation."""
