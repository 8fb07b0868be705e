"""The collector against the Apify double, through the real apify-client."""

from __future__ import annotations

import time

import pytest

from evidence.collect import collect_evidence
from evidence.failures import INVALID_TOKEN_MESSAGE
from evidence.recipes import DEFAULT_EXECUTION_PLAN
from tests.fakes.apify import VALID_TOKEN, fixture_items

pytestmark = pytest.mark.usefixtures("fast_apify")


def test_whole_plan_collects_normalizes_and_deduplicates(fake_apify, snapshot):
    finished = []
    result = collect_evidence(snapshot, VALID_TOKEN, on_progress=finished.append)

    assert sorted(o.recipe_id for o in finished) == sorted(DEFAULT_EXECUTION_PLAN)
    assert list(result.outcomes) == DEFAULT_EXECUTION_PLAN
    assert {r: o.status for r, o in result.outcomes.items()} == dict.fromkeys(
        DEFAULT_EXECUTION_PLAN, "succeeded"
    )
    assert {r: o.item_count for r, o in result.outcomes.items()} == {
        "IG-1": 45,  # 40 posts, and 5 of the brand's own reels
        "IG-3": 12,
        "TT-1": 24,
        "TT-TRENDS": 30,  # hashtags and sounds only: the fixture has 20 + 10
        "YT-1": 10,
        "LI-1": 20,
    }
    assert len(result.items) == 141  # two Instagram posts found by both recipes
    assert result.skipped_error_items == 0  # the fixture's error item is past the limit
    assert result.invalid_token is False
    # Every actor got its documented input from the snapshot.
    assert fake_apify.input_for("apify/instagram-hashtag-scraper")["hashtags"] == [
        "aisearch",
        "seo",
    ]
    assert fake_apify.input_for("clockworks/tiktok-trends-scraper")["adsCountryCode"] == "GB"
    # 7 per query x 3 queries: 21 asked, capped at 20 by max_items.
    assert fake_apify.input_for("harvestapi/linkedin-post-search")["maxPosts"] == 7
    reel_inputs = fake_apify.inputs["apify/instagram-reel-scraper"]
    assert [r["includeTranscript"] for r in reel_inputs] == [True, True]
    own, niche = sorted(reel_inputs, key=lambda r: len(r["username"]))
    assert own == {**own, "username": ["goodie.ai"], "resultsLimit": 5}
    assert len(niche["username"]) == 5
    assert all("/reel/" in url for url in niche["username"])
    # Runs started with a bounded timeout and a cap on what they may bill for.
    starts = [r for r in fake_apify.requests if r.method == "POST" and r.path.endswith("/runs")]
    assert len(starts) == 8
    assert all(r.param("timeout") == "300" and r.param("maxItems") for r in starts)
    assert fake_apify.ignored_keys == dict.fromkeys(fake_apify.inputs, [])


def test_cost_is_read_again_after_the_run_settles_and_summed(fake_apify, snapshot):
    fake_apify.usage_usd.update(
        {"streamers/youtube-scraper": 0.06, "harvestapi/linkedin-post-search": 0.04}
    )
    result = collect_evidence(snapshot, VALID_TOKEN, plan=["YT-1", "LI-1"])
    # The first read of a finished run shows $0 in the double; only a second read is final.
    assert result.outcomes["YT-1"].cost_usd == 0.06
    assert result.outcomes["LI-1"].cost_usd == 0.04
    assert result.cost_usd == pytest.approx(0.10)


def test_ig1_stage2_adds_transcripts_to_the_strongest_reels(fake_apify, snapshot):
    hashtag_items = fixture_items("apify/instagram-hashtag-scraper")
    reels = [
        dict(i, transcript=f"words of {i['shortCode']}")
        for i in hashtag_items
        if i["productType"] == "clips"
    ]
    fake_apify.set_items("apify/instagram-reel-scraper", reels[:10])
    result = collect_evidence(snapshot, VALID_TOKEN, plan=["IG-1"])
    outcome = result.outcomes["IG-1"]
    assert (outcome.status, outcome.item_count) == ("succeeded", 40)
    with_transcript = [i for i in result.items if i.transcript]
    assert len(with_transcript) == 10  # 5 of the brand's own reels, 5 of the strongest posts
    assert (outcome.transcripts, outcome.transcripts_asked) == (10, 10)
    assert all(i.kind == "reel" and i.recipe_id == "IG-1" for i in with_transcript)


def test_stage2_failure_keeps_stage1_evidence(fake_apify, snapshot):
    fake_apify.fail("apify/instagram-reel-scraper", 402)
    outcome = collect_evidence(snapshot, VALID_TOKEN, plan=["IG-1"]).outcomes["IG-1"]
    assert (outcome.status, outcome.item_count) == ("succeeded", 40)
    assert outcome.error_code == ""
    assert outcome.notes[0].startswith("Reel transcripts are missing this time")


@pytest.mark.parametrize(
    ("status", "error_type", "code", "message"),
    [
        (402, "not-enough-usage-to-run-paid-actor", "no_credit", "out of credit"),
        (403, "platform-feature-disabled", "usage_limit", "monthly usage limit"),
        (
            403,
            "actor-is-not-rented",
            "actor_unavailable",
            "isn't available to your Apify account (streamers/youtube-scraper)",
        ),
        (404, "record-not-found", "actor_unavailable", "Open it in Apify Store"),
        (
            400,
            "invalid-input",
            "invalid_input",
            "Apify refused the search Kairo asked for. Check the keywords and hashtags in "
            "BrandBrain. Apify said: “Input is not valid",
        ),
        (429, "rate-limit-exceeded", "rate_limited", "Apify is rate-limiting your account"),
        (402, "actor-memory-limit-exceeded", "account_busy", "can't run all of Kairo's scrapers"),
        (500, "internal-server-error", "unavailable", "Apify is having trouble right now"),
        (503, "service-unavailable", "unavailable", "Apify is having trouble right now"),
        (401, "user-or-token-not-found", "invalid_key", INVALID_TOKEN_MESSAGE),
    ],
)
def test_api_failures_are_classified_with_a_message(
    fake_apify, snapshot, status, error_type, code, message
):
    fake_apify.fail("streamers/youtube-scraper", status, error_type)
    outcome = collect_evidence(snapshot, VALID_TOKEN, plan=["YT-1"]).outcomes["YT-1"]
    assert (outcome.status, outcome.error_code, outcome.item_count) == ("failed", code, 0)
    assert message in outcome.message


def test_transient_429_is_retried_by_the_client(fake_apify, snapshot):
    fake_apify.fail("streamers/youtube-scraper", 429, times=1)
    outcome = collect_evidence(snapshot, VALID_TOKEN, plan=["YT-1"]).outcomes["YT-1"]
    assert (outcome.status, outcome.item_count) == ("succeeded", 10)
    starts = [r for r in fake_apify.requests if r.method == "POST"]
    assert len(starts) == 2


def test_retries_are_bounded(fake_apify, snapshot):
    fake_apify.fail("streamers/youtube-scraper", 503)
    collect_evidence(snapshot, VALID_TOKEN, plan=["YT-1"])
    assert len([r for r in fake_apify.requests if r.method == "POST"]) == 3  # 1 + 2 retries


@pytest.mark.parametrize(
    ("final_status", "code", "message"),
    [
        ("FAILED", "run_failed", "Its scraper run failed on Apify"),
        ("ABORTED", "run_failed", "Its scraper run was aborted on Apify"),
        ("TIMED-OUT", "run_timed_out", "Its scraper took too long and was stopped."),
    ],
)
def test_runs_that_end_badly(fake_apify, snapshot, final_status, code, message):
    fake_apify.finish_as("harvestapi/linkedin-post-search", final_status)
    fake_apify.usage_usd["harvestapi/linkedin-post-search"] = 0.01
    outcome = collect_evidence(snapshot, VALID_TOKEN, plan=["LI-1"]).outcomes["LI-1"]
    assert (outcome.status, outcome.error_code) == ("failed", code)
    assert outcome.message.startswith(message)
    assert outcome.cost_usd == 0.01  # a failed run still cost money


def test_unreachable_apify_is_a_provider_error(settings, snapshot):
    settings.APIFY_API_URL = "http://127.0.0.1:9"
    outcome = collect_evidence(snapshot, VALID_TOKEN, plan=["YT-1"]).outcomes["YT-1"]
    assert (outcome.status, outcome.error_code) == ("failed", "unreachable")
    assert "Kairo couldn't reach Apify" in outcome.message


def test_empty_result_is_a_soft_failure(fake_apify, snapshot):
    fake_apify.set_items("clockworks/tiktok-scraper", [])
    outcome = collect_evidence(snapshot, VALID_TOKEN, plan=["TT-1"]).outcomes["TT-1"]
    assert (outcome.status, outcome.error_code) == ("empty", "empty_result")
    assert outcome.message == "No TikTok videos found for your keywords — try broader keywords."


def test_trends_succeeding_with_zero_items_has_its_own_message(fake_apify, snapshot):
    fake_apify.set_items("clockworks/tiktok-trends-scraper", [])
    result = collect_evidence(snapshot, VALID_TOKEN, plan=["TT-TRENDS", "YT-1"])
    trends = result.outcomes["TT-TRENDS"]
    assert (trends.status, trends.error_code, trends.item_count) == ("empty", "empty_result", 0)
    assert trends.message.startswith("TikTok Trends came back empty this time")
    assert result.outcomes["YT-1"].status == "succeeded"
    assert len(result.items) == 10


def test_only_error_items_count_as_empty(fake_apify, snapshot):
    fake_apify.set_items(
        "apify/instagram-search-scraper", [{"error": "no_items"}, {"error": "blocked"}]
    )
    result = collect_evidence(snapshot, VALID_TOKEN, plan=["IG-3"])
    assert result.outcomes["IG-3"].status == "empty"
    assert result.skipped_error_items == 2


def test_missing_input_fails_without_running_anything(fake_apify, snapshot):
    for key in ("keywords", "pillars", "hashtags"):
        snapshot[key] = []
    snapshot["brand"]["name"] = ""
    outcome = collect_evidence(snapshot, VALID_TOKEN, plan=["LI-1"]).outcomes["LI-1"]
    assert (outcome.status, outcome.error_code) == ("failed", "missing_input")
    assert "BrandBrain" in outcome.message
    assert fake_apify.runs == {}


def test_one_failure_never_stops_the_others(fake_apify, snapshot):
    fake_apify.fail("clockworks/tiktok-scraper", 500)
    fake_apify.finish_as("streamers/youtube-scraper", "FAILED")
    result = collect_evidence(snapshot, VALID_TOKEN)
    statuses = {r: o.status for r, o in result.outcomes.items()}
    assert statuses == {
        "IG-1": "succeeded",
        "IG-3": "succeeded",
        "TT-1": "failed",
        "TT-TRENDS": "succeeded",
        "YT-1": "failed",
        "LI-1": "succeeded",
    }
    assert result.invalid_token is False
    assert len(result.items) == 141 - 24 - 10


def test_invalid_token_cancels_the_remaining_recipes_at_once(fake_apify, snapshot):
    for actor in ("clockworks/tiktok-scraper", "streamers/youtube-scraper"):
        fake_apify.set_latency(actor, 60)
    # The token is found invalid when LI-1 reads its items, after the slow runs started.
    fake_apify.set_latency("harvestapi/linkedin-post-search", 0.3)
    fake_apify.fail("datasets", 401, "user-or-token-not-found")
    progress = []
    result = collect_evidence(
        snapshot, VALID_TOKEN, plan=["TT-1", "YT-1", "LI-1"], on_progress=progress.append
    )
    assert result.invalid_token is True
    assert result.outcomes["LI-1"].error_code == "invalid_key"
    for recipe_id in ("TT-1", "YT-1"):
        outcome = result.outcomes[recipe_id]
        assert (outcome.status, outcome.message) == ("cancelled", INVALID_TOKEN_MESSAGE)
    assert [o.recipe_id for o in progress][0] == "LI-1"
    assert len(progress) == 3
    # The collector returned while the slow runs were still going; their threads abort them.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not all(
        r.aborted
        for r in fake_apify.runs.values()
        if r.actor_id != "harvestapi/linkedin-post-search"
    ):
        time.sleep(0.05)
    slow_runs = [
        r for r in fake_apify.runs.values() if r.actor_id != "harvestapi/linkedin-post-search"
    ]
    assert len(slow_runs) == 2
    assert all(run.aborted for run in slow_runs)


def test_a_wrong_token_fails_every_recipe_as_invalid_token(fake_apify, snapshot):
    result = collect_evidence(snapshot, "apify_api_wrong")
    assert result.invalid_token is True
    assert result.items == []
    assert all(o.message == INVALID_TOKEN_MESSAGE for o in result.outcomes.values())
    assert all(o.status in {"failed", "cancelled"} for o in result.outcomes.values())


def test_a_broken_progress_callback_does_not_lose_evidence(fake_apify, snapshot):
    def explode(outcome):
        raise RuntimeError("display broke")

    result = collect_evidence(snapshot, VALID_TOKEN, plan=["LI-1"], on_progress=explode)
    assert result.outcomes["LI-1"].status == "succeeded"


def test_dataset_items_are_read_page_by_page(fake_apify, snapshot, monkeypatch):
    from evidence import runs

    monkeypatch.setattr(runs, "DATASET_PAGE_SIZE", 5)
    outcome = collect_evidence(snapshot, VALID_TOKEN, plan=["YT-1"]).outcomes["YT-1"]
    assert outcome.item_count == 10
    pages = [r for r in fake_apify.requests if r.path.endswith("/items")]
    assert [(r.param("offset"), r.param("limit")) for r in pages] == [
        ("0", "5"),
        ("5", "5"),
    ]


def test_stage2_overlaps_stage1(fake_apify, snapshot, monkeypatch):
    from evidence import runs

    monkeypatch.setattr(runs, "WATCH_SLICE", 0.05)
    fake_apify.use_profile(scale=0.05)  # hashtags: 0.4 s start, 12.5 ms per post
    result = collect_evidence(snapshot, VALID_TOKEN, plan=["IG-1"])
    [hashtags] = [
        r for r in fake_apify.runs.values() if r.actor_id == "apify/instagram-hashtag-scraper"
    ]
    reel_runs = [
        r for r in fake_apify.runs.values() if r.actor_id == "apify/instagram-reel-scraper"
    ]
    # The brand's own reels start with stage 1; the strongest posts' reels start as soon
    # as enough video posts are in, while stage 1 is still running.
    assert len(reel_runs) == 2
    assert all(r.started < hashtags.end_time() for r in reel_runs)
    own, niche = sorted(reel_runs, key=lambda r: r.started)
    assert own.run_input["username"] == ["goodie.ai"]
    assert len(niche.run_input["username"]) == 5
    assert result.outcomes["IG-1"].transcripts == 10
