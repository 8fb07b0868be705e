from __future__ import annotations

import os

import pytest
from django.test import Client

from brands.models import Brand
from users.models import User

pytest_plugins = ["tests.fakes.openai", "tests.fakes.apify", "tests.fakes.supabase_fixtures"]


def pytest_configure(config) -> None:
    """In-process tests use a per-process cache unless CACHE_URL says otherwise, so tests
    without a database can clear it. Production's default (the database cache) is what
    the processes tests start use (tests/faults, tests/security/test_processes.py)."""
    if not os.environ.get("CACHE_URL"):
        from django.conf import settings

        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and locks live in the cache: no test sees another's."""
    from django.core.cache import cache

    cache.clear()
    yield


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
