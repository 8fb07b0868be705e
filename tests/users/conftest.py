"""Supabase mode against the loopback double (fixtures: tests/fakes/supabase_fixtures.py)."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from tests.fakes.supabase import FakeUser
from users.supabase_api import TokenSet
from users.supabase_session import SESSION_KEY, seal, unseal

PASSWORD = "correct-horse-battery-staple"


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
    """The server-side Supabase tokens of the client's session (stored encrypted)."""
    tokens = unseal(client.session.get(SESSION_KEY))
    return tokens.as_dict() if tokens else None


def set_tokens(client: Client, **tokens) -> None:
    """Overwrites the server-side Supabase tokens of the client's session."""
    session = client.session
    current = unseal(session.get(SESSION_KEY))
    merged = {**(current.as_dict() if current else {}), **tokens}
    session[SESSION_KEY] = seal(TokenSet(**merged))
    session.save()


def expire_access_token(client: Client, fake, email: str) -> None:
    """Puts a correctly signed but expired access token of the same session in place."""
    tokens = stored_tokens(client)
    session_id = fake.refresh_tokens[tokens["refresh_token"]].session_id
    past = int(time.time()) - 7200
    expired = fake.mint(fake.users[email], session_id=session_id, iat=past, exp=past + 3600)
    set_tokens(client, access_token=expired, expires_at=past + 3600)
