"""Benchmark: rendering the Today board.

A board of 50 opportunities citing 3 evidence items each, served through the Django
test client (the whole middleware stack, templates included). Prints the number of SQL
queries for boards of 10 and 50 cards (it must not grow with the cards) and the p50/p95
render time of the 50-card board.

    .venv/bin/python bench/board.py [--renders 60]

Last line: RESULT queries_10=<n> queries_50=<n> p50_ms=<x> p95_ms=<x>
"""

from __future__ import annotations

import argparse
import time
import uuid
from datetime import timedelta

from _setup import percentile, setup_django

EVIDENCE_PER_CARD = 3
PLATFORMS = ("instagram", "tiktok", "youtube", "linkedin")
PARTS = {
    "pillar_relevance": 1.0,
    "engagement_velocity": 0.72,
    "recency": 0.64,
    "cross_platform": 0.5,
    "model_confidence": 0.8,
}


def make_board(brand, user, cards: int):
    """Replace the brand's jobs by one succeeded job with `cards` cited opportunities."""
    from django.utils import timezone

    from evidence.models import EvidenceItem
    from opportunities.models import (
        JobStatus,
        OpportunitiesJob,
        Opportunity,
        OpportunityEvidence,
    )

    OpportunitiesJob.objects.filter(brand=brand).delete()
    EvidenceItem.objects.filter(brand=brand).delete()
    now = timezone.now()
    job = OpportunitiesJob.objects.create(
        brand=brand,
        user=user,
        status=JobStatus.SUCCEEDED,
        stage="scoring",
        started_at=now - timedelta(seconds=70),
        finished_at=now,
        evidence_count=cards * EVIDENCE_PER_CARD,
        evidence_by_platform={p: cards for p in PLATFORMS[:EVIDENCE_PER_CARD]},
        opportunity_count=cards,
        recipes={"LI-1": {"platform": "linkedin", "status": "failed", "message": "timed out"}},
    )
    items = EvidenceItem.objects.bulk_create(
        EvidenceItem(
            brand=brand,
            job_id=job.pk,
            platform=PLATFORMS[i % EVIDENCE_PER_CARD],
            recipe_id="IG-1",
            kind="post",
            external_id=uuid.uuid4().hex,
            url=f"https://www.instagram.com/p/bench{i}/",
            author_handle=f"creator_{i}",
            text="A post about AI search visibility and content strategy " * 4,
            published_at=now - timedelta(hours=5 + i),
            metrics={"views": 10_000 + i * 137, "likes": 300 + i},
        )
        for i in range(cards * EVIDENCE_PER_CARD)
    )
    opportunities = Opportunity.objects.bulk_create(
        Opportunity(
            brand=brand,
            job=job,
            rank=rank,
            title=f"Opportunity {rank}: what to post about AI search today",
            hook="“Nobody is talking about this yet.”",
            angle="Show the before/after of a real search result, then explain the change.",
            format="reel",
            platform=PLATFORMS[rank % len(PLATFORMS)],
            pillar="AI search visibility",
            why_now="Three creators posted about it in the last day, on two platforms.",
            confidence=0.8,
            score=90 - rank * 0.5,
            score_parts=PARTS,
        )
        for rank in range(1, cards + 1)
    )
    OpportunityEvidence.objects.bulk_create(
        OpportunityEvidence(
            opportunity=opportunity,
            evidence=items[index * EVIDENCE_PER_CARD + position],
            position=position,
        )
        for index, opportunity in enumerate(opportunities)
        for position in range(EVIDENCE_PER_CARD)
    )


def count_queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=60)
    args = parser.parse_args()

    setup_django("board")
    from _setup import make_user_with_brand
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    # The test client's host; setup_test_environment() would also instrument template
    # rendering, which slows it down and is not what production runs.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    user, brand = make_user_with_brand("board-bench@example.com")
    client = Client()
    client.force_login(user)
    url = reverse("opportunities:today", args=[brand.pk])

    queries = {}
    for cards in (10, 50):
        make_board(brand, user, cards)
        client.get(url)  # warm templates and the session
        queries[cards] = count_queries(client, url)
        page = client.get(url).content.decode()
        assert page.count('class="card opp-card') == cards, "board did not render every card"

    timings = []
    deadline = time.monotonic() + 60
    for _ in range(args.renders):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
        if time.monotonic() > deadline:
            break
    p50, p95 = percentile(timings, 50), percentile(timings, 95)
    size_kb = len(response.content) / 1024
    print(
        f"board of 50 cards x {EVIDENCE_PER_CARD} evidence: {size_kb:.0f} KB, {len(timings)} renders"
    )
    print(
        f"queries: 10 cards -> {queries[10]}, 50 cards -> {queries[50]}"
        f" ({'constant' if queries[10] == queries[50] else 'GROWS with cards'})"
    )
    print(
        f"RESULT queries_10={queries[10]} queries_50={queries[50]} p50_ms={p50:.1f} p95_ms={p95:.1f}"
    )


if __name__ == "__main__":
    main()
