"""Claiming due slots: one job per brand per slot whoever races for it, one catch-up
after downtime, the one-active-job rule, and skips recorded with their reason."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection

from brands.models import Brand
from byok.keys import save_user_keys
from byok.models import UserAPIKeys
from opportunities import jobs
from opportunities.models import JobStatus, JobTrigger, OpportunitiesJob
from schedules import scheduler
from schedules.models import BrandSchedule, EmailState, RunOutcome, ScheduledRun
from schedules.scheduler import claim_slot, enqueue_due_schedules
from tests.schedules.helpers import MONDAY_6AM_UTC, schedule_brand
from tests.support.keys import OPENAI_KEY
from tests.support.snapshots import make_snapshot

pytestmark = pytest.mark.django_db(transaction=True)
SEVEN = MONDAY_6AM_UTC + timedelta(hours=1)
DAY = timedelta(days=1)


def finish_all_jobs(status=JobStatus.SUCCEEDED, at=None) -> None:
    OpportunitiesJob.objects.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).update(
        status=status, finished_at=at or SEVEN + timedelta(minutes=5)
    )


def test_a_due_slot_starts_one_scheduled_job(scheduled_brand, keyed_alice):
    assert enqueue_due_schedules(SEVEN - timedelta(seconds=1)) == {}
    assert enqueue_due_schedules(SEVEN) == {RunOutcome.STARTED: 1}

    job = OpportunitiesJob.objects.get()
    assert (job.trigger, job.status, job.user, job.snapshot_version) == (
        JobTrigger.SCHEDULED,
        JobStatus.QUEUED,
        keyed_alice,
        1,
    )
    run = ScheduledRun.objects.get()
    assert (run.slot_at, run.outcome, run.job, run.caught_up) == (SEVEN, "started", job, False)
    assert run.email_state == EmailState.PENDING
    assert BrandSchedule.objects.get().next_run_at == SEVEN + DAY
    assert enqueue_due_schedules(SEVEN + timedelta(minutes=1)) == {}  # claimed: never again


def test_the_next_day_is_a_new_slot_and_the_first_is_not_run_again(scheduled_brand):
    enqueue_due_schedules(SEVEN)
    finish_all_jobs()
    assert enqueue_due_schedules(SEVEN + DAY) == {RunOutcome.STARTED: 1}
    assert sorted(ScheduledRun.objects.values_list("slot_at", flat=True)) == [SEVEN, SEVEN + DAY]
    assert OpportunitiesJob.objects.filter(trigger=JobTrigger.SCHEDULED).count() == 2


def test_downtime_is_caught_up_once_not_once_per_missed_day(scheduled_brand):
    back_up = SEVEN + 3 * DAY + timedelta(hours=2, minutes=30)  # Thursday 09:30
    assert enqueue_due_schedules(back_up) == {RunOutcome.STARTED: 1}
    assert enqueue_due_schedules(back_up + timedelta(seconds=30)) == {}

    run = ScheduledRun.objects.get()
    assert run.slot_at == SEVEN and run.claimed_at == back_up and run.caught_up
    assert OpportunitiesJob.objects.count() == 1
    assert BrandSchedule.objects.get().next_run_at == SEVEN + 4 * DAY  # Friday 07:00


def test_a_slot_during_the_users_own_run_joins_it(scheduled_brand, keyed_alice):
    manual, _ = jobs.enqueue_regeneration(
        brand=scheduled_brand, user=keyed_alice, snapshot_version=1
    )
    assert enqueue_due_schedules(SEVEN) == {RunOutcome.JOINED: 1}
    assert OpportunitiesJob.objects.get() == manual  # one active job per brand, as ever
    assert manual.trigger == JobTrigger.MANUAL
    assert ScheduledRun.objects.get().job == manual


def test_a_process_that_read_the_slot_but_lost_the_claim_does_nothing(scheduled_brand):
    mine = BrandSchedule.objects.get()
    theirs = BrandSchedule.objects.get()  # another process read the same row
    assert claim_slot(theirs, SEVEN) == RunOutcome.STARTED
    assert claim_slot(mine, SEVEN) is None
    assert OpportunitiesJob.objects.count() == ScheduledRun.objects.count() == 1


def make_ready_brands(owner, count: int) -> list[Brand]:
    brands = []
    for n in range(count):
        brand = Brand.objects.create(owner=owner, name=f"Racing {n}")
        make_snapshot(brand)
        schedule_brand(brand)
        brands.append(brand)
    return brands


def race(processes: int, now) -> list:
    """`processes` threads, each with its own database connection (as separate processes
    have), released at once into enqueue_due_schedules."""
    barrier = threading.Barrier(processes)
    results, errors = [], []

    def worker() -> None:
        try:
            barrier.wait()
            results.append(enqueue_due_schedules(now))
        except Exception as error:  # reported below, never swallowed
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(processes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


def test_racing_processes_run_each_brand_once_per_slot(keyed_alice, monkeypatch):
    """Run on SQLite and on PostgreSQL. Small batches make the racers interleave."""
    monkeypatch.setattr(scheduler, "CLAIM_BATCH", 3)
    brands = make_ready_brands(keyed_alice, 24)
    for slot in (SEVEN, SEVEN + DAY):
        results = race(4, slot)
        assert sum(r[RunOutcome.STARTED] for r in results) == len(brands), results
        per_brand = {
            b.pk: ScheduledRun.objects.filter(brand=b, slot_at=slot).count() for b in brands
        }
        assert set(per_brand.values()) == {1}
        jobs_of_slot = OpportunitiesJob.objects.filter(
            trigger=JobTrigger.SCHEDULED, scheduled_runs__slot_at=slot
        )
        assert jobs_of_slot.count() == len(brands)
        assert jobs_of_slot.values("brand").distinct().count() == len(brands)
        finish_all_jobs(at=slot + timedelta(minutes=5))
    assert OpportunitiesJob.objects.count() == 2 * len(brands)


def test_turning_it_on_after_a_missed_slot_waits_for_the_next_one(ready_brand):
    schedule_brand(ready_brand, enabled=False)
    assert BrandSchedule.objects.get().next_run_at is None
    assert enqueue_due_schedules(SEVEN + DAY) == {}
    schedule_brand(ready_brand, now=SEVEN + timedelta(minutes=3))  # just after 07:00
    assert BrandSchedule.objects.get().next_run_at == SEVEN + DAY
    assert enqueue_due_schedules(SEVEN + timedelta(minutes=4)) == {}


# ---------------------------------------------------------------- skips


def only_run() -> ScheduledRun:
    return ScheduledRun.objects.get()


def test_missing_keys_skip_with_a_reason_and_one_email_for_the_streak(onboarded_brand):
    schedule_brand(onboarded_brand)
    assert enqueue_due_schedules(SEVEN) == {RunOutcome.SKIPPED: 1}
    run = only_run()
    assert (run.reason_code, run.job, run.email_state) == ("missing_keys", None, "pending")
    assert "Connect your Apify and OpenAI keys" in run.reason_message
    assert not OpportunitiesJob.objects.exists()

    enqueue_due_schedules(SEVEN + DAY)
    second = ScheduledRun.objects.get(slot_at=SEVEN + DAY)
    assert second.reason_code == "missing_keys"
    assert second.email_state == EmailState.NONE  # the same problem: no second email


def test_a_key_that_failed_its_test_skips(scheduled_brand, keyed_alice):
    UserAPIKeys.objects.filter(user=keyed_alice).update(openai_key_validation="invalid_key")
    enqueue_due_schedules(SEVEN)
    run = only_run()
    assert run.outcome == "skipped" and run.reason_code == "key_failed"
    assert "OpenAI" in run.reason_message


def test_a_key_the_last_run_was_refused_for_skips_until_the_keys_change(
    scheduled_brand, keyed_alice
):
    keys_saved = UserAPIKeys.objects.get(user=keyed_alice).updated_at
    OpportunitiesJob.objects.create(
        brand=scheduled_brand,
        user=keyed_alice,
        status=JobStatus.FAILED,
        error_code="openai_invalid_key",
        error_message="Your OpenAI API key might be invalid — check Settings.",
        finished_at=keys_saved + timedelta(minutes=1),  # refused after the keys were saved
    )
    enqueue_due_schedules(SEVEN)
    run = only_run()
    assert run.reason_code == "key_rejected" and "OpenAI rejected your key" in run.reason_message

    save_user_keys(user=keyed_alice, changes={"openai_key": OPENAI_KEY[:-4] + "NEW1"})
    UserAPIKeys.objects.filter(user=keyed_alice).update(updated_at=keys_saved + timedelta(hours=1))
    assert enqueue_due_schedules(SEVEN + DAY) == {RunOutcome.STARTED: 1}


def test_out_of_credit_is_tried_again_at_the_next_slot(scheduled_brand, keyed_alice):
    OpportunitiesJob.objects.create(
        brand=scheduled_brand,
        user=keyed_alice,
        status=JobStatus.FAILED,
        error_code="openai_out_of_credit",
        finished_at=SEVEN - timedelta(hours=1),
    )
    assert enqueue_due_schedules(SEVEN) == {RunOutcome.STARTED: 1}


def test_incomplete_onboarding_skips_without_an_email(alice_brand, keyed_alice):
    schedule_brand(alice_brand)
    enqueue_due_schedules(SEVEN)
    run = only_run()
    assert run.reason_code == "onboarding_incomplete"
    assert "Complete BrandBrain onboarding first" in run.reason_message
    assert run.email_state == EmailState.NONE


def test_scraping_switched_off_skips(scheduled_brand, settings):
    settings.APIFY_ENABLED = False
    enqueue_due_schedules(SEVEN)
    assert only_run().reason_code == "scraping_disabled"


def test_a_claim_that_crashes_moves_on_and_says_so(scheduled_brand, monkeypatch):
    def broken(brand, **known):
        raise RuntimeError("boom")

    monkeypatch.setattr(scheduler, "skip_reason", broken)
    assert enqueue_due_schedules(SEVEN) == {"error": 1}
    assert BrandSchedule.objects.get().next_run_at == SEVEN + DAY
    run = only_run()
    assert (run.outcome, run.reason_code) == ("skipped", "internal_error")
    assert not OpportunitiesJob.objects.exists()
