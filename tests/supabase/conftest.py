"""Supabase mode against the loopback double: settings point at a fresh double per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client

from tests.fakes.supabase import FakeSupabaseAuth, FakeUser
from users import jwt as users_jwt
from users.supabase_session import SESSION_KEY

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    users_jwt.reset_key_cache()
    cache.clear()
    yield
    users_jwt.reset_key_cache()
    cache.clear()


@pytest.fixture(scope="session")
def _doubles() -> Iterator[dict[str, FakeSupabaseAuth]]:
    """One running double per signing setup for the whole run (reset for each test)."""
    doubles = {alg: FakeSupabaseAuth(alg).start() for alg in ("ES256", "RS256", "HS256")}
    yield doubles
    for fake in doubles.values():
        fake.stop()


def _configured(doubles, settings, algorithm: str) -> FakeSupabaseAuth:
    fake = doubles[algorithm]
    fake.reset()
    settings.AUTH_PROVIDER = "supabase"
    settings.SUPABASE_URL = fake.url
    settings.SUPABASE_ANON_KEY = fake.anon_key
    settings.SUPABASE_JWT_SECRET = fake.jwt_secret if algorithm == "HS256" else ""
    return fake


@pytest.fixture
def supabase_auth(_doubles, settings, db) -> FakeSupabaseAuth:
    """ES256 signing keys published in the JWKS (Supabase's recommended setup)."""
    return _configured(_doubles, settings, "ES256")


@pytest.fixture(params=["ES256", "RS256", "HS256"])
def any_supabase_auth(request, _doubles, settings, db) -> FakeSupabaseAuth:
    return _configured(_doubles, settings, request.param)


@pytest.fixture
def hs256_supabase_auth(_doubles, settings, db) -> FakeSupabaseAuth:
    """A legacy project: HS256 with the shared JWT secret, empty JWKS."""
    return _configured(_doubles, settings, "HS256")


@pytest.fixture
def carol(supabase_auth) -> FakeUser:
    """A confirmed Supabase account (no Kairo row until first sight)."""
    return supabase_auth.add_user("carol@example.com", PASSWORD)


def log_in(email: str, password: str = PASSWORD) -> Client:
    client = Client()
    response = client.post("/login", {"email": email, "password": password})
    assert response.status_code == 302, response.content.decode()[:2000]
    return client


def stored_tokens(client: Client) -> dict | None:
    return client.session.get(SESSION_KEY)


def set_tokens(client: Client, **tokens) -> None:
    """Overwrites the server-side Supabase tokens of the client's session."""
    session = client.session
    session[SESSION_KEY] = {**session.get(SESSION_KEY, {}), **tokens}
    session.save()
