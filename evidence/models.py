from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from brands.models import Brand, Platform


class EvidenceKind(models.TextChoices):
    POST = "post", "Post"
    REEL = "reel", "Reel"
    VIDEO = "video", "Video"
    SHORT = "short", "Short"
    TREND_HASHTAG = "trend_hashtag", "Trending hashtag"
    TREND_SOUND = "trend_sound", "Trending sound"
    TREND_CREATOR = "trend_creator", "Trending creator"
    TREND_VIDEO = "trend_video", "Trending video"


class EvidenceItem(models.Model):
    """One normalized social item a regeneration collected; opportunities cite these.

    `job_id` is the regeneration's id as a plain UUID: evidence knows nothing of
    opportunities (dependencies point opportunities -> evidence). `raw` keeps the
    actor's item as returned, because it is the evidence."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="evidence_items")
    job_id = models.UUIDField(db_index=True)
    platform = models.CharField(max_length=16, choices=Platform.choices)
    recipe_id = models.CharField(max_length=32)
    kind = models.CharField(max_length=16, choices=EvidenceKind.choices)
    external_id = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    author_handle = models.CharField(max_length=200, blank=True)
    author_name = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    hashtags = models.JSONField(default=list, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    metrics = models.JSONField(default=dict, blank=True)
    transcript = models.TextField(blank=True)
    raw = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_at", "created_at"]
        indexes = [
            models.Index(fields=["brand", "job_id"]),
            models.Index(fields=["brand", "platform", "external_id"]),
            models.Index(fields=["brand", "-published_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["job_id", "platform", "external_id"],
                condition=~Q(external_id=""),
                name="evidence_unique_external_id_per_job",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} {self.get_kind_display()} {self.external_id or self.url}"
