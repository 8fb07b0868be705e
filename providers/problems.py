"""The problems a provider call can have, whichever provider and whoever asked."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Problem(StrEnum):
    """What went wrong. The first eight values are also `byok.models.ValidationStatus`
    values: Test Connection stores the problem as the key's last result."""

    INVALID_KEY = "invalid_key"
    NO_CREDIT = "no_credit"
    USAGE_LIMIT = "usage_limit"
    FORBIDDEN = "forbidden"
    RATE_LIMITED = "rate_limited"
    TIMEOUT = "timeout"
    UNREACHABLE = "unreachable"
    PROVIDER_ERROR = "provider_error"
    # Only ever seen by runs:
    UNAVAILABLE = "unavailable"  # the provider answered 5xx: worth a retry
    ACCOUNT_BUSY = "account_busy"  # Apify: the plan's memory or concurrent runs are used up
    ACTOR_UNAVAILABLE = "actor_unavailable"  # Apify: a scraper isn't rented or is gone
    INVALID_INPUT = "invalid_input"  # Apify: a scraper refused the input Kairo built


# Problems the user fixes with their key or their account, not by waiting.
KEY_PROBLEMS = frozenset({Problem.INVALID_KEY, Problem.FORBIDDEN})
CREDIT_PROBLEMS = frozenset({Problem.NO_CREDIT, Problem.USAGE_LIMIT})
# Problems a second attempt may not have.
TRANSIENT_PROBLEMS = frozenset(
    {Problem.RATE_LIMITED, Problem.TIMEOUT, Problem.UNREACHABLE, Problem.UNAVAILABLE}
)


@dataclass(frozen=True)
class Explanation:
    """A problem in words a marketer can act on: what happened, then what to do. The
    one place each is written; Settings shows `message`, the Today board the headline
    as its title and the fix under it."""

    headline: str  # "Apify rejected your token": no full stop
    fix: str  # a sentence or two

    @property
    def message(self) -> str:
        return f"{self.headline}. {self.fix}"
