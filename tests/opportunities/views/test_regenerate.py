"""POST /brands/<id>/regenerate/: the guards in order, one job per brand, HTMX partials."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from brands.models import Brand
from opportunities.models import JobStatus, OpportunitiesJob
from tests.support.board import make_job
from tests.support.keys import connect_keys
from tests.support.pages import HTMX
from tests.support.snapshots import make_snapshot

pytestmark = pytest.mark.django_db


def regenerate_url(brand) -> str:
    return reverse("opportunities:regenerate", args=[brand.pk])


def test_outsider_gets_404_and_no_job(bob_client, alice_brand, snapshot, keys):
    response = bob_client.post(regenerate_url(alice_brand), **HTMX)
    assert response.status_code == 404
    assert not OpportunitiesJob.objects.exists()


def test_outsider_404_comes_before_every_other_guard(bob_client, alice_brand):
    # Alice's brand has no snapshot and no keys: Bob still learns nothing but 404.
    assert bob_client.post(regenerate_url(alice_brand), **HTMX).status_code == 404


def test_get_is_not_allowed(alice_client, alice_brand, snapshot, keys):
    assert alice_client.get(regenerate_url(alice_brand)).status_code == 405
    assert not OpportunitiesJob.objects.exists()


def test_without_snapshot_asks_to_finish_onboarding_first(alice_client, alice_brand):
    # No keys either: the snapshot guard is the one that answers.
    response = alice_client.post(regenerate_url(alice_brand), **HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Complete BrandBrain onboarding first" in page
    assert reverse("brands:onboarding_step", args=[alice_brand.pk, "basics"]) in page
    assert "Connect your API keys" not in page
    assert response["HX-Retarget"] == "#regen-feedback"
    assert not OpportunitiesJob.objects.exists()


def test_without_keys_asks_to_connect_them(alice_client, alice_brand, snapshot):
    response = alice_client.post(regenerate_url(alice_brand), **HTMX)
    page = response.content.decode()
    assert "Connect your API keys" in page
    assert 'href="/settings/"' in page
    assert not OpportunitiesJob.objects.exists()


def test_with_one_key_only_is_still_demo_mode(alice_client, alice, alice_brand, snapshot):
    from byok.keys import save_user_keys
    from tests.support.keys import OPENAI_KEY

    save_user_keys(user=alice, changes={"openai_key": OPENAI_KEY})
    page = alice_client.post(regenerate_url(alice_brand), **HTMX).content.decode()
    assert "Connect your API keys" in page
    assert not OpportunitiesJob.objects.exists()


def test_scraping_switched_off_says_so(alice_client, alice_brand, ready, settings):
    settings.APIFY_ENABLED = False
    page = alice_client.post(regenerate_url(alice_brand), **HTMX).content.decode()
    assert "APIFY_ENABLED" in page
    assert not OpportunitiesJob.objects.exists()


def test_starts_a_job_and_returns_the_polling_panel(alice_client, alice, alice_brand, ready):
    response = alice_client.post(regenerate_url(alice_brand), **HTMX)
    job = OpportunitiesJob.objects.get()
    assert (job.brand, job.user, job.status, job.snapshot_version) == (
        alice_brand,
        alice,
        JobStatus.QUEUED,
        1,
    )
    page = response.content.decode()
    progress_url = reverse("opportunities:job_progress", args=[alice_brand.pk, job.pk])
    assert f'hx-get="{progress_url}"' in page
    assert 'hx-trigger="every 1s"' in page
    assert 'class="board-busy" aria-busy="true" inert' in page  # the samples, dimmed
    assert page.count('class="card opp-card is-sample"') == 5
    assert "Collecting evidence" in page
    assert "Regeneration started." in response["HX-Trigger"]


def test_uses_the_latest_snapshot_version(alice_client, alice_brand, ready):
    make_snapshot(alice_brand, version=2)
    alice_client.post(regenerate_url(alice_brand), **HTMX)
    assert OpportunitiesJob.objects.get().snapshot_version == 2


def test_double_click_makes_one_job(alice_client, alice_brand, ready):
    first = alice_client.post(regenerate_url(alice_brand), **HTMX)
    second = alice_client.post(regenerate_url(alice_brand), **HTMX)
    job = OpportunitiesJob.objects.get()
    progress_url = reverse("opportunities:job_progress", args=[alice_brand.pk, job.pk])
    assert progress_url in first.content.decode()
    assert progress_url in second.content.decode()
    assert "already running" in second["HX-Trigger"]


def test_running_job_is_returned_not_duplicated(alice_client, alice_brand, ready):
    running = make_job(alice_brand, JobStatus.RUNNING, stage="analyzing")
    page = alice_client.post(regenerate_url(alice_brand), **HTMX).content.decode()
    assert OpportunitiesJob.objects.count() == 1
    assert str(running.pk) in page
    assert "Step 2 of 4" in page


def test_other_brands_job_does_not_block(alice_client, alice, alice_brand, ready):
    other = Brand.objects.create(owner=alice, name="Second brand")
    make_job(other, JobStatus.RUNNING)
    alice_client.post(regenerate_url(alice_brand), **HTMX)
    assert OpportunitiesJob.objects.filter(brand=alice_brand).count() == 1


def test_finished_jobs_do_not_block_a_new_one(alice_client, alice_brand, ready):
    make_job(alice_brand, JobStatus.SUCCEEDED)
    make_job(alice_brand, JobStatus.FAILED)
    alice_client.post(regenerate_url(alice_brand), **HTMX)
    assert OpportunitiesJob.objects.filter(status=JobStatus.QUEUED).count() == 1


def test_plain_post_redirects_to_the_board_with_a_message(alice_client, alice_brand, ready):
    response = alice_client.post(regenerate_url(alice_brand))
    assert response.status_code == 302
    assert response["Location"] == reverse("opportunities:today", args=[alice_brand.pk])
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Regeneration started."]
    assert OpportunitiesJob.objects.count() == 1


def test_plain_post_guard_redirects_with_the_guard_message(alice_client, alice_brand, snapshot):
    response = alice_client.post(regenerate_url(alice_brand))
    assert response.status_code == 302
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == ["Connect your Apify and OpenAI keys in Settings to regenerate."]


def test_csrf_is_enforced(alice, alice_brand, ready):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(regenerate_url(alice_brand), **HTMX).status_code == 403
    assert not OpportunitiesJob.objects.exists()


def test_keys_connected_later_end_demo_mode_at_once(alice_client, alice, alice_brand, snapshot):
    assert (
        "Connect your API keys"
        in alice_client.post(regenerate_url(alice_brand), **HTMX).content.decode()
    )
    connect_keys(alice)
    alice_client.post(regenerate_url(alice_brand), **HTMX)
    assert OpportunitiesJob.objects.count() == 1


def test_button_says_a_run_is_going_and_comes_back_when_it_ends(alice_client, alice_brand, ready):
    from opportunities.models import OpportunitiesJob

    headers = {"HX-Request": "true"}
    started = alice_client.post(f"/brands/{alice_brand.pk}/regenerate/", headers=headers)
    html = started.content.decode()
    assert 'id="regen-button" hx-swap-oob="true"' in html
    assert "Regenerating…" in html and 'aria-busy="true"' in html
    job = OpportunitiesJob.objects.get(brand=alice_brand)
    OpportunitiesJob.objects.filter(pk=job.pk).update(status="failed", error_code="x")
    ended = alice_client.get(
        f"/brands/{alice_brand.pk}/jobs/{job.pk}/progress/", headers=headers
    ).content.decode()
    assert 'id="regen-button" hx-swap-oob="true"' in ended
    assert "Regenerating…" not in ended
