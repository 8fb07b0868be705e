"""Regeneration's rules, in one place: can this brand regenerate now (and if not, why
and where the user fixes it), and starting one.

Everything that starts or judges a regeneration calls this module: the Regenerate view
and the Today board's button (opportunities/views.py, board.py), the daily schedule
(schedules/eligibility.py, schedules/scheduler.py) and the pipeline, which checks the
same rules again when the job runs (they may have changed while it was queued).

Starting one wakes this process's runner once the transaction commits: the runner is
told, the queue (jobs.py) knows nothing of it, so jobs → runner → pipeline → jobs is
no cycle.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse

from brands.models import Brand
from brands.onboarding import OnboardingRequired, require_snapshot
from brands.snapshots import current_snapshot
from byok.keys import is_demo_mode, scraping_unavailable_reason
from opportunities import jobs
from opportunities.errors import JobErrorCode
from opportunities.models import JobTrigger, OpportunitiesJob
from opportunities.runner import wake_runner
from users.models import User

KEYS_MISSING_MESSAGE = "Connect your Apify and OpenAI keys in Settings to regenerate."


@dataclass(frozen=True)
class Blocked:
    """Why Regenerate can't start now, and where the user fixes it."""

    code: JobErrorCode
    message: str
    link_label: str
    link_url: str


def blocker(
    brand: Brand, *, onboarding: OnboardingRequired | None, demo: bool, scraping_off: str | None
) -> Blocked | None:
    """The rule, from facts the caller already has (the board reads them anyway):
    onboarding first, then both keys, then scraping switched on."""
    if onboarding is not None:
        return Blocked(
            JobErrorCode.ONBOARDING_INCOMPLETE,
            onboarding.message,
            f"Continue with {onboarding.step_label}",
            onboarding.step_url,
        )
    if demo:
        return Blocked(
            JobErrorCode.MISSING_KEYS,
            KEYS_MISSING_MESSAGE,
            "Connect your API keys",
            reverse("byok:settings"),
        )
    if scraping_off:
        return Blocked(
            JobErrorCode.SCRAPING_DISABLED,
            scraping_off,
            "Back to the board",
            reverse("opportunities:today", args=[brand.pk]),
        )
    return None


def regeneration_blocker(brand: Brand, user: User) -> Blocked | None:
    """Why `user` can't regenerate `brand` now, or None if they can."""
    return blocker(
        brand,
        onboarding=require_snapshot(brand),
        demo=is_demo_mode(user),
        scraping_off=scraping_unavailable_reason(),
    )


@dataclass(frozen=True)
class Started:
    job: OpportunitiesJob
    created: bool  # False: a run was already queued or running, and this is it


def start_regeneration(
    *,
    brand: Brand,
    user: User,
    trigger: JobTrigger = JobTrigger.MANUAL,
    snapshot_version: int | None = None,
) -> Started:
    """Queue a regeneration (or join the brand's active one) and wake the local runner
    when the transaction commits. Callers check `regeneration_blocker` first (the
    schedule its own `skip_reason`). `snapshot_version`, when the caller read it."""
    active = jobs.active_job_for_brand(brand)
    if active is not None:
        return Started(job=active, created=False)
    if snapshot_version is None:
        snapshot = current_snapshot(brand)
        snapshot_version = snapshot.version if snapshot else None
    job, created = jobs.enqueue_regeneration(
        brand=brand, user=user, snapshot_version=snapshot_version, trigger=trigger
    )
    if created:
        transaction.on_commit(wake_runner)
    return Started(job=job, created=created)
