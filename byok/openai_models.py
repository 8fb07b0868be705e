"""The OpenAI models Kairo can run on a user's key: which support structured outputs,
and what each costs. One table, `PRICES`, answers both.

A model is offered when it belongs to a family in `PRICES` — the bare alias
("gpt-4.1-mini") or one of its dated snapshots ("gpt-4.1-mini-2025-04-14") — since
synthesis needs a strict JSON schema (Structured Outputs) and the board shows what the
run cost. Left out on purpose: families without Structured Outputs (gpt-3.5, gpt-4,
gpt-4-turbo, chatgpt-4o-latest, o1-mini, o1-preview, and gpt-4o before its 2024-08-06
snapshot), models that do not write chat text (embeddings, audio, realtime, search,
image, moderation, transcription, speech), and any model we cannot price.

Prices are OpenAI's standard-tier list prices in USD per million tokens (input,
output), from platform.openai.com/docs/pricing; cached-input discounts are not applied,
so a shown cost errs high. Add a family here and it is offered and priced at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

DEFAULT_MODEL = "gpt-4.1-mini"  # small, current, structured outputs, takes `temperature`


@dataclass(frozen=True)
class ModelPrice:
    input_per_mtok: Decimal
    output_per_mtok: Decimal
    reasoning: bool = False  # gpt-5 and o-series: no `temperature` but the default


def _price(input_usd: str, output_usd: str, *, reasoning: bool = False) -> ModelPrice:
    return ModelPrice(Decimal(input_usd), Decimal(output_usd), reasoning)


PRICES: dict[str, ModelPrice] = {
    "gpt-4.1-mini": _price("0.40", "1.60"),
    "gpt-4.1-nano": _price("0.10", "0.40"),
    "gpt-4.1": _price("2.00", "8.00"),
    "gpt-4o-mini": _price("0.15", "0.60"),
    "gpt-4o": _price("2.50", "10.00"),
    "gpt-5-mini": _price("0.25", "2.00", reasoning=True),
    "gpt-5-nano": _price("0.05", "0.40", reasoning=True),
    "gpt-5": _price("1.25", "10.00", reasoning=True),
    "gpt-5.1": _price("1.25", "10.00", reasoning=True),
    "o4-mini": _price("1.10", "4.40", reasoning=True),
    "o3-mini": _price("1.10", "4.40", reasoning=True),
    "o3": _price("2.00", "8.00", reasoning=True),
    "o1": _price("15.00", "60.00", reasoning=True),
}
# Snapshots of an offered family that predate its Structured Outputs support.
WITHOUT_STRUCTURED_OUTPUTS = frozenset({"gpt-4o-2024-05-13"})
_SNAPSHOT = re.compile(r"-\d{4}-\d{2}-\d{2}$")
MTOK = Decimal(1_000_000)


def model_family(model: str) -> str | None:
    """ "gpt-4o-mini-2024-07-18" -> "gpt-4o-mini"; None for a model not in the table."""
    name = (model or "").strip().lower()
    base = _SNAPSHOT.sub("", name)
    return base if base in PRICES else None


def supports_structured_outputs(model: str) -> bool:
    return model_family(model) is not None and model.strip().lower() not in (
        WITHOUT_STRUCTURED_OUTPUTS
    )


def usable_models(model_ids: Iterable[str]) -> list[str]:
    """The models from `models.list()` Kairo can run: each family's alias before its
    snapshots (newest first), families in the table's order, the default first."""
    families = list(PRICES)
    usable = {m.strip() for m in model_ids if isinstance(m, str) and supports_structured_outputs(m)}

    def order(model: str) -> tuple[bool, int, bool, str, str]:
        family = model_family(model) or ""
        is_alias = model.lower() == family
        return (
            model.lower() != DEFAULT_MODEL,
            families.index(family),
            not is_alias,
            _desc(model),
            model,
        )

    return sorted(usable, key=order)


def _desc(model: str) -> str:
    """Sorts newer snapshots first: each digit of the date turned around."""
    found = _SNAPSHOT.search(model)
    return (found.group(0) if found else "").translate(_NEWEST_FIRST)


_NEWEST_FIRST = str.maketrans("0123456789", "9876543210")


def price_for(model: str) -> ModelPrice | None:
    family = model_family(model)
    return PRICES[family] if family else None


def accepts_temperature(model: str) -> bool:
    price = price_for(model)
    return price is None or not price.reasoning


def cost_usd(model: str, prompt_tokens: int, completion_tokens: int) -> Decimal:
    """What a call cost on the user's account, to 4 decimals; 0 for an unpriced model."""
    price = price_for(model)
    if price is None:
        return Decimal("0")
    cost = (
        Decimal(max(0, prompt_tokens)) * price.input_per_mtok
        + Decimal(max(0, completion_tokens)) * price.output_per_mtok
    ) / MTOK
    return cost.quantize(Decimal("0.0001"))
