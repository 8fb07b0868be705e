"""What the Today board shows of the marketer's feedback: each card's state (with the
change its Undo reverts), the filters by platform, pillar and state, and the pillar
balance panel.

Called by opportunities.views.today through one hook; reads cards through the small
`CardLike` protocol, so it imports nothing of opportunities (pyproject.toml's
contracts). Two queries for any number of cards, plus the balance's two.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol, TypeVar
from uuid import UUID

from brands.models import Brand
from brands.snapshots import current_snapshot
from workspace.balance import PillarBalance, pillar_balance
from workspace.learning import feedback_profile
from workspace.models import DismissReason, FeedbackChange, IdeaFeedback, IdeaState

ALL = ""
STATE_FILTERS = (
    (ALL, "Any state"),
    (IdeaState.NEW.value, "New"),
    (IdeaState.USED.value, "Planned"),
    (IdeaState.SAVED.value, "Saved"),
    (IdeaState.POSTED.value, "Posted"),
    (IdeaState.DISMISSED.value, "Not for us"),
)
REASON_LABELS = dict(DismissReason.choices)


class CardLike(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def platform(self) -> str: ...
    @property
    def platform_label(self) -> str: ...
    @property
    def pillar(self) -> str: ...
    @property
    def sample(self) -> bool: ...


C = TypeVar("C", bound=CardLike)


@dataclass(frozen=True)
class IdeaMark:
    """One card's state, as its action row shows it."""

    state: str = IdeaState.NEW.value
    planned_for: date | None = None
    reason: str = ""
    reason_text: str = ""
    undo_change: UUID | None = None  # the latest change, which Undo reverts

    @property
    def is_new(self) -> bool:
        return self.state == IdeaState.NEW

    @property
    def summary(self) -> str:
        """ "Planned for Tue 12 May", "Not for us: off-brand", "" when new."""
        when = (
            f"{self.planned_for:%a} {self.planned_for.day} {self.planned_for:%b}"
            if self.planned_for
            else ""
        )
        if self.state == IdeaState.USED:
            return f"Planned for {when}"
        if self.state == IdeaState.POSTED:
            return f"Posted ({when})" if when else "Posted"
        if self.state == IdeaState.SAVED:
            return "Saved for later"
        if self.state == IdeaState.DISMISSED:
            reason = REASON_LABELS.get(self.reason, "")
            detail = self.reason_text if self.reason == DismissReason.OTHER else reason.lower()
            return f"Not for us: {detail}" if detail else "Not for us"
        return ""


NEW_MARK = IdeaMark()


@dataclass(frozen=True)
class FilterChoice:
    value: str
    label: str


@dataclass(frozen=True)
class BoardFilters:
    platform: str = ALL
    pillar: str = ALL
    state: str = ALL
    platforms: tuple[FilterChoice, ...] = ()
    pillars: tuple[FilterChoice, ...] = ()
    states: tuple[FilterChoice, ...] = tuple(FilterChoice(v, label) for v, label in STATE_FILTERS)

    @property
    def active(self) -> bool:
        return bool(self.platform or self.pillar or self.state)

    def keeps(self, card: CardLike, mark: IdeaMark) -> bool:
        return (
            (not self.platform or card.platform == self.platform)
            and (not self.pillar or card.pillar.casefold() == self.pillar.casefold())
            and (not self.state or mark.state == self.state)
        )


@dataclass
class BoardMarks:
    marks: dict[str, IdeaMark] = field(default_factory=dict)
    filters: BoardFilters = field(default_factory=BoardFilters)
    total: int = 0
    shown: int = 0
    balance: PillarBalance | None = None  # None on a board of samples only

    def mark_for(self, key: str) -> IdeaMark:
        return self.marks.get(key, NEW_MARK)


def board_filters(params: Mapping[str, str], cards: Sequence[CardLike]) -> BoardFilters:
    """The filters asked for, limited to values the board has (anything else: all)."""
    platforms = {c.platform: c.platform_label for c in cards}
    pillars = {c.pillar.casefold(): c.pillar for c in cards}
    states = {value for value, _ in STATE_FILTERS}
    platform = str(params.get("platform", ""))
    pillar = str(params.get("pillar", "")).casefold()
    state = str(params.get("state", ""))
    return BoardFilters(
        platform=platform if platform in platforms else ALL,
        pillar=pillars.get(pillar, ALL),
        state=state if state in states else ALL,
        platforms=tuple(FilterChoice(v, label) for v, label in sorted(platforms.items())),
        pillars=tuple(FilterChoice(v, v) for v in sorted(pillars.values(), key=str.casefold)),
    )


def marks_for_opportunities(brand: Brand, keys: Sequence[str]) -> dict[str, IdeaMark]:
    rows = list(
        IdeaFeedback.objects.filter(brand=brand, opportunity_id__in=list(keys)).only(
            "id", "opportunity_id", "state", "planned_for", "reason", "reason_text"
        )
    )
    latest: dict[UUID, UUID] = {}
    changes = FeedbackChange.objects.filter(feedback__in=rows, undone_at__isnull=True)
    for feedback_id, change_id in changes.order_by("-created_at").values_list("feedback_id", "id"):
        latest.setdefault(feedback_id, change_id)
    return {
        str(row.opportunity_id): IdeaMark(
            state=row.state,
            planned_for=row.planned_for,
            reason=row.reason,
            reason_text=row.reason_text,
            undo_change=latest.get(row.id),
        )
        for row in rows
    }


def mark_board(
    brand: Brand, cards: Sequence[C], params: Mapping[str, str], now: datetime
) -> tuple[list[C], BoardMarks]:
    """The cards the filters keep, and what the board shows of the marketer's feedback.
    Demo Mode's sample cards are not ideas anyone can act on: they get no marks."""
    real = [c for c in cards if not c.sample]
    marks = marks_for_opportunities(brand, [c.key for c in real]) if real else {}
    filters = board_filters(params, cards)
    shown = [c for c in cards if filters.keeps(c, marks.get(c.key, NEW_MARK))]
    snapshot = current_snapshot(brand)
    pillars = list((snapshot.data if snapshot else {}).get("pillars", []))
    balance = pillar_balance(feedback_profile(brand, now), pillars) if real else None
    board_marks = BoardMarks(marks, filters, len(cards), len(shown), balance)
    return shown, board_marks
