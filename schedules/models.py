"""A brand's daily refresh (`BrandSchedule`) and what happened at each of its slots
(`ScheduledRun`).

`BrandSchedule.next_run_at` is the next slot in UTC. Claiming a slot is one conditional
UPDATE that moves it to the following slot (schedules/scheduler.py), so among any number
of processes exactly one wins it; `ScheduledRun`'s unique (brand, slot_at) is the second
guard. A `ScheduledRun` records the outcome (a job started, a job already running joined,
or skipped with a reason) and the email that follows it.
"""

from __future__ import annotations

import uuid
from datetime import time, timedelta

from django.db import models
from django.db.models import Q

DEFAULT_LOCAL_TIME = time(7, 0)
CAUGHT_UP_AFTER = timedelta(minutes=10)  # claimed this long after its slot: a catch-up


class Days(models.TextChoices):
    EVERY_DAY = "every_day", "Every day"
    WEEKDAYS = "weekdays", "Weekdays (Mon–Fri)"


class BrandSchedule(models.Model):
    brand = models.OneToOneField(
        "brands.Brand", on_delete=models.CASCADE, primary_key=True, related_name="schedule"
    )
    enabled = models.BooleanField(default=False)
    local_time = models.TimeField(default=DEFAULT_LOCAL_TIME)
    time_zone = models.CharField(max_length=64, default="UTC")  # an IANA name
    days = models.CharField(max_length=16, choices=Days.choices, default=Days.EVERY_DAY)
    emails_enabled = models.BooleanField(default=True)  # the digest and "needs attention"
    next_run_at = models.DateTimeField(null=True, blank=True)  # UTC; None while off
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["next_run_at"], condition=Q(enabled=True), name="schedule_due_idx")
        ]

    def __str__(self) -> str:
        state = "on" if self.enabled else "off"
        return f"{self.brand_id} {state} {self.local_time:%H:%M} {self.time_zone} {self.days}"


class RunOutcome(models.TextChoices):
    STARTED = "started", "Started"
    JOINED = "joined", "Joined the run already going"
    SKIPPED = "skipped", "Skipped"


class EmailState(models.TextChoices):
    NONE = "none", "No email"
    PENDING = "pending", "Waiting for the run to end"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Could not be sent"


class EmailKind(models.TextChoices):
    DIGEST = "digest", "Digest"
    PROBLEM = "problem", "Needs attention"


class ScheduledRun(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    brand = models.ForeignKey(
        "brands.Brand", on_delete=models.CASCADE, related_name="scheduled_runs"
    )
    slot_at = models.DateTimeField()  # the slot this run is for (UTC)
    claimed_at = models.DateTimeField()
    outcome = models.CharField(max_length=16, choices=RunOutcome.choices)
    # Pruning a run's job (manage.py prune_history) takes this record with it.
    job = models.ForeignKey(
        "opportunities.OpportunitiesJob",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="scheduled_runs",
    )
    reason_code = models.CharField(max_length=48, blank=True)
    reason_message = models.TextField(blank=True)
    email_state = models.CharField(
        max_length=16, choices=EmailState.choices, default=EmailState.NONE
    )
    email_kind = models.CharField(max_length=16, choices=EmailKind.choices, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-slot_at"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "slot_at"], name="one_run_per_brand_slot")
        ]
        indexes = [
            models.Index(
                fields=["claimed_at"],
                condition=Q(email_state="pending"),
                name="scheduled_run_email_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.brand_id} {self.slot_at:%Y-%m-%d %H:%M} {self.outcome}"

    @property
    def caught_up(self) -> bool:
        return self.claimed_at - self.slot_at > CAUGHT_UP_AFTER
