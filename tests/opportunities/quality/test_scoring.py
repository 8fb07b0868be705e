"""The score's parts rest on signals an analyst trusts, each said in words."""

from __future__ import annotations

from opportunities.scoring import WEIGHTS, idea_spread, idea_terms, score_opportunity
from opportunities.trends import analyze_trends
from tests.opportunities.quality.builders import NOW, draft, post, trend

PILLARS = ["Coffee craft", "Café culture"]


def items():
    return [
        post(
            "tiktok",
            "oat milk foam that holds",
            author="a",
            views=4_000,
            hashtags=("oatmilk", "fyp"),
        ),
        post("tiktok", "my morning", author="b", views=1_000, hashtags=("fyp",)),
        post("tiktok", "desk setup", author="c", views=1_500, hashtags=("fyp", "viral")),
        post(
            "instagram",
            "Sunday oat milk latte",
            author="d",
            likes=300,
            hashtags=("oatmilk",),
            kind="reel",
        ),
        post("youtube", "Why oat milk foam collapses", author="e", views=2_000, hashtags=("fyp",)),
        post("linkedin", "We are hiring", author="f", likes=20, hashtags=("fyp",)),
        trend("#oatmilk", rank=3, rank_change=8, is_new=True),
    ]


def test_cross_platform_counts_platforms_that_really_carry_the_idea():
    evidence = items()
    signals = analyze_trends(evidence, [], NOW)
    idea = draft("Oat milk foam, the 10-minute test", evidence=(0,))
    tags, phrases = idea_terms(idea, [0], evidence, signals)
    assert tags == {"oatmilk"}  # #fyp is on every platform and means nothing
    spread = idea_spread(tags, phrases, [0], evidence, signals)
    # Instagram by #oatmilk, YouTube by the phrase “oat milk”; LinkedIn only has #fyp.
    assert spread.platforms == ("instagram", "tiktok", "youtube")
    assert spread.term_on == {
        "instagram": "#oatmilk",
        "tiktok": "#oatmilk",
        "youtube": "“oat milk”",
    }
    scored = score_opportunity(idea, [0], evidence, signals, PILLARS)
    assert scored.parts["cross_platform"] == 1.0
    assert (
        "On 3 platforms: Instagram (#oatmilk), TikTok (#oatmilk) and YouTube (“oat milk”)"
        in scored.signals
    )


def test_three_posts_from_one_platform_are_not_cross_platform():
    evidence = items()
    signals = analyze_trends(evidence, [], NOW)
    scored = score_opportunity(
        draft("Desk tour", evidence=(1, 2)), [1, 2], evidence, signals, PILLARS
    )
    assert scored.parts["cross_platform"] == 0.0
    assert "Seen on TikTok only in this run" in scored.signals


def test_momentum_comes_from_the_trend_entry_for_the_ideas_hashtag():
    evidence = items()
    signals = analyze_trends(evidence, [], NOW)
    scored = score_opportunity(draft("Foam", evidence=(0,)), [0], evidence, signals, PILLARS)
    assert scored.parts["momentum"] == signals.momentum[6].strength > 0.8
    assert "#oatmilk is #3 on TikTok Trends, up 8 places, new on the chart" in scored.signals
    plain = score_opportunity(draft("Desk", evidence=(2,)), [2], evidence, signals, PILLARS)
    assert plain.parts["momentum"] == 0.0


def test_outperformance_is_the_creator_relative_strength_and_the_score_adds_up():
    evidence = items()
    signals = analyze_trends(evidence, [], NOW)
    scored = score_opportunity(
        draft("Foam", pillar="coffee CRAFT", evidence=(0,)), [0], evidence, signals, PILLARS
    )
    assert set(scored.parts) == set(WEIGHTS) and abs(sum(WEIGHTS.values()) - 1) < 1e-9
    assert scored.pillar == "Coffee craft" and scored.parts["pillar_relevance"] == 1.0
    assert scored.parts["outperformance"] == signals.outliers[0].strength > 0
    assert scored.score == round(100 * sum(WEIGHTS[k] * v for k, v in scored.parts.items()), 1)
    assert (
        scored.signals[0]
        == "TikTok post by @a: 2.7× the median TikTok post in this run (1.5K views)"
    )


def test_curation_notes_close_the_signals():
    evidence = items()
    signals = analyze_trends(evidence, [], NOW)
    scored = score_opportunity(
        draft("Oat milk, foamed", evidence=(0,)),
        [0],
        evidence,
        signals,
        PILLARS,
        ("Merged with a similar idea: “x”",),
    )
    assert scored.signals[-1] == "Merged with a similar idea: “x”"
    assert any(line == "Recurring topic: “oat milk” in 3 posts this run" for line in scored.signals)


def test_a_phrase_only_one_cited_caption_has_is_not_the_ideas():
    evidence = [
        post("tiktok", "Reddit threads: mistakes to avoid", author="a"),
        post("youtube", "Cold brew: mistakes to avoid", author="b"),
        post("linkedin", "Hiring: mistakes to avoid", author="c"),
    ]
    signals = analyze_trends(evidence, [], NOW)
    assert any(t.name == "mistakes to avoid" for t in signals.topics)
    idea = draft("Reddit is the new search engine", evidence=(0,))
    tags, phrases = idea_terms(idea, [0], evidence, signals)
    assert phrases == set()
    assert idea_spread(tags, phrases, [0], evidence, signals).platforms == ("tiktok",)
