from __future__ import annotations

import pytest
from django.test import Client

from tests.support.accounts import PASSWORD
from users.models import User

pytestmark = pytest.mark.django_db


def test_signup_creates_account_and_logs_in():
    client = Client()
    response = client.post("/signup", {"email": "New@Example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/brands/new/"
    user = User.objects.get(email="new@example.com")
    assert user.check_password(PASSWORD)
    assert client.get("/brands/").status_code == 200


def test_signup_rejects_existing_account(alice):
    response = Client().post("/signup", {"email": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 400
    assert b"already exists" in response.content


def test_signup_weak_password_lists_reasons():
    response = Client().post("/signup", {"email": "c@example.com", "password": "12345678"})
    assert response.status_code == 400
    assert b"one of the most common passwords" in response.content
    assert b"a password of only numbers is easy to guess" in response.content
    assert not User.objects.filter(email="c@example.com").exists()


def test_login_wrong_password(alice):
    response = Client().post("/login", {"email": "alice@example.com", "password": "nope-nope"})
    assert response.status_code == 400
    assert b"Wrong email or password" in response.content


def test_login_then_next_redirect(alice):
    client = Client()
    response = client.get("/brands/new/")
    assert response.status_code == 302
    assert response["Location"] == "/login?next=/brands/new/"
    response = client.post(
        "/login?next=/brands/new/",
        {"email": "alice@example.com", "password": PASSWORD, "next": "/brands/new/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/brands/new/"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "\\\\evil.example"],
)
def test_login_ignores_offsite_next(alice, target):
    response = Client().post(
        "/login", {"email": "alice@example.com", "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == "/brands/"


def test_login_cycles_session_key(alice):
    client = Client()
    client.get("/login")
    client.cookies["sessionid"] = "attacker-chosen-session"
    client.post("/login", {"email": "alice@example.com", "password": PASSWORD})
    assert client.cookies["sessionid"].value != "attacker-chosen-session"


def test_logout_requires_post_and_ends_session(alice_client):
    assert alice_client.get("/logout").status_code == 405
    response = alice_client.post("/logout")
    assert response.status_code == 302
    assert alice_client.get("/brands/").status_code == 302


def test_top_bar_shows_email_and_logout(alice_client):
    page = alice_client.get("/brands/").content.decode()
    assert "alice@example.com" in page
    assert 'action="/logout"' in page


def test_login_is_rate_limited_per_account(alice, settings):
    settings.LOGIN_RATE_LIMIT = 3
    client = Client()
    for _ in range(3):
        client.post("/login", {"email": "alice@example.com", "password": "wrong-wrong"})
    response = client.post("/login", {"email": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 429
    assert b"Too many login attempts" in response.content


def test_csrf_enforced_on_login(alice):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login", {"email": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 403
