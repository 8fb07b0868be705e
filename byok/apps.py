from __future__ import annotations

from django.apps import AppConfig
from django.core import checks


class ByokConfig(AppConfig):
    name = "byok"
    verbose_name = "API keys (BYOK)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        checks.register(check_encryption_key, checks.Tags.security, deploy=False)


def check_encryption_key(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """`manage.py check`/`migrate`/`runserver` fail early on a malformed ENCRYPTION_KEY."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    from byok.crypto import check_configuration

    if not settings.ENCRYPTION_KEY:
        return [
            checks.Warning(
                "ENCRYPTION_KEY is not set: users can't save API keys.",
                hint="Set ENCRYPTION_KEY (see .env.example).",
                id="byok.W001",
            )
        ]
    try:
        check_configuration()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="byok.E001")]
    return []
