"""Wording every app shares: plurals and ages ("just now", "3 days ago").

One helper for the whole app, so the Today board, Settings and the model card never
disagree ("0 minutes ago" on one page, "just now" on another).
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone


def plural(count: int, unit: str, units: str = "") -> str:
    return f"{count} {unit if count == 1 else (units or unit + 's')}"


def time_ago(moment: datetime | None, now: datetime | None = None) -> str:
    """ "3 days ago"; "" when unknown; under a minute, or in the future (clock skew),
    is "just now"."""
    if moment is None:
        return ""
    seconds = ((now or timezone.now()) - moment).total_seconds()
    if seconds < 60:
        return "just now"
    for limit, size, unit in (
        (3600, 60, "minute"),
        (86400, 3600, "hour"),
        (14 * 86400, 86400, "day"),
        (60 * 86400, 7 * 86400, "week"),
        (365 * 86400, 30 * 86400, "month"),
    ):
        if seconds < limit:
            return f"{plural(int(seconds // size), unit)} ago"
    return f"{plural(int(seconds // (365 * 86400)), 'year')} ago"
