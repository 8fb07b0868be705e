"""Actor input builders. They read only the BrandBrain snapshot dict (docs/architecture.md)
and produce inputs each actor really accepts (`evidence/contracts.py`, which names the
source of every rule): limits that count per term are split across the terms, enum
values the actor supports, and nothing it would silently ignore.

Each stage-1 builder is `(snapshot, result_limit) -> dict`; it raises `MissingInput`
when the snapshot gives it nothing to search for, which the collector reports as a
recipe failure with a pointer to BrandBrain rather than a pointless paid run.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from brands.industries import CREATIVE_CENTER_INDUSTRIES
from evidence.contracts import TIKTOK_TREND_COUNTRIES
from evidence.normalize import NormalizedEvidence

MAX_SEARCH_TERMS = 3
MAX_HASHTAGS = 4
DEFAULT_COUNTRY = "US"

# TikTok Creative Center hashtag industries (`adsHashtagIndustry` values), one list for
# onboarding's mapping and this recipe.
TIKTOK_TREND_INDUSTRIES = CREATIVE_CENTER_INDUSTRIES
# Words in the brand's industry/positioning/pillars that point at an industry, for
# snapshots that carry no `tiktok_trend_industries`.
_INDUSTRY_HINTS: dict[str, tuple[str, ...]] = {
    "Tech & Electronics": ("software", "saas", "tech", "ai", "app", "electronic", "data", "cloud"),
    "Business Services": ("marketing", "b2b", "agency", "consult", "seo", "sales", "brand"),
    "Financial Services": ("finance", "fintech", "bank", "invest", "insurance", "crypto"),
    "Beauty & Personal Care": ("beauty", "skincare", "cosmetic", "makeup", "hair"),
    "Apparel & Accessories": ("fashion", "apparel", "clothing", "jewel", "shoe"),
    "Food & Beverage": ("food", "beverage", "restaurant", "coffee", "drink", "snack"),
    "Education": ("education", "learning", "course", "school", "edtech", "training"),
    "Games": ("game", "gaming", "esport"),
    "Travel": ("travel", "hotel", "tourism", "airline"),
    "Sports & Outdoor": ("sport", "fitness", "outdoor", "gym"),
    "Pets": ("pet", "dog", "cat"),
    "Household Products": ("home", "household", "furniture", "kitchen"),
    "Vehicle & Transportation": ("car", "vehicle", "automotive", "mobility"),
    "Baby, Kids & Maternity": ("baby", "kids", "parent", "maternity"),
    "Life Services": ("health", "wellness", "service", "real estate"),
    "News & Entertainment": ("media", "news", "entertainment", "music", "film"),
}
# instagram-search-scraper rejects these characters in `search`.
_SEARCH_FORBIDDEN = re.compile(r"""[!?.,:;\-+=*&%$#@/\\~^|<>()\[\]{}"'`]""")


class MissingInput(ValueError):
    """The snapshot has nothing this recipe can search for."""


def _strings(values: object) -> list[str]:
    if not isinstance(values, list | tuple):
        return []
    return [v.strip() for v in values if isinstance(v, str) and v.strip()]


def _brand(snapshot: dict) -> dict:
    brand = snapshot.get("brand")
    return brand if isinstance(brand, dict) else {}


def search_terms(snapshot: dict, limit: int = MAX_SEARCH_TERMS) -> list[str]:
    """The brand's keywords, else its pillars, else its name."""
    terms = _strings(snapshot.get("keywords")) or _strings(snapshot.get("pillars"))
    if not terms and isinstance(_brand(snapshot).get("name"), str):
        terms = _strings([_brand(snapshot)["name"]])
    unique = list(dict.fromkeys(terms))[:limit]
    if not unique:
        raise MissingInput("Add keywords in BrandBrain so Kairo knows what to search for.")
    return unique


def as_hashtag(text: str) -> str:
    """`\\w+` only: Instagram matches nothing for a hashtag with a space or punctuation."""
    return re.sub(r"[^\w]", "", text).lower()


def hashtag_terms(snapshot: dict, limit: int = MAX_HASHTAGS) -> list[str]:
    """The brand's hashtags, else its keywords squeezed into hashtag form."""
    tags = [as_hashtag(t) for t in _strings(snapshot.get("hashtags"))]
    if not tags:
        tags = [as_hashtag(k) for k in _strings(snapshot.get("keywords"))]
    unique = [t for t in dict.fromkeys(tags) if t][:limit]
    if not unique:
        raise MissingInput("Add hashtags or keywords in BrandBrain to search Instagram.")
    return unique


def country_code(snapshot: dict) -> str:
    country = _brand(snapshot).get("country")
    if isinstance(country, str) and re.fullmatch(r"[A-Za-z]{2}", country.strip()):
        return country.strip().upper()
    return DEFAULT_COUNTRY


def trends_country(snapshot: dict) -> str:
    """The brand's country where TikTok publishes trend lists for it, else the US list."""
    country = country_code(snapshot)
    return country if country in TIKTOK_TREND_COUNTRIES else DEFAULT_COUNTRY


def tiktok_trends_notes(snapshot: dict) -> list[str]:
    """What the run should tell the user about how its input differs from the brand."""
    country = country_code(snapshot)
    if country != trends_country(snapshot):
        return [f"TikTok publishes no trend lists for {country}: showing {DEFAULT_COUNTRY} trends."]
    return []


def content_language(snapshot: dict) -> str:
    language = _brand(snapshot).get("language")
    if isinstance(language, str) and re.fullmatch(r"[A-Za-z]{2}", language.strip()):
        return language.strip().lower()
    return "en"


def trend_industries(snapshot: dict) -> list[str]:
    """`tiktok_trend_industries` from the snapshot, else picked from industry/positioning/pillars."""
    chosen = [
        i for i in _strings(snapshot.get("tiktok_trend_industries")) if i in TIKTOK_TREND_INDUSTRIES
    ]
    if chosen:
        return chosen
    brand = _brand(snapshot)
    words = " ".join(
        [str(brand.get("industry") or ""), str(brand.get("positioning") or "")]
        + _strings(snapshot.get("pillars"))
    ).lower()
    tokens = set(re.findall(r"[a-z]+", words))
    scores = {
        industry: sum(1 for hint in hints if hint in tokens or (" " in hint and hint in words))
        for industry, hints in _INDUSTRY_HINTS.items()
    }
    best = sorted((s, i) for i, s in scores.items() if s > 0)
    return [industry for _, industry in reversed(best)][:2]


def per_term(total: int, terms: Sequence[str]) -> int:
    return max(1, math.ceil(total / max(1, len(terms))))


# --- stage 1 builders ------------------------------------------------------------------------
def instagram_hashtag_input(snapshot: dict, result_limit: int) -> dict:
    tags = hashtag_terms(snapshot)
    return {"hashtags": tags, "resultsType": "posts", "resultsLimit": per_term(result_limit, tags)}


def instagram_search_input(snapshot: dict, result_limit: int) -> dict:
    terms = [_SEARCH_FORBIDDEN.sub(" ", t) for t in search_terms(snapshot)]
    terms = [" ".join(t.split()) for t in terms if t.strip()]
    if not terms:
        raise MissingInput("Add plain-word keywords in BrandBrain to search Instagram.")
    return {
        "search": ", ".join(terms),
        "searchType": "popular",
        "searchLimit": min(250, per_term(result_limit, terms)),
    }


def tiktok_search_input(snapshot: dict, result_limit: int) -> dict:
    terms = search_terms(snapshot)
    return {
        "searchQueries": terms,
        "resultsPerPage": per_term(result_limit, terms),
        "searchSection": "/video",
        # Without a date filter TikTok returns all-time top videos: keep the last month.
        "searchDatePosted": "3",
        "shouldDownloadVideos": False,
        "shouldDownloadCovers": False,
        "shouldDownloadSubtitles": False,
        "shouldDownloadSlideshowImages": False,
        "shouldDownloadAvatars": False,
        "shouldDownloadMusicCovers": False,
    }


# Which Creative Center lists we ask for. `adsHashtagIndustry` filters hashtags only;
# creators and videos are country-wide top lists unrelated to the brand (and exist for
# few countries), so they are not fetched. Sounds are platform-wide too, but a trending
# sound is something a brand can use in any reel or TikTok, and videos in this run that
# use one are linked to it (normalize.link_trending_sounds): they are kept, fewer of them.
TREND_LISTS = ("adsScrapeHashtags", "adsScrapeSounds")


def tiktok_trends_input(snapshot: dict, result_limit: int) -> dict:
    country = trends_country(snapshot)
    run_input: dict = {name: True for name in TREND_LISTS}
    run_input.update(
        {
            "adsCountryCode": country,
            "adsSoundsCountryCode": country,
            "adsTimeRange": "7",
            "resultsPerPage": per_term(result_limit, TREND_LISTS),
        }
    )
    industries = trend_industries(snapshot)
    if industries:
        # The actor takes one hashtag industry; the snapshot lists the best first.
        run_input["adsHashtagIndustry"] = industries[0]
    return run_input


def youtube_search_input(snapshot: dict, result_limit: int) -> dict:
    terms = search_terms(snapshot)
    return {
        "searchQueries": terms,
        "maxResults": per_term(result_limit, terms),
        "maxResultsShorts": 0,
        "maxResultStreams": 0,
        "sortingOrder": "relevance",
        "dateFilter": "month",
        # Subtitles come only when asked for; plain text is what we read as the transcript.
        "downloadSubtitles": True,
        "subtitlesLanguage": content_language(snapshot),
        "subtitlesFormat": "plaintext",
    }


def linkedin_search_input(snapshot: dict, result_limit: int) -> dict:
    terms = search_terms(snapshot)
    # maxPosts counts per query, and 0 means "all posts" to this actor: never send it.
    return {
        "searchQueries": terms,
        "maxPosts": per_term(result_limit, terms),
        "sortBy": "date",
        "postedLimit": "month",
    }


# --- stage 2 builders ------------------------------------------------------------------------
def reel_strength(item: NormalizedEvidence) -> int:
    """Views, plus engagement weighted as a stronger signal than a passive view."""
    metrics = item.metrics
    return metrics.get("views", 0) + 10 * (
        metrics.get("likes", 0) + 2 * metrics.get("comments", 0) + 3 * metrics.get("shares", 0)
    )


def reel_url(item: NormalizedEvidence) -> str:
    """The `/reel/<shortCode>/` form every public single-reel example uses."""
    return f"https://www.instagram.com/reel/{item.external_id}/" if item.external_id else ""


def is_video_post(item: NormalizedEvidence) -> bool:
    raw = item.raw or {}
    return item.kind == "reel" and (raw.get("type") == "Video" or raw.get("productType") == "clips")


def strongest_reels(
    stage1_items: Sequence[NormalizedEvidence],
    limit: int,
    exclude: set[str] | frozenset[str] = frozenset(),
) -> list[str]:
    """`/reel/` URLs of the strongest video posts, skipping those already asked for."""
    reels = [i for i in stage1_items if is_video_post(i) and i.external_id]
    urls = [reel_url(r) for r in sorted(reels, key=reel_strength, reverse=True)]
    return [url for url in dict.fromkeys(urls) if url not in exclude][:limit]


def reel_transcripts_input(reel_urls: Sequence[str]) -> dict:
    return {
        "username": list(reel_urls),
        "resultsLimit": 1,
        "includeTranscript": True,
        "includeSharesCount": False,
        "includeDownloadedVideo": False,
    }


def own_reels_input(snapshot: dict, result_limit: int) -> dict | None:
    """The brand's own latest reels with transcripts, when it gave an Instagram handle."""
    handles = snapshot.get("handles")
    handle = handles.get("instagram") if isinstance(handles, dict) else None
    if not isinstance(handle, str) or not re.fullmatch(r"[\w.]{1,30}", handle.lstrip("@")):
        return None
    return {**reel_transcripts_input([handle.lstrip("@")]), "resultsLimit": result_limit}


def instagram_reel_transcripts_input(
    snapshot: dict, stage1_items: Sequence[NormalizedEvidence], result_limit: int
) -> dict | None:
    """The strongest video posts of stage 1, fetched again with transcripts; None if none."""
    urls = strongest_reels(stage1_items, result_limit)
    return reel_transcripts_input(urls) if urls else None
