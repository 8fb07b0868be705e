"""Shared set-up for bench scripts: environment, Django, a migrated database, doubles.

`DATABASE_URL` if set (a fresh `<name>_bench` database is created beside it on
PostgreSQL), else a temporary SQLite file. Run from the repo root in the virtualenv.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_ENV = {
    "DJANGO_SETTINGS_MODULE": "kairo.settings",
    "DJANGO_READ_DOT_ENV_FILE": "false",
    "DJANGO_DEBUG": "false",
    "STATIC_MANIFEST": "false",
    "DJANGO_SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
    "ENCRYPTION_KEY": "65CzbHDqVsTR1trkDhmnl-uMKCFCvRSq6MQzNohCOxw=",
    "SECURE_SSL_REDIRECT": "false",
    "JOB_RUNNER_AUTOSTART": "false",
    "LOG_LEVEL": "WARNING",
}


def bench_database_url(suffix: str) -> str:
    """A fresh PostgreSQL database for this bench, or a temporary SQLite file."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        os.environ.pop("DATABASE_URL", None)
        path = Path(tempfile.mkdtemp(prefix="kairo-bench-")) / "bench.sqlite3"
        os.environ["SQLITE_PATH"] = str(path)
        return ""
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'kairo'}_bench_{suffix}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    bench_url = urlunsplit(parts._replace(path=f"/{name}"))
    os.environ["DATABASE_URL"] = bench_url
    return bench_url


def setup_django(suffix: str, **extra_env: str) -> str:
    for key, value in {**BENCH_ENV, **extra_env}.items():
        os.environ.setdefault(key, value)
    url = bench_database_url(suffix)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return url


def make_user_with_brand(email: str, brand_name: str = "Goodie AI"):
    """A user with both keys and a brand with a compiled snapshot (the tests' snapshot)."""
    from brands.models import Brand
    from tests.support.keys import connect_keys
    from tests.support.snapshots import make_snapshot
    from users.models import User

    user = User.objects.create_user(email=email, password="bench-password-123")
    connect_keys(user)
    brand = Brand.objects.create(owner=user, name=brand_name)
    make_snapshot(brand)
    return user, brand


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * pct / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)
