"""GET /brands/<id>/today/: cards with score parts and evidence, the last-run summary,
errors that help, the partial notice, the empty state, and constant SQL per board."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from opportunities.models import JobStatus, OpportunitiesJob
from tests.support.board import finished_job_with_board, make_board, make_job

pytestmark = pytest.mark.django_db


def today_url(brand) -> str:
    return reverse("opportunities:today", args=[brand.pk])


def board_page(client, brand) -> str:
    response = client.get(today_url(brand))
    assert response.status_code == 200
    return response.content.decode()


def test_outsider_gets_404(bob_client, alice_brand, ready):
    finished_job_with_board(alice_brand)
    response = bob_client.get(today_url(alice_brand))
    assert response.status_code == 404
    assert "Idea 1" not in response.content.decode()


def test_anonymous_is_sent_to_login(client, alice_brand):
    response = client.get(today_url(alice_brand))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_without_snapshot_only_asks_to_finish_onboarding(alice_client, alice_brand, keys):
    page = board_page(alice_client, alice_brand)
    assert "Complete BrandBrain onboarding first" in page
    assert reverse("brands:onboarding_step", args=[alice_brand.pk, "basics"]) in page
    assert "No opportunities yet" not in page
    assert 'hx-post="' not in page  # Regenerate is disabled


def test_before_the_first_board_samples_stay_and_regenerate_is_invited(
    alice_client, alice_brand, ready
):
    page = board_page(alice_client, alice_brand)
    assert "No opportunities yet" not in page
    assert page.count('class="card opp-card is-sample"') == 5
    assert "Press Regenerate to replace it with real ideas" in page
    assert f'hx-post="{reverse("opportunities:regenerate", args=[alice_brand.pk])}"' in page
    assert 'hx-target="#board-live"' in page


def test_board_renders_ranked_cards_with_everything(alice_client, alice_brand, ready):
    finished_job_with_board(alice_brand)
    page = board_page(alice_client, alice_brand)
    assert page.index("Idea 1") < page.index("Idea 2") < page.index("Idea 3")
    for text in ("Hook 1", "Angle 1", "Why now 1", "AI search visibility", "Instagram · Reel"):
        assert text in page
    assert "<strong>99</strong>" in page  # score of rank 1


def test_card_shows_the_six_score_parts(alice_client, alice_brand, ready):
    finished_job_with_board(alice_brand)
    page = board_page(alice_client, alice_brand)
    for key, label in [
        ("pillar_relevance", "Pillar relevance"),
        ("outperformance", "Outperformance"),
        ("momentum", "TikTok Trends momentum"),
        ("recency", "Recency"),
        ("cross_platform", "Cross-platform support"),
        ("model_confidence", "Model confidence"),
    ]:
        assert page.count(f'data-part="{key}"') == 3
        assert label in page
    # outperformance 0.8 → 80%, weighted 25% → +20.0
    assert 'value="80"' in page and "+20.0" in page
    assert "<details" in page and "<meter" in page


def test_card_says_its_signals_and_why_it_moved(alice_client, alice_brand, ready):
    finished_job_with_board(alice_brand)
    page = board_page(alice_client, alice_brand)
    assert "TikTok post by @creator1: 3.4× this creator&#x27;s usual views" in page
    assert page.count('class="opp-signal-list"') == 3
    assert page.count("Moved up from #3 to #2: the first Content strategy idea") == 1


def test_a_board_scored_before_outperformance_keeps_its_breakdown(alice_client, alice_brand, ready):
    job = finished_job_with_board(alice_brand)
    legacy = {"pillar_relevance": 1.0, "engagement_velocity": 0.8, "recency": 0.5}
    job.opportunities.update(score_parts=legacy, signals=[], rank_note="")
    page = board_page(alice_client, alice_brand)
    assert page.count('data-part="engagement_velocity"') == 3
    assert 'data-part="outperformance"' not in page and "opp-signal-list" not in page
    # The weights it was scored with: pillar 30 %, velocity 25 %.
    assert "+30.0" in page and "+20.0" in page


def test_card_lists_its_evidence_with_safe_links(alice_client, alice_brand, ready):
    finished_job_with_board(alice_brand)
    page = board_page(alice_client, alice_brand)
    assert (
        '<a class="evidence-link" href="https://www.instagram.com/p/1x0/" target="_blank" '
        'rel="noopener noreferrer">'
    ) in page
    assert "@creator1_0" in page
    assert "12.3K views" in page
    assert "3 days ago" in page
    assert "TikTok" in page and "YouTube" in page
    assert page.count('class="evidence-item"') == 9


def test_evidence_without_views_shows_likes_and_unsafe_urls_are_dropped(
    alice_client, alice_brand, ready
):
    job = finished_job_with_board(alice_brand)
    item = job.opportunities.get(rank=1).evidence.first()
    item.metrics = {"likes": 2_500_000}
    item.url = "javascript:alert(1)"
    item.save()
    page = board_page(alice_client, alice_brand)
    assert "2.5M likes" in page
    assert "javascript:" not in page


def test_scraped_text_is_escaped(alice_client, alice_brand, ready):
    job = finished_job_with_board(alice_brand)
    opportunity = job.opportunities.get(rank=1)
    opportunity.title = "<img src=x onerror=alert(1)>"
    opportunity.save()
    item = opportunity.evidence.first()
    item.text = "<script>alert(2)</script>"
    item.save()
    page = board_page(alice_client, alice_brand)
    assert "<img src=x" not in page and "<script>alert(2)" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_last_run_summary_says_when_how_long_what_and_cost(alice_client, alice_brand, ready):
    finished_job_with_board(
        alice_brand,
        recipes={
            "IG-1": {"platform": "instagram", "status": "succeeded", "item_count": 50},
            "LI-1": {
                "platform": "linkedin",
                "status": "failed",
                "item_count": 0,
                "message": "Apify is rate-limiting your account — try again in a few minutes.",
            },
        },
        status=JobStatus.PARTIAL,
    )
    page = board_page(alice_client, alice_brand)
    assert "Last run" in page and "just now" in page
    assert "1 min 12 s" in page
    assert "96 posts" in page and "Instagram 50, TikTok 46" in page
    assert "$0.45" in page and "Apify $0.42" in page and "OpenAI $0.03" in page
    assert "14,345 tokens" in page
    # Each source by name with what it kept and cost; never an internal recipe id.
    assert "Apify is rate-limiting your account" in page
    assert "(LI-1)" not in page and "IG-1" not in page


def test_partial_board_names_the_failed_sources(alice_client, alice_brand, ready):
    finished_job_with_board(
        alice_brand,
        status=JobStatus.PARTIAL,
        recipes={
            "IG-1": {"platform": "instagram", "status": "succeeded", "item_count": 50},
            "TT-TRENDS": {"platform": "tiktok", "status": "empty", "item_count": 0},
            "YT-1": {
                "platform": "youtube",
                "status": "failed",
                "message": "The scraper timed out.",
            },
        },
    )
    page = board_page(alice_client, alice_brand)
    assert "Some sources didn" in page
    assert "TikTok Trends: found no posts" in page  # by source, named from the registry
    assert "YouTube: failed</strong> — The scraper timed out." in page
    assert "TT-TRENDS" not in page and "YT-1" not in page
    assert page.count('class="card opp-card') == 3


def fail_latest(brand, code: str, message: str = "") -> OpportunitiesJob:
    return make_job(brand, JobStatus.FAILED, error_code=code, error_message=message)


@pytest.mark.parametrize(
    ("code", "expected", "link"),
    [
        ("openai_invalid_key", "OpenAI rejected your key", "Replace it in Settings"),
        ("apify_invalid_token", "Apify rejected your token", "Replace it in Settings"),
        ("invalid_token", "Apify rejected your token", "Replace it in Settings"),  # before #19
        ("openai_rate_limited", "OpenAI is rate-limiting your key", None),
        ("rate_limited", "Apify is rate-limiting your account", None),
        ("openai_out_of_credit", "Your OpenAI account is out of credit", "platform.openai.com"),
        ("out_of_credit", "Your Apify account is out of credit", "console.apify.com"),
        ("apify_usage_limit", "Your Apify account has reached its monthly usage", "Limits"),
    ],
)
def test_provider_errors_say_the_problem_once_and_where_to_fix_it(
    alice_client, alice_brand, ready, code, expected, link
):
    fail_latest(alice_brand, code, f"{expected}. Provider said no.")
    page = board_page(alice_client, alice_brand)
    assert page.count(expected) == 1  # the title; the stored message isn't repeated
    if link:
        assert link in page


@pytest.mark.parametrize("code", ["keys_unreadable", "missing_keys"])
def test_key_errors_link_to_settings(alice_client, alice_brand, ready, code):
    fail_latest(alice_brand, code, "Provider said no.")
    page = board_page(alice_client, alice_brand)
    assert "Your API keys need attention" in page
    assert "Provider said no." in page
    assert "Open Settings" in page


def test_insufficient_evidence_links_to_sources_and_details(alice_client, alice_brand, ready):
    fail_latest(alice_brand, "insufficient_evidence", "We found only 2 posts to learn from.")
    page = board_page(alice_client, alice_brand)
    assert "Try adding more source connections or adjusting your content pillars" in page
    assert reverse("brands:onboarding_step", args=[alice_brand.pk, "sources"]) in page
    assert reverse("brands:onboarding_step", args=[alice_brand.pk, "details"]) in page


def test_failed_run_keeps_the_previous_board_under_its_message(alice_client, alice_brand, ready):
    finished_job_with_board(alice_brand, finished_at=timezone.now() - timedelta(hours=2))
    fail_latest(alice_brand, "openai_rate_limited", "OpenAI is rate-limiting your key.")
    page = board_page(alice_client, alice_brand)
    assert page.index("OpenAI is rate-limiting your key") < page.index("Idea 1")
    assert page.count('class="card opp-card') == 3
    assert "Your previous board is kept below." in page


def test_an_older_failure_is_not_shown_over_a_newer_board(alice_client, alice_brand, ready):
    make_job(
        alice_brand,
        JobStatus.FAILED,
        error_code="openai_rate_limited",
        finished_at=timezone.now() - timedelta(hours=3),
    )
    finished_job_with_board(alice_brand)
    page = board_page(alice_client, alice_brand)
    assert "Rate limited" not in page


def test_board_shows_only_the_latest_finished_board(alice_client, alice_brand, ready):
    old = make_job(alice_brand, finished_at=timezone.now() - timedelta(days=1))
    make_board(old, title="Yesterday")
    finished_job_with_board(alice_brand)
    page = board_page(alice_client, alice_brand)
    assert "Yesterday 1" not in page and "Idea 1" in page


def test_running_job_shows_panel_over_the_current_board_dimmed(alice_client, alice_brand, ready):
    finished_job_with_board(alice_brand)
    job = make_job(alice_brand, JobStatus.RUNNING, stage="analyzing", evidence_count=87)
    page = board_page(alice_client, alice_brand)
    assert reverse("opportunities:job_progress", args=[alice_brand.pk, job.pk]) in page
    assert "Step 2 of 4" in page and "found 87 posts" in page
    busy = page.index('<div class="board-busy" aria-busy="true" inert>')
    assert page.index('id="job-progress"') < busy < page.index("Idea 1")
    assert page.count('class="card opp-card') == 3
    assert "Your current board, until the new one is ready" in page
    assert "opp-skeleton" not in page


def test_no_inline_styles_or_scripts(alice_client, alice_brand, ready):
    finished_job_with_board(alice_brand)
    make_job(alice_brand, JobStatus.FAILED, error_code="rate_limited")
    page = board_page(alice_client, alice_brand)
    assert "style=" not in page and "<script>" not in page and "hx-on" not in page


def count_board_queries(client, brand, cards: int) -> int:
    OpportunitiesJob.objects.filter(brand=brand).delete()
    job = make_job(brand)
    make_board(job, cards=cards, evidence_each=3)
    with CaptureQueriesContext(connection) as queries:
        page = board_page(client, brand)
    assert page.count('class="card opp-card') == cards
    return len(queries)


def test_query_count_does_not_grow_with_cards(alice_client, alice_brand, ready):
    board_page(alice_client, alice_brand)  # warm the session
    assert count_board_queries(alice_client, alice_brand, 10) == count_board_queries(
        alice_client, alice_brand, 50
    )


def test_the_today_board_shows_no_template_source(alice_client, alice_brand, ready):
    # Django's {# #} is single-line: a two-line one is printed as text.
    page = board_page(alice_client, alice_brand)
    for marker in ("{#", "#}", "{%", "%}", "{{", "}}"):
        assert marker not in page, marker
