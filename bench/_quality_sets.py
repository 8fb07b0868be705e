"""Evidence sets from three industries, and what a realistic but imperfect model writes
about each, for bench/quality.py. The data is bench/quality_sets.json.

Posts are generated from each industry's topics, creators and caption patterns with a
seeded random generator (the same every run): creators of very different sizes, a few
breakout posts, captions in two languages, TikTok Trends entries with rank, places
climbed and "new", one ad and one promoted entry. Each scripted draft names the idea it
is (`idea`: drafts with the same idea are duplicates in other words) and cites evidence
by selector — [platform, word]: the first post sent to the model on that platform whose
text has that word — or by a literal id the model made up.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from evidence.normalize import NormalizedEvidence

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
# Creators' audiences, as powers of ten: LinkedIn voices are smaller than TikTok's.
AUDIENCE = {"tiktok": (3, 6.5), "instagram": (3, 6), "youtube": (3, 6), "linkedin": (2.5, 4.5)}
KIND = {"tiktok": "video", "instagram": "reel", "youtube": "video", "linkedin": "post"}
RECIPE = {"tiktok": "TT-1", "instagram": "IG-1", "youtube": "YT-1", "linkedin": "LI-1"}
DATA = json.loads((Path(__file__).parent / "quality_sets.json").read_text())


@dataclass(frozen=True)
class Industry:
    name: str
    snapshot: dict[str, Any]
    topics: dict[str, dict[str, Any]]  # phrase -> {"hashtag", "platforms"}
    trends: list[list[Any]]  # [hashtag, rank, rank change, new]
    foreign: list[list[str]]  # [platform, language, caption]
    drafts: list[dict[str, Any]]


def industries() -> list[Industry]:
    return [
        Industry(
            name=row["name"],
            snapshot={
                "schema_version": 1,
                "brand": {**row["brand"], "country": "US"},
                "pillars": row["pillars"],
                "keywords": row["keywords"],
                "hashtags": [],
                "tone": "Warm, plain-spoken",
                "avoid": ["politics"],
                "prompt_context": f"Brand: {row['brand']['name']}, {row['brand']['industry']}.",
            },
            topics=row["topics"],
            trends=row["trends"],
            foreign=row["foreign"],
            drafts=row["drafts"],
        )
        for row in DATA["industries"]
    ]


def build_items(industry: Industry, seed: int) -> list[NormalizedEvidence]:
    rng = random.Random(seed)
    creators = {
        p: [(f"{p[:2]}_{n}", int(10 ** rng.uniform(*AUDIENCE[p]))) for n in range(6)]
        for p in AUDIENCE
    }
    items: list[NormalizedEvidence] = []
    for topic, about in industry.topics.items():
        for platform in about["platforms"]:
            for n in range(3):
                handle, followers = creators[platform][(n + len(topic)) % 6]
                pattern = rng.choice(DATA["captions"])
                caption = pattern.format(topic=topic, Topic=topic.capitalize())
                breakout = rng.random() < 0.15
                reach = followers * (rng.uniform(3, 9) if breakout else rng.uniform(0.05, 0.9))
                items.append(
                    _post(platform, handle, caption, about["hashtag"], reach, followers, rng)
                )
    for platform, language, caption in industry.foreign:
        handle, followers = creators[platform][0]
        items.append(
            _post(platform, f"{handle}_{language}", caption, "", followers * 0.4, followers, rng)
        )
    for n, caption in enumerate(DATA["noise"]):
        handle, followers = creators["tiktok"][n]
        items.append(_post("tiktok", handle, caption, "fyp", followers * 0.3, followers, rng))
    ad = _post(
        "tiktok", "brand_ads", f"Shop the {next(iter(industry.topics))} deal", "ad", 9e6, 1e5, rng
    )
    ad.raw = {"isAd": True}
    items.append(ad)
    items += [_trend(tag, rank, change, new) for tag, rank, change, new in industry.trends]
    promoted = _trend("sponsoredchallenge", 1, 0, True)
    promoted.raw = {"isPromoted": True}
    items.append(promoted)
    return items


def _post(platform, handle, caption, tag, reach, followers, rng) -> NormalizedEvidence:
    # LinkedIn shows likes only; elsewhere views and the creator's audience too.
    metrics = {"likes": max(1, int(reach * rng.uniform(0.02, 0.08)))}
    if platform != "linkedin":
        metrics |= {"views": int(reach), "followers": followers}
    return NormalizedEvidence(
        platform=platform,
        recipe_id=RECIPE[platform],
        kind=KIND[platform],
        external_id=f"{platform}-{handle}-{rng.randrange(10**9)}",
        url=f"https://example.com/{platform}/{handle}",
        author_handle=handle,
        text=f"{caption} #{tag}" if tag else caption,
        hashtags=[tag] if tag else [],
        published_at=NOW - timedelta(hours=rng.uniform(2, 120)),
        metrics=metrics,
    )


def _trend(tag: str, rank: int, change: int, new: bool) -> NormalizedEvidence:
    return NormalizedEvidence(
        platform="tiktok",
        recipe_id="TT-TRENDS",
        kind="trend_hashtag",
        external_id=f"hashtag:{tag}",
        url=f"https://www.tiktok.com/tag/{tag}",
        text=tag,
        hashtags=[tag],
        metrics={"views": 10**6, "rank": rank, "rank_change": change, "is_new": new},
    )
