from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from evidence.models import EvidenceItem


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    PARTIAL = "partial", "Partly succeeded"
    FAILED = "failed", "Failed"


ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)
FINISHED_WITH_BOARD = (JobStatus.SUCCEEDED, JobStatus.PARTIAL)


class Stage(models.TextChoices):
    COLLECTING = "collecting", "Collecting evidence"
    ANALYZING = "analyzing", "Analyzing trends"
    SYNTHESIZING = "synthesizing", "Synthesizing opportunities"
    SCORING = "scoring", "Scoring and ranking"


STAGE_ORDER = [Stage.COLLECTING, Stage.ANALYZING, Stage.SYNTHESIZING, Stage.SCORING]


class JobTrigger(models.TextChoices):
    """Who started a regeneration: the user (Regenerate) or their daily schedule."""

    MANUAL = "manual", "Manual"
    SCHEDULED = "scheduled", "Scheduled"


class OpportunitiesJob(models.Model):
    """One regeneration of a brand's Today board.

    Claimed by a runner with a lease (`worker_id`, `lease_expires_at`, renewed by a
    heartbeat); a job whose lease ran out is reclaimed or failed, never left running.
    At most one queued/running job per brand, enforced by a partial unique index.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    brand = models.ForeignKey("brands.Brand", on_delete=models.CASCADE, related_name="jobs")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="opportunities_jobs"
    )
    snapshot_version = models.PositiveIntegerField(null=True, blank=True)
    trigger = models.CharField(max_length=16, choices=JobTrigger.choices, default=JobTrigger.MANUAL)

    status = models.CharField(max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    stage = models.CharField(max_length=16, choices=Stage.choices, blank=True)
    # {recipe_id: {"platform", "status", "item_count", "seconds", "error_code", "message"}}
    recipes = models.JSONField(default=dict, blank=True)
    evidence_count = models.PositiveIntegerField(default=0)
    evidence_by_platform = models.JSONField(default=dict, blank=True)
    opportunity_count = models.PositiveIntegerField(default=0)
    # What grew or appeared against the previous board (opportunities/history.py):
    # {"previous_job_id": str | None, "previous_at": iso | None,
    #  "signals": [{"kind", "name", "before", "after"}]}
    signal_changes = models.JSONField(default=dict, blank=True)

    error_code = models.CharField(max_length=48, blank=True)
    error_message = models.TextField(blank=True)

    timings = models.JSONField(default=dict, blank=True)  # {stage: seconds}
    apify_cost_usd = models.DecimalField(max_digits=10, decimal_places=4, default=0)
    # Apify settles `usageTotalUsd` seconds after a run ends: read again at this time
    # (opportunities/costs.py), off the critical path; until then the cost is preliminary.
    apify_cost_settled = models.BooleanField(default=True)
    cost_settles_at = models.DateTimeField(null=True, blank=True)
    # Opportunities as the model writes them, shown on the progress panel before the
    # final ranked board replaces everything at the end.
    drafts = models.JSONField(default=list, blank=True)
    openai_cost_usd = models.DecimalField(max_digits=10, decimal_places=4, default=0)
    # The model the run asked for (the user's pick), then the one OpenAI says answered.
    openai_model = models.CharField(max_length=100, blank=True)
    prompt_tokens = models.PositiveIntegerField(default=0)
    completion_tokens = models.PositiveIntegerField(default=0)

    attempts = models.PositiveSmallIntegerField(default=0)
    worker_id = models.CharField(max_length=96, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["brand"],
                condition=Q(status__in=["queued", "running"]),
                name="one_active_job_per_brand",
            )
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="job_queue_idx"),
            models.Index(fields=["status", "lease_expires_at"], name="job_lease_idx"),
            models.Index(fields=["brand", "-finished_at"], name="job_brand_finished_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.brand_id} {self.status} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None

    @property
    def total_cost_usd(self):
        return self.apify_cost_usd + self.openai_cost_usd

    @property
    def failed_recipes(self) -> list[dict]:
        return [
            {"recipe_id": rid, **info}
            for rid, info in sorted(self.recipes.items())
            if info.get("status") in ("failed", "empty", "cancelled")
        ]


class Opportunity(models.Model):
    """A ranked content idea on a brand's Today board, backed by evidence items."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    brand = models.ForeignKey(
        "brands.Brand", on_delete=models.CASCADE, related_name="opportunities"
    )
    job = models.ForeignKey(
        OpportunitiesJob, on_delete=models.CASCADE, related_name="opportunities"
    )
    rank = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    hook = models.TextField()
    angle = models.TextField()
    format = models.CharField(max_length=40)
    platform = models.CharField(max_length=20)
    pillar = models.CharField(max_length=120)
    why_now = models.TextField()
    confidence = models.FloatField()
    score = models.FloatField()
    # {"pillar_relevance": 0..1, "outperformance": 0..1, "momentum": 0..1, "recency": 0..1,
    #  "cross_platform": 0..1, "model_confidence": 0..1} — see opportunities/scoring.py
    score_parts = models.JSONField(default=dict)
    # The score's reasons in words, as scored ("3.4× this creator's usual views", …).
    signals = models.JSONField(default=list, blank=True)
    # Why the board's diversity re-ranking moved it, when it did (opportunities/curation.py).
    rank_note = models.CharField(max_length=300, blank=True)
    evidence: models.ManyToManyField[EvidenceItem, OpportunityEvidence] = models.ManyToManyField(
        "evidence.EvidenceItem", through="OpportunityEvidence", related_name="opportunities"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(fields=["job", "rank"], name="one_opportunity_per_rank")
        ]

    def __str__(self) -> str:
        return self.title


class OpportunityEvidence(models.Model):
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE)
    evidence = models.ForeignKey("evidence.EvidenceItem", on_delete=models.CASCADE)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "evidence"], name="cite_evidence_once")
        ]

    def __str__(self) -> str:
        return f"{self.opportunity_id} cites {self.evidence_id}"
