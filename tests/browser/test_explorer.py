"""The graph explorer in Chromium: from a party's page to a picture that is expanded,
filtered, pathed, exported and reopened from its address."""

import re
from pathlib import Path

import networkx as nx
import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import Shot

pytestmark = pytest.mark.slow  # a browser loads the pages

PARTY = "state/united-kingdom"
DECLARATION = "instrument/us-uk-ai-research-declaration-2020"
AGREEMENT = "instrument/us-uk-science-and-technology-agreement-2017"
MOU = "instrument/nsf-ukri-mou-research-cooperation"
# The focused control's name (id, export format, or the node or term it stands for) and
# its outline; null on the page itself.
FOCUSED = """(() => {
  const e = document.activeElement;
  if (e === document.body) return [null, null];
  const name = e.id || e.dataset.export || e.dataset.key || e.textContent;
  return [name, getComputedStyle(e).outlineStyle];
})()"""
DRAWN = re.compile(r"(\d+) nodes and (\d+) edges drawn")


def item(page: Page, node: str) -> Locator:
    return page.locator(f'#node-list li[data-id="{node}"] button')


def drawn(page: Page) -> set[str]:
    """The ids of the nodes drawn, once the explorer is done drawing."""
    expect(page.locator('#drawing[aria-busy="false"]')).to_be_attached()
    return set(page.locator("#node-list li").evaluate_all("items => items.map(i => i.dataset.id)"))


def counts(page: Page) -> tuple[int, int]:
    found = DRAWN.search(page.locator("#status").inner_text())
    assert found is not None
    return int(found[1]), int(found[2])


def test_explore_a_party_expand_filter_path_export_and_reopen(
    page: Page, server: str, shot: Shot, tmp_path: Path
) -> None:
    seeded = open_from_the_party_page(page, server)
    shot("seeded")
    expand_the_declaration(page, seeded)
    shot("expanded")
    hide_recitals(page)
    shot("recitals-hidden")
    keep_2020(page)
    shot("timeline-2020")
    find_a_path(page)
    page.get_by_label("Layout").select_option("concentric")
    shot("path")
    exported = export(page, tmp_path)
    reopen(page, exported)
    shot("reopened")


def open_from_the_party_page(page: Page, server: str) -> set[str]:
    page.goto(f"{server}/id/{PARTY}")
    page.get_by_role("link", name="Explore in the graph").click()
    expect(page).to_have_url(re.compile(r"/explore\?seed=state%2Funited-kingdom$"))
    expect(item(page, DECLARATION)).to_be_visible()
    seeded = drawn(page)
    assert {PARTY, DECLARATION, AGREEMENT} <= seeded
    assert MOU not in seeded  # cited by the declaration: two steps away
    return seeded


def expand_the_declaration(page: Page, seeded: set[str]) -> None:
    item(page, DECLARATION).focus()
    page.keyboard.press("Enter")
    expect(item(page, MOU)).to_be_visible()
    expanded = drawn(page)
    assert seeded < expanded
    assert any(node.startswith("recital/") for node in expanded)
    detail = page.locator("#detail")
    expect(detail.get_by_role("heading", level=3)).to_contain_text("Declaration of the United")
    expect(detail.get_by_role("link", name="Its Linked Data page")).to_have_attribute(
        "href", f"/id/{DECLARATION}"
    )
    expect(detail.locator("table.degree")).to_contain_text("recital")


def hide_recitals(page: Page) -> None:
    page.locator("#types").get_by_label("recital").uncheck()
    expect(page.locator('#node-list li[data-id^="recital/"]')).to_have_count(0)
    expect(page.locator("#status")).to_contain_text("hidden by the filters")


def keep_2020(page: Page) -> None:
    page.locator("#timeline").get_by_role("button", name="2020 (1)").click()
    expect(item(page, AGREEMENT)).to_have_count(0)
    timed = drawn(page)
    assert DECLARATION in timed
    assert PARTY in timed
    assert MOU in timed  # undated: stays
    expect(page.locator("#from-year-value")).to_have_text("2020")


def find_a_path(page: Page) -> None:
    page.locator("#path-from").select_option(PARTY)
    page.locator("#path-to").select_option(MOU)
    page.get_by_role("button", name="Find the path").click()
    expect(page.locator("#path-result")).to_have_text(
        re.compile(r"^2 steps: United Kingdom.* → Declaration of the United.* → NSF\W+UKRI")
    )


def export(page: Page, tmp_path: Path) -> nx.DiGraph:
    """What is drawn, exported as GEXF (read back), GraphML and PNG; the GEXF graph."""
    with page.expect_download() as download:
        page.get_by_role("button", name="GEXF").click()
    gexf = tmp_path / "drawn.gexf"
    download.value.save_as(gexf)
    graph = nx.read_gexf(gexf, version="1.3")
    assert set(graph.nodes) == drawn(page)
    assert (graph.number_of_nodes(), graph.number_of_edges()) == counts(page)
    assert graph.nodes[DECLARATION]["label"].startswith("Declaration of the United")
    assert graph.nodes[DECLARATION]["dateSigned"] == "2020-09-25"
    assert not any(node.startswith("recital/") for node in graph.nodes)
    predicates = {data["predicate"] for _, _, data in graph.edges(data=True)}
    assert {"ak:party", "ak:cites"} <= predicates
    assert "ak:recital" not in predicates

    with page.expect_download() as download:
        page.get_by_role("button", name="GraphML").click()
    graphml = nx.read_graphml(download.value.path())
    assert set(graphml.nodes) == set(graph.nodes)
    assert graphml.number_of_edges() == graph.number_of_edges()

    with page.expect_download() as download:
        page.get_by_role("button", name="PNG").click()
    assert download.value.path().read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    return graph


def reopen(page: Page, exported: nx.DiGraph) -> None:
    shared = page.url
    page.goto("about:blank")
    page.goto(shared)
    expect(page.locator("#path-result")).to_contain_text("2 steps")
    assert drawn(page) == set(exported.nodes)
    assert counts(page) == (exported.number_of_nodes(), exported.number_of_edges())
    expect(page.locator("#types").get_by_label("recital")).not_to_be_checked()
    expect(page.locator("#to-year-value")).to_have_text("2020")
    expect(page.get_by_label("Layout")).to_have_value("concentric")
    expect(page.locator("#detail h3")).to_contain_text("Declaration of the United")


def test_folding_signatures_draws_who_signed_for_whom(page: Page, server: str, shot: Shot) -> None:
    page.goto(f"{server}/explore?seed={PARTY}")
    expect(page.locator('#node-list li[data-id^="signature/"]').first).to_be_visible()
    assert not page.locator("#predicates").get_by_label("signed for").count()
    page.get_by_label("Fold signatures and evidence into direct edges").check()
    expect(page.locator("#predicates").get_by_label("signed for")).to_be_visible()
    expect(page.locator('#node-list li[data-id^="signature/"]')).to_have_count(0)
    assert any(node.startswith("person/") for node in drawn(page))
    assert "collapse=1" in page.url
    shot("folded")


def test_the_keyboard_reaches_every_control(page: Page, server: str, shot: Shot) -> None:
    page.goto(f"{server}/explore")
    page.keyboard.press("Tab")
    tabs = 0
    while page.evaluate("document.activeElement.id") != "search-input":
        page.keyboard.press("Tab")
        tabs += 1
        assert tabs < 10, "the search field is not among the first stops"
    page.keyboard.type("united k")
    expect(page.locator("#suggestions button").first).to_contain_text("United Kingdom")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(item(page, PARTY)).to_be_focused()

    page.locator("#search-input").focus()
    reached: set[str] = set()
    for _ in range(150):  # once round the page: back to the search field
        page.keyboard.press("Tab")
        name, outline = page.evaluate(FOCUSED)
        if name == "search-input":
            break
        if name is not None:  # None: the page itself, between its last stop and its first
            reached.add(name)
            assert outline != "none", f"{name} shows no focus"
    assert {
        "layout",
        "collapse",
        "clear",
        "from-year",
        "to-year",
        "path-from",
        "path-to",
        "find-path",
        "gexf",
        "graphml",
        "png",
        "ak:State",
        "ak:party",
        PARTY,
    } <= reached
    shot("keyboard")


def test_a_phone_width_shows_the_drawing_without_sideways_scrolling(
    page: Page, server: str, shot: Shot
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{server}/explore?seed={PARTY}")
    expect(item(page, DECLARATION)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    canvas = page.locator("#canvas").bounding_box()
    assert canvas is not None
    assert 300 <= canvas["width"] <= 390
    assert canvas["height"] >= 300
    item(page, DECLARATION).click()
    expect(page.locator("#detail h3")).to_contain_text("Declaration of the United")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot("phone")


def test_a_click_on_a_node_in_the_drawing_expands_it(page: Page, server: str, shot: Shot) -> None:
    page.goto(f"{server}/explore?seed={PARTY}")
    expect(item(page, AGREEMENT)).to_be_visible()
    expect(item(page, MOU)).to_have_count(0)
    # Where Cytoscape drew the node (the instance the page's module exports).
    at = page.evaluate(
        "async id => (await import('/assets/explorer.js'))"
        ".cy.getElementById(id).renderedPosition()",
        DECLARATION,
    )
    canvas = page.locator("#canvas").bounding_box()
    assert canvas is not None
    page.mouse.click(canvas["x"] + at["x"], canvas["y"] + at["y"])
    expect(item(page, MOU)).to_be_visible()
    expect(page.locator("#detail h3")).to_contain_text("Declaration of the United")
    assert "expand=instrument%2Fus-uk-ai-research-declaration-2020" in page.url
    shot("clicked")
