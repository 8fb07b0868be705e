"""Every normalizer on its fixture file, field by field, plus error items and de-duplication."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from evidence.normalize import (
    NormalizedEvidence,
    clean_hashtags,
    clean_url,
    deduplicate,
    normalize_items,
)
from evidence.recipes import RECIPES
from tests.fakes.apify import fixture_items


def normalized(actor_id: str, recipe_id: str) -> tuple[list[NormalizedEvidence], int]:
    return normalize_items(actor_id, recipe_id, fixture_items(actor_id))


def test_instagram_hashtag_item_maps_every_field():
    items, skipped = normalized("apify/instagram-hashtag-scraper", "IG-1")
    raw = fixture_items("apify/instagram-hashtag-scraper")[0]
    assert (len(items), skipped) == (40, 0)
    first = items[0]
    assert first == NormalizedEvidence(
        platform="instagram",
        recipe_id="IG-1",
        kind="reel",
        external_id="DKbsDE3kGZo",
        url="https://www.instagram.com/p/DKbsDE3kGZo/",
        author_handle="growthwithmaya",
        author_name="Aimarketer Jo",
        text="How ChatGPT decides which brands to recommend #aisearch #contentmarketing #seo",
        hashtags=["aisearch", "contentmarketing", "seo"],
        published_at=datetime(2026, 11, 22, 14, 0, tzinfo=UTC),
        metrics={"views": 20306, "likes": 923, "comments": 22},
        transcript="",
        raw=raw,
    )
    # Images and carousels are posts without views; clips are reels.
    kinds = Counter(item.kind for item in items)
    raw_items = fixture_items("apify/instagram-hashtag-scraper")
    assert kinds["reel"] == sum(
        1 for r in raw_items if r["productType"] == "clips" or r["type"] == "Video"
    )
    image = next(i for i in items if i.raw["type"] == "Image")
    assert image.kind == "post" and "views" not in image.metrics


def test_instagram_search_skips_and_counts_the_error_item():
    items, skipped = normalized("apify/instagram-search-scraper", "IG-3")
    assert (len(items), skipped) == (20, 1)
    assert all(item.recipe_id == "IG-3" and item.platform == "instagram" for item in items)
    assert all("error" not in item.raw for item in items)


def test_instagram_reel_scraper_keeps_the_transcript():
    items, _ = normalized("apify/instagram-reel-scraper", "IG-1")
    assert len(items) == 10
    first = items[0]
    assert first.kind == "reel"
    assert first.external_id == "DxGLtGNaKK1"
    assert first.transcript == (
        "The new funnel: prompt -> answer -> brand. Here is what most people miss: "
        "schema markup still matters for ai search."
    )
    assert first.metrics == {"views": 5110, "likes": 146, "comments": 2}
    assert first.hashtags == ["contentmarketing", "geo", "generativeai"]
    assert all(item.transcript for item in items)


def test_tiktok_video_maps_every_field():
    items, skipped = normalized("clockworks/tiktok-scraper", "TT-1")
    raw = fixture_items("clockworks/tiktok-scraper")[0]
    assert (len(items), skipped) == (30, 0)
    assert items[0] == NormalizedEvidence(
        platform="tiktok",
        recipe_id="TT-1",
        kind="video",
        external_id="7548894253759881561",
        url="https://www.tiktok.com/@lena.writes/video/7548894253759881561",
        author_handle="lena.writes",
        author_name="Lena Writes",
        text="Schema markup still matters for AI search #geo #contentmarketing #generativeai",
        hashtags=["geo", "contentmarketing", "generativeai"],
        published_at=datetime(2026, 11, 15, 4, 0, tzinfo=UTC),
        metrics={
            "views": 70341,
            "likes": 8729,
            "comments": 319,
            "shares": 95,
            "saves": 1622,
            "followers": 748324,  # authorMeta.fans: the base for creator-relative outliers
        },
        raw=raw,
    )


def test_tiktok_epoch_seconds_used_when_iso_missing():
    raw = dict(fixture_items("clockworks/tiktok-scraper")[0])
    del raw["createTimeISO"]
    [item], _ = normalize_items("clockworks/tiktok-scraper", "TT-1", [raw])
    assert item.published_at == datetime(2026, 11, 15, 4, 0, tzinfo=UTC)


def test_tiktok_trends_keep_each_kind():
    items, skipped = normalized("clockworks/tiktok-trends-scraper", "TT-TRENDS")
    assert skipped == 0
    assert Counter(item.kind for item in items) == {
        "trend_hashtag": 20,
        "trend_sound": 10,
        "trend_creator": 10,
    }
    raw = fixture_items("clockworks/tiktok-trends-scraper")
    hashtag = items[0]
    assert hashtag == NormalizedEvidence(
        platform="tiktok",
        recipe_id="TT-TRENDS",
        kind="trend_hashtag",
        external_id="hashtag:1633533882547403",
        url="https://www.tiktok.com/tag/geo2026",
        text="geo2026",
        hashtags=["geo2026"],
        metrics={"views": 35883795, "rank": 1, "rank_change": 6, "is_new": 1},
        raw=raw[0],
    )
    sound = next(i for i in items if i.kind == "trend_sound")
    assert (sound.external_id, sound.text, sound.author_handle) == (
        "sound:7406330784761926534",
        "Espresso (sped up)",
        "aimarketer.jo",
    )
    assert sound.url == "https://www.tiktok.com/music/x"
    creator = next(i for i in items if i.kind == "trend_creator")
    assert (creator.external_id, creator.author_handle, creator.author_name, creator.metrics) == (
        "creator:293749677239417651",
        "brandnerd",
        "brandnerd",
        {"likes": 46704290, "followers": 6013320, "rank": 1},
    )
    assert all(item.published_at is None for item in items)


def test_tiktok_trend_video_items_are_trend_videos():
    video = dict(fixture_items("clockworks/tiktok-scraper")[0], type="video")
    [item], _ = normalize_items("clockworks/tiktok-trends-scraper", "TT-TRENDS", [video])
    assert item.kind == "trend_video"
    assert item.external_id == "7548894253759881561"
    assert item.metrics["views"] == 70341


def test_youtube_video_maps_every_field_and_relative_dates():
    items, skipped = normalized("streamers/youtube-scraper", "YT-1")
    raw = fixture_items("streamers/youtube-scraper")
    assert (len(items), skipped) == (20, 0)
    first = items[0]
    assert first.platform == "youtube"
    assert first.kind == "video"
    assert first.external_id == "n5OUp47ulVJ"
    assert first.url == "https://www.youtube.com/watch?v=n5OUp47ulVJ"
    assert (first.author_handle, first.author_name) == ("growthwithmaya", "Growthwithmaya")
    assert first.text == (
        "A day in the life of a GEO specialist\n\n"
        "Reddit threads are feeding AI answers about your brand\n\nChapters: 0:00 intro"
    )
    assert first.hashtags == ["geo", "aisearch"]
    assert first.metrics == {"views": 184, "likes": 4, "comments": 0, "followers": 1352989}
    assert first.raw == raw[0]
    # "7 days ago" is relative to now.
    assert abs(first.published_at - (datetime.now(UTC) - timedelta(days=7))) < timedelta(minutes=5)
    assert items[1].published_at == datetime(2026, 11, 16, 13, 0, tzinfo=UTC)
    assert items[4].kind == "short"
    assert all(item.published_at is not None for item in items)


def test_youtube_subtitles_become_the_transcript():
    raw = dict(fixture_items("streamers/youtube-scraper")[0])
    raw["subtitles"] = [
        {
            "type": "auto_generated",
            "language": "en",
            "srt": "1\n00:00:00,320 --> 00:00:02,000\nHello GEO\n\n2\n00:00:02,000 --> 00:00:03,000\nworld\n",
        }
    ]
    [item], _ = normalize_items("streamers/youtube-scraper", "YT-1", [raw])
    assert item.transcript == "Hello GEO world"


def test_linkedin_post_maps_every_field():
    items, skipped = normalized("harvestapi/linkedin-post-search", "LI-1")
    raw = fixture_items("harvestapi/linkedin-post-search")[0]
    assert (len(items), skipped) == (20, 0)
    assert items[0] == NormalizedEvidence(
        platform="linkedin",
        recipe_id="LI-1",
        kind="post",
        external_id="7395376582991982863",
        url="https://www.linkedin.com/posts/promptandprofit_contentmarketing-activity-7395376582991982863-Xy12",
        author_handle="promptandprofit",
        author_name="Promptandprofit",
        text=raw["content"],
        hashtags=["contentmarketing", "generativeai"],
        published_at=datetime(2026, 11, 19, 20, 0, tzinfo=UTC),
        metrics={"likes": 69, "comments": 5, "shares": 2},
        raw=raw,
    )


def test_linkedin_falls_back_to_epoch_milliseconds_then_relative_text():
    raw = fixture_items("harvestapi/linkedin-post-search")[0]
    no_date = dict(raw, postedAt={"timestamp": 1795118400000, "postedAgoText": "3 days ago"})
    only_text = dict(raw, postedAt={"postedAgoText": "3 days ago"})
    [by_ms], _ = normalize_items("harvestapi/linkedin-post-search", "LI-1", [no_date])
    [by_text], _ = normalize_items("harvestapi/linkedin-post-search", "LI-1", [only_text])
    assert by_ms.published_at == datetime(2026, 11, 19, 20, 0, tzinfo=UTC)
    assert abs(by_text.published_at - (datetime.now(UTC) - timedelta(days=3))) < timedelta(
        minutes=5
    )


def test_only_http_urls_survive():
    assert clean_url("https://www.tiktok.com/@a") == "https://www.tiktok.com/@a"
    assert clean_url("http://example.com/x") == "http://example.com/x"
    for bad in (
        "javascript:alert(1)",
        "data:text/html,hi",
        "ftp://x.com/a",
        "//x.com",
        "https://",
        None,
        42,
    ):
        assert clean_url(bad) == ""
    raw = dict(
        fixture_items("harvestapi/linkedin-post-search")[0],
        linkedinUrl="javascript:alert(1)",
        socialContent={"shareUrl": "data:text/html,x"},
    )
    [item], _ = normalize_items("harvestapi/linkedin-post-search", "LI-1", [raw])
    assert item.url == ""


def test_hashtags_are_lower_case_without_hash_and_unique():
    assert clean_hashtags(["#SEO", "seo", " #GenAI ", "", "#", {"name": "Geo"}, None]) == [
        "seo",
        "genai",
        "geo",
    ]


def test_every_error_item_is_skipped_and_counted():
    rows = [{"error": "no_items", "errorDescription": "Empty"}, {"error": None}, "junk", None]
    items, skipped = normalize_items("apify/instagram-search-scraper", "IG-3", rows)
    assert (items, skipped) == ([], 2)


def all_fixture_items() -> list[NormalizedEvidence]:
    everything: list[NormalizedEvidence] = []
    for spec in RECIPES.values():
        everything += normalized(spec.stage1_actor, spec.recipe_id)[0]
        if spec.stage2:
            everything += normalized(spec.stage2.actor, spec.recipe_id)[0]
    return everything


def test_deduplication_count_on_the_fixtures():
    items = all_fixture_items()
    assert len(items) == 40 + 20 + 10 + 30 + 40 + 20 + 20
    unique = deduplicate(items)
    # The two posts both Instagram recipes return are merged; trend items sharing a URL
    # but not an id stay apart.
    assert len(unique) == 178
    assert Counter(item.platform for item in unique) == {
        "instagram": 68,
        "tiktok": 70,
        "youtube": 20,
        "linkedin": 20,
    }
    for short_code in ("DKbsDE3kGZo", "DKkHnVm3uMG"):
        [merged] = [i for i in unique if i.external_id == short_code]
        assert merged.recipe_id == "IG-1"


def test_merge_keeps_the_richest_fields():
    bare = NormalizedEvidence(
        platform="instagram",
        recipe_id="IG-3",
        kind="post",
        external_id="ABC",
        text="short",
        metrics={"likes": 5, "comments": 9},
        hashtags=["seo"],
    )
    rich = NormalizedEvidence(
        platform="instagram",
        recipe_id="IG-1",
        kind="reel",
        external_id="ABC",
        url="https://www.instagram.com/p/ABC/",
        author_handle="maya",
        text="a much longer caption",
        metrics={"likes": 7, "views": 100},
        hashtags=["geo"],
        transcript="spoken words",
        published_at=datetime(2026, 11, 1, tzinfo=UTC),
    )
    [merged] = deduplicate([bare, rich])
    assert merged.recipe_id == "IG-3"  # first found keeps the credit
    assert merged.kind == "reel"
    assert merged.url == "https://www.instagram.com/p/ABC/"
    assert merged.author_handle == "maya"
    assert merged.text == "a much longer caption"
    assert merged.transcript == "spoken words"
    assert merged.metrics == {"views": 100, "likes": 7, "comments": 9}
    assert set(merged.hashtags) == {"seo", "geo"}
    assert merged.published_at == datetime(2026, 11, 1, tzinfo=UTC)


def test_items_without_id_merge_by_url():
    with_id = NormalizedEvidence(
        "youtube", "YT-1", "video", external_id="x1", url="https://youtu.be/x1"
    )
    without = NormalizedEvidence(
        "youtube", "YT-1", "video", url="https://youtu.be/x1", text="title"
    )
    other_platform = NormalizedEvidence("tiktok", "TT-1", "video", url="https://youtu.be/x1")
    merged = deduplicate([with_id, without, other_platform])
    assert len(merged) == 2
    assert merged[0].external_id == "x1" and merged[0].text == "title"


@pytest.mark.parametrize("actor_id", sorted({s.stage1_actor for s in RECIPES.values()}))
def test_every_item_has_an_id_or_url_and_aware_dates(actor_id):
    items, _ = normalize_items(actor_id, "X", fixture_items(actor_id))
    assert items
    for item in items:
        assert item.external_id or item.url
        assert item.published_at is None or item.published_at.utcoffset() == timedelta(0)
        assert all(tag == tag.lower() and not tag.startswith("#") for tag in item.hashtags)


def test_metrics_keep_only_real_counts():
    raw = dict(
        fixture_items("apify/instagram-hashtag-scraper")[0],
        likesCount=-1,
        commentsCount="17",
        videoPlayCount=None,
        videoViewCount=True,
    )
    [item], _ = normalize_items("apify/instagram-hashtag-scraper", "IG-1", [raw])
    assert item.metrics == {"comments": 17}


def test_tiktok_ads_and_promoted_trends_are_dropped():
    video = fixture_items("clockworks/tiktok-scraper")[0]
    assert normalize_items("clockworks/tiktok-scraper", "TT-1", [dict(video, isAd=True)])[0] == []
    hashtag = fixture_items("clockworks/tiktok-trends-scraper")[0]
    promoted = dict(hashtag, isPromoted=True)
    assert normalize_items("clockworks/tiktok-trends-scraper", "TT-TRENDS", [promoted])[0] == []


def test_trend_creator_handle_comes_from_the_profile_url():
    creator = {
        "type": "creator",
        "id": "1",
        "name": "Brand Nerd ✨",
        "url": "https://www.tiktok.com/@brand.nerd?lang=en",
        "followerCount": 10,
        "rank": 3,
        "rankDiff": -2,
        "markedAsNew": False,
    }
    [item], _ = normalize_items("clockworks/tiktok-trends-scraper", "TT-TRENDS", [creator])
    assert (item.author_handle, item.author_name) == ("brand.nerd", "Brand Nerd ✨")
    assert item.metrics == {"followers": 10, "rank": 3, "rank_change": -2, "is_new": 0}


@pytest.mark.parametrize(
    "transcript",
    [
        "schema still matters",
        [{"start": 0.0, "text": "schema"}, {"start": 1.2, "text": "still matters"}],
        ["schema", "still matters"],
        {"segments": [{"text": "schema still"}, {"text": "matters"}]},
    ],
)
def test_reel_transcripts_as_string_or_segments(transcript):
    reel = dict(fixture_items("apify/instagram-reel-scraper")[0], transcript=transcript)
    [item], _ = normalize_items("apify/instagram-reel-scraper", "IG-1", [reel])
    assert " ".join(item.transcript.split()) == "schema still matters"


def test_linkedin_company_authors_use_their_universal_name():
    post = dict(fixture_items("harvestapi/linkedin-post-search")[0])
    post["author"] = {
        "publicIdentifier": None,
        "universalName": "goodie-ai",
        "name": "Goodie AI",
        "type": "company",
    }
    [item], _ = normalize_items("harvestapi/linkedin-post-search", "LI-1", [post])
    assert (item.author_handle, item.author_name) == ("goodie-ai", "Goodie AI")


def test_youtube_plaintext_subtitles_are_read():
    video = dict(fixture_items("streamers/youtube-scraper")[0])
    video["subtitles"] = [{"language": "en", "type": "auto_generated", "plaintext": "hello there"}]
    [item], _ = normalize_items("streamers/youtube-scraper", "YT-1", [video])
    assert item.transcript == "hello there"


def test_videos_using_a_trending_sound_are_linked_to_it():
    from evidence.normalize import link_trending_sounds

    sound = {"type": "sound", "id": "777", "name": "Espresso (sped up)", "rank": 4}
    video = dict(fixture_items("clockworks/tiktok-scraper")[0])
    video["musicMeta"] = {"musicId": "777", "musicName": "Espresso (sped up)"}
    other = dict(fixture_items("clockworks/tiktok-scraper")[1])
    other["musicMeta"] = {"musicId": "1", "musicName": "original sound"}
    items = [
        *normalize_items("clockworks/tiktok-trends-scraper", "TT-TRENDS", [sound])[0],
        *normalize_items("clockworks/tiktok-scraper", "TT-1", [video, other])[0],
    ]
    link_trending_sounds(items)
    assert items[1].metrics["trending_sound_rank"] == 4
    assert "trending_sound_rank" not in items[2].metrics
