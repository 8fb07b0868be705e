from django.apps import AppConfig


class ByokConfig(AppConfig):
    name = "byok"
    default_auto_field = "django.db.models.BigAutoField"
