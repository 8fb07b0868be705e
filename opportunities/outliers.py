"""Creator-relative outliers: how far a post beat what its creator usually gets.

Raw views reward size: a mega-account always wins raw velocity. What an analyst trusts
is the multiple, so each post is compared three ways, when the data allows:

- against the creator's usual: the median of the same creator's other posts in this run
  (needs MIN_CREATOR_POSTS other posts) — "3.4× this creator's usual";
- against the creator's audience: views ÷ followers (or channel subscribers), when the
  item carries `metrics["followers"]` — "views 3.4× @x's 51K followers";
- against the platform: reach ÷ the median reach of this run's posts on the same
  platform (needs MIN_MEDIAN_SAMPLE posts) — "5.1× the median TikTok post in this run".

Reach is views, else likes (LinkedIn shows no views); followers are compared with views
only. `strength` (0..1) blends the creator-relative multiple (70 %) with the platform one
(30 %), each on a log scale: 1× counts 0, CREATOR_FULL_MULTIPLE× or PLATFORM_FULL_MULTIPLE×
count 1. Without any creator data the platform multiple stands alone.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median
from typing import Any, Protocol

MIN_MEDIAN_SAMPLE = 3
MIN_CREATOR_POSTS = 2  # other posts by the same creator, for "this creator's usual"
CREATOR_FULL_MULTIPLE = 8.0
PLATFORM_FULL_MULTIPLE = 16.0
CREATOR_SHARE = 0.7


class Post(Protocol):
    platform: str
    author_handle: str
    metrics: dict[str, Any]


@dataclass(frozen=True)
class Outlier:
    metric: str  # "views" or "likes"
    reach: int
    followers: int | None = None
    vs_followers: float | None = None
    creator_usual: float | None = None
    creator_posts: int = 0  # other posts by the creator behind `creator_usual`
    vs_creator_usual: float | None = None
    platform_median: float | None = None
    vs_platform_median: float | None = None

    @property
    def creator_multiple(self) -> float | None:
        """The creator-relative multiple: their usual when known, else their audience."""
        return self.vs_creator_usual if self.vs_creator_usual is not None else self.vs_followers

    @property
    def strength(self) -> float:
        creator = _scaled(self.creator_multiple, CREATOR_FULL_MULTIPLE)
        platform = _scaled(self.vs_platform_median, PLATFORM_FULL_MULTIPLE)
        if creator is not None and platform is not None:
            return round(CREATOR_SHARE * creator + (1 - CREATOR_SHARE) * platform, 4)
        return round(creator if creator is not None else (platform or 0.0), 4)


def _scaled(multiple: float | None, full: float) -> float | None:
    if multiple is None:
        return None
    if multiple <= 1.0:
        return 0.0
    return min(1.0, math.log(multiple) / math.log(full))


def _positive_int(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        return None
    return int(value)


def reach_of(metrics: dict[str, Any] | None) -> tuple[str, int] | None:
    for name in ("views", "likes"):
        if (number := _positive_int((metrics or {}).get(name))) is not None:
            return name, number
    return None


def followers_of(metrics: dict[str, Any] | None) -> int | None:
    return _positive_int((metrics or {}).get("followers"))


def find_outliers(items: Sequence[Post], posts: Sequence[int]) -> dict[int, Outlier]:
    """An `Outlier` for every post (index into `items`) that has a reach."""
    reaches = {i: r for i in posts if (r := reach_of(items[i].metrics)) is not None}
    by_platform: dict[tuple[str, str], list[int]] = defaultdict(list)
    by_creator: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for i, (metric, number) in reaches.items():
        by_platform[(items[i].platform, metric)].append(number)
        handle = (items[i].author_handle or "").strip().lower()
        if handle:
            by_creator[(items[i].platform, handle, metric)].append(i)
    medians = {
        key: float(median(values))
        for key, values in by_platform.items()
        if len(values) >= MIN_MEDIAN_SAMPLE
    }
    found: dict[int, Outlier] = {}
    for i, (metric, number) in reaches.items():
        item = items[i]
        followers = followers_of(item.metrics) if metric == "views" else None
        others = [
            reaches[j][1]
            for j in by_creator.get(
                (item.platform, (item.author_handle or "").strip().lower(), metric), []
            )
            if j != i
        ]
        usual = float(median(others)) if len(others) >= MIN_CREATOR_POSTS else None
        platform_median = medians.get((item.platform, metric))
        found[i] = Outlier(
            metric=metric,
            reach=number,
            followers=followers,
            vs_followers=_ratio(number, followers),
            creator_usual=usual,
            creator_posts=len(others) if usual is not None else 0,
            vs_creator_usual=_ratio(number, usual),
            platform_median=platform_median,
            vs_platform_median=_ratio(number, platform_median),
        )
    return found


def _ratio(number: int, base: float | None) -> float | None:
    return round(number / base, 2) if base else None
