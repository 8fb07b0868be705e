"""Verification of Supabase access tokens.

The accepted algorithms are pinned, never taken on trust from the token header:
- HS256 only when `SUPABASE_JWT_SECRET` is set, and then only with that secret;
- ES256 / RS256 only with a public key from the project's JWKS
  (`SUPABASE_URL/auth/v1/.well-known/jwks.json`, users/jwks.py), chosen by `kid`, whose
  own type must match the header's `alg` (so a public key can never be an HMAC secret).
Anything else (`none`, HS512, EdDSA, …) is rejected. Claims checked: signature, `exp`
(no leeway), `iat` (not in the future beyond clock skew), `aud` = "authenticated",
`iss` = SUPABASE_URL/auth/v1, `sub` is a UUID. When the keys cannot be loaded the
check raises KeysUnavailable (not InvalidToken): the token may well be good.
Which Kairo account a valid token stands for (`user_for_access_token`), and when an
existing account may be linked to a Supabase identity, is users/linking.py.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

import jwt
from django.conf import settings

from users import jwks
from users.jwks import KeysUnavailable

__all__ = ["InvalidToken", "KeysUnavailable", "TokenExpired", "verify_access_token"]

AUDIENCE = "authenticated"
REQUIRED_CLAIMS = ["exp", "iat", "sub", "aud", "iss"]
CLOCK_SKEW_SECONDS = 60
MAX_TOKEN_LENGTH = 16_384


class InvalidToken(Exception):
    """The token must not be trusted. The message is safe to show (no token content)."""


class TokenExpired(InvalidToken):
    """Correctly signed but past `exp`: a refresh token may get a new one."""


def issuer() -> str:
    return f"{settings.SUPABASE_URL.rstrip('/')}/auth/v1"


def jwks_url() -> str:
    return f"{issuer()}/.well-known/jwks.json"


def reset_key_cache() -> None:
    jwks.reset()


# --- verification ------------------------------------------------------------------------
def _verification_key(header: dict[str, Any]) -> tuple[Any, str]:
    algorithm = header.get("alg")
    if algorithm == "HS256":
        secret = settings.SUPABASE_JWT_SECRET
        if not secret:
            raise InvalidToken("HS256 tokens are not accepted: no JWT secret is configured.")
        return secret, "HS256"
    if algorithm in jwks.ASYMMETRIC:
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise InvalidToken("The token names no signing key.")
        try:
            return jwks.public_key(jwks_url(), kid, algorithm), algorithm
        except jwks.UnknownKey:
            raise InvalidToken("The token was signed with an unknown key.") from None
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
