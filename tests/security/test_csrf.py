"""CSRF on every state-changing request: every route, every unsafe method, signed in
with a cookie session (forms and the JSON API alike) or not (login, sign-up, reset)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from schedules.models import BrandSchedule
from tests.support.urls import CSRF_EXEMPT_ROUTES, PUBLIC_ROUTES, UNSAFE_METHODS

pytestmark = pytest.mark.django_db
CSRF_REFUSALS = (b"CSRF verification failed", b"CSRF Failed")


@pytest.fixture
def alice_csrf_client(alice) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    return client


def refused_for_csrf(response) -> bool:
    return response.status_code == 403 and any(m in response.content for m in CSRF_REFUSALS)


@pytest.mark.parametrize("signed_in", [True, False], ids=["session", "anonymous"])
def test_every_unsafe_request_without_a_token_is_refused(routes, alice, signed_in):
    client = Client(enforce_csrf_checks=True)
    if signed_in:
        client.force_login(alice)
    for route in routes:
        if route.pattern in CSRF_EXEMPT_ROUTES:
            continue
        for method in UNSAFE_METHODS:
            body = json.dumps({"provider": "openai"}) if route.is_api else "name=x"
            content_type = (
                "application/json" if route.is_api else "application/x-www-form-urlencoded"
            )
            response = getattr(client, method)(route.url, body, content_type=content_type)
            where = f"{method.upper()} {route.url}"
            if route.is_api and not signed_in and route.pattern not in PUBLIC_ROUTES:
                assert response.status_code == 401, where  # no session: nothing to forge
            else:
                assert refused_for_csrf(response), (where, response.status_code)


def test_a_wrong_token_is_refused_too(alice_csrf_client, alice_brand):
    alice_csrf_client.get("/brands/new/")
    wrong = "x" * 32
    response = alice_csrf_client.post(
        "/brands/new/", {"name": "Forged", "csrfmiddlewaretoken": wrong}
    )
    assert refused_for_csrf(response)
    response = alice_csrf_client.put(
        "/api/user/api-keys/", "{}", content_type="application/json", HTTP_X_CSRFTOKEN=wrong
    )
    assert refused_for_csrf(response)


def test_the_same_requests_with_the_token_go_through(alice_csrf_client, alice_brand):
    """So the refusals above are CSRF's, not something else's."""
    alice_csrf_client.get("/brands/new/")
    token = alice_csrf_client.cookies["csrftoken"].value
    response = alice_csrf_client.post(
        "/brands/new/", {"name": "Real", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    response = alice_csrf_client.put(
        "/api/user/api-keys/", "{}", content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 200
    response = alice_csrf_client.post("/logout", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_a_cross_site_https_post_is_refused_even_with_the_token(alice_csrf_client):
    """Over HTTPS the Origin must be ours: a token leaked to another site is not enough."""
    secure = {"HTTP_X_FORWARDED_PROTO": "https", "secure": True}
    alice_csrf_client.get("/brands/new/", **secure)
    token = alice_csrf_client.cookies["csrftoken"].value
    response = alice_csrf_client.post(
        "/brands/new/",
        {"name": "Forged", "csrfmiddlewaretoken": token},
        HTTP_ORIGIN="https://evil.example",
        **secure,
    )
    assert refused_for_csrf(response)


def test_the_csrf_exempt_route_is_only_one_click_unsubscribe(routes, alice_brand):
    """Exempt, it still does nothing without its signed token, and with it only turns
    the brand's emails off."""
    BrandSchedule.objects.create(brand=alice_brand, enabled=True)
    client = Client(enforce_csrf_checks=True)
    for route in routes:
        if route.pattern not in CSRF_EXEMPT_ROUTES:
            continue
        forged = route.url.replace(route.url.rstrip("/").rsplit("/", 1)[1], "forged-token")
        assert (
            client.post(forged, "List-Unsubscribe=One-Click", content_type=FORM).status_code == 400
        )
        assert BrandSchedule.objects.get(pk=alice_brand.pk).emails_enabled
        response = client.post(route.url, "List-Unsubscribe=One-Click", content_type=FORM)
        assert response.status_code == 200
        schedule = BrandSchedule.objects.get(pk=alice_brand.pk)
        assert not schedule.emails_enabled and schedule.enabled


FORM = "application/x-www-form-urlencoded"
