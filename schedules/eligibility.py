"""Whether a brand's scheduled refresh can run now, and if not, why and what fixes it.

A slot is skipped (recorded, shown on the brand page) when running it would certainly
fail or spend the user's money for nothing:
- the brand has no active owner;
- Regenerate's own rules say no (opportunities/services.py: BrandBrain onboarding
  incomplete, a key missing, scraping switched off on the server);
- a key failed: its last Test Connection said invalid, forbidden or unreadable, or the
  last run was refused for a bad key and the keys have not been changed or re-tested
  since. Out of credit does *not* skip: credit is added at the provider, which Kairo
  can't see, so the next slot simply tries again.

Problems the user can fix (keys, credit) belong to a *family*; a "needs attention" email
is sent at the first slot of a family's streak only, never one a day about the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from brands.models import Brand
from brands.onboarding import require_snapshot
from byok.keys import KeySummary, key_summaries, scraping_unavailable_reason, user_keys_row
from byok.models import ValidationStatus
from opportunities.board import latest_finished_job
from opportunities.errors import JobErrorCode
from opportunities.last_run import error_help
from opportunities.models import JobStatus, OpportunitiesJob
from opportunities.services import Blocked, blocker
from schedules.models import RunOutcome, ScheduledRun
from users.models import User

FAILED_VALIDATIONS = {
    ValidationStatus.INVALID_KEY,
    ValidationStatus.FORBIDDEN,
    ValidationStatus.UNREADABLE,
}
KEYS = "keys"
CREDIT = "credit"
KEY_SKIP_CODES = {JobErrorCode.MISSING_KEYS.value, "key_failed", "key_rejected"}


@dataclass(frozen=True)
class SkipReason:
    code: str
    message: str
    fix_label: str
    fix_url: str
    family: str | None = None  # KEYS / CREDIT: the user can fix it; worth one email


def _settings_fix() -> tuple[str, str]:
    return "Open Settings", reverse("byok:settings")


def _key_problem(brand: Brand, owner: User, summaries: list[KeySummary]) -> SkipReason | None:
    """Both keys are there: did one fail its test, or the last run, since it was saved?"""
    label, url = _settings_fix()
    for summary in summaries:
        if summary.connected and summary.validation in FAILED_VALIDATIONS:
            return SkipReason(
                "key_failed",
                f"Your {summary.spec.key_label} failed its last test: {summary.validation_message}",
                label,
                url,
                KEYS,
            )
    last = latest_finished_job(brand)
    if last is not None and failure_family(last) == KEYS:
        row = user_keys_row(owner)
        unchanged = row is None or (last.finished_at and row.updated_at <= last.finished_at)
        if unchanged:
            return SkipReason(
                "key_rejected",
                f"The last run stopped: {error_help(last, brand).title}. Update or re-test "
                "your keys and the next refresh runs again.",
                label,
                url,
                KEYS,
            )
    return None


def _skip_for(blocked: Blocked) -> SkipReason:
    if blocked.code is JobErrorCode.MISSING_KEYS:
        return SkipReason(blocked.code.value, blocked.message, *_settings_fix(), KEYS)
    if blocked.code is JobErrorCode.SCRAPING_DISABLED:  # nothing the user can do
        return SkipReason(blocked.code.value, blocked.message, "", "")
    return SkipReason(blocked.code.value, blocked.message, blocked.link_label, blocked.link_url)


def skip_reason(brand: Brand, *, has_snapshot: bool | None = None) -> SkipReason | None:
    """Why the brand's scheduled refresh can't run now, or None if it can.
    `has_snapshot`, when the caller knows, saves a query."""
    owner = brand.owner
    if owner is None or not owner.is_active:
        return SkipReason("no_owner", "The brand has no active account.", "", "")
    summaries = list(key_summaries(owner).values())
    blocked = blocker(
        brand,
        onboarding=None if has_snapshot else require_snapshot(brand),
        demo=any(summary.source is None for summary in summaries),  # is_demo_mode, no query
        scraping_off=scraping_unavailable_reason(),
    )
    if blocked is not None:
        return _skip_for(blocked)
    return _key_problem(brand, owner, summaries)


def failure_family(job: OpportunitiesJob) -> str | None:
    """KEYS or CREDIT when the failed run is something the user can fix, else None."""
    if job.status != JobStatus.FAILED:
        return None
    kind = error_help(job, job.brand).kind
    if kind in ("invalid_key", "keys"):
        return KEYS
    if kind == "out_of_credit":
        return CREDIT
    return None


def run_problem_family(run: ScheduledRun) -> str | None:
    """The family of what went wrong at a slot: a skip for keys, or a failed run."""
    if run.outcome == RunOutcome.SKIPPED:
        return KEYS if run.reason_code in KEY_SKIP_CODES else None
    return failure_family(run.job) if run.job else None
