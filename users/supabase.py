"""Accounts in Supabase mode (AUTH_PROVIDER=supabase): what the pages and middleware call.

Sign-up, password login, logout, password recovery and email links go to Supabase Auth
(HTTP in users/supabase_api.py). A session Supabase hands back is trusted only after its
access token passes users/jwt.py; the tokens then live in the Django session
(users/supabase_session.py), which the middleware checks and refreshes on every request.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.http import HttpRequest
from django.urls import reverse

from users import supabase_api, supabase_session
from users.auth import AuthResult
from users.jwt import InvalidToken
from users.supabase_api import AuthApiError, TokenSet

logger = logging.getLogger(__name__)

# `type` values of the links in Supabase's emails (POST /verify accepts these).
LINK_TYPES = {"signup", "email", "recovery", "invite", "magiclink", "email_change"}
UNVERIFIED_SESSION = "Signing in did not complete: the session could not be verified. Try again."

handle_request = supabase_session.handle_request


def _failure(error: AuthApiError) -> AuthResult:
    return AuthResult(errors=supabase_api.user_errors(error))


def _confirm_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("users:supabase_confirm"))


def _start_session(request: HttpRequest, body: object) -> AuthResult:
    try:
        user = supabase_session.establish(request, TokenSet.from_response(body))
    except (AuthApiError, InvalidToken) as exc:
        logger.warning("Supabase returned a session that failed verification: %s", exc)
        return AuthResult(errors={"__all__": [UNVERIFIED_SESSION]})
    return AuthResult(user=user)


def sign_up(request: HttpRequest, email: str, password: str) -> AuthResult:
    try:
        body = supabase_api.sign_up(email, password, redirect_to=_confirm_url(request))
    except AuthApiError as exc:
        return _failure(exc)
    if isinstance(body, dict) and "access_token" in body:  # email confirmation is off
        return _start_session(request, body)
    if isinstance(body, dict) and body.get("identities") == []:
        # Confirmation on and the address already has a confirmed account: Supabase
        # answers with a stand-in user that has no identities.
        return AuthResult(errors={"email": [supabase_api.EXISTING_ACCOUNT]})
    return AuthResult(needs_confirmation=True)


def log_in(request: HttpRequest, email: str, password: str) -> AuthResult:
    try:
        body = supabase_api.password_grant(email, password)
    except AuthApiError as exc:
        return _failure(exc)
    result = _start_session(request, body)
    if result.ok and isinstance(body, dict) and body.get("weak_password"):
        messages.warning(
            request,
            "Your password no longer meets the password rules. Choose a new one soon.",
        )
    return result


def log_out(request: HttpRequest) -> None:
    """Revokes the session at Supabase (best effort), then forgets it here."""
    tokens = supabase_session.stored_tokens(request)
    if tokens is not None:
        try:
            supabase_api.logout(tokens.access_token)
        except AuthApiError as exc:
            logger.info("Supabase logout failed (%s); the local session ends anyway", exc.code)
    supabase_session.forget(request)


def request_password_reset(request: HttpRequest, email: str) -> AuthResult:
    """Asks Supabase to email a recovery link. Unknown addresses look the same (no
    account enumeration)."""
    try:
        supabase_api.recover(email.strip().lower(), redirect_to=_confirm_url(request))
    except AuthApiError as exc:
        return _failure(exc)
    return AuthResult()


def verify_link(request: HttpRequest, link_type: str, token_hash: str) -> AuthResult:
    """Completes a confirmation or recovery link (POST /verify) and logs the user in."""
    if link_type not in LINK_TYPES or not token_hash:
        return AuthResult(
            errors={"__all__": ["This link is incomplete. Open it from the email again."]}
        )
    try:
        body = supabase_api.verify(link_type, token_hash)
    except AuthApiError as exc:
        if exc.code in {"otp_expired", "validation_failed", "otp_disabled"}:
            return AuthResult(errors={"__all__": [supabase_api.MESSAGES["otp_expired"][1]]})
        return _failure(exc)
    return _start_session(request, body)


def set_new_password(request: HttpRequest, password: str) -> AuthResult:
    tokens = supabase_session.stored_tokens(request)
    if tokens is None:
        return AuthResult(errors={"__all__": ["Your session has ended. Log in again."]})
    try:
        supabase_api.update_password(tokens.access_token, password)
    except AuthApiError as exc:
        return _failure(exc)
    return AuthResult(user=request.user)
