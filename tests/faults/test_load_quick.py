"""bench/load.py in its short form: gunicorn under concurrent signed-in users while
regenerations run. No timing is asserted — only that nothing failed and every
regeneration ended with a board. Needs PostgreSQL (the production database)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tests.faults.processes import ROOT

RESULT = re.compile(
    r"^RESULT requests=(?P<requests>\d+) errors=(?P<errors>\d+) p50_ms=[\d.]+ p95_ms=[\d.]+ "
    r"p99_ms=[\d.]+ jobs_done=(?P<jobs_done>\d+) peak_rss_mb=(?P<rss>[\d.]+)$"
)


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the load run measures the production setup: set DATABASE_URL to PostgreSQL",
)
def test_quick_load_run_has_no_errors_and_finishes_every_job():
    done = subprocess.run(
        [sys.executable, "bench/load.py", "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.strip().splitlines()
    result = RESULT.match(lines[-1])
    assert result, done.stdout[-3000:]
    assert int(result["errors"]) == 0, done.stdout
    assert int(result["jobs_done"]) == 3, done.stdout  # --quick runs 3 regenerations
    assert int(result["requests"]) > 0
    assert float(result["rss"]) > 0
    assert "log errors: 0" in done.stdout, done.stdout
    print("\n" + "\n".join(lines[-12:]))
