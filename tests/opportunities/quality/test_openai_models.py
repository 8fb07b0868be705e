"""Which OpenAI models a user can pick, and what each costs."""

from __future__ import annotations

from decimal import Decimal

import pytest

from byok.openai_models import (
    DEFAULT_MODEL,
    accepts_temperature,
    cost_usd,
    model_family,
    price_for,
    supports_structured_outputs,
    usable_models,
)

LISTED = [  # what models.list() returns for a typical key, in its (arbitrary) order
    "whisper-1",
    "gpt-4o-2024-05-13",
    "gpt-4o-mini-2024-07-18",
    "text-embedding-3-small",
    "gpt-4o",
    "gpt-4.1-mini-2025-04-14",
    "gpt-4o-audio-preview",
    "gpt-4o-mini-search-preview",
    "gpt-4o-realtime-preview-2024-12-17",
    "dall-e-3",
    "gpt-3.5-turbo",
    "gpt-4-turbo",
    "chatgpt-4o-latest",
    "o1-mini",
    "o1-preview",
    "gpt-4.1-mini",
    "gpt-4o-2024-08-06",
    "gpt-4o-2024-11-20",
    "omni-moderation-latest",
    "gpt-5-mini",
    "tts-1",
    "gpt-image-1",
]


def test_only_models_with_structured_outputs_that_we_can_price_are_offered():
    assert usable_models(LISTED) == [
        "gpt-4.1-mini",  # the default first
        "gpt-4.1-mini-2025-04-14",
        "gpt-4o-mini-2024-07-18",
        "gpt-4o",
        "gpt-4o-2024-11-20",  # newest snapshot first
        "gpt-4o-2024-08-06",
        "gpt-5-mini",
    ]


def test_model_list_filtering_survives_junk():
    assert usable_models([None, 42, "", "  gpt-4o  ", "gpt-4o"]) == ["gpt-4o"]
    assert usable_models([]) == []


@pytest.mark.parametrize(
    ("model", "family"),
    [
        ("gpt-4o-mini-2024-07-18", "gpt-4o-mini"),
        ("gpt-4o", "gpt-4o"),
        ("o3-2025-04-16", "o3"),
        ("o3-mini", "o3-mini"),
        ("gpt-4o-audio-preview", None),
        ("o1-mini-2024-09-12", None),
        ("my-fine-tune", None),
    ],
)
def test_model_family(model, family):
    assert model_family(model) == family


def test_the_default_is_a_small_current_model_that_fits():
    assert supports_structured_outputs(DEFAULT_MODEL) and accepts_temperature(DEFAULT_MODEL)
    assert not supports_structured_outputs("gpt-4o-2024-05-13")


def test_price_lookup_and_cost():
    assert price_for("gpt-4o-mini-2024-07-18").input_per_mtok == Decimal("0.15")
    assert price_for("unknown") is None
    assert cost_usd("gpt-4.1-mini", 10_000, 2_000) == Decimal("0.0072")
    assert cost_usd("gpt-4o-mini", 1_000_000, 100_000) == Decimal("0.2100")
    assert cost_usd("unknown-model", 10_000, 10_000) == Decimal("0")
    assert cost_usd("gpt-4o", -5, 0) == Decimal("0")


def test_reasoning_models_take_no_temperature():
    assert not accepts_temperature("gpt-5-mini") and not accepts_temperature("o4-mini")
    assert accepts_temperature("gpt-4o")
