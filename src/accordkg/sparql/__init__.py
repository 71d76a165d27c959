"""SPARQL: what a request is (text), which format answers it (formats, negotiation), how
answers are written (writers), where queries run (pool and worker processes, or a remote
server), what they may fetch (federation, isolation), and the named queries."""
