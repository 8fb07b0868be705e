"""The regeneration pipeline: Collecting evidence → Analyzing trends → Synthesizing
opportunities → Scoring and ranking. Each stage is written to the job row for the
progress panel; the board is replaced in one transaction at the end, so a failed run
leaves the previous board exactly as it was.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from brands.snapshots import current_snapshot
from byok.crypto import KeyDecryptionError
from byok.keys import get_usable_keys
from byok.messages import UNREADABLE_MESSAGE
from evidence.collect import RecipeOutcome, collect_evidence
from evidence.normalize import NormalizedEvidence
from evidence.services import save_evidence
from opportunities import costs, jobs
from opportunities.curation import curate_board
from opportunities.errors import SOURCES_FAILED_MESSAGE, JobErrorCode, JobFailed, apify_code
from opportunities.history import record_signal_changes
from opportunities.jobs import LeaseLost
from opportunities.models import (
    JobStatus,
    OpportunitiesJob,
    Opportunity,
    OpportunityEvidence,
    Stage,
)
from opportunities.scoring import ScoredOpportunity, score_opportunity
from opportunities.services import KEYS_MISSING_MESSAGE, regeneration_blocker
from opportunities.synthesis import OpportunityDraft, index_of, synthesize
from opportunities.trends import Evidence, TrendSignals, analyze_trends, strongest_items
from providers.problems import Problem
from workspace.learning import FeedbackProfile, feedback_profile
from workspace.prompt import feedback_context

logger = logging.getLogger(__name__)

MIN_EVIDENCE_ITEMS = 5
MAX_ITEMS_FOR_MODEL = 60

INSUFFICIENT_EVIDENCE = (
    "We found only {count} posts to learn from. Try adding more source connections or "
    "adjusting your content pillars."
)
INTERNAL_ERROR_MESSAGE = "Something went wrong on our side. Your previous board is kept; try again."
ProgressWriter = Callable[[RecipeOutcome], None]
DraftWriter = Callable[[OpportunityDraft], None]


def run_job(job_id: UUID, worker_id: str) -> None:
    """Run one claimed job to its end: succeeded, partial or failed with a message."""
    timings: dict[str, float] = {}
    try:
        _run_stages(job_id, worker_id, timings)
    except LeaseLost:
        logger.warning("job %s: lease lost, another worker owns it now", job_id)
    except JobFailed as failure:
        jobs.fail_job(
            job_id, worker_id, code=failure.code, message=failure.message, timings=timings
        )
    except Exception:
        logger.exception("job %s failed unexpectedly", job_id)
        jobs.fail_job(
            job_id,
            worker_id,
            code=JobErrorCode.INTERNAL_ERROR,
            message=INTERNAL_ERROR_MESSAGE,
            timings=timings,
        )


class _Timer:
    def __init__(self, timings: dict[str, float], stage: Stage) -> None:
        self.timings, self.stage = timings, stage

    def __enter__(self) -> None:
        self.started = time.monotonic()

    def __exit__(self, *exc: object) -> None:
        self.timings[self.stage.value] = round(time.monotonic() - self.started, 3)


def _run_stages(job_id: UUID, worker_id: str, timings: dict[str, float]) -> None:
    job = OpportunitiesJob.objects.select_related("brand", "user").get(pk=job_id)
    # The Regenerate button's rules again: they may have changed while the job queued.
    if blocked := regeneration_blocker(job.brand, job.user):
        raise JobFailed(blocked.code, blocked.message)
    snapshot = current_snapshot(job.brand)
    try:
        keys = get_usable_keys(job.user)
    except KeyDecryptionError:
        raise JobFailed(JobErrorCode.KEYS_UNREADABLE, UNREADABLE_MESSAGE) from None
    if snapshot is None or keys is None:  # removed since the check just above
        raise JobFailed(JobErrorCode.MISSING_KEYS, KEYS_MISSING_MESSAGE)
    data: dict[str, Any] = snapshot.data

    # The snapshot read now (the newest) is the one this run used.
    jobs.update_running_job(
        job_id, worker_id, stage=Stage.COLLECTING, snapshot_version=snapshot.version
    )
    with _Timer(timings, Stage.COLLECTING):
        collection = collect_evidence(
            data, keys.apify_token, on_progress=_progress_writer(job_id, worker_id)
        )
    recipes = {rid: _outcome_row(o) for rid, o in collection.outcomes.items()}
    items = collection.items
    evidence: list[Evidence] = list(items)  # what the analysis and the model read
    by_platform = _count_by_platform(items)
    apify_cost = Decimal(str(round(collection.cost_usd, 4)))
    run_ends = [run.ended_at for o in collection.outcomes.values() for run in o.runs]
    jobs.update_running_job(
        job_id,
        worker_id,
        recipes=recipes,
        evidence_count=len(items),
        evidence_by_platform=by_platform,
        apify_cost_usd=apify_cost,
        # The figures read at each run's end are preliminary; costs.py settles them.
        apify_cost_settled=not run_ends,
        cost_settles_at=costs.settles_at(max(run_ends)) if run_ends else None,
        timings=timings,
    )
    if collection.invalid_token:
        raise JobFailed.from_provider(JobErrorCode.APIFY_INVALID_TOKEN)
    if len(items) < MIN_EVIDENCE_ITEMS:
        raise _collection_failure(collection.outcomes, len(items))

    jobs.enter_stage(job_id, worker_id, Stage.ANALYZING)
    with _Timer(timings, Stage.ANALYZING):
        watched = list(data.get("keywords", [])) + list(data.get("pillars", []))
        language = (data.get("brand") or {}).get("language") or "en"
        signals = analyze_trends(evidence, watched, timezone.now(), default_language=language)
        record_signal_changes(job, worker_id, items, signals)  # also feeds the synthesis
        chosen = strongest_items(evidence, signals, MAX_ITEMS_FOR_MODEL)

    jobs.update_running_job(
        job_id, worker_id, stage=Stage.SYNTHESIZING, timings=timings, openai_model=keys.openai_model
    )
    # Hook (issue 18, workspace/): the brand's recent decisions, for the prompt and the score.
    feedback = feedback_profile(job.brand, timezone.now())
    with _Timer(timings, Stage.SYNTHESIZING):
        result = synthesize(
            snapshot=data,
            items=evidence,
            indexes=chosen,
            signals=signals,
            api_key=keys.openai_key,
            model=keys.openai_model,
            on_draft=_draft_writer(job_id, worker_id, items, signals, data, feedback),
            stream=settings.SYNTHESIS_STREAM,
            feedback_context=feedback_context(feedback, list(data.get("pillars", []))),
        )
    openai_cost = jobs.openai_cost_usd(result.model, result.prompt_tokens, result.completion_tokens)
    jobs.update_running_job(
        job_id,
        worker_id,
        stage=Stage.SCORING,
        timings=timings,
        prompt_tokens=result.prompt_tokens,
        completion_tokens=result.completion_tokens,
        openai_cost_usd=openai_cost,
        openai_model=result.model,  # as OpenAI named it: often the dated snapshot
    )
    if not result.drafts:
        raise JobFailed(
            JobErrorCode.NO_OPPORTUNITIES,
            "OpenAI returned no opportunities backed by the evidence. Try regenerating, or "
            "adjust your content pillars.",
        )
    with _Timer(timings, Stage.SCORING):
        ranked = curate_board(
            result.drafts, items, signals, list(data.get("pillars", [])), feedback=feedback
        )
    partial = any(o.status != "succeeded" for o in collection.outcomes.values())
    _publish_board(job, worker_id, items, ranked, timings, partial)


def _publish_board(
    job: OpportunitiesJob,
    worker_id: str,
    items: list[NormalizedEvidence],
    ranked: list[ScoredOpportunity],
    timings: dict[str, float],
    partial: bool,
) -> None:
    """Write evidence, opportunities and the job's end state in one transaction."""
    with transaction.atomic():
        locked = OpportunitiesJob.objects.select_for_update().filter(
            pk=job.pk, worker_id=worker_id, status=JobStatus.RUNNING
        )
        if not locked.exists():
            raise LeaseLost(str(job.pk))
        # Every collected item is kept (the run's evidence), not only the cited ones.
        row_for_index = save_evidence(brand=job.brand, job_id=job.pk, items=items)
        links = []
        for rank, scored in enumerate(ranked, start=1):
            draft = scored.draft
            opportunity = Opportunity.objects.create(
                brand=job.brand,
                job=job,
                rank=rank,
                title=draft.title[:200],
                hook=draft.hook,
                angle=draft.angle,
                format=draft.format,
                platform=draft.platform,
                pillar=scored.pillar[:120],
                why_now=draft.why_now,
                confidence=max(0.0, min(1.0, draft.confidence)),
                score=scored.score,
                score_parts=scored.parts,
                signals=list(scored.signals),
                rank_note=scored.rank_note[:300],
            )
            links += [
                OpportunityEvidence(
                    opportunity=opportunity, evidence=row_for_index[i], position=position
                )
                for position, i in enumerate(scored.evidence_indexes)
            ]
        OpportunityEvidence.objects.bulk_create(links)
        locked.update(
            status=JobStatus.PARTIAL if partial else JobStatus.SUCCEEDED,
            stage=Stage.SCORING,
            opportunity_count=len(ranked),
            timings=timings,
            finished_at=timezone.now(),
            lease_expires_at=None,
        )


def _outcome_row(outcome: RecipeOutcome) -> dict[str, Any]:
    """One source on the run report: what it kept of what it asked for, and its runs."""
    return {
        "platform": outcome.platform,
        "label": outcome.label,
        "status": outcome.status,
        "item_count": outcome.item_count,
        "asked": outcome.asked,
        "partial_reason": outcome.partial_reason,
        "notes": list(outcome.notes),
        "transcripts": outcome.transcripts,
        "transcripts_asked": outcome.transcripts_asked,
        "seconds": round(outcome.seconds, 2),
        "cost_usd": round(outcome.cost_usd, 6),
        "error_code": outcome.error_code or "",
        "message": outcome.message or "",
        "runs": [run.as_row() for run in outcome.runs],
    }


def _count_by_platform(items: list[NormalizedEvidence]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in items:
        counts[item.platform] = counts.get(item.platform, 0) + 1
    return dict(sorted(counts.items()))


def _progress_writer(job_id: UUID, worker_id: str) -> ProgressWriter:
    """Records each recipe on the job row as it finishes. collect_evidence calls it on
    the job's own thread, so it shares the job thread's database connection."""
    recipes: dict[str, dict[str, Any]] = {}

    def on_progress(outcome: RecipeOutcome) -> None:
        recipes[outcome.recipe_id] = _outcome_row(outcome)
        found = sum(r["item_count"] for r in recipes.values())
        # A lost lease is raised again by the job thread's next write after collection.
        with contextlib.suppress(LeaseLost):
            jobs.update_running_job(job_id, worker_id, recipes=dict(recipes), evidence_count=found)

    return on_progress


def _draft_writer(
    job_id: UUID,
    worker_id: str,
    items: list[NormalizedEvidence],
    signals: TrendSignals,
    data: dict[str, Any],
    feedback: FeedbackProfile | None = None,
) -> DraftWriter:
    """Shows each opportunity on the progress panel as the model finishes writing it,
    scored on its own, with its evidence; the ranked board replaces them at the end."""
    drafts: list[dict[str, Any]] = []
    pillars = list(data.get("pillars", []))

    def on_draft(draft: OpportunityDraft) -> None:
        cited = [index_of(evidence_id) for evidence_id in draft.evidence_ids]
        scored = score_opportunity(draft, cited, items, signals, pillars, feedback=feedback)
        drafts.append(
            {
                "title": draft.title[:200],
                "hook": draft.hook,
                "platform": draft.platform,
                "format": draft.format,
                "pillar": scored.pillar,
                "score": round(scored.score, 1),
                "evidence": [_evidence_preview(items[i]) for i in scored.evidence_indexes[:3]],
            }
        )
        with contextlib.suppress(LeaseLost):  # raised again by the job's next write
            jobs.update_running_job(job_id, worker_id, drafts=list(drafts))

    return on_draft


def _evidence_preview(item: NormalizedEvidence) -> dict[str, str]:
    return {
        "platform": item.platform,
        "url": item.url,
        "author": item.author_handle,
        "text": (item.text or "")[:140],
    }


def _collection_failure(outcomes: dict[str, RecipeOutcome], count: int) -> JobFailed:
    """Too little evidence: an account-wide Apify problem that stopped every source is
    said as that problem; other failures of every source as "none delivered" (the run
    report lists each source's reason); otherwise the evidence was just thin."""
    failed = [o for o in outcomes.values() if o.status in ("failed", "cancelled")]
    if not failed or len(failed) < len(outcomes):
        return JobFailed(
            JobErrorCode.INSUFFICIENT_EVIDENCE, INSUFFICIENT_EVIDENCE.format(count=count)
        )
    problems = {o.error_code for o in failed}
    if len(problems) == 1 and (code := problems.pop()) in set(Problem):
        job_code = apify_code(Problem(code))
        if job_code is not JobErrorCode.SOURCES_FAILED:
            return JobFailed.from_provider(job_code)
    return JobFailed(JobErrorCode.SOURCES_FAILED, SOURCES_FAILED_MESSAGE)
