"""Why a recipe failed, in words a marketer can act on.

Apify's errors are classified by `providers.apify` — the same classifier and the same
words as Settings' Test Connection. A recipe failure's `code` is the provider problem
(`providers.problems.Problem`) or one of the run's own codes below; its `message` names
no source (the run report puts the source's name beside it), so that sources failing for
one reason say it once, grouped.
"""

from __future__ import annotations

from apify_client.errors import ApifyApiError

from providers import apify
from providers.problems import Problem

BUSY_ACCOUNT_TYPES = apify.BUSY_ACCOUNT_TYPES
INVALID_TOKEN_CODE = Problem.INVALID_KEY.value
INVALID_TOKEN_MESSAGE = apify.explain(Problem.INVALID_KEY).message
# The run's own codes, beside the provider problems.
RUN_TIMED_OUT = "run_timed_out"
RUN_FAILED = "run_failed"


class RecipeFailure(Exception):
    """A classified failure: `code` for the program, `message` for the user."""

    def __init__(self, code: str, message: str, *, cost_usd: float = 0.0) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.cost_usd = cost_usd


class RecipeCancelled(Exception):
    """Another recipe found the token invalid; this one stops."""


def _failure(problem: Problem, message: str = "") -> RecipeFailure:
    return RecipeFailure(problem.value, message or apify.explain(problem).message)


def invalid_token() -> RecipeFailure:
    return _failure(Problem.INVALID_KEY)


def classify_api_error(
    error: ApifyApiError, *, actor: str, label: str, starting: bool
) -> RecipeFailure:
    """Map an Apify API error to a failure. `starting` is True for the run start, where
    a 404 means the actor itself is missing."""
    problem = apify.classify_api_error(error, starting_run=starting)
    explanation = apify.explain(problem)
    if problem is Problem.ACTOR_UNAVAILABLE:  # the fix needs the Actor's Store name
        return _failure(problem, f"{explanation.headline} ({actor}). {explanation.fix}")
    if problem is Problem.INVALID_INPUT:
        detail = (error.message or "").strip()[:200]
        said = f" Apify said: “{detail}”" if detail else ""
        return _failure(problem, f"{explanation.message}{said}")
    return _failure(problem)


def account_busy(apify_message: str) -> RecipeFailure:
    """Still no memory for the run at the deadline: name the plan limit Apify quoted."""
    detail = f" Apify said: “{apify_message.strip()[:160]}”" if apify_message.strip() else ""
    return _failure(Problem.ACCOUNT_BUSY, apify.explain(Problem.ACCOUNT_BUSY).message + detail)


def unreachable(label: str) -> RecipeFailure:
    return _failure(Problem.UNREACHABLE)


def run_ended(status: str, *, label: str, cost_usd: float) -> RecipeFailure:
    """A run that reached a terminal status other than SUCCEEDED."""
    if status in {"TIMED-OUT", "TIMING-OUT"}:
        return RecipeFailure(
            RUN_TIMED_OUT, "Its scraper took too long and was stopped.", cost_usd=cost_usd
        )
    ended = "was aborted" if status == "ABORTED" else "failed"
    return RecipeFailure(
        RUN_FAILED, f"Its scraper run {ended} on Apify. Try again later.", cost_usd=cost_usd
    )
