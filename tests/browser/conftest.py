"""Browser tests: Playwright's sync API driving Debian's chromium against a live server.

The live server runs the real app (transactional DB on the file-based SQLite test
database) with the Apify and OpenAI loopback doubles and the in-process job runner, so
Regenerate does the whole pipeline over real HTTP. Every page is watched for CSP
violations and uncaught script errors: either fails the test. A failing test leaves a
screenshot and the page's HTML in test-artifacts/.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.browser.flows import ARTIFACTS, DESKTOP, PHONE

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made
# by fixtures in that thread would otherwise be refused as "async unsafe".
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
APIFY_LATENCY_SECONDS = 0.6  # per actor: long enough to watch the progress steps move
EXPECT_TIMEOUT_MS = 15_000


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--screenshots",
        action="store_true",
        default=False,
        help="write docs/screenshots/ (tests/browser/test_screenshots.py; `make screenshots`)",
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@dataclass
class PageProblems:
    """What the browser complained about while a test ran."""

    csp: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        missing = f"{CHROMIUM} is missing: install Debian's chromium package to run these"
        if os.environ.get("CI"):  # .ci/run installs it: a missing browser fails CI
            pytest.fail(missing)
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def app(live_server, settings, fake_apify, fake_openai):
    """The live server wired to the doubles, with the job runner claiming jobs."""
    from opportunities.pipeline import run_job
    from opportunities.runner import Runner

    # Plain http on loopback: the production-style Secure cookies would never be sent.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    fake_apify.default_latency = APIFY_LATENCY_SECONDS
    runner = Runner(run_job, threads=2, worker_name="browser-tests").start()
    try:
        yield live_server
    finally:
        runner.stop(grace_seconds=10)


def _open_page(browser, request: pytest.FixtureRequest, base_url: str, viewport: dict, **options):
    from playwright.sync_api import expect

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    context = browser.new_context(viewport=viewport, base_url=base_url, **options)
    context.set_default_timeout(EXPECT_TIMEOUT_MS)
    page = context.new_page()
    problems = PageProblems()

    def on_console(message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            problems.csp.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.script_errors.append(str(error)))
    return context, page, problems


def _save_artifacts(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    stem = ARTIFACTS / re.sub(r"[^A-Za-z0-9_.-]+", "_", name)
    try:
        page.screenshot(path=f"{stem}.png", full_page=True)
        Path(f"{stem}.html").write_text(page.content(), encoding="utf-8")
    except Exception as error:  # a crashed page still lets the test report its failure
        Path(f"{stem}.txt").write_text(f"could not capture the page: {error}", encoding="utf-8")


@pytest.fixture
def page_factory(browser, app, request) -> Iterator:
    """Opens pages (one browser context each) at a viewport; checks and cleans them up."""
    opened = []

    def open_page(viewport: dict = DESKTOP, **options):
        """`options` go to the browser context (e.g. timezone_id, color_scheme)."""
        context, page, problems = _open_page(browser, request, app.url, viewport, **options)
        opened.append((context, page, problems))
        return page

    yield open_page

    complaints = [p for _, _, problems in opened for p in problems.csp + problems.script_errors]
    report = getattr(request.node, "report_call", None)
    failed = complaints or (report is not None and report.failed)
    for index, (context, page, _) in enumerate(opened):
        if failed:
            _save_artifacts(page, f"{request.node.nodeid}-{index}")
        context.close()
    assert not complaints, f"the browser reported CSP violations or script errors: {complaints}"


@pytest.fixture
def page(page_factory):
    return page_factory(DESKTOP)


@pytest.fixture
def phone_page(page_factory):
    return page_factory(PHONE)
