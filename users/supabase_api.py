"""Supabase Auth (GoTrue) REST calls over httpx, and what their errors mean to a user.

Every call sends `apikey` and `X-Supabase-Api-Version: 2024-01-01`, so error bodies come
as `{"code": "<error_code>", "message": …}`. Errors are told apart by that code (Supabase
uses HTTP 400 and 422 interchangeably); the older `error_code`, the OAuth-style `error`
and the `x-sb-error-code` header are read too, and a non-JSON gateway page is tolerated.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import httpx
from django.conf import settings

from users.results import EXISTING_ACCOUNT, WRONG_CREDENTIALS, AuthResult

logger = logging.getLogger(__name__)

API_VERSION = "2024-01-01"
TIMEOUT = httpx.Timeout(10.0, connect=5.0)
# Codes of failures that say nothing about the credentials or tokens themselves.
TRANSIENT_CODES = {
    "timeout",
    "unreachable",
    "bad_response",
    "over_request_rate_limit",
    "conflict",
    "unexpected_failure",
    "request_timeout",
}


class AuthApiError(Exception):
    def __init__(
        self, code: str, message: str = "", status: int = 0, reasons: Iterable[object] = ()
    ) -> None:
        super().__init__(f"{code} ({status}): {message}")
        self.code = code
        self.message = message
        self.status = status
        self.reasons: tuple[str, ...] = tuple(str(r) for r in reasons)

    @property
    def transient(self) -> bool:
        return self.code in TRANSIENT_CODES or self.status >= 500


@dataclass(frozen=True)
class TokenSet:
    access_token: str
    refresh_token: str
    expires_at: int

    @classmethod
    def from_response(cls, body: Any) -> TokenSet:
        try:
            access, refresh = body["access_token"], body["refresh_token"]
            if not (isinstance(access, str) and access and isinstance(refresh, str) and refresh):
                raise ValueError
            expires_at = body.get("expires_at") or int(time.time()) + int(body["expires_in"])
            return cls(access, refresh, int(expires_at))
        except (KeyError, TypeError, ValueError, AttributeError):
            raise AuthApiError("bad_response", "The session in the answer is incomplete.") from None

    @classmethod
    def from_dict(cls, data: Any) -> TokenSet | None:
        try:
            return cls.from_response(data)
        except AuthApiError:
            return None

    def as_dict(self) -> dict[str, Any]:
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "expires_at": self.expires_at,
        }


# --- transport ---------------------------------------------------------------------------
_client_lock = threading.Lock()
_client: httpx.Client | None = None


def _http() -> httpx.Client:
    """One pooled client per process (keep-alive to Supabase); thread-safe."""
    global _client
    with _client_lock:
        if _client is None:
            _client = httpx.Client(timeout=TIMEOUT, follow_redirects=False)
        return _client


def _error_from(response: httpx.Response) -> AuthApiError:
    body: Any = {}
    if "json" in response.headers.get("content-type", ""):
        try:
            body = response.json()
        except ValueError:
            body = {}
    if not isinstance(body, dict):
        body = {}
    code = body.get("code") if isinstance(body.get("code"), str) else body.get("error_code")
    code = code or response.headers.get("x-sb-error-code") or body.get("error")
    if not code:
        code = "over_request_rate_limit" if response.status_code == 429 else "unexpected_failure"
    message = body.get("message") or body.get("msg") or body.get("error_description") or ""
    weak = body.get("weak_password") if isinstance(body.get("weak_password"), dict) else {}
    listed = weak.get("reasons") if weak else None
    reasons: list[object] = listed if isinstance(listed, list) else []
    return AuthApiError(str(code), str(message), response.status_code, reasons)


def _call(
    method: str,
    path: str,
    *,
    body: dict[str, Any] | None = None,
    params: dict[str, str] | None = None,
    access_token: str | None = None,
) -> dict[str, Any]:
    """The JSON object Supabase answered (`{}` for an empty answer); raises AuthApiError."""
    headers = {
        "apikey": settings.SUPABASE_ANON_KEY,
        "X-Supabase-Api-Version": API_VERSION,
        "Accept": "application/json",
    }
    if access_token:
        headers["Authorization"] = f"Bearer {access_token}"
    url = f"{settings.SUPABASE_URL.rstrip('/')}/auth/v1{path}"
    try:
        response = _http().request(method, url, json=body, params=params, headers=headers)
    except httpx.TimeoutException:
        raise AuthApiError("timeout", "Supabase Auth did not answer in time.") from None
    except httpx.HTTPError as exc:
        logger.warning("Supabase Auth unreachable: %s", type(exc).__name__)
        raise AuthApiError("unreachable", "Supabase Auth could not be reached.") from None
    if response.is_success:
        if response.status_code == 204 or not response.content:
            return {}
        try:
            answer = response.json()
        except ValueError:
            raise AuthApiError("bad_response", "Supabase Auth answered with non-JSON.") from None
        if not isinstance(answer, dict):
            raise AuthApiError("bad_response", "Supabase Auth answered with no JSON object.")
        return answer
    error = _error_from(response)
    if error.code == "unexpected_failure" and response.status_code in (401, 403):
        logger.error("Supabase API gateway refused the request: check SUPABASE_ANON_KEY")
    logger.info("Supabase Auth %s %s failed: %s", method, path, error.code)
    raise error


# --- endpoints ---------------------------------------------------------------------------
def sign_up(email: str, password: str, redirect_to: str | None = None) -> dict[str, Any]:
    """A session (confirmation off) or a bare User (confirmation on)."""
    params = {"redirect_to": redirect_to} if redirect_to else None
    return _call("POST", "/signup", body={"email": email, "password": password}, params=params)


def password_grant(email: str, password: str) -> dict[str, Any]:
    return _call(
        "POST",
        "/token",
        params={"grant_type": "password"},
        body={"email": email, "password": password},
    )


def refresh_grant(refresh_token: str) -> TokenSet:
    body = _call(
        "POST",
        "/token",
        params={"grant_type": "refresh_token"},
        body={"refresh_token": refresh_token},
    )
    return TokenSet.from_response(body)


def logout(access_token: str, scope: str = "global") -> None:
    """Ends sessions at Supabase: "global" (all of the user's), "local" (this one) or
    "others" (all but this one)."""
    _call("POST", "/logout", params={"scope": scope}, access_token=access_token)


def send_magic_link(email: str, redirect_to: str | None = None) -> None:
    """Emails a sign-in link to an existing Supabase account (never creates one)."""
    params = {"redirect_to": redirect_to} if redirect_to else None
    _call("POST", "/otp", body={"email": email, "create_user": False}, params=params)


def recover(email: str, redirect_to: str | None = None) -> None:
    params = {"redirect_to": redirect_to} if redirect_to else None
    _call("POST", "/recover", body={"email": email}, params=params)


def verify(link_type: str, token_hash: str) -> dict[str, Any]:
    return _call("POST", "/verify", body={"type": link_type, "token_hash": token_hash})


def update_password(access_token: str, password: str) -> dict[str, Any]:
    return _call("PUT", "/user", body={"password": password}, access_token=access_token)


# --- user-facing messages ----------------------------------------------------------------
# Refusals for too many attempts: the page answers 429 (users.results.AuthResult).
RATE_LIMIT_CODES = frozenset({"over_request_rate_limit", "over_email_send_rate_limit"})
SERVICE_DOWN = "The sign-in service is not answering right now. Try again in a moment."
MESSAGES: dict[str, tuple[str, str]] = {
    # code: (form field or "__all__", message)
    "invalid_credentials": ("__all__", WRONG_CREDENTIALS),
    "email_not_confirmed": (
        "__all__",
        "Confirm your email first: open the link we sent you, then log in.",
    ),
    "user_already_exists": ("email", EXISTING_ACCOUNT),
    "email_exists": ("email", EXISTING_ACCOUNT),
    "over_request_rate_limit": (
        "__all__",
        "Too many attempts right now (rate limit reached). Wait a minute and try again.",
    ),
    "over_email_send_rate_limit": (
        "__all__",
        "Too many emails sent to this address (email rate limit reached). "
        "Wait a few minutes, then try again.",
    ),
    "email_address_invalid": ("email", "Use an email address that can receive mail."),
    "email_address_not_authorized": (
        "email",
        "We can't send email to this address yet. Use another address or contact support.",
    ),
    "signup_disabled": ("__all__", "New sign-ups are closed right now."),
    "email_provider_disabled": ("__all__", "Email and password sign-in is turned off."),
    "user_banned": ("__all__", "This account is suspended."),
    "same_password": ("password", "Choose a password different from your current one."),
    "reauthentication_needed": (
        "__all__",
        "For your security, log in again before changing your password.",
    ),
    "otp_expired": ("__all__", "This link has expired or was already used. Ask for a new one."),
    "captcha_failed": ("__all__", "The CAPTCHA check failed. Try again."),
}
WEAK_REASONS = {
    "characters": "Mix character types: lower- and upper-case letters, digits and symbols.",
    "pwned": "This password appeared in a data breach; choose a different one.",
}


def _weak_password_messages(error: AuthApiError) -> list[str]:
    lines = ["Choose a stronger password."]
    for reason in error.reasons or ("length",):
        if reason == "length":
            minimum = re.search(r"at least (\d+) characters", error.message)
            lines.append(
                f"Use at least {minimum.group(1)} characters."
                if minimum
                else "Use a longer password."
            )
        else:
            lines.append(WEAK_REASONS.get(reason, error.message or "Choose another password."))
    return lines


def failed(error: AuthApiError) -> AuthResult:
    """A failed call as the page's result: its form errors, and whether it was refused
    for too many attempts (so the page answers 429 without reading the words)."""
    return AuthResult(errors=user_errors(error), rate_limited=error.code in RATE_LIMIT_CODES)


def user_errors(error: AuthApiError) -> dict[str, list[str]]:
    """Form errors for a failed call: {field or "__all__": [messages]}."""
    if error.code == "weak_password":
        return {"password": _weak_password_messages(error)}
    if error.code in MESSAGES:
        field_name, message = MESSAGES[error.code]
        return {field_name: [message]}
    if error.code == "validation_failed" and "email" in error.message.lower():
        return {"email": ["Enter a valid email address."]}
    if error.transient:
        return {"__all__": [SERVICE_DOWN]}
    return {"__all__": ["That did not work. Check what you entered and try again."]}
