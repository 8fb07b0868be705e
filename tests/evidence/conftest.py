from __future__ import annotations

import pytest

from evidence import collect, runs
from tests.support.snapshots import snapshot_data


@pytest.fixture
def snapshot() -> dict:
    """A British brand watching four keywords, with only an Instagram handle and two
    TikTok Trends industries: what the input tests below expect."""
    return snapshot_data(
        brand={
            "positioning": "Helps brands get recommended by AI search engines",
            "audience": "B2B marketers",
            "country": "GB",
        },
        pillars=["AI search visibility", "Content strategy"],
        keywords=["ai search", "generative engine optimization", "brand visibility", "llm seo"],
        hashtags=["aisearch", "seo"],
        handles={"instagram": "goodie.ai", "tiktok": None, "youtube": None, "linkedin": None},
        tiktok_trend_industries=["Business Services", "Tech & Electronics"],
        prompt_context="Brand: Goodie AI",
    )


@pytest.fixture
def fast_apify(monkeypatch, settings):
    """Keep apify-client's retries and our poll slices short so failure tests are quick."""
    monkeypatch.setattr(collect, "RETRY_MIN_DELAY_MS", 1)
    monkeypatch.setattr(runs, "POLL_SLICE", 1.0)
    monkeypatch.setattr(runs, "RESOURCE_RETRY_SECONDS", 0.05)
    monkeypatch.setattr(collect, "REEL_RUN_MIN_SECONDS", 1.0)
    settings.COLLECTION_DEADLINE_SECONDS = 8.0
