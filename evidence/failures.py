"""Why a recipe failed, in words a marketer can act on.

Apify reports problems as `{"error": {"type", "message"}}` with an HTTP status
(docs/reference/apify.md §3); apify-client raises them as `ApifyApiError`
after its own retries of 429/5xx. "Out of money" is told by `error.type` (or 402),
not by status alone, because 403 also means "no permission".
"""

from __future__ import annotations

from apify_client.errors import ApifyApiError

INVALID_TOKEN_MESSAGE = "Your Apify token might be invalid — check Settings"

OUT_OF_CREDIT_TYPES = {"not-enough-usage-to-run-paid-actor", "platform-feature-disabled"}
BUSY_ACCOUNT_TYPES = {"actor-memory-limit-exceeded", "concurrent-runs-limit-exceeded"}

PLATFORM_LABELS = {
    "instagram": "Instagram",
    "tiktok": "TikTok",
    "youtube": "YouTube",
    "linkedin": "LinkedIn",
}


class RecipeFailure(Exception):
    """A classified failure: `code` for the program, `message` for the user."""

    def __init__(self, code: str, message: str, *, cost_usd: float = 0.0) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.cost_usd = cost_usd


class RecipeCancelled(Exception):
    """Another recipe found the token invalid; this one stops."""


def invalid_token() -> RecipeFailure:
    return RecipeFailure("invalid_token", INVALID_TOKEN_MESSAGE)


def classify_api_error(
    error: ApifyApiError, *, actor: str, label: str, starting: bool
) -> RecipeFailure:
    """Map an Apify API error to a failure class. `starting` is True for the run start,
    where a 404 means the actor itself is missing."""
    status = error.status_code
    error_type = (error.type or "").lower()
    if status == 401:
        return invalid_token()
    if error_type in BUSY_ACCOUNT_TYPES:
        return RecipeFailure(
            "rate_limited",
            "Your Apify account is running too many actors at once — try again when they finish.",
        )
    if error_type in OUT_OF_CREDIT_TYPES or status == 402:
        return RecipeFailure(
            "out_of_credit",
            "Your Apify account is out of credit or reached its usage limit — add credit "
            "or raise the limit in Apify Console.",
        )
    if error_type == "actor-is-not-rented" or (starting and status in {403, 404}):
        return RecipeFailure(
            "actor_unavailable",
            f"The Apify actor {actor} isn't available to your account (not rented or not "
            "found) — open it in Apify Store to enable it.",
        )
    if status == 400 or error_type == "invalid-input":
        detail = (error.message or "").strip()[:200]
        return RecipeFailure(
            "invalid_input",
            f"Apify rejected the {label} search input" + (f": {detail}" if detail else "."),
        )
    if status == 429:
        return RecipeFailure(
            "rate_limited", "Apify is rate-limiting your account — try again in a few minutes."
        )
    return RecipeFailure(
        "provider_error",
        f"Apify had a problem running the {label} search ({status}) — try again shortly.",
    )


def account_busy(apify_message: str) -> RecipeFailure:
    """Still no memory for the run at the deadline: name the plan limit Apify quoted."""
    detail = f" Apify said: “{apify_message.strip()[:160]}”" if apify_message.strip() else ""
    return RecipeFailure(
        "account_busy",
        "Your Apify plan's memory limit doesn't fit all of Kairo's scrapers at once, so this "
        "source couldn't start in time. Stop other runs in Apify Console or upgrade the "
        f"plan.{detail}",
    )


def unreachable(label: str) -> RecipeFailure:
    return RecipeFailure(
        "provider_error", f"Couldn't reach Apify for the {label} search — try again shortly."
    )


def run_ended(status: str, *, label: str, cost_usd: float) -> RecipeFailure:
    """A run that reached a terminal status other than SUCCEEDED."""
    if status in {"TIMED-OUT", "TIMING-OUT"}:
        return RecipeFailure(
            "run_timed_out",
            f"The {label} scraper took too long and was stopped.",
            cost_usd=cost_usd,
        )
    return RecipeFailure(
        "run_failed",
        f"The {label} scraper run {'was aborted' if status == 'ABORTED' else 'failed'} on Apify — "
        "try again later.",
        cost_usd=cost_usd,
    )
