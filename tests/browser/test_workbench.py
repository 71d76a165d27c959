"""The SPARQL workbench in Chromium: a named query opened in a tab and run, a syntax
error answered with the parser's message, a shared address reopened with the same query
and view, our own completions, the keyboard, and a phone's width."""

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, Request, Route, ViewportSize, expect

from accordkg.sparql.named_queries import named_query
from tests import live
from tests.browser.conftest import Shot, Visit

pytestmark = pytest.mark.slow  # a browser loads the pages

SIGNATORIES = "Signatories with their offices and parties"
ACTIVE = ".tabPanel.active"
PHONE: ViewportSize = {"width": 390, "height": 844}
SELECTED = re.compile(r"\bselected\b")


def _run(page: Page) -> None:
    page.locator(f"{ACTIVE} .yasqe_queryButton").click()


def _type_over(page: Page, text: str) -> None:
    """Replace the editor's text with `text`, the cursor at its end, the editor focused."""
    page.evaluate(
        "([selector, text]) => { const editor = document.querySelector(selector).CodeMirror;"
        " editor.setValue(text); editor.focus(); editor.setCursor(editor.lineCount(), 0); }",
        [f"{ACTIVE} .CodeMirror", text],
    )


def _refused_once(recorded: Visit) -> None:
    """Chromium reports a refused request on the console: that one (a 400), and no other
    error; it is taken off the record the test ends with."""
    [refused] = recorded.errors
    assert "status of 400" in refused
    recorded.errors.clear()


def _editor_text(page: Page) -> str:
    return str(
        page.evaluate(f"document.querySelector('{ACTIVE} .CodeMirror').CodeMirror.getValue()")
    )


def test_a_named_query_opens_in_a_tab_and_its_rows_show(
    page: Page, server: str, shot: Shot
) -> None:
    page.goto(f"{server}/sparql")
    expect(page.locator(f"{ACTIVE} .CodeMirror")).to_be_visible()
    shot("workbench")
    page.get_by_role("button", name=f"Open in a tab {SIGNATORIES}").click()
    expect(page.locator(".tab.active")).to_contain_text(SIGNATORIES)
    assert _editor_text(page).startswith(f"# title: {SIGNATORIES}")
    _run(page)
    rows = page.locator(f"{ACTIVE} .yasr table.dataTable tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.filter(has_text="Michael J.K. Kratsios")).to_have_count(1)
    expect(rows.filter(has_text="Secretary of State")).to_have_count(2)
    shot("signatories")


def test_a_named_querys_form_binds_its_parameters_and_says_what_is_wrong(
    visit: tuple[Page, Visit], server: str, shot: Shot
) -> None:
    page, recorded = visit
    page.goto(f"{server}/sparql")
    expect(page.locator(f"{ACTIVE} .CodeMirror")).to_be_visible()
    card = page.locator("li[data-query='parties-and-instruments']")
    party = card.get_by_label("?party (iri)")
    party.fill("the united states")
    card.get_by_role("button", name="Open in a tab").click()
    expect(card.get_by_role("alert")).to_contain_text("parameter party must be an absolute IRI")
    shot("refused-value")
    _refused_once(recorded)
    party.fill("state/united-states")
    card.get_by_role("button", name="Open in a tab").click()
    expect(card.get_by_role("alert")).to_be_hidden()
    expect(page.locator(".tab.active")).to_contain_text("Parties and their instruments")
    assert "VALUES (?party) { (<https://w3id.org/accordkg/id/state/united-states>) }" in (
        _editor_text(page)
    )
    _run(page)
    named = f"{server}/queries/parties-and-instruments"
    everyone = live.get(named).json()["results"]["bindings"]
    bound = live.get(named, params={"party": "state/united-states"}).json()["results"]["bindings"]
    assert 0 < len(bound) < len(everyone)
    rows = page.locator(f"{ACTIVE} .yasr table.dataTable tbody tr")
    expect(rows).to_have_count(len(bound))
    expect(rows.filter(has_text="United States of America")).to_have_count(len(bound))
    shot("bound")


def test_a_syntax_error_shows_the_parsers_message(
    visit: tuple[Page, Visit], server: str, shot: Shot
) -> None:
    page, recorded = visit
    page.goto(f"{server}/sparql#query={quote('SELECT * WHERE { ?s ?p }')}")
    alert = page.locator(f"{ACTIVE} .query-error")
    expect(alert).to_contain_text("SPARQL syntax error at 1:25: expected one of")
    shot("syntax-error")
    _refused_once(recorded)


def test_a_shared_address_reopens_the_same_query_and_view(
    page: Page, server: str, shot: Shot
) -> None:
    page.goto(f"{server}/sparql")
    page.get_by_role("button", name="Open in a tab Instruments overview").click()
    expect(page.locator(".tab.active")).to_contain_text("Instruments overview")
    _run(page)
    expect(page.locator(f"{ACTIVE} .yasr table.dataTable tbody tr")).to_have_count(3)
    page.locator(f"{ACTIVE} .yasr .select_response").click()
    expect(page.locator(f"{ACTIVE} .yasr .select_response")).to_have_class(SELECTED)
    expect(page).to_have_url(re.compile("outputFormat=response"))
    shared, query = page.url, _editor_text(page)
    page.evaluate("localStorage.clear()")  # what is left is the address alone
    page.goto("about:blank")
    page.goto(shared)
    expect(page.locator(".tab.active")).to_contain_text("Instruments overview")
    assert _editor_text(page) == query
    selected = page.locator(f"{ACTIVE} .yasr .select_response")
    expect(selected).to_have_class(SELECTED)
    expect(page.locator(f"{ACTIVE} .yasr .CodeMirror")).to_contain_text(
        "us-uk-ai-research-declaration-2020"
    )
    shot("shared")


def test_a_query_in_the_address_opens_in_the_workbench(page: Page, server: str) -> None:
    query = "ASK { ?s a <https://w3id.org/accordkg/ontology#Declaration> }"
    page.goto(f"{server}/sparql?query={quote(query)}")
    expect(page.locator(f"{ACTIVE} .CodeMirror")).to_contain_text("ASK")
    assert _editor_text(page) == query
    expect(page.locator(f"{ACTIVE} .yasr")).to_contain_text("True")


def test_a_links_first_rows_show_before_yasgui_which_is_handed_the_same_answer(
    page: Page, server: str, shot: Shot
) -> None:
    """YASGUI's script is held back until the link's first rows are on the screen; once it
    runs, its table shows the answer that was drawn, which the browser asked for once."""
    held: list[Route] = []
    queries: list[Request] = []

    def hold(route: Route) -> None:  # Playwright takes no bound builtin as a handler
        held.append(route)

    def record(request: Request) -> None:
        if request.method == "POST":
            queries.append(request)

    page.route("**/assets/vendor/yasgui.min.js", hold)
    page.on("request", record)
    link = f"{server}/sparql#query={quote(named_query('signatories').text)}"
    page.goto(link, wait_until="commit")
    first_rows = page.locator("#first-rows tbody tr")
    expect(first_rows).to_have_count(3)
    expect(first_rows.filter(has_text="Michael J.K. Kratsios")).to_have_count(1)
    expect(page.locator("#first-rows caption")).to_have_text("3 rows; the editor is loading.")
    assert page.evaluate("typeof window.Yasgui") == "undefined"
    shot("first-rows")
    for route in held:
        route.continue_()
    page.unroute("**/assets/vendor/yasgui.min.js")
    rows = page.locator(f"{ACTIVE} .yasr table.dataTable tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.filter(has_text="Michael J.K. Kratsios")).to_have_count(1)
    expect(page.locator("#first-rows")).to_have_count(0)
    expect(page.locator(f"{ACTIVE} .yasqe_queryButton")).not_to_have_class(
        re.compile(r"\bquery_disabled\b")
    )
    assert [request.url for request in queries] == [f"{server}/sparql"]
    shot("handed-over")


def test_classes_and_properties_complete_from_our_ontology(
    page: Page, server: str, shot: Shot
) -> None:
    page.goto(f"{server}/sparql")
    _type_over(
        page, "PREFIX ak: <https://w3id.org/accordkg/ontology#>\nSELECT * WHERE { ?x a ak:Sig"
    )
    page.keyboard.press("Control+Space")
    hints = page.locator(".CodeMirror-hints li")
    expect(hints).to_have_text(["ak:Signature", "ak:SigningClause"])
    shot("class-completion")
    page.keyboard.press("Enter")
    page.keyboard.type(" ; ak:sign")
    page.keyboard.press("Control+Space")
    expect(hints).to_have_text(["ak:signatory", "ak:signature", "ak:signedBy", "ak:signingClause"])
    page.keyboard.press("Enter")
    assert _editor_text(page).endswith("?x a ak:Signature ; ak:signatory")


def test_the_controls_work_from_the_keyboard(page: Page, server: str, shot: Shot) -> None:
    page.goto(f"{server}/sparql")
    expect(page.locator(f"{ACTIVE} .CodeMirror")).to_be_visible()
    page.locator("h1").click()
    reached = []
    for _ in range(60):
        page.keyboard.press("Tab")
        reached.append(
            page.evaluate(
                "document.activeElement.closest('.CodeMirror') ? 'editor'"
                " : document.activeElement.id"
            )
        )
        if reached[-1] == "open-co-parties":
            break
    assert "editor" in reached, reached
    assert reached[-1] == "open-co-parties", reached
    page.keyboard.press("Enter")
    expect(page.locator(".tab.active")).to_contain_text("Co-party pairs")
    page.locator(f"{ACTIVE} .CodeMirror textarea").focus()
    page.keyboard.press("Control+Enter")
    rows = page.locator(f"{ACTIVE} .yasr table.dataTable tbody tr")
    expect(rows).to_have_count(2)  # the two pairs of the seed
    expect(rows.first).to_contain_text("United Kingdom of Great Britain and Northern Ireland")
    shot("keyboard")


def test_a_phone_width_does_not_overflow(page: Page, server: str, shot: Shot) -> None:
    page.set_viewport_size(PHONE)
    page.goto(f"{server}/sparql")
    expect(page.locator(f"{ACTIVE} .CodeMirror")).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    shot("phone")
