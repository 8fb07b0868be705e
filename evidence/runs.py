"""One actor run on Apify, bounded by the collection deadline, keeping everything it pushed.

We start runs and wait in long-poll slices (`waitForFinish`, answered the moment the
run ends, so waiting adds no latency) instead of `call()`, so a thread notices a
cancellation or the deadline between slices and never streams logs. Whatever way a run
ends — SUCCEEDED, FAILED, TIMED-OUT, ABORTED, or stopped by us at the deadline — its
dataset is read: pay-per-result actors bill every item they pushed, and nothing a user
paid for is thrown away (docs/reference/apify.md §6.2).

Cost: `usageTotalUsd` settles some seconds after a run ends. The figure read here is
preliminary; `opportunities/costs.py` reads it again later, off the critical path.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from apify_client import ApifyClient
from apify_client.errors import ApifyApiError

from evidence.failures import (
    BUSY_ACCOUNT_TYPES,
    RecipeCancelled,
    RecipeFailure,
    account_busy,
    classify_api_error,
    invalid_token,
    unreachable,
)

logger = logging.getLogger(__name__)

# Apify stops a run after this long (it then ends TIMED-OUT); the deadline comes first.
RUN_TIMEOUT = timedelta(minutes=5)
# Longest single waitForFinish hold; a run being watched for stage 2 polls faster.
POLL_SLICE = 10.0
WATCH_SLICE = 1.0
# Retry a start refused for lack of account memory this often, until the deadline.
RESOURCE_RETRY_SECONDS = 1.0
DATASET_PAGE_SIZE = 1000
MAX_DATASET_PAGES = 20
TERMINAL_STATUSES = {"SUCCEEDED", "FAILED", "TIMED-OUT", "ABORTED"}
STOPPED_AT_DEADLINE = "DEADLINE"  # our status for a run we aborted at the deadline


@dataclass
class ActorRunReport:
    """One Apify run, for the run report and for settling its cost later."""

    actor: str
    run_id: str
    status: str = "RUNNING"
    item_count: int = 0
    asked: int = 0
    cost_usd: float = 0.0
    charged_events: dict[str, int] = field(default_factory=dict)
    settled: bool = False
    ended_at: float = 0.0  # epoch seconds

    def as_row(self) -> dict[str, Any]:
        return {
            "actor": self.actor,
            "run_id": self.run_id,
            "status": self.status,
            "item_count": self.item_count,
            "asked": self.asked,
            "cost_usd": round(self.cost_usd, 6),
            "charged_events": dict(self.charged_events),
            "settled": self.settled,
            "ended_at": round(self.ended_at, 3),
        }


@dataclass
class ActorRun:
    items: list[Any]
    report: ActorRunReport

    @property
    def complete(self) -> bool:
        return self.report.status == "SUCCEEDED"


Watcher = Callable[[list[Any]], None]


def run_actor(
    client: ApifyClient,
    actor: str,
    run_input: dict,
    *,
    max_items: int,
    label: str,
    deadline: float,
    cancel: threading.Event,
    watch: Watcher | None = None,
) -> ActorRun:
    """Start one run and see it to its end or to `deadline` (a `time.monotonic()` value).

    Raises `RecipeFailure` only when the run produced nothing to keep; a run that ended
    badly after pushing items returns them with its status in the report. `watch` is
    called with the items pushed so far while the run is still going."""
    run = _start(client, actor, run_input, max_items=max_items, label=label, deadline=deadline)
    report = ActorRunReport(actor=actor, run_id=run.id, asked=max_items)
    run_client = client.run(run.id)
    try:
        while run.status not in TERMINAL_STATUSES:
            if cancel.is_set():
                _abort_quietly(run_client)
                raise RecipeCancelled
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                # Read first, then abort: the run stops spending, what it pushed is kept.
                items = read_items(client, run.default_dataset_id)
                _abort_quietly(run_client)
                return _finish(report, run, items, status=STOPPED_AT_DEADLINE)
            if watch is not None:
                watch(read_items(client, run.default_dataset_id))
            slice_seconds = min(WATCH_SLICE if watch else POLL_SLICE, max(remaining, 0.05))
            polled = run_client.wait_for_finish(
                wait_duration=timedelta(seconds=slice_seconds),
                timeout=timedelta(seconds=slice_seconds + 10),
            )
            if polled is None:
                raise unreachable(label)
            run = polled
        items = read_items(client, run.default_dataset_id)
    except ApifyApiError as error:
        if error.status_code == 401:
            raise invalid_token() from error
        raise classify_api_error(error, actor=actor, label=label, starting=False) from error
    except (RecipeFailure, RecipeCancelled):
        raise
    except Exception as error:
        raise unreachable(label) from error
    return _finish(report, run, items, status=run.status)


def _start(
    client: ApifyClient,
    actor: str,
    run_input: dict,
    *,
    max_items: int,
    label: str,
    deadline: float,
) -> Any:
    """Start a run; a start refused for account memory is retried until the deadline."""
    while True:
        try:
            return client.actor(actor).start(
                run_input=run_input, run_timeout=RUN_TIMEOUT, max_items=max_items
            )
        except ApifyApiError as error:
            busy = (error.type or "").lower() in BUSY_ACCOUNT_TYPES
            if busy and time.monotonic() + RESOURCE_RETRY_SECONDS < deadline:
                time.sleep(RESOURCE_RETRY_SECONDS)
                continue
            if busy:
                raise account_busy(error.message or "") from error
            raise classify_api_error(error, actor=actor, label=label, starting=True) from error
        except Exception as error:
            raise unreachable(label) from error


def _finish(report: ActorRunReport, run: Any, items: list[Any], *, status: str) -> ActorRun:
    report.status = status
    report.item_count = len(items)
    report.cost_usd = float(run.usage_total_usd or 0.0)
    report.charged_events = _charged_events(run)
    report.ended_at = time.time()
    return ActorRun(items=items, report=report)


def _charged_events(run: Any) -> dict[str, int]:
    counts = getattr(run, "charged_event_counts", None) or {}
    if not isinstance(counts, dict):
        counts = dict(counts) if hasattr(counts, "items") else {}
    return {str(k): int(v) for k, v in counts.items() if isinstance(v, int | float)}


def read_items(client: ApifyClient, dataset_id: str) -> list[Any]:
    """All dataset items, a page at a time; a short page or the total ends it (no extra
    empty request), and a page cap guards against a server that ignores `offset`."""
    items: list[Any] = []
    for _ in range(MAX_DATASET_PAGES):
        page = client.dataset(dataset_id).list_items(offset=len(items), limit=DATASET_PAGE_SIZE)
        items.extend(page.items)
        if len(page.items) < DATASET_PAGE_SIZE or len(items) >= page.total:
            break
    return items


def read_settled_cost(client: ApifyClient, run_id: str) -> tuple[float, dict[str, int]] | None:
    """The run's `usageTotalUsd` and charged events as Apify reports them now."""
    run = client.run(run_id).get()
    if run is None:
        return None
    return float(run.usage_total_usd or 0.0), _charged_events(run)


def _abort_quietly(run_client: Any) -> None:
    try:
        run_client.abort()
    except Exception:  # best effort: the run's own timeout ends it anyway
        logger.info("could not abort an Apify run")
