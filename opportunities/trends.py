"""Analyzing trends: deterministic signals from the collected evidence, no model calls.

- recurring hashtags, sounds and topics across items and platforms;
- engagement velocity per item (views, else likes, per hour since posting);
- recency per item (exponential decay, half-life RECENCY_HALF_LIFE_HOURS).
The strongest signals and items go to the model as structured input.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

RECENCY_HALF_LIFE_HOURS = 72.0
MIN_AGE_HOURS = 1.0
TOP_SIGNALS = 12
WORD = re.compile(r"[a-z0-9][a-z0-9'\-]{2,}")
STOPWORDS = frozenset(
    "the and for you your with this that from are was were have has how what why when who "
    "our not but all can will just into out about more new get one its it's they them their "
    "here there than then also been being over under like most best top make made".split()
)
TREND_KINDS = {"trend_hashtag", "trend_sound", "trend_creator"}


class Evidence(Protocol):
    platform: str
    kind: str
    text: str
    hashtags: list[str]
    published_at: datetime | None
    metrics: dict[str, Any]
    raw: dict[str, Any]


@dataclass(frozen=True)
class Signal:
    name: str
    count: int
    platforms: tuple[str, ...]


@dataclass
class TrendSignals:
    hashtags: list[Signal] = field(default_factory=list)
    sounds: list[Signal] = field(default_factory=list)
    topics: list[Signal] = field(default_factory=list)
    velocity: list[float] = field(default_factory=list)  # per item index
    recency: list[float] = field(default_factory=list)  # per item index, 0..1
    max_velocity: float = 0.0
    platforms_by_hashtag: dict[str, set[str]] = field(default_factory=dict)
    # What grew or appeared since the previous board (set by opportunities/history.py).
    rising: list[dict[str, Any]] = field(default_factory=list)

    def as_prompt_data(self) -> dict[str, Any]:
        def rows(signals: list[Signal]) -> list[dict[str, Any]]:
            return [
                {"name": s.name, "count": s.count, "platforms": list(s.platforms)} for s in signals
            ]

        return {
            "recurring_hashtags": rows(self.hashtags),
            "trending_sounds": rows(self.sounds),
            "recurring_topics": rows(self.topics),
            "rising_since_last_board": self.rising,
        }


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


def _sound_name(item: Evidence) -> str | None:
    if item.kind == "trend_sound":
        return (item.text or "").strip()[:80] or None
    music = (item.raw or {}).get("musicMeta") or {}
    name = music.get("musicName") if isinstance(music, dict) else None
    if name and not music.get("musicOriginal"):
        return str(name)[:80]
    return None


def _ranked(counter: Counter, platforms: dict[str, set[str]], minimum: int) -> list[Signal]:
    ranked = sorted(
        (name for name, count in counter.items() if count >= minimum),
        key=lambda name: (-len(platforms[name]), -counter[name], name),
    )
    return [Signal(n, counter[n], tuple(sorted(platforms[n]))) for n in ranked[:TOP_SIGNALS]]


def analyze_trends(
    items: list[Evidence], topics_to_watch: list[str], now: datetime
) -> TrendSignals:
    hashtag_counts: Counter = Counter()
    hashtag_platforms: dict[str, set[str]] = defaultdict(set)
    sound_counts: Counter = Counter()
    sound_platforms: dict[str, set[str]] = defaultdict(set)
    topic_counts: Counter = Counter()
    topic_platforms: dict[str, set[str]] = defaultdict(set)
    watched = [t.lower() for t in topics_to_watch if t.strip()]

    for item in items:
        tags = set(item.hashtags or [])
        if item.kind == "trend_hashtag" and item.text:
            tags.add(item.text.lower().lstrip("#"))
        for tag in tags:
            hashtag_counts[tag] += 1
            hashtag_platforms[tag].add(item.platform)
        if sound := _sound_name(item):
            sound_counts[sound] += 1
            sound_platforms[sound].add(item.platform)
        text = (item.text or "").lower()
        for topic in watched:
            if topic in text:
                topic_counts[topic] += 1
                topic_platforms[topic].add(item.platform)
        for word in set(WORD.findall(text)) - STOPWORDS:
            if not word.isdigit():
                topic_counts[word] += 1
                topic_platforms[word].add(item.platform)

    velocity = [engagement_velocity(item, now) for item in items]
    return TrendSignals(
        hashtags=_ranked(hashtag_counts, hashtag_platforms, minimum=2),
        sounds=_ranked(sound_counts, sound_platforms, minimum=1),
        topics=_ranked(topic_counts, topic_platforms, minimum=3),
        velocity=velocity,
        recency=[recency(item, now) for item in items],
        max_velocity=max(velocity, default=0.0),
        platforms_by_hashtag=dict(hashtag_platforms),
    )


def strongest_items(items: list[Evidence], signals: TrendSignals, limit: int) -> list[int]:
    """Indexes of the items worth showing the model: posts by velocity weighted by
    recency, plus up to a quarter of the budget for trend items (hashtags, sounds,
    creators), which carry no velocity of their own."""
    trend = [i for i in range(len(items)) if items[i].kind in TREND_KINDS][: limit // 4]
    posts = sorted(
        (i for i in range(len(items)) if items[i].kind not in TREND_KINDS),
        key=lambda i: (-(signals.velocity[i] * (0.5 + signals.recency[i])), i),
    )[: limit - len(trend)]
    return sorted(posts + trend)
