"""How numbers, platforms and signals read in words, on cards and in their reasons.

The signal sentences are stored on each opportunity when it is scored (so a board reads
the same later, whatever the run's medians were), and say where each figure comes from:
"TikTok post by @oatlife: 3.4× this creator's usual views" — not a bare score.
"""

from __future__ import annotations

from collections.abc import Sequence

from brands.models import Platform
from opportunities.outliers import Outlier, Post
from opportunities.trends import Momentum

MENTION_MULTIPLE = 1.5  # a post beating a baseline by less is not called out
AUDIENCE_WORD = {"youtube": "subscribers"}


def compact_number(value: float) -> str:
    """12_345 -> "12.3K", 2_000_000 -> "2M", 999 -> "999"."""
    value = float(value)
    for divisor, suffix in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K")):
        if abs(value) >= divisor * 0.9995:
            text = f"{value / divisor:.1f}".removesuffix(".0")
            return f"{text}{suffix}"
    return str(int(value))


def platform_label(platform: str) -> str:
    try:
        return str(Platform(platform).label)
    except ValueError:
        return platform.replace("_", " ").title()


def multiple(value: float) -> str:
    """3.44 -> "3.4×", 12.6 -> "13×", 0.18 -> "0.18×"."""
    if value < 1:
        return f"{value:.2f}".rstrip("0").rstrip(".") + "×"
    return f"{value:.1f}".removesuffix(".0") + "×" if value < 10 else f"{round(value)}×"


def listing(words: Sequence[str]) -> str:
    """["a"] -> "a"; ["a", "b", "c"] -> "a, b and c"."""
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def outlier_sentence(item: Post, outlier: Outlier) -> str:
    """ "TikTok post by @oatlife: 3.4× this creator's usual views, 5.1× the median TikTok
    post in this run (12K views)"; "" when the post beat none of its baselines. When it
    beat only the platform, the creator comparison still shows: a mega-account's
    ordinary post reads "views 0.2× the creator's 5M followers, 40× the median…"."""
    where = platform_label(item.platform)
    metric = outlier.metric
    creator, platform = outlier.creator_multiple, outlier.vs_platform_median
    if max(creator or 0.0, platform or 0.0) < MENTION_MULTIPLE:
        return ""
    claims = []
    if outlier.vs_creator_usual is not None:
        claims.append(
            f"{multiple(outlier.vs_creator_usual)} this creator's usual {metric} "
            f"(their other {outlier.creator_posts} posts here)"
        )
    elif outlier.vs_followers is not None:
        audience = AUDIENCE_WORD.get(item.platform, "followers")
        claims.append(
            f"{metric} {multiple(outlier.vs_followers)} the creator's "
            f"{compact_number(outlier.followers or 0)} {audience}"
        )
    if platform is not None:
        claims.append(
            f"{multiple(platform)} the median {where} post in this run "
            f"({compact_number(outlier.platform_median or 0)} {metric})"
        )
    handle = (item.author_handle or "").strip().lstrip("@")
    who = f"{where} post by @{handle}" if handle else f"{where} post"
    return f"{who}: {', '.join(claims)}"


def momentum_sentence(momentum: Momentum) -> str:
    """ "#oatmilk is #3 on TikTok Trends, up 8 places, new on the chart"."""
    place = f"is #{momentum.rank} on TikTok Trends" if momentum.rank else "is on TikTok Trends"
    details = []
    if momentum.rank_change:
        places = abs(momentum.rank_change)
        direction = "up" if momentum.rank_change > 0 else "down"
        details.append(f"{direction} {places} place{'s' if places != 1 else ''}")
    if momentum.is_new:
        details.append("new on the chart")
    return ", ".join([f"{momentum.name} {place}", *details])


def spread_sentence(platforms: Sequence[str], term_on: dict[str, str]) -> str:
    """ "On 3 platforms: TikTok, Instagram (#oatmilk) and YouTube (“oat milk foam”)"."""
    if len(platforms) <= 1:
        only = platform_label(platforms[0]) if platforms else "one platform"
        return f"Seen on {only} only in this run"
    shown = [
        f"{platform_label(p)} ({term_on[p]})" if term_on.get(p) else platform_label(p)
        for p in platforms
    ]
    return f"On {len(platforms)} platforms: {listing(shown)}"


def phrase_sentence(label: str, count: int) -> str:
    return f"Recurring topic: “{label}” in {count} posts this run"
