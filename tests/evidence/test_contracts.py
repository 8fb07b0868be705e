"""Every input builder, from several kinds of snapshot, sends what its actor accepts.

The contracts (`evidence/contracts.py`) are the actors' published input rules; the Apify
double enforces the same ones, so a builder that breaks them fails here first, with the
field named."""

from __future__ import annotations

import copy

import pytest

from evidence.contracts import CONTRACTS, contract_for
from evidence.inputs import instagram_reel_transcripts_input, own_reels_input
from evidence.normalize import normalize_items
from evidence.recipes import DEFAULT_EXECUTION_PLAN, RECIPES
from tests.fakes.apify import fixture_items
from tests.support.snapshots import SNAPSHOT


def _variant(**changes) -> dict:
    snapshot = copy.deepcopy(SNAPSHOT)
    for key, value in changes.items():
        if key in snapshot["brand"]:
            snapshot["brand"][key] = value
        else:
            snapshot[key] = value
    return snapshot


SNAPSHOTS = {
    "as onboarded": _variant(),
    "no hashtags": _variant(hashtags=[]),
    "many keywords": _variant(keywords=[f"keyword {n}" for n in range(12)]),
    "unsupported TikTok country": _variant(country="IS"),
    "not in English": _variant(language="de", country="DE", keywords=["kaffee", "hafermilch"]),
    "no trend industries": _variant(tiktok_trend_industries=[], pillars=[]),
}


@pytest.mark.parametrize("name", SNAPSHOTS)
@pytest.mark.parametrize("recipe_id", DEFAULT_EXECUTION_PLAN)
def test_stage1_inputs_fit_the_actor_contract(recipe_id, name):
    spec = RECIPES[recipe_id]
    contract = contract_for(spec.stage1_actor)
    run_input = spec.stage1_input_builder(SNAPSHOTS[name], spec.stage1_result_limit)
    assert contract.validation_error(run_input) is None
    assert contract.unknown_keys(run_input) == []  # Apify would drop them silently
    # Per-term limits are split across terms: never ask for much more than the recipe's
    # limit (rounding up per term may add a few; max_items caps the bill).
    asked = contract.requested_items(run_input)
    terms = 4 if recipe_id == "IG-1" else 3
    assert spec.stage1_result_limit <= asked < spec.stage1_result_limit + terms


def test_stage2_inputs_fit_the_reel_scraper_contract():
    contract = contract_for("apify/instagram-reel-scraper")
    stage1, _ = normalize_items(
        "apify/instagram-hashtag-scraper", "IG-1", fixture_items("apify/instagram-hashtag-scraper")
    )
    for run_input in (
        instagram_reel_transcripts_input(SNAPSHOT, stage1, 10),
        own_reels_input(SNAPSHOT, 5),
    ):
        assert contract.validation_error(run_input) is None
        assert contract.unknown_keys(run_input) == []


def test_every_actor_of_the_plan_has_a_contract_with_sources():
    actors = {RECIPES[r].stage1_actor for r in DEFAULT_EXECUTION_PLAN}
    actors.add("apify/instagram-reel-scraper")
    assert actors == set(CONTRACTS)
    for contract in CONTRACTS.values():
        assert contract.source and contract.item_fields
        assert contract.limit_field in contract.fields


@pytest.mark.parametrize(
    ("run_input", "problem"),
    [
        ({"searchQueries": ["a"], "maxPosts": "20"}, "maxPosts must be integer"),
        ({"searchQueries": ["a"], "maxPosts": True}, "maxPosts must be integer"),
        ({"searchQueries": ["a"], "sortBy": "newest"}, "sortBy must be equal to one of"),
        ({"searchQueries": [1]}, "searchQueries must contain only string items"),
        ({"maxPosts": 3}, "searchQueries is required"),
    ],
)
def test_contracts_reject_what_apify_rejects(run_input, problem):
    error = contract_for("harvestapi/linkedin-post-search").validation_error(run_input)
    assert error == f"Input is not valid: Field input.{problem}" or problem in error


def test_limits_count_per_term():
    linkedin = contract_for("harvestapi/linkedin-post-search")
    assert linkedin.requested_items({"searchQueries": ["a", "b", "c"], "maxPosts": 20}) == 60
    search = contract_for("apify/instagram-search-scraper")
    assert search.requested_items({"search": "a, b", "searchLimit": 5}) == 10
    trends = contract_for("clockworks/tiktok-trends-scraper")
    both = {"adsScrapeHashtags": True, "adsScrapeSounds": True, "resultsPerPage": 20}
    assert trends.requested_items(both) == 40
