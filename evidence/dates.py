"""Parse the publication dates actors return into timezone-aware UTC datetimes.

Actors mix ISO strings ("2026-11-15T04:00:00.000Z", "2021-12-21"), epoch seconds
(TikTok `createTime`), epoch milliseconds (LinkedIn `postedAt.timestamp`) and relative
listing text ("3 days ago", "3d", "Streamed 2 weeks ago"). Anything else is `None`:
a wrong date is worse than none, because recency feeds the score.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

# Epoch values above this are milliseconds (1e11 s is the year 5138).
_MILLISECONDS_FROM = 100_000_000_000

_UNIT_SECONDS = {
    "second": 1,
    "minute": 60,
    "hour": 3600,
    "day": 86400,
    "week": 7 * 86400,
    "month": 30 * 86400,
    "year": 365 * 86400,
}
_UNIT_ALIASES = {
    "s": "second",
    "sec": "second",
    "secs": "second",
    "m": "minute",
    "min": "minute",
    "mins": "minute",
    "h": "hour",
    "hr": "hour",
    "hrs": "hour",
    "d": "day",
    "w": "week",
    "wk": "week",
    "wks": "week",
    "mo": "month",
    "mos": "month",
    "y": "year",
    "yr": "year",
    "yrs": "year",
}
_RELATIVE = re.compile(
    r"^(?:(?:streamed|premiered|posted|updated)\s+)?(?P<count>\d+|an?|one)\s*"
    r"(?P<unit>[a-z]+?)s?\.?(?:\s+ago)?$"
)


def parse_published_at(value: object, *, now: datetime | None = None) -> datetime | None:
    """A timezone-aware UTC datetime from an ISO string, epoch number or relative text."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return _from_epoch(float(value))
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return _from_epoch(float(text))
    return _from_iso(text) or _from_relative(text.lower(), now or datetime.now(UTC))


def _from_epoch(number: float) -> datetime | None:
    if number <= 0:
        return None
    seconds = number / 1000 if number >= _MILLISECONDS_FROM else number
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _from_iso(text: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _from_relative(text: str, now: datetime) -> datetime | None:
    if text in {"just now", "now", "today"}:
        return now
    if text == "yesterday":
        return now - timedelta(days=1)
    match = _RELATIVE.match(text)
    if match is None:
        return None
    unit = _UNIT_ALIASES.get(match["unit"], match["unit"])
    if unit not in _UNIT_SECONDS:
        return None
    count_text = match["count"]
    count = int(count_text) if count_text.isdigit() else 1
    return now - timedelta(seconds=count * _UNIT_SECONDS[unit])
