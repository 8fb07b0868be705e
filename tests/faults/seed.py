"""Seed a fault-test database from a subprocess: `python -m tests.faults.seed --brands N`.

Runs with the same environment as the app processes under test (DATABASE_URL,
ENCRYPTION_KEY), so the keys it saves are the ones those processes decrypt. Creates one
user with both keys and N onboarded brands, queues a regeneration for each (unless
--no-jobs) and prints {"user", "brands", "jobs"} as JSON.
"""

from __future__ import annotations

import argparse
import json
import os


def seed(email: str, brands: int, enqueue: bool) -> dict:
    from brands.models import Brand
    from opportunities import jobs
    from tests.support.keys import connect_keys
    from tests.support.snapshots import make_snapshot
    from users.models import User

    user = User.objects.create_user(email=email, password="fault-password-123")
    connect_keys(user)
    brand_ids, job_ids = [], []
    for n in range(brands):
        brand = Brand.objects.create(owner=user, name=f"Fault brand {n}")
        make_snapshot(brand)
        brand_ids.append(str(brand.pk))
        if enqueue:
            job, _ = jobs.enqueue_regeneration(brand=brand, user=user, snapshot_version=1)
            job_ids.append(str(job.pk))
    return {"user": str(user.pk), "brands": brand_ids, "jobs": job_ids}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--email", default="faults@example.com")
    parser.add_argument("--brands", type=int, default=1)
    parser.add_argument("--no-jobs", action="store_true")
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kairo.settings")
    import django

    django.setup()
    print(json.dumps(seed(options.email, options.brands, not options.no_jobs)))


if __name__ == "__main__":
    main()
