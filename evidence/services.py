"""Writing collected evidence to the database."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from brands.models import Brand
from evidence.models import EvidenceItem
from evidence.normalize import NormalizedEvidence


def storable(value: Any) -> Any:
    """`value` without NUL characters, which PostgreSQL can't hold in text or JSON (one in
    a scraped caption would otherwise fail the whole regeneration)."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [storable(item) for item in value]
    if isinstance(value, dict):
        return {storable(key): storable(item) for key, item in value.items()}
    return value


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
            external_id=storable(item.external_id)[:200],
            url=storable(item.url)[:1000],
            author_handle=storable(item.author_handle)[:200],
            author_name=storable(item.author_name)[:300],
            text=storable(item.text),
            hashtags=storable(list(item.hashtags)),
            published_at=item.published_at,
            metrics=storable(dict(item.metrics)),
            transcript=storable(item.transcript),
            raw=storable(item.raw),
        )
        for item in items
    ]
    with transaction.atomic():
        return EvidenceItem.objects.bulk_create(rows)
