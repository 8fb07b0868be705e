"""What the Today board shows: the current board, the run in progress, the last run's
summary, and errors that say what to do next.

Pages render plain view objects (`Card` from opportunities/cards.py, `Progress`,
`RunSummary` and `ErrorHelp` from opportunities/last_run.py), so real opportunities and
Demo Mode samples (opportunities/demo.py) share one card template and the templates hold
no logic. The board's SQL is constant in the number of cards: opportunities in one query, their
citations with evidence in another.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from django.db.models import F, Prefetch
from django.utils import timezone

from brands.models import Brand
from brands.onboarding import OnboardingRequired, require_snapshot
from byok.health import FailedKey, failed_keys
from byok.keys import is_demo_mode, scraping_unavailable_reason
from kairo.wording import plural, time_ago
from opportunities.cards import Card, card_from_opportunity, freshness_text, usd
from opportunities.demo import sample_cards
from opportunities.history import BoardChanges, annotate_board
from opportunities.jobs import active_job_for_brand
from opportunities.last_run import (
    ErrorHelp,
    FailedSource,
    RunSummary,
    error_help,
    failed_sources,
    run_summary,
)
from opportunities.models import (
    FINISHED_WITH_BOARD,
    STAGE_ORDER,
    JobStatus,
    OpportunitiesJob,
    Opportunity,
    OpportunityEvidence,
    Stage,
)
from opportunities.run_report import (
    DraftCard,
    SourceRow,
    draft_cards,
    source_rows,
)
from opportunities.services import Blocked, blocker
from users.models import User

TERMINAL_STATUSES = (JobStatus.SUCCEEDED, JobStatus.PARTIAL, JobStatus.FAILED)


def board_opportunities(job: OpportunitiesJob) -> list[Opportunity]:
    """The job's opportunities by rank, each with `citations` (evidence in cited order)."""
    citations = Prefetch(
        "opportunityevidence_set",
        # `raw` is the actor's whole item (kilobytes each): a card never shows it.
        queryset=OpportunityEvidence.objects.select_related("evidence")
        .defer("evidence__raw", "evidence__transcript", "evidence__hashtags")
        .order_by("position"),
        to_attr="citations",
    )
    return list(job.opportunities.order_by("rank").prefetch_related(citations))


# ---------------------------------------------------------------- jobs


def _latest(brand: Brand, statuses: Iterable[str]) -> OpportunitiesJob | None:
    return (
        OpportunitiesJob.objects.filter(brand=brand, status__in=statuses)
        .order_by(F("finished_at").desc(nulls_last=True), "-created_at")
        .first()
    )


def current_board_job(brand: Brand) -> OpportunitiesJob | None:
    """The latest job that produced a board (succeeded or partial)."""
    return _latest(brand, FINISHED_WITH_BOARD)


def latest_finished_job(brand: Brand) -> OpportunitiesJob | None:
    return _latest(brand, TERMINAL_STATUSES)


@dataclass(frozen=True)
class StageRow:
    label: str
    state: str  # "done" | "current" | "pending"
    detail: str


@dataclass(frozen=True)
class Progress:
    job: OpportunitiesJob
    step: int  # 1..4; 0 while queued
    total: int
    stages: tuple[StageRow, ...]
    chips: tuple[SourceRow, ...]
    drafts: tuple[DraftCard, ...]
    polling: bool
    headline: str
    percent: int


def job_progress(job: OpportunitiesJob) -> Progress:
    """The progress panel's content for any job, active or finished."""
    terminal = job.status in TERMINAL_STATUSES
    if job.status == JobStatus.QUEUED or (not job.stage and not terminal):
        current = -1
    elif job.status in FINISHED_WITH_BOARD:
        current = len(STAGE_ORDER)
    else:
        current = STAGE_ORDER.index(Stage(job.stage)) if job.stage in STAGE_ORDER else 0
    found = plural(job.evidence_count, "post")
    rows = []
    for index, stage in enumerate(STAGE_ORDER):
        if index < current:
            state = "done"
        elif index == current:
            state = "failed" if terminal else "current"
        else:
            state = "pending"
        detail = ""
        if index == 0 and state != "pending":
            detail = f"found {found}"
        elif index == len(STAGE_ORDER) - 1 and state == "done":
            detail = plural(job.opportunity_count, "opportunity", "opportunities")
        rows.append(StageRow(label=str(stage.label), state=state, detail=detail))
    chips = tuple(source_rows(job))
    headlines = {
        JobStatus.QUEUED: "Starting your regeneration…",
        JobStatus.RUNNING: "Generating your opportunities…",
        JobStatus.SUCCEEDED: "Your board is ready.",
        JobStatus.PARTIAL: "Your board is ready (some sources failed).",
        JobStatus.FAILED: "This regeneration did not finish.",
    }
    step = min(current + 1, len(STAGE_ORDER)) if current >= 0 else 0
    if job.status in FINISHED_WITH_BOARD:
        percent = 100
    else:  # halfway through the current step
        percent = round((2 * step - 1) * 100 / (2 * len(STAGE_ORDER))) if step else 4
    return Progress(
        job=job,
        step=step,
        percent=percent,
        total=len(STAGE_ORDER),
        stages=tuple(rows),
        chips=chips,
        drafts=tuple(draft_cards(job)) if not terminal else (),
        polling=not terminal,
        headline=headlines.get(JobStatus(job.status), ""),
    )


# ---------------------------------------------------------------- the board's header


@dataclass(frozen=True)
class BoardHeader:
    """The line that stays on screen over the cards: how many ideas, how fresh their
    evidence is, when the run finished and what it cost."""

    ideas: str  # "6 ideas", "5 sample ideas"
    freshness: str  # "Evidence from the last 3 days"; "" when no cited post is dated
    updated: str  # "2 hours ago"; "" for samples and past boards
    cost: str  # "$0.45"; "" for samples
    cost_settling: bool = False


def board_header(
    cards: list[Card], job: OpportunitiesJob | None, now: datetime, *, past: bool = False
) -> BoardHeader | None:
    """For a run's board (`job`), or for Demo Mode's samples (`job` None). A past board
    (board history) measures freshness from its run's end, not from now."""
    if not cards:
        return None
    if job is None:
        return BoardHeader(
            ideas=plural(len(cards), "sample idea"),
            freshness=freshness_text(cards, now),
            updated="",
            cost="",
        )
    finished = job.finished_at or job.created_at
    return BoardHeader(
        ideas=plural(len(cards), "idea"),
        freshness=freshness_text(cards, finished if past else now, before_run=past),
        updated="" if past else time_ago(finished, now),  # a past board's page is dated
        cost=usd(job.total_cost_usd),
        cost_settling=not job.apify_cost_settled,
    )


# ---------------------------------------------------------------- the whole board


@dataclass
class Board:
    brand: Brand
    demo: bool
    onboarding: OnboardingRequired | None
    scraping_off: str | None
    active_job: OpportunitiesJob | None
    board_job: OpportunitiesJob | None
    cards: list[Card]
    last_run: RunSummary | None
    failure: ErrorHelp | None
    partial_sources: list[FailedSource]
    changes: BoardChanges | None = None  # against the previous board (history.py)
    # Demo Mode's sample cards, shown until the brand's first board (so `cards` stays
    # the real board: errors can say "your previous board is kept below" of it alone).
    samples: list[Card] = field(default_factory=list)
    header: BoardHeader | None = None
    failed_keys: list[FailedKey] = field(default_factory=list)  # their last test failed

    @property
    def blocked(self) -> Blocked | None:
        """Why Regenerate can't run now (opportunities/services.py's rule), or None."""
        return blocker(
            self.brand, onboarding=self.onboarding, demo=self.demo, scraping_off=self.scraping_off
        )

    @property
    def can_regenerate(self) -> bool:
        return self.blocked is None

    @property
    def is_sample(self) -> bool:
        return bool(self.samples)

    @property
    def shown_cards(self) -> list[Card]:
        """What the card list renders: the board, else the samples."""
        return self.cards or self.samples

    @property
    def first_run(self) -> bool:
        """Samples are shown to a user with keys: no run of theirs has made a board yet."""
        return self.is_sample and not self.demo

    @cached_property  # read several times per render (panel, banner): built once
    def progress(self) -> Progress | None:
        return job_progress(self.active_job) if self.active_job else None


def build_board(brand: Brand, user: User, now: datetime | None = None) -> Board:
    """Everything the Today page shows for `brand` (already owner-checked)."""
    now = now or timezone.now()
    demo = is_demo_mode(user)
    board = Board(
        brand=brand,
        demo=demo,
        onboarding=require_snapshot(brand),
        scraping_off=scraping_unavailable_reason(),
        active_job=None,
        board_job=None,
        cards=[],
        last_run=None,
        failure=None,
        partial_sources=[],
    )
    if board.onboarding and not demo:
        return board
    board.board_job = None if board.onboarding else current_board_job(brand)
    if board.board_job is None:
        # Samples stay until the first real run succeeds: no empty board in between.
        board.samples = sample_cards(brand, now)
        board.header = board_header(board.samples, None, now)
    if demo and board.board_job is None:
        return board
    # A brand with a real board (e.g. migrated legacy data) shows it even in demo mode;
    # only regenerating needs keys.
    board.active_job = None if demo else active_job_for_brand(brand)
    board.failed_keys = [] if demo else failed_keys(user)
    latest = latest_finished_job(brand)
    if board.board_job is not None:
        board.cards = [card_from_opportunity(o, now) for o in board_opportunities(board.board_job)]
        board.cards, board.changes = annotate_board(board.board_job, board.cards, now)
        board.header = board_header(board.cards, board.board_job, now)
        if board.board_job.status == JobStatus.PARTIAL:
            board.partial_sources = failed_sources(board.board_job)
    if latest is not None:
        board.last_run = run_summary(latest, now)
        if latest.status == JobStatus.FAILED:
            board.failure = error_help(latest, brand)
    return board
