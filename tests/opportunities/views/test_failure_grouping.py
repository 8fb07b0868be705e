"""The failed-run box says the problem once, in plain words, with the sources that fell
short grouped by reason and named — never an internal recipe id (issue 15)."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from evidence.failures import INVALID_TOKEN_MESSAGE
from opportunities.models import JobStatus
from tests.support.board import finished_job_with_board, make_job

pytestmark = pytest.mark.django_db

RATE_LIMITED = "Apify is rate-limiting your account. Wait a minute and try again."
UNREACHABLE = "Kairo couldn't reach Apify. Try again in a moment."


def board_page(client, brand) -> str:
    response = client.get(reverse("opportunities:today", args=[brand.pk]))
    assert response.status_code == 200
    return response.content.decode()


def visible_text(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def source(label: str, platform: str, status: str, message: str) -> dict:
    return {"platform": platform, "label": label, "status": status, "message": message}


def test_a_rejected_token_is_said_once_with_the_sources_it_stopped(
    alice_client, alice_brand, ready
):
    make_job(
        alice_brand,
        JobStatus.FAILED,
        error_code="apify_invalid_token",
        error_message=INVALID_TOKEN_MESSAGE,
        recipes={
            "IG-1": source("Instagram hashtags", "instagram", "failed", INVALID_TOKEN_MESSAGE),
            "TT-1": source("TikTok search", "tiktok", "cancelled", INVALID_TOKEN_MESSAGE),
            "TT-TRENDS": source("TikTok Trends", "tiktok", "cancelled", INVALID_TOKEN_MESSAGE),
        },
    )
    page = board_page(alice_client, alice_brand)
    text = visible_text(page)
    assert "Apify rejected your token." in text
    assert "Replace it in Settings →" in text
    assert reverse("byok:settings") in page
    assert text.count("Apify rejected your token") == 1  # not per source, not per row
    assert "Sources stopped: Instagram hashtags, TikTok search, TikTok Trends" in text
    for recipe_id in ("IG-1", "TT-1", "TT-TRENDS"):
        assert recipe_id not in page


def test_sources_failing_for_the_same_reason_are_grouped(alice_client, alice_brand, ready):
    make_job(
        alice_brand,
        JobStatus.FAILED,
        error_code="sources_failed",
        error_message="None of the sources delivered evidence this time.",
        recipes={
            "IG-1": source("Instagram hashtags", "instagram", "failed", RATE_LIMITED),
            "TT-1": source("TikTok search", "tiktok", "failed", UNREACHABLE),
            "YT-1": source("YouTube", "youtube", "failed", RATE_LIMITED),
        },
    )
    text = visible_text(board_page(alice_client, alice_brand))
    assert text.count("Apify is rate-limiting your account") == 1
    assert f"Instagram hashtags, YouTube: {RATE_LIMITED}" in text
    assert f"TikTok search: {UNREACHABLE}" in text
    assert "YT-1" not in text and "IG-1" not in text


def test_a_partial_run_says_a_shared_reason_once_in_its_last_run_table(
    alice_client, alice_brand, ready
):
    finished_job_with_board(
        alice_brand,
        status=JobStatus.PARTIAL,
        recipes={
            "IG-1": {"platform": "instagram", "status": "succeeded", "item_count": 50},
            "TT-1": source("TikTok search", "tiktok", "failed", RATE_LIMITED),
            "LI-1": source("LinkedIn", "linkedin", "failed", RATE_LIMITED),
        },
    )
    page = board_page(alice_client, alice_brand)
    table = page[page.index('class="card last-run"') :]
    assert visible_text(table).count(RATE_LIMITED) == 1
    assert "TikTok search, LinkedIn:" in visible_text(table)


def test_an_old_unprefixed_code_still_reads_as_its_problem(alice_client, alice_brand, ready):
    make_job(alice_brand, JobStatus.FAILED, error_code="out_of_credit", error_message="x")
    text = visible_text(board_page(alice_client, alice_brand))
    assert "Your Apify account is out of credit." in text
    assert "Apify billing →" in text


def test_a_partial_board_names_sources_that_failed_alike_once(alice_client, alice_brand, ready):
    finished_job_with_board(
        alice_brand,
        status=JobStatus.PARTIAL,
        recipes={
            "IG-1": {"platform": "instagram", "status": "succeeded", "item_count": 50},
            "TT-1": source("TikTok search", "tiktok", "failed", RATE_LIMITED),
            "LI-1": source("LinkedIn", "linkedin", "failed", RATE_LIMITED),
            "YT-1": {**source("YouTube", "youtube", "partial", ""), "partial_reason": "time limit"},
        },
    )
    page = board_page(alice_client, alice_brand)
    notice = visible_text(page[page.index("partial-notice") : page.index('class="card last-run"')])
    assert "TikTok search, LinkedIn: failed — " + RATE_LIMITED in notice
    assert notice.count(RATE_LIMITED) == 1
    assert "YouTube: 0 — time limit" in notice
