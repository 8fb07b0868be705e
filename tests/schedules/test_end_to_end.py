"""A schedule as the product runs it: the in-process runner's loop enqueues the due slot,
runs the regeneration against the doubles, and the owner's digest arrives."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from opportunities.models import JobStatus, JobTrigger, OpportunitiesJob
from opportunities.pipeline import run_job
from opportunities.runner import Runner
from schedules.models import BrandSchedule, ScheduledRun
from tests.schedules.helpers import schedule_brand
from tests.support.keys import OPENAI_KEY
from tests.support.waiting import wait_for

pytestmark = pytest.mark.django_db(transaction=True)
CALLS: list[str] = []


def record_call() -> None:
    CALLS.append("called")


def explode() -> None:
    raise RuntimeError("a periodic task that always fails")


@pytest.fixture
def fast_loop(settings):
    settings.JOB_RUNNER_PERIODIC_SECONDS = 0.5
    settings.DIGEST_SETTLE_SECONDS = 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://kairo.example"


def due_now(brand) -> None:
    """The slot came a minute ago (as if the app had just started)."""
    BrandSchedule.objects.filter(brand=brand).update(
        next_run_at=timezone.now() - timedelta(minutes=1)
    )


def run_until(predicate) -> None:
    runner = Runner(run_job, threads=1, worker_name="schedule-e2e").start()
    try:
        wait_for(predicate, timeout=90)
    finally:
        runner.stop(grace_seconds=5)


def test_the_runner_loop_runs_the_slot_and_the_digest_arrives(ready_brand, doubles, fast_loop):
    schedule_brand(ready_brand, now=timezone.now(), time_zone="Europe/Berlin")
    due_now(ready_brand)
    run_until(lambda: len(mail.outbox) == 1)

    job = OpportunitiesJob.objects.get()
    assert (job.trigger, job.status) == (JobTrigger.SCHEDULED, JobStatus.SUCCEEDED)
    top = job.opportunities.order_by("rank").first()
    (email,) = mail.outbox
    assert email.subject == f"Goodie AI today: {top.title}"
    assert top.hook in email.body and "Open today's board: https://kairo.example/" in email.body
    assert ScheduledRun.objects.get().email_state == "sent"
    assert BrandSchedule.objects.get().next_run_at > timezone.now()  # the next slot


def test_a_rejected_key_fails_the_run_and_says_what_to_do(ready_brand, doubles, fast_loop):
    _, fake_openai = doubles
    fake_openai.invalid_keys.add(OPENAI_KEY)
    schedule_brand(ready_brand, now=timezone.now())
    due_now(ready_brand)
    run_until(lambda: len(mail.outbox) == 1)

    job = OpportunitiesJob.objects.get()
    assert (job.status, job.error_code) == (JobStatus.FAILED, "openai_invalid_key")
    (email,) = mail.outbox
    assert "needs your attention" in email.subject
    assert "OpenAI rejected your key" in email.body
    assert "https://kairo.example/settings/" in email.body


def test_periodic_tasks_run_at_start_and_again_and_a_failing_one_stops_nothing(
    settings, alice, alice_brand
):
    from opportunities import jobs

    settings.JOB_RUNNER_PERIODIC_SECONDS = 0.5
    settings.JOB_RUNNER_PERIODIC_TASKS = [
        "tests.schedules.test_end_to_end.explode",
        "tests.schedules.test_end_to_end.record_call",
    ]
    CALLS.clear()
    job, _ = jobs.enqueue_regeneration(brand=alice_brand, user=alice, snapshot_version=None)
    run_until(lambda: len(CALLS) >= 3 and OpportunitiesJob.objects.get(pk=job.pk).finished_at)
    # The job was still claimed and run (it fails: no snapshot), despite `explode`.
    assert OpportunitiesJob.objects.get(pk=job.pk).error_code == "onboarding_incomplete"
