"""Saving a schedule, and claiming due slots: every runner loop of every process calls
`enqueue_due_schedules` (through schedules/tick.py), and each slot of each brand is
run exactly once.

Claiming, per batch, in one transaction:
1. read due schedules — on PostgreSQL `SELECT … FOR UPDATE SKIP LOCKED`, so racing
   processes take disjoint batches instead of queueing behind each other's locks;
2. per schedule, a conditional UPDATE moves `next_run_at` from the slot read to the
   first slot after now. Only one process can see its own UPDATE match, which makes it
   correct where row locks don't exist (SQLite serialises writers instead) and when a
   lock was skipped; missed slots collapse into this one (one catch-up after downtime);
3. the winner writes the `ScheduledRun` (unique per brand and slot: a second guard),
   then either records why the slot is skipped or queues the regeneration through the
   same `start_regeneration` as the Regenerate button, so the one-active-job rule
   holds: if the user's own run is going, the slot joins it instead of starting another.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, time

from django.db import IntegrityError, connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from brands.models import Brand, BrandBrainSnapshot
from brands.snapshots import current_snapshot
from opportunities.models import JobTrigger
from opportunities.services import start_regeneration
from schedules.eligibility import SkipReason, run_problem_family, skip_reason
from schedules.models import BrandSchedule, EmailState, RunOutcome, ScheduledRun
from schedules.slots import next_slot_after

logger = logging.getLogger(__name__)

CLAIM_BATCH = 100
INTERNAL_ERROR_MESSAGE = (
    "Something went wrong on our side at this refresh. The next one runs as usual."
)


# ---------------------------------------------------------------- saving


@dataclass(frozen=True)
class ScheduleChoice:
    enabled: bool
    local_time: time
    time_zone: str
    days: str
    emails_enabled: bool


def schedule_for(brand: Brand) -> BrandSchedule:
    """The brand's schedule, unsaved (off, 07:00) if it never had one."""
    return BrandSchedule.objects.filter(brand=brand).first() or BrandSchedule(brand=brand)


def save_schedule(
    brand: Brand, choice: ScheduleChoice, now: datetime | None = None
) -> BrandSchedule:
    """Store the choice; the next slot is the first after now (never one already past)."""
    now = now or timezone.now()
    next_run_at = (
        next_slot_after(
            now, local_time=choice.local_time, time_zone=choice.time_zone, days=choice.days
        )
        if choice.enabled
        else None
    )
    schedule, _ = BrandSchedule.objects.update_or_create(
        brand=brand,
        defaults={
            "enabled": choice.enabled,
            "local_time": choice.local_time,
            "time_zone": choice.time_zone,
            "days": choice.days,
            "emails_enabled": choice.emails_enabled,
            "next_run_at": next_run_at,
        },
    )
    return schedule


def set_emails(brand: Brand, enabled: bool) -> bool:
    """Turn the brand's emails on or off; True if that changed anything."""
    return bool(
        BrandSchedule.objects.filter(brand=brand)
        .exclude(emails_enabled=enabled)
        .update(emails_enabled=enabled, updated_at=timezone.now())
    )


# ---------------------------------------------------------------- claiming


def enqueue_due_schedules(now: datetime | None = None) -> Counter[str]:
    """Claim every due slot this process can get; returns outcomes counted."""
    now = now or timezone.now()
    outcomes: Counter[str] = Counter()
    while True:
        batch = _claim_batch(now)
        if batch is None:
            return outcomes
        outcomes.update(batch)


def _claim_batch(now: datetime) -> Counter[str] | None:
    outcomes: Counter[str] = Counter()
    newest_version = (
        BrandBrainSnapshot.objects.filter(brand_id=OuterRef("brand_id"))
        .order_by("-version")
        .values("version")[:1]
    )
    with transaction.atomic():
        due = BrandSchedule.objects.filter(enabled=True, next_run_at__lte=now).order_by(
            "next_run_at"
        )
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        due = due.select_related("brand", "brand__owner").annotate(
            snapshot_version=Subquery(newest_version)
        )
        batch = list(due[:CLAIM_BATCH])
        if not batch:
            return None
        for schedule in batch:
            try:
                with transaction.atomic():
                    outcome = claim_slot(schedule, now)
            except IntegrityError:  # the slot was recorded already: never run it twice
                outcome = _move_on(schedule, now, record_error=False)
            except Exception:
                logger.exception("schedule of brand %s: claiming failed", schedule.pk)
                outcome = _move_on(schedule, now, record_error=True)
            outcomes[outcome or "lost"] += 1
    return outcomes


def _following(schedule: BrandSchedule, now: datetime) -> datetime:
    return next_slot_after(
        now, local_time=schedule.local_time, time_zone=schedule.time_zone, days=schedule.days
    )


def _advance(schedule: BrandSchedule, now: datetime) -> bool:
    """The claim itself: move the slot on, if nobody else did first."""
    return bool(
        BrandSchedule.objects.filter(
            pk=schedule.pk, enabled=True, next_run_at=schedule.next_run_at
        ).update(next_run_at=_following(schedule, now), updated_at=now)
    )


def claim_slot(schedule: BrandSchedule, now: datetime) -> str | None:
    """Claim the schedule's due slot and act on it; None if another process had it.
    Call inside a transaction: the job and the slot's record are written together."""
    slot = schedule.next_run_at
    if slot is None or not _advance(schedule, now):
        return None
    brand = schedule.brand
    version = getattr(schedule, "snapshot_version", None)
    if version is None:  # not annotated by the batch query
        snapshot = current_snapshot(brand)
        version = snapshot.version if snapshot else None
    reason = skip_reason(brand, has_snapshot=version is not None)
    job, outcome = None, RunOutcome.SKIPPED
    if reason is None and brand.owner is not None:  # skip_reason made sure of the owner
        started = start_regeneration(
            brand=brand, user=brand.owner, snapshot_version=version, trigger=JobTrigger.SCHEDULED
        )
        job = started.job
        outcome = RunOutcome.STARTED if started.created else RunOutcome.JOINED
    elif reason is not None:
        logger.info("schedule of brand %s skipped: %s", brand.pk, reason.code)
    ScheduledRun.objects.create(  # unique per brand and slot: the second guard
        brand=brand,
        slot_at=slot,
        claimed_at=now,
        outcome=outcome,
        job=job,
        reason_code=reason.code if reason else "",
        reason_message=reason.message if reason else "",
        email_state=_first_email_state(brand, slot, reason),
    )
    return outcome


def _first_email_state(brand: Brand, slot: datetime, reason: SkipReason | None) -> str:
    if reason is None:
        return EmailState.PENDING  # decided when the run ends (digest or problem)
    if reason.family and reason.family != previous_problem_family(brand, slot):
        return EmailState.PENDING
    return EmailState.NONE


def previous_problem_family(brand: Brand, slot: datetime) -> str | None:
    """The problem family of the brand's slot before `slot` (None if it went fine)."""
    previous = (
        ScheduledRun.objects.filter(brand=brand, slot_at__lt=slot)
        .select_related("job", "job__brand")
        .order_by("-slot_at")
        .first()
    )
    return run_problem_family(previous) if previous else None


def _move_on(schedule: BrandSchedule, now: datetime, *, record_error: bool) -> str:
    """A slot whose claim failed is moved on anyway (and, after a crash, says so on the
    brand page), so one bad row can't stall the queue by being retried every few seconds."""
    with transaction.atomic():
        if _advance(schedule, now) and record_error:
            ScheduledRun.objects.get_or_create(
                brand_id=schedule.pk,
                slot_at=schedule.next_run_at,
                defaults={
                    "claimed_at": now,
                    "outcome": RunOutcome.SKIPPED,
                    "reason_code": "internal_error",
                    "reason_message": INTERNAL_ERROR_MESSAGE,
                },
            )
    return "error" if record_error else "lost"
