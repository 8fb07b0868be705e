"""Every URL pattern of the project, filled in with real ids of Alice's objects
(the walker: tests/support/urls.py)."""

from __future__ import annotations

import pytest

from opportunities.models import JobStatus
from tests.support import urls
from tests.support.board import make_board, make_job
from tests.support.snapshots import make_snapshot


@pytest.fixture
def alice_objects(alice_brand) -> dict:
    """Parameter values naming Alice's real objects (so an outsider's 404 means something)."""
    make_snapshot(alice_brand)
    job = make_job(alice_brand, JobStatus.SUCCEEDED)
    [idea] = make_board(job, cards=1, evidence_each=1)
    return urls.route_values(alice_brand, job=job, opportunity=idea)


@pytest.fixture
def routes(alice_objects) -> list[urls.Route]:
    return urls.routes(alice_objects)
