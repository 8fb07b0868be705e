"""Demo Mode's sample board: what a Today board looks like, before keys are connected.

Samples are plain `Card`s (never database rows), rendered by the real card template and
marked `sample=True` so every card says "Sample". They use the brand's name and, when a
BrandBrain snapshot exists, its content pillars. Their evidence links go to public
hashtag and search pages, not to anyone's post, so nothing is passed off as real data.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from urllib.parse import quote, quote_plus

from brands.models import Brand
from brands.snapshots import current_snapshot
from kairo.wording import time_ago as _time_ago
from opportunities.cards import Card, EvidenceView, score_parts
from opportunities.wording import compact_number, platform_label

FALLBACK_PILLARS = ["Behind the scenes", "Customer stories", "Tips and how-tos"]


@dataclass(frozen=True)
class _SampleEvidence:
    platform: str
    author: str
    metric: int
    metric_name: str
    hours_ago: int
    excerpt: str


@dataclass(frozen=True)
class _Sample:
    title: str
    hook: str
    angle: str
    format: str
    platform: str
    why_now: str
    parts: dict[str, float]
    evidence: tuple[_SampleEvidence, ...]


def _samples(brand: str) -> list[_Sample]:
    """Five ideas of the kind a real run produces; `{pillar}` is filled per card."""
    return [
        _Sample(
            f"3 myths about {{pillar}} we hear every week at {brand}",
            "“You're doing {pillar} wrong — and it's not your fault.”",
            "Myth-busting carousel: each slide names a myth creators repeat, then shows "
            "what actually works, with one concrete example from your own work.",
            "carousel",
            "instagram",
            "Myth-busting posts about {pillar} are drawing 3× the usual saves this week.",
            {
                "pillar_relevance": 1.0,
                "outperformance": 0.86,
                "momentum": 0.0,
                "recency": 0.92,
                "cross_platform": 1.0,
                "model_confidence": 0.85,
            },
            (
                _SampleEvidence(
                    "instagram",
                    "sample.creator",
                    48_200,
                    "likes",
                    9,
                    "5 myths nobody tells you about {pillar} 🧵",
                ),
                _SampleEvidence(
                    "tiktok",
                    "demo.trends",
                    1_240_000,
                    "views",
                    20,
                    "POV: you finally understand {pillar}",
                ),
                _SampleEvidence(
                    "linkedin",
                    "Sample Strategist",
                    3_100,
                    "likes",
                    30,
                    "The biggest misconception about {pillar} in 2025",
                ),
            ),
        ),
        _Sample(
            "A 30-second “before and after” of {pillar}",
            "“Same budget, two approaches — here's the one that won.”",
            "Split-screen short video: the usual approach vs. yours, with the result "
            "on screen at the end. Film it in one take; captions carry the story.",
            "short video",
            "tiktok",
            "Before/after formats are trending on TikTok around {pillar}, and they travel "
            "to Reels within days.",
            {
                "pillar_relevance": 1.0,
                "outperformance": 0.94,
                "momentum": 0.6,
                "recency": 0.81,
                "cross_platform": 0.5,
                "model_confidence": 0.78,
            },
            (
                _SampleEvidence(
                    "tiktok",
                    "sample.studio",
                    862_000,
                    "views",
                    14,
                    "before vs after: {pillar} edition",
                ),
                _SampleEvidence(
                    "instagram",
                    "demo.reels",
                    22_400,
                    "likes",
                    26,
                    "We tried both. Here's what happened.",
                ),
            ),
        ),
        _Sample(
            f"What {brand} learned from 100 conversations about {{pillar}}",
            "“We asked 100 customers one question. The answers surprised us.”",
            "A text post with three numbered findings and one honest mistake; end "
            "with a question that invites replies.",
            "text post",
            "linkedin",
            "Founder-voice posts with data on {pillar} are outperforming polished "
            "announcements on LinkedIn this month.",
            {
                "pillar_relevance": 0.67,
                "outperformance": 0.62,
                "momentum": 0.0,
                "recency": 0.74,
                "cross_platform": 0.5,
                "model_confidence": 0.81,
            },
            (
                _SampleEvidence(
                    "linkedin",
                    "Demo Founder",
                    5_800,
                    "likes",
                    40,
                    "I talked to 100 customers. 3 lessons on {pillar}.",
                ),
                _SampleEvidence(
                    "youtube",
                    "SampleChannel",
                    310_000,
                    "views",
                    70,
                    "What 100 interviews taught us",
                ),
            ),
        ),
        _Sample(
            "Answer the top question about {pillar} in under a minute",
            "“The question we get most — answered in 45 seconds.”",
            "YouTube Short answering the most-asked question in comments, then pin "
            "the full answer as a comment with a link to a longer video.",
            "short video",
            "youtube",
            "Search interest in quick answers about {pillar} rose this week; Shorts "
            "that answer one question are being surfaced in search.",
            {
                "pillar_relevance": 1.0,
                "outperformance": 0.55,
                "momentum": 0.0,
                "recency": 0.66,
                "cross_platform": 0.0,
                "model_confidence": 0.72,
            },
            (
                _SampleEvidence(
                    "youtube",
                    "SampleExplains",
                    128_000,
                    "views",
                    50,
                    "{pillar} explained in 60 seconds",
                ),
            ),
        ),
        _Sample(
            "Ride this week's trending sound, with a twist on {pillar}",
            "“When someone says {pillar} is easy…”",
            "Use the trending sound for a relatable 7-second skit; keep the brand "
            "visible but secondary, and add a caption with the real tip.",
            "reel",
            "instagram",
            "The sound is in TikTok's top trends and just crossed to Reels — early "
            "posts get the most reach.",
            {
                "pillar_relevance": 0.5,
                "outperformance": 0.9,
                "momentum": 0.85,
                "recency": 1.0,
                "cross_platform": 1.0,
                "model_confidence": 0.6,
            },
            (
                _SampleEvidence(
                    "tiktok",
                    "sample.sound",
                    4_700_000,
                    "views",
                    5,
                    "Trending sound · 48K videos this week",
                ),
                _SampleEvidence(
                    "instagram", "demo.creator", 67_000, "likes", 11, "when someone says it's easy…"
                ),
                _SampleEvidence(
                    "youtube", "SampleShorts", 95_000, "views", 16, "The sound everyone is using"
                ),
            ),
        ),
    ]


def _sample_url(platform: str, topic: str) -> str:
    tag = "".join(ch for ch in topic.lower() if ch.isalnum()) or "marketing"
    return {
        "instagram": f"https://www.instagram.com/explore/tags/{quote(tag)}/",
        "tiktok": f"https://www.tiktok.com/tag/{quote(tag)}",
        "youtube": f"https://www.youtube.com/results?search_query={quote_plus(topic)}",
        "linkedin": f"https://www.linkedin.com/search/results/content/?keywords={quote_plus(topic)}",
    }[platform]


def brand_pillars(brand: Brand) -> list[str]:
    snapshot = current_snapshot(brand)
    pillars = [str(p) for p in (snapshot.data.get("pillars") or [])] if snapshot else []
    return [p for p in pillars if p.strip()] or FALLBACK_PILLARS


def sample_cards(brand: Brand, now: datetime) -> list[Card]:
    """The sample board for `brand`, ranked; the same brand always gets the same cards."""
    pillars = brand_pillars(brand)
    cards = []
    for rank, sample in enumerate(_samples(brand.name), start=1):
        pillar = pillars[(rank - 1) % len(pillars)]
        parts = score_parts(sample.parts)
        evidence = tuple(
            EvidenceView(
                platform=e.platform,
                platform_label=platform_label(e.platform),
                author=e.author if " " in e.author else f"@{e.author}",
                url=_sample_url(e.platform, pillar),
                metric=f"{compact_number(e.metric)} {e.metric_name}",
                age=_time_ago(now - timedelta(hours=e.hours_ago), now),
                excerpt=e.excerpt.replace("{pillar}", pillar),
                published_at=now - timedelta(hours=e.hours_ago),
            )
            for e in sample.evidence
        )
        cards.append(
            Card(
                key=f"sample-{rank}",
                rank=rank,
                title=sample.title.replace("{pillar}", pillar),
                hook=sample.hook.replace("{pillar}", pillar),
                angle=sample.angle,
                format=sample.format,
                platform=sample.platform,
                platform_label=platform_label(sample.platform),
                pillar=pillar,
                why_now=sample.why_now.replace("{pillar}", pillar),
                score=round(sum(p.points for p in parts)),
                parts=parts,
                evidence=evidence,
                sample=True,
            )
        )
    ranked = sorted(cards, key=lambda c: (-c.score, c.rank))
    return [replace(card, rank=rank) for rank, card in enumerate(ranked, start=1)]
