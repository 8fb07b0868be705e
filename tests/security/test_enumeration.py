"""No email enumeration at sign-up (Supabase mode): whether an address already has an
account — at Supabase, only in Kairo, or as staff — the page is the one a new address
gets when it must be confirmed (Supabase itself answers vaguely on purpose)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.support.accounts import PASSWORD
from users.models import User

pytestmark = pytest.mark.django_db


def sign_up_page(email: str) -> tuple[int, str]:
    response = Client().post("/signup", {"email": email, "password": PASSWORD})
    body = response.content.decode().replace(email, "EMAIL")
    return response.status_code, re.sub(
        r'csrf[^"]*"[^"]*"', "", re.sub(r"[A-Za-z0-9]{64}", "", body)
    )


def test_confirmation_on_a_taken_address_looks_like_a_new_one(supabase_auth):
    supabase_auth.add_user("taken@example.com", PASSWORD)  # confirmed at Supabase
    User.objects.create_user("local-only@example.com", PASSWORD)
    User.objects.create_superuser("staff@example.com", PASSWORD)
    new = sign_up_page("new@example.com")
    assert new[0] == 200 and "Check your email" in new[1]
    for email in ("taken@example.com", "local-only@example.com", "staff@example.com"):
        assert sign_up_page(email) == new, email


def test_confirmation_off_taken_addresses_all_look_the_same(supabase_auth):
    """With confirmation off a new address is signed in at once (Supabase decides that),
    but every kind of taken address gets one and the same page — never "already exists"."""
    supabase_auth.confirm_email = False
    supabase_auth.add_user("taken@example.com", PASSWORD)
    User.objects.create_user("local-only@example.com", PASSWORD)
    User.objects.create_superuser("staff@example.com", PASSWORD)
    pages = {
        email: sign_up_page(email)
        for email in ("taken@example.com", "local-only@example.com", "staff@example.com")
    }
    assert len(set(pages.values())) == 1, pages.keys()
    status, body = pages["taken@example.com"]
    assert status == 200 and "Check your email" in body
    assert "already" not in body.split("<h1>", 1)[1].split("</p>", 1)[0]


def test_the_page_never_says_already_exists(supabase_auth):
    supabase_auth.add_user("taken@example.com", PASSWORD)
    _, body = sign_up_page("taken@example.com")
    assert "already exists" not in body.lower()
