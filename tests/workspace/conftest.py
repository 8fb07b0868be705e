"""Workspace fixtures: Alice's onboarded brand with a board of three ideas (two pillars,
two platforms). Helpers that act on them the way the pages do: helpers.py."""

from __future__ import annotations

import pytest

from opportunities.models import Opportunity
from tests.support.board import PILLARS, make_board, make_job
from tests.support.snapshots import make_snapshot


@pytest.fixture
def board(alice_brand) -> list[Opportunity]:
    """Three ideas: #1 Instagram reel and #2 TikTok short video (first pillar), #3 a
    LinkedIn text post (second pillar)."""
    make_snapshot(alice_brand, pillars=PILLARS)
    ideas = make_board(make_job(alice_brand), cards=3)
    changes = [
        {"platform": "instagram", "format": "reel", "pillar": PILLARS[0]},
        {"platform": "tiktok", "format": "short video", "pillar": PILLARS[0]},
        {"platform": "linkedin", "format": "text post", "pillar": PILLARS[1]},
    ]
    for idea, fields in zip(ideas, changes, strict=True):
        for name, value in fields.items():
            setattr(idea, name, value)
        idea.save()
    return ideas
