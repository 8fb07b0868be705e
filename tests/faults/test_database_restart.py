"""PostgreSQL restarted while regenerations run, under the Procfile's gunicorn.

The promise: /health/ tells the truth while the database is away (503) and comes back
by itself (200) in the same worker processes — no app restart; the job runner survives
(its loops close broken connections and claim new jobs afterwards) and the jobs that
were collecting carry on to a board without being redone.
"""

from __future__ import annotations

import time

from tests.faults.cluster import job_rows
from tests.faults.processes import Web, health_status
from tests.support.waiting import wait_for

FINISHED = {"succeeded", "partial", "failed"}


def wait_until_finished(database_url: str, job_ids: list[str], timeout: float = 90.0) -> dict:
    def finished() -> dict | None:
        rows = job_rows(database_url, job_ids)
        done = len(rows) == len(job_ids) and all(r["status"] in FINISHED for r in rows.values())
        return rows if done else None

    return wait_for(finished, timeout, interval=0.3, what="every job to end")


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
            lambda: all(
                r["stage"] == "collecting" for r in job_rows(fault_db, seeded["jobs"]).values()
            ),
            what="every job to be collecting",
        )

        cluster.stop()
        stopped = time.monotonic()
        wait_for(lambda: health_status(web.url) == 503, 20, what="/health/ to report 503")
        time.sleep(1.5)  # the outage lasts while the jobs' Apify runs go on
        cluster.start()
        wait_for(lambda: health_status(web.url) == 200, 30, what="/health/ to recover")
        recovered_after = time.monotonic() - stopped

        rows = wait_until_finished(fault_db, seeded["jobs"])
        # The runner still claims work: a regeneration queued after the outage runs too.
        later = seed(brands=1)
        later_rows = wait_until_finished(fault_db, later["jobs"])

        assert web.process.poll() is None
        assert web.worker_pids() == workers, "a worker process was replaced"
    finally:
        web.stop()
        if not cluster.is_running():  # a failure mid-outage must not break later tests
            cluster.start()
    log = web.log_text()
    assert "job runner loop error; retrying" in log  # the outage was felt, and survived
    for row in [*rows.values(), *later_rows.values()]:
        assert row["status"] == "succeeded", row
        assert row["opportunities"] > 0
        assert row["attempts"] == 1, "the job was redone instead of carrying on"
    print(
        f"\nfault db-restart: /health/ 503 then 200 again {recovered_after:.1f}s after the "
        f"stop, same {len(workers)} workers; jobs {[r['status'] for r in rows.values()]} "
        f"with attempts {[r['attempts'] for r in rows.values()]}; a job queued afterwards: "
        f"{[r['status'] for r in later_rows.values()]}"
    )
