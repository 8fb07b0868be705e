"""A brand's schedule saved at a fixed moment (time is passed explicitly, never read
from the wall clock)."""

from __future__ import annotations

from datetime import UTC, datetime, time

from schedules.models import Days
from schedules.scheduler import ScheduleChoice, save_schedule

# A Monday. Schedules are saved "now" and claimed at moments after it.
MONDAY_6AM_UTC = datetime(2025, 6, 2, 6, 0, tzinfo=UTC)


def choice(**changes) -> ScheduleChoice:
    values = {
        "enabled": True,
        "local_time": time(7, 0),
        "time_zone": "UTC",
        "days": Days.EVERY_DAY,
        "emails_enabled": True,
    }
    values.update(changes)
    return ScheduleChoice(**values)


def schedule_brand(brand, now: datetime = MONDAY_6AM_UTC, **changes):
    return save_schedule(brand, choice(**changes), now=now)
