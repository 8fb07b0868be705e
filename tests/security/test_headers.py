"""Security headers under production settings (DEBUG off, behind an HTTPS proxy) on every
kind of answer: pages, redirects, errors, /health/ and the JSON API. Complements
tests/kairo/test_security_headers.py (which checks /login, cookies and CORS)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.support.accounts import PASSWORD

pytestmark = pytest.mark.django_db

HTTPS = {"HTTP_X_FORWARDED_PROTO": "https"}
SELF_ONLY = {
    "default-src",
    "script-src",
    "style-src",
    "connect-src",
    "font-src",
    "base-uri",
    "form-action",
}


def csp_directives(header: str) -> dict[str, list[str]]:
    parts = [p.split() for p in header.split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


def assert_hardened(response, where: str) -> None:
    assert response["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    ), where
    assert response["X-Content-Type-Options"] == "nosniff", where
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", where
    assert response["X-Frame-Options"] == "DENY", where
    csp = csp_directives(response["Content-Security-Policy"])
    for directive in SELF_ONLY:
        assert csp[directive] == ["'self'"], (where, directive, csp[directive])
    assert csp["frame-ancestors"] == ["'none'"], where
    assert csp["object-src"] == ["'none'"], where
    assert set(csp["img-src"]) <= {"'self'", "data:", "https:"}, where  # post thumbnails
    flat = " ".join(sum(csp.values(), []))
    for loophole in ("'unsafe-inline'", "'unsafe-eval'", "*", "http:", "blob:"):
        assert loophole not in flat.split(), (where, loophole)


@pytest.fixture
def responses(alice, alice_brand, settings) -> dict[str, object]:
    settings.DEBUG = False
    anonymous = Client(**HTTPS)
    signed_in = Client(**HTTPS)
    signed_in.post("/login", {"email": alice.email, "password": PASSWORD})
    return {
        "login page": anonymous.get("/login"),
        "brand list": signed_in.get("/brands/"),
        "brand home": signed_in.get(f"/brands/{alice_brand.pk}/"),
        "settings": signed_in.get("/settings/"),
        "redirect to login": anonymous.get("/brands/"),
        "404 page": signed_in.get("/no-such-page/"),
        "413 page": signed_in.post("/brands/new/", {"name": "x" * 1_100_000}),
        "csrf refusal": Client(enforce_csrf_checks=True, **HTTPS).post("/login", {}),
        "health": anonymous.get("/health/"),
        "api 401": anonymous.get("/api/user/api-keys/"),
        "api 200": signed_in.get("/api/user/api-keys/"),
        "api 404": signed_in.get("/api/nothing-here/"),
        "api schema": anonymous.get("/api/schema/"),
    }


def test_every_kind_of_answer_is_hardened(responses):
    statuses = {name: r.status_code for name, r in responses.items()}
    assert statuses["health"] == 200 and statuses["api 401"] == 401, statuses
    assert statuses["413 page"] == 413 and statuses["csrf refusal"] == 403, statuses
    for name, response in responses.items():
        assert_hardened(response, name)


def test_pages_load_only_our_own_static_files(responses):
    for name in ("login page", "brand list", "brand home", "settings", "404 page"):
        html = responses[name].content.decode()
        sources = re.findall(r"<script[^>]*\ssrc=\"([^\"]+)\"", html)
        sheets = re.findall(r"<link[^>]*rel=\"stylesheet\"[^>]*href=\"([^\"]+)\"", html)
        assert sources and sheets, name
        for url in sources + sheets:
            assert url.startswith("/static/"), (name, url)
        assert "<script>" not in html and ' style="' not in html, name  # nothing inline


SIGNED_IN = ("brand list", "brand home", "settings", "404 page", "413 page", "api 200", "api 404")


def test_signed_in_answers_are_private_and_never_stored(responses):
    """Shared caches must not keep them, nor the back button show them after logout."""
    for name in SIGNED_IN:
        directives = {d.strip() for d in responses[name]["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, name
        assert "public" not in directives, name


def test_signed_in_supabase_pages_are_private_and_never_stored(supabase_auth):
    supabase_auth.add_user("carol@example.com", PASSWORD)
    client = Client(**HTTPS)
    client.post("/login", {"email": "carol@example.com", "password": PASSWORD})
    for url in ("/brands/", "/settings/", "/api/user/api-keys/"):
        response = client.get(url)
        assert response.status_code == 200, url
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, url


def test_after_logout_the_old_pages_are_gone(alice):
    client = Client(**HTTPS)
    client.post("/login", {"email": alice.email, "password": PASSWORD})
    assert "no-store" in client.get("/brands/")["Cache-Control"]
    client.post("/logout")
    assert client.get("/brands/").status_code == 302
