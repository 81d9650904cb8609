"""Playwright on the system Chromium, with axe-core and a record of every request the page makes."""

import os
import shutil
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

# Playwright's sync API runs an event loop in this thread; the live server's ORM calls happen in another
# thread, but fixtures that create rows run here, so Django's async-safety guard must be told.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run 'sudo apt-get install -y chromium' (make test does it)."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


class RequestLog:
    def __init__(self, allowed_host: str):
        self.allowed_host = allowed_host
        self.urls: list[str] = []

    def record(self, request):
        self.urls.append(request.url)

    def foreign(self) -> list[str]:
        return [
            url
            for url in self.urls
            if urlsplit(url).scheme not in {"data", "blob", "about"}
            and urlsplit(url).netloc != self.allowed_host
        ]


def _new_page(browser, live_server, *, javascript: bool):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=javascript, locale="de-DE")
    page = context.new_page()
    log = RequestLog(urlsplit(live_server.url).netloc)
    page.on("request", log.record)
    page.set_default_timeout(10_000)
    page.request_log = log
    return context, page


@pytest.fixture
def page(browser, live_server):
    """A page with JavaScript; fails the test if anything was requested from another host."""
    context, page = _new_page(browser, live_server, javascript=True)
    yield page
    foreign = page.request_log.foreign()
    context.close()
    assert foreign == [], f"requests left the test server: {foreign}"


@pytest.fixture
def page_without_js(browser, live_server):
    context, page = _new_page(browser, live_server, javascript=False)
    yield page
    foreign = page.request_log.foreign()
    context.close()
    assert foreign == [], f"requests left the test server: {foreign}"


_axe = Axe()


def assert_accessible(page, context=None):
    """Run axe-core with the WCAG 2.1 A/AA rules and fail with a readable list of violations."""
    results = _axe.run(page, context=context, options=AXE_OPTIONS)
    violations = results.response["violations"]
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> " + ", ".join(str(n["target"]) for n in v["nodes"][:5])
        for v in violations
    )
    assert violations == [], f"axe-core found WCAG 2.1 AA violations on {page.url}:\n{report}"


@pytest.fixture
def axe():
    return assert_accessible
