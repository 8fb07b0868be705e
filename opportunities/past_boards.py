"""What the board history pages show: one row per finished run, and a past run's board.

Rows come from one query per page (the top idea is a subquery, not a query per row). A
past board is rendered with the Today board's own pieces (cards, run summary, error help,
the "What changed" strip), read-only, with "New" measured against the board before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from django.db.models import OuterRef, QuerySet, Subquery

from brands.models import Brand
from opportunities.board import (
    BoardHeader,
    board_header,
    board_opportunities,
    current_board_job,
)
from opportunities.cards import Card, card_from_opportunity, usd
from opportunities.history import BoardChanges, annotate_board
from opportunities.last_run import ErrorHelp, RunSummary, error_help, run_summary
from opportunities.models import (
    ACTIVE_STATUSES,
    FINISHED_WITH_BOARD,
    JobStatus,
    OpportunitiesJob,
    Opportunity,
)

STATUS_BADGES: dict[str, str] = {
    JobStatus.SUCCEEDED: "badge-success",
    JobStatus.PARTIAL: "badge-warning",
    JobStatus.FAILED: "badge-danger",
}


def finished_runs(brand: Brand) -> QuerySet[OpportunitiesJob]:
    """The brand's finished runs, newest first, each with its top idea's title."""
    top_idea = Opportunity.objects.filter(job=OuterRef("pk")).order_by("rank").values("title")[:1]
    return (
        OpportunitiesJob.objects.filter(brand=brand)
        .exclude(status__in=ACTIVE_STATUSES)
        .annotate(top_idea=Subquery(top_idea))
        .order_by("-created_at")
    )


@dataclass(frozen=True)
class HistoryRow:
    job: OpportunitiesJob
    when: datetime
    trigger: str
    status: str
    status_badge: str
    evidence_count: int
    cost: str
    top_idea: str
    has_board: bool
    is_current: bool


def history_rows(runs: list[OpportunitiesJob], current_id: UUID | None) -> list[HistoryRow]:
    return [
        HistoryRow(
            job=job,
            when=job.finished_at or job.created_at,
            trigger=job.get_trigger_display(),
            status=job.get_status_display(),
            status_badge=STATUS_BADGES.get(job.status, ""),
            evidence_count=job.evidence_count,
            cost=usd(job.total_cost_usd or Decimal(0)),
            top_idea=getattr(job, "top_idea", None) or "",
            has_board=job.status in FINISHED_WITH_BOARD,
            is_current=job.pk == current_id,
        )
        for job in runs
    ]


@dataclass(frozen=True)
class PastBoard:
    job: OpportunitiesJob
    summary: RunSummary
    cards: list[Card]
    changes: BoardChanges | None
    failure: ErrorHelp | None
    is_current: bool
    header: BoardHeader | None = None


def past_board(job: OpportunitiesJob, brand: Brand, now: datetime) -> PastBoard:
    cards: list[Card] = []
    changes = None
    if job.status in FINISHED_WITH_BOARD:
        cards = [card_from_opportunity(o, now) for o in board_opportunities(job)]
        cards, changes = annotate_board(job, cards, now)
    current = current_board_job(brand)
    return PastBoard(
        job=job,
        summary=run_summary(job, now),
        cards=cards,
        changes=changes,
        failure=error_help(job, brand) if job.status == JobStatus.FAILED else None,
        is_current=current is not None and current.pk == job.pk,
        header=board_header(cards, job, now, past=True),
    )
