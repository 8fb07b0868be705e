"""A run watched in the browser against doubles that behave like the field: ideas appear
on the progress panel as the model writes them, a source that hangs is cut at the
deadline and shown as partial, and the Last run panel reports every source with its cost
(settling… until Apify's figure is final) and its Apify runs. At 1280 and 375 px; with
--screenshots the views are written to docs/screenshots/live-run/ to be looked at."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from evidence import runs
from opportunities import costs
from tests.browser import flows
from tests.browser.flows import DESKTOP, PHONE

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "live-run"


@pytest.fixture
def field_doubles(fake_apify, fake_openai, settings, monkeypatch):
    monkeypatch.setattr(runs, "POLL_SLICE", 0.3)
    monkeypatch.setattr(costs, "SETTLE_AFTER", timedelta(minutes=5))  # still settling
    fake_apify.latencies.clear()
    fake_apify.default_latency = 0.0
    fake_apify.use_profile(scale=0.1)  # the published profile, 10x faster
    fake_apify.get_stuck("streamers/youtube-scraper")
    fake_apify.settle_seconds = 60
    # Every other source ends by ~1.9 s at this scale; the margin absorbs a busy machine.
    settings.COLLECTION_DEADLINE_SECONDS = 4.0
    fake_openai.time_to_first_token = 0.3
    fake_openai.tokens_per_second = 90
    fake_openai.realistic_lengths = True
    return fake_apify, fake_openai


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "375"])
def test_a_run_streams_ideas_and_reports_a_partial_source(
    page_factory, field_doubles, request, viewport
):
    email = f"live{viewport['width']}@example.com"
    owner = flows.make_user(email, keys=True)
    brand = flows.make_onboarded_brand(owner)
    page: Page = page_factory(viewport)
    flows.log_in(page, email)
    page.goto(f"/brands/{brand.pk}/today/")
    page.get_by_role("button", name="Regenerate").click()

    panel = page.locator("#job-progress")
    chips = panel.locator(".recipe-chips")
    expect(chips).to_contain_text(re.compile(r"YouTube: \d of 10 — time limit"))
    expect(chips.locator(".badge-warning")).to_have_count(1)  # only the hung source
    expect(panel.locator(".draft-card").first).to_be_visible()
    expect(panel).to_contain_text("Ideas so far")
    shoot(page, request, f"streaming-{viewport['width']}")
    if viewport is PHONE:
        flows.assert_fits_phone(page)

    # The samples stay, dimmed, under the run until its board replaces them.
    expect(page.locator(".opp-list .opp-card:not(.is-sample)").first).to_be_visible(timeout=30_000)
    expect(page.locator(".partial-notice")).to_contain_text(
        re.compile(r"YouTube: \d of 10 — time limit")
    )
    sources = page.locator(".run-sources")
    expect(sources).to_contain_text("settling…")
    expect(sources.get_by_role("row", name="YouTube")).to_contain_text(re.compile(r"\d of 10"))
    link = sources.get_by_role("link", name="Apify run").first
    expect(link).to_have_attribute(
        "href", re.compile(r"^https://console\.apify\.com/actors/runs/run\d{6}$")
    )
    shoot(page, request, f"last-run-{viewport['width']}", only=".last-run")
    if viewport is PHONE:
        flows.assert_fits_phone(page)


def shoot(page: Page, request: pytest.FixtureRequest, name: str, only: str = "") -> None:
    if request.config.getoption("--screenshots"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = str(SHOTS / f"{name}.png")
        page.evaluate("() => document.querySelectorAll('#toasts .toast').forEach(t => t.remove())")
        if only:
            # An element shot stitches the sticky top bar over the element: lift it.
            page.evaluate("() => document.querySelector('.topbar').style.position = 'static'")
            page.locator(only).screenshot(path=path)
        else:
            page.screenshot(path=path, full_page=True)
