from __future__ import annotations

from typing import Any

from django import forms

from byok.keys import InvalidKeys, KeySummary, check_key_changes
from byok.providers import SPECS, ProviderSpec


def _key_input(summary: KeySummary) -> forms.PasswordInput:
    spec = summary.spec
    placeholder = "Paste a new one to replace it" if summary.connected else spec.placeholder
    return forms.PasswordInput(
        # render_value=False: neither a stored nor a rejected key is ever sent back.
        render_value=False,
        attrs={
            "autocomplete": "off",
            "autocapitalize": "off",
            "spellcheck": "false",
            "placeholder": placeholder,
            "pattern": spec.html_pattern,
            "title": f"{spec.key_label}: {spec.placeholder}",
            "data-1p-ignore": "",
            "data-lpignore": "true",
            "aria-describedby": f"{spec.field}-help {spec.field}-status",
        },
    )


def _messages(spec: ProviderSpec) -> dict[str, str]:
    """Kairo's words for what Django's CharField checks itself (its stock wording never
    shows): a NUL byte only arrives from a mangled copy."""
    again = f"Copy your {spec.key_label} again from {spec.where_to_find}"
    return {
        "null_characters_not_allowed": f"That paste has a hidden character no key contains. {again}.",
        "invalid": f"That can't be an {spec.key_label}. {again}.",
    }


class ApiKeysForm(forms.Form):
    """The Settings form: an empty input keeps the saved key (removal is its own action)."""

    def __init__(self, *args, summaries: dict[str, KeySummary], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for spec in SPECS.values():
            self.fields[spec.field] = forms.CharField(
                label=spec.key_label,
                required=False,
                strip=False,
                widget=_key_input(summaries[spec.field]),
                error_messages=_messages(spec),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        try:
            self.changes = check_key_changes({k: v for k, v in cleaned.items() if v})
        except InvalidKeys as exc:
            for name, message in exc.errors.items():
                self.add_error(name, message)
        return cleaned
