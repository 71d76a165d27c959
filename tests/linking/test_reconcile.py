"""Reconciliation matching over a real built store."""

from collections.abc import Iterator
from contextlib import closing

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from accordkg.errors import InputError, NotFoundError
from accordkg.linking.reconcile import (
    Reconciler,
    initials,
    is_match,
    key,
    parse_batch,
    parse_extension,
)
from accordkg.namespaces import AK
from accordkg.pipeline.build import build
from accordkg.settings import Settings
from accordkg.store import open_store
from tests.conftest import INPUTS

DECLARATION = "instrument/us-uk-ai-research-declaration-2020"


@pytest.fixture(scope="module")
def reconciler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reconciler]:
    """One built store for the matching tests, which only read it."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("reconcile"), input_dir=INPUTS)
    build(settings)
    with closing(open_store(settings)) as store:
        yield Reconciler(store, settings.base_iri)


def _best(reconciler: Reconciler, **query: object) -> tuple[str, int, bool]:
    (candidates,) = reconciler.reconcile(parse_batch({"q0": query})).values()
    assert candidates, query
    return candidates[0].entity.id, candidates[0].score, is_match(candidates, 0)


def test_names_compare_without_case_accents_dashes_or_dots() -> None:
    assert key("The U.K.") == key("uk") == "uk"
    assert key("UK\u2013US  Déclaration") == "uk us declaration"
    assert {"ai", "uk", "usa"} <= initials("United States of America") | initials(
        "United Kingdom and Artificial Intelligence"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("United Kingdom", "state/united-kingdom"),
        ("UK", "state/united-kingdom"),
        ("u.k.", "state/united-kingdom"),
        ("kingdom united", "state/united-kingdom"),
        ("USA", "state/united-states"),
        ("UK\u2013US AI declaration 2020", DECLARATION),
        ("uk-us ai declaration 2020", DECLARATION),
        ("Kratsios", "person/michael-jk-kratsios"),
        ("Krastios", "person/michael-jk-kratsios"),
        ("NSF", "organization/us-national-science-foundation"),
        ("national science foundation", "organization/us-national-science-foundation"),
    ],
)
def test_a_name_matches_its_entity(reconciler: Reconciler, text: str, expected: str) -> None:
    assert _best(reconciler, query=text)[::2] == (expected, True)


def test_a_vague_name_has_candidates_but_no_match(reconciler: Reconciler) -> None:
    (candidates,) = reconciler.reconcile(parse_batch({"q": {"query": "research"}})).values()
    assert len(candidates) > 1
    assert not any(is_match(candidates, at) for at in range(len(candidates)))


def test_a_type_constraint_filters_candidates(reconciler: Reconciler) -> None:
    (candidates,) = reconciler.reconcile(
        parse_batch({"q": {"query": "UK", "type": "Organization"}})
    ).values()
    assert [c.entity.id for c in candidates] == ["organization/uk-research-and-innovation"]


def test_property_constraints_pick_the_instrument(reconciler: Reconciler) -> None:
    query = {
        "query": "US UK agreement",
        "properties": [{"pid": "year", "v": 2017}, {"pid": "party", "v": "United Kingdom"}],
    }
    assert _best(reconciler, **query) == (
        "instrument/us-uk-science-and-technology-agreement-2017",
        84,
        True,
    )
    wrong_year = {"query": "US UK agreement", "properties": [{"pid": "year", "v": "2020"}]}
    assert _best(reconciler, **wrong_year)[2] is False


def test_a_party_given_by_id_constrains_a_person(reconciler: Reconciler) -> None:
    query = {
        "query": "Kratsios",
        "properties": [{"pid": "party", "v": {"id": "state/united-kingdom"}}],
    }
    entity, score, match = _best(reconciler, **query)
    assert (entity, match) == ("person/michael-jk-kratsios", False)
    assert score < 50


def test_a_query_of_properties_alone_scores_by_the_share_it_has(reconciler: Reconciler) -> None:
    """No `query` string (v0.2): candidates have a value of at least one property, and
    the one that alone has them all is a match."""
    both = {"properties": [{"pid": "party", "v": "United Kingdom"}, {"pid": "year", "v": 2020}]}
    (candidates,) = reconciler.reconcile(parse_batch({"q0": both})).values()
    assert [(c.entity.id, c.score) for c in candidates[:2]] == [(DECLARATION, 100), (
        "person/alok-sharma", 50)]  # fmt: skip
    assert [is_match(candidates, at) for at in range(len(candidates))] == [True] + [False] * (
        len(candidates) - 1
    )
    signed_by = {"type": "Person", "properties": [{"pid": "party", "v": "state/united-kingdom"}]}
    (people,) = reconciler.reconcile(parse_batch({"q0": signed_by})).values()
    assert [(c.entity.id, c.score) for c in people] == [
        ("person/alok-sharma", 100), ("person/oliver-dowden", 100),
    ]  # fmt: skip
    assert not any(is_match(people, at) for at in range(len(people)))  # two alike: no match


def test_a_query_of_properties_nothing_has_gives_no_candidates(reconciler: Reconciler) -> None:
    batch = parse_batch({"q0": {"properties": [{"pid": "year", "v": "1900"}]}})
    assert reconciler.reconcile(batch) == {"q0": []}


def test_an_empty_batch_has_no_answers(reconciler: Reconciler) -> None:
    assert reconciler.reconcile(parse_batch({})) == {}


def test_extension_reads_the_properties_back(reconciler: Reconciler) -> None:
    ids, pids = parse_extension(
        {"ids": [DECLARATION, "person/oliver-dowden", "state/ruritania"],
         "properties": [{"id": "party"}, {"id": "year"}]}
    )  # fmt: skip
    assert reconciler.extend(ids, pids) == {
        DECLARATION: {"party": ["state/united-kingdom", "state/united-states"], "year": ["2020"]},
        "person/oliver-dowden": {"party": ["state/united-kingdom"], "year": []},
        "state/ruritania": {"party": [], "year": []},
    }


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([], "extend must be a JSON object"),
        ({"properties": [{"id": "year"}]}, "`ids` must be a list"),
        ({"ids": ["a"], "properties": ["year"]}, "`properties` must be a list"),
        ({"ids": ["a"], "properties": [{"id": "colour"}]}, "unknown property 'colour'"),
        ({"ids": ["a"] * 1001, "properties": []}, "at most 1000 ids"),
    ],
)
def test_a_malformed_extension_is_an_input_error(document: object, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_extension(document)


def test_limit_caps_the_candidates(reconciler: Reconciler) -> None:
    (candidates,) = reconciler.reconcile(parse_batch({"q": {"query": "UK", "limit": 2}})).values()
    assert len(candidates) == 2


def test_suggest_completes_names(reconciler: Reconciler) -> None:
    assert [e.id for e in reconciler.suggest("krat")] == ["person/michael-jk-kratsios"]
    assert "state/united-kingdom" in [e.id for e in reconciler.suggest("united k")]


def test_the_index_follows_the_store_after_a_write(any_built_settings: Settings) -> None:
    """On both stores: the index is read through the store's SELECT and rebuilt when the
    store's generation moves."""
    with closing(open_store(any_built_settings)) as store:
        reconciler = Reconciler(store, any_built_settings.base_iri)
        batch = parse_batch({"q": {"query": "Ruritania"}})
        assert reconciler.reconcile(batch) == {"q": []}
        ruritania = URIRef(any_built_settings.base_iri + "state/ruritania")
        graph = Graph()
        graph.add((ruritania, RDF.type, AK.State))
        graph.add((ruritania, RDFS.label, Literal("Ruritania", lang="en")))
        store.replace_graphs({URIRef("urn:example:more"): graph})
        (candidates,) = reconciler.reconcile(batch).values()
        assert [c.entity.id for c in candidates] == ["state/ruritania"]


@pytest.mark.parametrize(
    ("batch", "message"),
    [
        ([], "JSON object of queries"),
        ({"q0": "UK"}, "q0: a query is a JSON object"),
        ({"q0": {"query": ""}}, "q0: `query` must be a non-empty string"),
        ({"q0": {"type": "State"}}, "q0: `query` must be a non-empty string"),
        ({"q0": {"properties": []}}, "q0: `query` must be a non-empty string"),
        ({"q0": {"query": "", "properties": [{"pid": "year", "v": "2020"}]}}, "non-empty"),
        ({"q0": {"properties": [{"pid": "colour", "v": "red"}]}}, "unknown property 'colour'"),
        ({"q0": {"query": "UK", "type": "Country"}}, "q0: unknown type 'Country'"),
        ({"q0": {"query": "UK", "limit": 0}}, "positive integer"),
        ({"q0": {"query": "UK", "properties": [{"pid": "colour", "v": "red"}]}},
         "unknown property 'colour'"),
        ({"q0": {"query": "UK", "properties": [{"pid": "year"}]}}, "`pid` and `v`"),
    ],
)  # fmt: skip
def test_a_malformed_query_is_an_input_error(batch: object, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_batch(batch)


def test_an_unknown_entity_is_not_found(reconciler: Reconciler) -> None:
    with pytest.raises(NotFoundError):
        reconciler.entity("state/ruritania")
