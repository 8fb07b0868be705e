"""Creator-relative outliers: the multiple over the creator's usual, audience and
platform, never raw views."""

from __future__ import annotations

import pytest

from opportunities.outliers import Outlier, find_outliers
from opportunities.trends import analyze_trends, strongest_items
from opportunities.wording import outlier_sentence
from tests.opportunities.quality.builders import NOW, post, trend


def test_views_against_followers_where_items_carry_them():
    items = [
        post(author="small", views=34_000, followers=10_000),
        post(author="mega", views=900_000, followers=5_000_000),
    ]
    found = find_outliers(items, [0, 1])
    assert found[0].vs_followers == 3.4
    assert found[1].vs_followers == 0.18
    # The small creator's breakout beats the mega-account's bigger but ordinary video.
    assert found[0].strength > found[1].strength
    assert outlier_sentence(items[0], found[0]) == (
        "TikTok post by @small: views 3.4× the creator's 10K followers"
    )


def test_without_follower_counts_the_platform_median_decides():
    items = [post(author=f"c{i}", views=v) for i, v in enumerate([1_000, 2_000, 3_000, 50_000])]
    found = find_outliers(items, range(4))
    assert all(o.followers is None and o.vs_followers is None for o in found.values())
    assert found[3].platform_median == 2_500.0
    assert found[3].vs_platform_median == 20.0
    assert found[3].strength == 1.0  # 16× the median or more counts in full
    assert found[0].strength == 0.0  # below the median: no outlier
    assert outlier_sentence(items[3], found[3]) == (
        "TikTok post by @c3: 20× the median TikTok post in this run (2.5K views)"
    )
    assert outlier_sentence(items[0], found[0]) == ""


def test_the_creators_own_usual_beats_their_follower_count():
    items = [
        post(author="lena", views=1_000, followers=50_000),
        post(author="lena", views=1_400, followers=50_000),
        post(author="lena", views=4_080, followers=50_000),
    ]
    found = find_outliers(items, range(3))
    assert found[2].creator_usual == 1_200.0 and found[2].creator_posts == 2
    assert found[2].vs_creator_usual == 3.4
    assert found[2].creator_multiple == 3.4  # not 0.08 (views ÷ followers)
    assert outlier_sentence(items[2], found[2]).startswith(
        "TikTok post by @lena: 3.4× this creator's usual views (their other 2 posts here)"
    )


def test_medians_are_per_platform_and_per_metric():
    items = [
        post("linkedin", author="a", likes=100),
        post("linkedin", author="b", likes=120),
        post("linkedin", author="c", likes=3_000),
        post("tiktok", author="d", views=10),
    ]
    found = find_outliers(items, range(4))
    assert found[2].metric == "likes" and found[2].vs_platform_median == 25.0
    assert found[3].platform_median is None  # one TikTok post: no median to speak of
    assert found[2].vs_followers is None  # likes are never set against followers


@pytest.mark.parametrize("followers", [0, -5, "12K", True, None])
def test_missing_or_unusable_follower_counts_are_ignored(followers):
    items = [post(views=5_000, followers=followers)]
    assert find_outliers(items, [0])[0].vs_followers is None


def test_strength_without_any_baseline_is_zero():
    assert Outlier(metric="views", reach=10).strength == 0.0


def test_ads_and_promoted_items_are_left_out_of_every_signal():
    items = [
        post(author="a", views=1_000, hashtags=("oatmilk",), text="oat milk foam"),
        post(author="b", views=2_000, hashtags=("oatmilk",), text="oat milk foam"),
        post(author="c", views=3_000, text="oat milk foam"),
        post(
            author="brand",
            views=9_000_000,
            hashtags=("oatmilk", "buynow"),
            text="oat milk foam deal",
            raw={"isAd": True},
        ),
        trend("#buynow", rank=1, raw={"isPromoted": True}),
    ]
    signals = analyze_trends(items, [], NOW)
    assert signals.excluded == frozenset({3, 4})
    assert 3 not in signals.outliers and 4 not in signals.momentum
    assert signals.outliers[2].platform_median == 2_000.0  # the ad is not in the median
    assert [(s.name, s.count) for s in signals.hashtags] == [("oatmilk", 2)]
    assert [t.count for t in signals.topics if t.name == "oat milk foam"] == [3]
    assert not set(strongest_items(items, signals, 60)) & {3, 4}


def test_a_mega_accounts_ordinary_post_shows_its_creator_baseline_too():
    items = [post(author=f"c{i}", views=v) for i, v in enumerate([1_000, 2_000, 3_000])]
    items.append(post(author="mega", views=900_000, followers=5_000_000))
    found = find_outliers(items, range(4))
    assert outlier_sentence(items[3], found[3]) == (
        "TikTok post by @mega: views 0.18× the creator's 5M followers, "
        "360× the median TikTok post in this run (2.5K views)"
    )
    assert found[3].strength == 0.3  # the platform's 30 % share only
