from __future__ import annotations

import pytest

from brands.models import Brand
from tests.support.snapshots import make_snapshot

pytestmark = pytest.mark.django_db


def test_empty_brand_list_points_to_first_brand(alice_client):
    page = alice_client.get("/brands/").content.decode()
    assert "No brands yet" in page
    assert "/brands/new/" in page


def test_create_brand(alice_client, alice):
    response = alice_client.post("/brands/new/", {"name": "  Goodie AI  "})
    assert response.status_code == 302
    brand = Brand.objects.get(owner=alice)
    assert brand.name == "Goodie AI"
    assert brand.slug == "goodie-ai"


def test_create_brand_requires_name(alice_client):
    response = alice_client.post("/brands/new/", {"name": "   "})
    assert response.status_code == 400
    assert not Brand.objects.exists()


def test_list_shows_only_own_brands(alice_client, alice_brand, bob):
    Brand.objects.create(owner=bob, name="Bob's Bikes")
    Brand.objects.create(owner=None, name="Ownerless Legacy")
    page = alice_client.get("/brands/").content.decode()
    assert "Goodie AI" in page
    assert "Bob&#x27;s Bikes" not in page and "Bob's Bikes" not in page
    assert "Ownerless Legacy" not in page


def test_brand_name_is_escaped(alice_client, alice):
    Brand.objects.create(owner=alice, name="<script>alert(1)</script>")
    page = alice_client.get("/brands/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_list_shows_brainversion_or_unfinished_onboarding(alice_client, alice, alice_brand):
    other = Brand.objects.create(owner=alice, name="Second brand")
    make_snapshot(alice_brand, 1)
    make_snapshot(alice_brand, 2)
    page = alice_client.get("/brands/").content.decode()
    assert "BrandBrain v2" in page
    assert page.count("Onboarding not finished") == 1
    assert other.name in page
