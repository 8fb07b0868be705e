"""Settle a job's Apify cost once Apify has settled it, off the critical path.

Apify: "the first response after completion can still show preliminary stats, costs,
and event counts. For stable figures, wait about 10 seconds and call the endpoint
again" (docs/reference/apify.md §6.1). The board never waits for that: the
job records each run's preliminary figure and a time to read it again
(`cost_settles_at`, ~10 s after its last run ended); every process's runner loop calls
`settle_due_costs()`, which claims due jobs with a conditional UPDATE (so one process
reads each), re-reads every run's `usageTotalUsd` and charged events, and writes the
settled figures. The Last run panel shows "settling…" until then.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from apify_client.errors import ApifyApiError
from django.utils import timezone

from byok.crypto import KeyDecryptionError
from byok.keys import get_usable_keys
from evidence.collect import apify_client_for
from evidence.runs import read_settled_cost
from opportunities.models import ACTIVE_STATUSES, OpportunitiesJob

logger = logging.getLogger(__name__)

SETTLE_AFTER = timedelta(seconds=10)
RETRY_AFTER = timedelta(seconds=60)  # a claim that didn't finish is retried this much later
GIVE_UP_AFTER = timedelta(hours=1)
BATCH = 5


def settles_at(ended_at_epoch: float) -> datetime:
    ended = datetime.fromtimestamp(ended_at_epoch, tz=timezone.get_current_timezone())
    return ended + SETTLE_AFTER


def settle_due_costs(now: datetime | None = None) -> int:
    """Settle up to BATCH finished jobs whose cost is due; returns how many were settled."""
    now = now or timezone.now()
    due = (
        OpportunitiesJob.objects.filter(apify_cost_settled=False, cost_settles_at__lte=now)
        .exclude(status__in=ACTIVE_STATUSES)
        .values_list("pk", flat=True)[:BATCH]
    )
    settled = 0
    for job_id in list(due):
        claimed = OpportunitiesJob.objects.filter(
            pk=job_id, apify_cost_settled=False, cost_settles_at__lte=now
        ).update(cost_settles_at=now + RETRY_AFTER)
        if claimed and settle_job_cost(job_id, now):
            settled += 1
    return settled


def settle_job_cost(job_id: UUID, now: datetime | None = None) -> bool:
    """Re-read every run of the job; True when its cost is final."""
    now = now or timezone.now()
    job = OpportunitiesJob.objects.select_related("user").get(pk=job_id)
    try:
        keys = get_usable_keys(job.user)
    except KeyDecryptionError:
        keys = None
    if keys is None:  # the key is gone: the preliminary figure is all we will know
        return _mark_settled(job, job.recipes)
    client = apify_client_for(keys.apify_token)
    recipes: dict[str, Any] = {rid: dict(row) for rid, row in job.recipes.items()}
    complete = True
    for row in recipes.values():
        runs = [dict(run) for run in row.get("runs", [])]
        for run in runs:
            if run.get("settled"):
                continue
            try:
                reading = read_settled_cost(client, run["run_id"])
            except (ApifyApiError, OSError, ValueError):
                reading = None
            if reading is None:
                complete = False
                continue
            run["cost_usd"], run["charged_events"] = round(reading[0], 6), reading[1]
            run["settled"] = True
        row["runs"] = runs
        if runs:
            row["cost_usd"] = round(sum(run["cost_usd"] for run in runs), 6)
    if not complete and now - (job.finished_at or now) < GIVE_UP_AFTER:
        OpportunitiesJob.objects.filter(pk=job.pk).update(recipes=recipes)
        return False
    return _mark_settled(job, recipes)


def _mark_settled(job: OpportunitiesJob, recipes: dict[str, Any]) -> bool:
    total = sum(float(row.get("cost_usd") or 0.0) for row in recipes.values())
    OpportunitiesJob.objects.filter(pk=job.pk).update(
        recipes=recipes,
        apify_cost_usd=Decimal(str(round(total, 4))),
        apify_cost_settled=True,
        cost_settles_at=None,
    )
    logger.info("job %s: Apify cost settled at $%.4f", job.pk, total)
    return True
