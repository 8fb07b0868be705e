"""BrandBrain snapshots: JSON shape, determinism, versioning and immutability."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from brands.models import BrandBrainSnapshot, ImmutableSnapshotError
from brands.snapshots import (
    OnboardingIncomplete,
    build_snapshot_data,
    compile_snapshot,
    current_snapshot,
    is_stale,
    snapshot_history,
)
from tests.brands.helpers import complete_onboarding, step_url, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def onboarded(alice_client, alice_brand):
    complete_onboarding(alice_client, alice_brand, compile=False)
    return alice_brand


def test_snapshot_json_matches_the_architecture_contract(onboarded):
    data = compile_snapshot(onboarded).data
    assert list(data) == [
        "schema_version", "brand", "pillars", "keywords", "hashtags", "competitors", "tone",
        "avoid", "handles", "tiktok_trend_industries", "prompt_context",
    ]  # fmt: skip
    assert data["schema_version"] == 1
    assert data["brand"] == {
        "name": "Goodie AI",
        "website": "https://goodie.ai",
        "industry": "Software",
        "positioning": "Goodie helps brands show up in AI search answers, not just blue links.",
        "audience": "Heads of marketing at B2B startups",
        "country": "US",
        "language": "en",
    }
    assert data["pillars"] == ["AI search visibility", "Content strategy"]
    assert data["keywords"] == ["ai search", "generative engine optimization"]
    assert data["hashtags"] == ["aisearch", "seo"]
    assert data["competitors"] == ["Profound"]
    assert data["tone"] == "Confident, plain-spoken"
    assert data["avoid"] == ["politics"]
    assert data["handles"] == {
        "instagram": "goodie.ai",
        "tiktok": "goodieai",
        "youtube": "https://www.youtube.com/@goodieai",
        "linkedin": "https://www.linkedin.com/company/goodie-ai",
    }
    assert data["tiktok_trend_industries"][0] == "Tech & Electronics"
    assert data["prompt_context"].startswith("Brand: Goodie AI (Software) — https://goodie.ai\n")
    assert "Content pillars: AI search visibility; Content strategy" in data["prompt_context"]
    assert "Hashtags to watch: #aisearch, #seo" in data["prompt_context"]


def test_missing_handles_and_website_are_null(alice_client, alice_brand):
    submit(alice_client, alice_brand, "basics", {"website": ""})
    submit(alice_client, alice_brand, "sources", {"instagram": "", "youtube": "", "linkedin": ""})
    submit(alice_client, alice_brand, "details", {"competitors": "", "tone": "", "avoid": ""})
    data = compile_snapshot(alice_brand).data
    assert data["brand"]["website"] is None
    assert data["handles"] == {
        "instagram": None,
        "tiktok": "goodieai",
        "youtube": None,
        "linkedin": None,
    }
    assert "Tone of voice" not in data["prompt_context"]
    assert "Own accounts: TikTok @goodieai" in data["prompt_context"]


def test_compiling_is_deterministic(onboarded):
    assert build_snapshot_data(onboarded) == build_snapshot_data(onboarded)
    first = compile_snapshot(onboarded)
    again = compile_snapshot(onboarded)
    assert again.pk == first.pk and again.version == 1
    assert BrandBrainSnapshot.objects.filter(brand=onboarded).count() == 1


def test_editing_and_compiling_again_creates_the_next_version(alice_client, onboarded):
    v1 = compile_snapshot(onboarded)
    assert not is_stale(onboarded)
    submit(alice_client, onboarded, "details", {"pillars": "AI search visibility\nCase studies"})
    assert is_stale(onboarded)
    assert alice_client.post(step_url(onboarded, "compile")).status_code == 302
    v2 = current_snapshot(onboarded)
    assert v2.version == 2 and v2.data["pillars"] == ["AI search visibility", "Case studies"]
    v1.refresh_from_db()
    assert v1.data["pillars"] == ["AI search visibility", "Content strategy"]
    assert [s.version for s in snapshot_history(onboarded)] == [2, 1]


def test_snapshots_cannot_be_changed(onboarded):
    snapshot = compile_snapshot(onboarded)
    snapshot.data = {"tampered": True}
    with pytest.raises(ImmutableSnapshotError):
        snapshot.save()
    with pytest.raises(ImmutableSnapshotError):
        BrandBrainSnapshot.objects.filter(pk=snapshot.pk).update(data={})
    snapshot.refresh_from_db()
    assert "tampered" not in snapshot.data


def test_version_is_unique_per_brand(onboarded, bob):
    compile_snapshot(onboarded)
    with pytest.raises(IntegrityError), transaction.atomic():
        BrandBrainSnapshot.objects.create(brand=onboarded, version=1, data={})


def test_version_race_is_settled_by_the_next_number(onboarded, alice_client, monkeypatch):
    """Another request wrote version 2 after this one read "latest is v1": the unique
    (brand, version) constraint rejects our v2 and compile retries with version 3."""
    from brands import snapshots

    v1 = compile_snapshot(onboarded)
    BrandBrainSnapshot.objects.create(brand=onboarded, version=2, data={"written": "elsewhere"})
    submit(alice_client, onboarded, "details", {"tone": "Different"})
    real_current = snapshots.current_snapshot
    reads = []

    def stale_first_read(brand):
        reads.append(brand)
        return v1 if len(reads) == 1 else real_current(brand)

    monkeypatch.setattr(snapshots, "current_snapshot", stale_first_read)
    snapshot = compile_snapshot(onboarded)
    assert len(reads) == 2
    assert snapshot.version == 3 and snapshot.data["tone"] == "Different"
    assert [s.version for s in snapshot_history(onboarded)] == [3, 2, 1]


def test_compiling_needs_basics_and_details(alice_client, alice_brand):
    with pytest.raises(OnboardingIncomplete) as missing:
        compile_snapshot(alice_brand)
    assert missing.value.step == "basics"
    submit(alice_client, alice_brand, "basics")
    with pytest.raises(OnboardingIncomplete) as missing:
        compile_snapshot(alice_brand)
    assert missing.value.step == "details"
    assert not BrandBrainSnapshot.objects.exists()


def test_brand_home_shows_current_snapshot_and_history(alice_client, onboarded):
    compile_snapshot(onboarded)
    submit(alice_client, onboarded, "details", {"tone": "Warmer"})
    page = alice_client.get(f"/brands/{onboarded.pk}/").content.decode()
    assert "You changed answers since version 1" in page
    compile_snapshot(onboarded)
    page = alice_client.get(f"/brands/{onboarded.pk}/").content.decode()
    assert "v2" in page and f"/brands/{onboarded.pk}/snapshots/1/" in page
    assert f'href="/brands/{onboarded.pk}/today/"' in page
    assert "You changed answers" not in page
    old = alice_client.get(f"/brands/{onboarded.pk}/snapshots/1/").content.decode()
    assert "Confident, plain-spoken" in old
    assert alice_client.get(f"/brands/{onboarded.pk}/snapshots/9/").status_code == 404


def test_compile_twice_without_changes_says_so(alice_client, onboarded):
    alice_client.post(step_url(onboarded, "compile"))
    response = alice_client.post(step_url(onboarded, "compile"), follow=True)
    assert "Nothing changed since version 1" in response.content.decode()
