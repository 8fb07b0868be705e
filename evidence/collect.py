"""Collect evidence: run every recipe of the plan on Apify at the same time.

One thread per recipe, all started at once; a recipe's stage 2 starts the moment its
own stage 1 ends. Runs go through apify-client with the user's token and
`api_url=settings.APIFY_API_URL`. We start runs and wait in short long-poll slices
(`waitForFinish`, answered by Apify as soon as the run ends, so waiting adds no
latency) instead of `call()`, so a thread can notice a cancellation between slices and
never streams logs (the equivalent of `logger=None`). A recipe's failure never stops
the others, except an invalid token: then every other recipe would fail too, so they
are cancelled at once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from apify_client import ApifyClient
from apify_client.errors import ApifyApiError
from django.conf import settings

from evidence.failures import (
    INVALID_TOKEN_MESSAGE,
    PLATFORM_LABELS,
    RecipeCancelled,
    RecipeFailure,
    classify_api_error,
    invalid_token,
    run_ended,
    unreachable,
)
from evidence.inputs import MissingInput
from evidence.normalize import NormalizedEvidence, deduplicate, normalize_items
from evidence.recipes import DEFAULT_EXECUTION_PLAN, RecipeSpec, get_recipe

logger = logging.getLogger(__name__)

# Apify stops a run after this long (it then ends TIMED-OUT); we give up a little later.
RUN_TIMEOUT = timedelta(minutes=5)
CLIENT_GRACE = timedelta(seconds=60)
# How long one waitForFinish long-poll may hold; also how fast a waiting thread notices
# a cancellation.
POLL_SLICE = timedelta(seconds=10)
# apify-client retries 429/5xx/network errors itself; keep it small and bounded.
MAX_RETRIES = 2
RETRY_MIN_DELAY = timedelta(milliseconds=500)
DATASET_PAGE_SIZE = 1000
MAX_DATASET_PAGES = 20
TERMINAL_STATUSES = {"SUCCEEDED", "FAILED", "TIMED-OUT", "ABORTED"}


@dataclass
class RecipeOutcome:
    recipe_id: str
    platform: str
    status: str  # "succeeded" | "empty" | "failed" | "cancelled"
    item_count: int = 0
    seconds: float = 0.0
    cost_usd: float = 0.0
    error_code: str = ""
    message: str = ""


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


@dataclass
class _ActorRun:
    items: list[Any]
    cost_usd: float


ProgressCallback = Callable[[RecipeOutcome], None]


def apify_client_for(token: str) -> ApifyClient:
    return ApifyClient(
        token,
        api_url=settings.APIFY_API_URL,
        max_retries=MAX_RETRIES,
        min_delay_between_retries=RETRY_MIN_DELAY,
    )


def collect_evidence(
    snapshot: dict,
    apify_token: str,
    *,
    plan: Sequence[str] | None = None,
    on_progress: ProgressCallback | None = None,
) -> CollectionResult:
    """Run every recipe of `plan` at once; never raises for a recipe failure."""
    specs = [get_recipe(recipe_id) for recipe_id in (plan or DEFAULT_EXECUTION_PLAN)]
    client = apify_client_for(apify_token)
    cancel = threading.Event()
    runs: dict[str, _RecipeRun] = {}
    pool = ThreadPoolExecutor(max_workers=max(1, len(specs)), thread_name_prefix="evidence")
    futures: dict[Future[_RecipeRun], RecipeSpec] = {
        pool.submit(_run_recipe, client, spec, snapshot, cancel): spec for spec in specs
    }
    try:
        for future in as_completed(futures):
            run = future.result()
            runs[run.outcome.recipe_id] = run
            _notify(on_progress, run.outcome)
            if run.outcome.error_code == "invalid_token":
                cancel.set()
                break
    finally:
        # Threads still waiting see `cancel` within one poll slice; nobody waits for them.
        pool.shutdown(wait=False, cancel_futures=True)

    for future, spec in futures.items():
        # Recipes that ended while we were cancelling keep what they found.
        if spec.recipe_id not in runs and future.done() and not future.cancelled():
            runs[spec.recipe_id] = future.result()
            _notify(on_progress, runs[spec.recipe_id].outcome)
    for spec in specs:
        if spec.recipe_id not in runs:
            outcome = RecipeOutcome(
                spec.recipe_id,
                spec.platform,
                "cancelled",
                error_code="cancelled",
                message=INVALID_TOKEN_MESSAGE,
            )
            runs[spec.recipe_id] = _RecipeRun(outcome)
            _notify(on_progress, outcome)

    ordered = [runs[spec.recipe_id] for spec in specs]
    return CollectionResult(
        items=deduplicate(item for run in ordered for item in run.items),
        outcomes={run.outcome.recipe_id: run.outcome for run in ordered},
        cost_usd=round(sum(run.outcome.cost_usd for run in ordered), 6),
        skipped_error_items=sum(run.skipped_error_items for run in ordered),
        invalid_token=cancel.is_set(),
    )


def _notify(on_progress: ProgressCallback | None, outcome: RecipeOutcome) -> None:
    if on_progress is None:
        return
    try:
        on_progress(outcome)
    except Exception:  # a broken progress display must not lose the evidence
        logger.exception("evidence progress callback failed for %s", outcome.recipe_id)


def _label(spec: RecipeSpec) -> str:
    return "TikTok Trends" if spec.recipe_id == "TT-TRENDS" else PLATFORM_LABELS[spec.platform]


def _run_recipe(
    client: ApifyClient, spec: RecipeSpec, snapshot: dict, cancel: threading.Event
) -> _RecipeRun:
    """Stage 1, then stage 2 if any; always returns an outcome, never raises."""
    started = time.monotonic()
    outcome = RecipeOutcome(spec.recipe_id, spec.platform, "failed")
    run = _RecipeRun(outcome)
    label = _label(spec)
    try:
        stage1_input = spec.stage1_input_builder(snapshot, spec.stage1_result_limit)
        stage1 = _run_actor(client, spec.stage1_actor, stage1_input, cancel, label)
        outcome.cost_usd += stage1.cost_usd
        items, run.skipped_error_items = normalize_items(
            spec.stage1_actor, spec.recipe_id, stage1.items
        )
        if not items:
            outcome.status, outcome.error_code, outcome.message = (
                "empty",
                "empty_result",
                spec.empty_message,
            )
        else:
            outcome.status = "succeeded"
            items += _run_stage2(client, spec, snapshot, items, cancel, run)
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
        outcome.message = f"Something went wrong collecting {label} evidence — try again."
    outcome.item_count = len(run.items)
    outcome.seconds = round(time.monotonic() - started, 3)
    outcome.cost_usd = round(outcome.cost_usd, 6)
    return run


def _run_stage2(
    client: ApifyClient,
    spec: RecipeSpec,
    snapshot: dict,
    stage1_items: list[NormalizedEvidence],
    cancel: threading.Event,
    run: _RecipeRun,
) -> list[NormalizedEvidence]:
    """Stage 2 adds to stage 1; its failure is reported but keeps stage 1's evidence."""
    stage2 = spec.stage2
    if stage2 is None:
        return []
    stage2_input = stage2.input_builder(snapshot, stage1_items, stage2.result_limit)
    if stage2_input is None:
        return []
    try:
        result = _run_actor(client, stage2.actor, stage2_input, cancel, _label(spec))
    except RecipeFailure as failure:
        run.outcome.cost_usd += failure.cost_usd
        if failure.code == "invalid_token":
            run.outcome.error_code, run.outcome.message = failure.code, failure.message
        else:
            run.outcome.error_code = f"stage2_{failure.code}"
            run.outcome.message = f"Reel transcripts are missing this time: {failure.message}"
        return []
    run.outcome.cost_usd += result.cost_usd
    items, skipped = normalize_items(stage2.actor, spec.recipe_id, result.items)
    run.skipped_error_items += skipped
    return items


def _run_actor(
    client: ApifyClient, actor: str, run_input: dict, cancel: threading.Event, label: str
) -> _ActorRun:
    """Start one run, wait for it, read its items and its settled cost."""
    if cancel.is_set():
        raise RecipeCancelled
    try:
        run = client.actor(actor).start(run_input=run_input, run_timeout=RUN_TIMEOUT)
    except ApifyApiError as error:
        raise classify_api_error(error, actor=actor, label=label, starting=True) from error
    except Exception as error:
        raise unreachable(label) from error

    run_client = client.run(run.id)
    deadline = time.monotonic() + (RUN_TIMEOUT + CLIENT_GRACE).total_seconds()
    try:
        while run.status not in TERMINAL_STATUSES:
            if cancel.is_set():
                _abort_quietly(run_client)
                raise RecipeCancelled
            if time.monotonic() > deadline:
                _abort_quietly(run_client)
                raise run_ended("TIMED-OUT", label=label, cost_usd=run.usage_total_usd or 0.0)
            polled = run_client.wait_for_finish(wait_duration=POLL_SLICE, timeout=POLL_SLICE * 2)
            if polled is None:
                raise unreachable(label)
            run = polled
        items: list[Any] = []
        if run.status == "SUCCEEDED":
            items = _read_items(client, run.default_dataset_id)
        cost = _settled_cost(run_client, run.usage_total_usd)
    except ApifyApiError as error:
        if error.status_code == 401:
            raise invalid_token() from error
        raise classify_api_error(error, actor=actor, label=label, starting=False) from error
    except (RecipeFailure, RecipeCancelled):
        raise
    except Exception as error:
        raise unreachable(label) from error
    if run.status != "SUCCEEDED":
        raise run_ended(run.status, label=label, cost_usd=cost)
    return _ActorRun(items=items, cost_usd=cost)


def _read_items(client: ApifyClient, dataset_id: str) -> list[Any]:
    """All dataset items, a page at a time; a short page or the total ends it (no extra
    empty request), and a page cap guards against a server that ignores `offset`."""
    items: list[Any] = []
    for _ in range(MAX_DATASET_PAGES):
        page = client.dataset(dataset_id).list_items(offset=len(items), limit=DATASET_PAGE_SIZE)
        items.extend(page.items)
        if len(page.items) < DATASET_PAGE_SIZE or len(items) >= page.total:
            break
    return items


def _settled_cost(run_client: Any, first_reading: float | None) -> float:
    """`usageTotalUsd` settles after the run ends: read the run once more."""
    first = float(first_reading or 0.0)
    try:
        again = run_client.get()
    except ApifyApiError:
        return first
    later = float(again.usage_total_usd or 0.0) if again is not None else 0.0
    return max(first, later)


def _abort_quietly(run_client: Any) -> None:
    try:
        run_client.abort()
    except Exception:  # best effort: the run's own timeout ends it anyway
        logger.info("could not abort an Apify run")
