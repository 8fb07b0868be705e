"""Security headers, HTTPS behind Railway's proxy, cookies and CORS for /api/ only."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.support.accounts import PASSWORD

ORIGIN = "https://app.kairo.example"


@pytest.fixture
def cors_origins(settings):
    settings.CORS_ALLOWED_ORIGINS = [ORIGIN]


def test_pages_carry_security_headers(db):
    response = Client().get("/login")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_hsts_on_requests_forwarded_as_https(db):
    response = Client().get("/login", headers={"X-Forwarded-Proto": "https"})
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_plain_http_is_redirected_to_https_except_health(db, settings):
    settings.SECURE_SSL_REDIRECT = True
    client = Client()
    response = client.get("/login")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/login"
    assert client.get("/login", headers={"X-Forwarded-Proto": "https"}).status_code == 200
    # Railway's and uptime monitors' health probes may come over plain HTTP.
    assert client.get("/health/").status_code == 200


def test_session_and_csrf_cookies_are_secure_and_httponly(alice):
    client = Client()
    client.get("/login")
    assert client.cookies["csrftoken"]["secure"]
    response = client.post("/login", {"email": alice.email, "password": PASSWORD})
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"]
    assert session["httponly"]
    assert session["samesite"] == "Lax"


def test_untrusted_host_is_refused(db):
    assert Client().get("/login", HTTP_HOST="evil.example").status_code == 400


def test_cors_preflight_for_listed_origin_on_api(db, cors_origins):
    response = Client().options("/api/user/api-keys/", headers={"Origin": ORIGIN})
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == ORIGIN
    assert response["Access-Control-Allow-Credentials"] == "true"
    assert "Origin" in response["Vary"]


def test_cors_never_answers_unlisted_origins(db, cors_origins):
    response = Client().get("/api/user/api-keys/", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in response


def test_cors_only_for_api_paths(db, cors_origins):
    response = Client().get("/login", headers={"Origin": ORIGIN})
    assert "Access-Control-Allow-Origin" not in response


def test_cors_never_wildcard(db, settings):
    settings.CORS_ALLOWED_ORIGINS = ["*"]
    response = Client().get("/api/user/api-keys/", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in response


def test_no_cors_when_nothing_is_listed(db, settings):
    settings.CORS_ALLOWED_ORIGINS = []
    response = Client().options("/api/user/api-keys/", headers={"Origin": ORIGIN})
    assert "Access-Control-Allow-Origin" not in response
