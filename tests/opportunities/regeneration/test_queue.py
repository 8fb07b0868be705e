"""The job table as a queue: one active job per brand, claims, leases and reclaims."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from opportunities import jobs
from opportunities.models import JobStatus, OpportunitiesJob

pytestmark = pytest.mark.django_db(transaction=True)


def test_second_enqueue_returns_the_active_job(alice, alice_brand):
    first, created = jobs.enqueue_regeneration(brand=alice_brand, user=alice, snapshot_version=1)
    second, created_again = jobs.enqueue_regeneration(
        brand=alice_brand, user=alice, snapshot_version=1
    )
    assert created and not created_again
    assert second.pk == first.pk
    assert OpportunitiesJob.objects.count() == 1


def test_database_refuses_two_active_jobs(alice, alice_brand):
    OpportunitiesJob.objects.create(brand=alice_brand, user=alice, status=JobStatus.RUNNING)
    with pytest.raises(IntegrityError), transaction.atomic():
        OpportunitiesJob.objects.create(brand=alice_brand, user=alice)
    OpportunitiesJob.objects.update(status=JobStatus.FAILED)
    OpportunitiesJob.objects.create(brand=alice_brand, user=alice)  # allowed again


def test_claim_takes_oldest_once(alice, alice_brand, bob):
    from brands.models import Brand

    other = Brand.objects.create(owner=bob, name="Other")
    first, _ = jobs.enqueue_regeneration(brand=alice_brand, user=alice, snapshot_version=1)
    second, _ = jobs.enqueue_regeneration(brand=other, user=bob, snapshot_version=1)
    assert jobs.claim_next_job("w1") == first.pk
    assert jobs.claim_next_job("w2") == second.pk
    assert jobs.claim_next_job("w3") is None
    first.refresh_from_db()
    assert first.status == JobStatus.RUNNING
    assert first.worker_id == "w1"
    assert first.attempts == 1
    assert first.lease_expires_at > timezone.now()


def test_expired_lease_is_requeued_then_failed_after_max_attempts(alice, alice_brand, settings):
    settings.JOB_MAX_ATTEMPTS = 2
    job, _ = jobs.enqueue_regeneration(brand=alice_brand, user=alice, snapshot_version=1)
    for attempt in (1, 2):
        assert jobs.claim_next_job(f"w{attempt}") == job.pk
        OpportunitiesJob.objects.filter(pk=job.pk).update(
            lease_expires_at=timezone.now() - timedelta(seconds=1)
        )
        requeued, failed = jobs.reclaim_expired_jobs()
        job.refresh_from_db()
        if attempt == 1:
            assert (requeued, failed) == (1, 0)
            assert job.status == JobStatus.QUEUED
        else:
            assert (requeued, failed) == (0, 1)
            assert job.status == JobStatus.FAILED
            assert job.error_code == "worker_lost"
            assert "press Regenerate" in job.error_message


def test_a_worker_that_lost_its_lease_cannot_write(alice, alice_brand):
    job, _ = jobs.enqueue_regeneration(brand=alice_brand, user=alice, snapshot_version=1)
    jobs.claim_next_job("old-worker")
    OpportunitiesJob.objects.filter(pk=job.pk).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)
    )
    jobs.reclaim_expired_jobs()
    assert jobs.claim_next_job("new-worker") == job.pk
    with pytest.raises(jobs.LeaseLost):
        jobs.update_running_job(job.pk, "old-worker", evidence_count=1)
    assert not jobs.fail_job(job.pk, "old-worker", code="x", message="y")
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.worker_id == "new-worker"


def test_release_returns_job_without_spending_an_attempt(alice, alice_brand):
    job, _ = jobs.enqueue_regeneration(brand=alice_brand, user=alice, snapshot_version=1)
    jobs.claim_next_job("w1")
    assert jobs.release_job(job.pk, "w1")
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    assert job.attempts == 0


def test_heartbeat_extends_only_own_leases(alice, alice_brand):
    job, _ = jobs.enqueue_regeneration(brand=alice_brand, user=alice, snapshot_version=1)
    jobs.claim_next_job("w1")
    assert jobs.renew_leases("w2", [job.pk]) == 0
    assert jobs.renew_leases("w1", [job.pk]) == 1


def test_openai_cost_from_price_table():
    # gpt-4o-mini: $0.15 in, $0.60 out per 1M tokens (byok/openai_models.py).
    assert str(jobs.openai_cost_usd("gpt-4o-mini-2024-07-18", 1_000_000, 100_000)) == "0.2100"
    assert jobs.openai_cost_usd("unknown-model", 1000, 1000) == 0
