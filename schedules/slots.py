"""When a schedule runs: its slots are a wall-clock time in an IANA time zone, every day
or on weekdays (Monday to Friday in that zone), stored and compared in UTC.

Daylight saving is the zone's: 07:00 in Europe/Berlin is 05:00 UTC in summer and 06:00
UTC in winter. A time that does not exist on the day clocks spring forward (02:30 in
America/New_York on the second Sunday of March) runs at the same distance after the gap
(03:30); a time that happens twice when they fall back runs once, at the first.

A schedule whose slot passed while nothing was running (the app was down) is due once:
the claim moves it to the first slot after *now*, so a week of downtime is one catch-up,
not seven runs.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from schedules.models import Days

logger = logging.getLogger(__name__)

# Names in the tz database that are not places a marketer lives in.
_NOT_PLACES = ("posix/", "right/", "SystemV/", "Etc/")
_NOT_PLACE_NAMES = {"Factory", "localtime", "posixrules", "leap-seconds.list"}


@lru_cache(maxsize=1)
def time_zone_names() -> tuple[str, ...]:
    names = {
        name
        for name in available_timezones()
        if "/" in name and not name.startswith(_NOT_PLACES) and name not in _NOT_PLACE_NAMES
    }
    return ("UTC", *sorted(names))


def is_known_time_zone(name: str) -> bool:
    return name in time_zone_names()


def zone(name: str) -> ZoneInfo:
    """The zone, or UTC if the tz database no longer knows it (logged, never raised)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        logger.warning("unknown time zone %r; using UTC", name)
        return ZoneInfo("UTC")


def utc_offset_label(name: str, moment: datetime) -> str:
    offset = moment.astimezone(zone(name)).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def time_zone_choices(moment: datetime) -> list[tuple[str, str]]:
    """(name, "America/New York (UTC−04:00)") for every place, offsets as of `moment`."""
    return [
        (name, f"{name.replace('_', ' ')} ({utc_offset_label(name, moment)})")
        for name in time_zone_names()
    ]


def runs_on(day: date, days: str) -> bool:
    return days != Days.WEEKDAYS or day.weekday() < 5


def slot_on(day: date, local_time: time, time_zone: str) -> datetime:
    """The slot of `day` in UTC (the gap and fold rules are in the module docstring)."""
    tz = zone(time_zone)
    wall = datetime.combine(day, local_time).replace(tzinfo=tz, fold=0)
    # A wall time inside a spring-forward gap is not real: zoneinfo reads it with the
    # offset before the change, which lands at the same distance after the gap.
    return wall.astimezone(UTC)


def next_slot_after(moment: datetime, *, local_time: time, time_zone: str, days: str) -> datetime:
    """The first slot strictly after `moment` (UTC)."""
    local_day = moment.astimezone(zone(time_zone)).date()
    for offset in range(0, 9):  # a weekend and a DST change fit well inside 9 days
        day = local_day + timedelta(days=offset)
        if not runs_on(day, days):
            continue
        slot = slot_on(day, local_time, time_zone)
        if slot > moment:
            return slot
    raise AssertionError("no slot within 9 days")  # unreachable: every week has weekdays


def local_slot_text(slot: datetime, time_zone: str) -> str:
    """ "Tue, Jun 3 at 07:00" in the schedule's own zone."""
    local = slot.astimezone(zone(time_zone))
    return f"{local:%a}, {local:%b} {local.day} at {local:%H:%M}"
