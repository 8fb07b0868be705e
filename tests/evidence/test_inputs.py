"""Input builders read only the snapshot and send input each actor really accepts."""

from __future__ import annotations

import pytest

from evidence import inputs
from evidence.normalize import normalize_items
from evidence.recipes import DEFAULT_EXECUTION_PLAN, RECIPES
from tests.fakes.apify import fixture_items


def build(recipe_id: str, snapshot: dict) -> dict:
    spec = RECIPES[recipe_id]
    return spec.stage1_input_builder(snapshot, spec.stage1_result_limit)


def test_plan_and_registry():
    assert DEFAULT_EXECUTION_PLAN == ["IG-1", "IG-3", "TT-1", "TT-TRENDS", "YT-1", "LI-1"]
    assert {r: (s.stage1_actor, s.stage1_result_limit) for r, s in RECIPES.items()} == {
        "IG-1": ("apify/instagram-hashtag-scraper", 40),
        "IG-3": ("apify/instagram-search-scraper", 12),
        "TT-1": ("clockworks/tiktok-scraper", 24),
        "TT-TRENDS": ("clockworks/tiktok-trends-scraper", 40),
        "YT-1": ("streamers/youtube-scraper", 10),
        "LI-1": ("harvestapi/linkedin-post-search", 20),
    }
    stage2 = RECIPES["IG-1"].stage2
    assert (stage2.actor, stage2.result_limit) == ("apify/instagram-reel-scraper", 10)
    assert all(RECIPES[r].stage2 is None for r in DEFAULT_EXECUTION_PLAN if r != "IG-1")


def test_instagram_hashtag_input(snapshot):
    assert build("IG-1", snapshot) == {
        "hashtags": ["aisearch", "seo"],
        "resultsType": "posts",
        "resultsLimit": 20,
    }


def test_instagram_hashtags_fall_back_to_keywords(snapshot):
    snapshot["hashtags"] = []
    assert build("IG-1", snapshot)["hashtags"] == [
        "aisearch",
        "generativeengineoptimization",
        "brandvisibility",
        "llmseo",
    ]


def test_instagram_search_input_has_no_forbidden_characters(snapshot):
    snapshot["keywords"] = ["AI search!", "gen-AI (2026)", "#seo"]
    assert build("IG-3", snapshot) == {
        "search": "AI search, gen AI 2026, seo",
        "searchType": "popular",
        "searchLimit": 4,
    }


def test_tiktok_search_input(snapshot):
    run_input = build("TT-1", snapshot)
    assert run_input["searchQueries"] == [
        "ai search",
        "generative engine optimization",
        "brand visibility",
    ]
    assert run_input["resultsPerPage"] == 8  # per query: 3 x 8 = the recipe's 24
    assert run_input["searchSection"] == "/video"
    assert run_input["searchDatePosted"] == "3"  # the last month, not all-time top videos
    assert run_input["shouldDownloadVideos"] is False


def test_tiktok_trends_input_uses_snapshot_industries_and_country(snapshot):
    assert build("TT-TRENDS", snapshot) == {
        "adsScrapeHashtags": True,
        "adsScrapeSounds": True,
        "adsCountryCode": "GB",
        "adsSoundsCountryCode": "GB",
        "adsTimeRange": "7",
        "resultsPerPage": 20,
        "adsHashtagIndustry": "Business Services",
    }


def test_tiktok_trend_industries_picked_from_positioning_and_pillars(snapshot):
    del snapshot["tiktok_trend_industries"]
    snapshot["brand"].update(industry="", positioning="Skincare for sensitive skin")
    snapshot["pillars"] = ["Beauty routines", "Clean makeup"]
    assert inputs.trend_industries(snapshot) == ["Beauty & Personal Care"]
    # Unknown names from the snapshot are ignored rather than sent to the actor.
    snapshot["tiktok_trend_industries"] = ["Made Up Industry"]
    assert build("TT-TRENDS", snapshot)["adsHashtagIndustry"] == "Beauty & Personal Care"


def test_tiktok_trends_without_a_category_or_country(snapshot):
    snapshot["tiktok_trend_industries"] = []
    snapshot["brand"] = {"name": "Plain", "country": ""}
    snapshot["pillars"] = []
    run_input = build("TT-TRENDS", snapshot)
    assert "adsHashtagIndustry" not in run_input
    assert run_input["adsCountryCode"] == "US"


def test_youtube_search_input(snapshot):
    assert build("YT-1", snapshot) == {
        "searchQueries": ["ai search", "generative engine optimization", "brand visibility"],
        "maxResults": 4,
        "maxResultsShorts": 0,
        "maxResultStreams": 0,
        "sortingOrder": "relevance",
        "dateFilter": "month",
        "downloadSubtitles": True,
        "subtitlesLanguage": "en",
        "subtitlesFormat": "plaintext",
    }


@pytest.mark.parametrize("limit", [0, -3, 1, 20])
def test_linkedin_never_sends_max_posts_zero(snapshot, limit):
    run_input = inputs.linkedin_search_input(snapshot, limit)
    assert run_input["maxPosts"] >= 1
    assert set(run_input) == {"searchQueries", "maxPosts", "sortBy", "postedLimit"}
    assert run_input["sortBy"] in {"relevance", "date"}


def test_search_terms_fall_back_to_pillars_then_name(snapshot):
    snapshot["keywords"] = []
    assert build("YT-1", snapshot)["searchQueries"] == ["AI search visibility", "Content strategy"]
    snapshot["pillars"] = []
    assert build("YT-1", snapshot)["searchQueries"] == ["Goodie AI"]


def test_builders_raise_missing_input_when_nothing_to_search(snapshot):
    for key in ("keywords", "pillars", "hashtags"):
        snapshot[key] = []
    snapshot["brand"]["name"] = ""
    for recipe_id in ("IG-1", "IG-3", "TT-1", "YT-1", "LI-1"):
        with pytest.raises(inputs.MissingInput):
            build(recipe_id, snapshot)


def test_reel_stage_takes_the_ten_strongest_reels_with_transcripts(snapshot):
    stage1, _ = normalize_items(
        "apify/instagram-hashtag-scraper", "IG-1", fixture_items("apify/instagram-hashtag-scraper")
    )
    run_input = inputs.instagram_reel_transcripts_input(snapshot, stage1, 10)
    reels = [i for i in stage1 if inputs.is_video_post(i)]
    strongest = max(reels, key=lambda i: i.metrics.get("views", 0))
    assert run_input["includeTranscript"] is True
    assert run_input["resultsLimit"] == 1
    assert len(run_input["username"]) == 10
    # /reel/<shortCode>/ URLs of video posts only (never /p/, never an image or carousel).
    urls = {f"https://www.instagram.com/reel/{r.external_id}/": r for r in reels}
    assert set(run_input["username"]) <= set(urls)
    assert inputs.reel_url(strongest) in run_input["username"]
    chosen = [r for u, r in urls.items() if u in run_input["username"]]
    left_out = [r for u, r in urls.items() if u not in run_input["username"]]
    assert min(map(inputs.reel_strength, chosen)) >= max(map(inputs.reel_strength, left_out))


def test_reel_stage_skipped_without_reels(snapshot):
    assert inputs.instagram_reel_transcripts_input(snapshot, [], 10) is None


def test_hashtags_with_spaces_or_punctuation_are_cleaned(snapshot):
    snapshot["hashtags"] = ["#latte art", "café-culture", "ok!"]
    assert build("IG-1", snapshot)["hashtags"] == ["latteart", "caféculture", "ok"]


def test_unsupported_trends_country_falls_back_and_says_so(snapshot):
    snapshot["brand"]["country"] = "IS"  # Iceland: no Creative Center lists
    run_input = build("TT-TRENDS", snapshot)
    assert run_input["adsCountryCode"] == run_input["adsSoundsCountryCode"] == "US"
    assert inputs.tiktok_trends_notes(snapshot) == [
        "TikTok publishes no trend lists for IS: showing US trends."
    ]
    snapshot["brand"]["country"] = "DE"
    assert build("TT-TRENDS", snapshot)["adsCountryCode"] == "DE"
    assert inputs.tiktok_trends_notes(snapshot) == []


def test_youtube_subtitles_follow_the_brand_language(snapshot):
    snapshot["brand"]["language"] = "es"
    assert build("YT-1", snapshot)["subtitlesLanguage"] == "es"


def test_own_reels_need_a_valid_instagram_handle(snapshot):
    assert inputs.own_reels_input(snapshot, 5)["username"] == ["goodie.ai"]
    snapshot["handles"]["instagram"] = "https://evil.example/x"
    assert inputs.own_reels_input(snapshot, 5) is None
