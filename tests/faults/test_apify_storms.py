"""Apify answering 5xx or 429 storms during a whole regeneration.

apify-client retries 429/5xx itself, at most MAX_RETRIES times per call; the recipes
that still fail are reported with a message, the others make a partial board, and when
every source fails the job ends failed with the reason. The request counts are read
from the double, and each run is bounded by a thread join: a storm never hangs a job.
"""

from __future__ import annotations

import threading

import pytest

from evidence.collect import MAX_RETRIES
from evidence.models import EvidenceItem
from opportunities import jobs
from opportunities.models import JobStatus, OpportunitiesJob, Opportunity
from opportunities.pipeline import run_job

pytestmark = pytest.mark.django_db(transaction=True)

WORKER = "storm-worker"
ATTEMPTS_PER_CALL = 1 + MAX_RETRIES
STAGE1_ACTORS = {
    "IG-1": "apify/instagram-hashtag-scraper",
    "IG-3": "apify/instagram-search-scraper",
    "TT-1": "clockworks/tiktok-scraper",
    "TT-TRENDS": "clockworks/tiktok-trends-scraper",
    "YT-1": "streamers/youtube-scraper",
    "LI-1": "harvestapi/linkedin-post-search",
}


def regenerate_bounded(brand, user, timeout: float = 120.0) -> OpportunitiesJob:
    """Run one regeneration in a thread; it must end on its own within `timeout`."""
    job, _ = jobs.enqueue_regeneration(brand=brand, user=user, snapshot_version=1)
    assert jobs.claim_next_job(WORKER) == job.pk
    thread = threading.Thread(target=run_job, args=(job.pk, WORKER), daemon=True)
    thread.start()
    thread.join(timeout)
    assert not thread.is_alive(), f"the regeneration still runs after {timeout}s"
    job.refresh_from_db()
    return job


def run_starts(fake_apify, actor: str) -> int:
    suffix = f"/{actor.replace('/', '~')}/runs"
    return sum(1 for r in fake_apify.requests if r.method == "POST" and r.path.endswith(suffix))


def test_5xx_storm_on_some_sources_gives_a_partial_board(
    keyed_alice, onboarded_brand, fake_apify, fake_openai
):
    stormed = {"IG-1": 503, "IG-3": 502, "TT-1": 500}
    for recipe_id, status in stormed.items():
        fake_apify.fail(STAGE1_ACTORS[recipe_id], status)  # every time

    job = regenerate_bounded(onboarded_brand, keyed_alice)

    assert job.status == JobStatus.PARTIAL, (job.error_code, job.error_message)
    for recipe_id, status in stormed.items():
        row = job.recipes[recipe_id]
        assert (row["status"], row["error_code"]) == ("failed", "unavailable")
        assert row["message"].startswith("Apify is having trouble right now.")
        assert run_starts(fake_apify, STAGE1_ACTORS[recipe_id]) == ATTEMPTS_PER_CALL
    assert sorted(f["recipe_id"] for f in job.failed_recipes) == sorted(stormed)
    for recipe_id in set(STAGE1_ACTORS) - set(stormed):
        assert job.recipes[recipe_id]["status"] == "succeeded"
        assert run_starts(fake_apify, STAGE1_ACTORS[recipe_id]) == 1
    assert set(job.evidence_by_platform) == {"tiktok", "youtube", "linkedin"}  # TT-TRENDS
    board = Opportunity.objects.filter(job=job)
    assert board.count() == fake_openai.opportunity_count
    assert not EvidenceItem.objects.filter(job_id=job.pk, platform="instagram").exists()
    print(
        f"\nfault apify-5xx: {len(stormed)} sources stormed, {ATTEMPTS_PER_CALL} run starts "
        f"each, job {job.status} with {board.count()} cards in {job.timings['collecting']}s "
        "of collecting"
    )


def test_429_storm_on_every_source_fails_with_the_reason(
    keyed_alice, onboarded_brand, fake_apify, fake_openai
):
    for actor in STAGE1_ACTORS.values():
        fake_apify.fail(actor, 429, "rate-limit-exceeded")

    job = regenerate_bounded(onboarded_brand, keyed_alice)

    assert job.status == JobStatus.FAILED
    assert job.error_code == "apify_rate_limited"
    assert job.error_message == "Apify is rate-limiting your account. Wait a minute and try again."
    starts = [r for r in fake_apify.requests if r.method == "POST"]
    stage1_starts = sum(run_starts(fake_apify, actor) for actor in STAGE1_ACTORS.values())
    assert stage1_starts == ATTEMPTS_PER_CALL * len(STAGE1_ACTORS)
    assert fake_openai.completion_calls == 0
    assert not Opportunity.objects.filter(brand=onboarded_brand).exists()
    print(
        f"\nfault apify-429: {len(starts)} run starts in all "
        f"({ATTEMPTS_PER_CALL} per source), job failed: {job.error_message}"
    )


def test_storm_while_waiting_for_runs_fails_every_source_clearly(
    keyed_alice, onboarded_brand, fake_apify, fake_openai
):
    fake_apify.default_latency = 0.3
    fake_apify.fail("runs", 503)  # runs start, but polling them always fails

    job = regenerate_bounded(onboarded_brand, keyed_alice)

    assert job.status == JobStatus.FAILED
    assert job.error_code == "sources_failed"
    assert job.error_message == "None of the sources delivered evidence this time."
    assert all(r["status"] == "failed" for r in job.recipes.values())
    assert all(r["message"].startswith("Apify is having trouble") for r in job.recipes.values())
    polls = [r for r in fake_apify.requests if r.method == "GET" and "/actor-runs/" in r.path]
    per_actor: dict[str, int] = {}
    for poll in polls:
        actor = fake_apify.runs[poll.path.rsplit("/", 1)[-1]].actor_id
        per_actor[actor] = per_actor.get(actor, 0) + 1
    # One wait per source's run, retried in full...
    assert {a: per_actor.get(a) for a in STAGE1_ACTORS.values()} == dict.fromkeys(
        STAGE1_ACTORS.values(), ATTEMPTS_PER_CALL
    )
    # ...and the brand's own reels (stage 2 starts alongside stage 1), whose wait stops
    # early once every source has failed: how early depends on the machine's load.
    assert set(per_actor) - set(STAGE1_ACTORS.values()) == {"apify/instagram-reel-scraper"}
    assert len(polls) <= ATTEMPTS_PER_CALL * (len(STAGE1_ACTORS) + 1)
    assert fake_openai.completion_calls == 0
    print(f"\nfault apify-poll-storm: {len(polls)} polls in all, job failed: {job.error_message}")


def test_short_storm_is_absorbed_by_the_retries(
    keyed_alice, onboarded_brand, fake_apify, fake_openai
):
    # At most MAX_RETRIES failures in a row can reach any one call: all are retried away.
    fake_apify.fail("runs", 503, times=MAX_RETRIES)
    fake_apify.fail("datasets", 429, times=MAX_RETRIES)
    fake_apify.fail(STAGE1_ACTORS["YT-1"], 502, times=MAX_RETRIES)

    job = regenerate_bounded(onboarded_brand, keyed_alice)

    assert job.status == JobStatus.SUCCEEDED, job.recipes
    assert run_starts(fake_apify, STAGE1_ACTORS["YT-1"]) == 1 + MAX_RETRIES
    assert Opportunity.objects.filter(job=job).count() == fake_openai.opportunity_count
