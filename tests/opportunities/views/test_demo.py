"""Demo Mode: sample opportunities (labelled, using the brand's name and pillars), the
banner, and Regenerate disabled with a way to Settings."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from evidence.models import EvidenceItem
from opportunities.demo import FALLBACK_PILLARS, sample_cards
from opportunities.models import OpportunitiesJob, Opportunity
from tests.support.board import PILLARS, finished_job_with_board
from tests.support.keys import connect_keys

pytestmark = pytest.mark.django_db

BANNER = (
    "<strong>Demo Mode</strong> — You're viewing sample data. Connect your API keys to "
    "generate real insights."
)


def today(client, brand) -> str:
    response = client.get(reverse("opportunities:today", args=[brand.pk]))
    assert response.status_code == 200
    return response.content.decode().replace("&#x27;", "'")


def test_demo_board_shows_labelled_samples_with_brand_name_and_pillars(
    alice_client, alice_brand, snapshot
):
    page = today(alice_client, alice_brand)
    assert BANNER in page and "Connect Keys →" in page
    assert page.count('class="card opp-card is-sample"') == 5
    assert page.count('<span class="badge badge-warning">Sample</span>') == 5
    assert "<strong>5 sample ideas</strong>" in page
    assert "What Goodie AI learned" in page
    for pillar in PILLARS:
        assert pillar in page
    assert page.count('class="evidence-item"') >= 5
    assert 'rel="noopener noreferrer"' in page
    assert "Pillar relevance" in page


def test_demo_regenerate_is_disabled_with_a_link_to_settings(alice_client, alice_brand, snapshot):
    page = today(alice_client, alice_brand)
    assert "hx-post" not in page
    assert 'disabled aria-describedby="regen-off-why"' in page
    assert "Regenerate is off in Demo Mode" in page
    assert '<a href="/settings/">Connect your API keys in Settings</a>' in page


def test_demo_samples_are_never_saved(alice_client, alice_brand, snapshot):
    today(alice_client, alice_brand)
    assert not Opportunity.objects.exists()
    assert not EvidenceItem.objects.exists()
    assert not OpportunitiesJob.objects.exists()


def test_demo_without_snapshot_shows_samples_under_the_onboarding_guard(alice_client, alice_brand):
    page = today(alice_client, alice_brand)
    assert "Complete BrandBrain onboarding first" in page
    assert page.index("Complete BrandBrain onboarding first") < page.index("opp-card")
    assert FALLBACK_PILLARS[0] in page


def test_demo_user_keeps_seeing_a_real_board_and_keys_end_demo_at_once(
    alice_client, alice, alice_brand, snapshot
):
    # A brand with real opportunities (e.g. migrated legacy data) shows them, not samples;
    # only regenerating needs keys.
    finished_job_with_board(alice_brand)
    page = today(alice_client, alice_brand)
    assert "Idea 1" in page and "is-sample" not in page
    assert "Regenerate is off in Demo Mode" in page
    connect_keys(alice)
    page = today(alice_client, alice_brand)
    assert "Demo Mode" not in page and "is-sample" not in page
    assert "Idea 1" in page


def test_sample_cards_are_ranked_deterministic_and_link_to_public_pages(alice_brand, snapshot):
    now = timezone.now()
    cards = sample_cards(alice_brand, now)
    assert cards == sample_cards(alice_brand, now)
    assert [c.rank for c in cards] == [1, 2, 3, 4, 5]
    assert [c.score for c in cards] == sorted((c.score for c in cards), reverse=True)
    assert all(c.sample and c.evidence for c in cards)
    for card in cards:
        assert card.score == round(sum(p.points for p in card.parts))
        for item in card.evidence:
            assert item.url.startswith("https://www.")
            assert item.age.endswith("ago") and item.metric
