from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.text import slugify


class Brand(models.Model):
    """A brand a marketer teaches Kairo. `owner` is nullable only so that ownerless
    legacy rows can exist until `migrate_goodie` assigns them; no page shows those."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="brands",
    )
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "created_at"]
        indexes = [models.Index(fields=["owner", "name"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.slug = slugify(self.name)[:120]
        super().save(*args, **kwargs)


class OnboardingAnswers(models.Model):
    """What the user told the wizard, saved step by step so nothing is lost between
    visits. The brand name itself stays on `Brand`. `drafts` keeps raw input of a step
    the user left with "Back" or with errors, so it comes back exactly as typed."""

    brand = models.OneToOneField(Brand, on_delete=models.CASCADE, related_name="onboarding_answers")
    # Basics
    website = models.URLField(max_length=200, blank=True)
    industry = models.CharField(max_length=40, blank=True)
    positioning = models.TextField(max_length=300, blank=True)
    audience = models.CharField(max_length=200, blank=True)
    country = models.CharField(max_length=2, blank=True)
    language = models.CharField(max_length=8, blank=True)
    # Details
    pillars = models.JSONField(default=list, blank=True)
    keywords = models.JSONField(default=list, blank=True)
    hashtags = models.JSONField(default=list, blank=True)
    competitors = models.JSONField(default=list, blank=True)
    tone = models.CharField(max_length=200, blank=True)
    avoid = models.JSONField(default=list, blank=True)

    drafts = models.JSONField(default=dict, blank=True)
    basics_completed_at = models.DateTimeField(null=True, blank=True)
    sources_completed_at = models.DateTimeField(null=True, blank=True)
    details_completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "onboarding answers"

    def __str__(self) -> str:
        return f"Onboarding answers for {self.brand}"


class Platform(models.TextChoices):
    INSTAGRAM = "instagram", "Instagram"
    TIKTOK = "tiktok", "TikTok"
    YOUTUBE = "youtube", "YouTube"
    LINKEDIN = "linkedin", "LinkedIn"


class SourceConnection(models.Model):
    """One of the brand's own social accounts, stored in canonical form."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="sources")
    platform = models.CharField(max_length=20, choices=Platform.choices)
    handle = models.CharField(max_length=100)
    url = models.URLField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["platform"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "platform"], name="one_source_per_platform")
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()}: {self.handle}"


class ImmutableSnapshotError(Exception):
    """Raised when code tries to change a snapshot that has already been written."""


class SnapshotQuerySet(models.QuerySet):
    def update(self, **kwargs) -> int:
        raise ImmutableSnapshotError("BrandBrain snapshots are immutable; they cannot be updated.")


class BrandBrainSnapshot(models.Model):
    """The compiled brand context the pipeline reads. Written once, never changed:
    compiling again after an edit creates version N+1 and keeps the old ones."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="snapshots")
    version = models.PositiveIntegerField()
    data = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["brand", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "version"], name="unique_snapshot_version")
        ]

    def __str__(self) -> str:
        return f"{self.brand} v{self.version}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ImmutableSnapshotError(
                "BrandBrain snapshots are immutable; compile a new version instead."
            )
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)
