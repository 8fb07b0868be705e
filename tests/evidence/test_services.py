from __future__ import annotations

import uuid
from datetime import UTC, datetime

from evidence.models import EvidenceItem
from evidence.normalize import deduplicate, normalize_items
from evidence.services import save_evidence
from tests.fakes.apify import fixture_items


def test_save_evidence_stores_every_field(alice_brand):
    job_id = uuid.uuid4()
    items, _ = normalize_items(
        "clockworks/tiktok-scraper", "TT-1", fixture_items("clockworks/tiktok-scraper")
    )
    saved = save_evidence(brand=alice_brand, job_id=job_id, items=items)
    assert len(saved) == 30
    row = EvidenceItem.objects.get(job_id=job_id, external_id="7548894253759881561")
    assert row.brand == alice_brand
    assert (row.platform, row.recipe_id, row.kind) == ("tiktok", "TT-1", "video")
    assert row.url == "https://www.tiktok.com/@lena.writes/video/7548894253759881561"
    assert (row.author_handle, row.author_name) == ("lena.writes", "Lena Writes")
    assert row.hashtags == ["geo", "contentmarketing", "generativeai"]
    assert row.published_at == datetime(2026, 11, 15, 4, 0, tzinfo=UTC)
    assert row.metrics == {
        "views": 70341,
        "likes": 8729,
        "comments": 319,
        "shares": 95,
        "saves": 1622,
        "followers": 748324,
    }
    assert row.raw["authorMeta"]["name"] == "lena.writes"


def test_evidence_is_kept_per_job_and_brand(alice_brand, bob):
    from brands.models import Brand

    bobs_brand = Brand.objects.create(owner=bob, name="Bob Co")
    trends, _ = normalize_items(
        "clockworks/tiktok-trends-scraper",
        "TT-TRENDS",
        fixture_items("clockworks/tiktok-trends-scraper"),
    )
    unique = deduplicate(trends)
    first_job, second_job = uuid.uuid4(), uuid.uuid4()
    save_evidence(brand=alice_brand, job_id=first_job, items=unique)
    save_evidence(brand=alice_brand, job_id=second_job, items=unique)
    save_evidence(brand=bobs_brand, job_id=uuid.uuid4(), items=unique[:3])
    assert alice_brand.evidence_items.filter(job_id=first_job).count() == 40
    assert alice_brand.evidence_items.count() == 80
    assert bobs_brand.evidence_items.count() == 3
    assert all(row.published_at is None for row in alice_brand.evidence_items.all())
