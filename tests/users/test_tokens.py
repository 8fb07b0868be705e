"""Forged and broken access tokens are rejected everywhere a token is accepted:
as `Authorization: Bearer` on the API, in a logged-in session, and in a login answer."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable

import pytest
from django.test import Client
from rest_framework.decorators import api_view
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory

from tests.fakes.supabase import FakeSupabaseAuth, FakeUser, new_signing_key
from tests.support.accounts import PASSWORD, log_in, set_tokens, stored_tokens
from tests.users import forge
from users import jwks
from users.models import User


@api_view(["GET"])
def whoami(request) -> Response:
    return Response({"email": request.user.email})


def bearer(token: str):
    request = APIRequestFactory().get("/api/whoami/", HTTP_AUTHORIZATION=f"Bearer {token}")
    return whoami(request)


Forgery = Callable[[FakeSupabaseAuth, FakeUser], str]
PAST = int(time.time()) - 7200


def _claims(fake: FakeSupabaseAuth, user: FakeUser, **overrides) -> dict:
    return fake.claims_for(user, **overrides)


def _foreign_key_same_kid(fake: FakeSupabaseAuth, user: FakeUser) -> str:
    attacker = new_signing_key(fake.algorithm if fake.algorithm != "HS256" else "ES256")
    attacker.kid = fake.signing_key.kid if fake.keys else attacker.kid
    return fake.sign(_claims(fake, user), key=attacker)


COMMON: dict[str, Forgery] = {
    "alg_none": lambda f, u: forge.unsigned(_claims(f, u)),
    "alg_None_capitalised": lambda f, u: forge.unsigned(_claims(f, u), alg="None"),
    "expired": lambda f, u: f.mint(u, iat=PAST, exp=PAST + 3600),
    "wrong_aud": lambda f, u: f.mint(u, aud="anon"),
    "aud_list_without_authenticated": lambda f, u: f.mint(u, aud=["anon", "service"]),
    "wrong_iss": lambda f, u: f.mint(u, iss="https://evil.supabase.co/auth/v1"),
    "iss_of_other_project_prefix": lambda f, u: f.mint(u, iss=f.issuer + ".evil"),
    "missing_exp": lambda f, u: f.mint(u, exp=None),
    "missing_sub": lambda f, u: f.mint(u, sub=None),
    "sub_not_uuid": lambda f, u: f.mint(u, sub="admin"),
    "issued_in_the_future": lambda f, u: f.mint(u, iat=int(time.time()) + 3600),
    "tampered_payload": lambda f, u: forge.tampered(
        f.mint(u), sub=str(uuid.uuid4()), email="mallory@example.com"
    ),
    "stripped_signature": lambda f, u: f.mint(u).rsplit(".", 1)[0] + ".",
    "unknown_kid": lambda f, u: f.sign(_claims(f, u), key=new_signing_key("ES256")),
    "foreign_key_with_known_kid": _foreign_key_same_kid,
    "garbage": lambda f, u: "not-a-jwt",
    "garbage_segments": lambda f, u: "a.b.c",
    "hs512_with_the_right_secret": lambda f, u: forge.hs256(
        _claims(f, u), f.jwt_secret.encode(), alg="HS512"
    ),
}
ASYMMETRIC_ONLY: dict[str, Forgery] = {
    "hs256_signed_with_public_key_pem": lambda f, u: forge.hs256(
        _claims(f, u), forge.public_pem(f.signing_key.private), kid=f.signing_key.kid
    ),
    "hs256_signed_with_public_jwk": lambda f, u: forge.hs256(
        _claims(f, u), json.dumps(f.signing_key.public_jwk()).encode(), kid=f.signing_key.kid
    ),
    "rs256_header_on_es256_key": lambda f, u: forge.with_header(
        f.mint(u), {"alg": "RS256", "typ": "JWT", "kid": f.signing_key.kid}
    ),
}
HS256_ONLY: dict[str, Forgery] = {
    "hs256_wrong_secret": lambda f, u: forge.hs256(_claims(f, u), b"guessed-secret"),
    "legacy_anon_key": lambda f, u: forge.hs256(
        {"iss": "supabase", "role": "anon", "iat": PAST, "exp": PAST + 10**8},
        f.jwt_secret.encode(),
    ),
    "es256_without_published_keys": lambda f, u: f.sign(
        _claims(f, u), key=new_signing_key("ES256")
    ),
}
ES256_CASES = {**COMMON, **ASYMMETRIC_ONLY}
HS256_CASES = {**COMMON, **HS256_ONLY}


@pytest.fixture
def victim(supabase_auth) -> FakeUser:
    return supabase_auth.add_user("carol@example.com", PASSWORD)


def test_a_real_token_is_accepted_as_bearer(any_supabase_auth):
    user = any_supabase_auth.add_user("carol@example.com", PASSWORD)
    response = bearer(any_supabase_auth.mint(user))
    assert response.status_code == 200
    assert response.data == {"email": "carol@example.com"}
    assert str(User.objects.get(email="carol@example.com").supabase_uid) == user.id


@pytest.mark.parametrize("case", ES256_CASES)
def test_forged_bearer_token_is_rejected(supabase_auth, victim, case):
    assert bearer(supabase_auth.mint(victim)).status_code == 200  # keys warm, row exists
    response = bearer(ES256_CASES[case](supabase_auth, victim))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert User.objects.count() == 1


@pytest.mark.parametrize("case", HS256_CASES)
def test_forged_bearer_token_is_rejected_with_hs256(hs256_supabase_auth, case):
    fake = hs256_supabase_auth
    victim = fake.add_user("carol@example.com", PASSWORD)
    assert bearer(fake.mint(victim)).status_code == 200
    assert bearer(HS256_CASES[case](fake, victim)).status_code == 401


def test_hs256_is_refused_when_only_asymmetric_keys_are_configured(supabase_auth, victim, settings):
    # Even a token correctly signed with *some* HS256 secret: no secret is configured.
    assert settings.SUPABASE_JWT_SECRET == ""
    token = forge.hs256(supabase_auth.claims_for(victim), supabase_auth.jwt_secret.encode())
    assert bearer(token).status_code == 401


@pytest.mark.parametrize("case", ES256_CASES)
def test_forged_token_in_the_session_logs_out(supabase_auth, victim, case):
    client = log_in("carol@example.com")
    assert client.get("/brands/").status_code == 200
    set_tokens(client, access_token=ES256_CASES[case](supabase_auth, victim))
    if case == "expired":  # correctly signed: a refresh is tried, with a dead refresh token
        set_tokens(client, refresh_token="not-a-real-refresh-token")
    response = client.get("/brands/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login")
    assert stored_tokens(client) is None
    refreshes = [
        r for r in supabase_auth.requests_to("/token") if r.param("grant_type") == "refresh_token"
    ]
    assert len(refreshes) == (1 if case == "expired" else 0)


@pytest.mark.parametrize("case", ES256_CASES)
def test_forged_token_in_a_login_answer_is_rejected(supabase_auth, victim, case):
    supabase_auth.forged_access_token = ES256_CASES[case](supabase_auth, victim)
    client = Client()
    response = client.post("/login", {"email": "carol@example.com", "password": PASSWORD})
    assert response.status_code == 400
    assert b"could not be verified" in response.content
    assert stored_tokens(client) is None
    assert client.get("/brands/").status_code == 302


def test_unknown_kid_refetches_the_jwks_once_then_rejects(supabase_auth, victim, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(jwks, "_clock", lambda: now[0])
    jwks_calls = lambda: len(supabase_auth.requests_to("/.well-known/jwks.json"))  # noqa: E731
    assert bearer(supabase_auth.mint(victim)).status_code == 200
    assert jwks_calls() == 1
    unknown = supabase_auth.sign(supabase_auth.claims_for(victim), key=new_signing_key())
    assert bearer(unknown).status_code == 401
    assert jwks_calls() == 2  # refetched in case of a rotation; still unknown
    # A flood of made-up kids does not turn into a flood of JWKS fetches.
    for _ in range(5):
        assert (
            bearer(
                supabase_auth.sign(supabase_auth.claims_for(victim), key=new_signing_key())
            ).status_code
            == 401
        )
    assert jwks_calls() == 2
    now[0] += jwks.UNKNOWN_KID_REFETCH_SECONDS
    assert bearer(unknown).status_code == 401
    assert jwks_calls() == 3


def test_disabled_account_is_rejected(supabase_auth, victim):
    assert bearer(supabase_auth.mint(victim)).status_code == 200
    User.objects.filter(email="carol@example.com").update(is_active=False)
    assert bearer(supabase_auth.mint(victim)).status_code == 401


def test_email_change_at_supabase_follows(supabase_auth, victim):
    assert bearer(supabase_auth.mint(victim)).status_code == 200
    victim.email = "carol.new@example.com"
    assert bearer(supabase_auth.mint(victim)).data == {"email": "carol.new@example.com"}
    assert User.objects.get().email == "carol.new@example.com"


def test_public_key_as_hmac_secret_fails_even_with_a_legacy_secret_set(
    supabase_auth, victim, settings
):
    settings.SUPABASE_JWT_SECRET = "legacy-project-secret-still-configured-here"
    key = supabase_auth.signing_key
    token = forge.hs256(
        supabase_auth.claims_for(victim), forge.public_pem(key.private), kid=key.kid
    )
    assert bearer(token).status_code == 401
    legacy = forge.hs256(supabase_auth.claims_for(victim), settings.SUPABASE_JWT_SECRET.encode())
    assert bearer(legacy).status_code == 200  # the configured secret itself still works
