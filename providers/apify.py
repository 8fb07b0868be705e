"""Apify's errors, classified once, and what Kairo tells the user about each.

Apify reports a problem as `{"error": {"type", "message"}}` with an HTTP status
(docs/reference/apify.md §3); apify-client raises it as `ApifyApiError`. "Out of money"
is told by `error.type` (or 402), not by the status alone, because 403 also means "no
permission" — and, when starting a run, "this Actor isn't yours to run".
"""

from __future__ import annotations

import impit
from apify_client.errors import ApifyApiError, ApifyClientError

from providers.problems import Explanation, Problem

NAME = "Apify"

NO_CREDIT_TYPES = frozenset({"not-enough-usage-to-run-paid-actor"})
USAGE_LIMIT_TYPES = frozenset({"platform-feature-disabled"})
BUSY_ACCOUNT_TYPES = frozenset({"actor-memory-limit-exceeded", "concurrent-runs-limit-exceeded"})
NOT_RENTED_TYPES = frozenset({"actor-is-not-rented"})
INVALID_INPUT_TYPES = frozenset({"invalid-input"})

_STATUS = "If it keeps happening, check status.apify.com."
EXPLANATIONS: dict[Problem, Explanation] = {
    Problem.INVALID_KEY: Explanation(
        "Apify rejected your token",
        "Copy it again from Apify Console → Settings → API & Integrations (a token stops "
        "working when it is regenerated or deleted).",
    ),
    Problem.NO_CREDIT: Explanation(
        "Your Apify account is out of credit",
        "Add credit or upgrade your plan in Apify Console → Billing.",
    ),
    Problem.USAGE_LIMIT: Explanation(
        "Your Apify account has reached its monthly usage limit",
        "Raise the limit in Apify Console → Billing → Limits, or wait for the next billing cycle.",
    ),
    Problem.FORBIDDEN: Explanation(
        "Apify refused access with this token",
        "If it is a scoped token, give it access to your account and to running Actors.",
    ),
    Problem.RATE_LIMITED: Explanation(
        "Apify is rate-limiting your account", "Wait a minute and try again."
    ),
    Problem.ACCOUNT_BUSY: Explanation(
        "Your Apify plan can't run all of Kairo's scrapers at once",
        "Stop other runs in Apify Console or upgrade the plan, then try again.",
    ),
    Problem.ACTOR_UNAVAILABLE: Explanation(
        "A scraper Kairo uses isn't available to your Apify account",
        "Open it in Apify Store to enable it (it may need renting).",
    ),
    Problem.INVALID_INPUT: Explanation(
        "Apify refused the search Kairo asked for",
        "Check the keywords and hashtags in BrandBrain.",
    ),
    Problem.TIMEOUT: Explanation(
        "Apify didn't answer in time", f"Try again in a moment. {_STATUS}"
    ),
    Problem.UNREACHABLE: Explanation(
        "Kairo couldn't reach Apify", f"Try again in a moment. {_STATUS}"
    ),
    Problem.UNAVAILABLE: Explanation(
        "Apify is having trouble right now", f"Try again in a few minutes. {_STATUS}"
    ),
    Problem.PROVIDER_ERROR: Explanation(
        "Apify answered with an unexpected error", "Try again in a few minutes."
    ),
}


def classify_api_error(error: ApifyApiError, *, starting_run: bool = False) -> Problem:
    """The problem an Apify API error means. `starting_run`: the error answered a run's
    start, where 403 and 404 mean the Actor itself isn't available."""
    status = error.status_code
    error_type = (error.type or "").lower()
    if status == 401:
        return Problem.INVALID_KEY
    if error_type in BUSY_ACCOUNT_TYPES:
        return Problem.ACCOUNT_BUSY
    if error_type in NO_CREDIT_TYPES or status == 402:
        return Problem.NO_CREDIT
    if error_type in USAGE_LIMIT_TYPES:
        return Problem.USAGE_LIMIT
    if error_type in NOT_RENTED_TYPES or (starting_run and status in {403, 404}):
        return Problem.ACTOR_UNAVAILABLE
    if status == 403:
        return Problem.FORBIDDEN
    if status == 400 or error_type in INVALID_INPUT_TYPES:
        return Problem.INVALID_INPUT
    if status == 429:
        return Problem.RATE_LIMITED
    if status >= 500:
        return Problem.UNAVAILABLE
    return Problem.PROVIDER_ERROR


def classify(error: BaseException) -> Problem:
    """The problem any exception from an apify-client call means."""
    if isinstance(error, ApifyApiError):
        return classify_api_error(error)
    if isinstance(error, impit.TimeoutException | TimeoutError):
        return Problem.TIMEOUT
    if isinstance(error, impit.HTTPError):
        return Problem.UNREACHABLE
    if isinstance(error, ApifyClientError):  # an answer the client couldn't parse
        return Problem.PROVIDER_ERROR
    return Problem.UNREACHABLE


def explain(problem: Problem) -> Explanation:
    return EXPLANATIONS.get(problem, EXPLANATIONS[Problem.PROVIDER_ERROR])
