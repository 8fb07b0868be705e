"""Scoring and ranking: a transparent score whose parts are stored and shown on the card.

    score = 100 × ( 0.25 × pillar_relevance
                  + 0.25 × outperformance
                  + 0.10 × momentum
                  + 0.15 × recency
                  + 0.10 × cross_platform
                  + 0.15 × model_confidence )
            + feedback points (−10..+10, see below), kept within 0..100

- pillar_relevance: 1.0 when the opportunity names one of the brand's pillars exactly
  (case-insensitive); otherwise the share of its pillar words found in the brand's pillars.
- outperformance: the cited posts' best creator-relative outlier strength — views against
  the creator's usual or followers, and against the run's median for that platform
  (opportunities/outliers.py) — never raw views, which a mega-account always wins.
- momentum: the best TikTok Trends chart position among the cited entries and the
  entries for the idea's hashtags and sounds (rank, places climbed, new on the chart).
- recency: the cited items' mean recency (half-life 72 h, see trends.py).
- cross_platform: how many distinct platforms carry the idea's hashtags or topic
  phrases (its cited items' and those its text names): 1 → 0, 2 → 0.5, 3+ → 1.
- model_confidence: the model's own confidence, clamped to 0..1.
- fit from your feedback (workspace/learning.py, given the brand's FeedbackProfile): how
  the marketer received ideas of the same pillar, format and platform lately; adds
  10 × (2 × fit − 1) points, nothing while there is too little feedback. Stored as
  `feedback_fit` with the group and counts it came from, for the card's words.
Each part that says something is also written out in words (`signals`), for the card.
Ties rank by title, then by the evidence cited, so the same inputs give the same order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from opportunities import wording
from opportunities.phrases import phrases_in
from opportunities.trends import Evidence, TrendSignals, item_hashtags, sound_name
from workspace.learning import FeedbackProfile

WEIGHTS = {
    "pillar_relevance": 0.25,
    "outperformance": 0.25,
    "momentum": 0.10,
    "recency": 0.15,
    "cross_platform": 0.10,
    "model_confidence": 0.15,
}
# Boards scored before creator-relative signals existed keep their own breakdown.
LEGACY_WEIGHTS = {
    "pillar_relevance": 0.30,
    "engagement_velocity": 0.25,
    "recency": 0.15,
    "cross_platform": 0.15,
    "model_confidence": 0.15,
}
MAX_OUTLIER_LINES = 2


class Draft(Protocol):
    """What scoring reads of a model's draft (synthesis.OpportunityDraft)."""

    title: str
    hook: str
    angle: str
    pillar: str
    why_now: str
    confidence: float
    evidence_ids: list[str]

    # Read-only here: the draft narrows them (synthesis.OpportunityDraft's Literal types).
    @property
    def format(self) -> str: ...

    @property
    def platform(self) -> str: ...


@dataclass(frozen=True)
class ScoredOpportunity:
    draft: Draft
    pillar: str
    score: float
    parts: dict[str, float]
    evidence_indexes: tuple[int, ...]
    signals: tuple[str, ...] = ()  # plain-language reasons, strongest first
    rank_note: str = ""  # why the board moved it, when it did (opportunities/curation.py)


@dataclass(frozen=True)
class Spread:
    """The platforms that carry an idea, each with the hashtag or phrase found there."""

    platforms: tuple[str, ...]
    term_on: dict[str, str]


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


def idea_text(draft: Draft) -> str:
    return f"{draft.title}. {draft.hook}. {draft.angle}"


def idea_terms(
    draft: Draft, indexes: Sequence[int], items: Sequence[Evidence], signals: TrendSignals
) -> tuple[set[str], set[str]]:
    """The idea's hashtags (its cited items') and recurring phrases: those its own text
    uses, and those its cited items share. A phrase only one cited caption has is that
    caption's wording ("mistakes to avoid"), not the idea."""
    tags: set[str] = set()
    for i in indexes:
        tags |= item_hashtags(items[i])
    cited_phrases = Counter(
        key for i in indexes if i < len(signals.item_phrases) for key in signals.item_phrases[i]
    )
    phrases = {key for key, count in cited_phrases.items() if count >= 2}
    languages = {signals.languages[i] for i in indexes if i < len(signals.languages)} or {"en"}
    for language in sorted(languages):
        for key in phrases_in(idea_text(draft), language):
            if f"{language}:{key}" in signals.phrase_labels:
                phrases.add(f"{language}:{key}")
    return tags, phrases


def idea_spread(
    tags: set[str],
    phrases: set[str],
    indexes: Sequence[int],
    items: Sequence[Evidence],
    signals: TrendSignals,
) -> Spread:
    term_on: dict[str, str] = {}
    for tag in sorted(tags):
        for platform in sorted(signals.platforms_by_hashtag.get(tag, ())):
            term_on.setdefault(platform, f"#{tag}")
    for key in sorted(phrases, key=lambda k: (-len(signals.platforms_by_phrase.get(k, ())), k)):
        for platform in sorted(signals.platforms_by_phrase.get(key, ())):
            term_on.setdefault(platform, f"“{signals.phrase_labels[key]}”")
    for i in indexes:  # a cited item's own platform carries the idea, tagged or not
        term_on.setdefault(items[i].platform, "")
    return Spread(tuple(sorted(term_on)), term_on)


def idea_momentum(
    indexes: Sequence[int], items: Sequence[Evidence], signals: TrendSignals
) -> list[int]:
    """TikTok Trends entries behind the idea: cited ones, and the entries for the
    hashtags and sounds of its cited posts; strongest first."""
    found = {i for i in indexes if i in signals.momentum}
    for i in indexes:
        found |= {
            signals.trend_by_hashtag[t]
            for t in item_hashtags(items[i])
            if t in signals.trend_by_hashtag
        }
        if (sound := sound_name(items[i])) in signals.trend_by_sound:
            found.add(signals.trend_by_sound[sound])
    return sorted(found, key=lambda i: (-signals.momentum[i].strength, i))


def score_opportunity(
    draft: Draft,
    indexes: Sequence[int],
    items: Sequence[Evidence],
    signals: TrendSignals,
    pillars: list[str],
    notes: Sequence[str] = (),
    feedback: FeedbackProfile | None = None,
) -> ScoredOpportunity:
    """Score one idea on the evidence it cites; `notes` (from curation) end its signals."""
    pillar, relevance = match_pillar(draft.pillar, pillars)
    posts = sorted(
        (i for i in indexes if i in signals.outliers),
        key=lambda i: (-signals.outliers[i].strength, i),
    )
    trends = idea_momentum(indexes, items, signals)
    tags, phrases = idea_terms(draft, indexes, items, signals)
    spread = idea_spread(tags, phrases, indexes, items, signals)
    parts = {
        "pillar_relevance": _clamp(relevance),
        "outperformance": signals.outliers[posts[0]].strength if posts else 0.0,
        "momentum": signals.momentum[trends[0]].strength if trends else 0.0,
        "recency": sum(signals.recency[i] for i in indexes) / max(1, len(indexes)),
        "cross_platform": _clamp((len(spread.platforms) - 1) / 2),
        "model_confidence": _clamp(draft.confidence),
    }
    parts = {name: round(_clamp(value), 4) for name, value in parts.items()}
    lines = [
        line
        for i in posts[:MAX_OUTLIER_LINES]
        if (line := wording.outlier_sentence(items[i], signals.outliers[i]))
    ]
    if trends:
        lines.append(wording.momentum_sentence(signals.momentum[trends[0]]))
    lines.append(wording.spread_sentence(spread.platforms, spread.term_on))
    if phrases:
        top = min(phrases, key=lambda k: (-signals.phrase_counts.get(k, 0), k))
        lines.append(
            wording.phrase_sentence(signals.phrase_labels[top], signals.phrase_counts[top])
        )
    score = round(100 * sum(WEIGHTS[name] * value for name, value in parts.items()), 1)
    if feedback is not None:  # hook (issue 18): fit from the brand's feedback, ±10 points
        fit = feedback.fit_for(pillar, draft.format, draft.platform)
        parts.update(fit.as_parts())
        score = round(_clamp((score + fit.points) / 100) * 100, 1)
    return ScoredOpportunity(
        draft, pillar, score, parts, tuple(indexes), tuple(lines) + tuple(notes)
    )


def rank_key(scored: ScoredOpportunity) -> tuple[float, str, tuple[int, ...]]:
    return (-scored.score, scored.draft.title.lower(), scored.evidence_indexes)
