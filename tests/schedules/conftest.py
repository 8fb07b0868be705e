"""Schedules fixtures: a brand that can refresh (onboarded, keys connected), its schedule
saved at a fixed moment, and time passed explicitly (never the wall clock)."""

from __future__ import annotations

import pytest

from tests.schedules.helpers import schedule_brand


@pytest.fixture
def ready_brand(request):
    """Alice's Goodie AI: a compiled snapshot and both keys (tests/support/fixtures.py)."""
    request.getfixturevalue("keyed_alice")
    return request.getfixturevalue("onboarded_brand")


@pytest.fixture
def scheduled_brand(ready_brand):
    schedule_brand(ready_brand)
    return ready_brand
