"""The app stopped (SIGTERM, as a deploy does) with regenerations queued and running,
then started again: every job finishes exactly once, none is lost or left running."""

from __future__ import annotations

import time

from tests.faults.cluster import job_rows
from tests.faults.processes import Web, run_jobs
from tests.support.waiting import wait_for

FINISHED = {"succeeded", "partial", "failed"}


def statuses(rows: dict) -> list[str]:
    return sorted(r["status"] for r in rows.values())


def test_web_restart_with_jobs_queued_loses_nothing(fault_db, app_env, seed, fake_apify, tmp_path):
    fake_apify.default_latency = 1.0
    seeded = seed(brands=5)
    job_ids = seeded["jobs"]
    # Two workers x one job thread: two jobs run, three wait in the queue.
    env = {**app_env, "JOB_RUNNER_THREADS": "1"}
    first = Web(env, tmp_path / "web1.log")
    try:
        first.wait_healthy()
        wait_for(
            lambda: statuses(job_rows(fault_db, job_ids)).count("running") == 2,
            what="two jobs running",
        )
    finally:
        stopping = time.monotonic()
        returncode = first.stop()
        stop_seconds = time.monotonic() - stopping
    assert returncode == 0, first.log_text()[-3000:]
    after_stop = job_rows(fault_db, job_ids)
    # Jobs in hand were finished within the grace period; the rest are still queued.
    assert "running" not in statuses(after_stop), after_stop
    assert "failed" not in statuses(after_stop), after_stop
    assert all(r["attempts"] == 0 for r in after_stop.values() if r["status"] == "queued")

    second = Web(env, tmp_path / "web2.log")
    try:
        second.wait_healthy()
        rows = wait_for(
            lambda: (
                (rows := job_rows(fault_db, job_ids))
                and all(r["status"] in FINISHED for r in rows.values())
                and rows
            ),
            60,
            interval=0.2,
            what="every job to finish after the restart",
        )
    finally:
        second.stop()
    assert statuses(rows) == ["succeeded"] * 5
    assert all(r["attempts"] == 1 for r in rows.values()), rows
    print(
        f"\nfault web-restart: SIGTERM with 2 running + 3 queued; stopped in "
        f"{stop_seconds:.1f}s leaving {statuses(after_stop)}; after the restart all 5 "
        "succeeded, each run once"
    )


def test_worker_stopped_mid_job_releases_it_for_the_next(
    fault_db, app_env, seed, fake_apify, tmp_path
):
    fake_apify.default_latency = 3.0  # longer than the grace period: the job can't finish
    seeded = seed(brands=1)
    (job_id,) = seeded["jobs"]
    with (tmp_path / "worker.log").open("wb") as log:
        worker = run_jobs(app_env, "stopping", grace=0.5, log=log)
        try:
            wait_for(
                lambda: job_rows(fault_db, [job_id])[job_id]["stage"] == "collecting",
                what="the job to start collecting",
            )
        finally:
            worker.terminate()
            assert worker.wait(timeout=30) == 0
        released = job_rows(fault_db, [job_id])[job_id]
        assert (released["status"], released["attempts"], released["worker_id"]) == (
            "queued",
            0,
            "",
        )

        worker = run_jobs(app_env, "next", log=log)
        try:
            row = wait_for(
                lambda: (row := job_rows(fault_db, [job_id])[job_id])["status"] in FINISHED and row,
                60,
                interval=0.2,
                what="the released job to finish",
            )
        finally:
            worker.terminate()
            worker.wait(timeout=30)
    assert row["status"] == "succeeded", row
    assert row["attempts"] == 1
    assert row["worker_id"].startswith("next")
    print("\nfault worker-stop: job released on SIGTERM (attempts 0), next worker ran it once")
