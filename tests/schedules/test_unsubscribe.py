"""One-click unsubscribe, per brand, without logging in; forged links refused."""

from __future__ import annotations

import pytest
from django.core import signing
from django.test import Client

from brands.models import Brand
from schedules.models import BrandSchedule
from schedules.tokens import SALT, unsubscribe_token

pytestmark = pytest.mark.django_db
ONE_CLICK = "List-Unsubscribe=One-Click"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def schedules(alice, alice_brand):
    other = Brand.objects.create(owner=alice, name="Second brand")
    for brand in (alice_brand, other):
        BrandSchedule.objects.create(brand=brand, enabled=True)
    return alice_brand, other


def emails_on(brand) -> bool:
    return BrandSchedule.objects.get(brand=brand).emails_enabled


def test_the_link_asks_before_it_unsubscribes(schedules):
    brand, _ = schedules
    response = Client().get(f"/unsubscribe/{unsubscribe_token(brand)}/")
    assert response.status_code == 200
    assert "Stop emails about Goodie AI?" in response.content.decode()
    assert emails_on(brand)  # a GET (a mail scanner following links) changes nothing


def test_one_click_unsubscribes_that_brand_only_without_login(schedules):
    brand, other = schedules
    client = Client(enforce_csrf_checks=True)  # a mail provider has no CSRF token
    response = client.post(
        f"/unsubscribe/{unsubscribe_token(brand)}/", ONE_CLICK, content_type=FORM
    )
    assert response.status_code == 200
    assert "You're unsubscribed" in response.content.decode()
    assert not emails_on(brand) and emails_on(other)
    assert BrandSchedule.objects.get(brand=brand).enabled  # the board still refreshes
    again = client.post(f"/unsubscribe/{unsubscribe_token(brand)}/", ONE_CLICK, content_type=FORM)
    assert again.status_code == 200  # twice is fine


@pytest.mark.parametrize(
    "forge",
    [
        lambda brand, other: "not-a-token",
        lambda brand, other: (
            unsubscribe_token(brand)[:-1] + ("A" if unsubscribe_token(brand)[-1] != "A" else "B")
        ),
        lambda brand, other: signing.dumps({"b": str(other.pk), "o": str(other.owner_id)}),
        lambda brand, other: signing.Signer(key="another-secret-key", salt=SALT).sign_object(
            {"b": str(other.pk), "o": str(other.owner_id)}
        ),
        lambda brand, other: signing.dumps(
            {"b": str(other.pk), "o": str(other.owner_id)}, salt=SALT
        ),
        lambda brand, other: signing.Signer(salt=SALT).sign_object({"b": "x", "o": "y"}),
        lambda brand, other: signing.Signer(salt=SALT).sign_object(["not", "a", "dict"]),
        lambda brand, other: signing.Signer(salt=SALT).sign("not json"),
    ],
    ids=[
        "garbage",
        "altered",
        "unsalted",
        "wrong-key",
        "timestamped",
        "not-ids",
        "not-a-dict",
        "not-json",
    ],
)
def test_a_forged_token_is_refused(schedules, forge):
    brand, other = schedules
    token = forge(brand, other)
    for method in ("get", "post"):
        response = getattr(Client(), method)(f"/unsubscribe/{token}/")
        assert response.status_code == 400
        assert "This unsubscribe link isn't valid" in response.content.decode()
    assert emails_on(brand) and emails_on(other)


def test_an_old_link_does_not_unsubscribe_the_brands_new_owner(schedules, bob):
    brand, _ = schedules
    token = unsubscribe_token(brand)
    Brand.objects.filter(pk=brand.pk).update(owner=bob)
    assert Client().post(f"/unsubscribe/{token}/").status_code == 400
    assert emails_on(brand)


def test_the_same_brand_always_gets_the_same_link(schedules):
    brand, other = schedules
    assert unsubscribe_token(brand) == unsubscribe_token(brand) != unsubscribe_token(other)
