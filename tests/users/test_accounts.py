"""Sign-up, login and logout in Supabase mode, against the Supabase Auth double."""

from __future__ import annotations

import uuid

import httpx
import pytest
from django.test import Client

from tests.support.accounts import PASSWORD, log_in, stored_tokens
from users import supabase_api
from users.models import User


def test_signup_with_confirmation_on_says_check_your_email(any_supabase_auth):
    response = Client().post("/signup", {"email": "New@Example.com", "password": PASSWORD})
    assert response.status_code == 200
    assert b"Check your email" in response.content
    assert b"new@example.com" in response.content.lower()
    sent = any_supabase_auth.requests_to("/signup")[0]
    assert sent.json() == {"email": "new@example.com", "password": PASSWORD}
    assert sent.headers["apikey"] == any_supabase_auth.anon_key
    assert sent.headers["x-supabase-api-version"] == "2024-01-01"
    assert sent.param("redirect_to") == "http://testserver/auth/confirm"
    assert [m.type for m in any_supabase_auth.outbox] == ["signup"]
    assert not User.objects.filter(email="new@example.com").exists()


def test_signup_with_confirmation_off_logs_in(any_supabase_auth):
    any_supabase_auth.confirm_email = False
    client = Client()
    response = client.post("/signup", {"email": "new@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/brands/new/"
    user = User.objects.get(email="new@example.com")
    assert str(user.supabase_uid) == any_supabase_auth.users["new@example.com"].id
    assert not user.has_usable_password()
    page = client.get("/brands/")
    assert page.status_code == 200
    assert b"new@example.com" in page.content


def test_login_logs_in_and_keeps_tokens_server_side(carol):
    client = log_in("carol@example.com")
    tokens = stored_tokens(client)
    assert set(tokens) == {"access_token", "refresh_token", "expires_at"}
    # Only Django's session id reaches the browser, never a token.
    assert all(tokens["access_token"] not in c.value for c in client.cookies.values())
    assert client.cookies["sessionid"]["httponly"]
    assert client.cookies["sessionid"]["samesite"] == "Lax"
    page = client.get("/brands/")
    assert page.status_code == 200
    assert b"carol@example.com" in page.content
    assert User.objects.get(email="carol@example.com").last_login is not None


def test_login_cycles_the_session_key(carol):
    client = Client()
    client.get("/login")
    client.cookies["sessionid"] = "attacker-chosen-session"
    client.post("/login", {"email": "carol@example.com", "password": PASSWORD})
    assert client.cookies["sessionid"].value != "attacker-chosen-session"


def test_login_refuses_an_email_linked_to_another_supabase_account(supabase_auth, alice):
    alice.supabase_uid = uuid.uuid4()
    alice.save()
    supabase_auth.add_user("alice@example.com", PASSWORD)
    client = Client()
    response = client.post("/login", {"email": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 400
    assert b"could not be verified" in response.content
    assert stored_tokens(client) is None


def test_wrong_password(carol):
    response = Client().post("/login", {"email": "carol@example.com", "password": "nope-nope"})
    assert response.status_code == 400
    assert b"Wrong email or password." in response.content


def test_unknown_account_gets_the_same_message(supabase_auth):
    response = Client().post("/login", {"email": "who@example.com", "password": PASSWORD})
    assert response.status_code == 400
    assert b"Wrong email or password." in response.content


def test_unconfirmed_email(supabase_auth):
    supabase_auth.add_user("dave@example.com", PASSWORD, confirmed=False)
    response = Client().post("/login", {"email": "dave@example.com", "password": PASSWORD})
    assert response.status_code == 400
    assert b"Confirm your email first" in response.content


@pytest.mark.parametrize(
    ("policy", "password", "expected"),
    [
        ({"min_password_length": 12}, "abcdefgh", [b"Use at least 12 characters."]),
        (
            {"required_characters": ["abcdefghijklmnopqrstuvwxyz", "0123456789"]},
            "abcdefghij",
            [b"Mix character types"],
        ),
        (
            {"min_password_length": 12, "pwned_passwords": {"password1"}},
            "password1",
            [b"Use at least 12 characters.", b"appeared in a data breach"],
        ),
    ],
    ids=["length", "characters", "length+pwned"],
)
def test_weak_password_shows_each_reason(supabase_auth, policy, password, expected):
    for name, value in policy.items():
        setattr(supabase_auth, name, value)
    response = Client().post("/signup", {"email": "new@example.com", "password": password})
    assert response.status_code == 400
    assert b"Choose a stronger password." in response.content
    for line in expected:
        assert line in response.content
    assert b'id="field-password"' in response.content


def test_login_rate_limited_by_supabase(carol, supabase_auth):
    supabase_auth.rate_limited.add("token")
    response = Client().post("/login", {"email": "carol@example.com", "password": PASSWORD})
    assert response.status_code == 429
    assert b"rate limit reached" in response.content


def test_signup_email_rate_limit(supabase_auth):
    supabase_auth.email_quota = 0
    response = Client().post("/signup", {"email": "new@example.com", "password": PASSWORD})
    assert response.status_code == 429
    assert b"email rate limit reached" in response.content


def test_old_error_shape_is_understood_too(supabase_auth, carol):
    # Without the version header GoTrue answers {"code": 400, "error_code": …, "msg": …}.
    response = httpx.post(
        f"{supabase_auth.url}/auth/v1/token?grant_type=password",
        json={"email": "carol@example.com", "password": "wrong"},
        headers={"apikey": supabase_auth.anon_key},
    )
    error = supabase_api._error_from(response)
    assert (error.code, error.status) == ("invalid_credentials", 400)
    assert response.json()["error_code"] == "invalid_credentials"


def test_gateway_error_without_apikey_is_a_clear_message(supabase_auth, settings, carol):
    settings.SUPABASE_ANON_KEY = "wrong-key"
    response = Client().post("/login", {"email": "carol@example.com", "password": PASSWORD})
    assert response.status_code == 400
    assert b"not answering right now" in response.content
    assert supabase_auth.requests_to("/token")[0].headers["apikey"] == "wrong-key"


def test_slow_supabase_times_out_with_a_clear_message(carol, supabase_auth, monkeypatch):
    monkeypatch.setattr(supabase_api, "_client", httpx.Client(timeout=0.2))
    supabase_auth.delays["token"] = 1.0
    response = Client().post("/login", {"email": "carol@example.com", "password": PASSWORD})
    assert response.status_code == 400
    assert b"not answering right now" in response.content


def test_unreachable_supabase(settings, db):
    settings.AUTH_PROVIDER = "supabase"
    settings.SUPABASE_URL = "http://127.0.0.1:9"
    settings.SUPABASE_ANON_KEY = "anon"
    response = Client().post("/login", {"email": "carol@example.com", "password": PASSWORD})
    assert response.status_code == 400
    assert b"not answering right now" in response.content


def test_logout_revokes_at_supabase_and_clears_the_session(carol, supabase_auth):
    client = log_in("carol@example.com")
    refresh_token = stored_tokens(client)["refresh_token"]
    response = client.post("/logout")
    assert response.status_code == 302
    logout_call = supabase_auth.requests_to("/logout")[0]
    assert logout_call.headers["authorization"].startswith("Bearer ey")
    assert refresh_token not in supabase_auth.refresh_tokens
    assert stored_tokens(client) is None
    assert client.get("/brands/").status_code == 302


def test_logout_still_ends_the_local_session_when_supabase_fails(carol, supabase_auth):
    client = log_in("carol@example.com")
    supabase_auth.rate_limited.add("logout")
    client.post("/logout")
    assert stored_tokens(client) is None
    assert client.get("/brands/").status_code == 302
