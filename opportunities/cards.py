"""How opportunities and their evidence read on a card: compact numbers ("12.3K
views"), ages ("3 days ago"), the score's five parts, and web-only links. Real rows and
Demo Mode samples both become `Card`s, so one template renders both.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from kairo.wording import time_ago
from opportunities.models import Opportunity
from opportunities.scoring import LEGACY_WEIGHTS, WEIGHTS
from opportunities.wording import compact_number, platform_label
from workspace.learning import FitView, fit_view

SCORE_PART_LABELS = {
    "pillar_relevance": "Pillar relevance",
    "outperformance": "Outperformance",
    "momentum": "TikTok Trends momentum",
    "engagement_velocity": "Engagement velocity",  # boards scored before outperformance
    "recency": "Recency",
    "cross_platform": "Cross-platform support",
    "model_confidence": "Model confidence",
}
EXCERPT_CHARS = 120
TILES = 3  # evidence tiles on a collapsed card; the rest are counted ("+2")
TILES_NARROW = 2  # on a phone (the third tile is hidden by kairo.css)


# ---------------------------------------------------------------- formatting


def duration_text(seconds: float | None) -> str:
    if seconds is None:
        return ""
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def usd(amount: Decimal | float) -> str:
    amount = Decimal(str(amount))
    if 0 < amount < Decimal("0.01"):
        return "<$0.01"
    return f"${amount:,.2f}"


def _count(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def key_metric(metrics: dict[str, Any]) -> str:
    """The metric a marketer looks at first: views, else likes."""
    for name in ("views", "likes"):
        number = _count((metrics or {}).get(name))
        if number is not None:
            return f"{compact_number(number)} {name}"
    return ""


def safe_link(url: str) -> str:
    """Only web links become hrefs (scraped data is untrusted)."""
    return url if url.startswith(("https://", "http://")) else ""


def span_text(seconds: float) -> str:
    """How far back a board's evidence goes: "24 hours", "3 days", "2 weeks", "4 months"."""
    days = max(1, math.ceil(seconds / 86400))
    if days == 1:
        return "24 hours"
    if days <= 14:
        return f"{days} days"
    if days <= 60:
        return f"{math.ceil(days / 7)} weeks"
    return f"{math.ceil(days / 30)} months"


# ---------------------------------------------------------------- cards


@dataclass(frozen=True)
class EvidenceView:
    platform: str
    platform_label: str
    author: str
    url: str
    metric: str
    age: str
    excerpt: str
    published_at: datetime | None = None  # for the board's freshness (`freshness_text`)


@dataclass(frozen=True)
class ScorePart:
    key: str
    label: str
    percent: int  # the part itself, 0..100
    weight_percent: int
    points: float  # what it adds to the score (0..100 scale)


@dataclass(frozen=True)
class Card:
    key: str  # unique on the page: ids and aria references
    rank: int
    title: str
    hook: str
    angle: str
    format: str
    platform: str
    platform_label: str
    pillar: str
    why_now: str
    score: int
    parts: tuple[ScorePart, ...]
    evidence: tuple[EvidenceView, ...]
    sample: bool = False
    feedback_fit: FitView | None = None  # issue 18: "fit from your feedback", when scored
    signals: tuple[str, ...] = ()  # the score's reasons in words (opportunities/scoring.py)
    rank_note: str = ""  # why the board moved this idea, when it did
    is_new: bool = False  # not on the previous board (opportunities/history.py)

    @property
    def tiles(self) -> tuple[EvidenceView, ...]:
        """The cited posts a collapsed card shows as small tiles: those from the idea's
        own platform first (a TikTok idea leads with its TikTok posts, even when the
        model cited an Instagram post first), then the rest in cited order."""
        own_first = sorted(self.evidence, key=lambda post: post.platform != self.platform)
        return tuple(own_first[:TILES])

    @property
    def more_evidence(self) -> int:
        return max(0, len(self.evidence) - TILES)

    @property
    def more_evidence_narrow(self) -> int:
        return max(0, len(self.evidence) - TILES_NARROW)


def score_parts(parts: dict[str, Any]) -> tuple[ScorePart, ...]:
    shown = []
    weights = LEGACY_WEIGHTS if "engagement_velocity" in parts else WEIGHTS
    for key, weight in weights.items():
        try:
            value = max(0.0, min(1.0, float(parts.get(key, 0.0))))
        except (TypeError, ValueError):
            value = 0.0
        if math.isnan(value):
            value = 0.0
        shown.append(
            ScorePart(
                key=key,
                label=SCORE_PART_LABELS.get(key, key.replace("_", " ").capitalize()),
                percent=round(value * 100),
                weight_percent=round(weight * 100),
                points=round(weight * value * 100, 1),
            )
        )
    return tuple(shown)


def evidence_view(
    *,
    platform: str,
    author_handle: str,
    author_name: str,
    url: str,
    metrics: dict[str, Any],
    published_at: datetime | None,
    text: str,
    now: datetime,
) -> EvidenceView:
    handle = author_handle.strip().lstrip("@")
    excerpt = " ".join(text.split())
    if len(excerpt) > EXCERPT_CHARS:
        excerpt = excerpt[: EXCERPT_CHARS - 1].rstrip() + "…"
    return EvidenceView(
        platform=platform,
        platform_label=platform_label(platform),
        author=f"@{handle}" if handle else (author_name.strip() or "Unknown author"),
        url=safe_link(url),
        metric=key_metric(metrics),
        age=time_ago(published_at, now),
        excerpt=excerpt,
        published_at=published_at,
    )


def card_from_opportunity(opportunity: Opportunity, now: datetime) -> Card:
    citations = getattr(opportunity, "citations", None)
    if citations is None:  # not prefetched: keep working, one query more
        citations = opportunity.opportunityevidence_set.select_related("evidence")
    evidence = tuple(
        evidence_view(
            platform=c.evidence.platform,
            author_handle=c.evidence.author_handle,
            author_name=c.evidence.author_name,
            url=c.evidence.url,
            metrics=c.evidence.metrics,
            published_at=c.evidence.published_at,
            text=c.evidence.text,
            now=now,
        )
        for c in citations
    )
    return Card(
        key=str(opportunity.pk),
        rank=opportunity.rank,
        title=opportunity.title,
        hook=opportunity.hook,
        angle=opportunity.angle,
        format=opportunity.format,
        platform=opportunity.platform,
        platform_label=platform_label(opportunity.platform),
        pillar=opportunity.pillar,
        why_now=opportunity.why_now,
        score=round(opportunity.score),
        parts=score_parts(opportunity.score_parts),
        feedback_fit=fit_view(  # hook (issue 18, workspace/learning.py)
            opportunity.score_parts, opportunity.pillar, opportunity.format, opportunity.platform
        ),
        evidence=evidence,
        signals=tuple(str(line) for line in opportunity.signals or ()),
        rank_note=opportunity.rank_note,
    )


def freshness_text(cards: Sequence[Card], reference: datetime, *, before_run: bool = False) -> str:
    """ "Evidence from the last 3 days": how far back the posts the cards cite go, from
    `reference` (now on Today; the run's end for a past board, with `before_run`).
    Undated posts (some trend pages) don't count; "" when no cited post has a date."""
    dates = [e.published_at for card in cards for e in card.evidence if e.published_at]
    if not dates:
        return ""
    span = span_text(max(0.0, (reference - min(dates)).total_seconds()))
    return (
        f"Evidence from the {span} before this run"
        if before_run
        else f"Evidence from the last {span}"
    )
