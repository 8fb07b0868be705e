"""The demo brand arrives fully onboarded, through the real forms, idempotently."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from brands.management.commands.load_demo_data import DEMO_EMAIL
from brands.models import BrandBrainSnapshot, SourceConnection
from brands.onboarding import require_snapshot

pytestmark = pytest.mark.django_db


def test_demo_brand_has_answers_sources_and_a_snapshot(settings):
    settings.AUTH_PROVIDER = "local"
    call_command("load_demo_data")
    call_command("load_demo_data")
    snapshot = BrandBrainSnapshot.objects.get(brand__owner__email=DEMO_EMAIL)
    assert snapshot.version == 1
    assert require_snapshot(snapshot.brand) is None
    data = snapshot.data
    assert data["brand"]["name"] == "Northwind Coffee"
    assert data["hashtags"] == ["coffee", "homebarista", "pourover", "specialtycoffee"]
    assert data["handles"]["tiktok"] == "northwindcoffee"
    assert data["handles"]["linkedin"] is None
    assert data["tiktok_trend_industries"][0] == "Food & Beverage"
    assert SourceConnection.objects.filter(brand=snapshot.brand).count() == 3
