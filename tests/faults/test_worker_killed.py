"""A gunicorn worker SIGKILLed while it runs a regeneration (OOM killer, crash).

tests/opportunities/regeneration/test_runner.py covers a killed `run_jobs` process; this is the web
worker's own in-process runner: the job's lease runs out, a runner in the surviving or
replacement worker requeues it, and it finishes — run twice, never lost, never doubled.
"""

from __future__ import annotations

import os
import signal
import time

from tests.faults.cluster import job_rows
from tests.faults.processes import Web, health_status
from tests.support.waiting import wait_for


def owner_pid(worker_id: str) -> int:
    """Runner ids are host:pid:suffix (opportunities.runner.Runner)."""
    return int(worker_id.split(":")[1])


def test_job_of_a_killed_gunicorn_worker_is_reclaimed(
    fault_db, app_env, seed, fake_apify, tmp_path
):
    fake_apify.default_latency = 2.0
    seeded = seed(brands=1)
    (job_id,) = seeded["jobs"]
    web = Web(app_env, tmp_path / "web.log")
    try:
        web.wait_healthy()
        running = wait_for(
            lambda: (row := job_rows(fault_db, [job_id])[job_id])["status"] == "running" and row,
            what="the job to be claimed",
        )
        victim = owner_pid(running["worker_id"])
        assert victim in web.worker_pids()
        os.kill(victim, signal.SIGKILL)
        killed = time.monotonic()

        row = wait_for(
            lambda: (
                (row := job_rows(fault_db, [job_id])[job_id])["status"] != "running"
                and row["status"] != "queued"
                and row
            ),
            60,
            interval=0.2,
            what="the job to end after its worker died",
        )
        finished_after = time.monotonic() - killed
        assert health_status(web.url) == 200
        wait_for(lambda: len(web.worker_pids()) == 2, 30, what="gunicorn to replace the worker")
        assert victim not in web.worker_pids()
    finally:
        web.stop()

    assert row["status"] == "succeeded", row
    assert row["attempts"] == 2
    assert owner_pid(row["worker_id"]) != victim
    assert row["opportunities"] > 0
    print(
        f"\nfault worker-killed: job reclaimed and succeeded {finished_after:.1f}s after "
        f"SIGKILL of its worker (lease {app_env['JOB_LEASE_SECONDS']}s), attempts "
        f"{row['attempts']}"
    )
