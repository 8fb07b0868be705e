"""The two providers a user brings keys for, and how their keys are named and shaped."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Provider(StrEnum):
    APIFY = "apify"
    OPENAI = "openai"


@dataclass(frozen=True)
class ProviderSpec:
    provider: Provider
    field: str  # the name in the API payload, and the prefix of the model's columns
    name: str  # the company, as users know it
    key_label: str
    pattern: re.Pattern[str]
    html_pattern: str  # the same rule for the browser's as-you-type check
    placeholder: str
    where_to_find: str


APIFY = ProviderSpec(
    provider=Provider.APIFY,
    field="apify_token",
    name="Apify",
    key_label="Apify API token",
    # Apify tokens are "apify_api_" + ~36 letters and digits; a little slack either way.
    pattern=re.compile(r"apify_api_[A-Za-z0-9]{30,48}"),
    html_pattern="apify_api_[A-Za-z0-9]{30,48}",
    placeholder="apify_api_…",
    where_to_find="Apify Console → Settings → API & Integrations",
)

OPENAI = ProviderSpec(
    provider=Provider.OPENAI,
    field="openai_key",
    name="OpenAI",
    key_label="OpenAI API key",
    # sk-…, sk-proj-…, sk-svcacct-…: 40 to 200 characters of [A-Za-z0-9_-] in all.
    pattern=re.compile(r"sk-[A-Za-z0-9_\-]{37,197}"),
    html_pattern="sk-[A-Za-z0-9_\\-]{37,197}",
    placeholder="sk-proj-…",
    where_to_find="platform.openai.com → API keys",
)

SPECS: dict[Provider, ProviderSpec] = {APIFY.provider: APIFY, OPENAI.provider: OPENAI}
SPECS_BY_FIELD: dict[str, ProviderSpec] = {spec.field: spec for spec in SPECS.values()}


def spec_for(provider: str) -> ProviderSpec:
    """The spec of `provider` ("apify" or "openai"); KeyError for anything else."""
    try:
        return SPECS[Provider(provider)]
    except ValueError:
        raise KeyError(provider) from None
