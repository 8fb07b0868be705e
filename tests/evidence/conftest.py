from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from evidence import collect, runs

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "apify"

SNAPSHOT = {
    "schema_version": 1,
    "brand": {
        "name": "Goodie AI",
        "website": "https://goodie.ai",
        "industry": "Software",
        "positioning": "Helps brands get recommended by AI search engines",
        "audience": "B2B marketers",
        "country": "GB",
        "language": "en",
    },
    "pillars": ["AI search visibility", "Content strategy"],
    "keywords": ["ai search", "generative engine optimization", "brand visibility", "llm seo"],
    "hashtags": ["aisearch", "seo"],
    "competitors": ["Profound"],
    "tone": "Confident, plain-spoken",
    "avoid": ["politics"],
    "handles": {"instagram": "goodie.ai", "tiktok": None, "youtube": None, "linkedin": None},
    "tiktok_trend_industries": ["Business Services", "Tech & Electronics"],
    "prompt_context": "Brand: Goodie AI",
}


def load_fixture(actor_id: str) -> list[dict]:
    return json.loads((FIXTURES / f"{actor_id.replace('/', '~')}.json").read_text())


@pytest.fixture
def snapshot() -> dict:
    return copy.deepcopy(SNAPSHOT)


@pytest.fixture
def fast_apify(monkeypatch, settings):
    """Keep apify-client's retries and our poll slices short so failure tests are quick."""
    monkeypatch.setattr(collect, "RETRY_MIN_DELAY_MS", 1)
    monkeypatch.setattr(runs, "POLL_SLICE", 1.0)
    monkeypatch.setattr(runs, "RESOURCE_RETRY_SECONDS", 0.05)
    monkeypatch.setattr(collect, "REEL_RUN_MIN_SECONDS", 1.0)
    settings.COLLECTION_DEADLINE_SECONDS = 8.0
