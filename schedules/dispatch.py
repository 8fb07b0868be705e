"""Sending what follows a scheduled run once it has ended: the digest, a "needs
attention" note, or nothing.

Each pending `ScheduledRun` is claimed with a conditional UPDATE (pending → sending)
before its email is built, so with many processes each email goes out at most once; a
process killed mid-send leaves the run "sending" rather than risk a second copy. A send
that fails (SMTP down) goes back to pending and is tried again, up to MAX_ATTEMPTS.

What is sent:
- a board (succeeded or partial) → the digest;
- a failed run the user can fix (keys, credit), unless the slot before failed for the
  same family → "needs attention";
- a skip marked pending at claim time (schedules/scheduler.py) → "needs attention";
- nothing when the brand's emails are off (unsubscribed), the owner is gone, or the run
  ended more than MAX_AGE ago (the app was down: yesterday's digest is not news).
Emails wait SETTLE_SECONDS after the run ends, so the Apify cost has settled.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from uuid import UUID

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from opportunities.models import FINISHED_WITH_BOARD, JobStatus
from schedules.digest import build_digest
from schedules.eligibility import run_problem_family
from schedules.emails import (
    EmailParts,
    build_message,
    digest_parts,
    problem_from_failure,
    problem_from_skip,
    problem_parts,
)
from schedules.models import EmailKind, EmailState, RunOutcome, ScheduledRun
from schedules.scheduler import previous_problem_family

logger = logging.getLogger(__name__)

SETTLE_SECONDS = 20
MAX_AGE = timedelta(hours=12)
MAX_ATTEMPTS = 3
BATCH = 50
TERMINAL = (JobStatus.SUCCEEDED, JobStatus.PARTIAL, JobStatus.FAILED)


def _settle_seconds() -> float:
    # A setting only so end-to-end tests needn't wait; production uses the constant.
    return float(getattr(settings, "DIGEST_SETTLE_SECONDS", SETTLE_SECONDS))


def ready_to_email(now: datetime) -> QuerySet[ScheduledRun]:
    settled = now - timedelta(seconds=_settle_seconds())
    return ScheduledRun.objects.filter(email_state=EmailState.PENDING).filter(
        Q(job__isnull=True) | Q(job__status__in=TERMINAL, job__finished_at__lte=settled)
    )


def send_pending_emails(now: datetime | None = None) -> int:
    """Send every email that is due; returns how many were sent."""
    now = now or timezone.now()
    _drop_what_needs_no_email(now)
    sent = 0
    seen: set[UUID] = set()  # a send that failed waits for the next call, not this loop
    while True:
        due = ready_to_email(now).exclude(pk__in=seen).order_by("claimed_at")
        ids = list(due.values_list("pk", flat=True)[:BATCH])
        if not ids:
            return sent
        seen.update(ids)
        for run_id in ids:
            if _claim(run_id):
                sent += _send(run_id, now)


def _drop_what_needs_no_email(now: datetime) -> None:
    """In bulk, before anything is built: runs of brands whose emails are off, and news
    gone stale (the rule is email_for_run's; this only saves a query per run)."""
    pending = ScheduledRun.objects.filter(email_state=EmailState.PENDING)
    pending.filter(brand__schedule__emails_enabled=False).update(email_state=EmailState.NONE)
    pending.filter(job__finished_at__lt=now - MAX_AGE).update(email_state=EmailState.NONE)


def _claim(run_id: UUID) -> bool:
    return bool(
        ScheduledRun.objects.filter(pk=run_id, email_state=EmailState.PENDING).update(
            email_state=EmailState.SENDING, email_attempts=F("email_attempts") + 1
        )
    )


def _send(run_id: UUID, now: datetime) -> int:
    run = ScheduledRun.objects.select_related(
        "brand", "brand__owner", "brand__schedule", "job", "job__brand"
    ).get(pk=run_id)
    try:
        email = email_for_run(run, now)
        if email is None:
            _finish(run, EmailState.NONE)
            return 0
        kind, parts = email
        owner = run.brand.owner
        assert owner is not None  # email_for_run sends nothing to an ownerless brand
        build_message(run.brand, parts, owner.email).send()
    except Exception:
        logger.exception(
            "email for scheduled run %s failed (attempt %s)", run.pk, run.email_attempts
        )
        retry = run.email_attempts < MAX_ATTEMPTS
        _finish(run, EmailState.PENDING if retry else EmailState.FAILED)
        return 0
    _finish(run, EmailState.SENT, email_kind=kind, emailed_at=now)
    logger.info("%s email for brand %s sent (scheduled run %s)", kind, run.brand_id, run.pk)
    return 1


def _finish(run: ScheduledRun, state: str, **fields: object) -> None:
    ScheduledRun.objects.filter(pk=run.pk).update(email_state=state, **fields)


def email_for_run(run: ScheduledRun, now: datetime) -> tuple[str, EmailParts] | None:
    """(kind, parts) of the email this run calls for, or None."""
    brand, owner = run.brand, run.brand.owner
    schedule = getattr(brand, "schedule", None)
    if owner is None or not owner.is_active or schedule is None or not schedule.emails_enabled:
        return None
    if run.outcome == RunOutcome.SKIPPED:
        problem = problem_from_skip(run.reason_code, run.reason_message)
        return EmailKind.PROBLEM, problem_parts(brand, problem)
    job = run.job
    if job is None or (job.finished_at and now - job.finished_at > MAX_AGE):
        return None
    if job.status in FINISHED_WITH_BOARD:
        digest = build_digest(job, time_zone=schedule.time_zone, now=now)
        return EmailKind.DIGEST, digest_parts(digest)
    family = run_problem_family(run)
    if family and family != previous_problem_family(brand, run.slot_at):
        return EmailKind.PROBLEM, problem_parts(brand, problem_from_failure(job))
    return None
