"""What a digest says: the board of a finished run, told in an email's few lines.

The top 3 ideas (title, hook, why now, platform and format, "New" when the previous
board didn't have them, and the strongest post behind each: the cited item with the most
views, else likes), what changed since the previous board (opportunities/history.py),
the run's cost on the user's own accounts, and links back. The same `Digest` renders the
email (schedules/emails.py) and its preview on the brand page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.urls import reverse

from brands.models import Brand
from opportunities.board import board_opportunities
from opportunities.cards import Card, EvidenceView, card_from_opportunity, usd
from opportunities.history import BoardChanges, annotate_board
from opportunities.last_run import FailedSource, failed_sources
from opportunities.models import JobStatus, OpportunitiesJob, Opportunity, OpportunityEvidence
from schedules.slots import zone

TOP_IDEAS = 3


def absolute_url(path: str) -> str:
    """Links in emails point at SITE_URL (there is no request to take a host from)."""
    return path if path.startswith(("https://", "http://")) else f"{settings.SITE_URL}{path}"


@dataclass(frozen=True)
class DigestIdea:
    card: Card  # the board's own card: title, hook, why now, platform, "New"…
    evidence: EvidenceView | None  # the strongest post with a web link, if any


@dataclass(frozen=True)
class Digest:
    brand: Brand
    job: OpportunitiesJob
    day: str  # "Tuesday, June 3" in the schedule's time zone
    ideas: tuple[DigestIdea, ...]
    idea_count: int
    changes: BoardChanges | None
    evidence_count: int
    partial_sources: tuple[FailedSource, ...]
    total_cost: str
    apify_cost: str
    openai_cost: str
    board_url: str
    history_url: str
    brand_url: str

    @property
    def subject(self) -> str:
        if not self.ideas:
            return f"{self.brand.name}: today's board is ready"
        return f"{self.brand.name} today: {self.ideas[0].card.title}"

    @property
    def preheader(self) -> str:
        ideas = f"{self.idea_count} idea{'s' if self.idea_count != 1 else ''} for {self.day}"
        if self.changes and self.changes.new_ideas:
            return f"{ideas}, {self.changes.new_ideas} new since the last board."
        return f"{ideas}."


def _reach(opportunity_evidence: OpportunityEvidence) -> float:
    metrics = opportunity_evidence.evidence.metrics or {}
    for name in ("views", "likes"):
        try:
            value = float(metrics.get(name) or 0)
        except (TypeError, ValueError):
            value = 0.0
        if value > 0:
            return value
    return 0.0


def strongest_evidence(opportunity: Opportunity, card: Card) -> EvidenceView | None:
    """The cited post with the most reach that has a web link (card order = cited order)."""
    citations = list(getattr(opportunity, "citations", []))
    if len(citations) != len(card.evidence):  # not prefetched in cited order: first link
        return next((item for item in card.evidence if item.url), None)
    ranked = sorted(range(len(card.evidence)), key=lambda i: -_reach(citations[i]))
    return next((card.evidence[i] for i in ranked if card.evidence[i].url), None)


def build_digest(job: OpportunitiesJob, *, time_zone: str, now: datetime) -> Digest:
    """The digest of a finished run that has a board (succeeded or partial)."""
    brand = job.brand
    opportunities = board_opportunities(job)
    cards = [card_from_opportunity(o, now) for o in opportunities]
    cards, changes = annotate_board(job, cards, now)
    ideas = tuple(
        DigestIdea(card=card, evidence=strongest_evidence(opportunity, card))
        for card, opportunity in zip(cards[:TOP_IDEAS], opportunities[:TOP_IDEAS], strict=True)
    )
    local = (job.finished_at or now).astimezone(zone(time_zone))
    return Digest(
        brand=brand,
        job=job,
        day=f"{local:%A}, {local:%B} {local.day}",
        ideas=ideas,
        idea_count=len(cards),
        changes=changes,
        evidence_count=job.evidence_count,
        partial_sources=tuple(failed_sources(job)) if job.status == JobStatus.PARTIAL else (),
        total_cost=usd(job.total_cost_usd),
        apify_cost=usd(job.apify_cost_usd),
        openai_cost=usd(job.openai_cost_usd),
        board_url=absolute_url(reverse("opportunities:today", args=[brand.pk])),
        history_url=absolute_url(reverse("opportunities:board_history", args=[brand.pk])),
        brand_url=absolute_url(reverse("brands:home", args=[brand.pk])),
    )
