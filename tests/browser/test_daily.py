"""The daily loop in a real browser: a schedule set up as a new user would (time zone
preset from the browser), the runner's scheduled run, the digest that arrives (read in
the browser, light and dark), the board history and the brand page at phone width."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from opportunities.models import JobTrigger, OpportunitiesJob
from schedules.models import BrandSchedule
from tests.browser import flows
from tests.browser.flows import ARTIFACTS, DESKTOP, PHONE
from tests.support.waiting import wait_for

pytestmark = pytest.mark.browser
SHOTS = ARTIFACTS / "daily"


@pytest.fixture
def daily_app(app, settings):
    settings.JOB_RUNNER_PERIODIC_SECONDS = 0.5
    settings.DIGEST_SETTLE_SECONDS = 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = app.url
    return app


def shot(page: Page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def make_due(brand) -> None:
    BrandSchedule.objects.filter(brand=brand).update(
        next_run_at=timezone.now() - timedelta(seconds=5)
    )


def test_schedule_a_brand_and_read_the_digest(page_factory, daily_app):
    user = flows.make_user("daily@example.com", keys=True)
    brand = flows.make_onboarded_brand(user)
    page = page_factory(DESKTOP, timezone_id="Asia/Tokyo")
    flows.log_in(page, user.email)
    page.goto(f"/brands/{brand.pk}/")

    panel = page.locator("#schedule-panel")
    expect(panel.get_by_label("Time zone")).to_have_value("Asia/Tokyo")  # from the browser
    expect(panel.get_by_text("Time zone set from your browser.")).to_be_visible()
    expect(panel.locator("input[type=time]")).to_have_value("07:00")
    panel.get_by_label("Refresh the board every morning").check()
    panel.get_by_label("Weekdays (Mon–Fri)").check()
    panel.get_by_role("button", name="Save schedule").click()
    expect(flows.toast(page, "Daily refresh is on")).to_be_visible()
    expect(panel.get_by_text(re.compile(r"Next refresh: .+ at 07:00"))).to_be_visible()
    expect(panel.get_by_text("(Asia/Tokyo)")).to_be_visible()
    schedule = BrandSchedule.objects.get(brand=brand)
    assert (schedule.time_zone, schedule.days, schedule.enabled) == ("Asia/Tokyo", "weekdays", True)
    shot(page, "brand-schedule-1280")

    make_due(brand)  # as if 07:00 in Tokyo had come: the runner's loop takes it
    wait_for(lambda: len(mail.outbox) == 1, timeout=60)
    job = OpportunitiesJob.objects.get(brand=brand)
    assert job.trigger == JobTrigger.SCHEDULED
    digest = mail.outbox[0]
    html = digest.alternatives[0][0]

    reader = page_factory(DESKTOP)
    reader.set_content(html)
    expect(reader.get_by_role("heading", name="Today's board for Goodie AI")).to_be_visible()
    expect(reader.get_by_role("link", name="Open today's board →")).to_have_attribute(
        "href", f"{daily_app.url}/brands/{brand.pk}/today/"
    )
    shot(reader, "digest-light")
    dark = page_factory(DESKTOP, color_scheme="dark")
    dark.set_content(html)
    background = dark.evaluate(
        "() => getComputedStyle(document.querySelector('.k-card')).backgroundColor"
    )
    assert background == "rgb(27, 30, 39)", background  # the dark palette took over
    shot(dark, "digest-dark")
    phone = page_factory(PHONE)
    phone.set_content(html)
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    shot(phone, "digest-375")

    # A second morning: the board says what changed, history lists both runs.
    make_due(brand)
    wait_for(lambda: len(mail.outbox) == 2, timeout=60)
    page.goto(f"/brands/{brand.pk}/today/")
    expect(page.get_by_role("heading", name=re.compile("What changed"))).to_be_visible()
    shot(page, "today-what-changed-1280")
    page.get_by_role("link", name="Board history").first.click()
    expect(page.get_by_role("heading", name="Board history")).to_be_visible()
    expect(page.locator("tbody tr")).to_have_count(2)
    expect(page.locator("tbody").get_by_text("Scheduled")).to_have_count(2)
    shot(page, "history-1280")
    page.locator("tbody tr").first.get_by_role("link").first.click()
    expect(page.get_by_text("read-only")).to_be_visible()
    shot(page, "board-detail-1280")


def test_the_brand_page_with_its_schedule_fits_a_phone(page_factory, daily_app):
    user = flows.make_user("phone-daily@example.com", keys=True)
    brand = flows.make_onboarded_brand(user)
    page = page_factory(PHONE, timezone_id="America/New_York")
    flows.log_in(page, user.email)
    page.goto(f"/brands/{brand.pk}/")
    expect(page.locator("#schedule-panel").get_by_label("Time zone")).to_have_value(
        "America/New_York"
    )
    flows.assert_fits_phone(page)
    shot(page, "brand-schedule-375")
