"""Pages that exist only in Supabase mode: email-link handler, password recovery.

- `/auth/confirm?token_hash=…&type=signup|email|recovery|magiclink|…` is where Supabase's
  email templates point (`{{ .SiteURL }}/auth/confirm?token_hash={{ .TokenHash }}&type=…`);
  it completes the link with `POST /verify` and logs the user in — or, for the address
  of an existing Kairo account not linked yet, goes on to `/auth/connect`.
- `/auth/forgot-password` asks Supabase to email a recovery link.
- `/auth/set-password` sets a new password for the logged-in user (after a recovery
  link, or any time).
- `/auth/connect` links an existing account after its emailed link (users/supabase_connect.py).
In local mode they are 404s (local mode has its own /password-reset/ pages).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from users import ratelimit, supabase, supabase_connect
from users.linking import may_link_by_email
from users.models import User
from users.password_reset import NewPasswordForm, ResetRequestForm
from users.results import CONNECT
from users.views import NEW_PASSWORD_FIELD, apply_errors, error_status, over_limit, safe_next


def supabase_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if settings.AUTH_PROVIDER != "supabase":
            raise Http404("Only with Supabase accounts.")
        return view(request, *args, **kwargs)

    return wrapper


@login_not_required
@supabase_only
@require_GET
def confirm_view(request: HttpRequest) -> HttpResponse:
    link_type = request.GET.get("type", "")
    result = supabase.verify_link(request, link_type, request.GET.get("token_hash", ""))
    if not result.ok:
        errors = [message for messages_ in result.errors.values() for message in messages_]
        context = {"errors": errors, "recovery": link_type == "recovery"}
        return render(
            request, "users/supabase_link_invalid.html", context, status=error_status(result)
        )
    if result.next_step == CONNECT:
        return redirect("users:supabase_connect")
    if link_type == "recovery":
        return redirect("users:supabase_set_password")
    if link_type in {"signup", "email", "invite"}:
        messages.success(request, "Your email is confirmed. Welcome to Kairo!")
    return redirect(safe_next(request))


@login_not_required
@supabase_only
@require_http_methods(["GET", "POST"])
def forgot_password_view(request: HttpRequest) -> HttpResponse:
    form = ResetRequestForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if over_limit(request, form, ratelimit.PASSWORD_RESET, email):
            status = 429
        else:
            result = supabase.request_password_reset(request, email)
            if result.ok:
                return render(request, "users/supabase_reset_sent.html", {"email": email})
            apply_errors(form, result)
            status = error_status(result)
    elif request.method == "POST":
        status = 400
    return render(request, "users/password_reset_form.html", {"form": form}, status=status)


@supabase_only
@require_http_methods(["GET", "POST"])
def set_password_view(request: HttpRequest) -> HttpResponse:
    form = NewPasswordForm(request.user, request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        result = supabase.set_new_password(request, form.cleaned_data["new_password1"])
        if result.ok:
            messages.success(request, "Your password is changed.")
            return redirect(settings.LOGIN_REDIRECT_URL)
        apply_errors(form, result, NEW_PASSWORD_FIELD)
        status = error_status(result)
    elif request.method == "POST":
        status = 400
    return render(request, "users/supabase_set_password.html", {"form": form}, status=status)


@login_not_required
@supabase_only
@require_http_methods(["GET", "POST"])
def connect_view(request: HttpRequest) -> HttpResponse:
    link = supabase_connect.pending(request)
    account = User.objects.filter(pk=link.user_id).first() if link else None
    if link is None or account is None or not may_link_by_email(account):
        context = {"errors": [supabase_connect.EXPIRED], "recovery": False}
        return render(request, "users/supabase_link_invalid.html", context, status=400)
    form = NewPasswordForm(account, request.POST or None)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        result = supabase_connect.complete(request, link, form.cleaned_data["new_password1"])
        if result.ok:
            messages.success(request, "Your Kairo account is connected. Welcome back!")
            return redirect(settings.LOGIN_REDIRECT_URL)
        apply_errors(form, result, NEW_PASSWORD_FIELD)
        status = result.error_status
    context = {"form": form, "email": account.email}
    return render(request, "users/supabase_connect.html", context, status=status)


# Included by users/urls.py under "auth/", inside the `users` namespace.
urlpatterns = [
    path("confirm", confirm_view, name="supabase_confirm"),
    path("connect", connect_view, name="supabase_connect"),
    path("forgot-password", forgot_password_view, name="supabase_forgot_password"),
    path("set-password", set_password_view, name="supabase_set_password"),
]
