"""Board history: every run's board stays readable, and each says what is new against
the board shown before it.

- **The previous board** of a run is the newest board (succeeded or partial run) of the
  same brand that finished before it; for a run still going, the current board.
- **New ideas**: an opportunity is new unless the previous board had the same idea —
  the same title, or an angle sharing at least half its words (Jaccard ≥ 0.5 over the
  words left after opportunities/stopwords.py). The first board of a brand marks nothing new:
  everything would be, which tells the marketer nothing.
- **What changed**: each hashtag, sound and topic phrase among this run's strongest
  signals (opportunities/trends.py) is counted, by one rule (`support`), in this run's evidence
  and in the previous board's. It is shown when it appeared (0 → ≥ 2 posts) or grew by
  half and by at least 2 posts ("#coldbrew: 12 → 31 posts"), biggest gains first. The
  pipeline records the list on the job while analysing (`record_signal_changes`), and
  the same list goes to the synthesis as "rising since the last board".
- **Retention**: `prune_history` deletes finished runs older than a cutoff with their
  opportunities and evidence (`manage.py prune_history`, BOARD_RETENTION_DAYS), but
  never a brand's current board, so the Today page never empties itself.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils.dateparse import parse_datetime

from evidence.models import EvidenceItem
from opportunities import jobs
from opportunities.cards import Card
from opportunities.models import (
    ACTIVE_STATUSES,
    FINISHED_WITH_BOARD,
    OpportunitiesJob,
    Opportunity,
)
from opportunities.phrases import phrase_key
from opportunities.stopwords import STOPWORDS
from opportunities.trends import Signal, TrendSignals, item_hashtags, sound_name

logger = logging.getLogger(__name__)

SAME_ANGLE_JACCARD = 0.5
MIN_POSTS = 2  # a signal carried by fewer posts is noise, not news
MIN_GROWTH_RATIO = 1.5
MIN_GROWTH_POSTS = 2
MAX_CHANGES = 8
PRUNE_BATCH = 200


# ---------------------------------------------------------------- the previous board


def _newest_first(queryset: QuerySet[OpportunitiesJob]) -> QuerySet[OpportunitiesJob]:
    return queryset.order_by(F("finished_at").desc(nulls_last=True), "-created_at")


def previous_board_job(job: OpportunitiesJob) -> OpportunitiesJob | None:
    boards = OpportunitiesJob.objects.filter(
        brand_id=job.brand_id, status__in=FINISHED_WITH_BOARD
    ).exclude(pk=job.pk)
    if job.finished_at is not None:
        boards = boards.filter(finished_at__lt=job.finished_at)
    previous: OpportunitiesJob | None = _newest_first(boards).first()
    return previous


# ---------------------------------------------------------------- new ideas


_WORD = re.compile(r"\w[\w'’\-]{2,}", re.UNICODE)
_FILLER = frozenset().union(*STOPWORDS.values())


def _words(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall((text or "").lower())) - _FILLER


def same_idea(title: str, angle: str, other_title: str, other_angle: str) -> bool:
    if title.strip().lower() == other_title.strip().lower():
        return True
    words, other = _words(angle), _words(other_angle)
    if not words or not other:
        return False
    return len(words & other) / len(words | other) >= SAME_ANGLE_JACCARD


def new_idea_keys(ideas: Iterable[tuple[str, str, str]], previous: OpportunitiesJob) -> set[str]:
    """Keys of the (key, title, angle) ideas that were not on the `previous` board."""
    before = list(previous.opportunities.values_list("title", "angle"))
    return {
        key
        for key, title, angle in ideas
        if not any(same_idea(title, angle, t, a) for t, a in before)
    }


# ---------------------------------------------------------------- what changed


@dataclass(frozen=True)
class SignalChange:
    kind: str  # "hashtag" | "sound" | "topic"
    name: str
    before: int  # posts carrying it on the previous board's evidence (0: it appeared)
    after: int

    @property
    def label(self) -> str:
        return {"hashtag": f"#{self.name}", "sound": f"♪ {self.name}"}.get(self.kind, self.name)

    @property
    def appeared(self) -> bool:
        return self.before == 0

    @property
    def text(self) -> str:
        if self.appeared:
            return f"{self.label}: new, {self.after} posts"
        return f"{self.label}: {self.before} → {self.after} posts"

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "before": self.before, "after": self.after}

    @classmethod
    def from_dict(cls, row: Any) -> SignalChange | None:
        try:
            return cls(str(row["kind"]), str(row["name"]), int(row["before"]), int(row["after"]))
        except (KeyError, TypeError, ValueError):
            return None


def support(signal: Signal, kind: str, items: Iterable[Any]) -> int:
    """How many items carry the signal: one rule for both boards, trends.py's own (its
    hashtags without #fyp and friends, its sound names, its folded topic phrases)."""
    if kind == "hashtag":
        return sum(1 for item in items if signal.name in item_hashtags(item))
    if kind == "sound":
        return sum(1 for item in items if sound_name(item) == signal.name)
    language = signal.language or "en"
    key = f" {phrase_key(signal.name, language)} "
    return sum(1 for item in items if key in f" {phrase_key(item.text or '', language)} ")


def _is_news(before: int, after: int) -> bool:
    if after < MIN_POSTS:
        return False
    if before == 0:
        return True
    return after >= before * MIN_GROWTH_RATIO and after - before >= MIN_GROWTH_POSTS


def signal_changes(
    items: Sequence[Any], signals: TrendSignals, previous_items: Sequence[Any]
) -> list[SignalChange]:
    changes = []
    for kind, strongest in (
        ("hashtag", signals.hashtags),
        ("sound", signals.sounds),
        ("topic", signals.topics),
    ):
        for signal in strongest:
            after = support(signal, kind, items)
            before = support(signal, kind, previous_items)
            if _is_news(before, after):
                changes.append(SignalChange(kind, signal.name, before, after))
    changes.sort(key=lambda c: (-(c.after - c.before), -c.after, c.kind, c.name))
    return changes[:MAX_CHANGES]


def record_signal_changes(
    job: OpportunitiesJob, worker_id: str, items: Sequence[Any], signals: TrendSignals
) -> None:
    """Compare this run's signals with the previous board's evidence, store the result
    on the job, and hand what rose to the synthesis (`signals.rising`)."""
    previous = previous_board_job(job)
    changes: list[SignalChange] = []
    if previous is not None:
        previous_items = list(
            EvidenceItem.objects.filter(brand_id=job.brand_id, job_id=previous.pk).only(
                "kind", "text", "hashtags", "raw"
            )
        )
        changes = signal_changes(items, signals, previous_items)
    jobs.update_running_job(
        job.pk,
        worker_id,
        signal_changes={
            "previous_job_id": str(previous.pk) if previous else None,
            "previous_at": previous.finished_at.isoformat()
            if previous and previous.finished_at
            else None,
            "signals": [change.as_dict() for change in changes],
        },
    )
    signals.rising = [
        {"kind": c.kind, "name": c.name, "posts_before": c.before, "posts_now": c.after}
        for c in changes
    ]


# ---------------------------------------------------------------- a board's changes


@dataclass(frozen=True)
class BoardChanges:
    """What a board shows about itself against the board before it."""

    previous_job_id: UUID
    previous_at: datetime | None
    since: str  # "since yesterday", "since earlier today", "since Jun 2"
    signals: tuple[SignalChange, ...]
    new_ideas: int
    ideas: int


def since_label(previous_at: datetime | None, now: datetime) -> str:
    if previous_at is None:
        return "since the last board"
    days = (now.date() - previous_at.date()).days
    if days <= 0:
        return "since earlier today"
    if days == 1:
        return "since yesterday"
    return f"since {previous_at:%b} {previous_at.day}"


def stored_changes(
    job: OpportunitiesJob,
) -> tuple[UUID | None, datetime | None, list[SignalChange]]:
    data = job.signal_changes if isinstance(job.signal_changes, dict) else {}
    try:
        previous_id = UUID(str(data["previous_job_id"])) if data.get("previous_job_id") else None
    except ValueError:
        previous_id = None
    previous_at = parse_datetime(str(data.get("previous_at") or "")) or None
    signals = data.get("signals")
    rows: list[Any] = signals if isinstance(signals, list) else []
    changes = [c for c in (SignalChange.from_dict(row) for row in rows) if c is not None]
    return previous_id, previous_at, changes


def annotate_board(
    job: OpportunitiesJob, cards: list[Card], now: datetime
) -> tuple[list[Card], BoardChanges | None]:
    """The board's cards with `is_new` set, and what changed since the previous board
    (None for a brand's first board, or a run from before this was recorded)."""
    previous_id, _, changes = stored_changes(job)
    recorded = (
        OpportunitiesJob.objects.filter(pk=previous_id, brand_id=job.brand_id).first()
        if previous_id
        else None
    )
    previous = recorded or previous_board_job(job)
    if previous is None:
        return cards, None
    new_keys = new_idea_keys(((c.key, c.title, c.angle) for c in cards), previous)
    marked = [replace(card, is_new=card.key in new_keys) for card in cards]
    summary = BoardChanges(
        previous_job_id=previous.pk,
        previous_at=previous.finished_at,
        since=since_label(previous.finished_at, now),
        signals=tuple(changes),
        new_ideas=len(new_keys),
        ideas=len(cards),
    )
    return marked, summary


# ---------------------------------------------------------------- retention


@dataclass(frozen=True)
class PruneResult:
    jobs: int
    opportunities: int
    evidence: int


def prunable_jobs(older_than: datetime) -> QuerySet[OpportunitiesJob]:
    """Finished runs created before `older_than`, except each brand's current board."""
    newest_board = _newest_first(
        OpportunitiesJob.objects.filter(
            brand_id=OuterRef("brand_id"), status__in=FINISHED_WITH_BOARD
        )
    ).values("pk")[:1]
    return (
        OpportunitiesJob.objects.filter(created_at__lt=older_than)
        .exclude(status__in=ACTIVE_STATUSES)
        .annotate(current_board_id=Subquery(newest_board))
        .filter(Q(current_board_id__isnull=True) | ~Q(pk=F("current_board_id")))
    )


def prune_history(*, older_than: datetime, dry_run: bool = False) -> PruneResult:
    """Delete old runs with their opportunities and evidence, in small transactions."""
    ids = list(prunable_jobs(older_than).values_list("pk", flat=True))
    totals = {"jobs": 0, "opportunities": 0, "evidence": 0}
    for start in range(0, len(ids), PRUNE_BATCH):
        batch = ids[start : start + PRUNE_BATCH]
        # Evidence names its run by id only; an item some kept board cites stays.
        evidence = EvidenceItem.objects.filter(job_id__in=batch).exclude(
            opportunities__in=Opportunity.objects.exclude(job_id__in=batch)
        )
        opportunities = Opportunity.objects.filter(job_id__in=batch)
        totals["opportunities"] += opportunities.count()
        if dry_run:
            totals["evidence"] += evidence.count()
            totals["jobs"] += len(batch)
            continue
        with transaction.atomic():
            totals["evidence"] += evidence.delete()[1].get(EvidenceItem._meta.label, 0)
            totals["jobs"] += (
                OpportunitiesJob.objects.filter(pk__in=batch)
                .delete()[1]
                .get(OpportunitiesJob._meta.label, 0)
            )
    result = PruneResult(**totals)
    if not dry_run and result.jobs:
        logger.info(
            "pruned %s runs, %s opportunities, %s evidence items older than %s",
            result.jobs,
            result.opportunities,
            result.evidence,
            older_than.isoformat(),
        )
    return result
