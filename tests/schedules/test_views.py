"""The Daily refresh panel on the brand page, its form, and the digest preview:
owner-only, every bad input answered in words, nothing half saved."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from schedules.models import BrandSchedule, EmailState, RunOutcome, ScheduledRun
from schedules.slots import slot_on
from schedules.views import EMAIL_PREVIEW_CSP
from tests.support.board import finished_job_with_board
from tests.support.hostile import HOSTILE, assert_handled, hostile_text, post_form
from tests.support.snapshots import make_snapshot

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
VALID = {
    "enabled": "on",
    "local_time": "08:30",
    "time_zone": "Europe/Berlin",
    "days": "weekdays",
    "emails_enabled": "on",
}


def schedule_url(brand) -> str:
    return f"/brands/{brand.pk}/schedule/"


def test_the_brand_page_offers_a_schedule_preset_from_the_browser(alice_client, alice_brand):
    make_snapshot(alice_brand)
    page = alice_client.get(f"/brands/{alice_brand.pk}/").content.decode()
    assert 'id="schedule-panel"' in page and "Daily refresh" in page
    assert 'value="07:00"' in page  # the default time
    assert "data-browser-timezone" in page  # never saved: daily.js presets the zone
    assert 'src="/static/js/daily.js"' in page
    assert "Turn it on" in page


def test_saving_the_schedule(alice_client, alice_brand):
    make_snapshot(alice_brand)
    response = alice_client.post(schedule_url(alice_brand), VALID)
    assert response.status_code == 302 and response["Location"] == f"/brands/{alice_brand.pk}/"

    schedule = BrandSchedule.objects.get(brand=alice_brand)
    assert schedule.enabled and schedule.emails_enabled
    assert (schedule.local_time.isoformat(), schedule.time_zone, schedule.days) == (
        "08:30:00",
        "Europe/Berlin",
        "weekdays",
    )
    assert schedule.next_run_at > timezone.now()
    page = alice_client.get(f"/brands/{alice_brand.pk}/").content.decode()
    assert "Daily refresh is on. The next one runs" in page  # the toast
    assert "Next refresh:" in page and "at 08:30" in page
    assert "data-browser-timezone" not in page  # the saved zone is kept, not overridden


def test_saving_with_htmx_answers_the_panel_and_a_toast(alice_client, alice_brand):
    response = alice_client.post(schedule_url(alice_brand), VALID, **HTMX)
    assert response.status_code == 200
    assert 'id="schedule-panel"' in response.content.decode()
    assert "Daily refresh is on" in response.headers["HX-Trigger"]


def test_turning_it_off(alice_client, alice_brand):
    alice_client.post(schedule_url(alice_brand), VALID)
    alice_client.post(schedule_url(alice_brand), {**VALID, "enabled": ""})
    schedule = BrandSchedule.objects.get(brand=alice_brand)
    assert not schedule.enabled and schedule.next_run_at is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("local_time", "25:99", "Enter a time like 07:00"),
        ("local_time", "", "Enter a time, like 07:00."),
        ("time_zone", "Mars/Olympus", "Pick a time zone from the list."),
        ("time_zone", "../../etc/passwd", "Pick a time zone from the list."),
        ("days", "sometimes", "Choose every day or weekdays."),
    ],
)
def test_bad_input_is_refused_in_words_and_nothing_is_saved(
    alice_client, alice_brand, field, value, message
):
    data = {**VALID, field: value}
    response = alice_client.post(schedule_url(alice_brand), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    htmx = alice_client.post(schedule_url(alice_brand), data, **HTMX)
    assert htmx.status_code == 200 and message in htmx.content.decode()
    assert not BrandSchedule.objects.exists()


@HOSTILE
@given(
    values=st.fixed_dictionaries(
        {name: st.one_of(st.just(value), hostile_text) for name, value in VALID.items()}
    ),
    htmx=st.booleans(),
)
def test_hostile_schedule_input_never_breaks_the_page(alice_client, alice_brand, values, htmx):
    response = post_form(alice_client, schedule_url(alice_brand), values, **(HTMX if htmx else {}))
    assert response.status_code in (200, 302, 400)
    assert_handled(response, "schedule")
    assert_handled(alice_client.get(f"/brands/{alice_brand.pk}/"), "brand page")


def test_another_users_brand_is_a_404_and_untouched(bob_client, alice_brand):
    for url in (
        schedule_url(alice_brand),
        f"/brands/{alice_brand.pk}/digest/",
        f"/brands/{alice_brand.pk}/digest/email.html",
    ):
        assert bob_client.get(url).status_code == 404
    assert bob_client.post(schedule_url(alice_brand), VALID).status_code == 404
    assert bob_client.post(f"/brands/{alice_brand.pk}/digest/send/").status_code == 404
    assert not BrandSchedule.objects.exists() and not mail.outbox


def test_the_panel_warns_before_a_refresh_that_would_be_skipped(alice_client, alice_brand):
    make_snapshot(alice_brand)
    alice_client.post(schedule_url(alice_brand), VALID)  # no keys connected
    page = alice_client.get(f"/brands/{alice_brand.pk}/").content.decode()
    assert "The next refresh will be skipped." in page
    assert "Connect your Apify and OpenAI keys in Settings" in page and 'href="/settings/"' in page


def test_the_panel_shows_what_happened_at_recent_slots(alice_client, alice_brand):
    make_snapshot(alice_brand)
    BrandSchedule.objects.create(brand=alice_brand, enabled=True, time_zone="Europe/Berlin")
    job = finished_job_with_board(alice_brand, trigger="scheduled")
    yesterday = timezone.now().date() - timedelta(days=1)
    slot = slot_on(yesterday, time(7, 0), "Europe/Berlin")
    ScheduledRun.objects.create(
        brand=alice_brand, slot_at=slot, claimed_at=slot, outcome=RunOutcome.STARTED, job=job
    )
    ScheduledRun.objects.create(
        brand=alice_brand,
        slot_at=slot - timedelta(days=1),
        claimed_at=slot + timedelta(hours=3),  # the app was down: a catch-up
        outcome=RunOutcome.SKIPPED,
        reason_code="missing_keys",
        reason_message="Your Apify and OpenAI keys aren't both connected.",
        email_state=EmailState.NONE,
    )
    page = alice_client.get(f"/brands/{alice_brand.pk}/").content.decode()
    assert "Recent scheduled refreshes" in page
    assert "at 07:00" in page  # shown in the schedule's zone, not UTC
    assert "Board ready" in page and f"/brands/{alice_brand.pk}/boards/{job.pk}/" in page
    assert "Skipped" in page and "keys aren&#x27;t both connected" in page
    assert "caught up after downtime" in page


def test_digest_preview_without_a_board_says_what_comes(alice_client, alice_brand):
    page = alice_client.get(f"/brands/{alice_brand.pk}/digest/").content.decode()
    assert "No board yet" in page
    frame = alice_client.get(f"/brands/{alice_brand.pk}/digest/email.html")
    assert frame.status_code == 200 and b"no board yet" in frame.content


def test_digest_preview_on_the_brand_page_and_its_own_page(alice_client, alice_brand):
    make_snapshot(alice_brand)
    finished_job_with_board(alice_brand)
    home = alice_client.get(f"/brands/{alice_brand.pk}/").content.decode()
    assert f'src="/brands/{alice_brand.pk}/digest/email.html"' in home
    assert 'sandbox="allow-popups allow-popups-to-escape-sandbox"' in home

    page = alice_client.get(f"/brands/{alice_brand.pk}/digest/").content.decode()
    assert "[Preview] Goodie AI today: Idea 1" in page
    assert "Plain-text version" in page and "1. Idea 1" in page

    frame = alice_client.get(f"/brands/{alice_brand.pk}/digest/email.html")
    assert frame["Content-Security-Policy"] == EMAIL_PREVIEW_CSP
    assert frame["X-Frame-Options"] == "SAMEORIGIN"
    html = frame.content.decode()
    assert "Preview: this is what the email" in html and 'style="' in html


def test_emailing_the_preview_to_yourself(alice_client, alice_brand, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    finished_job_with_board(alice_brand)
    url = f"/brands/{alice_brand.pk}/digest/send/"
    response = alice_client.post(url, follow=True)
    assert "Preview sent to alice@example.com." in response.content.decode()
    (email,) = mail.outbox
    assert email.subject.startswith("[Preview] Goodie AI today:") and email.to == [
        "alice@example.com"
    ]
    again = alice_client.post(url, follow=True).content.decode()
    assert "less than a minute ago" in again and len(mail.outbox) == 1
