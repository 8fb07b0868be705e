"""The job table as a queue: enqueue, claim, lease, heartbeat, reclaim, finish.

Every write a worker makes to a running job is conditional on it still holding the
lease (`worker_id` and status running), so a worker that lost its lease — because it
stalled and another process reclaimed the job — can never overwrite the new owner.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from brands.models import Brand
from byok.openai_models import cost_usd
from opportunities.errors import JobErrorCode
from opportunities.models import ACTIVE_STATUSES, JobStatus, JobTrigger, OpportunitiesJob, Stage
from users.models import User

logger = logging.getLogger(__name__)

WORKER_LOST_MESSAGE = (
    "The regeneration stopped unexpectedly several times. Your previous board is kept; "
    "press Regenerate to try again."
)


class LeaseLost(Exception):
    """This worker no longer owns the job (reclaimed after a stall, or released)."""


def _lease_deadline() -> datetime:
    return timezone.now() + timedelta(seconds=settings.JOB_LEASE_SECONDS)


def active_job_for_brand(brand: Brand) -> OpportunitiesJob | None:
    return OpportunitiesJob.objects.filter(brand=brand, status__in=ACTIVE_STATUSES).first()


def enqueue_regeneration(
    *,
    brand: Brand,
    user: User,
    snapshot_version: int | None,
    trigger: JobTrigger = JobTrigger.MANUAL,
) -> tuple[OpportunitiesJob, bool]:
    """Queue a regeneration, or return the one already queued/running for this brand.
    Start one through `opportunities.services.start_regeneration` (which checks the
    rules and wakes the runner); this is the queue's insert.

    The partial unique index makes this safe against double clicks and two tabs (and a
    schedule firing while the user's own run is going): the second insert fails and we
    hand back the first job.
    """
    try:
        with transaction.atomic():
            job = OpportunitiesJob.objects.create(
                brand=brand, user=user, snapshot_version=snapshot_version, trigger=trigger
            )
    except IntegrityError:
        existing = active_job_for_brand(brand)
        if existing is None:  # it finished between the insert and this read: try once more
            return enqueue_regeneration(
                brand=brand, user=user, snapshot_version=snapshot_version, trigger=trigger
            )
        return existing, False
    return job, True


def claim_next_job(worker_id: str) -> UUID | None:
    """Take the oldest queued job. SKIP LOCKED lets many PostgreSQL workers claim in
    parallel; the conditional UPDATE keeps it correct where that is unavailable (SQLite)."""
    with transaction.atomic():
        queued = OpportunitiesJob.objects.filter(status=JobStatus.QUEUED).order_by("created_at")
        if connection.features.has_select_for_update_skip_locked:
            queued = queued.select_for_update(skip_locked=True)
        job_id = queued.values_list("id", flat=True).first()
        if job_id is None:
            return None
        now = timezone.now()
        claimed = OpportunitiesJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
            status=JobStatus.RUNNING,
            worker_id=worker_id,
            lease_expires_at=_lease_deadline(),
            heartbeat_at=now,
            attempts=F("attempts") + 1,
            started_at=Coalesce(F("started_at"), now),
            error_code="",
            error_message="",
        )
    return job_id if claimed else None


def renew_leases(worker_id: str, job_ids: list[UUID]) -> int:
    if not job_ids:
        return 0
    return OpportunitiesJob.objects.filter(
        pk__in=job_ids, worker_id=worker_id, status=JobStatus.RUNNING
    ).update(lease_expires_at=_lease_deadline(), heartbeat_at=timezone.now())


def reclaim_expired_jobs() -> tuple[int, int]:
    """Requeue running jobs whose lease ran out (their worker died); fail those out of
    attempts. Returns (requeued, failed)."""
    now = timezone.now()
    expired = OpportunitiesJob.objects.filter(status=JobStatus.RUNNING, lease_expires_at__lt=now)
    failed = expired.filter(attempts__gte=settings.JOB_MAX_ATTEMPTS).update(
        status=JobStatus.FAILED,
        error_code=JobErrorCode.WORKER_LOST,
        error_message=WORKER_LOST_MESSAGE,
        finished_at=now,
        worker_id="",
        lease_expires_at=None,
    )
    requeued = expired.filter(attempts__lt=settings.JOB_MAX_ATTEMPTS).update(
        status=JobStatus.QUEUED, worker_id="", lease_expires_at=None, stage=""
    )
    if requeued or failed:
        logger.warning("reclaimed expired jobs: requeued=%s failed=%s", requeued, failed)
    return requeued, failed


def release_job(job_id: UUID, worker_id: str) -> bool:
    """Hand a job back to the queue (shutdown before it finished); no attempt is spent."""
    return bool(
        OpportunitiesJob.objects.filter(
            pk=job_id, worker_id=worker_id, status=JobStatus.RUNNING
        ).update(
            status=JobStatus.QUEUED,
            worker_id="",
            lease_expires_at=None,
            stage="",
            attempts=F("attempts") - 1,
        )
    )


def _drop_connection_if_broken() -> None:
    """A job thread writes between long Apify/OpenAI calls, and Django checks a kept
    connection only at the start of a request: after a database restart the thread's
    next write would fail on the dead connection (and the job be redone). Check it as a
    request would, so the write reconnects instead. Never inside a transaction."""
    if not connection.in_atomic_block:
        connection.close_if_unusable_or_obsolete()


def update_running_job(job_id: UUID, worker_id: str, **fields: Any) -> None:
    """Write progress to a job this worker owns, renewing its lease; raise if lost."""
    _drop_connection_if_broken()
    updated = OpportunitiesJob.objects.filter(
        pk=job_id, worker_id=worker_id, status=JobStatus.RUNNING
    ).update(lease_expires_at=_lease_deadline(), heartbeat_at=timezone.now(), **fields)
    if not updated:
        raise LeaseLost(str(job_id))


def enter_stage(job_id: UUID, worker_id: str, stage: Stage) -> None:
    update_running_job(job_id, worker_id, stage=stage)


def fail_job(
    job_id: UUID, worker_id: str, *, code: JobErrorCode, message: str, **fields: Any
) -> bool:
    """Mark the job failed; the brand's previous board stays as it is."""
    _drop_connection_if_broken()
    return bool(
        OpportunitiesJob.objects.filter(
            pk=job_id, worker_id=worker_id, status=JobStatus.RUNNING
        ).update(
            status=JobStatus.FAILED,
            error_code=code,
            error_message=message,
            finished_at=timezone.now(),
            lease_expires_at=None,
            **fields,
        )
    )


def openai_cost_usd(model: str, prompt_tokens: int, completion_tokens: int) -> Decimal:
    """What a call cost on the user's OpenAI account (the price table: byok/openai_models.py)."""
    return cost_usd(model, prompt_tokens, completion_tokens)
