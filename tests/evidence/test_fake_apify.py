"""The Apify double speaks what the real apify-client 3.4.0 expects."""

from __future__ import annotations

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


def test_run_finishes_and_serves_the_fixture_with_late_settling_cost(fake_apify):
    fake_apify.set_latency("streamers/youtube-scraper", 0.2)
    apify = client(fake_apify)
    run = apify.actor("streamers/youtube-scraper").call(
        run_input={"searchQueries": ["x" * 2000]}, logger=None
    )
    assert run.status == "SUCCEEDED"
    assert run.usage_total_usd == 0.0  # preliminary on the first read after finishing
    assert apify.run(run.id).get().usage_total_usd > 0
    items = list(apify.dataset(run.default_dataset_id).iterate_items())
    assert len(items) == 20
    # The body was over 1 KB, so the client gzipped it; the double recorded it decoded.
    assert fake_apify.input_for("streamers/youtube-scraper") == {"searchQueries": ["x" * 2000]}


def test_dataset_pages_carry_pagination_headers(fake_apify):
    apify = client(fake_apify)
    run = apify.actor("harvestapi/linkedin-post-search").call(run_input={}, logger=None)
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
