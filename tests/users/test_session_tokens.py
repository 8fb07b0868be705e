"""Supabase tokens kept in sessions are encrypted with the server's MultiFernet (the
ENCRYPTION_KEY machinery of users' API keys), and rotate with it."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.management import call_command

from tests.support.accounts import expire_access_token, log_in, set_tokens, stored_tokens
from users.supabase_session import SESSION_KEY, _rotation_key

OLD = Fernet.generate_key().decode()
NEW = Fernet.generate_key().decode()


def raw_session(client) -> str:
    row = Session.objects.get(session_key=client.session.session_key)
    return json.dumps(row.get_decoded()) + row.session_data


def test_the_session_table_holds_no_token_in_the_clear(carol):
    client = log_in("carol@example.com")
    tokens = stored_tokens(client)
    stored = raw_session(client)
    assert tokens["refresh_token"] not in stored
    assert tokens["access_token"] not in stored
    assert isinstance(client.session[SESSION_KEY], str)  # a Fernet token, not a dict


def test_tokens_handed_between_racing_requests_are_encrypted_too(supabase_auth, carol):
    client = log_in("carol@example.com")
    expire_access_token(client, supabase_auth, "carol@example.com")
    old_refresh = stored_tokens(client)["refresh_token"]
    assert client.get("/brands/").status_code == 200
    shared = cache.get(_rotation_key(old_refresh))
    assert isinstance(shared, str)
    assert stored_tokens(client)["refresh_token"] not in shared


def test_rotation_re_encrypts_sessions_under_the_new_key(carol, settings):
    settings.ENCRYPTION_KEY = OLD
    client = log_in("carol@example.com")
    before = client.session[SESSION_KEY]
    settings.ENCRYPTION_KEY = f"{NEW},{OLD}"
    out = StringIO()
    call_command("rotate_encryption_keys", stdout=out)
    assert "sign-in tokens of 1 session(s)" in out.getvalue()
    assert client.session[SESSION_KEY] != before
    settings.ENCRYPTION_KEY = NEW  # the old key is gone: the session still works
    assert client.get("/brands/").status_code == 200


def test_a_session_no_key_opens_is_logged_out_cleanly(carol, settings):
    settings.ENCRYPTION_KEY = OLD
    client = log_in("carol@example.com")
    settings.ENCRYPTION_KEY = NEW  # removed without rotating
    response = client.get("/brands/")
    assert response.status_code == 302 and response["Location"].startswith("/login")
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize("legacy", [{"access_token": "a", "refresh_token": "r", "expires_at": 1}])
def test_plaintext_tokens_of_earlier_versions_are_not_trusted(carol, legacy):
    client = log_in("carol@example.com")
    set_tokens(client)  # a valid sealed session…
    session = client.session
    session[SESSION_KEY] = legacy  # …replaced by the plaintext form of earlier versions
    session.save()
    assert client.get("/brands/").status_code == 302
