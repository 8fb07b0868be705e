"""PostgreSQL restarted while regenerations run, under the Procfile's gunicorn.

The promise: /health/ tells the truth while the database is away (503) and comes back
by itself (200) in the same worker processes — no app restart; the job runner survives
(its loops close broken connections) and every job still ends, succeeded or failed with
a message — none is left running or lost.
"""

from __future__ import annotations

import time

from tests.faults.cluster import job_rows
from tests.faults.processes import Web, health_status, wait_for

FINISHED = {"succeeded", "partial", "failed"}


def test_app_and_jobs_survive_a_database_restart(
    cluster, fault_db, app_env, seed, fake_apify, tmp_path
):
    fake_apify.default_latency = 3.0  # a job collects for ~6 s (two Apify stages)
    seeded = seed(brands=3)
    # Leases outlast the outage, so no job is reclaimed merely for being out of touch.
    web = Web({**app_env, "JOB_LEASE_SECONDS": "15"}, tmp_path / "web.log")
    try:
        web.wait_healthy()
        workers = web.worker_pids()
        assert len(workers) == 2
        wait_for(
            lambda: all(r["stage"] == "collecting" for r in job_rows(fault_db, seeded["jobs"]).values()),
            what="every job to be collecting",
        )

        cluster.stop()
        stopped = time.monotonic()
        wait_for(lambda: health_status(web.url) == 503, 20, what="/health/ to report 503")
        time.sleep(1.5)  # the outage lasts while the jobs' Apify runs finish
        cluster.start()
        wait_for(lambda: health_status(web.url) == 200, 30, what="/health/ to recover")
        recovered_after = time.monotonic() - stopped

        rows = wait_for(
            lambda: (rows := job_rows(fault_db, seeded["jobs"]))
            and all(r["status"] in FINISHED for r in rows.values())
            and rows,
            90,
            interval=0.3,
            what="every job to end",
        )
        assert web.process.poll() is None
        assert web.worker_pids() == workers, "a worker was restarted"
    finally:
        web.stop()
    log = web.log_text()
    open("/tmp/dbrestart.log", "w").write(log)
    for row in rows.values():
        assert row["status"] == "succeeded", row
        assert row["opportunities"] > 0
    attempts = sorted(r["attempts"] for r in rows.values())
    print(
        f"\nfault db-restart: health back {recovered_after:.1f}s after the stop; "
        f"attempts per job {attempts}; runner errors logged: {log.count('ERROR')}"
    )
