"""Where the cursor starts on log in and sign-up, and the way from one to the other."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def autofocused(html: str) -> list[str]:
    return re.findall(r'<input[^>]*name="(\w+)"[^>]*autofocus', html) + re.findall(
        r'<input[^>]*autofocus[^>]*name="(\w+)"', html
    )


def test_login_starts_in_email():
    assert autofocused(Client().get("/login").content.decode()) == ["email"]


def test_wrong_password_keeps_the_email_and_starts_in_password(alice):
    response = Client().post("/login", {"email": "alice@example.com", "password": "wrong"})
    html = response.content.decode()
    assert response.status_code == 400 and "Wrong email or password." in html
    assert 'value="alice@example.com"' in html
    assert autofocused(html) == ["password"]


def test_a_bad_email_keeps_the_cursor_in_email():
    response = Client().post("/login", {"email": "not-an-email", "password": "whatever"})
    assert autofocused(response.content.decode()) == ["email"]


def test_login_link_with_an_email_fills_it_in():
    html = Client().get("/login?email=alice%40example.com").content.decode()
    assert 'value="alice@example.com"' in html
    assert autofocused(html) == ["password"]


def test_existing_account_on_sign_up_links_to_log_in(alice):
    response = Client().post(
        "/signup", {"email": "alice@example.com", "password": "a-long-enough-passphrase"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert (
        'An account with this email already exists. <a href="/login?email=alice%40example.com">'
        "Log in instead</a>." in html
    )


def test_a_refused_password_on_sign_up_starts_in_password():
    response = Client().post("/signup", {"email": "new@example.com", "password": "abc"})
    html = response.content.decode()
    assert "Use at least 8 characters (you have 3)." in html
    assert autofocused(html) == ["password"]
