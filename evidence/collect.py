"""Collect evidence: run every recipe of the plan on Apify at once, within a deadline.

One thread per recipe, all started together. The whole collection is bounded by
`settings.COLLECTION_DEADLINE_SECONDS`: at the deadline every run still going is read
for what it has pushed and aborted, and those items are used, the source marked
partial ("YouTube: 14 of 20 — time limit"). A recipe's failure never stops the others,
except an invalid token: then every other recipe would fail too, so they are cancelled.

Stage 2 (reel transcripts, the slowest and dearest source) overlaps stage 1 rather than
following it. Why: a reel run needs ~10 s to start and ~1.5 s per transcript, and stage 1
takes ~18 s, so run after stage 1 no transcript would land inside a 30 s board. So:
- a run starts at once for reels known when the regeneration starts — up to half of the
  transcripts, from the brand's own latest reels when it gave an Instagram handle (what
  it already says, in its words: the model learns its voice and what not to repeat);
- while stage 1 runs its dataset is read every second, and as soon as it has pushed
  enough video posts, a run starts for the strongest of them (the niche's reels), if
  enough time is left for it to return something; the strongest remaining video posts
  get a last run when stage 1 ends, on the same condition.
Transcripts that land before the deadline are used; the run report says how many came
back ("Reel transcripts: 6 of 10").
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed, wait
from concurrent.futures import TimeoutError as FuturesTimeout
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from apify_client import ApifyClient
from django.conf import settings

from evidence.failures import (
    INVALID_TOKEN_CODE,
    INVALID_TOKEN_MESSAGE,
    RUN_TIMED_OUT,
    RecipeCancelled,
    RecipeFailure,
    run_ended,
)
from evidence.inputs import (
    MissingInput,
    own_reels_input,
    reel_transcripts_input,
    strongest_reels,
)
from evidence.normalize import (
    NormalizedEvidence,
    deduplicate,
    link_trending_sounds,
    normalize_items,
)
from evidence.recipes import DEFAULT_EXECUTION_PLAN, RecipeSpec, get_recipe
from evidence.runs import STOPPED_AT_DEADLINE, ActorRun, ActorRunReport, run_actor

logger = logging.getLogger(__name__)

# apify-client retries 429/5xx/network errors itself; keep it small and bounded.
MAX_RETRIES = 2
RETRY_MIN_DELAY_MS = 500
# Stage 2 from stage 1: start once this many video posts are in, and only with this
# much time left (a reel run's start alone takes ~10 s).
REELS_TO_START = 5
REEL_RUN_MIN_SECONDS = 12.0
# How long past the deadline we wait for a thread stuck in an HTTP call.
DEADLINE_GRACE_SECONDS = 5.0

PARTIAL_REASONS = {
    STOPPED_AT_DEADLINE: "time limit",
    "TIMED-OUT": "timed out on Apify",
    "ABORTED": "aborted on Apify",
    "FAILED": "failed on Apify",
}


@dataclass
class RecipeOutcome:
    recipe_id: str
    platform: str
    status: str  # "succeeded" | "partial" | "empty" | "failed" | "cancelled"
    label: str = ""
    item_count: int = 0
    asked: int = 0
    seconds: float = 0.0
    cost_usd: float = 0.0
    error_code: str = ""
    message: str = ""
    partial_reason: str = ""
    notes: list[str] = field(default_factory=list)
    transcripts: int = 0
    transcripts_asked: int = 0
    runs: list[ActorRunReport] = field(default_factory=list)


@dataclass
class CollectionResult:
    items: list[NormalizedEvidence]
    outcomes: dict[str, RecipeOutcome]
    cost_usd: float
    skipped_error_items: int
    invalid_token: bool


@dataclass
class _RecipeRun:
    outcome: RecipeOutcome
    items: list[NormalizedEvidence] = field(default_factory=list)
    skipped_error_items: int = 0


ProgressCallback = Callable[[RecipeOutcome], None]


def apify_client_for(token: str) -> ApifyClient:
    return ApifyClient(
        token,
        api_url=settings.APIFY_API_URL,
        max_retries=MAX_RETRIES,
        min_delay_between_retries=timedelta(milliseconds=RETRY_MIN_DELAY_MS),
    )


def collect_evidence(
    snapshot: dict[str, Any],
    apify_token: str,
    *,
    plan: Sequence[str] | None = None,
    on_progress: ProgressCallback | None = None,
    deadline_seconds: float | None = None,
) -> CollectionResult:
    """Run every recipe of `plan` at once; never raises for a recipe failure."""
    specs = [get_recipe(recipe_id) for recipe_id in (plan or DEFAULT_EXECUTION_PLAN)]
    budget = deadline_seconds or float(settings.COLLECTION_DEADLINE_SECONDS)
    deadline = time.monotonic() + budget
    client = apify_client_for(apify_token)
    cancel = threading.Event()
    runs: dict[str, _RecipeRun] = {}
    pool = ThreadPoolExecutor(max_workers=max(1, len(specs)), thread_name_prefix="evidence")
    futures: dict[Future[_RecipeRun], RecipeSpec] = {
        pool.submit(_run_recipe, client, spec, snapshot, cancel, deadline): spec for spec in specs
    }
    try:
        for future in as_completed(futures, timeout=budget + DEADLINE_GRACE_SECONDS):
            run = future.result()
            runs[run.outcome.recipe_id] = run
            _notify(on_progress, run.outcome)
            if run.outcome.error_code == INVALID_TOKEN_CODE:
                cancel.set()
                break
    except FuturesTimeout:
        logger.warning("evidence: a recipe thread is stuck past the deadline")
    finally:
        # Threads still going see `cancel` within one poll slice; nobody waits for them.
        pool.shutdown(wait=False, cancel_futures=True)

    for future, spec in futures.items():
        # Recipes that ended while we were cancelling keep what they found.
        if spec.recipe_id not in runs and future.done() and not future.cancelled():
            runs[spec.recipe_id] = future.result()
            _notify(on_progress, runs[spec.recipe_id].outcome)
    for spec in specs:
        if spec.recipe_id not in runs:
            runs[spec.recipe_id] = _RecipeRun(_unfinished_outcome(spec, cancel.is_set()))
            _notify(on_progress, runs[spec.recipe_id].outcome)
    if not cancel.is_set():
        cancel.set()  # stragglers stop at their next slice

    ordered = [runs[spec.recipe_id] for spec in specs]
    items = deduplicate(item for run in ordered for item in run.items)
    link_trending_sounds(items)
    return CollectionResult(
        items=items,
        outcomes={run.outcome.recipe_id: run.outcome for run in ordered},
        cost_usd=round(sum(run.outcome.cost_usd for run in ordered), 6),
        skipped_error_items=sum(run.skipped_error_items for run in ordered),
        invalid_token=any(run.outcome.error_code == INVALID_TOKEN_CODE for run in ordered),
    )


def _unfinished_outcome(spec: RecipeSpec, cancelled: bool) -> RecipeOutcome:
    if cancelled:
        return RecipeOutcome(
            spec.recipe_id,
            spec.platform,
            "cancelled",
            label=spec.label,
            error_code="cancelled",
            message=INVALID_TOKEN_MESSAGE,
        )
    return RecipeOutcome(
        spec.recipe_id,
        spec.platform,
        "failed",
        label=spec.label,
        error_code=RUN_TIMED_OUT,
        message="It didn't answer in time; the other sources were used.",
    )


def _notify(on_progress: ProgressCallback | None, outcome: RecipeOutcome) -> None:
    if on_progress is None:
        return
    try:
        on_progress(outcome)
    except Exception:  # a broken progress display must not lose the evidence
        logger.exception("evidence progress callback failed for %s", outcome.recipe_id)


def _run_recipe(
    client: ApifyClient,
    spec: RecipeSpec,
    snapshot: dict[str, Any],
    cancel: threading.Event,
    deadline: float,
) -> _RecipeRun:
    """Stage 1 (and stage 2 alongside it); always returns an outcome, never raises."""
    started = time.monotonic()
    outcome = RecipeOutcome(spec.recipe_id, spec.platform, "failed", label=spec.label)
    outcome.asked = spec.stage1_result_limit
    run = _RecipeRun(outcome)
    reels = _ReelTranscripts(client, spec, snapshot, cancel, deadline) if spec.stage2 else None
    try:
        outcome.notes = spec.notes(snapshot) if spec.notes else []
        stage1_input = spec.stage1_input_builder(snapshot, spec.stage1_result_limit)
        if reels:
            reels.start_known()
        stage1 = run_actor(
            client,
            spec.stage1_actor,
            stage1_input,
            max_items=spec.stage1_result_limit,
            label=spec.label,
            deadline=deadline,
            cancel=cancel,
            watch=reels.watch if reels else None,
        )
        outcome.runs.append(stage1.report)
        items, run.skipped_error_items = normalize_items(
            spec.stage1_actor, spec.recipe_id, stage1.items
        )
        _judge_stage1(spec, outcome, stage1, items)
        if reels:
            reels.start_remaining(items)
            items += reels.collect(outcome, run)
            outcome.asked += reels.new_items_asked
        run.items = deduplicate(items)
    except MissingInput as missing:
        outcome.error_code, outcome.message = "missing_input", str(missing)
    except RecipeCancelled:
        outcome.status, outcome.error_code, outcome.message = (
            "cancelled",
            "cancelled",
            INVALID_TOKEN_MESSAGE,
        )
    except RecipeFailure as failure:
        outcome.error_code, outcome.message = failure.code, failure.message
        outcome.cost_usd += failure.cost_usd
    except Exception:
        logger.exception("evidence recipe %s crashed", spec.recipe_id)
        outcome.error_code = "internal_error"
        outcome.message = "Something went wrong on Kairo's side collecting it. Try again."
    if reels:
        reels.shutdown()
    outcome.item_count = len(run.items)
    outcome.seconds = round(time.monotonic() - started, 3)
    outcome.cost_usd = round(sum(r.cost_usd for r in outcome.runs) + outcome.cost_usd, 6)
    return run


def _judge_stage1(
    spec: RecipeSpec, outcome: RecipeOutcome, stage1: ActorRun, items: list[NormalizedEvidence]
) -> None:
    """Succeeded, partial (ended early but pushed items), empty, or a failure to raise."""
    status = stage1.report.status
    if not stage1.complete and not items:
        # Its cost is already in the outcome's run reports.
        ended = status if status != STOPPED_AT_DEADLINE else "TIMED-OUT"
        raise run_ended(ended, label=spec.label, cost_usd=0.0)
    if not items:
        outcome.status, outcome.error_code, outcome.message = (
            "empty",
            "empty_result",
            spec.empty_message,
        )
    elif not stage1.complete:
        outcome.status = "partial"
        outcome.partial_reason = PARTIAL_REASONS.get(status, "stopped early")
    else:
        outcome.status = "succeeded"


class _ReelTranscripts:
    """Stage 2 runs alongside stage 1 (see the module docstring for the design)."""

    def __init__(
        self,
        client: ApifyClient,
        spec: RecipeSpec,
        snapshot: dict[str, Any],
        cancel: threading.Event,
        deadline: float,
    ) -> None:
        assert spec.stage2 is not None
        self.client, self.spec, self.snapshot = client, spec, snapshot
        self.stage2 = spec.stage2
        self.cancel, self.deadline = cancel, deadline
        self.pool = ThreadPoolExecutor(max_workers=3, thread_name_prefix="reels")
        self.futures: list[Future[ActorRun]] = []
        self.asked_urls: set[str] = set()
        self.asked = 0
        self.new_items_asked = 0  # reels that are not stage-1 posts (the brand's own)
        self._lock = threading.Lock()

    def _launch(self, run_input: dict[str, Any], expected: int) -> None:
        self.asked += expected
        self.futures.append(
            self.pool.submit(
                run_actor,
                self.client,
                self.stage2.actor,
                run_input,
                max_items=max(1, expected),
                label="Instagram reel transcripts",
                deadline=self.deadline,
                cancel=self.cancel,
            )
        )

    def _time_left(self) -> float:
        return self.deadline - time.monotonic()

    def start_known(self) -> None:
        # Half the transcripts at most: the niche's strongest reels matter more.
        share = self.stage2.result_limit // 2
        run_input = own_reels_input(self.snapshot, share)
        if run_input is not None:
            self._launch(run_input, share)
            self.new_items_asked += share

    def _start_batch(self, items: list[NormalizedEvidence], minimum: int) -> None:
        with self._lock:
            room = self.stage2.result_limit - self.asked
            urls = strongest_reels(items, room, exclude=self.asked_urls)
            if len(urls) < minimum or self._time_left() < REEL_RUN_MIN_SECONDS:
                return
            self.asked_urls.update(urls)
            self._launch(reel_transcripts_input(urls), len(urls))

    def watch(self, pushed: list[Any]) -> None:
        """Called with stage 1's items while it runs: the first batch starts early."""
        if self.asked_urls:
            return
        items, _ = normalize_items(self.spec.stage1_actor, self.spec.recipe_id, pushed)
        self._start_batch(items, REELS_TO_START)

    def start_remaining(self, items: list[NormalizedEvidence]) -> None:
        self._start_batch(items, 1)

    def collect(self, outcome: RecipeOutcome, run: _RecipeRun) -> list[NormalizedEvidence]:
        """Items from every reel run that returned something; reports their failures."""
        collected: list[NormalizedEvidence] = []
        timeout = max(0.0, self._time_left()) + DEADLINE_GRACE_SECONDS
        done, _ = wait(self.futures, timeout=timeout)
        for future in self.futures:
            if future not in done:
                continue
            try:
                result = future.result()
            except RecipeFailure as failure:
                outcome.cost_usd += failure.cost_usd
                if failure.code == INVALID_TOKEN_CODE:
                    raise
                outcome.notes.append(f"Reel transcripts are missing this time: {failure.message}")
                continue
            except RecipeCancelled:
                raise
            outcome.runs.append(result.report)
            items, skipped = normalize_items(self.stage2.actor, self.spec.recipe_id, result.items)
            run.skipped_error_items += skipped
            collected += items
        outcome.transcripts = sum(1 for item in collected if item.transcript)
        outcome.transcripts_asked = self.asked
        if self.asked and outcome.transcripts < self.asked:
            outcome.notes.append(f"Reel transcripts: {outcome.transcripts} of {self.asked}")
        return collected

    def shutdown(self) -> None:
        # Runs still going stop themselves at the deadline (run_actor aborts them).
        self.pool.shutdown(wait=False, cancel_futures=True)
