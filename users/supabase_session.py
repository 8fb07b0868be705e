"""Supabase tokens in the Django session, checked on every request and refreshed once.

The browser holds only Django's session cookie (HttpOnly, SameSite=Lax, Secure in
production); the access and refresh tokens stay server-side in the session. Each
request verifies the access token (users/jwt.py). When it has expired, the refresh
token is exchanged once. Refresh tokens are single-use, so requests racing with the
same expired token are serialized per refresh token: the first one refreshes and
leaves the new tokens for REFRESH_GRACE_SECONDS; the others reuse them instead of
spending the old refresh token again (which Supabase would treat as reuse and which
would end the session). A refresh that Supabase refuses logs the user out; one that
fails for a transient reason (timeout, rate limit) keeps the session for the next try.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.contrib.auth import user_logged_in
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import rotate_token

from users import supabase_api
from users.jwt import InvalidToken, KeysUnavailable, TokenExpired, user_for_access_token
from users.models import User
from users.supabase_api import AuthApiError, TokenSet

logger = logging.getLogger(__name__)

SESSION_KEY = "supabase_tokens"
REFRESH_GRACE_SECONDS = 60
LOCK_SECONDS = 15  # longer than one refresh call (10 s timeout) can take
LOCK_POLL_SECONDS = 0.02


def stored_tokens(request: HttpRequest) -> TokenSet | None:
    return TokenSet.from_dict(request.session.get(SESSION_KEY))


def establish(request: HttpRequest, tokens: TokenSet) -> User:
    """Log in with a fresh Supabase session, after verifying its access token."""
    user = user_for_access_token(tokens.access_token)
    # Same protections as django.contrib.auth.login: new session key, new CSRF token.
    request.session.cycle_key()
    rotate_token(request)
    request.session[SESSION_KEY] = tokens.as_dict()
    request.user = user
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    return user


def forget(request: HttpRequest) -> None:
    request.session.flush()
    request.user = AnonymousUser()


def handle_request(
    request: HttpRequest, get_response: Callable[[HttpRequest], HttpResponse]
) -> HttpResponse:
    request.user = authenticate(request)
    return get_response(request)


def authenticate(request: HttpRequest) -> User | AnonymousUser:
    tokens = stored_tokens(request)
    if tokens is None:
        if SESSION_KEY in request.session:
            forget(request)
        return AnonymousUser()
    try:
        return user_for_access_token(tokens.access_token)
    except TokenExpired:
        return _refresh(request, tokens)
    except KeysUnavailable:
        return AnonymousUser()  # cannot check right now; keep the session for later
    except InvalidToken as exc:
        logger.info("Dropping a Supabase session with a rejected token: %s", exc)
        forget(request)
        return AnonymousUser()


def _refresh(request: HttpRequest, stale: TokenSet) -> User | AnonymousUser:
    with _refresh_lock(stale.refresh_token):
        fresh = _already_refreshed(request, stale.refresh_token)
        if fresh is None:
            try:
                fresh = supabase_api.refresh_grant(stale.refresh_token)
            except AuthApiError as exc:
                if exc.transient:
                    logger.warning("Supabase refresh failed for now: %s", exc.code)
                    return AnonymousUser()
                # Another process may have won the race with this refresh token.
                fresh = _already_refreshed(request, stale.refresh_token)
                if fresh is None:
                    logger.info("Supabase refresh refused (%s): logging out", exc.code)
                    forget(request)
                    return AnonymousUser()
            else:
                cache.set(
                    _rotation_key(stale.refresh_token), fresh.as_dict(), REFRESH_GRACE_SECONDS
                )
    try:
        user = user_for_access_token(fresh.access_token)
    except KeysUnavailable:
        return AnonymousUser()
    except InvalidToken as exc:
        logger.warning("Supabase refresh returned a rejected token: %s", exc)
        forget(request)
        return AnonymousUser()
    request.session[SESSION_KEY] = fresh.as_dict()
    return user


def _already_refreshed(request: HttpRequest, refresh_token: str) -> TokenSet | None:
    """New tokens another request obtained with this refresh token, if any."""
    remembered = TokenSet.from_dict(cache.get(_rotation_key(refresh_token)))
    if remembered is not None:
        return remembered
    # Without a shared cache, the other request's result is in the saved session.
    session_key = request.session.session_key
    if not session_key:
        return None
    saved = type(request.session)(session_key).load()
    current = TokenSet.from_dict(saved.get(SESSION_KEY))
    if current is not None and current.refresh_token != refresh_token:
        return current
    return None


def _rotation_key(refresh_token: str) -> str:
    return "supabase-refresh:" + hashlib.sha256(refresh_token.encode()).hexdigest()


@contextmanager
def _refresh_lock(refresh_token: str) -> Iterator[None]:
    """Mutual exclusion per refresh token through the cache (shared by all threads of a
    process, and by all processes when the cache is shared). Gives up waiting after
    LOCK_SECONDS and proceeds: the caller then re-checks for a finished refresh."""
    key = _rotation_key(refresh_token) + ":lock"
    deadline = time.monotonic() + LOCK_SECONDS
    acquired = cache.add(key, 1, timeout=LOCK_SECONDS)
    while not acquired and time.monotonic() < deadline:
        time.sleep(LOCK_POLL_SECONDS)
        acquired = cache.add(key, 1, timeout=LOCK_SECONDS)
    try:
        yield
    finally:
        if acquired:
            cache.delete(key)
