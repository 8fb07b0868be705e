from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from evidence.dates import parse_published_at

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-15T04:00:00.000Z", datetime(2026, 11, 15, 4, 0, tzinfo=UTC)),
        ("2026-11-15T06:00:00+02:00", datetime(2026, 11, 15, 4, 0, tzinfo=UTC)),
        ("2021-12-21", datetime(2021, 12, 21, tzinfo=UTC)),
        ("2026-11-15T04:00:00", datetime(2026, 11, 15, 4, 0, tzinfo=UTC)),
        (1794715200, datetime(2026, 11, 15, 4, 0, tzinfo=UTC)),
        (1795118400000, datetime(2026, 11, 19, 20, 0, tzinfo=UTC)),
        ("1794715200", datetime(2026, 11, 15, 4, 0, tzinfo=UTC)),
        (1794715200.5, datetime(2026, 11, 15, 4, 0, 0, 500000, tzinfo=UTC)),
        ("3 days ago", NOW - timedelta(days=3)),
        ("5 Days Ago", NOW - timedelta(days=5)),
        ("an hour ago", NOW - timedelta(hours=1)),
        ("1 minute ago", NOW - timedelta(minutes=1)),
        ("2 weeks ago", NOW - timedelta(weeks=2)),
        ("10 months ago", NOW - timedelta(days=300)),
        ("1 year ago", NOW - timedelta(days=365)),
        ("Streamed 2 days ago", NOW - timedelta(days=2)),
        ("3d", NOW - timedelta(days=3)),
        ("4h", NOW - timedelta(hours=4)),
        ("2mo", NOW - timedelta(days=60)),
        ("yesterday", NOW - timedelta(days=1)),
    ],
)
def test_parses_iso_epoch_and_relative_dates_to_utc(value, expected):
    parsed = parse_published_at(value, now=NOW)
    assert parsed == expected
    assert parsed.tzinfo is not None and parsed.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "value",
    [None, "", "   ", "soon", "last spring", "3 fortnights ago", 0, -5, True, [], {}, "N/A"],
)
def test_unparseable_dates_are_empty(value):
    assert parse_published_at(value, now=NOW) is None


def test_offset_datetimes_come_back_in_utc():
    parsed = parse_published_at("2026-11-15T04:00:00-05:00", now=NOW)
    assert parsed.tzinfo == UTC
    assert parsed == datetime(2026, 11, 15, 4, 0, tzinfo=timezone(timedelta(hours=-5)))
