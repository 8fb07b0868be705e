"""The four things a marketer does with an idea — "I'll use this" (with a date), "Not
for us" (with a reason), "Save for later", "Posted" — and undoing the last of them.

One parser (`parse_action`) reads pages' forms and the API's JSON alike, so both say
the same thing about bad input; `record_action` writes the idea's new state and the
change in one transaction; `undo_change` puts the state back as it was before a change,
only while that change is still the idea's latest. "new" (back to no decision) is an
action too, for the API and for undoing a first decision.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from brands.models import Brand
from opportunities.cards import key_metric, safe_link
from opportunities.models import Opportunity
from opportunities.wording import platform_label
from workspace.models import (
    IDEA_FIELDS,
    DismissReason,
    FeedbackChange,
    IdeaFeedback,
    IdeaState,
)

PLAN_HORIZON = timedelta(days=366)
MAX_REASON_TEXT = 200
STATE_CHOICES = ", ".join(f'"{s}"' for s in IdeaState.values)
REASON_CHOICES = ", ".join(f'"{r}"' for r in DismissReason.values)


class InvalidAction(Exception):
    """Bad input, per field, in Kairo's words."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


class NothingToUndo(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Action:
    state: IdeaState
    planned_for: date | None = None
    reason: str = ""
    reason_text: str = ""


def parse_action(data: Mapping[str, Any], today: date) -> Action:
    """An action from a form or a JSON body; raises InvalidAction with every problem."""
    errors: dict[str, str] = {}
    raw_state = data.get("state")
    if not isinstance(raw_state, str) or raw_state not in IdeaState.values:
        raise InvalidAction({"state": f"Choose what to do with the idea: one of {STATE_CHOICES}."})
    state = IdeaState(raw_state)
    planned_for = _planned_date(data.get("planned_for"), today, errors)
    if state == IdeaState.USED and planned_for is None and "planned_for" not in errors:
        errors["planned_for"] = "Pick the day you'll post it."
    reason, text = "", ""
    if state == IdeaState.DISMISSED:
        raw_reason = data.get("reason")
        if not isinstance(raw_reason, str) or raw_reason not in DismissReason.values:
            errors["reason"] = f"Say why it's not for you: one of {REASON_CHOICES}."
        else:
            reason = raw_reason
        raw_text = data.get("reason_text", "")
        if not isinstance(raw_text, str):
            errors["reason_text"] = "Write the reason as text."
        else:
            text = " ".join(raw_text.replace("\x00", "").split())
            if len(text) > MAX_REASON_TEXT:
                errors["reason_text"] = f"Keep the reason under {MAX_REASON_TEXT} characters."
            elif reason == DismissReason.OTHER and not text:
                errors["reason_text"] = "Tell us in a few words why it's not for you."
    if errors:
        raise InvalidAction(errors)
    keeps_date = state in (IdeaState.USED, IdeaState.POSTED)
    return Action(state, planned_for if keeps_date else None, reason, text)


def _planned_date(value: Any, today: date, errors: dict[str, str]) -> date | None:
    if value in (None, ""):
        return None
    try:
        day = date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        day = None
    if day is None:
        errors["planned_for"] = "Give the date as YYYY-MM-DD, for example 2026-05-12."
        return None
    if abs(day - today) > PLAN_HORIZON:
        errors["planned_for"] = "Pick a date within a year of today."
        return None
    return day


def opportunity_for_brand(brand: Brand, opportunity_id: UUID | str) -> Opportunity | None:
    """One of the brand's ideas, on any of its boards (None otherwise)."""
    try:
        return Opportunity.objects.filter(brand=brand, pk=opportunity_id).first()
    except (ValueError, TypeError):
        return None


def _state_of(feedback: IdeaFeedback) -> dict[str, Any]:
    return {
        "state": feedback.state,
        "planned_for": feedback.planned_for.isoformat() if feedback.planned_for else None,
        "reason": feedback.reason,
        "reason_text": feedback.reason_text,
        "decided_at": feedback.decided_at.isoformat(),
    }


def _evidence_links(opportunity: Opportunity) -> list[dict[str, str]]:
    links = []
    citations = opportunity.opportunityevidence_set.select_related("evidence").order_by("position")
    for citation in citations:
        item = citation.evidence
        url = safe_link(item.url)
        if not url:
            continue
        author = f"@{item.author_handle.lstrip('@')}" if item.author_handle else item.author_name
        label = f"{author or 'A post'} on {platform_label(item.platform)}"
        if metric := key_metric(item.metrics):
            label += f", {metric}"
        links.append({"url": url, "label": label})
    return links


def _feedback_for(brand: Brand, opportunity: Opportunity, now: datetime) -> IdeaFeedback:
    feedback, _ = IdeaFeedback.objects.get_or_create(
        opportunity=opportunity,
        defaults={
            "brand": brand,
            **{name: getattr(opportunity, name) for name in IDEA_FIELDS},
            "evidence_links": _evidence_links(opportunity),
            "decided_at": now,
        },
    )
    return IdeaFeedback.objects.select_for_update().get(pk=feedback.pk)


def record_action(
    *, brand: Brand, opportunity: Opportunity, action: Action, now: datetime
) -> FeedbackChange:
    """Set the idea's state; returns the change (its id is the toast's Undo)."""
    with transaction.atomic():
        feedback = _feedback_for(brand, opportunity, now)
        before = _state_of(feedback)
        planned_for: date | None = action.planned_for
        if action.state == IdeaState.POSTED and planned_for is None:
            # Posted keeps the day it was planned for, else it went out today.
            planned_for = feedback.planned_for or timezone.localdate(now)
        feedback.state = action.state
        feedback.planned_for = planned_for
        feedback.reason = action.reason
        feedback.reason_text = action.reason_text
        feedback.decided_at = now
        feedback.save()
        return FeedbackChange.objects.create(
            feedback=feedback, before=before, after=_state_of(feedback), created_at=now
        )


def undo_change(*, brand: Brand, change_id: UUID | str, now: datetime) -> FeedbackChange:
    """Put the idea back as it was before `change_id`; returns the undone change."""
    with transaction.atomic():
        change = (
            FeedbackChange.objects.select_for_update()
            .select_related("feedback")
            .filter(pk=change_id, feedback__brand=brand)
            .first()
        )
        if change is None:
            raise NothingToUndo("There's nothing to undo.")
        if change.undone_at is not None:
            raise NothingToUndo("That was already undone.")
        latest = (
            FeedbackChange.objects.filter(feedback=change.feedback, undone_at__isnull=True)
            .order_by("-created_at")
            .values_list("pk", flat=True)
            .first()
        )
        if latest != change.pk:
            raise NothingToUndo("This idea was changed again since, so that can't be undone.")
        feedback = IdeaFeedback.objects.select_for_update().get(pk=change.feedback_id)
        before = change.before
        feedback.state = before["state"]
        feedback.planned_for = (
            date.fromisoformat(before["planned_for"]) if before["planned_for"] else None
        )
        feedback.reason = before["reason"]
        feedback.reason_text = before["reason_text"]
        feedback.decided_at = datetime.fromisoformat(before["decided_at"])
        feedback.save()
        change.undone_at = now
        change.save(update_fields=["undone_at"])
        change.feedback = feedback
        return change


def done_message(change: FeedbackChange) -> str:
    """The toast after an action."""
    feedback = change.feedback
    title = feedback.title if len(feedback.title) <= 60 else feedback.title[:59] + "…"
    state = feedback.state
    if state == IdeaState.USED and feedback.planned_for:
        day = feedback.planned_for
        return f"Added “{title}” to your plan for {day:%a} {day.day} {day:%b}."
    return {
        IdeaState.SAVED: f"Saved “{title}” for later.",
        IdeaState.DISMISSED: f"Dismissed “{title}”. Kairo will learn from it.",
        IdeaState.POSTED: f"Marked “{title}” as posted.",
        IdeaState.NEW: f"“{title}” is back to new.",
    }.get(IdeaState(state), "Saved.")
