"""What the "Daily refresh" panel on the brand page shows: the form, when the next
refresh runs (in the schedule's zone), whether it would be skipped right now and how to
fix that, the last few slots and what became of each, and the digest preview."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from brands.models import Brand
from opportunities.board import current_board_job
from opportunities.models import JobStatus, OpportunitiesJob
from schedules.eligibility import SkipReason, skip_reason
from schedules.forms import ScheduleForm
from schedules.models import BrandSchedule, RunOutcome, ScheduledRun
from schedules.scheduler import schedule_for
from schedules.slots import local_slot_text

RECENT_SLOTS = 5


@dataclass(frozen=True)
class RecentSlot:
    slot_text: str  # "Tue, Jun 3 at 07:00"
    caught_up: str  # "" or "caught up 2 hours late"
    outcome: str  # "Board ready" | "Failed" | "Skipped" | "Running" …
    tone: str  # badge class suffix: success | warning | danger | ""
    detail: str
    job: OpportunitiesJob | None


def _recent_slot(run: ScheduledRun, time_zone: str) -> RecentSlot:
    caught_up = f"ran at {local_slot_text(run.claimed_at, time_zone)}" if run.caught_up else ""
    if run.outcome == RunOutcome.SKIPPED:
        return RecentSlot(
            local_slot_text(run.slot_at, time_zone),
            caught_up,
            "Skipped",
            "warning",
            run.reason_message,
            None,
        )
    job = run.job
    status = job.status if job else ""
    outcomes: dict[str, tuple[str, str]] = {
        JobStatus.SUCCEEDED: ("Board ready", "success"),
        JobStatus.PARTIAL: ("Board ready (some sources failed)", "warning"),
        JobStatus.FAILED: ("Failed", "danger"),
        JobStatus.RUNNING: ("Running", ""),
        JobStatus.QUEUED: ("Queued", ""),
    }
    outcome, tone = outcomes.get(status, ("Removed", ""))
    detail = job.error_message if job and status == JobStatus.FAILED else ""
    if run.outcome == RunOutcome.JOINED:
        detail = (detail + " " if detail else "") + "Joined the run you had already started."
    return RecentSlot(
        local_slot_text(run.slot_at, time_zone), caught_up, outcome, tone, detail, job
    )


@dataclass(frozen=True)
class SchedulePanel:
    brand: Brand
    schedule: BrandSchedule
    form: ScheduleForm
    saved: bool  # False until the user first saves: the browser's time zone is offered
    next_run_text: str
    blocked: SkipReason | None  # what would skip the next refresh if it were now
    recent: tuple[RecentSlot, ...]
    has_board: bool


def schedule_panel(
    brand: Brand, form: ScheduleForm | None = None, now: datetime | None = None
) -> SchedulePanel:
    now = now or timezone.now()
    schedule = schedule_for(brand)
    saved = not schedule._state.adding
    runs = (
        ScheduledRun.objects.filter(brand=brand)
        .select_related("job")
        .order_by("-slot_at")[:RECENT_SLOTS]
    )
    form = form or ScheduleForm.for_schedule(schedule)
    if not saved and not form.is_bound:  # first visit: daily.js offers the browser's zone
        form.fields["time_zone"].widget.attrs["data-browser-timezone"] = ""
    return SchedulePanel(
        brand=brand,
        schedule=schedule,
        form=form,
        saved=saved,
        next_run_text=local_slot_text(schedule.next_run_at, schedule.time_zone)
        if schedule.enabled and schedule.next_run_at
        else "",
        blocked=skip_reason(brand) if schedule.enabled else None,
        recent=tuple(_recent_slot(run, schedule.time_zone) for run in runs),
        has_board=current_board_job(brand) is not None,
    )
