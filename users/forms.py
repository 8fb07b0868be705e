from __future__ import annotations

from typing import Any

from django import forms

from kairo.forms import plain_messages
from users.passwords import HELP_TEXT

EMAIL_REQUIRED = "Enter your email address."


class CredentialsForm(forms.Form):
    email = forms.EmailField(
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plain_messages(self, {"email": EMAIL_REQUIRED, "password": "Enter your password."})

    def focus(self, name: str) -> None:
        """Put the cursor in `name` when the page loads (and nowhere else)."""
        for field_name, field in self.fields.items():
            if field_name == name:
                field.widget.attrs["autofocus"] = True
            else:
                field.widget.attrs.pop("autofocus", None)

    def focus_password_if_email_kept(self) -> None:
        """With the address already filled in (after a refused password, or a "Log in
        instead" link) the cursor starts in Password."""
        if self.is_bound:
            kept = bool(self.data.get("email")) and "email" not in self.errors
        else:
            kept = bool(self.initial.get("email"))
        if kept:
            self.focus("password")


class SignupForm(CredentialsForm):
    password = forms.CharField(
        max_length=128,
        min_length=8,
        strip=False,
        help_text=HELP_TEXT,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "minlength": 8}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].error_messages.update(
            required="Choose a password.",
            min_length="Use at least %(limit_value)d characters (you have %(show_value)d).",
        )
