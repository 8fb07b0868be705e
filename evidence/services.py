"""Writing collected evidence to the database."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.db import transaction

from brands.models import Brand
from evidence.models import EvidenceItem
from evidence.normalize import NormalizedEvidence


def save_evidence(
    *, brand: Brand, job_id: uuid.UUID, items: Iterable[NormalizedEvidence]
) -> list[EvidenceItem]:
    """Store one regeneration's de-duplicated evidence for `brand`; returns the rows in order."""
    rows = [
        EvidenceItem(
            brand=brand,
            job_id=job_id,
            platform=item.platform,
            recipe_id=item.recipe_id,
            kind=item.kind,
            external_id=item.external_id[:200],
            url=item.url[:1000],
            author_handle=item.author_handle[:200],
            author_name=item.author_name[:300],
            text=item.text,
            hashtags=list(item.hashtags),
            published_at=item.published_at,
            metrics=dict(item.metrics),
            transcript=item.transcript,
            raw=item.raw,
        )
        for item in items
    ]
    with transaction.atomic():
        return EvidenceItem.objects.bulk_create(rows)
