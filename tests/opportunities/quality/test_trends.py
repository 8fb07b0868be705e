"""TikTok Trends momentum, what goes to the model, and how a signal reads."""

from __future__ import annotations

from opportunities.trends import Momentum, analyze_trends, strongest_items
from opportunities.wording import momentum_sentence, spread_sentence
from tests.opportunities.quality.builders import NOW, post, trend


def test_rank_rank_change_and_new_flag_make_momentum():
    items = [
        trend("#oatmilk", rank=3, rank_change=8, is_new=True),
        trend("#coldbrew", rank=40, rank_change=-12),
        trend("Lofi beat", kind="trend_sound", rank=1),
        trend("#nochart"),  # a trends item without chart data (older normalizers)
        post(text="no trend here"),
    ]
    momentum = analyze_trends(items, [], NOW).momentum
    assert set(momentum) == {0, 1, 2, 3}
    assert momentum[0] == Momentum("#oatmilk", "trend_hashtag", 3, 8, True)
    assert momentum[2].strength == 1.0
    assert momentum[0].strength > momentum[1].strength
    assert momentum[1].strength < Momentum("#x", "trend_hashtag", 40, 0, False).strength
    assert momentum[3].rank is None and 0 < momentum[3].strength < momentum[0].strength
    assert momentum_sentence(momentum[0]) == (
        "#oatmilk is #3 on TikTok Trends, up 8 places, new on the chart"
    )
    assert momentum_sentence(momentum[1]) == "#coldbrew is #40 on TikTok Trends, down 12 places"
    assert momentum_sentence(momentum[3]) == "#nochart is on TikTok Trends"


def test_trend_entries_are_found_by_their_hashtag_and_sound():
    items = [trend("#OatMilk", rank=2), trend("Lofi beat", kind="trend_sound", rank=5)]
    signals = analyze_trends(items, [], NOW)
    assert signals.trend_by_hashtag == {"oatmilk": 0}
    assert signals.trend_by_sound == {"Lofi beat": 1}


def test_the_model_sees_outliers_first_not_the_biggest_account():
    items = [
        post(author="mega", views=2_000_000, followers=10_000_000),
        post(author="a", views=1_000),
        post(author="b", views=1_200),
        post(author="small", views=90_000, followers=3_000),
        trend("#oatmilk", rank=50),
        trend("#coldbrew", rank=2),
    ]
    signals = analyze_trends(items, [], NOW)
    # One slot: the small creator's breakout (30× followers), not the mega-account's
    # 2M views (0.2× followers).
    assert strongest_items(items, signals, 1) == [3]
    # Four: a quarter for trends (the higher-ranked one), then posts by outlier
    # strength, then velocity.
    assert strongest_items(items, signals, 4) == [0, 2, 3, 5]


def test_prompt_data_carries_phrases_and_momentum():
    items = [
        post("tiktok", "oat milk foam", author="a"),
        post("instagram", "oat milk foam", author="b"),
        trend("#oatmilk", rank=3, rank_change=2, is_new=True),
    ]
    data = analyze_trends(items, [], NOW).as_prompt_data()
    assert data["recurring_topics"][0] == {
        "name": "oat milk foam",
        "count": 2,
        "platforms": ["instagram", "tiktok"],
        "language": "en",
    }
    assert data["tiktok_trends_momentum"] == [
        {"name": "#oatmilk", "rank": 3, "rank_change": 2, "new": True}
    ]


def test_spread_reads_which_platforms_and_why():
    assert spread_sentence(("tiktok",), {"tiktok": ""}) == "Seen on TikTok only in this run"
    assert (
        spread_sentence(
            ("instagram", "tiktok", "youtube"),
            {"instagram": "#oatmilk", "tiktok": "", "youtube": "“oat milk foam”"},
        )
        == "On 3 platforms: Instagram (#oatmilk), TikTok and YouTube (“oat milk foam”)"
    )
