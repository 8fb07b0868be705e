"""Authentication providers behind the login/signup/logout pages.

`AUTH_PROVIDER=local` uses Django's password auth and sessions. `AUTH_PROVIDER=supabase`
delegates to Supabase Auth (users/supabase.py). Views call only the functions here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from users.models import User

# What the page does next when an AuthResult is ok but nobody is logged in yet.
CHECK_EMAIL = "check_email"  # sign-up: confirm the address with the link Supabase sent
CONNECT_LINK_SENT = "connect_link_sent"  # an existing account: open the link we sent
CONNECT = "connect"  # the link proved the address: choose a password to connect


@dataclass
class AuthResult:
    user: User | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)
    next_step: str = ""
    status: int = 0  # an HTTP status for the page other than the usual 400 (429, 503)

    @property
    def needs_confirmation(self) -> bool:
        return self.next_step in (CHECK_EMAIL, CONNECT_LINK_SENT)

    @property
    def ok(self) -> bool:
        return not self.errors


def _error(field_name: str, message: str) -> AuthResult:
    return AuthResult(errors={field_name: [message]})


def sign_up(request: HttpRequest, email: str, password: str) -> AuthResult:
    email = email.strip().lower()
    if settings.AUTH_PROVIDER == "supabase":
        from users import supabase

        return supabase.sign_up(request, email, password)
    if User.objects.filter(email__iexact=email).exists():
        return _error("email", "An account with this email already exists. Log in instead.")
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
        from users import supabase

        return supabase.log_in(request, email, password)
    user = authenticate(request, username=email, password=password)
    if user is None:
        return _error("__all__", "Wrong email or password.")
    login(request, user)
    return AuthResult(user=user)


def log_out(request: HttpRequest) -> None:
    if settings.AUTH_PROVIDER == "supabase":
        from users import supabase

        supabase.log_out(request)
    logout(request)
