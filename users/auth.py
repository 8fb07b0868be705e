"""Authentication providers behind the login/signup/logout pages.

`AUTH_PROVIDER=local` uses Django's password auth and sessions. `AUTH_PROVIDER=supabase`
delegates to Supabase Auth (users/supabase.py). Views call only the functions here.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from users import supabase
from users.models import User
from users.results import EXISTING_ACCOUNT, WRONG_CREDENTIALS, AuthResult


def _error(field_name: str, message: str) -> AuthResult:
    return AuthResult(errors={field_name: [message]})


def sign_up(request: HttpRequest, email: str, password: str) -> AuthResult:
    email = email.strip().lower()
    if settings.AUTH_PROVIDER == "supabase":
        return supabase.sign_up(request, email, password)
    if User.objects.filter(email__iexact=email).exists():
        return _error("email", EXISTING_ACCOUNT)
    try:
        validate_password(password, User(email=email))
    except ValidationError as exc:
        return AuthResult(errors={"password": list(exc.messages)})
    user = User.objects.create_user(email=email, password=password)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return AuthResult(user=user)


def log_in(request: HttpRequest, email: str, password: str) -> AuthResult:
    email = email.strip().lower()
    if settings.AUTH_PROVIDER == "supabase":
        return supabase.log_in(request, email, password)
    user = authenticate(request, username=email, password=password)
    if user is None:
        return _error("__all__", WRONG_CREDENTIALS)
    login(request, user)
    return AuthResult(user=user)


def log_out(request: HttpRequest) -> None:
    if settings.AUTH_PROVIDER == "supabase":
        supabase.log_out(request)
    logout(request)
