"""Benchmark: the whole evidence plan, one recipe at a time vs all at once.

Runs against the loopback Apify double (tests/fakes/apify.py) with a fixed latency per
actor run, through the real apify-client. The parallel wall time should be close to the
slowest single recipe (IG-1: stage 1 + stage 2), not to the sum.

    .venv/bin/python bench/collect_fanout.py [--latency 2.0]

Last line: RESULT sequential_s=<x> parallel_s=<x> slowest_s=<x> ratio=<parallel/slowest>
"""

from __future__ import annotations

import argparse
import time

from _setup import setup_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=2.0, help="seconds per actor run")
    args = parser.parse_args()
    setup_django("fanout")

    from django.conf import settings

    from evidence.collect import collect_evidence
    from evidence.recipes import DEFAULT_EXECUTION_PLAN
    from tests.fakes.apify import VALID_TOKEN, FakeApify
    from tests.support.snapshots import SNAPSHOT

    fake = FakeApify(default_latency=args.latency)
    fake.start()
    settings.APIFY_API_URL = fake.url
    try:
        per_recipe: dict[str, float] = {}
        sequential_started = time.perf_counter()
        for recipe_id in DEFAULT_EXECUTION_PLAN:
            started = time.perf_counter()
            result = collect_evidence(SNAPSHOT, VALID_TOKEN, plan=[recipe_id])
            per_recipe[recipe_id] = time.perf_counter() - started
            outcome = result.outcomes[recipe_id]
            print(
                f"  {recipe_id:<10} {outcome.status:<9} {outcome.item_count:>4} items  {per_recipe[recipe_id]:.2f} s"
            )
        sequential = time.perf_counter() - sequential_started

        started = time.perf_counter()
        result = collect_evidence(SNAPSHOT, VALID_TOKEN)
        parallel = time.perf_counter() - started
        failed = [o.recipe_id for o in result.outcomes.values() if o.status != "succeeded"]
        print(
            f"  parallel: {len(result.items)} de-duplicated items, cost ${result.cost_usd:.4f}, "
            f"failed: {failed or 'none'}"
        )
    finally:
        fake.stop()

    slowest = max(per_recipe.values())
    print(f"latency per actor run: {args.latency:.2f} s; recipes: {len(per_recipe)}")
    print(
        f"RESULT sequential_s={sequential:.2f} parallel_s={parallel:.2f} "
        f"slowest_s={slowest:.2f} ratio={parallel / slowest:.3f}"
    )


if __name__ == "__main__":
    main()
