"""Why a regeneration failed: the job's `error_code` as an enumeration.

`OpportunitiesJob.error_code` stores these values (the column has no `choices`, so rows
written before this enumeration stay readable: `job_error()` maps their old codes). A
provider's problem becomes a job code here, and its words come from `providers.apify` /
`providers.openai` — the same Settings' Test Connection shows. The Today board turns a
code into a title and where to fix it (`opportunities.last_run.error_help`).
"""

from __future__ import annotations

from django.db import models

from providers import apify, openai
from providers.problems import Explanation, Problem


class JobErrorCode(models.TextChoices):
    # Checked before any work (opportunities.services.regeneration_blocker).
    ONBOARDING_INCOMPLETE = "onboarding_incomplete", "Onboarding incomplete"
    MISSING_KEYS = "missing_keys", "Keys missing"
    KEYS_UNREADABLE = "keys_unreadable", "Keys unreadable"
    SCRAPING_DISABLED = "scraping_disabled", "Scraping switched off"
    # Collecting evidence on the user's Apify account.
    APIFY_INVALID_TOKEN = "apify_invalid_token", "Apify token rejected"
    APIFY_FORBIDDEN = "apify_forbidden", "Apify refused access"
    APIFY_NO_CREDIT = "apify_out_of_credit", "Apify out of credit"
    APIFY_USAGE_LIMIT = "apify_usage_limit", "Apify usage limit"
    APIFY_RATE_LIMITED = "apify_rate_limited", "Apify rate limit"
    APIFY_ACCOUNT_BUSY = "apify_account_busy", "Apify plan busy"
    SOURCES_FAILED = "sources_failed", "Every source failed"
    INSUFFICIENT_EVIDENCE = "insufficient_evidence", "Too little evidence"
    # Writing the ideas on the user's OpenAI account.
    OPENAI_INVALID_KEY = "openai_invalid_key", "OpenAI key rejected"
    OPENAI_FORBIDDEN = "openai_forbidden", "OpenAI refused access"
    OPENAI_NO_CREDIT = "openai_out_of_credit", "OpenAI out of credit"
    OPENAI_RATE_LIMITED = "openai_rate_limited", "OpenAI rate limit"
    OPENAI_TIMEOUT = "openai_timeout", "OpenAI timed out"
    OPENAI_UNAVAILABLE = "openai_unavailable", "OpenAI unavailable"
    OPENAI_ERROR = "openai_error", "OpenAI error"
    OPENAI_INCOMPLETE = "openai_incomplete", "OpenAI answer incomplete"
    OPENAI_REFUSED = "openai_refused", "OpenAI declined"
    NO_OPPORTUNITIES = "no_opportunities", "No grounded ideas"
    # Kairo's own.
    INTERNAL_ERROR = "internal_error", "Internal error"
    WORKER_LOST = "worker_lost", "Worker lost"


SOURCES_FAILED_MESSAGE = "None of the sources delivered evidence this time."

# A run fails with a provider code only for an account-wide problem: one the user fixes
# in Settings or at the provider, or that passes by itself. Anything else that stops
# every source is SOURCES_FAILED, each source's reason listed.
APIFY_CODES: dict[Problem, JobErrorCode] = {
    Problem.INVALID_KEY: JobErrorCode.APIFY_INVALID_TOKEN,
    Problem.FORBIDDEN: JobErrorCode.APIFY_FORBIDDEN,
    Problem.NO_CREDIT: JobErrorCode.APIFY_NO_CREDIT,
    Problem.USAGE_LIMIT: JobErrorCode.APIFY_USAGE_LIMIT,
    Problem.RATE_LIMITED: JobErrorCode.APIFY_RATE_LIMITED,
    Problem.ACCOUNT_BUSY: JobErrorCode.APIFY_ACCOUNT_BUSY,
}
OPENAI_CODES: dict[Problem, JobErrorCode] = {
    Problem.INVALID_KEY: JobErrorCode.OPENAI_INVALID_KEY,
    Problem.FORBIDDEN: JobErrorCode.OPENAI_FORBIDDEN,
    Problem.NO_CREDIT: JobErrorCode.OPENAI_NO_CREDIT,
    Problem.USAGE_LIMIT: JobErrorCode.OPENAI_NO_CREDIT,
    Problem.RATE_LIMITED: JobErrorCode.OPENAI_RATE_LIMITED,
    Problem.TIMEOUT: JobErrorCode.OPENAI_TIMEOUT,
    Problem.UNREACHABLE: JobErrorCode.OPENAI_UNAVAILABLE,
    Problem.UNAVAILABLE: JobErrorCode.OPENAI_UNAVAILABLE,
}
# Each provider code's problem, for its words.
PROVIDER_PROBLEMS: dict[JobErrorCode, tuple[str, Problem]] = {
    **{code: (apify.NAME, problem) for problem, code in APIFY_CODES.items()},
    **{code: (openai.NAME, problem) for problem, code in OPENAI_CODES.items()},
    JobErrorCode.OPENAI_NO_CREDIT: (openai.NAME, Problem.NO_CREDIT),
    JobErrorCode.OPENAI_UNAVAILABLE: (openai.NAME, Problem.UNAVAILABLE),
    JobErrorCode.OPENAI_ERROR: (openai.NAME, Problem.PROVIDER_ERROR),
}
# Codes stored before this enumeration (a recipe's own code reused for the job).
LEGACY_CODES: dict[str, JobErrorCode] = {
    "invalid_token": JobErrorCode.APIFY_INVALID_TOKEN,
    "out_of_credit": JobErrorCode.APIFY_NO_CREDIT,
    "rate_limited": JobErrorCode.APIFY_RATE_LIMITED,
    "account_busy": JobErrorCode.APIFY_ACCOUNT_BUSY,
    "apify_failed": JobErrorCode.SOURCES_FAILED,
    "actor_unavailable": JobErrorCode.SOURCES_FAILED,
    "invalid_input": JobErrorCode.SOURCES_FAILED,
    "provider_error": JobErrorCode.SOURCES_FAILED,
    "run_timed_out": JobErrorCode.SOURCES_FAILED,
    "run_failed": JobErrorCode.SOURCES_FAILED,
    "missing_input": JobErrorCode.SOURCES_FAILED,
}


def job_error(code: str) -> JobErrorCode | None:
    """The enumeration member of a stored `error_code` (old codes included), or None."""
    try:
        return JobErrorCode(code)
    except ValueError:
        return LEGACY_CODES.get(code)


def apify_code(problem: Problem) -> JobErrorCode:
    return APIFY_CODES.get(problem, JobErrorCode.SOURCES_FAILED)


def openai_code(problem: Problem) -> JobErrorCode:
    return OPENAI_CODES.get(problem, JobErrorCode.OPENAI_ERROR)


def provider_explanation(code: JobErrorCode) -> tuple[str, Problem, Explanation] | None:
    """(provider name, problem, its words) for a provider's code, else None."""
    if code not in PROVIDER_PROBLEMS:
        return None
    name, problem = PROVIDER_PROBLEMS[code]
    module = apify if name == apify.NAME else openai
    return name, problem, module.explain(problem)


class JobFailed(Exception):
    """A run stops with `code`; `message` is shown to the user (`error_message`)."""

    def __init__(self, code: JobErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    @classmethod
    def from_provider(cls, code: JobErrorCode) -> JobFailed:
        explained = provider_explanation(code)
        return cls(code, explained[2].message if explained else code.label)
