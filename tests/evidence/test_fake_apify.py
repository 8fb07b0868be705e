"""The Apify double speaks what the real apify-client 3.4.0 expects."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from apify_client import ApifyClient
from apify_client.errors import ApifyApiError, UnauthorizedError

from tests.fakes.apify import VALID_TOKEN


def client(fake, token: str = VALID_TOKEN) -> ApifyClient:
    return ApifyClient(
        token, api_url=fake.url, max_retries=1, min_delay_between_retries=timedelta(milliseconds=1)
    )


def test_user_me_accepts_the_valid_token(fake_apify):
    user = client(fake_apify).user().get()
    assert user.username == "kairo-tester"
    assert fake_apify.requests[-1].headers["authorization"] == f"Bearer {VALID_TOKEN}"


def test_user_me_rejects_an_unknown_token(fake_apify):
    with pytest.raises(UnauthorizedError) as caught:
        client(fake_apify, "apify_api_wrong").user().get()
    assert caught.value.type == "user-or-token-not-found"


@pytest.mark.parametrize(
    ("status", "error_type"),
    [(402, "not-enough-usage-to-run-paid-actor"), (403, "platform-feature-disabled")],
)
def test_user_me_failures_on_demand(fake_apify, status, error_type):
    fake_apify.fail("users/me", status)
    with pytest.raises(ApifyApiError) as caught:
        client(fake_apify).user().get()
    assert (caught.value.status_code, caught.value.type) == (status, error_type)


def test_run_finishes_and_serves_what_the_input_asks_for(fake_apify):
    fake_apify.set_latency("streamers/youtube-scraper", 0.2)
    apify = client(fake_apify)
    run = apify.actor("streamers/youtube-scraper").call(
        run_input={"searchQueries": ["x" * 2000], "maxResults": 7}, logger=None
    )
    assert run.status == "SUCCEEDED"
    items = list(apify.dataset(run.default_dataset_id).iterate_items())
    assert len(items) == 7  # maxResults counts per search term: one term
    # The body was over 1 KB, so the client gzipped it; the double recorded it decoded.
    assert fake_apify.input_for("streamers/youtube-scraper")["searchQueries"] == ["x" * 2000]


def test_cost_settles_some_seconds_after_the_run_ends(fake_apify):
    fake_apify.settle_seconds = 0.5
    apify = client(fake_apify)
    run = apify.actor("harvestapi/linkedin-post-search").call(
        run_input={"searchQueries": ["a", "b"], "maxPosts": 5}, logger=None
    )
    assert run.status == "SUCCEEDED"
    assert run.usage_total_usd == 0.00005  # only the start event, read at the end
    assert apify.run(run.id).get().usage_total_usd == 0.00005
    time.sleep(0.6)
    settled = apify.run(run.id).get()
    assert settled.usage_total_usd == pytest.approx(0.00005 + 10 * 0.002)
    assert settled.charged_event_counts == {"actor-start": 1, "result": 10}


def test_max_items_caps_what_a_run_pushes(fake_apify):
    apify = client(fake_apify)
    run = apify.actor("harvestapi/linkedin-post-search").call(
        run_input={"searchQueries": ["a", "b", "c"], "maxPosts": 20}, max_items=12, logger=None
    )
    assert len(list(apify.dataset(run.default_dataset_id).iterate_items())) == 12


@pytest.mark.parametrize(
    ("actor", "run_input", "field"),
    [
        (
            "harvestapi/linkedin-post-search",
            {"searchQueries": "ai", "maxPosts": 5},
            "searchQueries",
        ),
        ("harvestapi/linkedin-post-search", {"searchQueries": ["ai"], "maxPosts": 0}, "maxPosts"),
        ("clockworks/tiktok-trends-scraper", {"adsCountryCode": "XX"}, "adsCountryCode"),
        ("clockworks/tiktok-trends-scraper", {"adsHashtagIndustry": "Coffee"}, "adsHashtag"),
        ("streamers/youtube-scraper", {"searchQueries": ["a"], "dateFilter": "day"}, "dateFilter"),
        ("apify/instagram-search-scraper", {"search": "a", "searchLimit": 251}, "searchLimit"),
        ("apify/instagram-hashtag-scraper", {"hashtags": ["a"], "resultsLimit": "5"}, "results"),
    ],
)
def test_input_outside_the_contract_is_refused_like_apify(fake_apify, actor, run_input, field):
    with pytest.raises(ApifyApiError) as caught:
        client(fake_apify).actor(actor).start(run_input=run_input)
    assert (caught.value.status_code, caught.value.type) == (400, "invalid-input")
    assert caught.value.message.startswith(f"Input is not valid: Field input.{field}")


def test_unknown_keys_are_ignored_silently_but_recorded(fake_apify):
    run = (
        client(fake_apify)
        .actor("harvestapi/linkedin-post-search")
        .start(run_input={"searchQueries": ["ai"], "maxPost": 5})
    )
    assert run.status in {"READY", "RUNNING", "SUCCEEDED"}
    assert fake_apify.ignored_keys["harvestapi/linkedin-post-search"] == ["maxPost"]


def test_items_appear_while_running_and_abort_keeps_them(fake_apify):
    fake_apify.use_profile(scale=0.05)  # LinkedIn: 0.15 s start, 12.5 ms per item
    apify = client(fake_apify)
    run = apify.actor("harvestapi/linkedin-post-search").start(
        run_input={"searchQueries": ["ai"], "maxPosts": 20}
    )
    time.sleep(0.15 + 0.0125 * 8)
    running = apify.run(run.id).get()
    pushed = apify.dataset(run.default_dataset_id).list_items().items
    assert running.status == "RUNNING" and 0 < len(pushed) < 20
    aborted = apify.run(run.id).abort()
    assert aborted.status == "ABORTED"
    kept = apify.dataset(run.default_dataset_id).list_items().items
    assert len(pushed) <= len(kept) < 20
    time.sleep(0.2)
    assert len(apify.dataset(run.default_dataset_id).list_items().items) == len(kept)


def test_a_stuck_run_never_ends_on_its_own(fake_apify):
    fake_apify.use_profile(scale=0.01)
    fake_apify.get_stuck("streamers/youtube-scraper")
    apify = client(fake_apify)
    run = apify.actor("streamers/youtube-scraper").start(
        run_input={"searchQueries": ["a"], "maxResults": 10}
    )
    time.sleep(0.5)
    assert apify.run(run.id).get().status == "RUNNING"
    assert len(apify.dataset(run.default_dataset_id).list_items().items) == 5


def test_memory_limit_refuses_a_start_beyond_the_plan(fake_apify):
    fake_apify.memory_limit_mb = 2048
    fake_apify.set_latency("harvestapi/linkedin-post-search", 5)
    actor = client(fake_apify).actor("harvestapi/linkedin-post-search")
    for _ in range(2):
        actor.start(run_input={"searchQueries": ["a"], "maxPosts": 1})
    with pytest.raises(ApifyApiError) as caught:
        actor.start(run_input={"searchQueries": ["a"], "maxPosts": 1})
    assert (caught.value.status_code, caught.value.type) == (402, "actor-memory-limit-exceeded")
    assert "memory limit of 2048MB" in caught.value.message


def test_reel_scraper_answers_reel_urls_but_not_post_urls(fake_apify):
    apify = client(fake_apify)
    run = apify.actor("apify/instagram-reel-scraper").call(
        run_input={
            "username": [
                "https://www.instagram.com/reel/ABC123/",
                "https://www.instagram.com/p/DEF456/",
            ],
            "includeTranscript": True,
        },
        logger=None,
    )
    items = apify.dataset(run.default_dataset_id).list_items().items
    assert items[0]["shortCode"] == "ABC123" and items[0]["transcript"]
    assert "error" in items[1]


def test_dataset_pages_carry_pagination_headers(fake_apify):
    apify = client(fake_apify)
    run = apify.actor("harvestapi/linkedin-post-search").call(
        run_input={"searchQueries": ["a"], "maxPosts": 20}, logger=None
    )
    page = apify.dataset(run.default_dataset_id).list_items(offset=5, limit=10)
    assert (page.total, page.offset, page.count, page.limit, page.desc) == (20, 5, 10, 10, False)


def test_failed_run_and_unknown_actor(fake_apify):
    fake_apify.finish_as("clockworks/tiktok-scraper", "FAILED")
    apify = client(fake_apify)
    assert (
        apify.actor("clockworks/tiktok-scraper").call(run_input={}, logger=None).status == "FAILED"
    )
    with pytest.raises(ApifyApiError) as caught:
        apify.actor("nobody/nothing").call(run_input={}, logger=None)
    assert (caught.value.status_code, caught.value.type) == (404, "record-not-found")


def test_legacy_acts_route_and_actor_ids(fake_apify):
    import httpx

    response = httpx.post(
        f"{fake_apify.url}/v2/acts/sDvA9jM4WRTDX4Syr/runs",
        json={"adsScrapeHashtags": True},
        headers={"Authorization": f"Bearer {VALID_TOKEN}"},
    )
    assert response.status_code == 201
    assert response.json()["data"]["actId"] == "clockworks~tiktok-trends-scraper"
