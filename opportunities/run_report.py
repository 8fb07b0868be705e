"""The run report: each source of a regeneration, as the progress panel and the Last
run panel show it — what it kept of what it asked for, partial or failed and why, what it
cost (settling… until Apify's figure is final), and a link to each Apify run — plus the
opportunities the model has written so far while a run is synthesizing.

It reads only the job row (`recipes`, `drafts`), written by the pipeline, so a page
render costs no extra queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from evidence.recipes import RECIPES
from opportunities.cards import usd
from opportunities.models import OpportunitiesJob
from opportunities.wording import platform_label

APIFY_RUN_URL = "https://console.apify.com/actors/runs/{run_id}"
STATUS_WORDS = {"empty": "found no posts", "cancelled": "was cancelled", "failed": "failed"}


@dataclass(frozen=True)
class RunLink:
    url: str
    label: str


@dataclass(frozen=True)
class SourceRow:
    label: str  # "Instagram hashtags", "TikTok Trends", … never an internal recipe id
    status: str  # succeeded | partial | empty | failed | cancelled
    kept: int
    asked: int
    reason: str
    notes: tuple[str, ...]
    cost: str
    settled: bool
    runs: tuple[RunLink, ...]

    @property
    def summary(self) -> str:
        """'YouTube: 14 of 20 — time limit', 'LinkedIn: 20', 'TikTok search: failed'."""
        if self.status in {"failed", "cancelled", "empty"}:
            return f"{self.label}: {STATUS_WORDS[self.status]}"
        counted = f"{self.kept} of {self.asked}" if self.asked and self.kept < self.asked else ""
        text = f"{self.label}: {counted or self.kept}"
        return f"{text} — {self.reason}" if self.status == "partial" and self.reason else text

    @property
    def ok(self) -> bool:
        return self.status == "succeeded"


@dataclass(frozen=True)
class DraftCard:
    title: str
    hook: str
    platform: str
    format: str
    pillar: str
    score: float
    evidence: tuple[dict[str, Any], ...]


def source_label(recipe_id: str, row: dict[str, Any]) -> str:
    """The source by name ("TikTok Trends"), never its internal recipe id: as the run
    recorded it, else as the recipe registry names it (runs recorded before labels were),
    else its platform."""
    spec = RECIPES.get(recipe_id)
    return str(
        row.get("label")
        or (spec.label if spec else "")
        or platform_label(row.get("platform", ""))
        or "A source"
    )


def _registry_order(recipe_id: str) -> tuple[int, str]:
    # PostgreSQL's jsonb keeps keys in its own order (shortest first), not the order the
    # run wrote them: sources are listed in the registry's order on every database.
    order = list(RECIPES)
    return (order.index(recipe_id), "") if recipe_id in RECIPES else (len(order), recipe_id)


def source_rows(job: OpportunitiesJob) -> list[SourceRow]:
    """Each source of the run, in the recipe registry's order."""
    rows = []
    for recipe_id in sorted(job.recipes, key=_registry_order):
        row = job.recipes[recipe_id]
        runs = row.get("runs") or []
        status = row.get("status", "")
        rows.append(
            SourceRow(
                label=source_label(recipe_id, row),
                status=status,
                kept=int(row.get("item_count") or 0),
                asked=int(row.get("asked") or 0),
                reason=row.get("partial_reason") or row.get("message") or "",
                notes=tuple(row.get("notes") or ()),
                cost=usd(row.get("cost_usd") or 0),
                settled=all(run.get("settled") for run in runs) or job.apify_cost_settled,
                runs=tuple(
                    RunLink(
                        APIFY_RUN_URL.format(run_id=run["run_id"]),
                        f"Apify run {n}" if len(runs) > 1 else "Apify run",
                    )
                    for n, run in enumerate(runs, start=1)
                    if run.get("run_id")
                ),
            )
        )
    return rows


def problem_sources(job: OpportunitiesJob) -> list[SourceRow]:
    """Sources that delivered less than asked: partial, empty, failed or cancelled."""
    return [row for row in source_rows(job) if not row.ok]


def failure_reason(row: SourceRow) -> str:
    return row.reason or STATUS_WORDS.get(row.status, "failed")


@dataclass(frozen=True)
class SourceGroup:
    """Sources that fell short for one reason: the reason said once, the sources named."""

    reason: str
    labels: tuple[str, ...]

    @property
    def names(self) -> str:
        return ", ".join(self.labels)


def group_by_reason(rows: list[SourceRow], *, said: str = "") -> list[SourceGroup]:
    """`rows` grouped by their reason, in first-seen order. A reason equal to `said`
    (the failure's title already says it) is left out of its group."""
    groups: dict[str, list[str]] = {}
    for row in rows:
        groups.setdefault(failure_reason(row), []).append(row.label)
    return [
        SourceGroup(reason="" if reason == said else reason, labels=tuple(labels))
        for reason, labels in groups.items()
    ]


def shared_reasons(rows: list[SourceRow]) -> frozenset[str]:
    """Reasons more than one of `rows` fell short for (said once, above their table)."""
    return frozenset(g.reason for g in group_by_reason(rows) if len(g.labels) > 1)


def draft_cards(job: OpportunitiesJob) -> list[DraftCard]:
    return [
        DraftCard(
            title=d.get("title", ""),
            hook=d.get("hook", ""),
            platform=platform_label(d.get("platform", "")),
            format=d.get("format", ""),
            pillar=d.get("pillar", ""),
            score=float(d.get("score") or 0),
            evidence=tuple(d.get("evidence") or ()),
        )
        for d in job.drafts or []
    ]
