"""Pages that exist only in Supabase mode: email-link handler, password recovery.

- `/auth/confirm?token_hash=…&type=signup|email|recovery|…` is where Supabase's email
  templates point (`{{ .SiteURL }}/auth/confirm?token_hash={{ .TokenHash }}&type=…`);
  it completes the link with `POST /verify` and logs the user in.
- `/auth/forgot-password` asks Supabase to email a recovery link.
- `/auth/set-password` sets a new password for the logged-in user (after a recovery
  link, or any time).
In local mode they are 404s (local mode has its own /password-reset/ pages).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from users import supabase
from users.password_reset import (
    RATE_LIMITED,
    NewPasswordForm,
    ResetRequestForm,
    reset_rate_limited,
)
from users.views import _apply_errors, safe_next


def supabase_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if settings.AUTH_PROVIDER != "supabase":
            raise Http404("Only with Supabase accounts.")
        return view(request, *args, **kwargs)

    return wrapper


def _status_for(errors: dict[str, list[str]]) -> int:
    text = " ".join(message for messages_ in errors.values() for message in messages_)
    return 429 if "rate limit" in text else 400


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
            request, "users/supabase_link_invalid.html", context, status=_status_for(result.errors)
        )
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
        if reset_rate_limited(request, email):
            form.add_error(None, RATE_LIMITED)
            status = 429
        else:
            result = supabase.request_password_reset(request, email)
            if result.ok:
                return render(request, "users/supabase_reset_sent.html", {"email": email})
            _apply_errors(form, result)
            status = _status_for(result.errors)
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
        for field_name, field_messages in result.errors.items():
            for message in field_messages:
                form.add_error("new_password1" if field_name == "password" else None, message)
        status = _status_for(result.errors)
    elif request.method == "POST":
        status = 400
    return render(request, "users/supabase_set_password.html", {"form": form}, status=status)


# Included by users/urls.py under "auth/", inside the `users` namespace.
urlpatterns = [
    path("confirm", confirm_view, name="supabase_confirm"),
    path("forgot-password", forgot_password_view, name="supabase_forgot_password"),
    path("set-password", set_password_view, name="supabase_set_password"),
]
