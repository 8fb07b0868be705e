"""What the board learns from the marketer: the sixth score part, "fit from your
feedback", and the decisions the next synthesis is told about.

A *decision* is an idea the marketer used (or posted) or dismissed in the last
`LEARNING_WINDOW` (30 days). Saved ideas are not decisions yet: "later" says nothing
about fit.

Fit for a new idea is the smoothed share of used ideas among the decisions on ideas like
it, looking at the most specific group with at least `MIN_DECISIONS` decisions:

    1. same pillar, format and platform   ("Latte art reels on Instagram")
    2. same pillar and format             ("Latte art reels")
    3. same pillar                        ("Latte art ideas")
    4. same platform and format           ("Instagram reels")

    fit = (used + 1) / (decided + 2)      (Laplace smoothing: 3 of 4 used → 0.67)

and 0.5, neutral, when no group has enough. The part moves the score by
`FEEDBACK_POINTS × (2 × fit − 1)`: nothing when neutral, at most ±10 points. It is
stored with the score's other parts (`feedback_fit`, plus the group and counts it came
from) so the card can say it in words exactly as it was scored, and the same decisions
always give the same fit.

This module and workspace.models are what opportunities (scoring, the pipeline, the
board) import from workspace; neither imports opportunities (pyproject.toml's contracts).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from brands.models import Brand, Platform
from workspace.models import USED_STATES, IdeaFeedback, IdeaState

LEARNING_WINDOW = timedelta(days=30)
MIN_DECISIONS = 3
FEEDBACK_POINTS = 10.0
NEUTRAL = 0.5
FIT_PART = "feedback_fit"
# Group 0 means no group had enough decisions; its counts are then the exact group's.
GROUPS: tuple[tuple[str, ...], ...] = (
    ("pillar", "format", "platform"),
    ("pillar", "format"),
    ("pillar",),
    ("platform", "format"),
)


@dataclass(frozen=True)
class Decision:
    """One used/posted or dismissed idea, as the learning reads it."""

    title: str
    pillar: str
    format: str
    platform: str
    state: str
    reason: str
    reason_text: str
    planned_for: date | None
    decided_at: datetime

    @property
    def used(self) -> bool:
        return self.state in USED_STATES

    def key(self, fields: Sequence[str]) -> tuple[str, ...]:
        return tuple(getattr(self, name).strip().casefold() for name in fields)


@dataclass(frozen=True)
class FeedbackFit:
    value: float  # 0..1; 0.5 is neutral
    group: int  # 1..4 as in GROUPS; 0 = not enough feedback yet
    used: int
    decided: int

    @property
    def points(self) -> float:
        return round(FEEDBACK_POINTS * (2 * self.value - 1), 1)

    def as_parts(self) -> dict[str, float]:
        """Stored in `Opportunity.score_parts` beside the other parts."""
        return {
            FIT_PART: round(self.value, 4),
            "feedback_group": self.group,
            "feedback_used": self.used,
            "feedback_decided": self.decided,
        }


@dataclass(frozen=True)
class FeedbackProfile:
    """A brand's decisions of the learning window, newest first, as of `now`."""

    decisions: tuple[Decision, ...]
    now: datetime

    def fit_for(self, pillar: str, format: str, platform: str) -> FeedbackFit:
        idea = {"pillar": pillar, "format": format, "platform": platform}
        exact = (0, 0)
        for number, fields in enumerate(GROUPS, start=1):
            wanted = tuple(idea[name].strip().casefold() for name in fields)
            alike = [d for d in self.decisions if d.key(fields) == wanted]
            used = sum(1 for d in alike if d.used)
            if number == 1:
                exact = (used, len(alike))
            if len(alike) >= MIN_DECISIONS:
                return FeedbackFit((used + 1) / (len(alike) + 2), number, used, len(alike))
        return FeedbackFit(NEUTRAL, 0, *exact)


def decisions_since(brand: Brand, since: datetime) -> tuple[Decision, ...]:
    rows = (
        IdeaFeedback.objects.filter(
            brand=brand,
            decided_at__gte=since,
            state__in=[*USED_STATES, IdeaState.DISMISSED],
        )
        .order_by("-decided_at", "title")
        .values_list(
            "title",
            "pillar",
            "format",
            "platform",
            "state",
            "reason",
            "reason_text",
            "planned_for",
            "decided_at",
        )
    )
    return tuple(Decision(*row) for row in rows)


def feedback_profile(brand: Brand, now: datetime) -> FeedbackProfile:
    """The brand's decisions of the last 30 days (one query)."""
    return FeedbackProfile(decisions_since(brand, now - LEARNING_WINDOW), now)


# ---------------------------------------------------------------- in words


def plural_format(format: str) -> str:
    """ "reel" → "reels", "story" → "stories", "short video" → "short videos"."""
    format = format.strip().lower() or "idea"
    if format.endswith("y") and not format.endswith(("ay", "ey", "oy")):
        return format[:-1] + "ies"
    return format if format.endswith("s") else format + "s"


def platform_name(platform: str) -> str:
    try:
        return str(Platform(platform).label)
    except ValueError:
        return platform.strip().title() or "any platform"


def group_words(group: int, pillar: str, format: str, platform: str) -> str:
    formats = plural_format(format)
    if group == 2:
        return f"{pillar} {formats}"
    if group == 3:
        return f"{pillar} ideas"
    if group == 4:
        return f"{platform_name(platform)} {formats}"
    return f"{pillar} {formats} on {platform_name(platform)}"


def fit_words(parts: Mapping[str, object], pillar: str, format: str, platform: str) -> str:
    """The stored fit in words, e.g. "You used 3 of 4 recent Latte art reels."."""
    group, used, decided = (
        _int(parts.get(k)) for k in ("feedback_group", "feedback_used", "feedback_decided")
    )
    if not 1 <= group <= len(GROUPS):
        so_far = f" ({decided} so far)" if decided else ""
        return f"Neutral until you've used or dismissed {MIN_DECISIONS} ideas like this{so_far}."
    alike = group_words(group, pillar, format, platform)
    if used == decided:
        return f"You used all {decided} recent {alike}."
    if used == 0:
        return f"You dismissed all {decided} recent {alike}."
    return f"You used {used} of {decided} recent {alike}."


FIT_LABEL = "Fit from your feedback"


@dataclass(frozen=True)
class FitView:
    """The fit as a card's "Why it scores" shows it."""

    value: float
    words: str
    label: str = FIT_LABEL

    @property
    def percent(self) -> int:
        return round(self.value * 100)

    @property
    def points(self) -> float:
        return FeedbackFit(self.value, 0, 0, 0).points

    @property
    def signed_points(self) -> str:
        return f"{self.points:+.1f}".replace("-", "−")


def fit_view(
    parts: Mapping[str, object], pillar: str, format: str, platform: str
) -> FitView | None:
    """None for an idea scored before feedback counted (no `feedback_fit` stored)."""
    value = parts.get(FIT_PART)
    if not isinstance(value, int | float) or isinstance(value, bool) or value != value:
        return None
    return FitView(max(0.0, min(1.0, float(value))), fit_words(parts, pillar, format, platform))


def _int(value: object) -> int:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value)
    return 0
