"""Mapping a brand onto TikTok Creative Center industries (docs/reference/apify.md §5)."""

from __future__ import annotations

import json
from pathlib import Path

from brands.industries import (
    CREATIVE_CENTER_INDUSTRIES,
    INDUSTRIES,
    TREND_KEYWORDS,
    map_trend_industries,
)

FIXTURE = (
    Path(__file__).resolve().parents[1] / "fixtures/apify/clockworks~tiktok-trends-scraper.json"
)


def test_every_category_we_emit_is_on_the_creative_center_list():
    emitted = {c for _, _, categories in INDUSTRIES for c in categories} | set(TREND_KEYWORDS)
    assert emitted <= set(CREATIVE_CENTER_INDUSTRIES)


def test_fixture_industry_names_are_on_our_list():
    items = json.loads(FIXTURE.read_text())
    names = {i["industryName"] for i in items if i.get("industryName")}
    assert names and names <= set(CREATIVE_CENTER_INDUSTRIES)


def test_industry_choice_comes_first():
    assert map_trend_industries("software", ["Content strategy"], "")[0] == "Tech & Electronics"
    assert map_trend_industries("food", [], "") == ["Food & Beverage"]


def test_pillars_and_positioning_add_categories():
    result = map_trend_industries(
        "food",
        ["Brewing at home", "Remote work rituals", "Travel diaries"],
        "Specialty coffee for remote workers who travel.",
    )
    assert result[0] == "Food & Beverage"
    assert set(result[1:]) == {"Business Services", "Travel"}


def test_whole_words_only():
    # "pets" must not match inside "carpets"; "ai" not inside "maintain"/"pain".
    assert map_trend_industries(
        "other", ["Carpets and rugs"], "We maintain pain-free home cleaning"
    ) == ["Household Products"]


def test_pillars_outweigh_a_passing_mention_in_positioning():
    result = map_trend_industries("other", ["Yoga flows", "Running tips"], "We love coffee.")
    assert result[0] == "Sports & Outdoor"


def test_at_most_three_and_ties_in_list_order():
    result = map_trend_industries("other", ["fashion", "beauty", "pets", "games", "travel"], "")
    assert result == ["Apparel & Accessories", "Beauty & Personal Care", "Games"]


def test_no_match_means_all_categories():
    assert map_trend_industries("nonprofit", ["Volunteering"], "We plant trees.") == []


def test_mapping_is_deterministic():
    args = ("marketing", ["AI search visibility", "Content strategy"], "SEO for startups")
    assert len({tuple(map_trend_industries(*args)) for _ in range(20)}) == 1
