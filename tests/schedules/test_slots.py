"""When schedules run: local time in an IANA zone, across daylight-saving changes, every
day or weekdays only."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from schedules.models import Days
from schedules.slots import (
    is_known_time_zone,
    local_slot_text,
    next_slot_after,
    time_zone_names,
)


def slot(moment, local="07:00", zone="UTC", days=Days.EVERY_DAY):
    hours, minutes = map(int, local.split(":"))
    return next_slot_after(moment, local_time=time(hours, minutes), time_zone=zone, days=days)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("UTC", utc(2025, 6, 2, 7, 0)),
        ("Europe/Berlin", utc(2025, 6, 3, 5, 0)),  # CEST, +2: 05:00 UTC was before 06:00
        ("America/New_York", utc(2025, 6, 2, 11, 0)),  # EDT, −4
        ("Asia/Kolkata", utc(2025, 6, 3, 1, 30)),  # +5:30, already 11:30 there
        ("Pacific/Auckland", utc(2025, 6, 2, 19, 0)),  # NZST +12: it is 18:00 there
        ("America/St_Johns", utc(2025, 6, 2, 9, 30)),  # NDT −2:30
    ],
)
def test_the_next_slot_is_seven_local_in_each_zone(zone, expected):
    assert slot(utc(2025, 6, 2, 6, 0), zone=zone) == expected


def test_a_slot_is_strictly_after_the_moment():
    assert slot(utc(2025, 6, 2, 7, 0)) == utc(2025, 6, 3, 7, 0)
    assert slot(utc(2025, 6, 2, 6, 59, 59)) == utc(2025, 6, 2, 7, 0)


def test_seven_local_stays_seven_local_across_daylight_saving():
    # Berlin: CET (+1) until 2025-03-30 02:00, CEST (+2) until 2025-10-26 03:00.
    before = slot(utc(2025, 3, 29, 12, 0), zone="Europe/Berlin")
    after = slot(before, zone="Europe/Berlin")
    assert before == utc(2025, 3, 30, 5, 0)  # the change happened at 01:00 UTC that night
    assert slot(utc(2025, 3, 28, 12, 0), zone="Europe/Berlin") == utc(2025, 3, 29, 6, 0)
    assert after == utc(2025, 3, 31, 5, 0)
    assert slot(utc(2025, 10, 25, 12, 0), zone="Europe/Berlin") == utc(2025, 10, 26, 6, 0)
    assert slot(utc(2025, 10, 26, 6, 0), zone="Europe/Berlin") == utc(2025, 10, 27, 6, 0)


def test_a_time_inside_the_spring_forward_gap_runs_just_after_it():
    # New York skips 02:00–03:00 on 2025-03-09: 02:30 that day is 03:30 EDT (07:30 UTC).
    moment = utc(2025, 3, 9, 5, 0)
    assert slot(moment, "02:30", "America/New_York") == utc(2025, 3, 9, 7, 30)
    assert slot(utc(2025, 3, 9, 7, 30), "02:30", "America/New_York") == utc(2025, 3, 10, 6, 30)


def test_a_time_that_happens_twice_when_clocks_fall_back_runs_once():
    # New York repeats 01:00–02:00 on 2025-11-02: 01:30 EDT (05:30 UTC), then 01:30 EST.
    first = slot(utc(2025, 11, 2, 4, 0), "01:30", "America/New_York")
    assert first == utc(2025, 11, 2, 5, 30)
    second = slot(first, "01:30", "America/New_York")
    assert second == utc(2025, 11, 3, 6, 30)  # the next day, not an hour later
    assert slot(utc(2025, 11, 2, 6, 15), "01:30", "America/New_York") == second


def test_weekdays_skip_the_weekend_in_the_brands_own_zone():
    friday_after = utc(2025, 6, 6, 8, 0)
    assert slot(friday_after, days=Days.WEEKDAYS) == utc(2025, 6, 9, 7, 0)  # Monday
    assert slot(friday_after, days=Days.EVERY_DAY) == utc(2025, 6, 7, 7, 0)  # Saturday
    # Monday 07:00 in Auckland is Sunday 19:00 UTC: the weekday is Auckland's, not UTC's.
    sunday_utc = utc(2025, 6, 8, 12, 0)
    assert slot(sunday_utc, zone="Pacific/Auckland", days=Days.WEEKDAYS) == utc(2025, 6, 8, 19, 0)
    # Friday 07:00 in Los Angeles is Friday 14:00 UTC, then Monday.
    friday = slot(utc(2025, 6, 6, 12, 0), zone="America/Los_Angeles", days=Days.WEEKDAYS)
    assert friday == utc(2025, 6, 6, 14, 0)
    monday = slot(friday, zone="America/Los_Angeles", days=Days.WEEKDAYS)
    assert monday == utc(2025, 6, 9, 14, 0)


def test_every_weekday_slot_of_a_year_falls_on_a_weekday_at_seven_local():
    london = ZoneInfo("Europe/London")
    slots = []
    moment = utc(2025, 1, 1, 0, 0)
    while (moment := slot(moment, zone="Europe/London", days=Days.WEEKDAYS)).year == 2025:
        slots.append(moment.astimezone(london))
    assert len(slots) == 261  # the weekdays of 2025, each once
    assert all((s.hour, s.minute) == (7, 0) and s.weekday() < 5 for s in slots)
    assert {s.utcoffset() for s in slots} == {timedelta(0), timedelta(hours=1)}  # GMT and BST


def test_time_zone_list_has_places_and_no_internal_names():
    names = time_zone_names()
    assert names[0] == "UTC"
    assert {"Europe/Berlin", "America/New_York", "Asia/Kolkata", "Asia/Calcutta"} <= set(names)
    assert not any(n.startswith(("posix/", "right/", "Etc/")) for n in names)
    assert is_known_time_zone("Europe/Berlin") and not is_known_time_zone("Mars/Olympus")
    assert not is_known_time_zone("../../etc/passwd")


def test_slots_read_in_the_schedules_own_zone():
    assert local_slot_text(utc(2025, 6, 3, 5, 0), "Europe/Berlin") == "Tue, Jun 3 at 07:00"
