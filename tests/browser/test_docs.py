"""The API docs render from the server's own assets."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Shot

pytestmark = pytest.mark.slow  # a browser loads the pages


def test_swagger_ui_renders_the_api_offline(page: Page, server: str, shot: Shot) -> None:
    page.goto(f"{server}/docs")
    expect(page.locator(".opblock-tag", has_text="sparql").first).to_be_visible()
    expect(page.get_by_text("/sparql").first).to_be_visible()
    shot("swagger-ui")


def test_redoc_renders_the_api_offline(page: Page, server: str, shot: Shot) -> None:
    page.goto(f"{server}/redoc")
    expect(page.get_by_role("heading", name="accordkg").first).to_be_visible()
    shot("redoc")
