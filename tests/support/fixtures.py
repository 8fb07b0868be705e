"""Fixtures every test folder may use (a pytest plugin: tests/conftest.py registers it)."""

from __future__ import annotations

import pytest

from tests.support.keys import connect_keys
from tests.support.snapshots import make_snapshot


@pytest.fixture
def keyed_alice(alice):
    """Alice with both keys connected."""
    connect_keys(alice)
    return alice


@pytest.fixture
def onboarded_brand(alice_brand):
    """Alice's Goodie AI with compiled snapshot 1 (tests/support/snapshots.py)."""
    make_snapshot(alice_brand)
    return alice_brand


@pytest.fixture
def doubles(fake_apify, fake_openai):
    """Apify and OpenAI answered by the loopback doubles (tests/fakes)."""
    return fake_apify, fake_openai
