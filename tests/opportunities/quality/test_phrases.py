"""Topic phrases: two- and three-word phrases per content language, not stop words."""

from __future__ import annotations

import pytest

from opportunities.phrases import content_language, guess_language, phrases_in
from opportunities.trends import analyze_trends
from tests.opportunities.quality.builders import NOW, post


def test_phrases_are_runs_of_content_words():
    found = phrases_in(
        "Actually, the oat milk foams were amazing! Oat milk foam hack #coffee", "en"
    )
    assert "oat milk" in found
    assert "oat milk foam" in found  # "foams" and "foam" fold into one key
    assert found["oat milk foam"] in {"oat milk foams", "oat milk foam"}
    # Never single words, never stop words at an edge, never across punctuation/hashtags.
    assert all(1 <= key.count(" ") <= 2 for key in found)
    assert not any(key.startswith(("actually", "the ")) for key in found)
    assert "amazing oat" not in found
    assert not any("coffee" in key for key in found)


def test_three_word_phrases_may_carry_a_connector_in_the_middle():
    assert "cost of living" in phrases_in("The cost of living is up again", "en")
    assert "leche de avena" in phrases_in("La mejor leche de avena para el café", "es")
    # …but a connector never starts or ends a phrase.
    found = phrases_in("Leche de, de avena; avena de", "es")
    assert not any(w in {"de"} for key in found for w in (key.split()[0], key.split()[-1]))


def test_links_mentions_numbers_and_boilerplate_make_no_phrase():
    found = phrases_in("Link in bio https://x.co/oat-milk @oat.milk.club top 3 barista tips", "en")
    assert "link in bio" not in found
    assert not any("x.co" in key or "club" in key for key in found)
    assert "barista tip" in found  # "3" broke the run before it


@pytest.mark.parametrize(
    ("text", "raw", "language"),
    [
        ("whatever the words", {"textLanguage": "es"}, "es"),
        ("La leche de avena es lo que más pedimos en el café", {}, "es"),
        ("Der Hafer und die Milch sind für uns das Beste", {}, "de"),
        ("The oat milk is what we order most at the café", {}, "en"),
        ("oat milk", {"textLanguage": "un"}, "fr"),  # undetermined: fall back
    ],
)
def test_content_language(text, raw, language):
    assert content_language(text, raw, "fr") == language


def test_too_few_stop_words_keep_the_brands_language():
    assert guess_language("oat milk foam", "pt") == "pt"


def test_recurring_phrases_are_counted_per_language_and_across_creators():
    items = [
        post("tiktok", "Oat milk foam hack that actually works", author="a"),
        post("instagram", "My oat milk foam routine", author="b", kind="reel"),
        post("youtube", "Why oat milk foam collapses", author="c"),
        post("tiktok", "La leche de avena perfecta para tu café de la mañana", author="d"),
        post("instagram", "Leche de avena casera: así la hacemos en casa", author="e"),
        post("tiktok", "whatever", author="f", raw={"textLanguage": "es"}),
        post("tiktok", "Leche de avena, el truco", author="f", raw={"textLanguage": "es"}),
        # One creator repeating a phrase is not a trend.
        post("tiktok", "Sunday reset routine", author="g"),
        post("tiktok", "Sunday reset routine again", author="g"),
        post("tiktok", "Sunday reset routine part two", author="g"),
    ]
    signals = analyze_trends(items, [], NOW)
    topics = {(t.name, t.language): t for t in signals.topics}
    assert ("oat milk foam", "en") in topics
    assert topics[("oat milk foam", "en")].count == 3
    assert topics[("oat milk foam", "en")].platforms == ("instagram", "tiktok", "youtube")
    assert topics[("leche de avena", "es")].count == 3
    # "oat milk" only ever appears inside "oat milk foam": one topic, not two.
    assert ("oat milk", "en") not in topics
    assert not any("sunday" in name for name, _ in topics)
    assert not any(" " not in name for name, _ in topics)  # never single words


def test_watched_keywords_count_from_two_posts():
    items = [
        post("tiktok", "Is AI search killing SEO?", author="a"),
        post("linkedin", "AI search is the new shelf", author="b"),
    ]
    signals = analyze_trends(items, ["AI search"], NOW)
    assert [(t.name, t.count) for t in signals.topics] == [("ai search", 2)]


def test_short_numbers_sit_inside_a_phrase_never_at_its_edge():
    found = phrases_in("Why your zone 2 training fails: 3 mistakes. We tracked 1,000 prompts", "en")
    assert "zone 2 training" in found
    assert not any(w.isdigit() for key in found for w in (key.split()[0], key.split()[-1]))
