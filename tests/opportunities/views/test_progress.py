"""GET .../jobs/<job_id>/progress/: the panel per stage, scoped to the brand, and 286 +
the finished board once the job has ended."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django_htmx.http import HTMX_STOP_POLLING

from brands.models import Brand
from opportunities.models import JobStatus
from tests.support.board import finished_job_with_board, make_board, make_job
from tests.support.pages import HTMX

pytestmark = pytest.mark.django_db


def progress_url(job) -> str:
    return reverse("opportunities:job_progress", args=[job.brand_id, job.pk])


def poll(client, job):
    return client.get(progress_url(job), **HTMX)


def test_outsider_gets_404(bob_client, alice_brand, ready):
    job = make_job(alice_brand, JobStatus.RUNNING, stage="collecting")
    assert bob_client.get(progress_url(job), **HTMX).status_code == 404


def test_job_of_another_brand_is_404_even_for_its_owner_brand_url(
    alice_client, alice, alice_brand, bob, ready
):
    bobs_brand = Brand.objects.create(owner=bob, name="Bob's Bikes")
    bobs_job = make_job(bobs_brand, JobStatus.RUNNING)
    url = reverse("opportunities:job_progress", args=[alice_brand.pk, bobs_job.pk])
    assert alice_client.get(url, **HTMX).status_code == 404
    # Alice's own second brand: still not this brand's job.
    other = Brand.objects.create(owner=alice, name="Second")
    other_job = make_job(other, JobStatus.RUNNING)
    url = reverse("opportunities:job_progress", args=[alice_brand.pk, other_job.pk])
    assert alice_client.get(url, **HTMX).status_code == 404


def test_queued_job_polls_and_has_nothing_done(alice_client, alice_brand, ready):
    job = make_job(alice_brand, JobStatus.QUEUED)
    response = poll(alice_client, job)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'hx-trigger="every 1s"' in page
    assert "Queued" in page
    assert page.count("stage-pending") == 4


def test_collecting_shows_live_count_and_finished_recipes(alice_client, alice_brand, ready):
    job = make_job(
        alice_brand,
        JobStatus.RUNNING,
        stage="collecting",
        evidence_count=87,
        recipes={
            "IG-1": {
                "platform": "instagram",
                "label": "Instagram hashtags",
                "status": "succeeded",
                "item_count": 40,
                "asked": 40,
            },
            "YT-1": {
                "platform": "youtube",
                "label": "YouTube",
                "status": "partial",
                "item_count": 14,
                "asked": 20,
                "partial_reason": "time limit",
            },
            "TT-1": {"platform": "tiktok", "label": "TikTok search", "status": "failed"},
        },
    )
    page = poll(alice_client, job).content.decode()
    assert "Step 1 of 4" in page
    assert "found 87 posts" in page
    assert "stage-current" in page and page.count("stage-pending") == 3
    # Chips name their source, and a partial one says what it kept and why.
    assert "✓ Instagram hashtags: 40" in page
    assert "! YouTube: 14 of 20 — time limit" in page
    assert "! TikTok search: failed" in page and "badge-danger" in page
    assert 'hx-trigger="every 1s"' in page


@pytest.mark.parametrize(
    ("stage", "step", "done"),
    [("analyzing", 2, 1), ("synthesizing", 3, 2), ("scoring", 4, 3)],
)
def test_each_stage_marks_done_current_and_pending(
    alice_client, alice_brand, ready, stage, step, done
):
    job = make_job(alice_brand, JobStatus.RUNNING, stage=stage, evidence_count=96)
    page = poll(alice_client, job).content.decode()
    assert f"Step {step} of 4" in page
    assert page.count("stage stage-done") == done
    assert page.count("stage stage-current") == 1
    assert page.count("stage stage-pending") == 4 - done - 1
    assert "✓" in page and "→" in page
    assert "found 96 posts" in page


def test_finished_job_stops_polling_and_swaps_in_the_board(alice_client, alice_brand, ready):
    job = finished_job_with_board(alice_brand)
    response = poll(alice_client, job)
    page = response.content.decode()
    assert response.status_code == HTMX_STOP_POLLING == 286
    assert response["HX-Retarget"] == "#board-live"
    assert response["HX-Reswap"] == "innerHTML"
    assert "hx-trigger" not in page
    assert page.count('class="card opp-card') == 3
    assert "Idea 1" in page and "Last run" in page
    toasts = json.loads(response["HX-Trigger"])["toasts"]
    # Keyed by the brand's run: it replaces the "Regeneration started." toast.
    key = f"run-{alice_brand.pk}"
    assert toasts == [{"message": "Your board is ready.", "level": "success", "key": key}]


def test_failed_job_stops_polling_and_shows_the_error_over_the_previous_board(
    alice_client, alice_brand, ready
):
    finished_job_with_board(alice_brand)
    failed = make_job(
        alice_brand,
        JobStatus.FAILED,
        stage="synthesizing",
        error_code="openai_rate_limited",
        error_message="OpenAI is rate-limiting your key. Wait a minute and try again.",
    )
    response = poll(alice_client, failed)
    page = response.content.decode()
    assert response.status_code == 286
    assert "OpenAI is rate-limiting your key" in page
    assert page.count('class="card opp-card') == 3  # the previous board stays
    assert json.loads(response["HX-Trigger"])["toasts"][0]["level"] == "error"


def test_terminal_panel_without_htmx_has_no_trigger(alice_client, alice_brand, ready):
    job = make_job(alice_brand, JobStatus.SUCCEEDED, stage="scoring", opportunity_count=5)
    make_board(job, cards=5)
    response = alice_client.get(progress_url(job))
    page = response.content.decode()
    assert response.status_code == 200
    assert "hx-trigger" not in page and "hx-get" not in page
    assert page.count("stage stage-done") == 4
    assert "5 opportunities" in page
    assert "Step 4 of 4" in page


def test_failed_panel_marks_the_stage_it_stopped_at(alice_client, alice_brand, ready):
    job = make_job(alice_brand, JobStatus.FAILED, stage="synthesizing", error_code="x")
    page = alice_client.get(progress_url(job)).content.decode()
    assert "hx-trigger" not in page
    assert page.count("stage stage-done") == 2
    assert page.count("stage stage-failed") == 1


def test_poll_of_an_old_job_shows_a_newer_running_job(alice_client, alice_brand, ready):
    old = finished_job_with_board(alice_brand)
    newer = make_job(alice_brand, JobStatus.RUNNING, stage="collecting")
    page = poll(alice_client, old).content.decode()
    assert progress_url(newer) in page
