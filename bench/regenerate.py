"""End-to-end regeneration against the doubles with fixed latencies.

Each Apify actor run takes 2 s, the OpenAI call 1 s. Target:
total ≤ slowest recipe (IG-1: hashtag search then reels) + synthesis + 0.5 s.
"""

from __future__ import annotations

import os
import time

from _setup import setup_django

ACTOR_SECONDS = float(os.environ.get("BENCH_ACTOR_SECONDS", "2.0"))
OPENAI_SECONDS = float(os.environ.get("BENCH_OPENAI_SECONDS", "1.0"))


def main() -> None:
    setup_django("regenerate")
    from _setup import make_user_with_brand
    from django.conf import settings

    from opportunities import jobs
    from opportunities.models import OpportunitiesJob
    from opportunities.pipeline import run_job
    from tests.fakes.apify import FakeApify
    from tests.fakes.openai import FakeOpenAI

    apify, openai = FakeApify(), FakeOpenAI()
    apify.default_latency = ACTOR_SECONDS
    openai.completion_latency = OPENAI_SECONDS
    apify.start()
    openai.start()
    settings.APIFY_API_URL = apify.url
    settings.OPENAI_BASE_URL = f"{openai.url}/v1"
    try:
        user, brand = make_user_with_brand("bench@example.com")
        job, _ = jobs.enqueue_regeneration(brand=brand, user=user, snapshot_version=1)
        started = time.monotonic()
        jobs.claim_next_job("bench")
        run_job(job.pk, "bench")
        total = time.monotonic() - started
    finally:
        apify.stop()
        openai.stop()
    job = OpportunitiesJob.objects.get(pk=job.pk)
    slowest = max(r["seconds"] for r in job.recipes.values())
    synthesis = job.timings.get("synthesizing", 0.0)
    overhead = total - slowest - synthesis
    print(
        f"status={job.status} evidence={job.evidence_count} opportunities={job.opportunity_count}"
    )
    for rid, row in sorted(job.recipes.items()):
        print(f"  {rid:10s} {row['status']:9s} items={row['item_count']:3d} {row['seconds']:.2f}s")
    print(f"timings={job.timings}")
    print(
        f"target: total <= slowest + synthesis + 0.5 s -> {'met' if overhead <= 0.5 else 'MISSED'}"
    )
    print(
        f"RESULT total_s={total:.2f} slowest_recipe_s={slowest:.2f} "
        f"synthesis_s={synthesis:.2f} overhead_s={overhead:.2f}"
    )


if __name__ == "__main__":
    main()
