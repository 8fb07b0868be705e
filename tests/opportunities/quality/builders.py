"""Evidence and drafts built in memory for the analysis and curation tests (pure
functions: no database, no HTTP)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from evidence.normalize import NormalizedEvidence
from opportunities.synthesis import OpportunityDraft

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
RECIPE = {"instagram": "IG-1", "tiktok": "TT-1", "youtube": "YT-1", "linkedin": "LI-1"}


def post(
    platform: str = "tiktok",
    text: str = "",
    *,
    author: str = "creator",
    views: int | None = None,
    likes: int | None = None,
    followers: int | None = None,
    hashtags: tuple[str, ...] = (),
    hours_ago: float = 5,
    kind: str = "video",
    raw: dict[str, Any] | None = None,
    **metrics: Any,
) -> NormalizedEvidence:
    numbers = {"views": views, "likes": likes, "followers": followers, **metrics}
    return NormalizedEvidence(
        platform=platform,
        recipe_id=RECIPE.get(platform, "TT-1"),
        kind=kind,
        external_id=f"{platform}-{author}-{text[:12]}-{views}-{likes}",
        url=f"https://example.com/{platform}/{author}",
        author_handle=author,
        text=text,
        hashtags=list(hashtags),
        published_at=NOW - timedelta(hours=hours_ago),
        metrics={k: v for k, v in numbers.items() if v is not None},
        raw=raw or {},
    )


def trend(
    name: str,
    *,
    kind: str = "trend_hashtag",
    rank: int | None = None,
    rank_change: int | None = None,
    is_new: bool | None = None,
    raw: dict[str, Any] | None = None,
) -> NormalizedEvidence:
    metrics = {"rank": rank, "rank_change": rank_change, "is_new": is_new}
    return NormalizedEvidence(
        platform="tiktok",
        recipe_id="TT-TRENDS",
        kind=kind,
        external_id=f"{kind}:{name}",
        text=name,
        hashtags=[name.lstrip("#").lower()] if kind == "trend_hashtag" else [],
        metrics={k: v for k, v in metrics.items() if v is not None},
        raw=raw or {},
    )


def draft(
    title: str,
    *,
    platform: str = "tiktok",
    format: str = "short video",
    pillar: str = "Coffee craft",
    evidence: tuple[int, ...] = (0,),
    hook: str = "",
    angle: str = "",
    confidence: float = 0.8,
) -> OpportunityDraft:
    return OpportunityDraft(
        title=title,
        hook=hook or f"Hook for {title}",
        angle=angle or f"Angle for {title}",
        format=format,
        platform=platform,
        pillar=pillar,
        why_now="Trending this week",
        confidence=confidence,
        evidence_ids=[f"E{i + 1}" for i in evidence],
    )
