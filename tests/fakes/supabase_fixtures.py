"""pytest fixtures for Supabase mode against the loopback double (any test folder).

One running double per signing setup for the whole run, reset for each test; the
settings point at it; key and cache state start empty and are emptied afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache

from tests.fakes.supabase import FakeSupabaseAuth
from tests.fakes.supabase_admin import SERVICE_KEY, FakeSupabaseWithAdmin
from users import jwt as users_jwt


@pytest.fixture(scope="session")
def _supabase_doubles() -> Iterator[dict[str, FakeSupabaseAuth]]:
    doubles = {alg: FakeSupabaseAuth(alg).start() for alg in ("ES256", "RS256", "HS256")}
    yield doubles
    for fake in doubles.values():
        fake.stop()


@pytest.fixture
def _supabase_state() -> Iterator[None]:
    users_jwt.reset_key_cache()
    cache.clear()
    yield
    users_jwt.reset_key_cache()
    cache.clear()


def configure_supabase(fake: FakeSupabaseAuth, settings) -> FakeSupabaseAuth:
    fake.reset()
    settings.AUTH_PROVIDER = "supabase"
    settings.SUPABASE_URL = fake.url
    settings.SUPABASE_ANON_KEY = fake.anon_key
    settings.SUPABASE_JWT_SECRET = fake.jwt_secret if fake.algorithm == "HS256" else ""
    return fake


@pytest.fixture
def supabase_auth(_supabase_doubles, _supabase_state, settings, db) -> FakeSupabaseAuth:
    """ES256 signing keys published in the JWKS (Supabase's recommended setup)."""
    return configure_supabase(_supabase_doubles["ES256"], settings)


@pytest.fixture(params=["ES256", "RS256", "HS256"])
def any_supabase_auth(request, _supabase_doubles, _supabase_state, settings, db):
    return configure_supabase(_supabase_doubles[request.param], settings)


@pytest.fixture
def hs256_supabase_auth(_supabase_doubles, _supabase_state, settings, db) -> FakeSupabaseAuth:
    """A legacy project: HS256 with the shared JWT secret, empty JWKS."""
    return configure_supabase(_supabase_doubles["HS256"], settings)


@pytest.fixture(scope="session")
def _supabase_admin_double() -> Iterator[FakeSupabaseWithAdmin]:
    fake = FakeSupabaseWithAdmin().start()
    yield fake
    fake.stop()


@pytest.fixture
def supabase_admin(_supabase_admin_double, _supabase_state, settings, db) -> FakeSupabaseWithAdmin:
    """Supabase mode with the admin API and the service-role key configured (the
    operator commands)."""
    configure_supabase(_supabase_admin_double, settings)
    settings.SUPABASE_SERVICE_KEY = SERVICE_KEY
    return _supabase_admin_double
