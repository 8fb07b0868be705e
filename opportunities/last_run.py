"""A finished run on the Today board: its summary (when, how long, what it found and
cost, each source's outcome) and, when it failed, what happened and what to do next.

The problem is said once: a failed run's box (`error_help`) names it with its fix and
links, then lists the sources that fell short grouped by reason; the Last run table
(`run_summary`) leaves those reasons to the box. Codes come from opportunities/errors.py,
the words for a provider's problem from providers/.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.urls import reverse

from brands.models import Brand
from brands.onboarding import step_url
from kairo.wording import time_ago
from opportunities.cards import duration_text, usd
from opportunities.errors import (
    SOURCES_FAILED_MESSAGE,
    JobErrorCode,
    job_error,
    provider_explanation,
)
from opportunities.models import JobStatus, OpportunitiesJob
from opportunities.run_report import (
    STATUS_WORDS,
    SourceGroup,
    SourceRow,
    failure_reason,
    group_by_reason,
    problem_sources,
    shared_reasons,
    source_rows,
)
from opportunities.wording import platform_label
from providers import apify, openai
from providers.problems import CREDIT_PROBLEMS, KEY_PROBLEMS, Problem

Links = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class FailedSource:
    label: str
    summary: str
    reason: str


def failed_sources(job: OpportunitiesJob) -> list[FailedSource]:
    """Sources that delivered less than asked, by name. Sources that fell short alike
    (same outcome, same reason) are one entry, so the reason is said once; a partial
    source keeps its own entry (its counts are its own)."""
    alike: dict[tuple[str, str], list[SourceRow]] = {}
    for row in problem_sources(job):
        key = (row.status, row.label if row.status == "partial" else failure_reason(row))
        alike.setdefault(key, []).append(row)
    return [_failed_entry(rows) for rows in alike.values()]


def _failed_entry(rows: list[SourceRow]) -> FailedSource:
    first = rows[0]
    if len(rows) == 1:
        return FailedSource(first.label, first.summary, failure_reason(first))
    names = ", ".join(row.label for row in rows)
    return FailedSource(names, f"{names}: {STATUS_WORDS[first.status]}", failure_reason(first))


@dataclass(frozen=True)
class RunSummary:
    job: OpportunitiesJob
    when: str
    duration: str
    evidence_by_platform: tuple[tuple[str, int], ...]
    failed: tuple[FailedSource, ...]
    sources: tuple[SourceRow, ...]
    # Reasons several sources share: said once above the table, not on every row...
    shared: tuple[SourceGroup, ...]
    # ...and every reason said elsewhere (there, or in a failed run's error box).
    hidden_reasons: frozenset[str]
    cost_settling: bool
    apify_cost: str
    openai_cost: str
    total_cost: str
    tokens: str


def run_summary(job: OpportunitiesJob, now: datetime) -> RunSummary:
    """A run's facts. A failed run is shown under its error box (`error_help`), which
    already says why each source fell short: its table doesn't say it again."""
    short = problem_sources(job)
    if job.status == JobStatus.FAILED:
        shared: tuple[SourceGroup, ...] = ()
        hidden = frozenset(failure_reason(row) for row in short)
    else:
        several = shared_reasons(short)
        shared = tuple(group for group in group_by_reason(short) if group.reason in several)
        hidden = several
    return RunSummary(
        job=job,
        when=time_ago(job.finished_at or job.created_at, now),
        duration=duration_text(job.duration_seconds),
        evidence_by_platform=tuple(
            (platform_label(p), int(n)) for p, n in sorted(job.evidence_by_platform.items())
        ),
        failed=tuple(failed_sources(job)),
        sources=tuple(source_rows(job)),
        shared=shared,
        hidden_reasons=hidden,
        cost_settling=not job.apify_cost_settled,
        apify_cost=usd(job.apify_cost_usd),
        openai_cost=usd(job.openai_cost_usd),
        total_cost=usd(job.total_cost_usd),
        tokens=f"{job.prompt_tokens + job.completion_tokens:,}" if job.prompt_tokens else "",
    )


@dataclass(frozen=True)
class ErrorHelp:
    kind: str  # invalid_key | rate_limited | out_of_credit | keys | insufficient_evidence | other
    title: str
    detail: str
    links: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    # The sources that fell short, grouped by reason (none repeating the title's).
    sources: tuple[SourceGroup, ...] = ()

    @property
    def show_detail(self) -> bool:
        """The detail, unless it only repeats the title."""
        return bool(self.detail) and self.detail.rstrip(".").lower() != self.title.lower()


BILLING_LINKS = {
    apify.NAME: ("Apify billing", "https://console.apify.com/billing"),
    openai.NAME: ("OpenAI billing", "https://platform.openai.com/settings/organization/billing"),
}
KEY_CODES = (JobErrorCode.KEYS_UNREADABLE, JobErrorCode.MISSING_KEYS)
THIN_EVIDENCE_CODES = (JobErrorCode.INSUFFICIENT_EVIDENCE, JobErrorCode.NO_OPPORTUNITIES)
GENERIC_TITLE = "This regeneration did not finish"
SOURCES_FAILED_TITLE = SOURCES_FAILED_MESSAGE.rstrip(".")


def _provider_help(name: str, problem: Problem) -> tuple[str, Links]:
    """The kind of a provider's problem, and where it is fixed."""
    settings_url = reverse("byok:settings")
    if problem is Problem.INVALID_KEY:
        return "invalid_key", (("Replace it in Settings", settings_url),)
    if problem in KEY_PROBLEMS:
        return "invalid_key", (("Open Settings", settings_url),)
    if problem in CREDIT_PROBLEMS:
        return "out_of_credit", (BILLING_LINKS[name], ("Open Settings", settings_url))
    if problem in (Problem.RATE_LIMITED, Problem.ACCOUNT_BUSY):
        return "rate_limited", ()
    return "other", ()


def error_help(job: OpportunitiesJob, brand: Brand) -> ErrorHelp:
    """A failed job: what happened (its code's words, said once), what to do (links),
    and the sources that fell short, grouped by reason and named."""
    code, message = job_error(job.error_code or ""), job.error_message or ""
    explained = provider_explanation(code) if code else None
    if explained is not None:
        name, problem, words = explained
        kind, links = _provider_help(name, problem)
        title, detail, said = words.headline, words.fix, words.message
    elif code in KEY_CODES:
        kind, title, detail, said = "keys", "Your API keys need attention", message, message
        links = (("Open Settings", reverse("byok:settings")),)
    elif code in THIN_EVIDENCE_CODES:
        kind = "insufficient_evidence"
        title = "Try adding more source connections or adjusting your content pillars"
        detail, said = message, message
        links = (
            ("Add source connections", step_url(brand, "sources")),
            ("Adjust content pillars", step_url(brand, "details")),
        )
    elif code is JobErrorCode.SOURCES_FAILED:  # each source's reason is listed below
        kind, title, detail, said, links = "other", SOURCES_FAILED_TITLE, "", "", ()
    else:
        kind, title, detail, said, links = "other", GENERIC_TITLE, message, message, ()
    sources = tuple(group_by_reason(problem_sources(job), said=said))
    return ErrorHelp(kind, title, detail, links, sources)
