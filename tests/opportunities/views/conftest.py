"""Today board fixtures: a compiled snapshot, connected keys, and builders that write
jobs, opportunities and evidence rows directly (the pipeline has its own tests)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from brands.models import Brand, BrandBrainSnapshot
from evidence.models import EvidenceItem
from opportunities.models import JobStatus, OpportunitiesJob, Opportunity, OpportunityEvidence

APIFY_TOKEN = "apify_api_FAKEtoken0123456789abcdefghijklmnop"
OPENAI_KEY = "sk-proj-Kairo0test0key0AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-3Bvt"
PILLARS = ["AI search visibility", "Content strategy"]
HTMX = {"HTTP_HX_REQUEST": "true"}

PARTS = {
    "pillar_relevance": 1.0,
    "outperformance": 0.8,
    "momentum": 0.3,
    "recency": 0.5,
    "cross_platform": 0.5,
    "model_confidence": 0.9,
}


def make_snapshot(brand: Brand, version: int = 1) -> BrandBrainSnapshot:
    data = {"schema_version": 1, "brand": {"name": brand.name}, "pillars": PILLARS}
    return BrandBrainSnapshot.objects.create(brand=brand, version=version, data=data)


def connect_keys(user) -> None:
    from byok.keys import save_user_keys

    save_user_keys(user=user, changes={"apify_token": APIFY_TOKEN, "openai_key": OPENAI_KEY})


@pytest.fixture
def snapshot(alice_brand) -> BrandBrainSnapshot:
    return make_snapshot(alice_brand)


@pytest.fixture
def keys(alice) -> None:
    connect_keys(alice)


@pytest.fixture
def ready(snapshot, keys) -> None:
    """Alice's brand is onboarded and her keys are connected."""


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
    platforms = ["instagram", "tiktok", "youtube", "linkedin"]
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
                platform=platforms[position % len(platforms)],
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
