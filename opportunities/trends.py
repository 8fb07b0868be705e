"""Analyzing trends: deterministic signals from the collected evidence, no model calls.

- Ads and promoted items (`raw["isAd"]`, `raw["isPromoted"]`) are left out of every
  signal and never shown to the model: paid reach says nothing about what people want.
- Recurring hashtags (minus the ones every post carries, #fyp and friends), sounds, and
  topic phrases per content language (opportunities/phrases.py). A phrase counts when
  MIN_PHRASE_ITEMS posts by at least two creators use it, or two posts on two platforms.
- Creator-relative outliers per post (opportunities/outliers.py).
- Momentum from TikTok Trends: chart rank, places climbed, "new on the chart"
  (`metrics["rank"]`, `["rank_change"]` (positive = climbed), `["is_new"]`).
- Engagement velocity (views, else likes, per hour) and recency (half-life 72 h).
The strongest signals and items go to the model as structured input.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from opportunities.outliers import Outlier, find_outliers
from opportunities.phrases import content_language, phrase_key, phrases_in
from opportunities.stopwords import GENERIC_HASHTAGS

RECENCY_HALF_LIFE_HOURS = 72.0
MIN_AGE_HOURS = 1.0
TOP_SIGNALS = 12
MIN_PHRASE_ITEMS = 3
MIN_WATCHED_ITEMS = 2
TREND_CHART_SIZE = 100
TREND_KINDS = {"trend_hashtag", "trend_sound", "trend_creator"}
AD_FLAGS = ("isAd", "isPromoted")


class Evidence(Protocol):
    platform: str
    kind: str
    text: str
    author_handle: str
    hashtags: list[str]
    published_at: datetime | None
    metrics: dict[str, Any]
    raw: dict[str, Any]


@dataclass(frozen=True)
class Signal:
    name: str
    count: int
    platforms: tuple[str, ...]
    language: str = ""  # topic phrases only


@dataclass(frozen=True)
class Momentum:
    """A TikTok Trends entry's place on the chart."""

    name: str
    kind: str
    rank: int | None
    rank_change: int | None
    is_new: bool

    @property
    def strength(self) -> float:
        """0..1: rank 1 → 1, rank 10 → 0.5, off the chart → 0; +0.3 at most for places
        climbed (−0.2 at most for places lost), +0.2 when new on the chart."""
        base = 0.3 if self.rank is None else 1 - math.log(self.rank) / math.log(TREND_CHART_SIZE)
        change = self.rank_change or 0
        base += min(0.3, change / 30) if change > 0 else max(-0.2, change / 50)
        return round(max(0.0, min(1.0, base + (0.2 if self.is_new else 0.0))), 4)


@dataclass
class TrendSignals:
    hashtags: list[Signal] = field(default_factory=list)
    sounds: list[Signal] = field(default_factory=list)
    topics: list[Signal] = field(default_factory=list)
    velocity: list[float] = field(default_factory=list)  # per item index
    recency: list[float] = field(default_factory=list)  # per item index, 0..1
    max_velocity: float = 0.0
    platforms_by_hashtag: dict[str, set[str]] = field(default_factory=dict)
    excluded: frozenset[int] = frozenset()  # ads and promoted items
    outliers: dict[int, Outlier] = field(default_factory=dict)
    momentum: dict[int, Momentum] = field(default_factory=dict)
    # Topic phrases: "language:key" -> as written, the items carrying each, and per item.
    phrase_labels: dict[str, str] = field(default_factory=dict)
    platforms_by_phrase: dict[str, set[str]] = field(default_factory=dict)
    phrase_counts: dict[str, int] = field(default_factory=dict)  # posts carrying each
    item_phrases: list[frozenset[str]] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    # TikTok Trends entries on the chart, by the hashtag or sound they are.
    trend_by_hashtag: dict[str, int] = field(default_factory=dict)
    trend_by_sound: dict[str, int] = field(default_factory=dict)
    # What grew or appeared since the previous board (set by opportunities/history.py).
    rising: list[dict[str, Any]] = field(default_factory=list)

    def as_prompt_data(self) -> dict[str, Any]:
        def rows(signals: list[Signal]) -> list[dict[str, Any]]:
            return [
                {"name": s.name, "count": s.count, "platforms": list(s.platforms)}
                | ({"language": s.language} if s.language else {})
                for s in signals
            ]

        climbing = sorted(self.momentum.values(), key=lambda m: (-m.strength, m.name))
        return {
            "recurring_hashtags": rows(self.hashtags),
            "trending_sounds": rows(self.sounds),
            "recurring_topics": rows(self.topics),
            "rising_since_last_board": self.rising,
            "tiktok_trends_momentum": [
                {"name": m.name, "rank": m.rank, "rank_change": m.rank_change, "new": m.is_new}
                for m in climbing[:TOP_SIGNALS]
            ],
        }

    def is_excluded(self, index: int) -> bool:
        return index in self.excluded


def is_advert(item: Evidence) -> bool:
    raw = item.raw if isinstance(item.raw, dict) else {}
    return any(bool(raw.get(flag)) for flag in AD_FLAGS)


def engagement_velocity(item: Evidence, now: datetime) -> float:
    metrics = item.metrics or {}
    reach = metrics.get("views") or metrics.get("likes") or 0
    if not reach or item.published_at is None:
        return 0.0
    hours = max(MIN_AGE_HOURS, (now - item.published_at).total_seconds() / 3600)
    return float(reach) / hours


def recency(item: Evidence, now: datetime) -> float:
    if item.published_at is None:
        return 0.0
    hours = max(0.0, (now - item.published_at).total_seconds() / 3600)
    return math.exp(-math.log(2) * hours / RECENCY_HALF_LIFE_HOURS)


def trend_momentum(item: Evidence) -> Momentum | None:
    """The chart position a TikTok Trends item carries, if any."""
    metrics = item.metrics or {}
    rank, change = _int_or_none(metrics.get("rank")), _int_or_none(metrics.get("rank_change"))
    is_new = metrics.get("is_new") is True
    if item.kind not in TREND_KINDS and rank is None and not is_new:
        return None
    name = (item.text or "").strip()
    if item.kind == "trend_hashtag":
        name = "#" + name.lstrip("#")
    return Momentum(name[:80], item.kind, rank if rank and rank > 0 else None, change, is_new)


def _int_or_none(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value)


def is_post(item: Evidence) -> bool:
    return item.kind not in TREND_KINDS


def sound_name(item: Evidence) -> str | None:
    if item.kind == "trend_sound":
        return (item.text or "").strip()[:80] or None
    music = (item.raw or {}).get("musicMeta") or {}
    name = music.get("musicName") if isinstance(music, dict) else None
    if name and not music.get("musicOriginal"):
        return str(name)[:80]
    return None


def item_hashtags(item: Evidence) -> set[str]:
    """The item's hashtags that can mean a topic (not #fyp), a trend hashtag's own name."""
    tags = set(item.hashtags or [])
    if item.kind == "trend_hashtag" and item.text:
        tags.add(item.text.lower().lstrip("#"))
    return tags - GENERIC_HASHTAGS


def _ranked(counter: Counter[str], platforms: dict[str, set[str]], minimum: int) -> list[Signal]:
    ranked = sorted(
        (name for name, count in counter.items() if count >= minimum),
        key=lambda name: (-len(platforms[name]), -counter[name], name),
    )
    return [Signal(n, counter[n], tuple(sorted(platforms[n]))) for n in ranked[:TOP_SIGNALS]]


def analyze_trends(
    items: list[Evidence],
    topics_to_watch: list[str],
    now: datetime,
    *,
    default_language: str = "en",
) -> TrendSignals:
    excluded = frozenset(i for i, item in enumerate(items) if is_advert(item))
    counted = [i for i in range(len(items)) if i not in excluded]
    hashtag_counts: Counter[str] = Counter()
    hashtag_platforms: dict[str, set[str]] = defaultdict(set)
    sound_counts: Counter[str] = Counter()
    sound_platforms: dict[str, set[str]] = defaultdict(set)
    for i in counted:
        for tag in item_hashtags(items[i]):
            hashtag_counts[tag] += 1
            hashtag_platforms[tag].add(items[i].platform)
        if sound := sound_name(items[i]):
            sound_counts[sound] += 1
            sound_platforms[sound].add(items[i].platform)

    languages = [content_language(item.text or "", item.raw, default_language) for item in items]
    phrases = _topic_phrases(items, counted, languages, topics_to_watch, default_language)
    velocity = [engagement_velocity(item, now) for item in items]
    momentum = {i: m for i in counted if (m := trend_momentum(items[i])) is not None}
    return TrendSignals(
        hashtags=_ranked(hashtag_counts, hashtag_platforms, minimum=2),
        sounds=_ranked(sound_counts, sound_platforms, minimum=1),
        topics=phrases.signals,
        velocity=velocity,
        recency=[recency(item, now) for item in items],
        max_velocity=max(velocity, default=0.0),
        platforms_by_hashtag=dict(hashtag_platforms),
        excluded=excluded,
        outliers=find_outliers(items, [i for i in counted if is_post(items[i])]),
        momentum=momentum,
        phrase_labels=phrases.labels,
        platforms_by_phrase=phrases.platforms,
        phrase_counts=phrases.counts,
        item_phrases=phrases.per_item,
        languages=languages,
        trend_by_hashtag={
            tag: i
            for i in sorted(momentum)
            if items[i].kind == "trend_hashtag"
            for tag in item_hashtags(items[i])
        },
        trend_by_sound={
            name: i for i in sorted(momentum) if (name := sound_name(items[i])) is not None
        },
    )


@dataclass
class _Phrases:
    signals: list[Signal]
    labels: dict[str, str]
    platforms: dict[str, set[str]]
    counts: dict[str, int]
    per_item: list[frozenset[str]]


def _topic_phrases(
    items: list[Evidence],
    counted: list[int],
    languages: list[str],
    watched: list[str],
    default_language: str,
) -> _Phrases:
    """Recurring phrases, keyed "language:phrase", each kept only where it recurs."""
    found: dict[str, set[int]] = defaultdict(set)
    spelled: dict[str, Counter[str]] = defaultdict(Counter)
    watched_keys = {}
    for topic in watched:
        if key := phrase_key(topic, default_language):
            watched_keys[f"{default_language}:{key}"] = topic.strip().lower()
    for i in counted:
        if not is_post(items[i]):
            continue
        text, language = items[i].text or "", languages[i]
        for key, surface in phrases_in(text, language).items():
            found[f"{language}:{key}"].add(i)
            spelled[f"{language}:{key}"][surface] += 1
        folded_text = f" {phrase_key(text, language)} "
        for key, topic in watched_keys.items():
            if f" {key.split(':', 1)[1]} " in folded_text:
                found[key].add(i)
                spelled[key][topic] += 1

    def platforms(key: str) -> set[str]:
        return {items[i].platform for i in found[key]}

    def recurs(key: str) -> bool:
        carriers = found[key]
        if key in watched_keys:
            return len(carriers) >= MIN_WATCHED_ITEMS
        authors = {(items[i].author_handle or f"#{i}").lower() for i in carriers}
        if len(authors) < 2:
            return False
        return len(carriers) >= MIN_PHRASE_ITEMS or len(platforms(key)) >= 2

    kept = {key for key in found if recurs(key)}
    # A two-word phrase that only ever occurs inside one three-word phrase is that phrase.
    for key in [k for k in kept if k.count(" ") == 1]:
        if any(k.count(" ") == 2 and found[k] == found[key] and _contains(k, key) for k in kept):
            kept.discard(key)
    labels = {key: spelled[key].most_common(1)[0][0] for key in kept}
    ordered = sorted(kept, key=lambda k: (-len(platforms(k)), -len(found[k]), labels[k], k))
    signals = [
        Signal(labels[k], len(found[k]), tuple(sorted(platforms(k))), k.split(":", 1)[0])
        for k in ordered[:TOP_SIGNALS]
    ]
    per_item: list[frozenset[str]] = [frozenset() for _ in items]
    for key in kept:
        for i in found[key]:
            per_item[i] = per_item[i] | {key}
    return _Phrases(
        signals,
        labels,
        {k: platforms(k) for k in kept},
        {k: len(found[k]) for k in kept},
        per_item,
    )


def _contains(longer: str, shorter: str) -> bool:
    return f" {shorter.split(':', 1)[1]} " in f" {longer.split(':', 1)[1]} "


def strongest_items(items: list[Evidence], signals: TrendSignals, limit: int) -> list[int]:
    """Indexes of the items worth showing the model, never ads: posts by how far they beat
    their creator and platform (then velocity), weighted by recency; plus up to a quarter
    of the budget for TikTok Trends entries, by chart momentum."""
    usable = [i for i in range(len(items)) if i not in signals.excluded]

    def weight(i: int) -> float:
        return 0.5 + signals.recency[i]

    trend = sorted(
        (i for i in usable if not is_post(items[i])),
        key=lambda i: (-(signals.momentum[i].strength if i in signals.momentum else 0.0), i),
    )[: limit // 4]
    posts = sorted(
        (i for i in usable if is_post(items[i])),
        key=lambda i: (
            -(signals.outliers[i].strength if i in signals.outliers else 0.0) * weight(i),
            -signals.velocity[i] * weight(i),
            i,
        ),
    )[: limit - len(trend)]
    return sorted(posts + trend)
