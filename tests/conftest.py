from __future__ import annotations

import os
from collections import Counter

import pytest
from django.test import Client

from brands.models import Brand
from tests.support.accounts import PASSWORD
from users.models import User

pytest_plugins = [
    "tests.fakes.openai",
    "tests.fakes.apify",
    "tests.fakes.supabase_fixtures",
    "tests.support.fixtures",
]


def pytest_configure(config) -> None:
    """In-process tests use a per-process cache unless CACHE_URL says otherwise, so tests
    without a database can clear it. Production's default (the database cache) is what
    the processes tests start use (tests/faults, tests/security/test_processes.py)."""
    if not os.environ.get("CACHE_URL"):
        from django.conf import settings

        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and locks live in the cache: no test sees another's."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _openai_on_loopback(settings) -> None:
    """Saving an OpenAI key lists its models (byok/model_choice.py): a test that saves one
    without the OpenAI double reaches a closed loopback port, never api.openai.com. The
    `fake_openai` fixture points the setting at the double."""
    settings.OPENAI_BASE_URL = "http://127.0.0.1:9/v1"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    """Tests log in hundreds of times: a fast hasher keeps that cheap. Production's
    hashers are Django's defaults; nothing here tests their strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def alice(db) -> User:
    return User.objects.create_user(email="alice@example.com", password=PASSWORD)


@pytest.fixture
def bob(db) -> User:
    return User.objects.create_user(email="bob@example.com", password=PASSWORD)


@pytest.fixture
def alice_client(alice) -> Client:
    client = Client()
    client.force_login(alice)
    return client


@pytest.fixture
def bob_client(bob) -> Client:
    client = Client()
    client.force_login(bob)
    return client


@pytest.fixture
def alice_brand(alice) -> Brand:
    return Brand.objects.create(owner=alice, name="Goodie AI")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """End every run by counting the skipped tests and saying why, so `make test` (and CI)
    never skips quietly. Printed even when the count is 0."""
    skipped = terminalreporter.stats.get("skipped", [])
    reasons = Counter(_skip_reason(report) for report in skipped)
    terminalreporter.write_sep("-", f"skipped tests: {len(skipped)}")
    for reason, count in reasons.most_common():
        terminalreporter.write_line(f"{count:>4} × {reason}")


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:  # (path, line, "Skipped: why")
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)
