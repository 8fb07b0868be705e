"""OpenAI stops answering in time, seen as a user sees it: Regenerate on the Today board,
the progress panel polled until the run ends, then the board again.

The job fails with its message after a bounded number of attempts, and the previous
board stays on the page, card for card.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django_htmx.http import HTMX_STOP_POLLING

from opportunities import model_stream
from opportunities.models import JobStatus, OpportunitiesJob, Opportunity
from opportunities.pipeline import run_job
from opportunities.runner import Runner
from tests.support.waiting import wait_for

pytestmark = pytest.mark.django_db(transaction=True)
HTMX = {"HTTP_HX_REQUEST": "true"}
PROGRESS_URL = re.compile(r'hx-get="([^"]+/progress/)"')


def regenerate_over_http(client, brand) -> OpportunitiesJob:
    """POST Regenerate as htmx does, then poll the progress panel until it stops (286)."""
    response = client.post(reverse("opportunities:regenerate", args=[brand.pk]), **HTMX)
    assert response.status_code == 200
    progress_url = PROGRESS_URL.search(response.content.decode()).group(1)

    def finished():
        return client.get(progress_url, **HTMX).status_code == HTMX_STOP_POLLING

    wait_for(finished, 60, interval=0.2, what="the progress panel to stop polling")
    return OpportunitiesJob.objects.filter(brand=brand).order_by("-created_at").first()


def card_titles(client, brand) -> list[str]:
    page = client.get(reverse("opportunities:today", args=[brand.pk])).content.decode()
    return [
        t
        for t in Opportunity.objects.filter(brand=brand).values_list("title", flat=True)
        if t in page
    ]


def test_openai_timeout_fails_with_a_message_and_keeps_the_board(
    keyed_alice, alice_client, onboarded_brand, fake_apify, fake_openai, monkeypatch
):
    client = alice_client
    runner = Runner(run_job, threads=1, worker_name="timeout-test").start()
    try:
        first = regenerate_over_http(client, onboarded_brand)
        assert first.status == JobStatus.SUCCEEDED
        board_before = sorted(
            Opportunity.objects.filter(brand=onboarded_brand).values_list("id", flat=True)
        )
        titles_before = card_titles(client, onboarded_brand)
        assert len(titles_before) == fake_openai.opportunity_count

        # OpenAI now answers after 3 s; Kairo waits 0.5 s per attempt (90 s in production).
        monkeypatch.setattr(model_stream, "REQUEST_TIMEOUT_SECONDS", 0.5)
        monkeypatch.setattr(model_stream, "RETRY_DELAYS_SECONDS", (0.1, 0.1))
        fake_openai.completion_latency = 3.0
        calls_before = fake_openai.completion_calls
        second = regenerate_over_http(client, onboarded_brand)
    finally:
        runner.stop(grace_seconds=5)

    assert second.status == JobStatus.FAILED
    assert second.error_code == "openai_timeout"
    assert second.error_message.startswith("OpenAI didn't answer in time.")
    # Requests reach the double even when the client gave up on them (counted on arrival).
    wait_for(lambda: fake_openai.completion_calls - calls_before == 3, 10, what="3 attempts")
    board_after = sorted(
        Opportunity.objects.filter(brand=onboarded_brand).values_list("id", flat=True)
    )
    assert board_after == board_before
    page = client.get(reverse("opportunities:today", args=[onboarded_brand.pk])).content.decode()
    assert "OpenAI didn&#x27;t answer in time" in page
    assert "Your previous board is kept below." in page
    assert card_titles(client, onboarded_brand) == titles_before
    print(
        f"\nfault openai-timeout: {fake_openai.completion_calls - calls_before} attempts, job "
        f"{second.status} ({second.error_code}) after {second.duration_seconds:.1f}s; "
        f"{len(titles_before)} cards of the previous board still shown"
    )
