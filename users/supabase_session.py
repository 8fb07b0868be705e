"""Supabase tokens in the Django session, checked on every request and refreshed once.

The browser holds only Django's session cookie (HttpOnly, SameSite=Lax, Secure in
production); the access and refresh tokens stay server-side in the session, encrypted
with the server's MultiFernet (kairo/crypto.py, the same ENCRYPTION_KEY machinery as
users' API keys; `manage.py rotate_encryption_keys` re-encrypts them too). Each
request verifies the access token (users/jwt.py). When it has expired, the refresh
token is exchanged once. Refresh tokens are single-use, so requests racing with the
same expired token are serialized per refresh token: the first one refreshes and
leaves the new tokens (encrypted) for REFRESH_GRACE_SECONDS; the others reuse them
instead of spending the old refresh token again (which Supabase would treat as reuse
and which would end the session). A refresh that Supabase refuses logs the user out;
one that fails for a transient reason (timeout, rate limit) keeps the session for the
next try. When the signing keys cannot be loaded the session is kept too and the
request is marked `auth_unavailable` (users/middleware.py answers 503).
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.contrib.auth import user_logged_in
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import rotate_token
from django.utils import timezone

from kairo import crypto
from kairo.health import HEALTH_PATH
from users import supabase_api
from users.jwt import InvalidToken, KeysUnavailable, TokenExpired
from users.linking import LinkRequired, user_for_access_token
from users.models import User
from users.supabase_api import AuthApiError, TokenSet

logger = logging.getLogger(__name__)

SESSION_KEY = "supabase_tokens"
AUTH_UNAVAILABLE = "auth_unavailable"  # request attribute: the token could not be checked
REFRESH_GRACE_SECONDS = 60
LOCK_SECONDS = 15  # longer than one refresh call (10 s timeout) can take
LOCK_POLL_SECONDS = 0.02
# Session values that hold Supabase tokens (encrypted); the rotation command walks them.
ENCRYPTED_SESSION_KEYS = (SESSION_KEY, "supabase_pending_link")


def seal(tokens: TokenSet) -> str:
    return crypto.encrypt(json.dumps(tokens.as_dict())).decode()


def unseal(value: Any) -> TokenSet | None:
    """The tokens in a sealed value; None for anything else (including the plaintext
    dicts of earlier versions, which simply log those sessions out once)."""
    if not isinstance(value, str):
        return None
    try:
        return TokenSet.from_dict(json.loads(crypto.decrypt(value)))
    except (crypto.DecryptionFailed, ValueError):
        logger.warning("Supabase tokens in a session could not be decrypted; logging it out")
        return None


def stored_tokens(request: HttpRequest) -> TokenSet | None:
    return unseal(request.session.get(SESSION_KEY))


def store_tokens(request: HttpRequest, tokens: TokenSet) -> None:
    request.session[SESSION_KEY] = seal(tokens)


def establish(request: HttpRequest, tokens: TokenSet) -> User:
    """Log in with a fresh Supabase session, after verifying its access token."""
    user = user_for_access_token(tokens.access_token)
    # Same protections as django.contrib.auth.login: new session key, new CSRF token.
    request.session.cycle_key()
    rotate_token(request)
    store_tokens(request, tokens)
    request.user = user
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    return user


def forget(request: HttpRequest) -> None:
    request.session.flush()
    request.user = AnonymousUser()


def handle_request(
    request: HttpRequest, get_response: Callable[[HttpRequest], HttpResponse]
) -> HttpResponse:
    if request.path_info != HEALTH_PATH:  # /health/ never waits on Supabase
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
        return _unavailable(request)
    except (InvalidToken, LinkRequired) as exc:
        logger.info("Dropping a Supabase session with a rejected token: %s", exc)
        forget(request)
        return AnonymousUser()


def _unavailable(request: HttpRequest) -> AnonymousUser:
    """The signing keys can't be loaded: keep the session and say so (HTTP 503, in
    users/middleware.py)."""
    setattr(request, AUTH_UNAVAILABLE, True)  # noqa: B010 (HttpRequest has no such field)
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
                    return _unavailable(request)
                # Another process may have won the race with this refresh token.
                fresh = _already_refreshed(request, stale.refresh_token)
                if fresh is None:
                    logger.info("Supabase refresh refused (%s): logging out", exc.code)
                    forget(request)
                    return AnonymousUser()
            else:
                cache.set(_rotation_key(stale.refresh_token), seal(fresh), REFRESH_GRACE_SECONDS)
    # Kept before the check: the old refresh token is spent, whatever the keys say now.
    store_tokens(request, fresh)
    try:
        return user_for_access_token(fresh.access_token)
    except KeysUnavailable:
        return _unavailable(request)
    except (InvalidToken, LinkRequired) as exc:
        logger.warning("Supabase refresh returned a rejected token: %s", exc)
        forget(request)
        return AnonymousUser()


def _already_refreshed(request: HttpRequest, refresh_token: str) -> TokenSet | None:
    """New tokens another request obtained with this refresh token, if any."""
    remembered = unseal(cache.get(_rotation_key(refresh_token)))
    if remembered is not None:
        return remembered
    # Without a shared cache, the other request's result is in the saved session.
    session_key = request.session.session_key
    if not session_key:
        return None
    saved = type(request.session)(session_key).load()
    current = unseal(saved.get(SESSION_KEY))
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


def rotate_stored_tokens() -> tuple[int, int]:
    """Re-encrypts the Supabase tokens of every live database session under the newest
    ENCRYPTION_KEY. Returns (sessions re-encrypted, sessions no listed key opens: those
    are logged out at their next request)."""
    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        return 0, 0
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    rotated = failed = 0
    live = Session.objects.filter(expire_date__gt=timezone.now())
    for session in live.iterator():
        data = session.get_decoded()
        changed = False
        for key in ENCRYPTED_SESSION_KEYS:
            if isinstance(data.get(key), str):
                try:
                    data[key] = crypto.reencrypt(data[key]).decode()
                    changed = True
                except crypto.DecryptionFailed:
                    failed += 1
        if changed:
            session.session_data = SessionStore().encode(data)
            session.save(update_fields=["session_data"])
            rotated += 1
    return rotated, failed
