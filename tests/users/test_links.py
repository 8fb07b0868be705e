"""Email links (confirmation, recovery) and the password pages in Supabase mode."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.support.accounts import PASSWORD, log_in, stored_tokens
from users.models import User

NEW_PASSWORD = "a-brand-new-long-passphrase"


def _sign_up(email: str = "new@example.com") -> None:
    response = Client().post("/signup", {"email": email, "password": PASSWORD})
    assert b"Check your email" in response.content


@pytest.mark.parametrize("link_type", ["signup", "email"])
def test_confirmation_link_confirms_and_logs_in(supabase_auth, link_type):
    _sign_up()
    [mail] = supabase_auth.outbox
    client = Client()
    response = client.get(f"/auth/confirm?token_hash={mail.token_hash}&type={link_type}")
    assert response.status_code == 302
    assert response["Location"] == "/brands/"
    verify = supabase_auth.requests_to("/verify")[0]
    assert verify.json() == {"type": link_type, "token_hash": mail.token_hash}
    assert verify.headers["x-supabase-api-version"] == "2024-01-01"
    assert stored_tokens(client) is not None
    page = client.get("/brands/")
    assert b"new@example.com" in page.content
    assert b"Your email is confirmed" in page.content
    assert User.objects.filter(email="new@example.com").exists()
    # Confirmed now: a password login works.
    log_in("new@example.com")


def test_confirmation_link_honours_only_a_same_site_next(supabase_auth):
    _sign_up()
    token_hash = supabase_auth.outbox[0].token_hash
    url = f"/auth/confirm?token_hash={token_hash}&type=signup&next=https://evil.example/"
    assert Client().get(url)["Location"] == "/brands/"


@pytest.mark.parametrize(
    "query",
    [
        "token_hash=deadbeef&type=signup",  # unknown or used
        "type=signup",  # no token
        "token_hash=abc&type=sms",  # not an email link type
        "",
    ],
)
def test_bad_links_explain_what_to_do(supabase_auth, query):
    client = Client()
    response = client.get(f"/auth/confirm?{query}")
    assert response.status_code == 400
    assert b"This link no longer works" in response.content
    assert stored_tokens(client) is None


def test_a_link_works_once(supabase_auth):
    _sign_up()
    url = f"/auth/confirm?token_hash={supabase_auth.outbox[0].token_hash}&type=signup"
    assert Client().get(url).status_code == 302
    response = Client().get(url)
    assert response.status_code == 400
    assert b"expired or was already used" in response.content


def test_password_recovery_end_to_end(supabase_auth, carol):
    login_page = Client().get("/login").content.decode()
    assert 'href="/auth/forgot-password"' in login_page

    response = Client().post("/auth/forgot-password", {"email": "Carol@Example.com"})
    assert response.status_code == 200
    assert b"Check your email" in response.content
    recover = supabase_auth.requests_to("/recover")[0]
    assert recover.json() == {"email": "carol@example.com"}
    assert recover.param("redirect_to") == "http://testserver/auth/confirm"
    [mail] = supabase_auth.outbox

    client = Client()
    response = client.get(f"/auth/confirm?token_hash={mail.token_hash}&type=recovery")
    assert response.status_code == 302
    assert response["Location"] == "/auth/set-password"
    assert b"Choose a new password" in client.get("/auth/set-password").content

    response = client.post(
        "/auth/set-password",
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert supabase_auth.users["carol@example.com"].password == NEW_PASSWORD
    update = supabase_auth.requests_to("/user")[-1]
    assert update.method == "PUT" and update.json() == {"password": NEW_PASSWORD}
    assert update.headers["authorization"] == f"Bearer {stored_tokens(client)['access_token']}"
    log_in("carol@example.com", NEW_PASSWORD)


def test_recovery_for_an_unknown_address_looks_the_same(supabase_auth):
    response = Client().post("/auth/forgot-password", {"email": "nobody@example.com"})
    assert response.status_code == 200
    assert b"Check your email" in response.content
    assert supabase_auth.outbox == []


def test_recovery_email_rate_limit(supabase_auth, carol):
    supabase_auth.email_quota = 0
    response = Client().post("/auth/forgot-password", {"email": "carol@example.com"})
    assert response.status_code == 429
    assert b"email rate limit reached" in response.content


def test_set_password_rejects_a_weak_password_with_reasons(supabase_auth, carol):
    supabase_auth.pwned_passwords.add(NEW_PASSWORD)
    client = log_in("carol@example.com")
    response = client.post(
        "/auth/set-password", {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 400
    assert b"appeared in a data breach" in response.content
    assert supabase_auth.users["carol@example.com"].password == PASSWORD


def test_set_password_needs_login(supabase_auth):
    response = Client().get("/auth/set-password")
    assert response.status_code == 302
    assert response["Location"] == "/login?next=/auth/set-password"


@pytest.mark.parametrize("url", ["/auth/confirm?token_hash=x&type=signup", "/auth/forgot-password"])
def test_supabase_pages_do_not_exist_in_local_mode(db, url):
    assert Client().get(url).status_code == 404
