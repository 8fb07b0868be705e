"""Scoring and ranking: a transparent score whose parts are stored and shown on the card.

    score = 100 × ( 0.30 × pillar_relevance
                  + 0.25 × engagement_velocity
                  + 0.15 × recency
                  + 0.15 × cross_platform
                  + 0.15 × model_confidence )

- pillar_relevance: 1.0 when the opportunity names one of the brand's pillars exactly
  (case-insensitive); otherwise the share of its pillar words found in the brand's pillars.
- engagement_velocity: the cited items' best velocity (views or likes per hour), on a log
  scale relative to the fastest item of the whole run (0..1).
- recency: the cited items' mean recency (half-life 72 h, see trends.py).
- cross_platform: how many platforms carry the cited items or their hashtags: 1 → 0,
  2 → 0.5, 3+ → 1.
- model_confidence: the model's own confidence, clamped to 0..1.
Ties rank by title, then by the evidence cited, so the same inputs give the same order.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from opportunities.synthesis import OpportunityDraft, index_of
from opportunities.trends import Evidence, TrendSignals

WEIGHTS = {
    "pillar_relevance": 0.30,
    "engagement_velocity": 0.25,
    "recency": 0.15,
    "cross_platform": 0.15,
    "model_confidence": 0.15,
}


@dataclass(frozen=True)
class ScoredOpportunity:
    draft: OpportunityDraft
    pillar: str
    score: float
    parts: dict[str, float]
    evidence_indexes: tuple[int, ...]


def _clamp(value: float) -> float:
    return max(0.0, min(1.0, value))


def match_pillar(name: str, pillars: list[str]) -> tuple[str, float]:
    """The brand pillar this opportunity belongs to, and how well it matches."""
    wanted = name.strip().lower()
    for pillar in pillars:
        if pillar.lower() == wanted:
            return pillar, 1.0
    words = set(wanted.split())
    best, best_overlap = name.strip(), 0.0
    for pillar in pillars:
        pillar_words = set(pillar.lower().split())
        overlap = len(words & pillar_words) / max(1, len(words))
        if overlap > best_overlap:
            best, best_overlap = pillar, overlap
    return best, best_overlap


def score_parts(
    draft: OpportunityDraft,
    indexes: list[int],
    items: list[Evidence],
    signals: TrendSignals,
    pillars: list[str],
) -> tuple[str, dict[str, float]]:
    pillar, relevance = match_pillar(draft.pillar, pillars)
    best_velocity = max((signals.velocity[i] for i in indexes), default=0.0)
    velocity = (
        math.log1p(best_velocity) / math.log1p(signals.max_velocity)
        if signals.max_velocity > 0
        else 0.0
    )
    recency = sum(signals.recency[i] for i in indexes) / max(1, len(indexes))
    platforms = {items[i].platform for i in indexes}
    for i in indexes:
        for tag in items[i].hashtags or []:
            platforms |= signals.platforms_by_hashtag.get(tag, set())
    cross = _clamp((len(platforms) - 1) / 2)
    parts = {
        "pillar_relevance": round(_clamp(relevance), 4),
        "engagement_velocity": round(_clamp(velocity), 4),
        "recency": round(_clamp(recency), 4),
        "cross_platform": round(cross, 4),
        "model_confidence": round(_clamp(draft.confidence), 4),
    }
    return pillar, parts


def score_and_rank(
    drafts: list[OpportunityDraft],
    items: list[Evidence],
    signals: TrendSignals,
    pillars: list[str],
) -> list[ScoredOpportunity]:
    scored = []
    for draft in drafts:
        indexes = [index_of(eid) for eid in draft.evidence_ids]
        pillar, parts = score_parts(draft, indexes, items, signals, pillars)
        score = round(100 * sum(WEIGHTS[name] * value for name, value in parts.items()), 1)
        scored.append(ScoredOpportunity(draft, pillar, score, parts, tuple(indexes)))
    return sorted(scored, key=lambda s: (-s.score, s.draft.title.lower(), s.evidence_indexes))
