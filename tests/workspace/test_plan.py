"""The plan page and its exports: the calendar and the saved list, the CSV, the ICS feed
(parsed by a real iCalendar parser) at a secret URL that can be rotated and turned off."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.workspace.helpers import decide, idea_like
from workspace.exports import fold
from workspace.feeds import feed_for, turn_on_feed
from workspace.models import IdeaState

pytestmark = pytest.mark.django_db


def plan_url(brand, month: str = "") -> str:
    url = reverse("workspace:plan", args=[brand.pk])
    return f"{url}?month={month}" if month else url


def feed_path(token: str) -> str:
    return reverse("workspace:calendar_feed", args=[token])


@pytest.fixture
def planned(alice_brand, board):
    """Idea 1 planned in 3 days, Idea 2 posted on the 2nd of next month, Idea 3 saved."""
    today = timezone.localdate()
    next_month = (today.replace(day=1) + timedelta(days=32)).replace(day=2)
    decide(alice_brand, board[0], IdeaState.USED, planned_for=today + timedelta(days=3))
    decide(alice_brand, board[1], IdeaState.USED, planned_for=next_month)
    decide(alice_brand, board[1], IdeaState.POSTED)
    decide(alice_brand, board[2], IdeaState.SAVED)
    return {"today": today, "first": today + timedelta(days=3), "posted": next_month}


def test_the_plan_shows_the_month_by_day_and_the_saved_ideas(alice_client, alice_brand, planned):
    first = planned["first"]
    page = alice_client.get(plan_url(alice_brand, f"{first:%Y-%m}")).content.decode()
    assert f'<time datetime="{first:%Y-%m-%d}">' in page
    assert 'class="plan-chip plan-chip-used" title="Idea 1"' in page
    assert "Saved for later</h2>" in page and "Idea 3" in page
    assert "Pillar balance" in page
    posted = planned["posted"]
    later = alice_client.get(plan_url(alice_brand, f"{posted:%Y-%m}")).content.decode()
    assert f'<time datetime="{posted:%Y-%m-%d}">' in later and "plan-chip-posted" in later


def test_dismissed_and_new_ideas_are_not_on_the_plan(alice_client, alice_brand, board):
    decide(alice_brand, board[0], IdeaState.DISMISSED)
    page = alice_client.get(plan_url(alice_brand)).content.decode()
    assert "Idea 1" not in page and "Nothing planned" in page and "Nothing saved" in page


@pytest.mark.parametrize("month", ["", "nonsense", "2026-13", "0-1", "99999-01"])
def test_an_unreadable_month_shows_this_month(alice_client, alice_brand, month):
    response = alice_client.get(plan_url(alice_brand, month))
    assert response.status_code == 200
    assert timezone.localdate().strftime("%B %Y") in response.content.decode()


def test_the_plan_is_404_for_another_user(bob_client, alice_brand, planned):
    for url in (plan_url(alice_brand), reverse("workspace:plan_csv", args=[alice_brand.pk])):
        response = bob_client.get(url)
        assert response.status_code == 404 and b"Idea 1" not in response.content


def test_the_csv_lists_the_plan_and_defuses_formulas(alice_client, alice_brand, planned):
    sneaky = idea_like(alice_brand, '=HYPERLINK("https://evil.example")', hook="+SUM(A1)")
    decide(alice_brand, sneaky, IdeaState.SAVED)
    response = alice_client.get(reverse("workspace:plan_csv", args=[alice_brand.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="kairo-plan-goodie-ai-')
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_title = {row["title"]: row for row in rows}
    assert by_title["Idea 1"]["date"] == planned["first"].isoformat()
    assert by_title["Idea 1"]["status"] == "planned"
    assert by_title["Idea 2"]["status"] == "posted"
    assert by_title["Idea 3"]["status"] == "saved for later" and by_title["Idea 3"]["date"] == ""
    assert by_title["Idea 1"]["evidence"].startswith("https://www.instagram.com/p/1x0/")
    assert '\'=HYPERLINK("https://evil.example") 1' in by_title
    assert by_title['\'=HYPERLINK("https://evil.example") 1']["hook"] == "'+SUM(A1)"


def test_the_feed_parses_as_icalendar_with_an_event_per_planned_idea(alice_brand, planned):
    feed = turn_on_feed(alice_brand)
    response = Client().get(feed_path(feed.token))  # calendar apps don't sign in
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"].startswith("max-age=0")
    body = response.content
    assert all(len(line) <= 75 for line in body.split(b"\r\n")), "lines are folded at 75 octets"
    calendar = icalendar.Calendar.from_ical(body)
    assert str(calendar["X-WR-CALNAME"]) == "Kairo · Goodie AI"
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Idea 1 (Instagram reel)", "Posted: Idea 2 (TikTok short video)"}
    first = events["Idea 1 (Instagram reel)"]
    assert first.decoded("DTSTART") == planned["first"]
    assert first.decoded("DTEND") == planned["first"] + timedelta(days=1)
    description = str(first["DESCRIPTION"])
    assert description.startswith("# Idea 1\n") and "## Why now\n\nWhy now 1" in description
    assert str(first["URL"]) == f"http://testserver{plan_url(alice_brand)}"
    assert len({str(e["UID"]) for e in events.values()}) == 2


def test_the_feed_keeps_each_ideas_uid_when_it_moves(alice_brand, board):
    feed = turn_on_feed(alice_brand)
    decide(alice_brand, board[0], IdeaState.USED, planned_for=date.today() + timedelta(days=1))

    def uid_and_day():
        [event] = icalendar.Calendar.from_ical(Client().get(feed_path(feed.token)).content).walk(
            "VEVENT"
        )
        return str(event["UID"]), event.decoded("DTSTART")

    uid, day = uid_and_day()
    decide(alice_brand, board[0], IdeaState.USED, planned_for=day + timedelta(days=5))
    assert uid_and_day() == (uid, day + timedelta(days=5))


def test_text_is_escaped_and_unicode_is_folded_whole(alice_brand):
    idea = idea_like(
        alice_brand, "Café; crème, \\ naïve ☕ " + "é" * 80, why_now="Line one\nLine two"
    )
    decide(alice_brand, idea, IdeaState.USED, planned_for=date.today())
    feed = turn_on_feed(alice_brand)
    body = Client().get(feed_path(feed.token)).content
    body.decode("utf-8")  # no UTF-8 character was cut by the folding
    [event] = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert str(event["SUMMARY"]).startswith("Café; crème, \\ naïve ☕ éé")
    assert "Line one\nLine two" in str(event["DESCRIPTION"])
    assert fold("x" * 75) == "x" * 75 and fold("x" * 76) == "x" * 75 + "\r\n x"


def test_rotating_the_feed_makes_the_old_url_404(alice_client, alice_brand, planned):
    old = turn_on_feed(alice_brand).token
    response = alice_client.post(
        reverse("workspace:feed_settings", args=[alice_brand.pk]), {"action": "rotate"}
    )
    assert response.status_code == 302
    new = feed_for(alice_brand).token
    assert new != old
    assert Client().get(feed_path(old)).status_code == 404
    assert Client().get(feed_path(new)).status_code == 200
    page = alice_client.get(plan_url(alice_brand)).content.decode()
    assert feed_path(new) in page and feed_path(old) not in page


def test_turning_the_feed_off_and_on(alice_client, alice_brand):
    settings_url = reverse("workspace:feed_settings", args=[alice_brand.pk])
    alice_client.post(settings_url, {"action": "on"})
    token = alice_brand.calendar_feed.token
    assert Client().get(feed_path(token)).status_code == 200
    alice_client.post(settings_url, {"action": "off"})
    assert Client().get(feed_path(token)).status_code == 404
    response = alice_client.post(settings_url, {"action": "explode"}, follow=True)
    assert "Choose to turn the feed on" in response.content.decode()


def test_only_the_owner_manages_the_feed(bob_client, alice_brand):
    token = turn_on_feed(alice_brand).token
    response = bob_client.post(
        reverse("workspace:feed_settings", args=[alice_brand.pk]), {"action": "rotate"}
    )
    assert response.status_code == 404
    assert alice_brand.calendar_feed.token == token


@pytest.mark.parametrize(
    "token", ["x", "a" * 43, "a" * 200, "%00", "a%00b", "..%2F..", "%E2%80%AE"]
)
def test_a_wrong_token_is_404(alice_brand, token):
    turn_on_feed(alice_brand)
    assert Client().get(f"/calendar/{token}.ics").status_code == 404


def test_the_feed_token_never_reaches_the_access_log():
    from kairo.access_log import redact_uri

    assert redact_uri("/calendar/Abc-123_xyz.ics") == "/calendar/[REDACTED].ics"
    assert redact_uri("/calendar/Abc-123_xyz.ics?x=1") == "/calendar/[REDACTED].ics?x=[REDACTED]"
