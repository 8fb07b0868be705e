"""Hand-made hostile tokens (pyjwt refuses to make some of them, on purpose)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from cryptography.hazmat.primitives import serialization


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _segments(header: dict[str, Any], claims: dict[str, Any]) -> str:
    return f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(claims).encode())}"


def unsigned(claims: dict[str, Any], alg: str = "none") -> str:
    return _segments({"alg": alg, "typ": "JWT"}, claims) + "."


def hs256(claims: dict[str, Any], secret: bytes, kid: str | None = None, alg: str = "HS256") -> str:
    """HMAC-signed with any bytes as the secret (HS512 too, with alg="HS512")."""
    header = {"alg": alg, "typ": "JWT", **({"kid": kid} if kid else {})}
    signing_input = _segments(header, claims)
    digest = hashlib.sha512 if alg == "HS512" else hashlib.sha256
    signature = hmac.new(secret, signing_input.encode(), digest).digest()
    return f"{signing_input}.{b64url(signature)}"


def with_header(token: str, header: dict[str, Any]) -> str:
    """The same payload and signature under another header."""
    _, payload, signature = token.split(".")
    return f"{b64url(json.dumps(header).encode())}.{payload}.{signature}"


def public_pem(private_key: Any) -> bytes:
    return private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def tampered(token: str, **changes: Any) -> str:
    """The same header and signature over a modified payload."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims.update(changes)
    return f"{header}.{b64url(json.dumps(claims).encode())}.{signature}"
