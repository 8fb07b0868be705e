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
