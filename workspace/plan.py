"""The plan: the ideas a brand is using, by date (a month calendar and the same days as a
list), the ideas saved for later, the pillar balance and the calendar feed.

Used and posted ideas sit on the day they are planned for; saved ideas have no day and
are listed by when they were saved. Weeks start on Monday. A month is asked for as
`?month=YYYY-MM`; anything else shows the current month.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import F, QuerySet

from brands.models import Brand
from brands.snapshots import current_snapshot
from workspace.balance import PillarBalance, pillar_balance
from workspace.briefs import brief_from_feedback
from workspace.feeds import feed_for
from workspace.learning import feedback_profile, platform_name
from workspace.models import PLANNED_STATES, USED_STATES, CalendarFeed, IdeaFeedback, IdeaState

WEEKS = calendar.Calendar(firstweekday=calendar.MONDAY)


@dataclass(frozen=True)
class PlanItem:
    feedback: IdeaFeedback
    title: str
    platform_label: str
    format: str
    pillar: str
    state: str
    state_label: str
    day: date | None
    brief: str

    @property
    def key(self) -> str:
        return str(self.feedback.pk)


@dataclass(frozen=True)
class CalendarDay:
    day: date
    in_month: bool
    is_today: bool
    items: tuple[PlanItem, ...]


@dataclass(frozen=True)
class Plan:
    brand: Brand
    month: date  # the first of the month shown
    weeks: tuple[tuple[CalendarDay, ...], ...]
    agenda: tuple[CalendarDay, ...]  # the month's days that have ideas
    saved: tuple[PlanItem, ...]
    previous_month: date
    next_month: date
    balance: PillarBalance
    feed: CalendarFeed | None
    planned_count: int

    @property
    def weekdays(self) -> tuple[str, ...]:
        return tuple(calendar.day_abbr[(WEEKS.firstweekday + i) % 7] for i in range(7))


def month_from_param(value: str | None, today: date) -> date:
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return date(year, month, 1) if 1970 <= year <= 9999 else today.replace(day=1)
    except ValueError:
        return today.replace(day=1)


def planned_ideas(brand: Brand) -> QuerySet[IdeaFeedback]:
    """Every used, posted or saved idea of the brand: by day, then the undated (saved)
    ones, each in the order they were decided (the same on SQLite and PostgreSQL)."""
    return IdeaFeedback.objects.filter(brand=brand, state__in=PLANNED_STATES).order_by(
        F("planned_for").asc(nulls_last=True), "decided_at", "title"
    )


def plan_item(feedback: IdeaFeedback) -> PlanItem:
    dated = feedback.state in USED_STATES
    return PlanItem(
        feedback=feedback,
        title=feedback.title,
        platform_label=platform_name(feedback.platform),
        format=feedback.format,
        pillar=feedback.pillar,
        state=feedback.state,
        state_label={"used": "Planned", "posted": "Posted", "saved": "Saved"}.get(
            feedback.state, feedback.get_state_display()
        ),
        day=feedback.planned_for if dated else None,
        brief=brief_from_feedback(feedback),
    )


def _shift(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def build_plan(brand: Brand, month: date, now: datetime, today: date) -> Plan:
    weeks_of_days = WEEKS.monthdatescalendar(month.year, month.month)
    first, last = weeks_of_days[0][0], weeks_of_days[-1][-1]
    rows = list(planned_ideas(brand))
    dated: dict[date, list[PlanItem]] = {}
    saved = []
    for feedback in rows:
        item = plan_item(feedback)
        if feedback.state == IdeaState.SAVED:
            saved.append(item)
        elif item.day is not None and first <= item.day <= last:
            dated.setdefault(item.day, []).append(item)
    weeks = tuple(
        tuple(
            CalendarDay(
                day=day,
                in_month=day.month == month.month,
                is_today=day == today,
                items=tuple(dated.get(day, ())),
            )
            for day in week
        )
        for week in weeks_of_days
    )
    agenda = tuple(d for week in weeks for d in week if d.in_month and d.items)
    snapshot = current_snapshot(brand)
    pillars = list((snapshot.data if snapshot else {}).get("pillars", []))
    saved.sort(key=lambda item: item.feedback.decided_at, reverse=True)
    return Plan(
        brand=brand,
        month=month,
        weeks=weeks,
        agenda=agenda,
        saved=tuple(saved),
        previous_month=_shift(month, -1),
        next_month=_shift(month, 1),
        balance=pillar_balance(feedback_profile(brand, now), pillars),
        feed=feed_for(brand),
        planned_count=sum(1 for row in rows if row.state in USED_STATES),
    )
