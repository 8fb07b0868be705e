"""Another user's onboarding wizard, validation endpoint and snapshots are all 404."""

from __future__ import annotations

import pytest

from brands.models import BrandBrainSnapshot, OnboardingAnswers
from tests.brands.helpers import ANSWERS, complete_onboarding, step_url, validate_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_onboarded(alice_client, alice_brand):
    complete_onboarding(alice_client, alice_brand)
    return alice_brand


def test_outsider_cannot_see_or_change_the_wizard(alice_onboarded, bob_client):
    before = OnboardingAnswers.objects.get(brand=alice_onboarded).updated_at
    for step in ("basics", "sources", "details", "compile"):
        assert bob_client.get(step_url(alice_onboarded, step)).status_code == 404
        response = bob_client.post(step_url(alice_onboarded, step), ANSWERS.get(step, {}))
        assert response.status_code == 404
        assert b"Goodie" not in response.content
    assert bob_client.get(f"/brands/{alice_onboarded.pk}/onboarding/").status_code == 404
    assert OnboardingAnswers.objects.get(brand=alice_onboarded).updated_at == before
    assert BrandBrainSnapshot.objects.filter(brand=alice_onboarded).count() == 1


def test_outsider_cannot_use_the_validation_endpoint(alice_onboarded, bob_client):
    response = bob_client.post(validate_url(alice_onboarded, "basics", "name"), {"name": "x"})
    assert response.status_code == 404


def test_outsider_cannot_read_snapshots(alice_onboarded, bob_client):
    response = bob_client.get(f"/brands/{alice_onboarded.pk}/snapshots/1/")
    assert response.status_code == 404
    assert b"AI search visibility" not in response.content


def test_anonymous_is_sent_to_login(alice_onboarded, client):
    for url in (
        step_url(alice_onboarded, "basics"),
        validate_url(alice_onboarded, "basics", "name"),
    ):
        assert client.post(url)["Location"].startswith("/login?next=")
