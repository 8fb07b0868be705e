"""One compiled BrandBrain snapshot (the shape brands/snapshots.py writes) for every test
that needs a brand Kairo can regenerate; tests change only what they are about."""

from __future__ import annotations

import copy
from typing import Any

from brands.models import Brand, BrandBrainSnapshot

SNAPSHOT: dict[str, Any] = {
    "schema_version": 1,
    "brand": {
        "name": "Goodie AI",
        "website": "https://goodie.ai",
        "industry": "Software",
        "positioning": "Goodie helps brands show up in AI search answers.",
        "audience": "Marketing leads at growing brands",
        "country": "US",
        "language": "en",
    },
    "pillars": ["AI search visibility", "Content strategy", "Marketing analytics"],
    "keywords": ["ai search", "generative engine optimization"],
    "hashtags": ["aisearch", "seo", "geo"],
    "competitors": ["Profound"],
    "tone": "Confident, plain-spoken",
    "avoid": ["politics"],
    "handles": {
        "instagram": "goodie.ai",
        "tiktok": "goodieai",
        "youtube": "https://www.youtube.com/@goodieai",
        "linkedin": "https://www.linkedin.com/company/goodie-ai",
    },
    "tiktok_trend_industries": ["Tech & Electronics"],
    "prompt_context": "Brand: Goodie AI. Helps brands show up in AI search answers.",
}


def snapshot_data(*, brand: dict[str, Any] | None = None, **changes: Any) -> dict[str, Any]:
    """A copy of SNAPSHOT with `changes` at the top level and `brand` merged into its
    "brand" section (so a test names only the fields it is about)."""
    data = copy.deepcopy(SNAPSHOT)
    data["brand"].update(brand or {})
    data.update(copy.deepcopy(changes))
    return data


def make_snapshot(
    of: Brand, version: int = 1, *, brand: dict[str, Any] | None = None, **changes: Any
) -> BrandBrainSnapshot:
    """Compiled snapshot `version` of the brand `of`, named after it, written directly
    (onboarding has its own tests); `brand` and `changes` as in snapshot_data."""
    data = snapshot_data(brand={"name": of.name, **(brand or {})}, **changes)
    return BrandBrainSnapshot.objects.create(brand=of, version=version, data=data)
