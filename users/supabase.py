"""Accounts in Supabase mode (AUTH_PROVIDER=supabase): what the pages and middleware call.

Sign-up, password login, logout, password recovery and email links go to Supabase Auth
(HTTP in users/supabase_api.py). A session Supabase hands back is trusted only after its
access token passes users/jwt.py; the tokens then live, encrypted, in the Django session
(users/supabase_session.py), which the middleware checks and refreshes on every request.
A session for the address of an existing Kairo account not yet linked to Supabase never
logs into it directly (users/linking.py): from a password login or an auto-confirmed
sign-up Kairo emails that address a magic link; from a link opened out of an email the
person goes on to "Connect your account" (users/supabase_connect.py).
Sign-up answers the same whether or not the address already has an account.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.http import HttpRequest
from django.urls import reverse

from users import linking, ratelimit, supabase_api, supabase_connect, supabase_session
from users.jwt import InvalidToken, KeysUnavailable
from users.models import User
from users.results import CHECK_EMAIL, CONNECT, CONNECT_LINK_SENT, AuthResult
from users.supabase_api import SERVICE_DOWN, AuthApiError, TokenSet

logger = logging.getLogger(__name__)

# `type` values of the links in Supabase's emails (POST /verify accepts these).
LINK_TYPES = {"signup", "email", "recovery", "invite", "magiclink", "email_change"}
UNVERIFIED_SESSION = "Signing in did not complete: the session could not be verified. Try again."
# Supabase says so when the address is taken; Kairo answers as for a new account.
EXISTING_ACCOUNT_CODES = {"user_already_exists", "email_exists"}

handle_request = supabase_session.handle_request


def _confirm_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("users:supabase_confirm"))


def _start_session(request: HttpRequest, body: object, *, email_proven: bool) -> AuthResult:
    """Logs in with a session from Supabase. `email_proven`: it came from a link opened
    out of an email (POST /verify), so the person controls the address."""
    try:
        tokens = TokenSet.from_response(body)
    except AuthApiError as exc:
        logger.warning("Supabase returned an incomplete session: %s", exc)
        return AuthResult(errors={"__all__": [UNVERIFIED_SESSION]})
    try:
        user = supabase_session.establish(request, tokens)
    except linking.LinkRequired as need:
        return _link_required(request, need, tokens, email_proven=email_proven)
    except KeysUnavailable:
        return AuthResult(errors={"__all__": [SERVICE_DOWN]}, status=503)
    except (AuthApiError, InvalidToken) as exc:
        logger.warning("Supabase returned a session that failed verification: %s", exc)
        return AuthResult(errors={"__all__": [UNVERIFIED_SESSION]})
    return AuthResult(user=user)


def _link_required(
    request: HttpRequest, need: linking.LinkRequired, tokens: TokenSet, *, email_proven: bool
) -> AuthResult:
    if not need.by_email_allowed:
        logger.warning("A Supabase session named a staff account's email; not linked")
        return AuthResult(errors={"__all__": [linking.OPERATOR_ONLY]}, status=403)
    if email_proven:
        supabase_connect.remember(request, need, tokens)
        return AuthResult(next_step=CONNECT)
    return send_connect_link(request, need.user.email)


def send_connect_link(request: HttpRequest, email: str) -> AuthResult:
    """Emails `email` a magic link: opening it proves the address (rate limited)."""
    if not ratelimit.attempt(request, ratelimit.MAGIC_LINK, email):
        return AuthResult(errors={"__all__": [ratelimit.MAGIC_LINK.message]}, rate_limited=True)
    try:
        supabase_api.send_magic_link(email, redirect_to=_confirm_url(request))
    except AuthApiError as exc:
        return supabase_api.failed(exc)
    return AuthResult(next_step=CONNECT_LINK_SENT)


def sign_up(request: HttpRequest, email: str, password: str) -> AuthResult:
    try:
        body = supabase_api.sign_up(email, password, redirect_to=_confirm_url(request))
    except AuthApiError as exc:
        if exc.code in EXISTING_ACCOUNT_CODES:
            return AuthResult(next_step=CHECK_EMAIL)  # no "already exists": no enumeration
        return supabase_api.failed(exc)
    if isinstance(body, dict) and "access_token" in body:  # email confirmation is off
        result = _start_session(request, body, email_proven=False)
        refused_staff = result.errors == {"__all__": [linking.OPERATOR_ONLY]}
        if result.next_step == CONNECT_LINK_SENT or refused_staff:
            # An existing Kairo account: the same page as for a new address (the email
            # we sent, if any, explains the rest).
            return AuthResult(next_step=CHECK_EMAIL)
        return result
    # Confirmation on: a new account, or (a stand-in user with no identities) an address
    # that already has one. Both get the same "check your email" page.
    return AuthResult(next_step=CHECK_EMAIL)


def log_in(request: HttpRequest, email: str, password: str) -> AuthResult:
    try:
        body = supabase_api.password_grant(email, password)
    except AuthApiError as exc:
        return supabase_api.failed(exc)
    result = _start_session(request, body, email_proven=False)
    if result.user and isinstance(body, dict) and body.get("weak_password"):
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
        return supabase_api.failed(exc)
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
        return supabase_api.failed(exc)
    return _start_session(request, body, email_proven=True)


def set_new_password(request: HttpRequest, password: str) -> AuthResult:
    tokens = supabase_session.stored_tokens(request)
    if tokens is None:
        return AuthResult(errors={"__all__": ["Your session has ended. Log in again."]})
    try:
        supabase_api.update_password(tokens.access_token, password)
    except AuthApiError as exc:
        return supabase_api.failed(exc)
    return AuthResult(user=request.user if isinstance(request.user, User) else None)
