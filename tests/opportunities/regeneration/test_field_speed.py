"""A regeneration against doubles as slow and strict as the real services: a deadline
that keeps what runs pushed, cost settled after the board, and streamed synthesis whose
drafts show during the run while the final board stays the same as a non-streamed one."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from byok.openai_models import DEFAULT_MODEL
from evidence import collect, runs
from evidence.models import EvidenceItem
from opportunities import costs
from opportunities.models import JobStatus, Opportunity
from opportunities.synthesis import build_schema, synthesize
from opportunities.trends import analyze_trends, strongest_items
from tests.support.keys import OPENAI_KEY
from tests.support.pipeline import regenerate
from tests.support.snapshots import SNAPSHOT

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def quick(monkeypatch, settings):
    monkeypatch.setattr(runs, "POLL_SLICE", 0.2)
    monkeypatch.setattr(runs, "RESOURCE_RETRY_SECONDS", 0.05)
    monkeypatch.setattr(collect, "REEL_RUN_MIN_SECONDS", 0.3)
    settings.COLLECTION_DEADLINE_SECONDS = 1.5


def test_deadline_keeps_what_a_stuck_source_pushed_and_stops_it(
    keyed_alice, onboarded_brand, doubles, quick
):
    fake_apify, _ = doubles
    fake_apify.use_profile(scale=0.02)  # YouTube: 0.24 s start, 12 ms per item
    fake_apify.get_stuck("streamers/youtube-scraper")
    job = regenerate(onboarded_brand, keyed_alice)

    assert job.status == JobStatus.PARTIAL, job.error_message
    youtube = job.recipes["YT-1"]
    assert (youtube["status"], youtube["partial_reason"]) == ("partial", "time limit")
    assert youtube["item_count"] == 5 and youtube["asked"] == 10  # half pushed, then stuck
    assert all(r["status"] == "succeeded" for k, r in job.recipes.items() if k != "YT-1")
    # The stuck run was aborted (it stops spending); what it pushed is kept and used.
    [stuck] = [r for r in fake_apify.runs.values() if r.actor_id == "streamers/youtube-scraper"]
    assert stuck.aborted
    kept = EvidenceItem.objects.filter(job_id=job.pk, platform="youtube").count()
    assert kept == 5
    assert Opportunity.objects.filter(job=job).exists()
    page = board_page(keyed_alice, onboarded_brand)
    assert "YouTube: 5 of 10" in page and "time limit" in page


def test_runs_that_end_badly_keep_the_items_they_pushed(
    keyed_alice, onboarded_brand, doubles, quick
):
    fake_apify, _ = doubles
    fake_apify.finish_as("harvestapi/linkedin-post-search", "TIMED-OUT", pushed_first=5)
    job = regenerate(onboarded_brand, keyed_alice)
    linkedin = job.recipes["LI-1"]
    assert (linkedin["status"], linkedin["item_count"]) == ("partial", 5)
    assert linkedin["partial_reason"] == "timed out on Apify"
    assert EvidenceItem.objects.filter(job_id=job.pk, platform="linkedin").count() == 5


def test_a_small_plan_runs_every_source_by_waiting_for_memory(
    keyed_alice, onboarded_brand, doubles, quick, settings
):
    fake_apify, _ = doubles
    settings.COLLECTION_DEADLINE_SECONDS = 6.0
    fake_apify.memory_limit_mb = 4096  # 4 runs at once; Kairo starts 8
    fake_apify.default_latency = 0.3
    job = regenerate(onboarded_brand, keyed_alice)
    assert job.status == JobStatus.SUCCEEDED, job.recipes
    refused = [r for r in fake_apify.requests if r.path.endswith("/runs") and r.method == "POST"]
    assert len(refused) > len(fake_apify.runs)  # some starts were refused, then retried


def test_cost_settles_after_the_board_is_shown(keyed_alice, onboarded_brand, doubles, quick):
    fake_apify, _ = doubles
    fake_apify.settle_seconds = 0.3
    job = regenerate(onboarded_brand, keyed_alice)
    assert job.status == JobStatus.SUCCEEDED
    preliminary = job.apify_cost_usd
    assert job.apify_cost_settled is False and job.cost_settles_at is not None
    assert "settling…" in board_page(keyed_alice, onboarded_brand)

    time.sleep(0.4)
    assert costs.settle_due_costs(now=job.cost_settles_at) == 1
    job.refresh_from_db()
    settled = sum(run.usage(time.time()) for run in fake_apify.runs.values())
    assert job.apify_cost_settled is True
    assert float(job.apify_cost_usd) == pytest.approx(settled, abs=0.0001)
    assert job.apify_cost_usd > preliminary
    runs_rows = [run for row in job.recipes.values() for run in row["runs"]]
    assert all(run["settled"] and run["charged_events"]["result"] >= 0 for run in runs_rows)
    assert "settling…" not in board_page(keyed_alice, onboarded_brand)
    assert costs.settle_due_costs(now=job.cost_settles_at) == 0  # once only


def test_streamed_drafts_show_during_the_run_and_the_board_matches_a_whole_answer(
    keyed_alice, onboarded_brand, doubles, quick, settings
):
    _, fake_openai = doubles
    fake_openai.tokens_per_second = 1000
    fake_openai.realistic_lengths = True
    items = [EvidenceRow(i) for i in range(12)]
    signals = analyze_trends(items, ["ai search"], items[0].published_at)
    chosen = strongest_items(items, signals, 60)
    arrivals: list[float] = []

    def on_draft(draft) -> None:
        arrivals.append(time.monotonic())

    streamed = synthesize(
        snapshot=SNAPSHOT,
        items=items,
        indexes=chosen,
        signals=signals,
        api_key=OPENAI_KEY,
        model=DEFAULT_MODEL,
        on_draft=on_draft,
        stream=True,
    )
    finished = time.monotonic()
    whole = synthesize(
        snapshot=SNAPSHOT,
        items=items,
        indexes=chosen,
        signals=signals,
        api_key=OPENAI_KEY,
        model=DEFAULT_MODEL,
        stream=False,
    )
    assert len(arrivals) == len(streamed.drafts) == 6
    assert arrivals[0] < finished - 0.05  # the first idea came well before the last
    assert [d.model_dump() for d in streamed.drafts] == [d.model_dump() for d in whole.drafts]
    # Constrained by construction: only the brand's pillars and the platforms sent.
    assert {d.pillar for d in streamed.drafts} <= set(SNAPSHOT["pillars"])


def test_a_stream_cut_mid_answer_keeps_the_previous_board(
    keyed_alice, onboarded_brand, doubles, quick
):
    _, fake_openai = doubles
    first = regenerate(onboarded_brand, keyed_alice)
    before = set(Opportunity.objects.filter(brand=onboarded_brand).values_list("id", flat=True))
    fake_openai.cut_stream_after = 900  # after the first idea or so
    second = regenerate(onboarded_brand, keyed_alice)
    assert second.status == JobStatus.FAILED
    assert second.error_code == "openai_unavailable"
    after = set(Opportunity.objects.filter(brand=onboarded_brand).values_list("id", flat=True))
    assert after == before and first.status == JobStatus.SUCCEEDED
    assert not EvidenceItem.objects.filter(job_id=second.pk).exists()


def test_the_schema_is_built_per_run_and_strict():
    schema = build_schema(["Latte art", "Oat milk"], ["E1", "E2"], ["instagram", "linkedin"])
    variants = schema["properties"]["opportunities"]["items"]["anyOf"]
    assert [v["properties"]["platform"]["enum"] for v in variants] == [["instagram"], ["linkedin"]]
    linkedin = variants[1]["properties"]
    assert "story" not in linkedin["format"]["enum"] and "text post" in linkedin["format"]["enum"]
    assert linkedin["pillar"]["enum"] == ["Latte art", "Oat milk"]
    assert linkedin["evidence_ids"]["items"]["enum"] == ["E1", "E2"]
    # OpenAI's strict mode: every object closed, every property required.
    for node in [schema, *variants]:
        assert node["additionalProperties"] is False
        assert set(node["required"]) == set(node["properties"])


def test_drafts_are_written_to_the_job_while_it_runs(keyed_alice, onboarded_brand, doubles, quick):
    job = regenerate(onboarded_brand, keyed_alice)
    job.refresh_from_db()
    assert len(job.drafts) == Opportunity.objects.filter(job=job).count()
    assert all(d["evidence"] and d["title"] for d in job.drafts)


def board_page(user, brand) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(f"/brands/{brand.pk}/today/")
    assert response.status_code == 200
    return response.content.decode()


class EvidenceRow:
    """The fields synthesis reads, for a direct call without collecting."""

    def __init__(self, n: int) -> None:
        from datetime import UTC, datetime, timedelta

        self.platform = ("instagram", "tiktok", "youtube", "linkedin")[n % 4]
        self.kind = "post"
        self.author_handle = f"creator{n}"
        self.text = f"ai search post number {n}"
        self.hashtags = ["aisearch"]
        self.metrics = {"views": 1000 * (n + 1), "likes": 10 * n}
        self.published_at = datetime(2026, 11, 30, tzinfo=UTC) - timedelta(hours=n)
        self.transcript = ""
        self.url = f"https://example.com/{n}"
        self.raw: dict = {}


def test_array_elements_are_handed_over_as_they_close():
    from opportunities.model_stream import ArrayElements

    text = '{"opportunities": [{"title": "a } ] \\" {", "ids": ["E1"]}, {"title": "b"}]}'
    scanner = ArrayElements()
    seen = [element for i in range(0, len(text), 3) for element in scanner.feed(text[i : i + 3])]
    assert seen == ['{"title": "a } ] \\" {", "ids": ["E1"]}', '{"title": "b"}']


@pytest.mark.parametrize(
    ("platform", "asked", "kept"),
    [
        ("linkedin", "story", "static post"),
        ("youtube", "carousel", "short video"),
        ("tiktok", "reel", "short video"),
        ("instagram", "long video", "reel"),
        ("linkedin", "text post", "text post"),
    ],
)
def test_a_format_the_platform_lacks_becomes_its_closest(platform, asked, kept):
    import json

    from opportunities.synthesis import check_draft

    element = json.dumps(
        {
            "title": "t",
            "hook": "h",
            "angle": "a",
            "format": asked,
            "platform": platform,
            "pillar": "latte art",
            "why_now": "w",
            "confidence": 0.5,
            "evidence_ids": ["E1", "E9"],
        }
    )
    draft, dropped = check_draft(element, ["Latte art"], {"E1"})
    assert draft is not None and dropped == 1
    assert (draft.format, draft.pillar) == (kept, "Latte art")
