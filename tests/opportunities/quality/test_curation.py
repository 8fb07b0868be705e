"""Curating the board: near-duplicates merged, cards grounded on their own platform, and
a diversity re-ranking that is deterministic and explains itself."""

from __future__ import annotations

import itertools
import random

from opportunities.curation import (
    MAX_CITATIONS,
    candidates_from,
    curate_board,
    diversify,
    ground_on_own_platform,
    merge_near_duplicates,
)
from opportunities.scoring import ScoredOpportunity
from opportunities.trends import analyze_trends
from tests.opportunities.quality.builders import NOW, draft, post

PILLARS = ["Coffee craft", "Plant-based living", "Café culture"]


def titles(candidates) -> list[str]:
    return [c.draft.title for c in candidates]


def test_the_same_idea_in_other_words_is_merged():
    drafts = [
        draft(
            "3 oat milk foam mistakes baristas see every day",
            hook="Your oat milk foam collapses for one reason.",
            angle="A barista shows the three foam mistakes and the fix for each.",
            evidence=(0, 1),
            confidence=0.7,
        ),
        draft("Cold brew at home in 5 minutes", evidence=(2,)),
        draft(
            "Baristas reveal the oat milk foam mistakes they see daily",
            hook="Why does your oat milk foam collapse?",
            angle="Three foam mistakes, shown by a barista, each with its fix.",
            evidence=(1, 3),
            confidence=0.9,
            platform="instagram",
            format="reel",
        ),
    ]
    merged = merge_near_duplicates(candidates_from(drafts))
    assert len(merged) == 2
    foam = merged[0]
    # The draft the model was surer of is kept; the evidence of both is cited.
    assert foam.draft.title.startswith("Baristas reveal")
    assert foam.evidence_indexes == (1, 3, 0)
    assert foam.notes == (
        "Merged with a similar idea: “3 oat milk foam mistakes baristas see every day”",
    )
    assert titles(merged)[1] == "Cold brew at home in 5 minutes"


def test_distinct_ideas_on_one_theme_stay_apart():
    # An oat-milk brand: every idea says "oat milk"; what each is about differs.
    drafts = [
        draft("Oat milk latte art for beginners", hook="Hearts first, tulips later."),
        draft("Oat milk vs almond milk: the price per cup", hook="We did the maths."),
        draft("Behind the scenes at our oat milk roastery", hook="6 a.m., first batch."),
        draft("5 cold brew recipes for summer", hook="Ice first."),
        draft("Our roaster's 5 a.m. routine", hook="Before the city wakes."),
    ]
    assert len(merge_near_duplicates(candidates_from(drafts))) == 5


def test_word_for_word_duplicates_merge_and_citations_are_capped():
    drafts = [draft("Oat milk foam hack", evidence=(i, i + 10, i + 20)) for i in range(3)]
    merged = merge_near_duplicates(candidates_from(drafts))
    assert len(merged) == 1
    assert len(merged[0].evidence_indexes) == MAX_CITATIONS
    assert merged[0].notes[0].startswith("Merged with similar ideas: ")


def test_titles_that_say_the_same_merge_even_with_other_hooks():
    drafts = [
        draft("Show how you steam oat milk", hook="Microfoam, slowly.", evidence=(0,)),
        draft("How we steam oat milk: a close-up", hook="Silky texture.", evidence=(5,)),
        draft("Cold brew concentrate, explained", evidence=(0,)),
        draft("Our café's Sunday playlist", evidence=(0,)),
    ]
    merged = merge_near_duplicates(candidates_from(drafts))
    assert titles(merged) == [
        "Show how you steam oat milk",
        "Cold brew concentrate, explained",
        "Our café's Sunday playlist",
    ]
    # One shared viral post is no reason to merge two different ideas.
    assert merged[1].notes == merged[2].notes == ()


def run_items():
    return [
        post("tiktok", "oat milk foam that holds", author="a", views=90_000, hashtags=("oatmilk",)),
        post("tiktok", "oat milk foam in 10s", author="b", views=3_000, hashtags=("oatmilk",)),
        post("linkedin", "What our oat milk foam test taught the team", author="c", likes=400),
        post("linkedin", "Hiring baristas in Berlin", author="d", likes=90, hashtags=("hiring",)),
        post("youtube", "Espresso grind size explained", author="e", views=5_000),
    ]


def test_a_card_citing_another_platform_gains_its_own_platforms_post_carrying_the_trend():
    items = run_items()
    signals = analyze_trends(items, [], NOW)
    [candidate] = candidates_from(
        [draft("Our oat milk foam test", platform="linkedin", evidence=(0, 1))]
    )
    grounded = ground_on_own_platform(candidate, items, signals)
    assert grounded.evidence_indexes == (0, 1, 2)  # the LinkedIn post on oat milk foam
    assert grounded.notes == (
        "Kairo added a LinkedIn post that carries the same trend as the TikTok evidence",
    )


def test_a_card_with_no_own_platform_evidence_says_it_adapts_a_trend():
    items = run_items()
    signals = analyze_trends(items, [], NOW)
    [candidate] = candidates_from([draft("Grind size", platform="instagram", evidence=(4,))])
    grounded = ground_on_own_platform(candidate, items, signals)
    assert grounded.evidence_indexes == (4,)
    assert grounded.notes == (
        "Adapts a YouTube trend for Instagram: no Instagram post in this run carries it yet",
    )


def test_a_card_with_own_platform_evidence_is_left_alone():
    items = run_items()
    [candidate] = candidates_from([draft("Foam", platform="tiktok", evidence=(0, 2))])
    assert ground_on_own_platform(candidate, items, analyze_trends(items, [], NOW)) == candidate


def scored(title, score, pillar, platform="tiktok", format="short video") -> ScoredOpportunity:
    return ScoredOpportunity(
        draft(title, platform=platform, format=format, pillar=pillar),
        pillar,
        score,
        {},
        (0,),
    )


BOARD = [
    scored("A1", 80, "Coffee craft"),
    scored("A2", 78, "Coffee craft"),
    scored("A3", 76, "Coffee craft"),
    scored("B1", 70, "Plant-based living", "instagram", "reel"),
    scored("C1", 66, "Café culture", "youtube", "long video"),
    scored("A4", 40, "Coffee craft"),
]


def test_diversity_keeps_the_strongest_first_and_spreads_the_board():
    board = diversify(BOARD)
    assert [c.draft.title for c in board] == ["A1", "B1", "A2", "C1", "A3", "A4"]
    assert [c.rank_note for c in board] == [
        "",
        "Moved up from #4 to #2: the first Plant-based living idea and the first for Instagram",
        "Moved down from #2 to #3: the board already has 1 Coffee craft idea above it",
        "Moved up from #5 to #4: the first Café culture idea and the first for YouTube",
        "Moved down from #3 to #5: the board already has 2 Coffee craft ideas above it",
        "",
    ]


def test_a_much_stronger_idea_is_not_buried_for_range():
    board = diversify(
        [
            scored("A1", 90, "Coffee craft"),
            scored("A2", 88, "Coffee craft"),
            scored("B1", 40, "Café culture"),
        ]
    )
    assert [c.draft.title for c in board] == ["A1", "A2", "B1"]


def test_diversity_reranking_is_deterministic_whatever_the_input_order():
    expected = diversify(BOARD)
    shuffled = list(BOARD)
    for seed in range(20):
        random.Random(seed).shuffle(shuffled)
        assert diversify(shuffled) == expected
    ties = [scored(name, 50, "Coffee craft") for name in ("b", "a", "c")]
    for order in itertools.permutations(ties):
        assert [c.draft.title for c in diversify(list(order))] == ["a", "b", "c"]


def test_build_board_merges_grounds_scores_and_diversifies():
    items = run_items()
    signals = analyze_trends(items, [], NOW)
    drafts = [
        draft("Oat milk foam that holds for 10 minutes", evidence=(0,), pillar="Coffee craft"),
        draft(
            "Oat milk foam that still holds after 10 minutes", evidence=(1,), pillar="Coffee craft"
        ),
        draft(
            "Our oat milk foam test, told to LinkedIn",
            platform="linkedin",
            format="text post",
            evidence=(0,),
            pillar="Café culture",
        ),
        draft(
            "Grind size in 30 seconds",
            platform="youtube",
            format="short video",
            evidence=(4,),
            pillar="Coffee craft",
        ),
    ]
    board = curate_board(drafts, items, signals, PILLARS)
    assert len(board) == 3
    foam = next(c for c in board if "10 minutes" in c.draft.title)
    assert foam.evidence_indexes == (0, 1)
    assert any(line.startswith("Merged with a similar idea") for line in foam.signals)
    linkedin = next(c for c in board if c.draft.platform == "linkedin")
    assert 2 in linkedin.evidence_indexes
    assert "Kairo added a LinkedIn post" in linkedin.signals[-1]
    assert curate_board(drafts, items, signals, PILLARS) == board
