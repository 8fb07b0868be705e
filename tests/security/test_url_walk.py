"""Every URL of the project, walked as an anonymous visitor and as another user.

Anonymous: pages send you to /login?next=<the page>, the API answers 401 JSON, the admin
sends you to a login; only the views in PUBLIC_ROUTES answer without a sign-in.
Another user: every URL naming one of Alice's objects (her brand, a job, an idea, a
snapshot, a feedback change) is a 404 that shows nothing of it, for every method. The
walk (tests/support/urls.py) covers new views without being edited.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import resolve

from tests.support.urls import PUBLIC_ROUTES, UNSAFE_METHODS, Route, project_routes

pytestmark = pytest.mark.django_db
METHODS = ("get", *UNSAFE_METHODS)


def is_public(route: Route) -> bool:
    view = resolve(route.url).func
    if route.is_admin or hasattr(view, "cls"):  # the admin and DRF do their own checks
        return False
    return getattr(view, "login_required", True) is False


def test_public_views_are_exactly_these(routes):
    assert {r.pattern for r in routes if is_public(r)} == PUBLIC_ROUTES


def test_every_route_is_walked(routes):
    assert len(routes) == len(project_routes()) > 20
    assert any(r.names_an_object for r in routes)


def test_anonymous_is_sent_to_login_or_refused_everywhere(routes):
    client = Client()
    checked = 0
    for route in routes:
        if is_public(route) or route.is_admin_login:
            continue
        for method in METHODS:
            response = getattr(client, method)(route.url)
            where = f"{method.upper()} {route.url}"
            if route.is_api:
                assert response.status_code == 401, where
                assert response.json()["detail"], where
            elif route.is_admin:
                assert response.status_code == 302, where
                assert response["Location"].startswith(("/admin/login/?next=", "/login?next=")), (
                    where
                )
            else:
                assert response.status_code == 302, (where, response.status_code)
                assert response["Location"] == f"/login?next={quote(route.url)}", where
            checked += 1
    assert checked > 100


def test_public_views_never_need_login_and_never_fail(routes):
    client = Client()
    for route in routes:
        if is_public(route):
            response = client.get(route.url)
            assert response.status_code in (200, 302, 404), route.url  # 404: Supabase-only
            if response.status_code == 302:
                assert not response["Location"].startswith("/login"), route.url


def test_another_user_gets_404_on_every_url_naming_alices_objects(routes, bob_client):
    named = [r for r in routes if r.names_an_object]
    brand_patterns = {r.pattern for r in routes if r.names_a_brand}
    assert len(brand_patterns) > 20 and brand_patterns <= {r.pattern for r in named}
    assert "brands/<uuid:brand_id>/jobs/<uuid:job_id>/progress/" in brand_patterns
    for route in named:
        for method in METHODS:
            response = getattr(bob_client, method)(route.url)
            where = f"{method.upper()} {route.url}"
            assert response.status_code in (404, 405), (where, response.status_code)
            assert b"Goodie AI" not in response.content, where


def test_another_user_is_not_let_into_the_admin(routes, bob_client):
    for route in routes:
        if route.is_admin and not route.is_admin_login:
            response = bob_client.get(route.url)
            assert response.status_code == 302, route.url
            assert response["Location"].startswith(("/admin/login/", "/login?next=")), route.url
