"""A refusal for too many attempts answers 429 because `AuthResult.rate_limited` says
so, not because its message happens to contain "rate limit" (issue 19 §2)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.support.accounts import PASSWORD
from users import supabase_api
from users.results import AuthResult

pytestmark = pytest.mark.django_db


def test_the_status_comes_from_the_result_not_its_words(carol, supabase_auth, monkeypatch):
    monkeypatch.setitem(
        supabase_api.MESSAGES, "over_request_rate_limit", ("__all__", "Slow down a little.")
    )
    supabase_auth.rate_limited.add("token")
    response = Client().post("/login", {"email": "carol@example.com", "password": PASSWORD})
    assert response.status_code == 429
    assert b"Slow down a little." in response.content


def test_words_about_rate_limits_alone_are_not_a_429():
    said = AuthResult(errors={"__all__": ["Our rate limit policy changed."]})
    assert said.error_status == 400
    assert AuthResult(errors={"__all__": ["x"]}, rate_limited=True).error_status == 429
    assert AuthResult(errors={"__all__": ["x"]}, status=503).error_status == 503
