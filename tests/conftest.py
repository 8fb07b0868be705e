from __future__ import annotations

import pytest
from django.test import Client

from brands.models import Brand
from users.models import User

pytest_plugins = ["tests.fakes.openai", "tests.fakes.apify"]

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
