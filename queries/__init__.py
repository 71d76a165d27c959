"""Named SPARQL queries, one `.rq` file each, packaged for the API and the CLI."""
