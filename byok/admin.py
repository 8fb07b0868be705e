from __future__ import annotations

from django.contrib import admin

from byok.models import UserAPIKeys

SHOWN_FIELDS = (
    "user",
    "apify_token_last4",
    "apify_token_validation",
    "apify_token_validated_at",
    "openai_key_last4",
    "openai_key_validation",
    "openai_key_validated_at",
    "openai_model",
    "openai_key_models_listed_at",
    "created_at",
    "updated_at",
)


@admin.register(UserAPIKeys)
class UserAPIKeysAdmin(admin.ModelAdmin):
    """Last four characters and test results only: ciphertext is never displayed."""

    list_display = [
        "user",
        "apify_token_last4",
        "apify_token_validation",
        "openai_key_last4",
        "openai_key_validation",
        "updated_at",
    ]
    list_filter = ["apify_token_validation", "openai_key_validation"]
    search_fields = ["user__email"]
    fields = SHOWN_FIELDS
    readonly_fields = SHOWN_FIELDS

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
