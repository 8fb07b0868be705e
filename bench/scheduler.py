"""1,000 brands due in the same minute; the scheduler loops of 3 processes race for them.

Each process runs what every runner loop runs (`schedules.tick.run_scheduled_work`:
enqueue due slots, then send emails of ended runs), all released at the same instant,
until nothing is due; `enqueue_s` is the time until the last process enqueued its last. Checked: exactly one job per
brand for the slot, none twice, none missed. Then the jobs finish and a second slot a
day later is raced the same way: each brand gets one new job, and no job of the first
slot is enqueued again. On PostgreSQL when DATABASE_URL is set (a fresh database beside
it), else on a temporary SQLite file.

    python bench/scheduler.py            # BENCH_BRANDS=1000 BENCH_PROCESSES=3
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from _setup import BENCH_ENV, ROOT, setup_django

BRANDS = int(os.environ.get("BENCH_BRANDS", "1000"))
PROCESSES = int(os.environ.get("BENCH_PROCESSES", "3"))
BRANDS_PER_USER = 20
SLOT = datetime(2025, 6, 2, 7, 0, tzinfo=UTC)  # a Monday, 07:00 UTC
ZONES = ["UTC", "Europe/London", "Africa/Lagos", "Europe/Berlin", "Asia/Dubai"]  # same minute


def worker(now_iso: str, start_at: float) -> None:
    """One racing process: tick until nothing is due, then print what it claimed."""
    for key, value in BENCH_ENV.items():  # the parent's database: DATABASE_URL/SQLITE_PATH
        os.environ.setdefault(key, value)
    import django

    django.setup()
    from django.db import connection
    from django.urls import get_resolver

    from schedules.dispatch import send_pending_emails
    from schedules.models import BrandSchedule
    from schedules.scheduler import enqueue_due_schedules

    now = datetime.fromisoformat(now_iso)
    # Before the start line, as in a running loop: connected, the URLconf and the
    # pipeline imported (links in skip reasons are reversed).
    connection.ensure_connection()
    assert get_resolver().url_patterns
    time.sleep(max(0.0, start_at - time.time()))
    claimed: Counter = Counter()
    # The two halves of schedules.tick.run_scheduled_work, timed apart: enqueue, emails.
    while BrandSchedule.objects.filter(enabled=True, next_run_at__lte=now).exists():
        claimed.update(enqueue_due_schedules(now))
    enqueued_at = time.time()
    send_pending_emails(now)
    report = {"claimed": dict(claimed), "done_at": enqueued_at, "emails_done_at": time.time()}
    print(json.dumps(report))


def create_brands() -> None:
    from datetime import time as clock

    from brands.models import Brand, BrandBrainSnapshot
    from schedules.models import BrandSchedule
    from schedules.slots import next_slot_after
    from tests.support.keys import connect_keys
    from tests.support.snapshots import SNAPSHOT
    from users.models import User

    brands = []
    for u in range(0, BRANDS, BRANDS_PER_USER):
        user = User.objects.create_user(email=f"bench{u}@example.com")
        connect_keys(user)
        for n in range(u, min(u + BRANDS_PER_USER, BRANDS)):
            brands.append(Brand(owner=user, name=f"Brand {n}", slug=f"brand-{n}"))
    Brand.objects.bulk_create(brands, batch_size=500)
    BrandBrainSnapshot.objects.bulk_create(
        [BrandBrainSnapshot(brand=b, version=1, data=SNAPSHOT) for b in brands], batch_size=500
    )
    schedules = []
    for n, brand in enumerate(brands):
        zone = ZONES[n % len(ZONES)]
        local = SLOT.astimezone(ZoneInfo(zone)).time()
        first = next_slot_after(
            SLOT - timedelta(seconds=1),
            local_time=clock(local.hour),
            time_zone=zone,
            days="every_day",
        )
        assert first == SLOT, (zone, first)
        schedules.append(
            BrandSchedule(
                brand=brand,
                enabled=True,
                local_time=clock(local.hour),
                time_zone=zone,
                emails_enabled=False,
                next_run_at=first,
            )
        )
    BrandSchedule.objects.bulk_create(schedules, batch_size=500)


def race(now: datetime, env: dict[str, str]) -> tuple[float, list[dict]]:
    start_at = time.time() + 4.0  # every process set up and connected before this
    procs = [
        subprocess.Popen(
            [sys.executable, __file__, "--worker", now.isoformat(), str(start_at)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    reports = []
    for proc in procs:
        out, _ = proc.communicate(timeout=110)
        assert proc.returncode == 0, f"a racing process failed (exit {proc.returncode})"
        reports.append(json.loads(out.strip().splitlines()[-1]))
    return max(r["done_at"] for r in reports) - start_at, reports


def count_slot(slot: datetime) -> tuple[int, int, int]:
    """(brands with exactly one job for the slot, with more than one, with none)."""
    from django.db.models import Count, Q

    from brands.models import Brand
    from opportunities.models import JobTrigger

    jobs_for_slot = Count(
        "scheduled_runs__job",
        filter=Q(scheduled_runs__slot_at=slot, scheduled_runs__job__trigger=JobTrigger.SCHEDULED),
    )
    counts = list(Brand.objects.annotate(n=jobs_for_slot).values_list("n", flat=True))
    return counts.count(1), sum(1 for c in counts if c > 1), counts.count(0)


def main() -> None:
    url = setup_django("scheduler")
    from django.db import connection

    from opportunities.models import ACTIVE_STATUSES, OpportunitiesJob
    from schedules.models import ScheduledRun

    create_brands()
    connection.close()
    env = {**os.environ, "DATABASE_URL": url} if url else dict(os.environ)
    backend = "postgresql" if url else "sqlite"
    results = []
    first_slot_jobs: set = set()
    for day, slot in enumerate((SLOT, SLOT + timedelta(days=1))):
        seconds, reports = race(slot + timedelta(seconds=20), env)  # due within the minute
        once, twice, missed = count_slot(slot)
        jobs_of_slot = set(
            ScheduledRun.objects.filter(slot_at=slot).values_list("job_id", flat=True)
        )
        reused = len(jobs_of_slot & first_slot_jobs)
        first_slot_jobs |= jobs_of_slot
        claimed = [r["claimed"] for r in reports]
        print(
            f"slot {day + 1} ({slot:%Y-%m-%d %H:%M} UTC, {backend}, {PROCESSES} processes): "
            f"once={once} twice={twice} missed={missed} first-slot jobs again={reused} "
            f"in {seconds:.2f}s; per process {claimed}"
        )
        results.append((once, twice + reused, missed, seconds))
        OpportunitiesJob.objects.filter(status__in=ACTIVE_STATUSES).update(
            status="succeeded", finished_at=slot + timedelta(minutes=5)
        )
        connection.close()
    once = min(r[0] for r in results)
    twice = sum(r[1] for r in results)
    missed = sum(r[2] for r in results)
    enqueue_s = max(r[3] for r in results)
    ok = once == BRANDS and twice == 0 and missed == 0
    print(f"target: every brand exactly once per slot -> {'met' if ok else 'MISSED'}")
    print(
        f"RESULT brands={BRANDS} enqueued_once={once} enqueued_twice={twice} "
        f"missed={missed} enqueue_s={enqueue_s:.2f}"
    )


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--worker":
        worker(sys.argv[2], float(sys.argv[3]))
    else:
        main()
