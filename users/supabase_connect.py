"""Connecting an existing Kairo account to the Supabase identity that proved its address.

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
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from kairo import crypto
from users import linking, supabase_api, supabase_session
from users.auth import AuthResult
from users.jwt import InvalidToken, KeysUnavailable
from users.models import User
from users.password_reset import NewPasswordForm
from users.supabase_api import SERVICE_DOWN, AuthApiError, TokenSet
from users.views import NEW_PASSWORD_FIELD, apply_errors

PENDING_KEY = "supabase_pending_link"
EXPIRED = "This connection has expired. Log in again and we'll email you a new link."


def supabase_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if settings.AUTH_PROVIDER != "supabase":
            raise Http404("Only with Supabase accounts.")
        return view(request, *args, **kwargs)

    return wrapper


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
        link = PendingLink(str(data["user_id"]), uuid.UUID(data["uid"]), data["session_id"], tokens)
    except (crypto.DecryptionFailed, ValueError, KeyError, TypeError):
        return None
    return link if tokens is not None else None


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
            return AuthResult(errors=supabase_api.user_errors(exc))
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


@login_not_required
@supabase_only
@require_http_methods(["GET", "POST"])
def connect_view(request: HttpRequest) -> HttpResponse:
    link = pending(request)
    account = User.objects.filter(pk=link.user_id).first() if link else None
    if link is None or account is None or not linking.may_link_by_email(account):
        context = {"errors": [EXPIRED], "recovery": False}
        return render(request, "users/supabase_link_invalid.html", context, status=400)
    form = NewPasswordForm(account, request.POST or None)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        result = complete(request, link, form.cleaned_data["new_password1"])
        if result.ok:
            messages.success(request, "Your Kairo account is connected. Welcome back!")
            return redirect(settings.LOGIN_REDIRECT_URL)
        apply_errors(form, result, NEW_PASSWORD_FIELD)
        status = result.status or status
    context = {"form": form, "email": account.email}
    return render(request, "users/supabase_connect.html", context, status=status)
