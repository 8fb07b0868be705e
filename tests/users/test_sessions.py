"""The middleware: every request verified, expired tokens refreshed once, races survived."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client

from tests.support.accounts import expire_access_token, log_in, set_tokens, stored_tokens
from users import jwks
from users import jwt as users_jwt


def _refresh_calls(fake) -> list:
    return [r for r in fake.requests_to("/token") if r.param("grant_type") == "refresh_token"]


def test_expired_access_token_is_refreshed_once(any_supabase_auth):
    fake = any_supabase_auth
    fake.add_user("carol@example.com", "correct-horse-battery-staple")
    client = log_in("carol@example.com")
    old = stored_tokens(client)
    expire_access_token(client, fake, "carol@example.com")
    expired = stored_tokens(client)["access_token"]

    assert client.get("/brands/").status_code == 200
    new = stored_tokens(client)
    assert new["refresh_token"] != old["refresh_token"]
    assert new["access_token"] != expired
    users_jwt.verify_access_token(new["access_token"])
    [call] = _refresh_calls(fake)
    assert call.json() == {"refresh_token": old["refresh_token"]}
    assert call.headers["apikey"] == fake.anon_key
    # The new token is used from now on: no further refreshes.
    assert client.get("/brands/").status_code == 200
    assert len(_refresh_calls(fake)) == 1


def test_refused_refresh_logs_out(supabase_auth, carol):
    client = log_in("carol@example.com")
    expire_access_token(client, supabase_auth, "carol@example.com")
    supabase_auth.refresh_tokens.clear()  # e.g. revoked from another device

    response = client.get("/brands/")
    assert response.status_code == 302
    assert response["Location"] == "/login?next=/brands/"
    assert stored_tokens(client) is None
    assert client.get("/brands/").status_code == 302
    assert len(_refresh_calls(supabase_auth)) == 1  # tried once, not again


def test_transient_refresh_failure_keeps_the_session(supabase_auth, carol):
    client = log_in("carol@example.com")
    expire_access_token(client, supabase_auth, "carol@example.com")
    supabase_auth.rate_limited.add("token")
    response = client.get("/brands/")
    assert response.status_code == 503  # "try again", not a trip to the login page…
    assert response["Retry-After"]
    assert stored_tokens(client) is not None  # …and not logged out
    supabase_auth.rate_limited.clear()
    assert client.get("/brands/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_with_an_expired_token_both_succeed(supabase_auth, carol):
    fake = supabase_auth
    fake.reuse_interval = 0  # no help from Supabase: a second use of the token kills the session
    fake.delays["token"] = 0.3  # the first refresh is still in flight when the second starts
    client = log_in("carol@example.com")
    expire_access_token(client, fake, "carol@example.com")
    cookie = client.cookies["sessionid"].value
    statuses: list[int] = []

    def browse() -> None:
        racer = Client()
        racer.cookies["sessionid"] = cookie
        try:
            statuses.append(racer.get("/brands/").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=browse) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [200, 200]
    assert len(_refresh_calls(fake)) == 1
    assert client.get("/brands/").status_code == 200  # still logged in afterwards
    assert len(fake.sessions) == 1


def test_request_with_tokens_from_before_a_refresh_reuses_the_new_ones(supabase_auth, carol):
    """A request that read the session before another request refreshed it (e.g. in
    another process) does not spend the already used refresh token again."""
    fake = supabase_auth
    fake.reuse_interval = 0
    client = log_in("carol@example.com")
    expire_access_token(client, fake, "carol@example.com")
    stale = dict(stored_tokens(client))
    assert client.get("/brands/").status_code == 200  # refreshes
    set_tokens(client, **stale)  # a late writer put the old tokens back
    assert client.get("/brands/").status_code == 200
    assert len(_refresh_calls(fake)) == 1


@pytest.fixture
def key_clock(monkeypatch) -> list[float]:
    """A settable clock for the JWKS cache, whose background refreshes run inline."""
    now = [1000.0]
    monkeypatch.setattr(jwks, "_clock", lambda: now[0])
    monkeypatch.setattr(jwks, "_spawn", lambda target: target())
    return now


def test_a_revoked_key_stops_working_before_ten_minutes(supabase_auth, carol, key_clock):
    """Once Supabase stops publishing the key of a session's token, the session ends
    at the first request after the key set is renewed, which is before ten minutes."""
    client = log_in("carol@example.com")
    assert client.get("/brands/").status_code == 200
    supabase_auth.keys = [supabase_auth.rotate_signing_key()]  # old key revoked
    key_clock[0] += jwks.REFRESH_AHEAD_SECONDS - 1
    assert client.get("/brands/").status_code == 200  # not renewed yet
    key_clock[0] += 1
    assert client.get("/brands/").status_code == 200  # renewal starts; this one is served
    assert client.get("/brands/").status_code == 302
    assert stored_tokens(client) is None
    assert jwks.REFRESH_AHEAD_SECONDS < jwks.JWKS_TTL_SECONDS


def test_jwks_is_renewed_in_the_background_before_ten_minutes(supabase_auth, carol, key_clock):
    fetches = lambda: len(supabase_auth.requests_to("/.well-known/jwks.json"))  # noqa: E731
    client = log_in("carol@example.com")
    for _ in range(3):
        assert client.get("/brands/").status_code == 200
    assert fetches() == 1
    key_clock[0] += jwks.REFRESH_AHEAD_SECONDS - 1
    client.get("/brands/")
    assert fetches() == 1
    key_clock[0] += 1
    client.get("/brands/")
    assert fetches() == 2
    key_clock[0] += 1
    client.get("/brands/")
    assert fetches() == 2


def test_rotated_key_is_picked_up_by_kid(supabase_auth, carol):
    client = log_in("carol@example.com")
    assert client.get("/brands/").status_code == 200
    supabase_auth.rotate_signing_key()
    expire_access_token(client, supabase_auth, "carol@example.com")  # refresh → new kid
    assert client.get("/brands/").status_code == 200
    assert len(supabase_auth.requests_to("/.well-known/jwks.json")) == 2


def test_jwks_outage_does_not_log_out(supabase_auth, carol, key_clock):
    client = log_in("carol@example.com")
    supabase_auth.failing[".well-known/jwks.json"] = 503
    key_clock[0] += jwks.JWKS_TTL_SECONDS * 3
    assert client.get("/brands/").status_code == 200  # the last good keys still serve
    assert stored_tokens(client) is not None
