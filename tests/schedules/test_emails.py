"""What arrives after a scheduled run: the digest (both parts, headers), a short email
for a failure the user can fix, and nothing when there is nothing worth saying."""

from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes
from smtplib import SMTPException

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from evidence.models import EvidenceItem
from opportunities.models import JobStatus, JobTrigger, Opportunity
from schedules.dispatch import send_pending_emails
from schedules.models import BrandSchedule, EmailState, RunOutcome, ScheduledRun
from schedules.tokens import unsubscribe_token
from tests.support.board import make_board, make_job

pytestmark = pytest.mark.django_db
LATER = timedelta(minutes=1)


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise SMTPException("connection refused")


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://kairo.example"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def schedule(alice_brand):
    return BrandSchedule.objects.create(brand=alice_brand, enabled=True, time_zone="Europe/Berlin")


def scheduled_run(brand, job=None, **fields) -> ScheduledRun:
    now = timezone.now()
    fields.setdefault("slot_at", now - timedelta(minutes=10))
    fields.setdefault("outcome", RunOutcome.STARTED if job else RunOutcome.SKIPPED)
    fields.setdefault("email_state", EmailState.PENDING)
    return ScheduledRun.objects.create(brand=brand, job=job, claimed_at=now, **fields)


def board_job(brand, *, cards=4, title="Idea", **fields):
    fields.setdefault("trigger", JobTrigger.SCHEDULED)
    fields.setdefault("evidence_count", 96)
    fields.setdefault("apify_cost_usd", "0.4213")
    fields.setdefault("openai_cost_usd", "0.0312")
    job = make_job(brand, **fields)
    make_board(job, cards=cards, title=title)
    return job


ANGLES = {
    1: "A duet with the cold brew barista trend, filmed behind the counter",
    2: "Carousel comparing oat milk foams, slide by slide",
    3: "Founder story reel about the first espresso machine",
    4: "Poll asking followers to name the new seasonal latte",
}


def set_angles(job, angles: dict[int, str]) -> None:
    for rank, angle in angles.items():
        Opportunity.objects.filter(job=job, rank=rank).update(angle=angle)


def boards_yesterday_and_today(brand):
    """Yesterday's board had only idea 2 (in other words); today's has four ideas."""
    yesterday = board_job(brand, title="Old idea", finished_at=timezone.now() - timedelta(days=1))
    set_angles(
        yesterday, {1: "Weekly roundup of industry news", 2: "Carousel comparing oat milk foams"}
    )
    Opportunity.objects.filter(job=yesterday, rank__gt=2).delete()
    today = board_job(
        brand,
        signal_changes={
            "previous_job_id": str(yesterday.pk),
            "signals": [{"kind": "hashtag", "name": "coldbrew", "before": 12, "after": 31}],
        },
    )
    set_angles(today, ANGLES)
    # The second post behind idea 1 has the most views: that is its "strongest post".
    strongest = EvidenceItem.objects.filter(
        opportunityevidence__opportunity__job=today, opportunityevidence__opportunity__rank=1
    ).order_by("url")[1]
    strongest.metrics = {"views": 2_000_000}
    strongest.url = "https://www.tiktok.com/@creator/video/strongest"
    strongest.save()
    return today


def test_the_digest_has_the_top_three_what_changed_cost_and_links(alice_brand, schedule):
    job = boards_yesterday_and_today(alice_brand)
    run = scheduled_run(alice_brand, job)
    assert send_pending_emails(timezone.now() + LATER) == 1

    (email,) = mail.outbox
    assert email.to == ["alice@example.com"]
    assert email.subject == "Goodie AI today: Idea 1"
    text = email.body
    for rank in (1, 2, 3):
        assert f"{rank}. Idea {rank}" in text
        assert f"Hook: Hook {rank}" in text and f"Why now: Why now {rank}" in text
    assert "Idea 4" not in text  # the top 3 only
    assert "Instagram · Reel · AI search visibility" in text
    assert "1. Idea 1 [NEW]" in text and "2. Idea 2\n" in text  # idea 2 was on yesterday's
    assert "https://www.tiktok.com/@creator/video/strongest" in text
    assert "2M views" in text
    assert "4 ideas, 3 new since yesterday" in text
    assert "#coldbrew: 12 → 31 posts" in text
    assert "Cost on your accounts: $0.45 (Apify $0.42, OpenAI $0.03)" in text
    assert f"https://kairo.example/brands/{alice_brand.pk}/today/" in text

    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert html.count('style="') > 30  # inline styles: what mail apps honour
    assert "prefers-color-scheme: dark" in html and 'name="color-scheme"' in html
    for needle in ("Idea 3", "Why now 3", "#coldbrew: 12 → 31 posts", "$0.45", "New"):
        assert needle in html
    assert "Idea 4" not in html
    assert f'href="https://kairo.example/brands/{alice_brand.pk}/today/"' in html

    token = unsubscribe_token(alice_brand)
    link = f"https://kairo.example/unsubscribe/{token}/"
    assert email.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in text and link in html

    run.refresh_from_db()
    assert (run.email_state, run.email_kind) == ("sent", "digest") and run.emailed_at
    assert send_pending_emails(timezone.now() + LATER) == 0  # at most once


def test_the_digest_reads_as_plain_text_in_the_console_backend(
    alice_brand, schedule, settings, capsys
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    scheduled_run(alice_brand, board_job(alice_brand))
    send_pending_emails(timezone.now() + LATER)
    printed = capsys.readouterr().out
    message = message_from_bytes(printed.split("\n" + "-" * 79)[0].encode())
    parts = {part.get_content_type(): part for part in message.walk()}
    html = parts["text/html"]
    assert html["Content-Transfer-Encoding"] in ("7bit", "8bit")  # readable as printed
    assert "<!doctype html>" in html.get_payload()
    assert all(len(line) < 998 for line in html.get_payload().splitlines())


def test_scraped_text_is_escaped_in_the_html_part(alice_brand, schedule):
    job = board_job(alice_brand)
    Opportunity.objects.filter(job=job, rank=1).update(title='<script>alert("x")</script>')
    scheduled_run(alice_brand, job)
    send_pending_emails(timezone.now() + LATER)
    html = mail.outbox[0].alternatives[0][0]
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_a_key_the_provider_rejected_sends_one_short_email_saying_what_to_do(alice_brand, schedule):
    failed = make_job(
        alice_brand,
        status=JobStatus.FAILED,
        trigger=JobTrigger.SCHEDULED,
        error_code="openai_invalid_key",
        error_message="Your OpenAI API key might be invalid — check Settings.",
    )
    scheduled_run(alice_brand, failed)
    assert send_pending_emails(timezone.now() + LATER) == 1
    (email,) = mail.outbox
    assert email.subject == "Goodie AI: today's refresh needs your attention"
    assert "OpenAI rejected your key" in email.body
    assert "Replace it in Settings: https://kairo.example/settings/" in email.body
    assert "List-Unsubscribe" in email.extra_headers
    assert len(email.body) < 900  # short

    # The next slot fails the same way: no second email about the same problem.
    again = make_job(
        alice_brand,
        status=JobStatus.FAILED,
        trigger=JobTrigger.SCHEDULED,
        error_code="openai_invalid_key",
    )
    scheduled_run(alice_brand, again, slot_at=timezone.now())
    assert send_pending_emails(timezone.now() + LATER) == 0


def test_out_of_credit_email_links_to_billing(alice_brand, schedule):
    failed = make_job(alice_brand, status=JobStatus.FAILED, error_code="out_of_credit")
    scheduled_run(alice_brand, failed)
    send_pending_emails(timezone.now() + LATER)
    body = mail.outbox[0].body
    assert "Your Apify account is out of credit" in body
    assert "https://console.apify.com/billing" in body


def test_a_failure_the_user_cannot_fix_sends_nothing(alice_brand, schedule):
    failed = make_job(alice_brand, status=JobStatus.FAILED, error_code="internal_error")
    run = scheduled_run(alice_brand, failed)
    assert send_pending_emails(timezone.now() + LATER) == 0
    run.refresh_from_db()
    assert run.email_state == EmailState.NONE and not mail.outbox


def test_a_skip_for_missing_keys_emails_what_to_do(alice_brand, schedule):
    scheduled_run(alice_brand, reason_code="missing_keys", reason_message="Connect both keys.")
    send_pending_emails(timezone.now() + LATER)
    (email,) = mail.outbox
    assert "Today's refresh was skipped" in email.body and "Connect both keys." in email.body
    assert "https://kairo.example/settings/" in email.body


def test_nothing_is_sent_after_unsubscribing(alice_brand, schedule):
    schedule.emails_enabled = False
    schedule.save()
    run = scheduled_run(alice_brand, board_job(alice_brand))
    assert send_pending_emails(timezone.now() + LATER) == 0
    run.refresh_from_db()
    assert run.email_state == EmailState.NONE


def test_the_email_waits_for_the_cost_to_settle_and_drops_stale_news(alice_brand, schedule):
    job = board_job(alice_brand)
    run = scheduled_run(alice_brand, job)
    assert send_pending_emails(job.finished_at + timedelta(seconds=5)) == 0
    run.refresh_from_db()
    assert run.email_state == EmailState.PENDING  # not yet
    assert send_pending_emails(job.finished_at + timedelta(hours=13)) == 0  # app was down
    run.refresh_from_db()
    assert run.email_state == EmailState.NONE


def test_a_run_still_going_is_not_emailed_yet(alice_brand, schedule):
    running = make_job(alice_brand, status=JobStatus.RUNNING)
    run = scheduled_run(alice_brand, running)
    assert send_pending_emails(timezone.now() + LATER) == 0
    run.refresh_from_db()
    assert run.email_state == EmailState.PENDING


def test_a_failed_send_is_retried_then_given_up(alice_brand, schedule, settings):
    settings.EMAIL_BACKEND = "tests.schedules.test_emails.FailingBackend"
    run = scheduled_run(alice_brand, board_job(alice_brand))
    for attempt, state in ((1, "pending"), (2, "pending"), (3, "failed")):
        assert send_pending_emails(timezone.now() + LATER) == 0
        run.refresh_from_db()
        assert (run.email_attempts, run.email_state) == (attempt, state)


def test_long_texts_never_make_an_html_line_too_long_to_print(alice_brand, schedule):
    """Over 998 characters a line would force quoted-printable, unreadable in the log."""
    job = board_job(alice_brand)
    Opportunity.objects.filter(job=job).update(why_now="because " * 400, hook="h " * 900)
    scheduled_run(alice_brand, job)
    send_pending_emails(timezone.now() + LATER)
    html = mail.outbox[0].alternatives[0][0]
    assert max(len(line) for line in html.splitlines()) < 998
    assert "because because" in html
