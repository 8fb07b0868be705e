"""The recipe registry: what each scraping recipe runs on Apify and how many results it asks for.

Result limits are sized for the latency budget (docs/architecture.md, "Collection"): at
the published per-actor start and per-item times every source finishes inside
`settings.COLLECTION_DEADLINE_SECONDS`, and the run still gathers well over 100 items.

Adding a recipe is adding one `RecipeSpec` here, one input builder in `inputs.py` and
(for a new actor) one normalizer in `normalize.py`. There are no budget caps and no
early stop on an item count: users pay Apify directly, every recipe runs to its limit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from evidence import inputs
from evidence.normalize import NormalizedEvidence

Stage1InputBuilder = Callable[[dict, int], dict]
NotesBuilder = Callable[[dict], list[str]]
Stage2InputBuilder = Callable[[dict, Sequence[NormalizedEvidence], int], "dict | None"]


@dataclass(frozen=True)
class Stage2Spec:
    """A follow-up run fed by the recipe's own stage-1 results."""

    actor: str
    input_builder: Stage2InputBuilder
    result_limit: int
    description: str


@dataclass(frozen=True)
class RecipeSpec:
    recipe_id: str
    platform: str
    description: str
    stage1_actor: str
    stage1_input_builder: Stage1InputBuilder
    stage1_result_limit: int
    stage2: Stage2Spec | None = None
    # Shown when a run succeeds with nothing usable.
    empty_message: str = ""
    # The source's name on the run report and progress panel.
    label: str = ""
    # What the run should say about how its input differs from the brand's answers.
    notes: NotesBuilder | None = None


RECIPES: dict[str, RecipeSpec] = {
    spec.recipe_id: spec
    for spec in (
        RecipeSpec(
            recipe_id="IG-1",
            platform="instagram",
            description="Instagram posts for the brand's hashtags, strongest reels with transcripts",
            stage1_actor="apify/instagram-hashtag-scraper",
            stage1_input_builder=inputs.instagram_hashtag_input,
            stage1_result_limit=40,
            label="Instagram hashtags",
            stage2=Stage2Spec(
                actor="apify/instagram-reel-scraper",
                input_builder=inputs.instagram_reel_transcripts_input,
                result_limit=10,
                description="The 10 strongest video posts again, with transcripts",
            ),
            empty_message="No Instagram posts found for your hashtags — try broader hashtags.",
        ),
        RecipeSpec(
            recipe_id="IG-3",
            platform="instagram",
            description="Popular Instagram posts for the brand's keywords",
            stage1_actor="apify/instagram-search-scraper",
            stage1_input_builder=inputs.instagram_search_input,
            stage1_result_limit=12,
            label="Instagram search",
            empty_message="No popular Instagram posts found for your keywords — try broader keywords.",
        ),
        RecipeSpec(
            recipe_id="TT-1",
            platform="tiktok",
            description="TikTok videos for the brand's keywords",
            stage1_actor="clockworks/tiktok-scraper",
            stage1_input_builder=inputs.tiktok_search_input,
            stage1_result_limit=24,
            label="TikTok search",
            empty_message="No TikTok videos found for your keywords — try broader keywords.",
        ),
        RecipeSpec(
            recipe_id="TT-TRENDS",
            platform="tiktok",
            description="TikTok trending hashtags in the brand's industry, and trending sounds",
            stage1_actor="clockworks/tiktok-trends-scraper",
            stage1_input_builder=inputs.tiktok_trends_input,
            stage1_result_limit=40,
            label="TikTok Trends",
            notes=inputs.tiktok_trends_notes,
            empty_message=(
                "TikTok Trends came back empty this time (TikTok limits its trend pages) — "
                "the other sources were used."
            ),
        ),
        RecipeSpec(
            recipe_id="YT-1",
            platform="youtube",
            description="YouTube videos for the brand's keywords",
            stage1_actor="streamers/youtube-scraper",
            stage1_input_builder=inputs.youtube_search_input,
            stage1_result_limit=10,
            label="YouTube",
            empty_message="No YouTube videos found for your keywords — try broader keywords.",
        ),
        RecipeSpec(
            recipe_id="LI-1",
            platform="linkedin",
            description="Recent LinkedIn posts for the brand's keywords",
            stage1_actor="harvestapi/linkedin-post-search",
            stage1_input_builder=inputs.linkedin_search_input,
            stage1_result_limit=20,
            label="LinkedIn",
            empty_message="No recent LinkedIn posts found for your keywords — try broader keywords.",
        ),
    )
}

DEFAULT_EXECUTION_PLAN = ["IG-1", "IG-3", "TT-1", "TT-TRENDS", "YT-1", "LI-1"]


def get_recipe(recipe_id: str) -> RecipeSpec:
    """The spec for `recipe_id`; KeyError names the unknown id."""
    try:
        return RECIPES[recipe_id]
    except KeyError:
        raise KeyError(f"Unknown evidence recipe {recipe_id!r}") from None
