"""A key-server (JWKS) outage is not an app outage (users/jwks.py): with the endpoint
hanging, down, or coming back, signed-in requests with a usable key never wait on it,
requests without one wait at most one short fetch shared by all, /health/ never
touches it, and a token that cannot be checked is a 503 — never a 401 or a logout."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from django.db import connections
from django.test import Client

from tests.support.accounts import PASSWORD, log_in, stored_tokens
from tests.support.waiting import wait_for
from users import jwks

JWKS = ".well-known/jwks.json"
API = "/api/user/api-keys/"


@pytest.fixture
def clock(monkeypatch) -> list[float]:
    now = [1000.0]
    monkeypatch.setattr(jwks, "_clock", lambda: now[0])
    return now


@pytest.fixture
def inline_refresh(monkeypatch) -> None:
    """Background refreshes run inline, so what they did is known when a request ends."""
    monkeypatch.setattr(jwks, "_spawn", lambda target: target())


@pytest.fixture
def hang(supabase_auth):
    """The JWKS endpoint accepts connections and answers nothing until released."""
    held = threading.Event()
    supabase_auth.delays[JWKS] = held
    yield held
    held.set()


@pytest.fixture
def carol(supabase_auth):
    return supabase_auth.add_user("carol@example.com", PASSWORD)


def jwks_fetches(fake) -> int:
    return len(fake.requests_to("/.well-known/jwks.json"))


def bearer(token: str) -> httpx.Response | object:
    return Client().get(API, HTTP_AUTHORIZATION=f"Bearer {token}")


def client_status(client: Client) -> int:
    return client.get("/brands/").status_code


def in_parallel(calls) -> list:
    def run(call):
        try:
            return call()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


@pytest.mark.django_db(transaction=True)
def test_hanging_key_server_holds_up_no_request_that_has_a_key(supabase_auth, carol, clock):
    clients = [log_in(carol.email) for _ in range(8)]
    assert jwks_fetches(supabase_auth) == 1
    clock[0] += jwks.JWKS_TTL_SECONDS * 2  # the keys are stale: a refresh is due
    held = threading.Event()
    supabase_auth.delays[JWKS] = held
    try:
        calls = [lambda c=c: c.get("/brands/").status_code for c in clients]
        calls.append(lambda: Client().get("/health/").status_code)
        statuses = in_parallel(calls)
        assert not held.is_set()  # everything above was answered while the fetch hung
        assert statuses == [200] * 9
        wait_for(lambda: jwks_fetches(supabase_auth) >= 2, 10)  # the background refresh…
        assert client_status(clients[0]) == 200
        assert jwks_fetches(supabase_auth) == 2  # …is one, not one per request
    finally:
        held.set()


def test_key_server_down_serves_the_last_good_keys(supabase_auth, carol, clock, inline_refresh):
    client = log_in(carol.email)
    supabase_auth.failing[JWKS] = 503
    for hours in (1, 6, 23):
        clock[0] = 1000.0 + hours * 3600
        assert client.get("/brands/").status_code == 200
    assert stored_tokens(client) is not None


def test_refresh_attempts_during_an_outage_are_spaced_out(
    supabase_auth, carol, clock, inline_refresh
):
    client = log_in(carol.email)
    supabase_auth.failing[JWKS] = 503
    clock[0] += jwks.JWKS_TTL_SECONDS
    for _ in range(10):
        assert client.get("/brands/").status_code == 200
    assert jwks_fetches(supabase_auth) == 2  # the login's + one failed retry (negative cache)
    clock[0] += jwks.RETRY_SECONDS
    client.get("/brands/")
    assert jwks_fetches(supabase_auth) == 3


def test_past_the_stale_limit_pages_say_try_again_and_keep_the_session(
    supabase_auth, carol, clock, inline_refresh
):
    client = log_in(carol.email)
    supabase_auth.failing[JWKS] = 503
    clock[0] += jwks.MAX_STALE_SECONDS + 1
    page = client.get("/brands/")
    assert page.status_code == 503
    assert page["Retry-After"]
    assert b"still signed in" in page.content
    assert "no-store" in page["Cache-Control"]
    assert client.get(API).status_code == 503  # JSON for the API, same reason
    assert client.get("/login").status_code == 200  # public pages work as usual
    assert stored_tokens(client) is not None
    # Recovering: once the key server answers again, the same session carries on.
    supabase_auth.failing.clear()
    clock[0] += jwks.RETRY_SECONDS
    assert client.get("/brands/").status_code == 200


def test_a_bearer_token_that_cannot_be_checked_is_a_503_not_a_401(supabase_auth, carol, clock):
    supabase_auth.failing[JWKS] = 503
    token = supabase_auth.mint(carol)
    response = bearer(token)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["detail"].startswith("Sign-in can't be checked right now")
    assert bearer(token).status_code == 503
    assert jwks_fetches(supabase_auth) == 1  # the second one did not try again at once
    supabase_auth.failing.clear()
    clock[0] += jwks.RETRY_SECONDS
    assert bearer(token).status_code == 200  # recovered


@pytest.mark.django_db(transaction=True)
def test_without_keys_concurrent_requests_share_one_short_fetch(
    supabase_auth, carol, hang, monkeypatch
):
    monkeypatch.setattr(jwks, "TIMEOUT", httpx.Timeout(0.5))
    token = supabase_auth.mint(carol)
    statuses = in_parallel([lambda: bearer(token).status_code for _ in range(8)])
    assert statuses == [503] * 8
    assert not hang.is_set()  # answered by our own timeout, not by the key server
    assert jwks_fetches(supabase_auth) == 1  # single flight
    assert bearer(token).status_code == 503  # and the failure is remembered
    assert jwks_fetches(supabase_auth) == 1


def test_a_fresh_process_starts_with_the_shared_last_good_keys(supabase_auth, carol, clock):
    client = log_in(carol.email)
    fetched = jwks_fetches(supabase_auth)
    jwks.reset()  # what a newly started worker knows
    supabase_auth.failing[JWKS] = 503
    assert client.get("/brands/").status_code == 200
    assert jwks_fetches(supabase_auth) == fetched


def test_an_unknown_kid_during_an_outage_is_unverifiable_not_forged(supabase_auth, carol, clock):
    """A new kid may be a real key rotation: while the keys can't be fetched the answer
    is "try again", and once they can, an unknown kid is rejected as forged."""
    log_in(carol.email)
    rotated = supabase_auth.rotate_signing_key()
    supabase_auth.failing[JWKS] = 503
    token = supabase_auth.sign(supabase_auth.claims_for(carol), key=rotated)
    assert bearer(token).status_code == 503
    supabase_auth.failing.clear()
    clock[0] += jwks.UNKNOWN_KID_REFETCH_SECONDS
    assert bearer(token).status_code == 200


def test_health_never_touches_the_session_or_supabase(supabase_auth, carol, clock):
    client = log_in(carol.email)
    clock[0] += jwks.MAX_STALE_SECONDS + 1  # a signed-in request would have to fetch
    held = threading.Event()
    supabase_auth.delays[JWKS] = held
    try:
        before = len(supabase_auth.requests)
        assert client.get("/health/").status_code == 200
        assert len(supabase_auth.requests) == before
    finally:
        held.set()
