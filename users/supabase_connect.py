"""Connecting an existing Kairo account to the Supabase identity that proved its address
(the page is `/auth/connect`, users/supabase_views.py).

Reached only after a link Supabase emailed to the address was opened (users/linking.py
says why that alone is not enough). The page asks for the password to use from now on
and then, in this order: sets it at Supabase (so a password set by whoever registered
the Supabase account stops working; the current one, re-typed, is accepted too, since
knowing it is proof enough), ends every other Supabase session of that identity, links
the account (tokens from before the link are refused from then on) and logs in.
Until then the session holds the link's tokens (encrypted) but nobody is logged in.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from django.http import HttpRequest

from kairo import crypto
from users import linking, supabase_api, supabase_session
from users.jwt import InvalidToken, KeysUnavailable
from users.models import User
from users.results import AuthResult
from users.supabase_api import SERVICE_DOWN, AuthApiError, TokenSet

PENDING_KEY = "supabase_pending_link"
EXPIRED = "This connection has expired. Log in again and we'll email you a new link."


@dataclass(frozen=True)
class PendingLink:
    user_id: str
    uid: uuid.UUID
    session_id: str | None
    tokens: TokenSet


def remember(request: HttpRequest, need: linking.LinkRequired, tokens: TokenSet) -> None:
    data = {
        "user_id": str(need.user.pk),
        "uid": str(need.uid),
        "session_id": need.session_id,
        "tokens": tokens.as_dict(),
    }
    request.session[PENDING_KEY] = crypto.encrypt(json.dumps(data)).decode()


def pending(request: HttpRequest) -> PendingLink | None:
    value = request.session.get(PENDING_KEY)
    if not isinstance(value, str):
        return None
    try:
        data = json.loads(crypto.decrypt(value))
        tokens = TokenSet.from_dict(data["tokens"])
        if tokens is None:
            return None
        return PendingLink(str(data["user_id"]), uuid.UUID(data["uid"]), data["session_id"], tokens)
    except (crypto.DecryptionFailed, ValueError, KeyError, TypeError):
        return None


def forget(request: HttpRequest) -> None:
    request.session.pop(PENDING_KEY, None)


def complete(request: HttpRequest, link: PendingLink, password: str) -> AuthResult:
    access = link.tokens.access_token
    try:
        supabase_api.update_password(access, password)
    except AuthApiError as exc:
        if exc.status in (401, 403):
            forget(request)
            return AuthResult(errors={"__all__": [EXPIRED]})
        if exc.code != "same_password":
            return supabase_api.failed(exc)
    try:
        supabase_api.logout(access, scope="others")
    except AuthApiError:
        # Never link while another session of this identity may still be alive.
        return AuthResult(errors={"__all__": [SERVICE_DOWN]}, status=503)
    try:
        linking.link(link.user_id, link.uid, proving_session=link.session_id)
        user = supabase_session.establish(request, link.tokens)
    except KeysUnavailable:
        return AuthResult(errors={"__all__": [SERVICE_DOWN]}, status=503)
    except (InvalidToken, linking.LinkRequired, User.DoesNotExist):
        forget(request)
        return AuthResult(errors={"__all__": [EXPIRED]})
    forget(request)
    return AuthResult(user=user)
