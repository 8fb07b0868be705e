"""The plan leaves Kairo two ways: an iCalendar feed (RFC 5545) calendar apps subscribe
to, and a CSV file for spreadsheets.

The feed is written by hand (it is a few properties): all-day events on each used or
posted idea's day, TEXT values escaped (backslash, semicolon, comma, newline), control
characters dropped, CRLF line ends, and lines folded at 75 octets without splitting a
UTF-8 character. Each idea keeps its UID across edits, so a calendar moves an event
instead of duplicating it. tests/workspace/ parses the feed with the `icalendar` library.

CSV cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or
carriage return) get a leading apostrophe: ideas quote scraped posts.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from brands.models import Brand
from workspace.briefs import brief_from_feedback
from workspace.learning import platform_name
from workspace.models import USED_STATES, IdeaFeedback, IdeaState

CRLF = "\r\n"
FOLD_OCTETS = 75
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
FEED_REFRESH = "PT1H"


def ics_text(value: str) -> str:
    value = CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """One content line folded to 75 octets per physical line (RFC 5545 §3.1)."""
    out: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = FOLD_OCTETS if not out else FOLD_OCTETS - 1  # continuations start with " "
        if size + width > limit:
            out.append(current)
            current, size = "", 0
        current += char
        size += width
    out.append(current)
    return (CRLF + " ").join(out)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _event(feedback: IdeaFeedback, plan_url: str) -> list[str]:
    day = feedback.planned_for
    assert day is not None  # only dated ideas are exported
    what = f"{platform_name(feedback.platform)} {feedback.format}".strip()
    summary = f"{feedback.title} ({what})"
    if feedback.state == IdeaState.POSTED:
        summary = f"Posted: {summary}"
    lines = [
        "BEGIN:VEVENT",
        f"UID:{feedback.pk}@kairo",
        f"DTSTAMP:{_stamp(feedback.updated_at)}",
        f"LAST-MODIFIED:{_stamp(feedback.updated_at)}",
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{ics_text(summary)}",
        f"DESCRIPTION:{ics_text(brief_from_feedback(feedback))}",
        f"URL:{plan_url}",
        "TRANSP:TRANSPARENT",
        "STATUS:CONFIRMED",
        "END:VEVENT",
    ]
    if feedback.pillar:
        lines.insert(-1, f"CATEGORIES:{ics_text(feedback.pillar)}")
    return lines


def dated_ideas(brand: Brand) -> Iterable[IdeaFeedback]:
    return IdeaFeedback.objects.filter(
        brand=brand, state__in=USED_STATES, planned_for__isnull=False
    ).order_by("planned_for", "title")


def plan_ics(brand: Brand, plan_url: str) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Kairo//Content plan//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ics_text(f'Kairo · {brand.name}')}",
        f"REFRESH-INTERVAL;VALUE=DURATION:{FEED_REFRESH}",
        f"X-PUBLISHED-TTL:{FEED_REFRESH}",
    ]
    for feedback in dated_ideas(brand):
        lines += _event(feedback, plan_url)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)


CSV_COLUMNS = (
    "date",
    "status",
    "title",
    "platform",
    "format",
    "pillar",
    "hook",
    "angle",
    "why_now",
    "evidence",
)
STATUS_WORDS = {"used": "planned", "posted": "posted", "saved": "saved for later"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


def plan_csv(ideas: Iterable[IdeaFeedback]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for feedback in ideas:
        dated = feedback.state in USED_STATES and feedback.planned_for
        row = [
            feedback.planned_for.isoformat() if dated and feedback.planned_for else "",
            STATUS_WORDS.get(feedback.state, feedback.state),
            feedback.title,
            platform_name(feedback.platform),
            feedback.format,
            feedback.pillar,
            feedback.hook,
            feedback.angle,
            feedback.why_now,
            " ".join(link.get("url", "") for link in feedback.evidence_links),
        ]
        writer.writerow([csv_cell(str(cell)) for cell in row])
    return buffer.getvalue()
