from __future__ import annotations

from django import forms


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


class SignupForm(CredentialsForm):
    password = forms.CharField(
        max_length=128,
        min_length=8,
        strip=False,
        help_text="At least 8 characters; not a common password or only numbers.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "minlength": 8}),
    )
