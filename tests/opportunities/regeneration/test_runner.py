"""The runner: in-process threads, and `run_jobs` processes killed mid-job (PostgreSQL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection

from brands.models import Brand
from opportunities import jobs
from opportunities.models import JobStatus, OpportunitiesJob
from opportunities.pipeline import run_job
from opportunities.runner import Runner
from tests.support.snapshots import make_snapshot
from tests.support.waiting import wait_for

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[3]


def make_brands(owner, count: int) -> list[Brand]:
    brands = []
    for n in range(count):
        brand = Brand.objects.create(owner=owner, name=f"Brand {n}")
        make_snapshot(brand)
        brands.append(brand)
    return brands


def test_in_process_runner_runs_each_job_once(keyed_alice, doubles):
    brands = make_brands(keyed_alice, 3)
    runner = Runner(run_job, threads=2, worker_name="inproc").start()
    try:
        for brand in brands:
            jobs.enqueue_regeneration(brand=brand, user=keyed_alice, snapshot_version=1)
        runner.wake()
        wait_for(lambda: OpportunitiesJob.objects.filter(status=JobStatus.SUCCEEDED).count() == 3)
    finally:
        runner.stop(grace_seconds=5)
    assert list(OpportunitiesJob.objects.values_list("attempts", flat=True)) == [1, 1, 1]


def test_stop_releases_unfinished_jobs(keyed_alice, doubles):
    fake_apify, _ = doubles
    fake_apify.default_latency = 3.0
    (brand,) = make_brands(keyed_alice, 1)
    runner = Runner(run_job, threads=1, worker_name="stopper").start()
    job, _ = jobs.enqueue_regeneration(brand=brand, user=keyed_alice, snapshot_version=1)
    runner.wake()
    wait_for(lambda: OpportunitiesJob.objects.filter(pk=job.pk, stage="collecting").exists())
    runner.stop(grace_seconds=0.2)
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    assert job.worker_id == ""
    # The abandoned thread finds its lease gone at its next write and stops writing.
    wait_for(lambda: not any(t.name.startswith("kairo-job") for t in threading.enumerate()))
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED


def _worker(env: dict[str, str], name: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_jobs", "--threads", "1", "--name", name],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.skipif(
    "postgres" not in os.environ.get("DATABASE_URL", ""),
    reason="needs a database shared between processes (PostgreSQL)",
)
def test_killed_worker_job_is_reclaimed_by_another(keyed_alice, doubles, settings):
    fake_apify, fake_openai = doubles
    fake_apify.default_latency = 2.0
    (brand,) = make_brands(keyed_alice, 1)
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "APIFY_API_URL": fake_apify.url,
        "OPENAI_BASE_URL": f"{fake_openai.url}/v1",
        "JOB_LEASE_SECONDS": "2",
        "JOB_RUNNER_AUTOSTART": "false",
    }
    job, _ = jobs.enqueue_regeneration(brand=brand, user=keyed_alice, snapshot_version=1)
    first = _worker(env, "doomed")
    try:
        wait_for(
            lambda: OpportunitiesJob.objects.filter(
                pk=job.pk, status=JobStatus.RUNNING, worker_id__startswith="doomed"
            ).exists()
        )
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        second = _worker(env, "rescuer")
        try:
            wait_for(
                lambda: OpportunitiesJob.objects.filter(
                    pk=job.pk, status=JobStatus.SUCCEEDED
                ).exists()
            )
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
    job.refresh_from_db()
    assert job.attempts == 2
    assert job.worker_id.startswith("rescuer")
    assert job.opportunities.count() > 0
