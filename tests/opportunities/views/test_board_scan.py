"""The Today board you can scan (issue 15): compact cards with evidence tiles, a header
with freshness and cost, sample cards until the first real board, the board kept under
a re-run, the sample banner only over samples, a warning for keys that failed their
last test, and progress chips that name their source."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from django.urls import reverse

from byok.health import failed_keys
from byok.models import UserAPIKeys, ValidationStatus
from opportunities.cards import EvidenceView, freshness_text, span_text
from opportunities.demo import sample_cards
from opportunities.models import JobStatus
from opportunities.run_report import source_rows
from tests.support.board import finished_job_with_board, make_job
from tests.workspace.helpers import decide
from workspace.models import IdeaState

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 5, 12, 9, 0, tzinfo=UTC)


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return unescape(response.content.decode())


def today(client, brand) -> str:
    return page(client, reverse("opportunities:today", args=[brand.pk]))


def dated(card, *ages: timedelta | None):
    """`card` citing posts published `ages` before NOW (None: undated)."""
    from dataclasses import replace

    evidence = tuple(
        EvidenceView("tiktok", "TikTok", "@a", "", "", "", "", NOW - age if age else None)
        for age in ages
    )
    return replace(card, evidence=evidence)


def test_a_cards_tiles_lead_with_its_own_platform(alice_brand):
    from dataclasses import replace

    [card, *_] = sample_cards(alice_brand, NOW)
    posts = [
        EvidenceView(platform, platform.title(), f"@{n}", "", "", "", "")
        for n, platform in enumerate(["instagram", "instagram", "tiktok", "youtube", "tiktok"])
    ]
    tiktok_idea = replace(card, platform="tiktok", evidence=tuple(posts))
    assert [t.author for t in tiktok_idea.tiles] == ["@2", "@4", "@0"]
    assert tiktok_idea.more_evidence == 2  # the count is of every cited post
    linkedin_idea = replace(card, platform="linkedin", evidence=tuple(posts))
    assert [t.author for t in linkedin_idea.tiles] == ["@0", "@1", "@2"]  # cited order


# ---------------------------------------------------------------- freshness


@pytest.mark.parametrize(
    ("hours", "text"),
    [(2, "24 hours"), (24, "24 hours"), (25, "2 days"), (72, "3 days"), (24 * 20, "3 weeks")],
)
def test_span_text(hours, text):
    assert span_text(hours * 3600) == text


def test_freshness_goes_back_to_the_oldest_dated_post(alice_brand):
    [card, *_] = sample_cards(alice_brand, NOW)
    cards = [dated(card, timedelta(hours=5), None), dated(card, timedelta(days=2, hours=3))]
    assert freshness_text(cards, NOW) == "Evidence from the last 3 days"
    assert freshness_text(cards, NOW, before_run=True) == "Evidence from the 3 days before this run"
    assert freshness_text([dated(card, None)], NOW) == ""


def test_the_board_header_says_ideas_freshness_when_and_cost(alice_client, alice_brand, ready):
    finished_job_with_board(alice_brand)  # evidence 3 days and an hour old, $0.45
    html = today(alice_client, alice_brand)
    header = html[html.index('class="board-header"') : html.index('class="opp-list"')]
    for text in ("3 ideas", "Evidence from the last 4 days", "Updated just now", "$0.45"):
        assert text in header


def test_a_past_board_measures_freshness_from_its_run(alice_client, alice_brand, ready):
    job = finished_job_with_board(alice_brand)
    html = page(alice_client, reverse("opportunities:board_detail", args=[alice_brand.pk, job.pk]))
    assert "Evidence from the 4 days before this run" in html
    assert html.count('class="card opp-card') == 3


# ---------------------------------------------------------------- compact cards


def test_a_card_is_a_row_with_its_facts_and_tiles_that_opens(alice_client, alice_brand, ready):
    job = finished_job_with_board(alice_brand)
    idea = job.opportunities.get(rank=1)
    decide(alice_brand, idea, IdeaState.SAVED)
    html = today(alice_client, alice_brand)
    start = html.index(f'<details class="card opp-card" id="opp-{idea.pk}">')
    summary = html[start : html.index("</summary>", start)]
    for text in ("#1", "Idea 1", "Instagram · Reel", "AI search visibility", "<strong>99</strong>"):
        assert text in summary
    assert summary.count('class="tile-author"') == 3
    assert 'tile-more-narrow">+1<' in summary  # on a phone: two tiles and "+1"
    assert "@creator1_0" in summary and "12.3K views" in summary
    assert "Saved for later</span>" in summary  # its feedback state, on the row
    assert "<img" not in html  # no hot-linked thumbnails: the posts' images aren't stored
    end = html.find('<details class="card opp-card"', start + 1)
    details = html[html.index("</summary>", start) : end]
    assert 'class="evidence-link"' in details and "Hook 1" in details
    assert 'id="idea-' in details  # the idea's actions, inside the card


# ---------------------------------------------------------------- samples and banner


def test_demo_banner_is_only_over_sample_cards(alice_client, alice_brand, snapshot):
    assert "You're viewing sample data" in today(alice_client, alice_brand)
    for url in ("/brands/", "/settings/", reverse("brands:home", args=[alice_brand.pk])):
        assert "banner-demo" not in page(alice_client, url), url
    finished_job_with_board(alice_brand)  # a real board (e.g. migrated), still no keys
    assert "banner-demo" not in today(alice_client, alice_brand)


def test_samples_stay_through_a_first_run_and_a_failed_one(alice_client, alice_brand, ready):
    running = make_job(alice_brand, JobStatus.RUNNING, stage="collecting")
    html = today(alice_client, alice_brand)
    busy = html.index('class="board-busy" aria-busy="true" inert')
    assert html.index('id="job-progress"') < html.index("Sample ideas") < busy
    assert html.count('class="card opp-card is-sample"') == 5
    assert "takes its place when this run finishes" in html

    running.delete()
    make_job(alice_brand, JobStatus.FAILED, error_code="openai_rate_limited")
    html = today(alice_client, alice_brand)
    assert html.index('class="alert alert-error run-error"') < html.index("Sample ideas")
    assert html.count('class="card opp-card is-sample"') == 5
    assert "once a run succeeds" in html and "board-busy" not in html
    assert "Your previous board is kept below" not in html
    assert "No opportunities yet" not in html


def test_the_first_board_replaces_the_samples(alice_client, alice_brand, ready):
    finished_job_with_board(alice_brand)
    html = today(alice_client, alice_brand)
    assert "is-sample" not in html and "Sample ideas" not in html


# ---------------------------------------------------------------- keys that failed their test


def test_the_board_warns_when_a_saved_key_failed_its_last_test(
    alice_client, alice, alice_brand, ready
):
    assert failed_keys(alice) == []
    assert "failed its last test" not in today(alice_client, alice_brand)
    UserAPIKeys.objects.filter(user=alice).update(
        apify_token_validation=ValidationStatus.INVALID_KEY,
        openai_key_validation=ValidationStatus.OK,
    )
    [failed] = failed_keys(alice)
    assert failed.name == "Apify API token" and failed.status == "invalid_key"
    html = today(alice_client, alice_brand)
    assert "Your Apify API token failed its last test." in html
    assert failed.message in html
    assert f'<a href="{reverse("byok:settings")}">Check your keys in Settings →</a>' in html


def test_a_demo_user_gets_no_key_warning(alice_client, alice, alice_brand, snapshot):
    UserAPIKeys.objects.create(user=alice, apify_token_validation=ValidationStatus.INVALID_KEY)
    assert failed_keys(alice) == []  # no key saved: nothing to warn about
    assert "failed its last test" not in today(alice_client, alice_brand)


# ---------------------------------------------------------------- sources by name


def test_sources_recorded_without_a_label_are_named_from_the_registry(alice_brand):
    job = make_job(
        alice_brand,
        JobStatus.RUNNING,
        recipes={
            "IG-3": {"platform": "instagram", "status": "succeeded", "item_count": 12},
            "TT-TRENDS": {"platform": "tiktok", "status": "succeeded", "item_count": 30},
            "XX-9": {"platform": "youtube", "status": "succeeded", "item_count": 4},
        },
    )
    assert [row.summary for row in source_rows(job)] == [
        "Instagram search: 12",
        "TikTok Trends: 30",
        "YouTube: 4",  # a recipe no longer in the registry: its platform
    ]
