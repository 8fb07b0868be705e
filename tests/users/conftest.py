"""Supabase mode against the loopback double (fixtures: tests/fakes/supabase_fixtures.py;
signing in and a session's tokens: tests/support/accounts.py)."""

from __future__ import annotations

import pytest

from tests.fakes.supabase import FakeUser
from tests.support.accounts import PASSWORD


@pytest.fixture
def carol(supabase_auth) -> FakeUser:
    """A confirmed Supabase account (no Kairo row until first sight)."""
    return supabase_auth.add_user("carol@example.com", PASSWORD)
