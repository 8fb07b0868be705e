"""40 queued jobs drained by 1, then by 3 `run_jobs` processes.

Checks that no job runs twice and none is lost, and that throughput scales with
processes (target: 3 processes ≥ 2.5 × 1 process). Each job runs the real pipeline
against the doubles, one job at a time per process. Like a real job, its time is mostly
waiting on the services (Apify runs 0.6 s, each OpenAI call 0.4 s), so the ratio
measures the design (claiming, leases, no shared bottleneck), not the machine's cores;
`cpu_s_per_job` (the run_jobs processes' CPU time per job) says how far that holds.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time

from _setup import ROOT, make_user_with_brand, setup_django

JOBS = int(os.environ.get("BENCH_JOBS", "40"))
THREADS = int(os.environ.get("BENCH_THREADS", "1"))  # jobs at once per process
ACTOR_SECONDS = 0.6
OPENAI_SECONDS = 0.4


def drain(processes: int, env: dict[str, str]) -> float:
    from opportunities.models import ACTIVE_STATUSES, OpportunitiesJob

    started = time.monotonic()
    workers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "run_jobs", "--threads", str(THREADS), "--name", f"w{n}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        for n in range(processes)
    ]
    try:
        deadline = started + 110
        while OpportunitiesJob.objects.filter(status__in=ACTIVE_STATUSES).exists():
            if time.monotonic() > deadline:
                break
            time.sleep(0.05)
        return time.monotonic() - started
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)


def main() -> None:
    url = setup_django("workers")
    from django.db import connection

    from brands.models import Brand
    from opportunities import jobs
    from opportunities.models import JobStatus, OpportunitiesJob
    from tests.fakes.apify import FakeApify
    from tests.fakes.openai import FakeOpenAI
    from tests.support.snapshots import SNAPSHOT, make_snapshot

    apify, openai = FakeApify(), FakeOpenAI()
    apify.default_latency = ACTOR_SECONDS
    openai.completion_latency = OPENAI_SECONDS
    apify.start()
    openai.start()
    env = {
        **os.environ,
        "APIFY_API_URL": apify.url,
        "OPENAI_BASE_URL": f"{openai.url}/v1",
        "DATABASE_URL": url,
    }
    user, first_brand = make_user_with_brand("workers@example.com")
    brands = [first_brand]
    for n in range(1, JOBS):
        brand = Brand.objects.create(owner=user, name=f"Brand {n}")
        make_snapshot(brand)
        brands.append(brand)
    connection.close()

    from django.conf import settings

    from opportunities.synthesis import plan_calls

    calls_per_job = len(plan_calls(SNAPSHOT["pillars"], settings.SYNTHESIS_PARALLEL_CALLS))
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    throughput = {}
    for processes in (1, 3):
        for brand in brands:
            jobs.enqueue_regeneration(brand=brand, user=user, snapshot_version=1)
        connection.close()
        calls_before = openai.completion_calls
        seconds = drain(processes, env)
        done = OpportunitiesJob.objects.filter(
            status=JobStatus.SUCCEEDED, finished_at__isnull=False
        ).count()
        throughput[processes] = JOBS / seconds
        print(
            f"{processes} process(es): {JOBS} jobs in {seconds:.1f}s = "
            f"{throughput[processes]:.2f} jobs/s; model calls {openai.completion_calls - calls_before}"
        )
        assert done >= JOBS * (1 if processes == 1 else 2)

    all_jobs = OpportunitiesJob.objects.all()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (children.ru_utime - children_before.ru_utime) + (
        children.ru_stime - children_before.ru_stime
    )
    ran_twice = all_jobs.filter(attempts__gt=1).count() + max(
        0, openai.completion_calls // calls_per_job - all_jobs.count()
    )
    lost = all_jobs.exclude(status=JobStatus.SUCCEEDED).count()
    apify.stop()
    openai.stop()
    scale = throughput[3] / throughput[1]
    backend = "postgresql" if url else "sqlite"
    print(f"database={backend} target scale >= 2.5 -> {'met' if scale >= 2.5 else 'MISSED'}")
    print(
        f"RESULT jobs={all_jobs.count()} ran_twice={ran_twice} lost={lost} "
        f"throughput_1={throughput[1]:.2f} throughput_3={throughput[3]:.2f} scale={scale:.2f} "
        f"cpu_s_per_job={cpu / max(1, all_jobs.count()):.3f}"
    )


if __name__ == "__main__":
    main()
