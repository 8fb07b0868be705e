"""What the marketer does with ideas: the feedback on each (used, saved, dismissed,
posted), every change to it (so its toast can undo exactly that change), and the brand's
secret calendar feed.

Feedback keeps its own copy of the idea (title, hook, angle, format, platform, pillar,
why now, evidence links): boards are pruned after a while (BOARD_RETENTION_DAYS), a
marketer's plan is not, so the opportunity link is `SET_NULL` and the plan, the exports
and the learning read the copy.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q


class IdeaState(models.TextChoices):
    NEW = "new", "New"
    USED = "used", "I'll use this"
    SAVED = "saved", "Saved for later"
    DISMISSED = "dismissed", "Not for us"
    POSTED = "posted", "Posted"


# Used or posted: what "you used this" means everywhere (plan, learning, balance).
USED_STATES = (IdeaState.USED, IdeaState.POSTED)
# On the plan: used and posted ideas by their date, saved ones in their own list.
PLANNED_STATES = (IdeaState.USED, IdeaState.POSTED, IdeaState.SAVED)


# The idea's own words, copied from its opportunity (and served as they are by the API).
IDEA_FIELDS = ("title", "hook", "angle", "format", "platform", "pillar", "why_now")


class DismissReason(models.TextChoices):
    OFF_BRAND = "off_brand", "Off-brand"
    ALREADY_COVERED = "already_covered", "Already covered"
    NOT_TRENDING = "not_trending", "Not trending"
    WRONG_PLATFORM = "wrong_platform", "Wrong platform"
    OTHER = "other", "Other"


class IdeaFeedback(models.Model):
    """The marketer's current decision on one idea of a brand's board."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    brand = models.ForeignKey("brands.Brand", on_delete=models.CASCADE, related_name="feedback")
    opportunity = models.OneToOneField(
        "opportunities.Opportunity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback",
    )
    # The idea as it was on the board (kept when the board is pruned).
    title = models.CharField(max_length=200)
    hook = models.TextField(blank=True)
    angle = models.TextField(blank=True)
    format = models.CharField(max_length=40, blank=True)
    platform = models.CharField(max_length=20, blank=True)
    pillar = models.CharField(max_length=120, blank=True)
    why_now = models.TextField(blank=True)
    # [{"url": "https://…", "label": "@creator on Instagram, 12.3K views"}], cited order
    evidence_links = models.JSONField(default=list, blank=True)

    state = models.CharField(max_length=16, choices=IdeaState.choices, default=IdeaState.NEW)
    planned_for = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=24, choices=DismissReason.choices, blank=True)
    reason_text = models.CharField(max_length=200, blank=True)
    decided_at = models.DateTimeField()  # when the current state was chosen
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-decided_at"]
        indexes = [
            models.Index(fields=["brand", "state", "planned_for"], name="feedback_plan_idx"),
            models.Index(fields=["brand", "-decided_at"], name="feedback_recent_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="used") | Q(planned_for__isnull=False),
                name="used_idea_has_a_date",
            ),
            models.CheckConstraint(
                condition=~Q(state="dismissed") | ~Q(reason=""),
                name="dismissed_idea_has_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.state})"


class FeedbackChange(models.Model):
    """One action on one idea: the state before and after it. Undo restores `before`,
    and only the latest change of an idea can be undone (an older toast's Undo would
    otherwise throw away what was done since)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    feedback = models.ForeignKey(IdeaFeedback, on_delete=models.CASCADE, related_name="changes")
    # {"state", "planned_for" (ISO date | None), "reason", "reason_text", "decided_at"}
    before = models.JSONField()
    after = models.JSONField()
    created_at = models.DateTimeField()
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["feedback", "-created_at"], name="change_latest_idx")]

    def __str__(self) -> str:
        return f"{self.feedback_id}: {self.before.get('state')} → {self.after.get('state')}"


class CalendarFeed(models.Model):
    """A brand's plan as an iCalendar feed at /calendar/<token>.ics, for calendar apps,
    which subscribe without signing in: the token is the only key. Rotating replaces it
    (the old URL is a 404 at once); turning the feed off deletes the row."""

    brand = models.OneToOneField(
        "brands.Brand", on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    rotated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"calendar feed of {self.brand_id}"
