"""Verification of Supabase access tokens, and the Kairo user a valid token stands for.

The accepted algorithms are pinned, never taken on trust from the token header:
- HS256 only when `SUPABASE_JWT_SECRET` is set, and then only with that secret;
- ES256 / RS256 only with a public key from the project's JWKS
  (`SUPABASE_URL/auth/v1/.well-known/jwks.json`), chosen by `kid`, whose own type must
  match the header's `alg` (so a public key can never be used as an HMAC secret).
Anything else (`none`, HS512, EdDSA, …) is rejected. The JWKS is cached for at most
10 minutes (Supabase's guidance) and fetched again, at most every
UNKNOWN_KID_REFETCH_SECONDS, when a token names a `kid` it does not hold (key rotation).
Claims checked: signature, `exp` (no leeway), `iat` (not in the future beyond clock
skew), `aud` = "authenticated", `iss` = SUPABASE_URL/auth/v1, `sub` is a UUID.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import jwt
from django.conf import settings
from django.db import IntegrityError, transaction

from users.models import User

logger = logging.getLogger(__name__)

AUDIENCE = "authenticated"
REQUIRED_CLAIMS = ["exp", "iat", "sub", "aud", "iss"]
ASYMMETRIC = {"ES256": ("EC", "P-256"), "RS256": ("RSA", None)}
JWKS_TTL_SECONDS = 600.0
UNKNOWN_KID_REFETCH_SECONDS = 30.0
CLOCK_SKEW_SECONDS = 60
MAX_TOKEN_LENGTH = 16_384
JWKS_TIMEOUT = httpx.Timeout(5.0)


class InvalidToken(Exception):
    """The token must not be trusted. The message is safe to show (no token content)."""


class TokenExpired(InvalidToken):
    """Correctly signed but past `exp`: a refresh token may get a new one."""


class KeysUnavailable(InvalidToken):
    """The JWKS could not be fetched: the token may be fine, the check could not run."""


def issuer() -> str:
    return f"{settings.SUPABASE_URL.rstrip('/')}/auth/v1"


def jwks_url() -> str:
    return f"{issuer()}/.well-known/jwks.json"


# --- JWKS cache --------------------------------------------------------------------------
@dataclass(frozen=True)
class _KeySet:
    url: str
    keys: dict[str, tuple[str, Any]]  # kid -> (algorithm, public key)
    fetched_at: float


_clock = time.monotonic  # replaced in tests to step past the cache lifetimes
_jwks_lock = threading.Lock()
_keyset: _KeySet | None = None
_last_unknown_kid_fetch: dict[str, float] = {}


def reset_key_cache() -> None:
    global _keyset
    with _jwks_lock:
        _keyset = None
        _last_unknown_kid_fetch.clear()


def _parse_jwk(jwk: Any) -> tuple[str, str, Any] | None:
    """(kid, algorithm, public key) for a usable signing key, else None."""
    if not isinstance(jwk, dict) or not isinstance(jwk.get("kid"), str):
        return None
    algorithm = next(
        (
            name
            for name, (kty, crv) in ASYMMETRIC.items()
            if jwk.get("kty") == kty and (crv is None or jwk.get("crv") == crv)
        ),
        None,
    )
    if algorithm is None:
        return None  # symmetric ("oct") or unsupported keys are never used
    if jwk.get("alg", algorithm) != algorithm or jwk.get("use", "sig") != "sig":
        return None
    if "key_ops" in jwk and "verify" not in (jwk["key_ops"] or []):
        return None
    try:
        return jwk["kid"], algorithm, jwt.PyJWK(jwk, algorithm=algorithm).key
    except (jwt.PyJWKError, jwt.InvalidKeyError, ValueError, TypeError):
        return None


def _fetch_keyset(url: str) -> _KeySet:
    try:
        response = httpx.get(
            url, headers={"apikey": settings.SUPABASE_ANON_KEY}, timeout=JWKS_TIMEOUT
        )
        response.raise_for_status()
        entries = response.json().get("keys") or []
    except (httpx.HTTPError, ValueError, AttributeError) as exc:
        logger.warning("Supabase JWKS fetch failed: %s", type(exc).__name__)
        raise KeysUnavailable("The sign-in keys could not be loaded. Try again.") from None
    keys: dict[str, tuple[str, Any]] = {}
    for entry in entries if isinstance(entries, list) else []:
        parsed = _parse_jwk(entry)
        if parsed:
            keys[parsed[0]] = (parsed[1], parsed[2])
    return _KeySet(url=url, keys=keys, fetched_at=_clock())


def _public_key(kid: str, algorithm: str) -> Any:
    global _keyset
    url = jwks_url()
    with _jwks_lock:
        now = _clock()
        keyset = _keyset
        if keyset is None or keyset.url != url or now - keyset.fetched_at >= JWKS_TTL_SECONDS:
            keyset = _keyset = _fetch_keyset(url)
        elif kid not in keyset.keys:
            last = _last_unknown_kid_fetch.get(url)
            if last is None or now - last >= UNKNOWN_KID_REFETCH_SECONDS:
                _last_unknown_kid_fetch[url] = now
                keyset = _keyset = _fetch_keyset(url)
    found = keyset.keys.get(kid)
    if found is None:
        raise InvalidToken("The token was signed with an unknown key.")
    key_algorithm, key = found
    if key_algorithm != algorithm:
        raise InvalidToken("The token's algorithm does not match its key.")
    return key


# --- verification ------------------------------------------------------------------------
def _verification_key(header: dict[str, Any]) -> tuple[Any, str]:
    algorithm = header.get("alg")
    if algorithm == "HS256":
        secret = settings.SUPABASE_JWT_SECRET
        if not secret:
            raise InvalidToken("HS256 tokens are not accepted: no JWT secret is configured.")
        return secret, "HS256"
    if algorithm in ASYMMETRIC:
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise InvalidToken("The token names no signing key.")
        return _public_key(kid, algorithm), algorithm
    raise InvalidToken("The token's signing algorithm is not accepted.")


def verify_access_token(token: str) -> dict[str, Any]:
    """The claims of a valid Supabase access token; raises InvalidToken otherwise."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        raise InvalidToken("Missing or oversized token.")
    if not settings.SUPABASE_URL:
        raise InvalidToken("Supabase Auth is not configured.")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise InvalidToken("Malformed token.") from None
    key, algorithm = _verification_key(header)
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[algorithm],
            audience=AUDIENCE,
            issuer=issuer(),
            options={"require": REQUIRED_CLAIMS, "verify_iat": False},
            leeway=0,
        )
    except jwt.ExpiredSignatureError:
        raise TokenExpired("The token has expired.") from None
    except jwt.PyJWTError as exc:
        raise InvalidToken(f"Invalid token ({type(exc).__name__}).") from None
    iat = claims["iat"]
    if not isinstance(iat, int | float) or iat > time.time() + CLOCK_SKEW_SECONDS:
        raise InvalidToken("The token's issue time is invalid.")
    if not isinstance(claims["sub"], str):
        raise InvalidToken("The token has no valid subject.")
    try:
        uuid.UUID(claims["sub"])
    except ValueError:
        raise InvalidToken("The token has no valid subject.") from None
    return claims


# --- users -------------------------------------------------------------------------------
def user_for_access_token(token: str) -> User:
    """The Kairo user for a valid token, created on first sight (keyed by `sub`)."""
    return user_for_claims(verify_access_token(token))


def user_for_claims(claims: dict[str, Any]) -> User:
    uid = uuid.UUID(claims["sub"])
    email = str(claims.get("email") or "").strip().lower()
    user = User.objects.filter(supabase_uid=uid).first()
    if user is None:
        user = _create_or_link(uid, email)
    elif email and user.email != email:
        _follow_email_change(user, email)
    if not user.is_active:
        raise InvalidToken("This account is disabled.")
    return user


def _create_or_link(uid: uuid.UUID, email: str) -> User:
    # Accounts without an email (phone sign-in) still need a unique address here.
    email = email or f"{uid}@users.invalid"
    try:
        with transaction.atomic():
            local = User.objects.select_for_update().filter(email__iexact=email).first()
            if local is None:
                return User.objects.create_user(email=email, supabase_uid=uid)
            if local.supabase_uid is not None:
                raise InvalidToken("This email belongs to another Kairo account.")
            local.supabase_uid = uid  # an account from before Supabase: link it
            local.save(update_fields=["supabase_uid"])
            return local
    except IntegrityError:
        # A concurrent request created the row first.
        user = User.objects.filter(supabase_uid=uid).first()
        if user is None:
            raise InvalidToken("This email belongs to another Kairo account.") from None
        return user


def _follow_email_change(user: User, email: str) -> None:
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        return
    user.email = email
    try:
        with transaction.atomic():
            user.save(update_fields=["email"])
    except IntegrityError:
        user.refresh_from_db(fields=["email"])
