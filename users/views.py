from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from users import auth
from users.forms import CredentialsForm, SignupForm
from users.ratelimit import (
    clear_failed_logins,
    login_rate_limited,
    record_failed_login,
)

RATE_LIMITED = "Too many login attempts. Wait a few minutes and try again."


def safe_next(request: HttpRequest) -> str:
    """The `next` target if it stays on this site, else the default landing page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return settings.LOGIN_REDIRECT_URL


def _apply_errors(form, result: auth.AuthResult) -> None:
    for field_name, messages in result.errors.items():
        for message in messages:
            form.add_error(None if field_name == "__all__" else field_name, message)


@login_not_required
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(safe_next(request))
    form = CredentialsForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if login_rate_limited(request, email):
            form.add_error(None, RATE_LIMITED)
            status = 429
        else:
            result = auth.log_in(request, email, form.cleaned_data["password"])
            if result.ok:
                clear_failed_logins(request, email)
                return HttpResponseRedirect(safe_next(request))
            record_failed_login(request, email)
            _apply_errors(form, result)
            status = 429 if "rate" in " ".join(sum(result.errors.values(), [])).lower() else 400
    elif request.method == "POST":
        status = 400
    context = {"form": form, "next": safe_next(request)}
    return render(request, "users/login.html", context, status=status)


@login_not_required
@require_http_methods(["GET", "POST"])
def signup_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = auth.sign_up(request, form.cleaned_data["email"], form.cleaned_data["password"])
        if result.ok and result.needs_confirmation:
            return render(request, "users/check_email.html", {"email": form.cleaned_data["email"]})
        if result.ok:
            return redirect("brands:new")
        _apply_errors(form, result)
    status = 400 if request.method == "POST" else 200
    return render(request, "users/signup.html", {"form": form}, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    auth.log_out(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)
