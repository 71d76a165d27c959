"""The home page in Chromium: the instruments table searched, filtered, sorted and
followed to an instrument's page, by mouse and by keyboard, at desktop and phone width."""

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.browser.conftest import Shot

pytestmark = pytest.mark.slow  # a browser loads the pages

DECLARATION = "Declaration of the United States of America"
PHONE: ViewportSize = {"width": 390, "height": 844}


def _rows(page: Page) -> list[str]:
    """The titles of the table's rows that are shown, in order."""
    return page.locator("#instrument-table tbody tr:visible td.title").all_inner_texts()


def test_the_seed_instrument_is_found_by_search_and_followed(
    page: Page, server: str, shot: Shot
) -> None:
    page.goto(server)
    expect(page.get_by_role("heading", name="Instruments", exact=True)).to_be_visible()
    assert len(_rows(page)) == 3
    shot("home")
    page.get_by_label("Search").fill("artificial intelligence")
    expect(page.locator("#instrument-count")).to_have_text("1 of 3 instruments shown.")
    assert [title.startswith(DECLARATION) for title in _rows(page)] == [True]
    shot("searched")
    page.get_by_role("link", name=DECLARATION).click()
    expect(page).to_have_url(f"{server}/doc/instrument/us-uk-ai-research-declaration-2020.html")
    expect(page.get_by_role("heading", level=1)).to_contain_text(DECLARATION)
    shot("instrument-page")


def test_the_table_filters_by_form_and_legal_force_and_sorts_by_column(
    page: Page, server: str, shot: Shot
) -> None:
    page.goto(server)
    page.get_by_label("Form").select_option("agreement")
    assert _rows(page) == ["US-UK Science and Technology Agreement"]
    page.get_by_label("Form").select_option("")
    page.get_by_label("Legal force").select_option("non-binding")
    [shown] = _rows(page)
    assert shown.startswith(DECLARATION)
    page.get_by_label("Legal force").select_option("")
    commitments = page.get_by_role("button", name="Commitments")
    commitments.click()
    expect(page.locator("th", has=commitments)).to_have_attribute("aria-sort", "ascending")
    assert _rows(page)[-1].startswith(DECLARATION)  # 5 commitments, the others none
    commitments.click()
    expect(page.locator("th", has=commitments)).to_have_attribute("aria-sort", "descending")
    assert _rows(page)[0].startswith(DECLARATION)
    page.get_by_role("button", name="Date").click()
    dates = page.locator("#instrument-table tbody tr td:nth-child(3)").all_inner_texts()
    assert dates == ["", "2017-09", "2020-09-25"]
    shot("sorted-by-date")


def test_the_controls_work_from_the_keyboard(page: Page, server: str, shot: Shot) -> None:
    page.goto(server)
    focused = []
    for _ in range(40):
        page.keyboard.press("Tab")
        focused.append(
            page.evaluate("document.activeElement.id || document.activeElement.textContent")
        )
        if focused[-1] == "instrument-search":
            break
    assert focused[-1] == "instrument-search", focused
    page.keyboard.type("memorandum")
    expect(page.locator("#instrument-count")).to_have_text("1 of 3 instruments shown.")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Form")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Legal force")).to_be_focused()
    page.keyboard.press("Tab")
    title = page.get_by_role("button", name="Title")
    expect(title).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("th", has=title)).to_have_attribute("aria-sort", "ascending")
    shot("keyboard")


def test_a_phone_width_does_not_overflow(page: Page, server: str, shot: Shot) -> None:
    page.set_viewport_size(PHONE)
    page.goto(server)
    expect(page.locator("#instrument-table")).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    shot("phone")
