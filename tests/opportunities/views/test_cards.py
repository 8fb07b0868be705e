"""The small formatting rules a card relies on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from kairo.wording import time_ago
from opportunities.cards import (
    compact_number,
    duration_text,
    key_metric,
    safe_link,
    score_parts,
    usd,
)

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "0"),
        (999, "999"),
        (1_000, "1K"),
        (12_345, "12.3K"),
        (999_950, "1M"),
        (2_400_000, "2.4M"),
        (3_000_000_000, "3B"),
    ],
)
def test_compact_number(value, text):
    assert compact_number(value) == text


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(seconds=5), "just now"),
        (timedelta(seconds=-30), "just now"),
        (timedelta(minutes=1), "1 minute ago"),
        (timedelta(hours=5), "5 hours ago"),
        (timedelta(days=3, hours=1), "3 days ago"),
        (timedelta(days=20), "2 weeks ago"),
        (timedelta(days=90), "3 months ago"),
        (timedelta(days=800), "2 years ago"),
    ],
)
def test_time_ago(delta, text):
    assert time_ago(NOW - delta, NOW) == text


def test_time_ago_unknown_is_blank():
    assert time_ago(None, NOW) == ""


def test_key_metric_prefers_views_then_likes_and_ignores_junk():
    assert key_metric({"views": 12_345, "likes": 10}) == "12.3K views"
    assert key_metric({"views": 0, "likes": 1_500}) == "1.5K likes"
    assert key_metric({"views": "n/a", "likes": None}) == ""
    assert key_metric({}) == ""


def test_safe_link_keeps_only_web_urls():
    assert safe_link("https://www.tiktok.com/@a/video/1") == "https://www.tiktok.com/@a/video/1"
    assert safe_link("javascript:alert(1)") == ""
    assert safe_link("data:text/html,hi") == ""


def test_duration_and_money():
    assert duration_text(None) == ""
    assert duration_text(48.4) == "48 s"
    assert duration_text(72) == "1 min 12 s"
    assert duration_text(120) == "2 min"
    assert usd(Decimal("0")) == "$0.00"
    assert usd(Decimal("0.0042")) == "<$0.01"
    assert usd(Decimal("1.2345")) == "$1.23"


def test_score_parts_are_clamped_weighted_and_complete():
    parts = score_parts({"pillar_relevance": 1.5, "recency": "bad", "model_confidence": 0.5})
    by_key = {p.key: p for p in parts}
    assert list(by_key) == [
        "pillar_relevance",
        "outperformance",
        "momentum",
        "recency",
        "cross_platform",
        "model_confidence",
    ]
    assert by_key["pillar_relevance"].percent == 100
    assert by_key["pillar_relevance"].points == 25.0
    assert by_key["recency"].percent == 0
    assert by_key["model_confidence"].points == 7.5
