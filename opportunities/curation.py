"""Curating the board: one card per idea, each grounded on its own platform, and a board
with range. Pure functions over the model's drafts and the run's evidence; deterministic.

1. Near-duplicates merge (`merge_near_duplicates`): two drafts are the same idea when
   their words say the same thing. Words are compared after dropping stop words and
   folding plurals, weighted by how rare they are among this run's drafts (TF-IDF), so
   the words every idea shares ("oat milk" for an oat-milk brand) count for little and
   the ones that make an idea itself count most; numbers count as words, so "Sample
   title 1" and "Sample title 7" stay two ideas. Same idea: cosine similarity of the
   titles at TITLE_SIMILAR, or of title + hook + angle at TEXT_SIMILAR. Shared evidence
   is not a test: two good ideas can rest on one viral post. The merged card keeps the
   draft the model was surest of and cites the evidence of both (at most MAX_CITATIONS).
2. Own-platform grounding (`ground_on_own_platform`): a card for LinkedIn that cites
   only TikTok posts either gains the LinkedIn post of this run that shares most of the
   idea's hashtags and recurring phrases (scoring.idea_terms; the strongest outlier
   among equals), and says so, or says plainly that it adapts a trend from the other
   platform.
3. Diversity re-ranking (`diversify`): greedy, in score order, each pick's score less a
   penalty (PENALTIES) for every card already above it with the same pillar, the same
   platform, or the same platform and format.
   The penalty is capped (MAX_PENALTY), so the strongest idea always stays first and an
   idea never ends up below one that scored more than MAX_PENALTY points less. Ties
   break by score order (title, evidence), never by chance. A card that moved says why.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from opportunities.phrases import fold
from opportunities.scoring import (
    Draft,
    ScoredOpportunity,
    idea_terms,
    rank_key,
    score_opportunity,
)
from opportunities.stopwords import STOPWORDS
from opportunities.synthesis import index_of
from opportunities.trends import Evidence, TrendSignals, is_post
from opportunities.wording import listing, platform_label

TITLE_SIMILAR = 0.55
TEXT_SIMILAR = 0.5
MAX_CITATIONS = 4
# Points off a card's score, for each card above it with the same pillar, platform,
# or platform and format; never more than MAX_PENALTY in all.
PENALTIES = {"pillar": 10.0, "platform": 6.0, "format": 4.0}
MAX_PENALTY = 12.0
_WORD = re.compile(r"\w[\w'’\-]*", re.UNICODE)


@dataclass(frozen=True)
class Candidate:
    """A draft on its way to the board: the evidence it rests on and what curation did."""

    draft: Draft
    evidence_indexes: tuple[int, ...]
    notes: tuple[str, ...] = field(default=())


def candidates_from(drafts: Sequence[Draft]) -> list[Candidate]:
    return [Candidate(d, tuple(dict.fromkeys(index_of(e) for e in d.evidence_ids))) for d in drafts]


# ---------------------------------------------------------------- near-duplicates


def _words(text: str) -> list[str]:
    stop = STOPWORDS["en"]
    words = _WORD.findall(text.lower().replace("’", "'"))
    return [fold(w.strip("'-"), "en") for w in words if w not in stop]


def _vectors(texts: Sequence[str]) -> list[dict[str, float]]:
    """TF-IDF over this run's drafts, smoothed: idf = ln((n + 1) / df) + 1, so a word
    every draft uses weighs little but never nothing, and one dropped draft doesn't swing
    the weights of a small run (unsmoothed, a pair of duplicates moved from 0.56 to 0.48)."""
    bags = [Counter(_words(text)) for text in texts]
    documents = Counter(word for bag in bags for word in bag)
    n = len(texts)
    return [{w: c * (math.log((n + 1) / documents[w]) + 1) for w, c in bag.items()} for bag in bags]


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    dot = sum(weight * b.get(word, 0.0) for word, weight in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def similarity_matrix(candidates: Sequence[Candidate]) -> list[list[bool]]:
    """same[i][j]: candidates i and j are the same idea in other words."""
    titles = _vectors([c.draft.title for c in candidates])
    texts = _vectors([f"{c.draft.title} {c.draft.hook} {c.draft.angle}" for c in candidates])
    n = len(candidates)
    same = [[False] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            same[i][j] = same[j][i] = (
                _cosine(titles[i], titles[j]) >= TITLE_SIMILAR
                or _cosine(texts[i], texts[j]) >= TEXT_SIMILAR
            )
    return same


def merge_near_duplicates(candidates: Sequence[Candidate]) -> list[Candidate]:
    """One candidate per idea, in the order the model gave the ideas."""
    same = similarity_matrix(candidates)
    groups: list[list[int]] = []
    for i in range(len(candidates)):
        group = next((g for g in groups if same[g[0]][i]), None)
        if group is None:
            groups.append([i])
        else:
            group.append(i)
    merged = []
    for group in groups:
        keeper = max(group, key=lambda i: (candidates[i].draft.confidence, -i))
        others = [candidates[i] for i in group if i != keeper]
        if not others:
            merged.append(candidates[keeper])
            continue
        kept = candidates[keeper]
        cited = [*kept.evidence_indexes, *(e for o in others for e in o.evidence_indexes)]
        titles = listing([f"“{o.draft.title}”" for o in others])
        note = f"Merged with {'a similar idea' if len(others) == 1 else 'similar ideas'}: {titles}"
        merged.append(
            replace(
                kept,
                evidence_indexes=tuple(dict.fromkeys(cited))[:MAX_CITATIONS],
                notes=(*kept.notes, note),
            )
        )
    return merged


# ---------------------------------------------------------------- own platform


def ground_on_own_platform(
    candidate: Candidate, items: Sequence[Evidence], signals: TrendSignals
) -> Candidate:
    platform = candidate.draft.platform
    cited = candidate.evidence_indexes
    if any(items[i].platform == platform for i in cited):
        return candidate
    tags, phrases = idea_terms(candidate.draft, cited, items, signals)

    def shared(i: int) -> int:
        carried = signals.item_phrases[i] if i < len(signals.item_phrases) else frozenset()
        return len(tags & set(items[i].hashtags or ())) + len(phrases & carried)

    support = [
        i
        for i in range(len(items))
        if items[i].platform == platform
        and is_post(items[i])
        and not signals.is_excluded(i)
        and i not in cited
        and shared(i)
    ]
    here = platform_label(platform)
    sources = listing(sorted({platform_label(items[i].platform) for i in cited}))
    if not support:
        note = f"Adapts a {sources} trend for {here}: no {here} post in this run carries it yet"
        return replace(candidate, notes=(*candidate.notes, note))
    best = min(
        support,
        key=lambda i: (
            -shared(i),
            -(signals.outliers[i].strength if i in signals.outliers else 0.0),
            -signals.recency[i],
            i,
        ),
    )
    note = f"Kairo added a {here} post that carries the same trend as the {sources} evidence"
    return replace(
        candidate,
        evidence_indexes=(*cited[: MAX_CITATIONS - 1], best),
        notes=(*candidate.notes, note),
    )


# ---------------------------------------------------------------- diversity


def _repeats(above: Sequence[ScoredOpportunity], card: ScoredOpportunity) -> dict[str, int]:
    """How many cards above share the card's pillar, platform, and platform + format."""
    mine = card.draft
    return {
        "pillar": sum(c.pillar == card.pillar for c in above),
        "platform": sum(c.draft.platform == mine.platform for c in above),
        "format": sum(
            (c.draft.platform, c.draft.format) == (mine.platform, mine.format) for c in above
        ),
    }


def _adjusted(card: ScoredOpportunity, above: Sequence[ScoredOpportunity]) -> float:
    penalty = sum(PENALTIES[k] * n for k, n in _repeats(above, card).items())
    return card.score - min(MAX_PENALTY, penalty)


def diversify(ranked: Sequence[ScoredOpportunity]) -> list[ScoredOpportunity]:
    """`ranked` re-ordered, best first, to spread pillars, platforms and formats; each
    card that moved carries a `rank_note` saying why."""
    by_score = sorted(ranked, key=rank_key)
    remaining = list(range(len(by_score)))
    order: list[int] = []
    while remaining:
        above = [by_score[i] for i in order]
        pick = min(remaining, key=lambda i: (-_adjusted(by_score[i], above), i))
        remaining.remove(pick)
        order.append(pick)
    board = [by_score[i] for i in order]
    return [
        replace(card, rank_note=_move_note(card, board[:now], was + 1, now + 1))
        for now, (was, card) in enumerate(zip(order, board, strict=True))
    ]


def _move_note(
    card: ScoredOpportunity, above: Sequence[ScoredOpportunity], was: int, now: int
) -> str:
    draft = card.draft
    if now < was:
        firsts = []
        if all(c.pillar != card.pillar for c in above):
            firsts.append(f"the first {card.pillar} idea")
        if all(c.draft.platform != draft.platform for c in above):
            firsts.append(f"the first for {platform_label(draft.platform)}")
        elif all(
            (c.draft.platform, c.draft.format) != (draft.platform, draft.format) for c in above
        ):
            firsts.append(f"the first {platform_label(draft.platform)} {draft.format}")
        reason = listing(firsts) if firsts else "it adds range to the board"
        return f"Moved up from #{was} to #{now}: {reason}"
    if now > was:
        repeats = _repeats(above, card)
        reason = max(repeats, key=lambda k: (PENALTIES[k] * repeats[k], k == "pillar"))
        count = repeats[reason]
        if not count:
            return f"Moved down from #{was} to #{now} to make room for range"
        kind = {
            "pillar": card.pillar,
            "platform": platform_label(draft.platform),
            "format": f"{platform_label(draft.platform)} {draft.format}",
        }[reason]
        ideas = "idea" if count == 1 else "ideas"
        return f"Moved down from #{was} to #{now}: the board already has {count} {kind} {ideas} above it"
    return ""


# ---------------------------------------------------------------- the board


def curate_board(
    drafts: Sequence[Draft],
    items: Sequence[Evidence],
    signals: TrendSignals,
    pillars: list[str],
) -> list[ScoredOpportunity]:
    """Drafts in, the board out: merged, grounded, scored, diversified."""
    candidates = merge_near_duplicates(candidates_from(drafts))
    grounded = [ground_on_own_platform(c, items, signals) for c in candidates]
    scored = [
        score_opportunity(c.draft, c.evidence_indexes, items, signals, pillars, c.notes)
        for c in grounded
    ]
    return diversify(scored)
