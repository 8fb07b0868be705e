"""Pillar balance: how many ideas the marketer used per content pillar in the last 14
days, and which pillars are under-served, so the next synthesis asks for them.

A pillar is under-served when it got less than half its fair share of the ideas used
(fair share = ideas used ÷ pillars). With nothing used there is no signal, so no pillar
is under-served. Used ideas whose pillar is no longer one of the brand's count as
"Other pillars". A decision counts on the day it was taken (`decided_at`), not the day
it is planned for: the panel is about what was chosen lately.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from workspace.learning import FeedbackProfile

BALANCE_WINDOW = timedelta(days=14)


@dataclass(frozen=True)
class PillarCount:
    pillar: str
    used: int
    under_served: bool
    percent: int  # of the ideas used in the window, for the bar


@dataclass(frozen=True)
class PillarBalance:
    rows: tuple[PillarCount, ...]
    total: int
    other: int  # used ideas of pillars the brand no longer has
    days: int

    @property
    def under_served(self) -> list[str]:
        return [row.pillar for row in self.rows if row.under_served]


def pillar_balance(profile: FeedbackProfile, pillars: Sequence[str]) -> PillarBalance:
    since = profile.now - BALANCE_WINDOW
    used = [d for d in profile.decisions if d.used and d.decided_at >= since]
    names = list(dict.fromkeys(p for p in pillars if p.strip()))
    counts = {name.casefold(): 0 for name in names}
    other = 0
    for decision in used:
        key = decision.pillar.strip().casefold()
        if key in counts:
            counts[key] += 1
        else:
            other += 1
    total = len(used)
    fair_half = total / max(1, len(names)) / 2
    rows = tuple(
        PillarCount(
            pillar=name,
            used=counts[name.casefold()],
            under_served=total > 0 and counts[name.casefold()] < fair_half,
            percent=round(100 * counts[name.casefold()] / total) if total else 0,
        )
        for name in names
    )
    return PillarBalance(rows=rows, total=total, other=other, days=BALANCE_WINDOW.days)
