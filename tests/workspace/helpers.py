"""Acting on ideas the way the workspace pages do, and recording decisions directly."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from brands.models import Brand
from opportunities.models import Opportunity
from tests.support.board import make_board, make_job
from workspace.actions import Action, record_action
from workspace.models import DismissReason, IdeaFeedback, IdeaState

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/brands/x/today/"}


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
