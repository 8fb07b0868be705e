"""Board history pages, "New" and "What changed" on every board, owner-scoped."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from opportunities.models import JobStatus, Opportunity
from tests.support.board import finished_job_with_board, make_board, make_job

pytestmark = pytest.mark.django_db


def history_url(brand) -> str:
    return f"/brands/{brand.pk}/boards/"


def angles(job, by_rank: dict[int, str]) -> None:
    for rank, angle in by_rank.items():
        Opportunity.objects.filter(job=job, rank=rank).update(angle=angle)


def two_boards(brand):
    """Yesterday: ideas about latte art and oat milk; today: oat milk again plus a new one."""
    now = timezone.now()
    yesterday = make_job(brand, finished_at=now - timedelta(days=1), evidence_count=80)
    make_board(yesterday, cards=2, title="Yesterday")
    angles(yesterday, {1: "Slow motion latte art pour", 2: "Oat milk foam test, three brands"})
    today = make_job(
        brand,
        trigger="scheduled",
        evidence_count=96,
        apify_cost_usd="0.4213",
        openai_cost_usd="0.0312",
        signal_changes={
            "previous_job_id": str(yesterday.pk),
            "signals": [
                {"kind": "hashtag", "name": "coldbrew", "before": 12, "after": 31},
                {"kind": "sound", "name": "Espresso (sped up)", "before": 0, "after": 5},
            ],
        },
    )
    make_board(today, cards=2, title="Today")
    # Idea 1 is yesterday's oat milk idea in other words; idea 2 is new.
    angles(today, {1: "Oat milk foam test across three brands", 2: "Cold brew at home in 60s"})
    return yesterday, today


def test_the_today_board_marks_new_ideas_and_what_changed(alice_client, alice_brand, ready):
    _, today = two_boards(alice_brand)
    page = alice_client.get(f"/brands/{alice_brand.pk}/today/").content.decode()
    assert "What changed" in page and "since yesterday" in page
    assert "#coldbrew" in page and "12 <span" in page and "<strong>31</strong> posts" in page
    assert "♪ Espresso (sped up)" in page and "<strong>new</strong>, 5 posts" in page
    assert "1 of 2 ideas is new" in page
    assert page.count('class="badge badge-new" title="Not on the previous board"') == 1
    new_card = page.index("Today 2")  # its mark is on its own row, before the card ends
    assert page.find("badge-new", new_card) < page.find("</details>", new_card)


def test_a_first_board_marks_nothing_new(alice_client, alice_brand, ready):
    finished_job_with_board(alice_brand)
    page = alice_client.get(f"/brands/{alice_brand.pk}/today/").content.decode()
    assert "What changed" not in page and "badge-new" not in page


def test_history_lists_every_finished_run(alice_client, alice_brand):
    yesterday, today = two_boards(alice_brand)
    make_job(
        alice_brand,
        status=JobStatus.FAILED,
        error_code="openai_invalid_key",
        error_message="Your OpenAI API key might be invalid — check Settings.",
        finished_at=timezone.now() - timedelta(hours=3),
    )
    make_job(alice_brand, status=JobStatus.RUNNING)  # not finished: not history yet
    page = alice_client.get(history_url(alice_brand)).content.decode()
    assert page.count("<tr>") == 1 + 3  # the header and three runs
    assert f"/brands/{alice_brand.pk}/boards/{today.pk}/" in page
    assert f"/brands/{alice_brand.pk}/boards/{yesterday.pk}/" in page
    assert ">Scheduled<" in page and ">Manual<" in page
    assert "96 posts" in page and "$0.45" in page
    assert "Today 1" in page and "Yesterday 1" in page  # each run's top idea
    assert "Your OpenAI API key might be invalid" in page
    assert "current" in page and "kept for 90 days" in page
    assert page.index("Today 1") < page.index("Yesterday 1")  # newest first


def test_history_pages_and_its_queries_do_not_grow_per_run(
    alice_client, alice_brand, django_assert_max_num_queries
):
    for n in range(30):
        make_job(alice_brand, finished_at=timezone.now() - timedelta(hours=n))
    with django_assert_max_num_queries(12):
        first = alice_client.get(history_url(alice_brand)).content.decode()
    assert "Page 1 of 2" in first and "Older →" in first
    second = alice_client.get(history_url(alice_brand) + "?page=2").content.decode()
    assert second.count("<tr>") == 1 + 5
    assert alice_client.get(history_url(alice_brand) + "?page=junk").status_code == 200


def test_a_past_board_is_readable_with_its_own_changes(alice_client, alice_brand):
    yesterday, today = two_boards(alice_brand)
    page = alice_client.get(f"/brands/{alice_brand.pk}/boards/{today.pk}/").content.decode()
    assert "Today 1" in page and "Today 2" in page and "read-only" in page
    assert "#coldbrew" in page and "this is your current board" in page
    assert "regenerate" not in page.lower().replace("open today board", "")
    old = alice_client.get(f"/brands/{alice_brand.pk}/boards/{yesterday.pk}/").content.decode()
    assert "Yesterday 1" in old and "What changed" not in old  # the first board
    assert "this is your current board" not in old


def test_a_failed_run_shows_why(alice_client, alice_brand):
    failed = make_job(
        alice_brand, status=JobStatus.FAILED, error_code="out_of_credit", error_message="No credit."
    )
    page = alice_client.get(f"/brands/{alice_brand.pk}/boards/{failed.pk}/").content.decode()
    assert "Your Apify account is out of credit" in page


def test_runs_in_progress_and_other_brands_runs_are_404(alice_client, alice_brand, bob):
    from brands.models import Brand

    running = make_job(alice_brand, status=JobStatus.RUNNING)
    assert alice_client.get(f"/brands/{alice_brand.pk}/boards/{running.pk}/").status_code == 404
    bobs = Brand.objects.create(owner=bob, name="Bob's brand")
    bobs_job = finished_job_with_board(bobs)
    assert alice_client.get(f"/brands/{alice_brand.pk}/boards/{bobs_job.pk}/").status_code == 404
    assert alice_client.get(f"/brands/{bobs.pk}/boards/").status_code == 404
    assert alice_client.get(f"/brands/{bobs.pk}/boards/{bobs_job.pk}/").status_code == 404


def test_the_today_page_links_to_history(alice_client, alice_brand, ready):
    page = alice_client.get(f"/brands/{alice_brand.pk}/today/").content.decode()
    assert f'href="/brands/{alice_brand.pk}/boards/"' in page
