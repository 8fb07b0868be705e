"""One normalizer per Apify actor, turning its dataset items into `NormalizedEvidence`.

Field names follow each actor's contract (`evidence/contracts.py`, sources in
docs/reference/apify.md §4 and §6.3). Items that carry an `error` key (e.g. `{"error": "no_items"}`)
are not posts: they are skipped and counted. Paid placements (TikTok `isAd`, Trends
`isPromoted`) are not evidence of what people choose to watch: they are dropped.
Duplicates across recipes (same platform + external id, else same URL) are merged,
keeping the richest value of every field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from evidence.dates import parse_published_at

# Engagement counts, then the signals analysis reads: `followers` (the creator's
# followers or the channel's subscribers: the base for "far above this creator's usual"),
# TikTok Trends `rank`, `rank_change` (signed: up is positive) and `is_new` (0/1), and
# `trending_sound_rank` on a video that uses a sound in this run's trending list.
METRIC_KEYS = (
    "views",
    "likes",
    "comments",
    "shares",
    "saves",
    "followers",
    "rank",
    "rank_change",
    "is_new",
    "trending_sound_rank",
)
_SIGNED_METRICS = {"rank_change"}
_HASHTAG_IN_TEXT = re.compile(r"#(\w+)", re.UNICODE)


@dataclass
class NormalizedEvidence:
    platform: str
    recipe_id: str
    kind: str
    external_id: str = ""
    url: str = ""
    author_handle: str = ""
    author_name: str = ""
    text: str = ""
    hashtags: list[str] = field(default_factory=list)
    published_at: datetime | None = None
    metrics: dict[str, int] = field(default_factory=dict)
    transcript: str = ""
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def dedup_key(self) -> tuple[str, str]:
        if self.external_id:
            return (self.platform, "id:" + self.external_id)
        return (self.platform, "url:" + self.url)

    def richness(self) -> int:
        """How much this item tells: filled fields, metrics and text length, for merging."""
        filled = sum(1 for f in fields(self) if getattr(self, f.name) not in ("", None, [], {}))
        return filled * 10_000 + len(self.metrics) * 1_000 + len(self.text) + len(self.transcript)


# --- small helpers --------------------------------------------------------------------------
def clean_url(value: object) -> str:
    """The URL if it is http(s) with a host, else "" (never javascript:, data:, …)."""
    if not isinstance(value, str):
        return ""
    url = value.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return ""
    return url


def clean_hashtags(values: Iterable[object]) -> list[str]:
    """Lower case, no `#`, no blanks, first occurrence kept."""
    seen: dict[str, None] = {}
    for value in values:
        name = value.get("name") if isinstance(value, dict) else value
        if not isinstance(name, str):
            continue
        tag = name.strip().lstrip("#").strip().lower()
        if tag:
            seen.setdefault(tag, None)
    return list(seen)


def hashtags_in(text: str) -> list[str]:
    return clean_hashtags(_HASHTAG_IN_TEXT.findall(text or ""))


def metrics_from(**values: object) -> dict[str, int]:
    """Keep the known metrics that are real non-negative numbers (IG sends -1 for hidden likes)."""
    metrics: dict[str, int] = {}
    for key in METRIC_KEYS:
        value = values.get(key)
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, bool) and key == "is_new":
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        if value < 0 and key not in _SIGNED_METRICS:
            continue
        metrics[key] = int(value)
    return metrics


def text_of(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def first_number(*values: object) -> object:
    return next((v for v in values if isinstance(v, int | float) and not isinstance(v, bool)), None)


def as_dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


# --- per-actor normalizers -----------------------------------------------------------------
def normalize_instagram_post(item: dict, recipe_id: str) -> NormalizedEvidence:
    """apify/instagram-hashtag-scraper, apify/instagram-search-scraper (post schema)."""
    short_code = text_of(item.get("shortCode"))
    is_reel = item.get("productType") == "clips" or item.get("type") == "Video"
    caption = text_of(item.get("caption"))
    url = clean_url(item.get("url")) or (
        f"https://www.instagram.com/p/{short_code}/" if short_code else ""
    )
    return NormalizedEvidence(
        platform="instagram",
        recipe_id=recipe_id,
        kind="reel" if is_reel else "post",
        external_id=short_code or str(item.get("id") or ""),
        url=url,
        author_handle=text_of(item.get("ownerUsername")),
        author_name=text_of(item.get("ownerFullName")),
        text=caption,
        hashtags=clean_hashtags(item.get("hashtags") or []) or hashtags_in(caption),
        published_at=parse_published_at(item.get("timestamp")),
        metrics=metrics_from(
            # Instagram shows plays as "views" on reels; videoViewCount is the older figure.
            views=first_number(item.get("videoPlayCount"), item.get("videoViewCount")),
            likes=item.get("likesCount"),
            comments=item.get("commentsCount"),
            shares=item.get("sharesCount"),
        ),
        transcript=transcript_text(item.get("transcript")),
        raw=item,
    )


def transcript_text(value: object) -> str:
    """A transcript as a string, or as segments (`[{"text": …}, …]` or strings): joined."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        parts = [text_of(part.get("text") if isinstance(part, dict) else part) for part in value]
        return " ".join(part for part in parts if part)
    if isinstance(value, dict):
        return transcript_text(value.get("text") or value.get("segments"))
    return ""


def normalize_instagram_reel(item: dict, recipe_id: str) -> NormalizedEvidence:
    """apify/instagram-reel-scraper: the post schema plus `transcript`; always a reel."""
    return replace(normalize_instagram_post(item, recipe_id), kind="reel")


def normalize_tiktok_video(item: dict, recipe_id: str) -> NormalizedEvidence | None:
    """clockworks/tiktok-scraper; ads (`isAd`) are dropped."""
    if item.get("isAd") is True:
        return None
    author = as_dict(item.get("authorMeta"))
    handle = text_of(author.get("name"))
    video_id = str(item.get("id") or "")
    text = text_of(item.get("text"))
    url = clean_url(item.get("webVideoUrl")) or (
        f"https://www.tiktok.com/@{handle}/video/{video_id}" if handle and video_id else ""
    )
    return NormalizedEvidence(
        platform="tiktok",
        recipe_id=recipe_id,
        kind="video",
        external_id=video_id,
        url=url,
        author_handle=handle,
        author_name=text_of(author.get("nickName")),
        text=text,
        hashtags=clean_hashtags(item.get("hashtags") or []) or hashtags_in(text),
        published_at=parse_published_at(item.get("createTimeISO"))
        or parse_published_at(item.get("createTime")),
        metrics=metrics_from(
            views=item.get("playCount"),
            likes=item.get("diggCount"),
            comments=item.get("commentCount"),
            shares=item.get("shareCount"),
            saves=item.get("collectCount"),
            followers=author.get("fans"),
        ),
        raw=item,
    )


def normalize_tiktok_trend(item: dict, recipe_id: str) -> NormalizedEvidence | None:
    """clockworks/tiktok-trends-scraper: mixed hashtag / sound / creator / video items.
    Rank, rank change and "new on the board" are kept as momentum signals; promoted
    (paid) entries are dropped."""
    if item.get("isPromoted") is True:
        return None
    trend_type = text_of(item.get("type")).lower() or "hashtag"
    if trend_type == "video" and (item.get("webVideoUrl") or item.get("authorMeta")):
        video = normalize_tiktok_video(item, recipe_id)
        return replace(video, kind="trend_video") if video else None
    name = text_of(item.get("name")) or text_of(item.get("title"))
    trend_id = str(item.get("id") or name)
    url = clean_url(item.get("url"))
    momentum = {
        "rank": item.get("rank"),
        "rank_change": item.get("rankDiff"),
        "is_new": item.get("markedAsNew"),
    }
    base = NormalizedEvidence(
        platform="tiktok",
        recipe_id=recipe_id,
        kind=f"trend_{trend_type}"
        if trend_type in {"hashtag", "sound", "creator", "video"}
        else "trend_hashtag",
        # Prefixed so a trend id never collides with a video id on the same platform.
        external_id=f"{trend_type}:{trend_id}" if trend_id else "",
        url=url,
        text=name,
        raw=item,
    )
    if trend_type == "hashtag":
        base.hashtags = clean_hashtags([name])
        base.metrics = metrics_from(views=item.get("viewCount"), **momentum)
    elif trend_type == "sound":
        base.author_handle = text_of(item.get("author"))
        base.metrics = metrics_from(**momentum)
    elif trend_type == "creator":
        # `name` is the display name; the handle is the /@… part of the profile URL.
        handle = url.split("/@", 1)[1].split("?")[0].strip("/").split("/")[0] if "/@" in url else ""
        base.author_handle = handle or name.lstrip("@")
        base.author_name = text_of(item.get("nickName")) or name
        base.metrics = metrics_from(
            likes=item.get("likedCount"), followers=item.get("followerCount"), **momentum
        )
    else:
        base.metrics = metrics_from(
            views=first_number(item.get("playCount"), item.get("viewCount")),
            likes=first_number(item.get("likeCount"), item.get("diggCount")),
            **momentum,
        )
    return base


def link_trending_sounds(items: list[NormalizedEvidence]) -> None:
    """Mark TikTok videos that use a sound on this run's trending list (`musicMeta`),
    with that sound's rank: a video riding a trending sound is a stronger signal."""
    ranks: dict[str, int] = {}
    for item in items:
        if item.kind == "trend_sound":
            rank = item.metrics.get("rank") or 0
            for key in (text_of(str(item.raw.get("id") or "")), item.text.lower()):
                if key:
                    ranks.setdefault(key, rank)
    if not ranks:
        return
    for item in items:
        if item.platform != "tiktok" or item.kind not in {"video", "trend_video"}:
            continue
        music = as_dict(item.raw.get("musicMeta"))
        keys = (text_of(str(music.get("musicId") or "")), text_of(music.get("musicName")).lower())
        matched = next((ranks[key] for key in keys if key and key in ranks), None)
        if matched is not None:
            item.metrics["trending_sound_rank"] = matched


def normalize_youtube_video(item: dict, recipe_id: str) -> NormalizedEvidence:
    """streamers/youtube-scraper."""
    title = text_of(item.get("title"))
    description = text_of(item.get("text"))
    video_id = text_of(item.get("id"))
    handle = text_of(item.get("channelUsername"))
    channel_url = text_of(item.get("channelUrl"))
    if not handle and "/@" in channel_url:
        handle = channel_url.rsplit("/@", 1)[1].strip("/")
    url = clean_url(item.get("url")) or (
        f"https://www.youtube.com/watch?v={video_id}" if video_id else ""
    )
    text = f"{title}\n\n{description}" if title and description else title or description
    return NormalizedEvidence(
        platform="youtube",
        recipe_id=recipe_id,
        kind="short" if item.get("type") == "shorts" else "video",
        external_id=video_id,
        url=url,
        author_handle=handle,
        author_name=text_of(item.get("channelName")),
        text=text,
        hashtags=clean_hashtags(item.get("hashtags") or []) or hashtags_in(text),
        published_at=parse_published_at(item.get("date")),
        metrics=metrics_from(
            views=item.get("viewCount"),
            likes=item.get("likes"),
            comments=item.get("commentsCount"),
            followers=item.get("numberOfSubscribers"),
        ),
        transcript=_youtube_subtitles(item.get("subtitles")),
        raw=item,
    )


def _youtube_subtitles(subtitles: object) -> str:
    """Plain text of the first subtitle track (`plaintext`, as Kairo requests it, or
    `srt`), without SRT numbering and timings."""
    if not isinstance(subtitles, list) or not subtitles:
        return ""
    track = as_dict(subtitles[0])
    srt = text_of(track.get("plaintext") or track.get("srt") or track.get("text"))
    lines = [
        line.strip()
        for line in srt.splitlines()
        if line.strip() and not line.strip().isdigit() and "-->" not in line
    ]
    return " ".join(lines)


def normalize_linkedin_post(item: dict, recipe_id: str) -> NormalizedEvidence:
    """harvestapi/linkedin-post-search."""
    author = as_dict(item.get("author"))
    posted = as_dict(item.get("postedAt"))
    engagement = as_dict(item.get("engagement"))
    content = text_of(item.get("content"))
    url = clean_url(item.get("linkedinUrl")) or clean_url(
        as_dict(item.get("socialContent")).get("shareUrl")
    )
    return NormalizedEvidence(
        platform="linkedin",
        recipe_id=recipe_id,
        kind="post",
        external_id=str(item.get("id") or ""),
        url=url,
        # Company authors have no publicIdentifier; their handle is universalName.
        author_handle=text_of(author.get("publicIdentifier"))
        or text_of(author.get("universalName")),
        author_name=text_of(author.get("name")),
        text=content,
        hashtags=hashtags_in(content),
        published_at=parse_published_at(posted.get("date"))
        or parse_published_at(posted.get("timestamp"))
        or parse_published_at(posted.get("postedAgoText")),
        metrics=metrics_from(
            likes=engagement.get("likes"),
            comments=engagement.get("comments"),
            shares=engagement.get("shares"),
        ),
        raw=item,
    )


Normalizer = Callable[[dict, str], "NormalizedEvidence | None"]

NORMALIZERS: dict[str, Normalizer] = {
    "apify/instagram-hashtag-scraper": normalize_instagram_post,
    "apify/instagram-search-scraper": normalize_instagram_post,
    "apify/instagram-reel-scraper": normalize_instagram_reel,
    "clockworks/tiktok-scraper": normalize_tiktok_video,
    "clockworks/tiktok-trends-scraper": normalize_tiktok_trend,
    "streamers/youtube-scraper": normalize_youtube_video,
    "harvestapi/linkedin-post-search": normalize_linkedin_post,
}


def normalize_items(
    actor_id: str, recipe_id: str, items: Iterable[object]
) -> tuple[list[NormalizedEvidence], int]:
    """(normalized items, number of `error` items skipped). Non-dict rows are dropped."""
    normalizer = NORMALIZERS[actor_id]
    normalized: list[NormalizedEvidence] = []
    skipped = 0
    for item in items:
        if not isinstance(item, dict):
            continue
        if "error" in item:
            skipped += 1
            continue
        evidence = normalizer(item, recipe_id)
        if evidence is not None and (evidence.external_id or evidence.url):
            normalized.append(evidence)
    return normalized, skipped


# --- de-duplication --------------------------------------------------------------------------
def deduplicate(items: Iterable[NormalizedEvidence]) -> list[NormalizedEvidence]:
    """Merge items with the same platform + external id; an item without an id merges
    with one of the same URL. First-seen order is kept."""
    merged: dict[tuple[str, str], NormalizedEvidence] = {}
    by_url: dict[tuple[str, str], tuple[str, str]] = {}
    for item in items:
        key = item.dedup_key
        url_key = (item.platform, item.url)
        if key not in merged and item.url and url_key in by_url:
            earlier = by_url[url_key]
            # URL decides only when one side has no external id (trend items share URLs).
            if not item.external_id or not merged[earlier].external_id:
                key = earlier
        merged[key] = merge(merged[key], item) if key in merged else item
        if item.url:
            by_url.setdefault(url_key, key)
    return list(merged.values())


def merge(first: NormalizedEvidence, second: NormalizedEvidence) -> NormalizedEvidence:
    """The richer item, with gaps filled from the other; metrics take the larger figure."""
    base, other = (first, second) if first.richness() >= second.richness() else (second, first)
    result = replace(base)
    for name in ("external_id", "url", "author_handle", "author_name", "published_at"):
        if not getattr(result, name):
            setattr(result, name, getattr(other, name))
    for name in ("text", "transcript"):
        if len(getattr(other, name)) > len(getattr(result, name)):
            setattr(result, name, getattr(other, name))
    result.hashtags = clean_hashtags([*base.hashtags, *other.hashtags])
    result.metrics = {
        key: max(v for v in (base.metrics.get(key), other.metrics.get(key)) if v is not None)
        for key in METRIC_KEYS
        if key in base.metrics or key in other.metrics
    }
    # The recipe that found it first keeps the credit; a reel stays a reel.
    result.recipe_id = first.recipe_id
    if "reel" in (base.kind, other.kind) and result.platform == "instagram":
        result.kind = "reel"
    return result
