"""Schedules fixtures: a brand that can refresh (onboarded, keys connected), its schedule
saved at a fixed moment, and time passed explicitly (never the wall clock)."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from schedules.models import Days
from schedules.scheduler import ScheduleChoice, save_schedule
from tests.opportunities.regeneration.conftest import doubles, keyed_alice, onboarded_brand  # noqa: F401 (fixtures)

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


@pytest.fixture
def ready_brand(request):
    """Alice's Goodie AI: a compiled snapshot and both keys (tests/opportunities/regeneration/conftest)."""
    request.getfixturevalue("keyed_alice")
    return request.getfixturevalue("onboarded_brand")


@pytest.fixture
def scheduled_brand(ready_brand):
    schedule_brand(ready_brand)
    return ready_brand
