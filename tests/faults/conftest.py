"""Fixtures for fault tests. In-process ones use the shared fixtures (a keyed user, an
onboarded brand: tests/support/fixtures.py); process ones run Kairo's real processes
(gunicorn, run_jobs) against a private PostgreSQL cluster, with the Apify/OpenAI doubles
served from here."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.faults.cluster import PrivateCluster, unavailable_reason
from tests.faults.processes import ROOT, manage, production_env

TEMPLATE_DB = "kairo_faults_template"


@pytest.fixture(scope="session")
def cluster() -> Iterator[PrivateCluster]:
    """One private cluster for the session, with a migrated template database."""
    reason = unavailable_reason()
    if reason:
        pytest.skip(f"needs a private PostgreSQL cluster: {reason}")
    # Not under pytest's tmp dir: the server user must be able to reach its directory.
    base = Path(tempfile.mkdtemp(prefix="kairo-faults-pg-"))
    private = PrivateCluster(base).init()
    try:
        private.start()
        manage(production_env(private.create_database(TEMPLATE_DB)), "migrate", "--noinput")
        yield private
    finally:
        if private.is_running():
            private.stop()
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def fault_db(cluster, request) -> str:
    """A fresh, migrated database for this test (a copy of the template: instant)."""
    name = "faults_" + request.node.name.lower().replace("[", "_").replace("]", "")[:40]
    return cluster.create_database(name, template=TEMPLATE_DB)


@pytest.fixture
def app_env(fault_db, fake_apify, fake_openai) -> dict[str, str]:
    """Production settings for the processes under test: this test's database, the
    doubles, short leases (a dead worker's job is reclaimed within seconds)."""
    return production_env(
        fault_db,
        APIFY_API_URL=fake_apify.url,
        OPENAI_BASE_URL=f"{fake_openai.url}/v1",
        JOB_LEASE_SECONDS="3",
        JOB_RUNNER_AUTOSTART="true",
    )


@pytest.fixture
def seed(app_env) -> Callable[..., dict]:
    """Run tests/faults/seed.py in a subprocess with the app's environment."""

    def run(brands: int = 1, enqueue: bool = True) -> dict:
        email = f"faults-{uuid.uuid4().hex[:8]}@example.com"
        args = [
            sys.executable,
            "-m",
            "tests.faults.seed",
            "--brands",
            str(brands),
            "--email",
            email,
        ]
        if not enqueue:
            args.append("--no-jobs")
        done = subprocess.run(
            args, cwd=ROOT, env=app_env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])

    return run
