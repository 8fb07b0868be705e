"""Today board fixtures: Alice's brand onboarded, her keys connected (builders of jobs,
boards and board states: tests/support/board.py)."""

from __future__ import annotations

import pytest

from brands.models import BrandBrainSnapshot
from tests.support.keys import connect_keys
from tests.support.snapshots import make_snapshot


@pytest.fixture
def snapshot(alice_brand) -> BrandBrainSnapshot:
    return make_snapshot(alice_brand)


@pytest.fixture
def keys(alice) -> None:
    connect_keys(alice)


@pytest.fixture
def ready(snapshot, keys) -> None:
    """Alice's brand is onboarded and her keys are connected."""
