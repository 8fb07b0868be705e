"""Local-mode password reset: Django's PasswordReset* views under /password-reset/….

Only for `AUTH_PROVIDER=local` (Supabase mode resets passwords through Supabase Auth, so
these pages are a 404 there). Unlike Django's default, accounts with an unusable password
may reset too: that is how an account created by `migrate_goodie` sets its first password.
Requests are rate limited per client IP and per address so the form cannot spam inboxes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import path, reverse_lazy

from kairo.forms import plain_messages
from users import ratelimit
from users.forms import EMAIL_REQUIRED
from users.models import User
from users.passwords import HELP_TEXT
from users.views import over_limit


class ResetRequestForm(auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label="Email",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plain_messages(self, {"email": EMAIL_REQUIRED})

    def get_users(self, email: str) -> Iterator[User]:
        # Unusable passwords included: an account without a password yet sets one here.
        # The exact (Unicode-folded) comparison is Django's guard against look-alike emails.
        wanted = _folded(email)
        for user in User.objects.filter(email__iexact=email, is_active=True):
            if _folded(user.email) == wanted:
                yield user


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


class NewPasswordForm(auth_forms.SetPasswordForm):
    error_messages = {"password_mismatch": "The two passwords aren't the same: type it again."}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Same wording as sign-up; Django's default help is an HTML list.
        self.fields["new_password1"].help_text = HELP_TEXT
        self.fields["new_password2"].label = "Type it again"
        self.fields["new_password2"].help_text = ""
        plain_messages(
            self,
            {"new_password1": "Choose a password.", "new_password2": "Type the password again."},
        )


class ResetRequestView(auth_views.PasswordResetView):
    form_class = ResetRequestForm
    template_name = "users/password_reset_form.html"
    email_template_name = "users/password_reset_email.txt"
    subject_template_name = "users/password_reset_subject.txt"
    success_url = reverse_lazy("users:password_reset_done")

    def form_valid(self, form: ResetRequestForm) -> HttpResponse:
        if over_limit(self.request, form, ratelimit.PASSWORD_RESET, form.cleaned_data["email"]):
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)

    def form_invalid(self, form: ResetRequestForm) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)


def local_accounts_only(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if settings.AUTH_PROVIDER != "local":
            raise Http404("Password reset is handled by Supabase Auth.")
        return view(request, *args, **kwargs)

    return wrapper


password_reset = local_accounts_only(ResetRequestView.as_view())
password_reset_done = local_accounts_only(
    auth_views.PasswordResetDoneView.as_view(template_name="users/password_reset_done.html")
)
password_reset_confirm = local_accounts_only(
    auth_views.PasswordResetConfirmView.as_view(
        form_class=NewPasswordForm,
        template_name="users/password_reset_confirm.html",
        success_url=reverse_lazy("users:password_reset_complete"),
    )
)
password_reset_complete = local_accounts_only(
    auth_views.PasswordResetCompleteView.as_view(template_name="users/password_reset_complete.html")
)

# Included by users/urls.py under "password-reset/", inside the `users` namespace.
urlpatterns = [
    path("", password_reset, name="password_reset"),
    path("sent/", password_reset_done, name="password_reset_done"),
    path("done/", password_reset_complete, name="password_reset_complete"),
    path("<uidb64>/<token>/", password_reset_confirm, name="password_reset_confirm"),
]
