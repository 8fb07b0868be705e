from __future__ import annotations

from django.conf import settings
from django.db import models


class ValidationStatus(models.TextChoices):
    """The outcome of the last Test Connection of a stored key."""

    OK = "ok", "Connected"
    INVALID_KEY = "invalid_key", "Invalid key"
    NO_CREDIT = "no_credit", "No credit"
    USAGE_LIMIT = "usage_limit", "Usage limit reached"
    FORBIDDEN = "forbidden", "Permission denied"
    RATE_LIMITED = "rate_limited", "Rate limited"
    TIMEOUT = "timeout", "Timed out"
    UNREACHABLE = "unreachable", "Unreachable"
    PROVIDER_ERROR = "provider_error", "Provider error"
    UNREADABLE = "unreadable", "Needs re-entry"


class UserAPIKeys(models.Model):
    """One row per user: their Apify token and OpenAI key, encrypted (byok/crypto.py).

    Of each key only the ciphertext and its last four characters are stored, plus when
    it was last tested and with what result; and the OpenAI model the user picked from
    those their key can use. Columns are named `<field>_…` after the API field
    (`apify_token`, `openai_key`) so code can address them per provider.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_keys"
    )

    apify_token_encrypted = models.BinaryField(null=True, blank=True, editable=False)
    apify_token_last4 = models.CharField(max_length=4, blank=True, default="")
    apify_token_validated_at = models.DateTimeField(null=True, blank=True)
    apify_token_validation = models.CharField(
        max_length=20, choices=ValidationStatus.choices, blank=True, default=""
    )

    openai_key_encrypted = models.BinaryField(null=True, blank=True, editable=False)
    openai_key_last4 = models.CharField(max_length=4, blank=True, default="")
    openai_key_validated_at = models.DateTimeField(null=True, blank=True)
    openai_key_validation = models.CharField(
        max_length=20, choices=ValidationStatus.choices, blank=True, default=""
    )
    # The models `models.list()` named for the saved OpenAI key (every id, as listed; the
    # picker filters them through byok/openai_models.py when shown), when, and how that
    # went. Cleared with the key they belong to; byok/model_choice.py keeps them.
    openai_key_models = models.JSONField(default=list, blank=True)
    openai_key_models_listed_at = models.DateTimeField(null=True, blank=True)
    openai_key_models_status = models.CharField(
        max_length=20, choices=ValidationStatus.choices, blank=True, default=""
    )
    # The model the user picked for their runs; "" = the server's default (OPENAI_MODEL).
    openai_model = models.CharField(max_length=100, blank=True, default="")

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "user API keys"
        verbose_name_plural = "user API keys"

    def __str__(self) -> str:
        return f"API keys of {self.user}"

    def has_key(self, field: str) -> bool:
        return bool(getattr(self, f"{field}_encrypted"))
