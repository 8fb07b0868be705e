"""Data of the Supabase Auth double (tests/fakes/supabase.py): accounts, refresh
tokens, sent emails, signing keys, and GoTrue's error codes and messages."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

ERRORS: dict[str, tuple[int, str, str]] = {  # name: (HTTP status, error code, message)
    "rate_limited": (429, "over_request_rate_limit", "Request rate limit reached"),
    "email_rate_limited": (429, "over_email_send_rate_limit", "email rate limit exceeded"),
    "no_authorization": (401, "no_authorization", "This endpoint requires a valid Bearer token"),
    "session_gone": (
        403,
        "session_not_found",
        "Session from session_id claim in JWT does not exist",
    ),
    "user_gone": (403, "user_not_found", "User from sub claim in JWT does not exist"),
    "no_email": (400, "validation_failed", "To signup, please provide your email"),
    "bad_email": (400, "validation_failed", "Unable to validate email address: invalid format"),
    "no_password": (400, "validation_failed", "Signup requires a valid password"),
    "user_already_exists": (422, "user_already_exists", "User already registered"),
    "invalid_credentials": (400, "invalid_credentials", "Invalid login credentials"),
    "email_not_confirmed": (400, "email_not_confirmed", "Email not confirmed"),
    "unsupported_grant": (400, "invalid_credentials", "unsupported_grant_type"),
    "refresh_token_not_found": (
        400,
        "refresh_token_not_found",
        "Invalid Refresh Token: Refresh Token Not Found",
    ),
    "refresh_session_gone": (400, "session_not_found", "Invalid Refresh Token: Session Not Found"),
    "refresh_token_already_used": (
        400,
        "refresh_token_already_used",
        "Invalid Refresh Token: Already Used",
    ),
    "recover_no_email": (422, "validation_failed", "Password recovery requires an email"),
    "verify_no_type": (400, "validation_failed", "Verify requires a verification type"),
    "otp_expired": (403, "otp_expired", "Email link is invalid or has expired"),
    "otp_disabled": (422, "otp_disabled", "Signups not allowed for otp"),
    "same_password": (
        422,
        "same_password",
        "New password should be different from the old password.",
    ),
}


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


@dataclass
class FakeUser:
    email: str
    password: str
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    confirmed: bool = False
    created_at: str = field(default_factory=now_iso)


@dataclass
class RefreshToken:
    token: str
    user_id: str
    session_id: str
    revoked_at: float | None = None


@dataclass
class Mail:
    type: str  # "signup" | "recovery" | "magiclink"
    email: str
    token_hash: str


@dataclass
class SigningKey:
    kid: str
    algorithm: str
    private: Any

    def public_jwk(self) -> dict[str, Any]:
        to_jwk = ECAlgorithm.to_jwk if self.algorithm == "ES256" else RSAAlgorithm.to_jwk
        jwk = to_jwk(self.private.public_key(), as_dict=True)
        return {**jwk, "kid": self.kid, "alg": self.algorithm, "use": "sig", "key_ops": ["verify"]}


def user_json(user: FakeUser) -> dict[str, Any]:
    """GoTrue's User object for `user`."""
    data: dict[str, Any] = {
        "id": user.id,
        "aud": "authenticated",
        "role": "authenticated",
        "email": user.email,
        "phone": "",
        "app_metadata": {"provider": "email", "providers": ["email"]},
        "user_metadata": {"email_verified": user.confirmed},
        "identities": [
            {
                "identity_id": str(uuid.uuid4()),
                "id": user.id,
                "user_id": user.id,
                "provider": "email",
                "identity_data": {"email": user.email, "sub": user.id},
            }
        ],
        "created_at": user.created_at,
        "updated_at": now_iso(),
        "is_anonymous": False,
    }
    if user.confirmed:
        data["email_confirmed_at"] = data["confirmed_at"] = user.created_at
    else:
        data["confirmation_sent_at"] = now_iso()
    return data


def new_signing_key(algorithm: str = "ES256") -> SigningKey:
    if algorithm == "ES256":
        private: Any = ec.generate_private_key(ec.SECP256R1())
    else:
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return SigningKey(kid=str(uuid.uuid4()), algorithm=algorithm, private=private)
