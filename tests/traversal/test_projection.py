"""The projection of the seed data: what becomes a node, an edge, an attribute."""

from contextlib import closing

from rdflib import RDF, URIRef

from accordkg.namespaces import AK, DEFAULT_BASE_IRI
from accordkg.resources import ontology_graph
from accordkg.settings import Settings
from accordkg.store import open_store
from accordkg.traversal.projection import Projection, Projector, Vocabulary, curie
from accordkg.traversal.service import Traversal
from tests.conftest import INPUTS

DECLARATION = "instrument/us-uk-ai-research-declaration-2020"
KRATSIOS = "person/michael-jk-kratsios"


def projection(traversal: Traversal) -> Projection:
    source = traversal.source()
    assert isinstance(source, Projection)
    return source


def links(traversal: Traversal, node: str) -> set[tuple[str, str, str, str]]:
    found = projection(traversal).links_of([node])[node]
    return {(link.source, link.predicate, link.target, link.group) for link in found}


def test_iris_are_nodes_with_label_types_and_literal_properties(seed_projection: Traversal) -> None:
    record = projection(seed_projection).record(DECLARATION)
    assert record is not None
    assert record.iri == f"{DEFAULT_BASE_IRI}{DECLARATION}"
    assert record.label.startswith("Declaration of the United States of America")
    assert record.types == [str(AK.Declaration), str(AK.Instrument)]  # most specific first
    assert record.properties["ak:dateSigned"] == ["2020-09-25"]
    assert record.properties["ak:legalForce"] == ["ak:nonBinding"]  # a vocabulary value


def test_literals_are_never_nodes(seed_projection: Traversal) -> None:
    graph = projection(seed_projection).graph
    assert "2020-09-25" not in graph
    assert all(isinstance(node, str) and (":" in node or "/" in node) for node in graph)
    assert all(
        record.iri.startswith(("http://", "https://")) for _, record in graph.nodes(data="record")
    )


def test_external_identifiers_are_links_not_edges(seed_projection: Traversal) -> None:
    record = projection(seed_projection).record("state/united-kingdom")
    assert record is not None
    assert record.links == ["http://www.wikidata.org/entity/Q145"]
    assert "http://www.wikidata.org/entity/Q145" not in projection(seed_projection).graph


def test_types_schema_and_provenance_edges_are_kept_apart(seed_projection: Traversal) -> None:
    around = links(seed_projection, DECLARATION)
    groups = {(predicate, group) for _, predicate, _, group in around}
    assert ("ak:party", "data") in groups
    assert ("rdf:type", "types") in groups
    assert ("ak:legalForce", "schema") in groups
    extraction = links(seed_projection, "activity/extract-us-uk-ai-research-declaration-2020")
    assert {group for *_, group in extraction} == {"provenance", "types"}


def test_evidence_targets_are_flattened_into_the_evidence_node(seed_projection: Traversal) -> None:
    evidence = projection(seed_projection).record(
        f"evidence/{DECLARATION.split('/')[1]}-commitment-1"
    )
    assert evidence is not None
    start, end = int(evidence.properties["oa:start"][0]), int(evidence.properties["oa:end"][0])
    text = (INPUTS / "sources" / "us-uk-ai-research-declaration-2020.txt").read_text()
    assert text[start:end] == evidence.properties["oa:exact"][0]


def test_signatures_collapse_into_direct_edges(seed_projection: Traversal) -> None:
    collapsed = {(p, t) for s, p, t, g in links(seed_projection, KRATSIOS) if g == "signature"}
    assert collapsed == {
        ("signed", DECLARATION),
        ("signed for", "state/united-states"),
        ("signed as member of", "organization/white-house"),
    }
    signatory = [s for s, p, t, g in links(seed_projection, KRATSIOS) if p == "ak:signatory"]
    assert signatory == [f"signature/{DECLARATION.split('/')[1]}-1"]  # still there, as data


def test_evidence_collapses_into_an_edge_to_the_source_with_its_span(
    seed_projection: Traversal,
) -> None:
    source = "source/us-uk-ai-research-declaration-2020"
    commitment = f"commitment/{DECLARATION.split('/')[1]}-1"
    [edge] = [
        link
        for link in projection(seed_projection).links_of([commitment])[commitment]
        if link.group == "evidence"
    ]
    assert (edge.source, edge.predicate, edge.target) == (commitment, "evidenced in", source)
    assert edge.via == f"evidence/{DECLARATION.split('/')[1]}-commitment-1"
    span = dict(edge.attributes)
    text = (INPUTS / "sources" / "us-uk-ai-research-declaration-2020.txt").read_text()
    assert text[int(span["start"]) : int(span["end"])] == span["exact"]


def test_link_ids_are_unique_and_stable_across_builds(seed_projection: Traversal) -> None:
    first = {
        link.id
        for _, _, found in projection(seed_projection).graph.edges(data="links")
        for link in found
    }
    second = {
        link.id
        for _, _, found in seed_projection.build().graph.edges(data="links")
        for link in found
    }
    assert first == second
    total = sum(len(found) for *_, found in projection(seed_projection).graph.edges(data="links"))
    assert len(first) == total


def test_a_write_to_the_store_is_seen_by_the_next_request(seed_copy: Settings) -> None:
    with closing(open_store(seed_copy)) as store:
        traversal = Traversal(store, seed_copy.base_iri)
        before = traversal.source()
        assert traversal.source() is before  # built once per generation
        graph = URIRef(f"{seed_copy.base_iri}graph/extra")
        store.update(
            f"INSERT DATA {{ GRAPH {graph.n3()} {{ <{DEFAULT_BASE_IRI}state/united-kingdom> "
            f"<{AK.cites}> <{DEFAULT_BASE_IRI}{DECLARATION}> }} }}"
        )
        after = traversal.source()
        assert after is not before
        assert after.version > before.version
        assert any(
            link.predicate == "ak:cites"
            for link in after.links_of(["state/united-kingdom"])["state/united-kingdom"]
        )
        store.update(f"DROP GRAPH {graph.n3()}")


def test_curie_names_terms_under_the_project_prefixes() -> None:
    assert curie(str(AK.party)) == "ak:party"
    assert curie("http://example.org/x") == "http://example.org/x"


def test_an_update_draws_what_a_projection_made_anew_draws() -> None:
    """A walk brings its projection up to date as it reads: new nodes and links are
    added, and a collapsed link that no longer holds is taken away (a signature is drawn
    from its instrument until its signatory is read, then from the signatory)."""
    projector = Projector(Vocabulary(ontology_graph()), DEFAULT_BASE_IRI)
    instrument, signature, party, person = (
        f"{DEFAULT_BASE_IRI}{node}"
        for node in ("instrument/i", "signature/i-1", "state/s", "person/p")
    )
    for subject, predicate, value in (
        (instrument, AK.signature, signature),
        (signature, RDF.type, AK.Signature),
        (signature, AK.onBehalfOf, party),
    ):
        projector.add(subject, str(predicate), str(value), is_literal=False)
    updated = Projection(*projector.finish(), version=1)
    before = {link.source for link in updated.links_of(["state/s"])["state/s"]}
    projector.add(signature, str(AK.signatory), person, is_literal=False)
    updated.update(*projector.finish())
    anew = Projection(*projector.finish(), version=1)

    def drawn(projection: Projection) -> dict[frozenset[str], set[str]]:
        return {
            frozenset((a, b)): {link.id for link in links}
            for a, b, links in projection.graph.edges(data="links")
        }

    assert "instrument/i" in before
    assert drawn(updated) == drawn(anew)
    assert set(updated.graph.nodes) == set(anew.graph.nodes)
    assert {link.source for link in updated.links_of(["state/s"])["state/s"]} == {
        "person/p",
        "signature/i-1",
    }
