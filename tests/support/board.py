"""Today boards written directly: jobs, opportunities citing evidence, and each state the
board can be in (the pipeline that really writes them has its own tests)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from brands.models import Brand
from byok.models import UserAPIKeys, ValidationStatus
from evidence.models import EvidenceItem
from opportunities.models import JobStatus, OpportunitiesJob, Opportunity, OpportunityEvidence
from tests.support.keys import connect_keys
from tests.support.snapshots import SNAPSHOT, make_snapshot
from workspace.learning import FeedbackFit

PILLARS = SNAPSHOT["pillars"][:2]
PARTS = {
    "pillar_relevance": 1.0,
    "outperformance": 0.8,
    "momentum": 0.3,
    "recency": 0.5,
    "cross_platform": 0.5,
    "model_confidence": 0.9,
}
PLATFORMS = ["instagram", "tiktok", "youtube", "linkedin"]

# A run's sources as the pipeline records them (job.recipes): one of each outcome.
RECIPES = {
    "IG-1": {
        "platform": "instagram",
        "label": "Instagram hashtags",
        "status": "succeeded",
        "item_count": 40,
        "asked": 40,
        "cost_usd": 0.12,
        "runs": [{"run_id": "runIg1", "settled": True}],
    },
    "YT-1": {
        "platform": "youtube",
        "label": "YouTube",
        "status": "partial",
        "item_count": 14,
        "asked": 20,
        "partial_reason": "time limit",
        "cost_usd": 0.08,
        "runs": [{"run_id": "runYt1", "settled": True}],
    },
    "TT-TRENDS": {"platform": "tiktok", "label": "TikTok Trends", "status": "empty"},
    "LI-1": {
        "platform": "linkedin",
        "label": "LinkedIn",
        "status": "failed",
        "message": "Apify is rate-limiting your account — try again in a few minutes.",
    },
}
# What the model has written so far while a run synthesizes (job.drafts).
DRAFTS = [
    {
        "title": "Draft: AI answers vs blue links",
        "hook": "Your customers stopped clicking.",
        "platform": "instagram",
        "format": "reel",
        "pillar": PILLARS[0],
        "score": 71.5,
        "evidence": [{"platform": "instagram", "url": "https://www.instagram.com/p/d1/"}],
    }
]


def make_job(brand: Brand, status: str = JobStatus.SUCCEEDED, **fields: Any) -> OpportunitiesJob:
    now = timezone.now()
    terminal = status not in (JobStatus.QUEUED, JobStatus.RUNNING)
    defaults: dict[str, Any] = {
        "brand": brand,
        "user": brand.owner,
        "status": status,
        "started_at": now - timedelta(seconds=72) if status != JobStatus.QUEUED else None,
        "finished_at": now if terminal else None,
    }
    defaults.update(fields)
    return OpportunitiesJob.objects.create(**defaults)


def make_board(
    job: OpportunitiesJob, cards: int = 3, evidence_each: int = 3, *, title: str = "Idea"
) -> list[Opportunity]:
    """`cards` opportunities on `job`, each citing `evidence_each` new evidence items."""
    now = timezone.now()
    opportunities = []
    for rank in range(1, cards + 1):
        opportunity = Opportunity.objects.create(
            brand=job.brand,
            job=job,
            rank=rank,
            title=f"{title} {rank}",
            hook=f"Hook {rank}",
            angle=f"Angle {rank}",
            format="reel",
            platform="instagram",
            pillar=PILLARS[0],
            why_now=f"Why now {rank}",
            confidence=0.9,
            score=100 - rank,
            score_parts=PARTS,
            signals=[f"TikTok post by @creator{rank}: 3.4× this creator's usual views"],
            rank_note="Moved up from #3 to #2: the first Content strategy idea"
            if rank == 2
            else "",
        )
        for position in range(evidence_each):
            item = EvidenceItem.objects.create(
                brand=job.brand,
                job_id=job.pk,
                platform=PLATFORMS[position % len(PLATFORMS)],
                recipe_id="IG-1",
                kind="post",
                external_id=uuid.uuid4().hex,
                url=f"https://www.instagram.com/p/{rank}x{position}/",
                author_handle=f"creator{rank}_{position}",
                text=f"Post {rank}.{position} about AI search",
                published_at=now - timedelta(days=3, hours=1),
                metrics={"views": 12_345, "likes": 400},
            )
            OpportunityEvidence.objects.create(
                opportunity=opportunity, evidence=item, position=position
            )
        opportunities.append(opportunity)
    return opportunities


def finished_job_with_board(brand: Brand, **fields: Any) -> OpportunitiesJob:
    """A finished run (succeeded unless `status` says otherwise) with its counts, costs
    and a board of three ideas."""
    fields.setdefault("evidence_count", 96)
    fields.setdefault("evidence_by_platform", {"instagram": 50, "tiktok": 46})
    fields.setdefault("opportunity_count", 3)
    fields.setdefault("apify_cost_usd", Decimal("0.4213"))
    fields.setdefault("openai_cost_usd", Decimal("0.0312"))
    fields.setdefault("prompt_tokens", 12_000)
    fields.setdefault("completion_tokens", 2_345)
    job = make_job(brand, **fields)
    make_board(job)
    return job


# ---------------------------------------------------------------- board states

# Every state the Today board can be in, as its owner sees it.
BOARD_STATES = (
    "onboarding",  # onboarding not finished (no compiled snapshot)
    "demo",  # onboarded, no keys: Demo Mode samples
    "empty",  # onboarded, keys, never run
    "queued",  # a run waiting for a worker
    "running",  # a run synthesizing, with sources done and drafts written
    "failed",  # the only run failed, and the saved OpenAI key failed its last test
    "partial",  # a board from a run where some sources failed
    "finished",  # a board that replaced an earlier one
)


def build_board_state(brand: Brand, state: str) -> dict[str, Any]:
    """Put `brand` (no snapshot, owner without keys) in board `state`; returns the
    objects it made: "snapshot", "job" (the latest run, if any), "opportunity" (an idea
    on the current board, if any)."""
    assert state in BOARD_STATES, state
    made: dict[str, Any] = {"snapshot": None, "job": None, "opportunity": None}
    if state == "onboarding":
        connect_keys(brand.owner)
        return made
    made["snapshot"] = make_snapshot(brand)
    if state == "demo":
        return made
    connect_keys(brand.owner)
    if state in ("queued", "running", "finished"):  # an earlier board under the run
        earlier = finished_job_with_board(
            brand, finished_at=timezone.now() - timedelta(days=1), recipes=RECIPES
        )
        made["opportunity"] = earlier.opportunities.first()
        made["job"] = earlier
    if state == "queued":
        made["job"] = make_job(brand, JobStatus.QUEUED, snapshot_version=1)
    elif state == "running":
        made["job"] = make_job(
            brand,
            JobStatus.RUNNING,
            snapshot_version=1,
            stage="synthesizing",
            evidence_count=54,
            recipes=RECIPES,
            drafts=DRAFTS,
        )
    elif state == "failed":
        made["job"] = make_job(
            brand,
            JobStatus.FAILED,
            snapshot_version=1,
            recipes=RECIPES,
            error_code="insufficient_evidence",
            error_message="Only 3 posts were found: too few to write ideas from.",
        )
        # The board warns about a key that failed its last Test Connection.
        UserAPIKeys.objects.filter(user=brand.owner).update(
            openai_key_validation=ValidationStatus.INVALID_KEY
        )
    elif state in ("partial", "finished"):
        status = JobStatus.PARTIAL if state == "partial" else JobStatus.SUCCEEDED
        job = finished_job_with_board(
            brand,
            status=status,
            snapshot_version=1,
            recipes=RECIPES,
            apify_cost_settled=state == "finished",
            signal_changes=_changes_since(made["job"]),
        )
        made["job"] = job
        made["opportunity"] = top = job.opportunities.order_by("rank").first()
        if state == "finished":  # scored after feedback: the card says what it learned
            top.score_parts = {**top.score_parts, **FeedbackFit(0.8, 1, 3, 4).as_parts()}
            top.save(update_fields=["score_parts"])
    return made


def _changes_since(previous: OpportunitiesJob | None) -> dict[str, Any]:
    if previous is None:
        return {}
    return {
        "previous_job_id": str(previous.pk),
        "previous_at": previous.finished_at.isoformat() if previous.finished_at else None,
        "signals": [{"kind": "hashtag", "name": "aisearch", "before": 4, "after": 19}],
    }
