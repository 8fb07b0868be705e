"""Actor input builders. They read only the BrandBrain snapshot dict (docs/architecture.md)
and produce each actor's documented input field names (docs/reference/apify.md §4).

Each stage-1 builder is `(snapshot, result_limit) -> dict`; it raises `MissingInput`
when the snapshot gives it nothing to search for, which the collector reports as a
recipe failure with a pointer to BrandBrain rather than a pointless paid run.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from brands.industries import CREATIVE_CENTER_INDUSTRIES
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


def hashtag_terms(snapshot: dict, limit: int = MAX_HASHTAGS) -> list[str]:
    """The brand's hashtags, else its keywords squeezed into hashtag form."""
    tags = [t.lstrip("#").lower() for t in _strings(snapshot.get("hashtags"))]
    if not tags:
        tags = [re.sub(r"[^\w]", "", k).lower() for k in _strings(snapshot.get("keywords"))]
    unique = [t for t in dict.fromkeys(tags) if t][:limit]
    if not unique:
        raise MissingInput("Add hashtags or keywords in BrandBrain to search Instagram.")
    return unique


def country_code(snapshot: dict) -> str:
    country = _brand(snapshot).get("country")
    if isinstance(country, str) and re.fullmatch(r"[A-Za-z]{2}", country.strip()):
        return country.strip().upper()
    return DEFAULT_COUNTRY


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
        "shouldDownloadVideos": False,
        "shouldDownloadCovers": False,
        "shouldDownloadSubtitles": False,
        "shouldDownloadSlideshowImages": False,
        "shouldDownloadAvatars": False,
        "shouldDownloadMusicCovers": False,
    }


def tiktok_trends_input(snapshot: dict, result_limit: int) -> dict:
    country = country_code(snapshot)
    lists = ("adsScrapeHashtags", "adsScrapeSounds", "adsScrapeCreators", "adsScrapeVideos")
    run_input: dict = {name: True for name in lists}
    run_input.update(
        {
            "adsCountryCode": country,
            "adsSoundsCountryCode": country,
            "adsCreatorsCountryCode": country,
            "adsVideosCountryCode": country,
            "adsTimeRange": "7",
            "resultsPerPage": per_term(result_limit, lists),
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
    }


def linkedin_search_input(snapshot: dict, result_limit: int) -> dict:
    terms = search_terms(snapshot)
    # maxPosts 0 means "all posts" to this actor: never send it.
    return {
        "searchQueries": terms,
        "maxPosts": max(1, result_limit),
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


def instagram_reel_transcripts_input(
    snapshot: dict, stage1_items: Sequence[NormalizedEvidence], result_limit: int
) -> dict | None:
    """The strongest reels of stage 1, fetched again with transcripts; None if there are none."""
    reels = [i for i in stage1_items if i.kind == "reel" and i.url]
    strongest = sorted(reels, key=reel_strength, reverse=True)[:result_limit]
    if not strongest:
        return None
    return {
        "username": [reel.url for reel in strongest],
        "resultsLimit": 1,
        "includeTranscript": True,
        "includeSharesCount": False,
        "includeDownloadedVideo": False,
    }
