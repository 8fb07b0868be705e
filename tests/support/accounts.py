"""The test accounts' password, signing in through the login form, and the server-side
Supabase tokens a signed-in session holds (stored encrypted in the session)."""

from __future__ import annotations

import time

from django.test import Client

from users.supabase_api import TokenSet
from users.supabase_session import SESSION_KEY, seal, unseal

PASSWORD = "correct-horse-battery-staple"


def log_in(email: str, password: str = PASSWORD) -> Client:
    client = Client()
    response = client.post("/login", {"email": email, "password": password})
    assert response.status_code == 302, response.content.decode()[:2000]
    return client


def stored_tokens(client: Client) -> dict | None:
    """The server-side Supabase tokens of the client's session."""
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
    assert tokens is not None, "the session holds no Supabase tokens"
    session_id = fake.refresh_tokens[tokens["refresh_token"]].session_id
    past = int(time.time()) - 7200
    expired = fake.mint(fake.users[email], session_id=session_id, iat=past, exp=past + 3600)
    set_tokens(client, access_token=expired, expires_at=past + 3600)
