"""What changed between two real regenerations (doubles, real clients), what the second
synthesis is told, and pruning old runs."""

from __future__ import annotations

import copy
from datetime import timedelta
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.utils import timezone

from evidence.models import EvidenceItem
from opportunities import jobs
from opportunities.history import signal_changes, support
from opportunities.models import JobStatus, OpportunitiesJob, Opportunity, OpportunityEvidence
from opportunities.pipeline import run_job
from opportunities.trends import Signal, TrendSignals

pytestmark = pytest.mark.django_db(transaction=True)
WORKER = "history-worker"
INSTAGRAM = "apify/instagram-hashtag-scraper"
YOUTUBE = "streamers/youtube-scraper"


def regenerate(brand, user) -> OpportunitiesJob:
    job, _ = jobs.enqueue_regeneration(brand=brand, user=user, snapshot_version=1)
    assert jobs.claim_next_job(WORKER) == job.pk
    run_job(job.pk, WORKER)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error_message
    return job


def with_coldbrew(fake_apify, actor: str, count: int, tag) -> None:
    items = copy.deepcopy(fake_apify.fixture_items(actor))
    for item in items[:count]:
        item["hashtags"] = [*item.get("hashtags", []), tag]
    fake_apify.set_items(actor, items)


def test_the_second_run_records_and_tells_the_model_what_rose(
    keyed_alice, onboarded_brand, doubles
):
    fake_apify, fake_openai = doubles
    first = regenerate(onboarded_brand, keyed_alice)
    assert first.signal_changes == {"previous_job_id": None, "previous_at": None, "signals": []}

    with_coldbrew(fake_apify, INSTAGRAM, 15, "coldbrew")
    with_coldbrew(fake_apify, YOUTUBE, 8, "#coldbrew")
    second = regenerate(onboarded_brand, keyed_alice)

    recorded = second.signal_changes
    assert recorded["previous_job_id"] == str(first.pk)
    coldbrew = next(s for s in recorded["signals"] if s["name"] == "coldbrew")
    assert coldbrew == {"kind": "hashtag", "name": "coldbrew", "before": 0, "after": 23}
    prompt = [r for r in fake_openai.requests if r.path.endswith("/chat/completions")][-1]
    user_message = prompt.json()["messages"][1]["content"]
    signals_block = user_message.split("<signals>")[1].split("</signals>")[0]
    assert '"rising_since_last_board"' in signals_block and '"coldbrew"' in signals_block
    assert '"posts_before": 0' in signals_block and '"posts_now": 23' in signals_block


def item(text="", hashtags=(), kind="post", raw=None):
    return SimpleNamespace(text=text, hashtags=list(hashtags), kind=kind, raw=raw or {})


def test_one_counting_rule_for_both_boards():
    items = [
        item("Cold brew at home", ["coldbrew"]),
        item("#ColdBrew", kind="trend_hashtag"),
        item("brewing cold brew", ["latte"]),
        item("", raw={"musicMeta": {"musicName": "Espresso", "musicOriginal": False}}),
        item("Espresso", kind="trend_sound"),
    ]
    assert support(Signal("coldbrew", 2, ()), "hashtag", items) == 2
    assert support(Signal("cold brew", 2, (), "en"), "topic", items) == 2
    assert support(Signal("brew", 2, (), "en"), "topic", items) == 2  # "brewing" is not it
    assert support(Signal("Espresso", 2, ()), "sound", items) == 2
    assert support(Signal("fyp", 9, ()), "hashtag", [item(hashtags=["fyp"])]) == 0  # generic


def test_a_signal_must_appear_or_grow_by_half_to_be_news():
    signals = TrendSignals(
        hashtags=[Signal("coldbrew", 31, ("instagram",)), Signal("latte", 11, ("tiktok",))],
        topics=[Signal("oat milk", 4, ("tiktok",))],
    )
    now = [item(hashtags=["coldbrew"])] * 31 + [item(hashtags=["latte"])] * 11
    now += [item("oat milk")] * 4
    before = [item(hashtags=["coldbrew"])] * 12 + [item(hashtags=["latte"])] * 10
    changes = signal_changes(now, signals, before)
    assert [(c.kind, c.name, c.before, c.after) for c in changes] == [
        ("hashtag", "coldbrew", 12, 31),  # biggest gain first
        ("topic", "oat milk", 0, 4),
    ]  # latte 10 → 11 is noise
    assert changes[0].text == "#coldbrew: 12 → 31 posts"
    assert changes[1].text == "oat milk: new, 4 posts"


# ---------------------------------------------------------------- pruning


def old_run(brand, user, days_ago: int, status=JobStatus.SUCCEEDED) -> OpportunitiesJob:
    job = OpportunitiesJob.objects.create(
        brand=brand, user=user, status=status, finished_at=timezone.now()
    )
    OpportunitiesJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - timedelta(days=days_ago),
        finished_at=timezone.now() - timedelta(days=days_ago),
    )
    evidence = EvidenceItem.objects.create(
        brand=brand, job_id=job.pk, platform="tiktok", recipe_id="TT-1", kind="post", text="x"
    )
    if status != JobStatus.FAILED:
        opportunity = Opportunity.objects.create(
            brand=brand,
            job=job,
            rank=1,
            title="t",
            hook="h",
            angle="a",
            format="reel",
            platform="tiktok",
            pillar="p",
            why_now="w",
            confidence=0.5,
            score=50,
        )
        OpportunityEvidence.objects.create(opportunity=opportunity, evidence=evidence)
    return job


def test_prune_deletes_old_runs_and_their_evidence_but_never_the_current_board(
    alice, alice_brand, bob
):
    from brands.models import Brand

    kept_recent = old_run(alice_brand, alice, 10)
    pruned = [old_run(alice_brand, alice, 100), old_run(alice_brand, alice, 95, JobStatus.FAILED)]
    quiet = Brand.objects.create(owner=bob, name="Quiet brand")
    only_board = old_run(quiet, bob, 200)  # its only board, however old, stays
    out = StringIO()
    call_command("prune_history", "--dry-run", stdout=out)
    assert "Would delete 2 runs, 1 opportunities and 2 evidence items" in out.getvalue()
    assert OpportunitiesJob.objects.count() == 4

    call_command("prune_history", stdout=out)
    assert set(OpportunitiesJob.objects.values_list("pk", flat=True)) == {
        kept_recent.pk,
        only_board.pk,
    }
    assert not EvidenceItem.objects.filter(job_id__in=[j.pk for j in pruned]).exists()
    assert EvidenceItem.objects.count() == 2 and Opportunity.objects.count() == 2

    newest = old_run(alice_brand, alice, 1)
    call_command("prune_history", "--days", "5", stdout=out)  # a newer board: the 10-day one goes
    assert set(OpportunitiesJob.objects.values_list("pk", flat=True)) == {
        newest.pk,
        only_board.pk,
    }


def test_prune_refuses_a_retention_under_a_day(alice):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="at least 1"):
        call_command("prune_history", "--days", "0")
