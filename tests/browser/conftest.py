"""Debian's Chromium driven by Playwright through the live server's pages: every request
the browser makes is recorded (none may leave the server), console errors fail the test,
and each step's screenshot is kept in var/screenshots/ when the test fails."""

import io
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image, ImageStat
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, sync_playwright

from tests.conftest import TESTS

CHROMIUM = "/usr/bin/chromium"
# Headless, and nothing of Chromium's own traffic (updates, sync, safe browsing) on top of
# the page's: that is what the tests record.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
]
SCREENSHOTS = TESTS.parent / "var" / "screenshots"
# The least spread of grey levels a screenshot with something drawn on it has.
DRAWN_STDDEV = 4.0
# Schemes a page may load from without a request leaving the server.
LOCAL_SCHEMES = {"data", "blob", "about"}

Shot = Callable[[str], Path]


# Playwright's driver holds an event loop running in the test process's thread while it
# lives: it is stopped whenever tests of another package come next, which may run their own.
@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
    yield chromium
    chromium.close()


class Visit:
    """What a page did: the URLs it requested and the errors its console reported."""

    def __init__(self, page: Page) -> None:
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"{message.text} ({message.location.get('url', '')})")

    def elsewhere(self, origin: str) -> list[str]:
        """The requests that left `origin`."""
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in LOCAL_SCHEMES
            and f"{urlsplit(url).scheme}://{urlsplit(url).netloc}" != origin
        ]


@pytest.fixture
def visit(browser: Browser, server: str) -> Iterator[tuple[Page, Visit]]:
    """A new page (1280 px wide) in a context of its own; after the test, no request may
    have left the server and the console must have reported no error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    visit = Visit(page)
    yield page, visit
    context.close()
    assert visit.elsewhere(server) == [], "requests left the server"
    assert visit.errors == [], "the console reported errors"


@pytest.fixture
def page(visit: tuple[Page, Visit]) -> Page:
    return visit[0]


@pytest.fixture
def shot(page: Page, request: pytest.FixtureRequest) -> Iterator[Shot]:
    """`shot(step)`: a screenshot of the page now, written to var/screenshots/TEST/ and
    checked not to be blank; the folder is removed when the test passes."""
    folder: Path = SCREENSHOTS / request.node.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    taken: list[Path] = []

    def take(step: str) -> Path:
        path = folder / f"{len(taken) + 1:02d}-{step}.png"
        page.screenshot(path=path, full_page=True)
        taken.append(path)
        grey = Image.open(io.BytesIO(path.read_bytes())).convert("L")
        assert ImageStat.Stat(grey).stddev[0] > DRAWN_STDDEV, f"{path.name} is blank"
        return path

    yield take
    failed = getattr(request.node, "failed", True)
    if not failed:
        shutil.rmtree(folder)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    """Mark a test that failed, so its screenshots are kept."""
    report = yield
    if call.when == "call":
        item.failed = report.failed  # type: ignore[attr-defined]
    return report
