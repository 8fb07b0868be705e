"""The workspace in a real browser: use an idea (by keyboard), undo it from its toast,
use it again and save another, then the plan shows them, the calendar feed parses as
iCalendar, the CSV downloads, and "Copy as brief" puts Markdown on the clipboard."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from pathlib import Path

import icalendar
import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser import flows
from tests.support.board import make_board, make_job
from workspace.models import IdeaFeedback, IdeaState

pytestmark = pytest.mark.browser


@pytest.fixture
def marketer_board():
    user = flows.make_user("ines@example.com", keys=True)
    brand = flows.make_onboarded_brand(user)
    return brand, make_board(make_job(brand), cards=3)


def test_use_then_plan_then_export(page: Page, app, marketer_board):
    brand, ideas = marketer_board
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    flows.log_in(page, "ines@example.com")
    page.goto(f"/brands/{brand.pk}/today/")
    flows.open_cards(page)
    first = page.locator(f"#idea-{ideas[0].pk}")
    day = timezone.localdate() + timedelta(days=2)

    # "I'll use this" by keyboard: open the form, set the date, submit.
    first.get_by_text("I'll use this").focus()
    page.keyboard.press("Enter")
    date_field = first.get_by_label("Post it on")
    expect(date_field).to_be_visible()
    date_field.fill(day.isoformat())
    date_field.press("Enter")
    added = flows.toast(page, "Added “Idea 1” to your plan")
    expect(added).to_be_visible()
    expect(first.locator(".idea-status")).to_contain_text("Planned for")
    # Focus lands on the row's Undo, next to what changed.
    expect(first.get_by_role("button", name=re.compile("^Undo"))).to_be_focused()

    # Undo from the toast: the idea is new again.
    added.get_by_role("button", name="Undo").click()
    expect(flows.toast(page, "Undone")).to_be_visible()
    expect(first.locator(".idea-status")).to_have_count(0)
    assert IdeaFeedback.objects.get(opportunity=ideas[0]).state == IdeaState.NEW

    # Use it again, save the second idea, dismiss the third with a reason.
    first.get_by_text("I'll use this").click()
    first.get_by_label("Post it on").fill(day.isoformat())
    first.get_by_role("button", name="Add to plan").click()
    expect(first.locator(".idea-status")).to_contain_text("Planned for")
    page.locator(f"#idea-{ideas[1].pk}").get_by_role("button", name="Save for later").click()
    expect(flows.toast(page, "Saved “Idea 2” for later.")).to_be_visible()
    third = page.locator(f"#idea-{ideas[2].pk}")
    third.get_by_text("Not for us").click()
    third.get_by_label("Already covered").check()
    third.get_by_role("button", name="Dismiss idea").click()
    expect(third.locator(".idea-status")).to_contain_text("Not for us: already covered")

    # Filter the board to what's planned.
    page.get_by_label("State").select_option(label="Planned")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"state=used"))
    expect(page.locator(".opp-card")).to_have_count(1)
    flows.open_cards(page)

    # "Copy as brief" puts the idea's Markdown on the clipboard.
    page.locator(f"#idea-{ideas[0].pk}").get_by_role("link", name="Copy as brief").click()
    expect(flows.toast(page, "Brief copied")).to_be_visible()
    brief = page.evaluate("navigator.clipboard.readText()")
    assert brief.startswith("# Idea 1\n") and "## Why now\n\nWhy now 1" in brief

    # The plan: the used idea on its day, the saved one in its list.
    page.get_by_role("link", name="Open your plan →").click()
    expect(page).to_have_title(f"Plan · {brand.name} · Kairo")
    agenda = page.locator(
        ".plan-agenda-day", has=page.locator(f"time[datetime='{day.isoformat()}']")
    )
    if day.month == timezone.localdate().month:
        expect(agenda).to_contain_text("Idea 1")
    expect(page.get_by_role("region", name="Saved for later")).to_contain_text("Idea 2")
    expect(page.locator("body")).not_to_contain_text("Idea 3")

    # Exports: the calendar feed (subscribed to without signing in) and the CSV.
    page.get_by_role("button", name="Turn on calendar feed").click()
    feed_url = page.get_by_label("Calendar feed link").input_value()
    assert re.fullmatch(rf"{re.escape(app.url)}/calendar/[\w-]{{40,}}\.ics", feed_url)
    feed = page.context.browser.new_context().request.get(feed_url)
    assert feed.ok and feed.headers["content-type"].startswith("text/calendar")
    [event] = icalendar.Calendar.from_ical(feed.body()).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Idea 1 (Instagram reel)" and event.decoded("DTSTART") == day

    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["title"], r["status"]) for r in rows] == [
        ("Idea 1", "planned"),
        ("Idea 2", "saved for later"),
    ]

    # A new feed link: the old one is gone at once.
    page.get_by_role("button", name="Make a new link").click()
    expect(flows.toast(page, "New feed link made.")).to_be_visible()
    assert page.get_by_label("Calendar feed link").input_value() != feed_url
    assert page.context.request.get(feed_url).status == 404


def test_board_actions_and_plan_fit_a_phone(phone_page: Page, app, marketer_board):
    brand, ideas = marketer_board
    page = phone_page
    flows.log_in(page, "ines@example.com")
    page.goto(f"/brands/{brand.pk}/today/")
    flows.open_cards(page)
    row = page.locator(f"#idea-{ideas[0].pk}")
    row.get_by_text("Not for us").click()
    expect(row.get_by_label("Off-brand")).to_be_visible()
    flows.assert_fits_phone(page)
    row.get_by_text("I'll use this").click()
    row.get_by_role("button", name="Add to plan").click()
    expect(row.locator(".idea-status")).to_contain_text("Planned for")
    page.goto(f"/brands/{brand.pk}/plan/")
    expect(page.locator(".plan-agenda")).to_contain_text("Idea 1")  # the list, not the grid
    expect(page.locator(".plan-grid")).to_be_hidden()
    flows.assert_fits_phone(page)
