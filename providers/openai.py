"""OpenAI's errors, classified once, and what Kairo tells the user about each.

The official client raises `APIStatusError` subclasses by HTTP status, with the error
body's `code` and `type`. Running out of money arrives as 429 (`insufficient_quota`) or
400 (`billing_hard_limit_reached`, `billing_not_active`), so it is told by the code before
the status: a 429 is otherwise only "slow down".
"""

from __future__ import annotations

import openai

from providers.problems import Explanation, Problem

NAME = "OpenAI"

NO_CREDIT_CODES = frozenset(
    {"insufficient_quota", "billing_hard_limit_reached", "billing_not_active"}
)

_STATUS = "If it keeps happening, check status.openai.com."
EXPLANATIONS: dict[Problem, Explanation] = {
    Problem.INVALID_KEY: Explanation(
        "OpenAI rejected your key",
        "Create a new secret key at platform.openai.com/api-keys and paste it in Settings.",
    ),
    Problem.NO_CREDIT: Explanation(
        "Your OpenAI account is out of credit",
        "Add credit or a payment method at platform.openai.com → Settings → Billing.",
    ),
    Problem.USAGE_LIMIT: Explanation(
        "Your OpenAI account has reached its usage limit",
        "Raise it at platform.openai.com → Settings → Limits.",
    ),
    Problem.FORBIDDEN: Explanation(
        "OpenAI refused this key access",
        "If it is a restricted key, give it read access to Models and write access to "
        "Model capabilities.",
    ),
    Problem.RATE_LIMITED: Explanation(
        "OpenAI is rate-limiting your key", "Wait a minute and try again."
    ),
    Problem.TIMEOUT: Explanation(
        "OpenAI didn't answer in time", f"Try again in a few minutes. {_STATUS}"
    ),
    Problem.UNREACHABLE: Explanation(
        "Kairo couldn't reach OpenAI", f"Try again in a moment. {_STATUS}"
    ),
    Problem.UNAVAILABLE: Explanation(
        "OpenAI is not answering right now", f"Try again in a few minutes. {_STATUS}"
    ),
    Problem.PROVIDER_ERROR: Explanation(
        "OpenAI answered with an unexpected error", "Try again in a few minutes."
    ),
}


def classify(error: BaseException) -> Problem:
    """The problem any exception from an openai client call means."""
    if isinstance(error, openai.APIStatusError):
        if error.code in NO_CREDIT_CODES or error.type in NO_CREDIT_CODES:
            return Problem.NO_CREDIT
        if isinstance(error, openai.AuthenticationError):
            return Problem.INVALID_KEY
        if isinstance(error, openai.PermissionDeniedError):
            return Problem.FORBIDDEN
        if isinstance(error, openai.RateLimitError):
            return Problem.RATE_LIMITED
        if isinstance(error, openai.InternalServerError):
            return Problem.UNAVAILABLE
        return Problem.PROVIDER_ERROR
    if isinstance(error, openai.APITimeoutError):  # a subclass of APIConnectionError: first
        return Problem.TIMEOUT
    if isinstance(error, openai.APIConnectionError):
        return Problem.UNREACHABLE
    return Problem.PROVIDER_ERROR


def explain(problem: Problem) -> Explanation:
    return EXPLANATIONS.get(problem, EXPLANATIONS[Problem.PROVIDER_ERROR])
