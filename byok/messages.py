"""What a key's test result says to the user: the one table for Settings, the API and
the scheduler's skip reasons.

The words for each provider problem are `providers.apify` / `providers.openai`'s (the
same a failed run shows); only "connected" and "can't be read" are byok's own. Its own
module so that byok/keys.py (key summaries) and byok/validation.py (Test Connection)
both use it without importing each other.
"""

from __future__ import annotations

from byok.models import ValidationStatus
from byok.providers import Provider, ProviderSpec
from providers import apify, openai
from providers.problems import Explanation, Problem

UNREADABLE_MESSAGE = (
    "Kairo can no longer read your saved key (the server's encryption key changed). "
    "Paste the key again in Settings and save it."
)


def explain(provider: Provider, problem: Problem) -> Explanation:
    if provider is Provider.APIFY:
        return apify.explain(problem)
    return openai.explain(problem)


def validation_status(problem: Problem) -> ValidationStatus:
    """The result Test Connection stores for `problem` (a run-only problem is stored as
    the closest one a key check can have)."""
    closest = {
        Problem.ACCOUNT_BUSY: ValidationStatus.RATE_LIMITED,
        Problem.ACTOR_UNAVAILABLE: ValidationStatus.FORBIDDEN,
    }
    if problem in closest:
        return closest[problem]
    try:
        return ValidationStatus(problem.value)
    except ValueError:  # unavailable (5xx), invalid input: nothing the key can change
        return ValidationStatus.PROVIDER_ERROR


def message_for(spec: ProviderSpec, status: str) -> str:
    """The sentence for a stored or fresh result `status` (a ValidationStatus value)."""
    if status == ValidationStatus.OK:
        return f"Connected to your {spec.name} account."
    if status == ValidationStatus.UNREADABLE:
        return UNREADABLE_MESSAGE
    try:
        problem = Problem(status)
    except ValueError:
        problem = Problem.PROVIDER_ERROR
    return explain(spec.provider, problem).message
