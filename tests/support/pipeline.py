"""A regeneration run in-process (claim, then the whole pipeline against the doubles),
and the raw database, for tests that look for what must never be stored."""

from __future__ import annotations

from django.db import connection

from brands.models import Brand
from opportunities import jobs
from opportunities.models import OpportunitiesJob
from opportunities.pipeline import run_job
from users.models import User

WORKER = "test-worker"
# Loggers of the HTTP clients the providers' SDKs use, turned to DEBUG by leak tests.
CLIENT_LOGGERS = ["httpx", "httpcore", "httpx2", "httpcore2", "openai", "apify_client", "impit"]


def regenerate(brand: Brand, user: User) -> OpportunitiesJob:
    """Enqueue, claim and run one regeneration of `brand` (snapshot 1) to its end."""
    job, created = jobs.enqueue_regeneration(brand=brand, user=user, snapshot_version=1)
    assert created
    assert jobs.claim_next_job(WORKER) == job.pk
    run_job(job.pk, WORKER)
    job.refresh_from_db()
    return job


def raw_database_dump() -> list[tuple[str, object]]:
    """Every non-null cell of every table, as (table, value)."""
    cells = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                cells.extend((table, value) for value in row if value is not None)
    return cells
