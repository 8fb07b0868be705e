"""Workspace fixtures: Alice's onboarded brand with a board of three ideas (two pillars,
two platforms), and helpers that act on them the way the pages do."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from brands.models import Brand
from opportunities.models import Opportunity
from tests.opportunities.views.conftest import PILLARS, make_board, make_job, make_snapshot
from tests.opportunities.regeneration.conftest import doubles, keyed_alice, onboarded_brand  # noqa: F401
from workspace.actions import Action, record_action
from workspace.models import DismissReason, IdeaFeedback, IdeaState

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/brands/x/today/"}


@pytest.fixture
def board(alice_brand) -> list[Opportunity]:
    """Three ideas: #1 Instagram reel and #2 TikTok short video (first pillar), #3 a
    LinkedIn text post (second pillar)."""
    make_snapshot(alice_brand)
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


def feedback_url(brand: Brand, idea: Opportunity) -> str:
    return reverse("workspace:feedback", args=[brand.pk, idea.pk])


def post_action(client: Client, brand: Brand, idea: Opportunity, htmx: bool = True, **data: str):
    extra = HTMX if htmx else {}
    return client.post(feedback_url(brand, idea), data, **extra)


def decide(
    brand: Brand,
    idea: Opportunity,
    state: IdeaState,
    *,
    when: datetime | None = None,
    planned_for: date | None = None,
    reason: str = "",
    reason_text: str = "",
) -> IdeaFeedback:
    """Record a decision directly, as if taken at `when` (default: now)."""
    when = when or timezone.now()
    if state == IdeaState.USED and planned_for is None:
        planned_for = timezone.localdate(when) + timedelta(days=1)
    if state == IdeaState.DISMISSED and not reason:
        reason = DismissReason.OFF_BRAND
    action = Action(state, planned_for, reason, reason_text)
    return record_action(brand=brand, opportunity=idea, action=action, now=when).feedback


def idea_like(brand: Brand, title: str, **fields: Any) -> Opportunity:
    """One more idea on a new board of the brand (for learning tests)."""
    job = make_job(brand)
    [idea] = make_board(job, cards=1, evidence_each=1, title=title)
    for name, value in fields.items():
        setattr(idea, name, value)
    idea.save()
    return idea
