"""The scheduler's share of every runner loop (JOB_RUNNER_PERIODIC_TASKS): enqueue the
slots that are due, then send the emails of scheduled runs that have ended. Both are
safe in any number of processes at once (schedules/scheduler.py, schedules/dispatch.py).
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime

from django.utils import timezone

from schedules.dispatch import send_pending_emails
from schedules.scheduler import enqueue_due_schedules

logger = logging.getLogger(__name__)


def run_scheduled_work(now: datetime | None = None) -> Counter[str]:
    """One tick; returns the slot outcomes this process claimed (started, joined…)."""
    now = now or timezone.now()
    outcomes = enqueue_due_schedules(now)
    if outcomes:
        logger.info("scheduled refreshes claimed: %s", dict(outcomes))
    send_pending_emails(now)
    return outcomes
