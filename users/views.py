from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.forms.utils import ErrorList
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from users import auth, ratelimit
from users.forms import CredentialsForm, SignupForm
from users.results import CONNECT_LINK_SENT, EXISTING_ACCOUNT, AuthResult

NEW_PASSWORD_FIELD = {"password": "new_password1"}


def safe_next(request: HttpRequest, default: str | None = None) -> str:
    """The `next` target if it stays on this site, else the default landing page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default or settings.LOGIN_REDIRECT_URL


def apply_errors(
    form: forms.BaseForm, result: AuthResult, renamed: dict[str, str] | None = None
) -> None:
    """The result's errors on the form: "__all__" (or a field the form lacks) at the top;
    `renamed` maps the result's field names to the form's (e.g. the set-password forms
    call "password" new_password1)."""
    for field_name, messages_ in result.errors.items():
        target: str | None = (renamed or {}).get(field_name, field_name)
        if target not in form.fields:
            target = None
        for message in messages_:
            form.add_error(target, message)


def over_limit(
    request: HttpRequest, form: forms.BaseForm, limit: ratelimit.Limit, email: str
) -> bool:
    """Counts this attempt; when it is over the limit, says so on the form."""
    if ratelimit.attempt(request, limit, email):
        return False
    form.add_error(None, limit.message)
    return True


def error_status(result: AuthResult) -> int:
    """The result's own status: 429 when it was refused for too many attempts, else 400
    (or the 403 / 503 it carries)."""
    return result.error_status


def link_log_in(form: forms.Form, email: str) -> None:
    """The existing-account error (users.results.EXISTING_ACCOUNT) gets its "Log in
    instead" as a link to log in with this address."""
    url = f"{reverse('users:login')}?{urlencode({'email': email})}"
    linked = format_html(
        '{} <a href="{}">Log in instead</a>.',
        EXISTING_ACCOUNT.removesuffix("Log in instead.").rstrip(),
        url,
    )
    for name, errors in form.errors.items():
        shown: list[str | Exception] = [
            linked if error == EXISTING_ACCOUNT else str(error) for error in errors
        ]
        form.errors[name] = ErrorList(shown)


def check_email_page(request: HttpRequest, email: str, result: AuthResult) -> HttpResponse:
    context = {"email": email, "connect": result.next_step == CONNECT_LINK_SENT}
    return render(request, "users/check_email.html", context)


@login_not_required
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(safe_next(request))
    form = CredentialsForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    status = 200
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        limit = ratelimit.login_limit()
        if over_limit(request, form, limit, email):
            status = 429
        else:
            result = auth.log_in(request, email, form.cleaned_data["password"])
            if result.ok and result.user is not None:
                ratelimit.forgive(request, limit, email)
                return HttpResponseRedirect(safe_next(request))
            if result.ok:
                return check_email_page(request, email, result)
            apply_errors(form, result)
            status = error_status(result)
    elif request.method == "POST":
        status = 400
    form.focus_password_if_email_kept()
    context = {"form": form, "next": safe_next(request)}
    return render(request, "users/login.html", context, status=status)


@login_not_required
@require_http_methods(["GET", "POST"])
def signup_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = SignupForm(request.POST or None)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if over_limit(request, form, ratelimit.SIGNUP, email):
            status = 429
        else:
            result = auth.sign_up(request, email, form.cleaned_data["password"])
            if result.ok and result.user is not None:
                return redirect("brands:new")
            if result.ok:
                return check_email_page(request, email, result)
            apply_errors(form, result)
            link_log_in(form, email)
            status = error_status(result)
    form.focus_password_if_email_kept()
    return render(request, "users/signup.html", {"form": form}, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    auth.log_out(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


@login_not_required
def admin_login_view(request: HttpRequest) -> HttpResponse:
    """/admin/login/ never checks a password itself: it sends people through the app's
    own login (same rate limits; Supabase accounts in Supabase mode) and back."""
    target = safe_next(request, default=reverse("admin:index"))
    if not request.user.is_authenticated:
        return redirect(f"{reverse('users:login')}?{urlencode({'next': target})}")
    if request.user.is_active and request.user.is_staff:
        return redirect(target)
    messages.error(request, "This account has no access to the admin.")
    return redirect(settings.LOGIN_REDIRECT_URL)
